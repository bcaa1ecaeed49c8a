"""The `names:` section."""

from __future__ import annotations

from pydantic import Field

from compass_bot.features.names.rules import DEFAULT_ALLOWED_WORDS
from compass_bot.inputs import StrictBool
from compass_bot.sections import Section, Words


class NameSettings(Section):
    allowed_words: Words = Field(default_factory=lambda: list(DEFAULT_ALLOWED_WORDS))
    reset_nickname: StrictBool = False
    check_on_join: StrictBool = True
