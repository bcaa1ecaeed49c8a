"""School time in the console: every post is judged; /toestemming for teachers."""

from __future__ import annotations

import re
from typing import Literal

from compass_bot.console.app import Console
from compass_bot.features.base import CommandSpec, ConsoleHooks
from compass_bot.features.schooltime import texts
from compass_bot.features.schooltime.rules import ChannelInfo
from compass_bot.features.schooltime.rules_grants import (
    CLOCK_TIME,
    PermissionGrant,
    split_duration,
)
from compass_bot.features.schooltime.service import SchoolTimeService
from compass_bot.inputs import parse_number
from compass_bot.model import MessagePosted, Refusal, Role
from compass_bot.texts import quoted

_GRANT_NUMBER = re.compile(r"#?[0-9]+")


def _service(console: Console) -> SchoolTimeService:
    return console.app[SchoolTimeService]


async def on_post(console: Console, event: MessagePosted) -> None:
    """The post as the school-time rule sees it: a warning, or a note of the verdict."""
    await tell_cut_grants(console)
    outcome = await _service(console).message_posted(event)
    if outcome.warning:
        console.show_warning(outcome.warning, console.me)
    elif outcome.verdict.reason == "to_the_bot":
        pass
    elif outcome.verdict.allowed and outcome.verdict.reason != "not_watched":
        console.say(f"(geplaatst; schooltijdregel: {outcome.verdict.message})")
    if outcome.delete_post:
        if event.message_id is not None:
            console.removed_posts.add(event.message_id)
        console.say(f"(bot verwijdert je bericht in #{console.channel.name})")


def _duration_start_and_reason(
    words: list[str],
) -> tuple[str | None, str | None, str | None]:
    """`[DUUR] [vanaf [DAG] TIJD] [DUUR] [REDEN]`: the duration (before or right after the
    start; checked by the service, so `-5` or `1.5` is refused there), the start and the
    reason."""
    minutes, words = split_duration(words)
    start, words = _start(words)
    if start is not None and minutes is None:
        minutes, words = split_duration(words)
    return minutes, start, " ".join(words) or None


def _start(words: list[str]) -> tuple[str | None, list[str]]:
    """`vanaf 13:30 ...` or `vanaf morgen 8:30 ...`: the start (up to its clock time; checked
    by the service) and the words after it."""
    if not words or words[0].lower() not in ("vanaf", "from"):
        return None, words
    for end, word in enumerate(words[1:4], start=2):
        if CLOCK_TIME.fullmatch(word):
            return " ".join(words[1:end]), words[end:]
    return " ".join(words[1:3]), words[3:]  # the service says what is wrong


async def tell_cut_grants(console: Console) -> None:
    """The teacher's DM when the end of the school day has cut a grant short (in Discord a
    loop does this every minute; the console looks whenever something happens)."""
    service = _service(console)
    now = console.now()
    for grant in await service.cut_short_ended(now):
        teacher = next(
            (cm for cm in console.members.values() if cm.member.id == grant.granted_by), None
        )
        target = console.labels().get(grant.target_id, str(grant.target_id))
        if teacher is not None:
            console.dm(teacher, service.end_notice(grant, target))
        await service.end_told(grant.id, now)


def _tell_covered(console: Console, grant: PermissionGrant, notice: str) -> None:
    """What the students a grant covers are told (given or revoked): a DM each, or a line
    in the channel."""
    if grant.scope == "channel":
        where = console.labels().get(grant.target_id, "?").lstrip("#")
        console.say(f"[bot · #{where}] " + notice.replace("\n", "\n    "))
        return
    for cm in console.members.values():
        if cm.member.id == grant.target_id or (
            grant.scope == "role" and any(r == grant.target_id for r, _ in cm.member.roles)
        ):
            console.dm(cm, notice)


