"""The `reports:` section of the config."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from compass_bot.features.reports.rules import ReportSettings
from compass_bot.inputs import StrictInt, as_list


class _Section(BaseModel):
    """Unknown keys are refused: a typo must not silently change a feature."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ReportsConfig(_Section):
    # Accepted reports per member per hour; more get a clear (private) refusal.
    max_per_hour: StrictInt = Field(default=5, ge=1, le=100)
    # Who a reporter can talk to (mentor, vertrouwenspersoon), one line each; empty: a
    # general sentence.
    contacts: Annotated[list[str], BeforeValidator(as_list)] = Field(default_factory=list)

    def settings(self) -> ReportSettings:
        """The pure rule's settings."""
        return ReportSettings(max_per_hour=self.max_per_hour, window=timedelta(hours=1))
