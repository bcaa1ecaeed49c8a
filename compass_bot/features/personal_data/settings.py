"""The `personal_data:` config section (protocol aanwijzing-6)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from compass_bot.sections import Refs, Section, Words


class PersonalDataSettings(Section):
    """Protocol aanwijzing-6: phone numbers, addresses, live locations ... in posts.

    Unknown keys are refused (extra="forbid"): a typo must not silently switch it off.
    """

    # The school's own public contacts (address, reception number, helplines): never flagged.
    allowed: Words = Field(default_factory=list)
    # warn: tell the author privately; hide: also remove the post (when the bot may).
    action: Literal["warn", "hide"] = "warn"
    # Channels where the rule does not apply (staff channels are exempt anyway).
    exempt_channels: Refs = Field(default_factory=list)
