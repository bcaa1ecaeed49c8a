"""The `names:` section."""

from __future__ import annotations

from pydantic import Field, field_validator

from compass_bot.features.names.rules import DEFAULT_ALLOWED_WORDS, allowable
from compass_bot.inputs import StrictBool
from compass_bot.sections import Section, Words


class NameSettings(Section):
    allowed_words: Words = Field(default_factory=lambda: list(DEFAULT_ALLOWED_WORDS))
    reset_nickname: StrictBool = False
    check_on_join: StrictBool = True

    @field_validator("allowed_words")
    @classmethod
    def _holds_the_name(cls, value: list[str]) -> list[str]:
        """A word without the whole school's name in it would switch the name rule off."""
        for word in value:
            if not allowable(word):
                raise ValueError(
                    f"{word!r} is not the school's name with more letters around it (as "
                    "compassion and encompass are); allowed, it would let names with the "
                    "school's name in them through"
                )
        return value
