"""The `retention:` section: how long excerpts, questions and free-text reasons are kept."""

from __future__ import annotations

from pydantic import Field

from compass_bot.inputs import StrictInt
from compass_bot.sections import Section


class RetentionSettings(Section):
    days: StrictInt = Field(default=30, ge=1, le=3650)