async def cmd_toestemming(console: Console, name: str, args: list[str], rest: str) -> None:
    await tell_cut_grants(console)
    sub = args[0].lower() if args else ""
    if (refused := _service(console).refusal(console.me.member, sub == "lijst")) is not None:
        console.bot(refused.message)  # teachers only, whatever the words
        return
    if sub == "geven" and len(args) >= 3:
        scope_word, target = args[1].lower(), args[2]
        minutes, start, reason = _duration_start_and_reason(args[3:])
        scope: Literal["member", "role", "channel"]
        target_roles: tuple[Role, ...]
        granted_channel: ChannelInfo | None = None  # a channel's own grant: is it watched?
        if scope_word in ("leerling", "lid", "student"):
            cm = console.member(target)
            if cm is None:
                return
            scope, target_id, label = "member", cm.member.id, cm.member.label
            target_roles = cm.member.roles
        elif scope_word in ("rol", "klas", "role"):
            role = console.known_role(target)
            if role is None:
                known = ", ".join(sorted(set(console.role_names.values()), key=str.casefold))
                console.say(texts.UNKNOWN_ROLE.format(role=quoted(target), known=known))
                return
            scope, (target_id, label), target_roles = "role", role, (role,)
        elif scope_word in ("kanaal", "channel"):
            if (typo := console.typo_of_channel(target)) is not None:
                console.say(typo)  # allowing a channel nobody posts in: students stay warned
                return
            channel = console.channel_named(target, None)
            if channel.name == "dm":  # a DM is no channel of the server: nothing to allow
                console.say(texts.GRANT_TO_DM)
                return
            scope, target_id, label = "channel", channel.id, f"#{channel.name}"
            target_roles = ()
            granted_channel = channel
        else:
            console.say(
                "Gebruik: /toestemming geven leerling|rol|kanaal DOEL [MINUTEN] "
                "[vanaf [DAG] TIJD] [REDEN]"
            )
            return
        service, now = _service(console), console.now()
        result = await service.grant_permission(
            console.me.member,
            scope,
            target_id,
            label,
            now,
            minutes,
            reason,
            start,
            target_roles=target_roles,
            target_channel=granted_channel,
        )
        if isinstance(result, Refusal):
            console.bot(result.message)
        else:
            when = (
                f"tot {console.local(result.ends_at)}"
                if result.starts_at <= now
                else f"van {console.local(result.starts_at)} tot {console.local(result.ends_at)}"
            )
            note = service.cut_note(result, minutes, reason)
            console.bot(f"Toestemming #{result.id} voor {label} {when}." + (note and f" {note}"))
            _tell_covered(console, result, service.covered_notice(result, now))
    elif sub == "lijst":
        listed = _service(console).list_permissions(console.me.member, console.now())
        if isinstance(listed, Refusal):
            console.bot(listed.message)
        elif not listed:
            console.bot(texts.NO_ACTIVE_GRANTS)
        else:
            console.bot("\n".join(grant_line(console, g) for g in listed))
    elif sub == "intrekken" and len(args) == 2 and _GRANT_NUMBER.fullmatch(args[1]):
        number = parse_number(args[1])  # ASCII digits that fit SQLite; else no such grant
        if number is None:
            console.bot(texts.NO_SUCH_GRANT.format(id=shown_number(args[1])))
            return
        revoked = await _service(console).revoke_permission(
            console.me.member, number, console.now()
        )
        if isinstance(revoked, Refusal):
            console.bot(revoked.message)
            return
        console.bot(texts.REVOKED.format(id=revoked.id))
        _tell_covered(console, revoked, _service(console).revoked_notice(revoked, console.now()))
    else:
        console.say("Gebruik: /toestemming geven ... | lijst | intrekken NR")


def shown_number(typed: str) -> str:
    """A grant number as typed (ASCII digits), for a refusal: cut to a readable length."""
    digits = typed.lstrip("#")
    return digits if len(digits) <= 20 else digits[:20] + "…"


def grant_line(console: Console, g: PermissionGrant) -> str:
    target = console.labels().get(g.target_id, str(g.target_id))
    return (
        f"#{g.id} {texts.SCOPE_LABELS.get(g.scope, g.scope)} {target}: "
        f"{console.local(g.starts_at)} tot {console.local(g.ends_at)}"
        + (f" ({g.reason})" if g.reason else "")
    )


def hooks() -> ConsoleHooks:
    return ConsoleHooks(
        commands=(
            CommandSpec(
                ("toestemming",),
                "  /toestemming geven leerling|rol|kanaal DOEL [MINUTEN] [vanaf [DAG] TIJD] [REDEN]"
                " | lijst | intrekken NR",
                cmd_toestemming,
            ),
        ),
        on_post=on_post,
    )
