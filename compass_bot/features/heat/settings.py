"""The `heat:` config section: where the cool-down rule (aanwijzing-5/7) watches and how it acts.

It lives with its feature; `compass_bot/config.py` only names it. Old config files stay valid:
every key has a default.
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field

from compass_bot.features.heat.rules import HeatSettings
from compass_bot.inputs import StrictInt
from compass_bot.sections import Refs, Section


class HeatConfig(Section):
    """The `heat:` section."""

    # empty: the school-time rule's social channels (and categories), minus its exempt ones
    watched_channels: Refs = Field(default_factory=list)
    nudge_threshold: StrictInt = Field(default=HeatSettings().nudge_threshold, ge=1, le=100)
    cooldown_minutes: StrictInt = Field(default=15, ge=1, le=24 * 60)
    slowmode_seconds: StrictInt = Field(default=30, ge=1, le=21600)
    slowmode_minutes: StrictInt = Field(default=10, ge=1, le=24 * 60)

    def settings(self) -> HeatSettings:
        """The pure rule's settings."""
        return HeatSettings(
            nudge_threshold=self.nudge_threshold,
            cooldown=timedelta(minutes=self.cooldown_minutes),
            slowmode_duration=timedelta(minutes=self.slowmode_minutes),
        )
