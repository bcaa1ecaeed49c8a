"""Names in the console: change your names (/bijnaam, /gebruikersnaam, /weergavenaam), the
leadership's /naam, the moderators' /naamcontrole, and "goedkeuren" under a name alert."""

from __future__ import annotations

from compass_bot.console.app import Console, ConsoleMember
from compass_bot.console.server import NAME_CHARS, NAME_TOO_LONG
from compass_bot.features.alerts.model import Alert
from compass_bot.features.base import CommandSpec, ConsoleHooks
from compass_bot.features.names import texts
from compass_bot.features.names.rules import CLAUSE_ID
from compass_bot.features.names.service import NameService, NamesSeen
from compass_bot.model import Refusal
from compass_bot.texts import counted

NAME_COMMANDS = {"bijnaam": "nick", "gebruikersnaam": "username", "weergavenaam": "global_name"}


def _service(console: Console) -> NameService:
    return console.app[NameService]


async def cmd_rename(console: Console, name: str, args: list[str], rest: str) -> None:
    field = NAME_COMMANDS[name]
    value = rest or None
    if field == "username" and not value:
        console.say("Een gebruikersnaam mag niet leeg zijn. / A username cannot be empty.")
        return
    if value is not None and len(value) > NAME_CHARS:
        console.say(NAME_TOO_LONG)
        return
    setattr(console.me, field, value)
    await names_changed(console, console.me)


async def names_changed(console: Console, cm: ConsoleMember, quiet: bool = False) -> None:
    """The member's names checked (a change, or `/naamcontrole`); `quiet`: nothing said when
    they are in order (a member joining)."""
    outcome = await _service(console).names_seen(
        NamesSeen(cm.member, console.now(), cm.username, cm.global_name, cm.nick, console.guild_id)
    )
    if outcome.warning:
        console.show_warning(outcome.warning, cm)
    if outcome.reset_nickname:
        cm.nick = None
        console.say(f"(bot zet de bijnaam van {cm.member.label} terug)")
    if not quiet and not outcome.flagged and not outcome.uncertain:
        console.say(f"(namen van {cm.member.label} zijn in orde)")


async def member_joined(console: Console, cm: ConsoleMember) -> None:
    """A new member's names, checked as Discord's member join checks them."""
    await names_changed(console, cm, quiet=True)


async def cmd_naam(console: Console, name: str, args: list[str], rest: str) -> None:
    sub = args[0].lower() if args else ""
    if sub == "goedkeuren" and len(args) >= 2:
        cm = console.member(args[1])
        if cm is None:
            return
        names = [n for n in (cm.username, cm.global_name, cm.nick) if n]
        result = await _service(console).approve_names(
            console.me.member, cm.member.id, names, console.now()
        )
        console.bot(
            result.message
            if isinstance(result, Refusal)
            else f"Goedgekeurd voor {cm.member.label}: " + ", ".join(f"'{a.name}'" for a in result)
        )
        if not isinstance(result, Refusal):
            console.dm(cm, texts.APPROVED_DM)  # as Discord's tell_approved
    elif sub == "lijst":
        listed = await _service(console).approved_names(console.me.member)
        if isinstance(listed, Refusal):
            console.bot(listed.message)
        else:
            labels = console.labels()
            console.bot(
                "\n".join(
                    f"{labels.get(a.member_id, f'lid {a.member_id}')}: '{a.name}'" for a in listed
                )
                or texts.NO_APPROVED_NAMES
            )
    elif sub == "intrekken" and len(args) >= 2:
        cm = console.member(args[1])
        if cm is None:
            return
        count = await _service(console).revoke_names(console.me.member, cm.member.id, console.now())
        console.bot(
            count.message
            if isinstance(count, Refusal)
            else f"{counted(count, 'goedkeuring(en)')} ingetrokken."
        )
        if not isinstance(count, Refusal):
            if count:
                console.dm(cm, texts.REVOKED_DM)  # as Discord's front tells the member
            await names_changed(console, cm, quiet=True)  # as Discord: the names checked anew
    else:
        console.say("Gebruik: /naam goedkeuren LID | lijst | intrekken LID")


async def cmd_naamcontrole(console: Console, name: str, args: list[str], rest: str) -> None:
    refused = _service(console).may_check_names(console.me.member)
    if refused is not None:
        console.bot(refused.message)
        return
    hits = 0
    for cm in list(console.members.values()):
        flagged, uncertain = _service(console).check_names(
            NamesSeen(cm.member, console.now(), cm.username, cm.global_name, cm.nick)
        )
        if flagged or uncertain:
            hits += 1
            await names_changed(console, cm)
    console.bot(texts.sweep_done(len(console.members), hits))


async def approve_from_alert(console: Console, alert_id: int) -> Alert | Refusal:
    """ "goedkeuren" under a name alert: the member's current names, as the console knows them."""
    alert = await console.app.alerts.repo.alert(alert_id)
    target = next(
        (c for c in console.members.values() if alert and c.member.id == alert.member_id), None
    )
    names = [n for n in (target.username, target.global_name, target.nick) if n] if target else []
    result = await _service(console).approve_from_alert(
        console.me.member, alert_id, names, console.now()
    )
    if target is not None and not isinstance(result, Refusal):
        console.dm(target, texts.APPROVED_DM)  # the member hears it, as on Discord
    return result


def hooks() -> ConsoleHooks:
    return ConsoleHooks(
        on_join=member_joined,
        commands=(
            CommandSpec(
                tuple(NAME_COMMANDS),
                "  /bijnaam NAAM | /gebruikersnaam NAAM | /weergavenaam NAAM               je namen wijzigen",
                cmd_rename,
            ),
            CommandSpec(("naam",), "  /naam goedkeuren LID | lijst | intrekken LID", cmd_naam),
            CommandSpec(
                ("naamcontrole",),
                "  /naamcontrole                     alle leden controleren",
                cmd_naamcontrole,
            ),
        ),
        alert_actions={"goedkeuren": (CLAUSE_ID, approve_from_alert)},
    )
