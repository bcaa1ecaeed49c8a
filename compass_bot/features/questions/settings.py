"""The `questions:` section."""

from __future__ import annotations

from pydantic import Field

from compass_bot.inputs import StrictInt
from compass_bot.sections import Section, Words


class QuestionSettings(Section):
    rate_limit_count: StrictInt = Field(default=5, ge=1, le=100)
    rate_limit_seconds: StrictInt = Field(default=30, ge=1, le=3600)
    max_length: StrictInt = Field(default=1000, ge=50, le=10000)
    # Who a student can talk to, shown with the answers that send someone to a person.
    contacts: Words = Field(
        default_factory=lambda: ["je mentor", "de vertrouwenspersoon van school"]
    )
    contacts_en: Words = Field(
        default_factory=lambda: ["your mentor", "the school's confidential adviser"]
    )
