"""Reports in the console: /melden N (the N-th last message of this channel) and /melden lid
NAAM, each with a reason word and an optional note; under a report alert "verwijderen" and
"waarschuwen" as the buttons in Discord."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from difflib import get_close_matches

from compass_bot.console.app import Console
from compass_bot.features.alerts.model import ActionDone
from compass_bot.features.base import CommandSpec, ConsoleHooks
from compass_bot.features.reports import texts
from compass_bot.features.reports.rules import REASON_BY_CODE, REASON_BY_WORD, REASONS, RULE
from compass_bot.features.reports.service import ReportRequest, ReportService
from compass_bot.model import Member, MessagePosted, Refusal
from compass_bot.texts import quoted

RECENT = 50  # posts kept per channel, in the console's memory only
STATE_KEY = "reports.recent"
USAGE = (
    "Gebruik: /melden N [REDEN] [TOELICHTING] of /melden lid NAAM [REDEN] [TOELICHTING]; "
    "N=1 is het laatste bericht hier; redenen: " + ", ".join(REASON_BY_CODE)
)
USAGE_EN = (
    "Usage: /report N [REASON] [NOTE] or /report member NAME [REASON] [NOTE]; N=1 is the last "
    "message here; reasons: " + ", ".join(r.word_en for r in REASONS)
)
IN_A_CHANNEL = {
    "nl": "Melden kan alleen in een kanaal van de server. ",
    "en": "You can only report in a channel of the server. ",
}
NO_SUCH_POST = {
    "nl": "Er is geen bericht nummer {n} in #{channel} (er zijn er {count}). ",
    "en": "There is no message number {n} in #{channel} (there are {count}). ",
}
UNKNOWN_REASON = {
    "nl": "Onbekende reden {typed}. Bedoelde je {meant}?",
    "en": "Unknown reason {typed}. Did you mean {meant}?",
}


@dataclass(frozen=True, slots=True)
class _Post:
    member: Member
    message_id: int
    content: str


def _recent(console: Console) -> dict[int, deque[_Post]]:
    found = console.state.get(STATE_KEY)
    if not isinstance(found, dict):
        found = {}
        console.state[STATE_KEY] = found
    return found


def _service(console: Console) -> ReportService:
    return console.app[ReportService]


async def on_post(console: Console, event: MessagePosted) -> None:
    """Keep the channel's last posts, so /melden N can point at one."""
    if event.message_id is None:
        return
    posts = _recent(console).setdefault(event.channel.id, deque(maxlen=RECENT))
    posts.append(_Post(event.member, event.message_id, event.content))


def _reason_and_note(words: list[str], language: str) -> tuple[str, str | None] | str:
    """The reason word and the note; without a reason word the whole text is the note
    ("iets anders"), as the usage line promises. A first word that looks like a misspelt
    reason ("pestn") is no note: the line refusing it, with the reason meant, instead."""
    if not words:
        return "anders", None
    typed = words[0].lower()
    if (reason := REASON_BY_WORD.get(typed)) is not None:  # "pesten" or "bullying"
        return reason.code, " ".join(words[1:]) or None
    # five letters at least: "naar" (a note's first word) is no misspelt "naam"
    meant = get_close_matches(typed, REASON_BY_WORD, n=1, cutoff=0.8) if len(typed) >= 5 else []
    if meant:
        return UNKNOWN_REASON[language].format(typed=quoted(words[0]), meant=meant[0])
    return "anders", " ".join(words)


async def cmd_melden(console: Console, name: str, args: list[str], rest: str) -> None:
    """/melden in Dutch; /report gets its answers (usage, refusals, the thanks) in English."""
    language = "en" if name == "report" else "nl"
    usage = USAGE_EN if language == "en" else USAGE
    if console.channel.name == "dm":
        console.say(IN_A_CHANNEL[language] + usage)
        return
    request: ReportRequest
    if len(args) >= 2 and args[0].lower() in ("lid", "member"):
        cm = console.member(args[1], language)
        if cm is None:
            return
        parsed = _reason_and_note(args[2:], language)
        if isinstance(parsed, str):
            console.say(parsed)
            return
        request = ReportRequest(
            reporter=console.me.member,
            reported=cm.member,
            reason=parsed[0],
            at=console.now(),
            guild_id=console.guild_id,
            note=parsed[1],
        )
    elif args and args[0].isascii() and args[0].isdecimal():
        removed = console.removed_posts  # the bot removed them: no longer there to report
        kept = _recent(console).get(console.channel.id, deque())
        posts = [p for p in kept if p.message_id not in removed]
        n = int(args[0])
        parsed = _reason_and_note(args[1:], language)
        if isinstance(parsed, str):
            console.say(parsed)
            return
        if not 1 <= n <= len(posts):
            console.say(
                NO_SUCH_POST[language].format(n=n, channel=console.channel.name, count=len(posts))
                + usage
            )
            return
        post = posts[-n]
        request = ReportRequest(
            reporter=console.me.member,
            reported=post.member,
            reason=parsed[0],
            at=console.now(),
            guild_id=console.guild_id,
            channel_id=console.channel.id,
            message_id=post.message_id,
            content=post.content,
            note=parsed[1],
        )
    else:
        console.say(usage)
        return
    result = await _service(console).file(request, language)
    console.bot(result.message if isinstance(result, Refusal) else result.confirmation)


async def delete_from_alert(console: Console, alert_id: int) -> ActionDone | Refusal:
    service = _service(console)
    alert = await service.message_to_delete(console.me.member, alert_id)
    if isinstance(alert, Refusal):
        return alert
    if alert.message_id in console.removed_posts:  # hidden for data, or deleted in lesson time
        return Refusal(texts.ALREADY_DELETED)
    await service.message_deleted(console.me.member, alert, console.now())
    if alert.message_id is not None:
        console.removed_posts.add(alert.message_id)
    return ActionDone(alert, texts.DELETED)


async def warn_from_alert(console: Console, alert_id: int) -> ActionDone | Refusal:
    service = _service(console)
    result = await service.warn_author(console.me.member, alert_id)
    if isinstance(result, Refusal):
        return result
    target = next(
        (c for c in console.members.values() if c.member.id == result.alert.member_id), None
    )
    if target is None:
        return Refusal(texts.MEMBER_GONE)
    console.show_warning(result.warning, target)
    await service.author_warned(console.me.member, result, console.now())
    return ActionDone(result.alert, texts.WARNED)


def hooks() -> ConsoleHooks:
    return ConsoleHooks(
        commands=(
            CommandSpec(
                ("melden", "report"),
                "  /melden N [REDEN] [TEKST] | /melden lid NAAM [REDEN] [TEKST]           een bericht of lid melden"
                " (/report: in English)",
                cmd_melden,
            ),
        ),
        on_post=on_post,
        alert_actions={
            "verwijderen": (RULE, delete_from_alert),
            "waarschuwen": (RULE, warn_from_alert),
        },
    )
