"""Alerts in the console: /meldingen (open, afgehandeld, export) and /melding NR with the buttons an alert
has in Discord: afgehandeld, onterecht, notitie TEKST, and each feature's own actions (names:
goedkeuren; reports: verwijderen, waarschuwen; heat: slowmode-uit), which /help lists."""

from __future__ import annotations

from datetime import timedelta

from compass_bot.console.app import Console
from compass_bot.console.commands import ALERT_ACTIONS_SLOT
from compass_bot.features.alerts import texts
from compass_bot.features.alerts.model import ActionDone, Alert, AlertStatus
from compass_bot.features.alerts.render import alert_as_text
from compass_bot.features.alerts.service import AlertService
from compass_bot.features.base import CommandSpec, ConsoleHooks
from compass_bot.inputs import parse_number
from compass_bot.model import Refusal
from compass_bot.registry import alert_kind_named, alert_kind_words


def _service(console: Console) -> AlertService:
    return console.app.alerts


async def cmd_meldingen(console: Console, name: str, args: list[str], rest: str) -> None:
    if console.refused("open_alerts"):
        return
    kinds = " | ".join(", ".join(words) for words in alert_kind_words().values())
    usage = f"Gebruik: /meldingen open | afgehandeld [{kinds}] [PAGINA] | export [DAGEN]"
    sub = args[0].lower() if args else "open"
    if sub in ("open", "afgehandeld"):
        words = args[1:]
        page = 1
        if words and (number := parse_number(words[-1])) is not None:  # no kind is a number
            page, words = number, words[:-1]
        typed = " ".join(words)  # "school time" is two words
        kind = alert_kind_named(typed) if typed else None
        if typed and kind is None:
            console.say(texts.unknown_rule(typed, usage))
            return
        rule = kind.rule if kind else None
        listed = (
            _service(console).open_alerts if sub == "open" else _service(console).handled_alerts
        )
        result = await listed(console.me.member, rule, page - 1)
        if isinstance(result, Refusal):
            console.bot(result.message)
            return
        console.bot(texts.open_heading(result.total, result.page, result.pages, sub != "open"))
        for alert in result.alerts:  # a handled one says by whom, when and how
            console.say(alert_as_text(alert, console.app.calendar.timetable.tz, console.labels()))
        if result.older:
            command = " ".join([f"/meldingen {sub}", *words, str(result.page + 2)])
            console.bot(texts.more_open(result.older, command))
    elif sub == "export":
        if len(args) > 2 or (len(args) == 2 and not (args[1].isascii() and args[1].isdecimal())):
            console.say(texts.not_days(" ".join(args[1:]), usage))
            return
        days = int(args[1]) if len(args) > 1 else 30
        if not 1 <= days <= 3660:
            console.say(texts.DAYS_OUT_OF_RANGE.format(usage=usage))
            return
        csv_text = await _service(console).export_alerts(
            console.me.member,
            console.now() - timedelta(days=days),
            console.now() + timedelta(seconds=1),
        )
        console.say(csv_text.message if isinstance(csv_text, Refusal) else csv_text)
    else:
        console.say(usage)


async def cmd_melding(console: Console, name: str, args: list[str], rest: str) -> None:
    actions = {word: act for h in console.hooks for word, act in h.alert_actions.items()}
    usage = "Gebruik: /melding NR " + " | ".join(
        ["afgehandeld", "onterecht", "notitie TEKST", *console.alert_action_words()]
    )
    if console.refused("handle_alert"):
        return
    number = parse_number(args[0]) if args else None  # ASCII digits that fit SQLite
    if len(args) == 1 and number is not None:  # "/melding 1": the alert itself, to read again
        alert = await _service(console).repo.alert(number)
        if alert is None:
            console.say(texts.no_such_alert(number))
        else:
            console.say(alert_as_text(alert, console.app.calendar.timetable.tz, console.labels()))
        return
    if len(args) < 2 or number is None or (len(args) > 2 and args[1].lower() != "notitie"):
        console.say(usage)  # only a note takes words: none are dropped unread
        return
    alert_id, action = number, args[1].lower()
    result: Alert | ActionDone | Refusal
    if action in ("afgehandeld", "onterecht"):
        status: AlertStatus = "resolved" if action == "afgehandeld" else "false_positive"
        result = await _service(console).set_alert_status(
            console.me.member, alert_id, status, console.now()
        )
    elif action == "notitie":
        words = rest.split(None, 2)  # the text as typed, quotes and all
        result = await _service(console).add_note(
            console.me.member, alert_id, words[2] if len(words) > 2 else "", console.now()
        )
    elif action in actions:
        result = await actions[action][1](console, alert_id)
    else:
        console.say(usage)
        return
    if isinstance(result, Refusal):
        console.bot(result.message)
    elif isinstance(result, ActionDone):
        console.bot(result.confirmation)


def hooks() -> ConsoleHooks:
    return ConsoleHooks(
        commands=(
            CommandSpec(
                ("meldingen",),
                "  /meldingen open | afgehandeld [SOORT] [PAGINA] | export [DAGEN]",
                cmd_meldingen,
            ),
            CommandSpec(
                ("melding",),
                f"  /melding NR [afgehandeld | onterecht | notitie TEKST | {ALERT_ACTIONS_SLOT}]"
                "     een melding, en de knoppen eronder",
                cmd_melding,
            ),
        ),
    )
