"""The plain vocabulary every feature and both front ends share: who, what was posted, and
the two answers a use case gives a person (done, or refused and why)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from compass_bot.features.schooltime.rules import Author, ChannelInfo
from compass_bot.policy import Clause

Role = tuple[int, str]
# Discord's longest message (4,000 with Nitro): a longer post or draft never reaches a channel
MESSAGE_LIMIT: Final = 2000


@dataclass(frozen=True, slots=True)
class Member:
    """A server member as the services need it: id, a label for moderators, and roles."""

    id: int
    label: str
    roles: tuple[Role, ...] = ()

    def author(self) -> Author:
        return Author(member_id=self.id, roles=self.roles)


@dataclass(frozen=True, slots=True)
class MessagePosted:
    """A post as every message rule reads it (school time, other people's data, heat)."""

    member: Member
    channel: ChannelInfo
    at: datetime
    content: str
    message_id: int | None = None
    guild_id: int | None = None
    to_the_bot: bool = False  # a mention of the bot, a reply to it, or the questions channel


@dataclass(frozen=True, slots=True)
class Warning:
    """A friendly warning to one member, citing a clause verbatim: Dutch first, then the same
    in English (`english`, with the clause's English text) where the feature gives it."""

    intro: str
    clause: Clause
    closing: str
    fallback: str  # the short in-channel version when the member's DMs are closed
    english: str = ""  # the English second part of the DM, shown apart so neither is cut
    fallback_en: str = ""  # the English line under the short in-channel version

    def short(self, also: str = "", also_en: str = "") -> str:
        """The in-channel version: the Dutch line (plus `also`), then the English line (plus
        `also_en`)."""
        dutch = f"{self.fallback} {also}".strip()
        english = f"{self.fallback_en} {also_en}".strip() if self.fallback_en else ""
        return f"{dutch}\n{english}" if english else dutch


@dataclass(frozen=True, slots=True)
class Refusal:
    """An action the member may not take; the front end shows it privately."""

    message: str


@dataclass(frozen=True, slots=True)
class Done:
    message: str
