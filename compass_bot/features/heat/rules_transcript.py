"""Transcripts for the command line and the benchmark: one channel's messages, replayed live."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from compass_bot.features.heat.rules_model import HeatModel, shipped_model
from compass_bot.features.heat.rules_signals import read
from compass_bot.features.heat.rules_watch import ChannelWatch
from compass_bot.features.heat.rules_window import Heat, HeatSettings, Post

_UTC: Final = ZoneInfo("UTC")
MAX_TEXT_CHARS: Final = 4000  # Discord's longest post; longer text is read up to here
_MENTION: Final = re.compile(r"@([^\s@,.:;!?]+)")
_DEFAULT_SETTINGS: Final = HeatSettings()


class TranscriptError(ValueError):
    """A transcript message that cannot be used; the message is one line."""


@dataclass(frozen=True, slots=True)
class Message:
    """One message of a transcript as written: the author's name, the time, the text."""

    author: str
    at: datetime
    text: str
    reply_to: int | None = None  # index of an earlier message


def parse_message(obj: object, index: int, previous: datetime | None = None) -> Message:
    """A transcript message from its decoded JSON: `{"author", "at", "text", "reply_to"}`."""
    from compass_bot.inputs import InputError, parse_moment
    from compass_bot.inputs import shown_json as shown

    if not isinstance(obj, dict):
        raise TranscriptError(f"expected a JSON object, got {type(obj).__name__}")
    missing = [key for key in ("author", "at", "text") if key not in obj]
    if missing:
        raise TranscriptError(f'"{missing[0]}" is missing (each line: author, at, text)')
    author, at, text = obj.get("author"), obj.get("at"), obj.get("text")
    reply_to = obj.get("reply_to")
    if not isinstance(author, str) or not author.strip():
        raise TranscriptError(f'"author" must be a non-empty string, got {shown(author)}')
    if not isinstance(at, str):
        raise TranscriptError(f'"at" must be an ISO-8601 date-time string, got {shown(at)}')
    if not isinstance(text, str):
        raise TranscriptError(f'"text" must be a string, got {shown(text)}')
    if reply_to is not None and index == 0:
        raise TranscriptError(
            f'"reply_to" must be null on the first message, got {shown(reply_to)}'
        )
    if reply_to is not None and (
        isinstance(reply_to, bool) or not isinstance(reply_to, int) or not 0 <= reply_to < index
    ):
        raise TranscriptError(
            f'"reply_to" must be null or the index of an earlier message (0..{index - 1}), '
            f"got {shown(reply_to)}"
        )
    try:
        moment = parse_moment(at, _UTC, '"at"')
    except InputError as exc:
        raise TranscriptError(str(exc)) from None
    if previous is not None and moment < previous:
        raise TranscriptError(f'"at" {at} is earlier than the message before it')
    return Message(author.strip(), moment, text[:MAX_TEXT_CHARS], reply_to)


def replay(
    messages: Sequence[Message],
    settings: HeatSettings = _DEFAULT_SETTINGS,
    model: HeatModel | None = None,
) -> list[Heat]:
    """The rule's verdict after each message, as the bot would have acted live (`model`: the
    shipped learned model unless given; `rules_model.OFF` for the lexicon alone)."""
    model = shipped_model() if model is None else model
    watch = ChannelWatch(settings, model=model)
    return [watch.observe(post) for post in transcript_posts(messages, model)]


def transcript_posts(messages: Sequence[Message], model: HeatModel | None = None) -> list[Post]:
    """The messages as the bot's posts (signals, reply and mention targets as member ids).

    Authors get ids in order of appearance; "@name" of an author in the text is a mention. A
    bare name ("kijk sem") is not: the live bot reads only Discord's own mentions
    (`message.mentions`, `discord_ext.check_post`), so a replay that read names would measure
    more than the bot can see.
    """
    ids: dict[str, int] = {}
    for message in messages:
        ids.setdefault(message.author.casefold(), len(ids) + 1)
    out: list[Post] = []
    for index, message in enumerate(messages):
        mentioned = frozenset(
            ids[name]
            for name in (m.casefold() for m in _MENTION.findall(message.text))
            if name in ids
        )
        reply = (
            messages[message.reply_to].author.casefold() if message.reply_to is not None else None
        )
        signals, said = read(message.text, model=model)
        out.append(
            Post(
                author=ids[message.author.casefold()],
                at=message.at,
                signals=signals,
                reply_to=ids[reply] if reply is not None else None,
                mentions=mentioned,
                message_id=index,
                said=said,
            )
        )
    return out
