"""The `alerts:` section: the repeat window, retries and the outbox's budgets."""

from __future__ import annotations

from pydantic import Field

from compass_bot.inputs import StrictInt
from compass_bot.sections import Section


class AlertSettings(Section):
    repeat_window_minutes: StrictInt = Field(default=30, ge=1, le=24 * 60)
    retry_max_seconds: StrictInt = Field(default=300, ge=1, le=3600)
    # Budgets of their own, below Discord's limits (5 messages per 5 s per channel), so a
    # flood of flags cannot flood the moderators: every flag is still stored.
    max_new_per_minute: StrictInt = Field(default=20, ge=1, le=600)
    edit_interval_seconds: StrictInt = Field(default=5, ge=0, le=600)
    channel_writes_per_minute: StrictInt = Field(default=50, ge=1, le=600)
    dms_per_minute: StrictInt = Field(default=30, ge=1, le=600)
