"""The `reports:` section of the config."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from compass_bot.features.reports.rules import ReportSettings
from compass_bot.inputs import StrictBool, StrictInt
from compass_bot.sections import Section, Words


def _reveal(value: Any) -> Any:
    """YAML reads a bare `off` as false: that is the default, not an error."""
    return "off" if value is False or value is None else value


class ReportsConfig(Section):
    # Accepted reports per member per hour; more get a clear (private) refusal.
    max_per_hour: StrictInt = Field(default=5, ge=1, le=100)
    # Who a reporter can talk to (mentor, vertrouwenspersoon), one line each; empty: a
    # general sentence.
    contacts: Words = Field(default_factory=list)

    # Who may see who reported an alert ("Melder tonen"): nobody ("off") or the leadership
    # role; every reveal is audited. Moderators never can.
    reveal_reporter: Annotated[Literal["off", "leadership"], BeforeValidator(_reveal)] = "off"
    # A DM to each reporter once a moderator handled their report, without any details.
    notify_reporter: StrictBool = False

    def settings(self) -> ReportSettings:
        """The pure rule's settings."""
        return ReportSettings(max_per_hour=self.max_per_hour, window=timedelta(hours=1))
