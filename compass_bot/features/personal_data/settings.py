"""The `personal_data:` config section (protocol aanwijzing-6)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from compass_bot.inputs import as_list
from compass_bot.refs import Ref

Refs = Annotated[list[Ref], BeforeValidator(as_list)]
Words = Annotated[list[str], BeforeValidator(as_list)]


class PersonalDataSettings(BaseModel):
    """Protocol aanwijzing-6: phone numbers, addresses, live locations ... in posts.

    Unknown keys are refused (extra="forbid"): a typo must not silently switch it off.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    # The school's own public contacts (address, reception number, helplines): never flagged.
    allowed: Words = Field(default_factory=list)
    # warn: tell the author privately; hide: also remove the post (when the bot may).
    action: Literal["warn", "hide"] = "warn"
    # Channels where the rule does not apply (staff channels are exempt anyway).
    exempt_channels: Refs = Field(default_factory=list)
