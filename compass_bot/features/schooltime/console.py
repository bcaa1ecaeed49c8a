"""School time in the console: every post is judged; /toestemming for teachers."""

from __future__ import annotations

from typing import Literal

from compass_bot.console.app import Console
from compass_bot.features.base import CommandSpec, ConsoleHooks
from compass_bot.features.schooltime import texts
from compass_bot.features.schooltime.rules import PermissionGrant
from compass_bot.features.schooltime.service import SchoolTimeService
from compass_bot.inputs import parse_number
from compass_bot.model import MessagePosted, Refusal


def _service(console: Console) -> SchoolTimeService:
    return console.app[SchoolTimeService]


async def on_post(console: Console, event: MessagePosted) -> None:
    """The post as the school-time rule sees it: a warning, or a note of the verdict."""
    outcome = await _service(console).message_posted(event)
    if outcome.warning:
        console.show_warning(outcome.warning, console.me)
    elif outcome.verdict.reason == "to_the_bot":
        pass
    elif outcome.verdict.allowed and outcome.verdict.reason != "not_watched":
        console.say(f"(geplaatst; schooltijdregel: {outcome.verdict.message})")
    if outcome.delete_post:
        console.say(f"(bot verwijdert je bericht in #{console.channel.name})")


async def cmd_toestemming(console: Console, name: str, args: list[str], rest: str) -> None:
    sub = args[0].lower() if args else ""
    if sub == "geven" and len(args) >= 3:
        scope_word, target = args[1].lower(), args[2]
        minutes = args[3] if len(args) > 3 else None  # checked by the service
        reason = " ".join(args[4:]) or None
        scope: Literal["member", "role", "channel"]
        if scope_word in ("leerling", "lid", "student"):
            cm = console.member(target)
            if cm is None:
                return
            scope, target_id, label = "member", cm.member.id, cm.member.label
        elif scope_word in ("rol", "klas", "role"):
            role = console.known_role(target)
            if role is None:
                known = ", ".join(sorted(set(console.role_names.values()), key=str.casefold))
                console.say(
                    f"Onbekende rol {target!r}. Rollen in deze server: {known} "
                    "(een nieuwe rol: /als leerling, ROL)."
                )
                return
            scope, (target_id, label) = "role", role
        elif scope_word in ("kanaal", "channel"):
            channel = console.channel_named(target, None)
            scope, target_id, label = "channel", channel.id, f"#{channel.name}"
        else:
            console.say("Gebruik: /toestemming geven leerling|rol|kanaal DOEL [MINUTEN] [REDEN]")
            return
        result = await _service(console).grant_permission(
            console.me.member,
            scope,
            target_id,
            label,
            console.now(),
            minutes,
            reason,
        )
        if isinstance(result, Refusal):
            console.bot(result.message)
        else:
            console.bot(
                f"Toestemming #{result.id} voor {label} tot {console.local(result.ends_at)}."
            )
    elif sub == "lijst":
        listed = _service(console).list_permissions(console.me.member, console.now())
        if isinstance(listed, Refusal):
            console.bot(listed.message)
        elif not listed:
            console.bot("Er is nu geen actieve toestemming.")
        else:
            console.bot("\n".join(grant_line(console, g) for g in listed))
    elif sub == "intrekken" and (number := parse_number(args[1] if len(args) >= 2 else None)):
        revoked = await _service(console).revoke_permission(
            console.me.member, number, console.now()
        )
        console.bot(
            revoked.message
            if isinstance(revoked, Refusal)
            else f"Toestemming #{revoked.id} ingetrokken."
        )
    else:
        console.say("Gebruik: /toestemming geven ... | lijst | intrekken NR")


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
                "  /toestemming geven leerling|rol|kanaal DOEL [MINUTEN] [REDEN] | lijst | intrekken NR",
                cmd_toestemming,
            ),
        ),
        on_post=on_post,
    )
