"""Moderator alerts as plain data: what was flagged, about whom, and where it stands.

Both front ends render these; the outbox keeps them, so an alert exists
before anyone tries to send it and nothing is lost when Discord or the bot is down.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from compass_bot.texts import counted
from compass_bot.visible import show_controls

if TYPE_CHECKING:
    from compass_bot.features.base import AlertKind

AlertStatus = Literal["open", "resolved", "false_positive"]
DeliveryState = Literal["pending", "sent"]

STATUS_LABELS: dict[str, str] = {
    "open": "Open",
    "resolved": "Afgehandeld",
    "false_positive": "Onterecht",
}


STATUS_LABELS_EN: dict[str, str] = {
    "open": "open",
    "resolved": "resolved",
    "false_positive": "marked unfounded",
}


def already_handled(alert_id: int, status: str) -> str:
    """The refusal of a second handling (a second click, a second moderator): the first one,
    and who did it, stays."""
    return (
        f"Melding {alert_id} is al {STATUS_LABELS[status].lower()}; er verandert niets."
        f" / Alert {alert_id} is already {STATUS_LABELS_EN[status]}; nothing changes."
    )


EXCERPT_LIMIT = 200
NOTE_LIMIT = 500  # a moderator's note on an alert
EXPIRED_LABEL = "(verlopen)"  # what the retention purge leaves of a member's label
WHERE_LIMIT = 10  # channels listed on a repeated alert; the rest are counted


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    rule: str
    member_id: int
    member_label: str
    created_at: datetime
    updated_at: datetime
    count: int
    status: AlertStatus
    channel_id: int | None = None
    message_id: int | None = None
    guild_id: int | None = None
    excerpt: str | None = None
    name_field: str | None = None  # for name alerts: "username", "display name" or "nickname"
    matched: str | None = None
    detail: str | None = None
    handled_by: int | None = None
    handled_at: datetime | None = None
    delivery: DeliveryState = "pending"
    delivered_message_id: int | None = None
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    # Every channel a repeated alert was flagged in, with its count, first seen first.
    channels: tuple[tuple[int, int], ...] = ()
    note: str | None = None  # a moderator's note (None once expired with the excerpt)
    note_by: int | None = None
    note_at: datetime | None = None

    def text_to_expire(self, cutoff: datetime) -> bool:
        """Whether the retention purge at `cutoff` clears something from this alert (and so
        from its message in the moderators' channel): the excerpt, the matched text or the
        member's label once the alert's last flag is older, a moderator's note once it is."""
        if self.updated_at >= cutoff:
            return False
        return (
            self.excerpt is not None
            or self.matched is not None
            or self.member_label != EXPIRED_LABEL
            or (self.note is not None and (self.note_at is None or self.note_at < cutoff))
        )

    @property
    def title(self) -> str:
        """The rule's title as its feature declared it (`AlertKind`)."""
        kind = kind_of(self.rule)
        return kind.title if kind else self.rule

    @property
    def colour(self) -> int:
        kind = kind_of(self.rule)
        return kind.colour if kind else 0x95A5A6

    def reason(self, language: str = "nl") -> str:
        """The stored reason in words, as the rule's feature reads its own codes."""
        kind = kind_of(self.rule)
        detail = self.detail or ""
        return kind.reason_text(detail, language) if kind else detail

    @property
    def involved(self) -> tuple[int, ...]:
        """The members the alert is about besides its author (a heated discussion's others),
        by id: each front shows them as names (a mention on Discord, a label in the console)."""
        kind = kind_of(self.rule)
        return kind.involved(self.detail or "") if kind else ()

    @property
    def name_field_label(self) -> str:
        """Which of a member's names a name alert is about (gebruikersnaam, bijnaam, ...)."""
        kind = kind_of(self.rule)
        field = self.name_field or ""
        return (kind.field_labels.get(field) if kind else None) or field or "naam"

    @property
    def about_a_name(self) -> bool:
        """A name alert shows the name and what matched instead of a post and its place."""
        kind = kind_of(self.rule)
        return kind is not None and kind.about == "name"

    def where(self, name: Callable[[int], str], most: int = WHERE_LIMIT) -> str | None:
        """Where it was flagged, each channel written by `name`: the channel, or for a repeat
        across channels each with its count, most first ("#algemeen x3, #gamen x1"), the
        first `most` of them and how many more (an embed field holds 1,024 characters)."""
        if len(self.channels) > 1:
            most_first = sorted(self.channels, key=lambda place: -place[1])
            shown = ", ".join(f"{name(channel)} x{count}" for channel, count in most_first[:most])
            if len(most_first) > most:
                more = len(most_first) - most
                shown += f" en nog {counted(more, 'kanaal/kanalen')} (and {more} more)"
            return shown
        return name(self.channel_id) if self.channel_id else None

    @property
    def jump_url(self) -> str | None:
        if self.guild_id and self.channel_id and self.message_id:
            return (
                f"https://discord.com/channels/{self.guild_id}/{self.channel_id}/{self.message_id}"
            )
        return None


_MASS_MENTION = re.compile(r"@(everyone|here)", re.IGNORECASE)
_USER_OR_ROLE_MENTION = re.compile(r"<(@[!&]?|#)(\d+)>")
_MARKDOWN = re.compile(r"([\\*_~`|>\[\]()#-])")
_WS = re.compile(r"\s+")
_MENTION_OUT = re.compile(r"\[@[!&]?\d+\]")  # a mention as `sanitise_excerpt` writes it


def sanitise_excerpt(text: str, limit: int = EXCERPT_LIMIT) -> str:
    """Message text made safe to show moderators: no pings, no markdown tricks, short.

    Mentions are written out as plain ids, markdown is escaped and bidirectional controls are
    shown as markers, so a student cannot make an alert ping @everyone, hide text in spoilers
    or fake links, or reorder what the moderators read.
    """
    text = show_controls(_WS.sub(" ", text).strip())
    text = _MASS_MENTION.sub(lambda m: "@\u200b" + m.group(1), text)
    text = _USER_OR_ROLE_MENTION.sub(lambda m: f"[{m.group(1)}{m.group(2)}]", text)
    if len(text) > limit:
        cut = limit - 1
        # never inside a written-out mention ("[@4123…"): an erasure could not find it whole
        start = text.rfind("[", 0, cut)
        if start != -1 and (whole := _MENTION_OUT.match(text, start)) and whole.end() > cut:
            cut = start
        text = text[:cut].rstrip() + "…"
    return _MARKDOWN.sub(r"\\\1", text)


_ESCAPED = re.compile(r"\\([\\*_~`|>\[\]()#-])")


def unescape_excerpt(text: str) -> str:
    """A stored excerpt as plain text, for a terminal: the markdown escapes only serve Discord."""
    return _ESCAPED.sub(r"\1", text)


def kind_of(rule: str) -> AlertKind | None:
    """The declared kind of a rule's alerts (collected from the features by the registry)."""
    from compass_bot.registry import alert_kinds

    return alert_kinds().get(rule)


@dataclass(frozen=True, slots=True)
class ActionDone:
    """A feature's action under an alert that did something beyond the alert (a message
    deleted, a DM sent, a slowmode ended): the alert to show again, and the line that tells
    the moderator it was done (the same on Discord and the console)."""

    alert: Alert
    confirmation: str
