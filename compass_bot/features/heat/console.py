"""Cooling down in the console: play several members in turn (`/als`) and see the nudge, the
slowmode and the alert as on Discord; `/afkoelen` for staff; "slowmode-uit" under the alert."""

from __future__ import annotations

from compass_bot.console.app import Console
from compass_bot.features.alerts.model import ActionDone
from compass_bot.features.alerts.texts import no_such_alert
from compass_bot.features.base import CommandSpec, ConsoleHooks
from compass_bot.features.heat import texts
from compass_bot.features.heat.repo import Slowmode
from compass_bot.features.heat.service import (
    ACTION,
    CLAUSE_ID,
    HeatPost,
    HeatService,
    SlowmodeOrder,
)
from compass_bot.features.heat.watching import ChannelInfo
from compass_bot.mentions import CONSOLE_MENTION
from compass_bot.model import Member, MessagePosted, Refusal

USAGE = (
    "Gebruik: /afkoelen start [#KANAAL] [MINUTEN] | stop [#KANAAL] | uit [#KANAAL] | aan [#KANAAL]"
)


def _service(console: Console) -> HeatService:
    return console.app[HeatService]


def _in_channel(console: Console, channel: ChannelInfo, text: str) -> None:
    """What the bot posts in a channel, as everyone there sees it."""
    console.say(f"[bot · #{channel.name}] " + text.replace("\n", "\n    "))


async def _restore_due(console: Console) -> None:
    """The console's slowmodes run out on its clock (the Discord task's job)."""
    service = _service(console)
    for slowmode in service.due_slowmodes(console.now()):
        await _restore(console, slowmode, None)


async def _restore(console: Console, slowmode: Slowmode, actor: Member | None) -> str:
    """End a slowmode; what the staff member who ended it is told (as on Discord). One that
    ran out is narrated: nobody asked."""
    await _service(console).slowmode_ended(slowmode.channel_id, console.now(), actor)
    name = console.labels().get(slowmode.channel_id, str(slowmode.channel_id))
    if actor is None:
        console.say(
            f"(slowmode in {name} is voorbij: weer {slowmode.previous_seconds} seconden tussen "
            "berichten)"
        )
    return texts.STOPPED.format(channel=name.lstrip("#"), seconds=slowmode.previous_seconds)


async def _apply(console: Console, order: SlowmodeOrder, actor: Member | None = None) -> None:
    """The console may always manage its channels (it has no channel permissions). The staff
    member who started it gets Discord's reply; the bot's own slowmode is narrated."""
    await _service(console).slowmode_set(order, 0, console.now())
    if actor is None:
        console.say(
            f"(bot zet slowmode in #{order.channel_name}: {order.seconds} seconden tot "
            f"{console.local(order.until)})"
        )
    else:
        tz = console.app.calendar.timetable.tz
        until, now = order.until.astimezone(tz), console.now().astimezone(tz)
        console.bot(texts.started(order.channel_name, until, now, order.seconds))
    _in_channel(console, console.channels[order.channel_id], order.notice)


async def on_post(console: Console, event: MessagePosted) -> None:
    await _restore_due(console)
    known = {cm.member.label.casefold(): cm.member for cm in console.members.values()}
    mentions = tuple(
        known[name.casefold()]
        for name in CONSOLE_MENTION.findall(event.content)
        if name.casefold() in known
    )
    outcome = await _service(console).observe(HeatPost(event=event, mentions=mentions))
    if outcome.nudge is not None:
        _in_channel(console, event.channel, outcome.nudge)
    if outcome.slowmode is not None:
        await _apply(console, outcome.slowmode)


def _channel(console: Console, args: list[str]) -> tuple[ChannelInfo, list[str]]:
    if args and args[0].startswith("#"):
        return console.channel_named(args[0], None), args[1:]
    return console.channel, args


async def cmd_afkoelen(console: Console, name: str, args: list[str], rest: str) -> None:
    await _restore_due(console)
    if console.refused(ACTION):  # every /afkoelen is staff's: said before any usage line
        return
    sub = args[0].lower() if args else ""
    typo = console.typo_of_channel(args[1]) if len(args) > 1 and args[1][:1] == "#" else None
    if typo is not None:
        console.say(typo)
        return
    channel, more = _channel(console, args[1:])
    if channel.name == "dm" and sub in ("start", "stop", "uit", "aan"):
        console.say(f"{texts.IN_A_CHANNEL} {USAGE}")
        return
    service = _service(console)
    actor = console.me.member
    if sub == "start":  # the minutes as a permission's: "20", "1 uur", "1,5 uur", "1u30"
        order = service.start_slowmode(actor, channel, console.now(), " ".join(more) or None)
        if isinstance(order, Refusal):
            console.bot(order.message)
        else:
            await _apply(console, order, actor)
    elif sub == "stop" and not more:
        running = service.stop_slowmode(actor, channel.id, channel.name)
        if isinstance(running, Refusal):
            console.bot(running.message)
        else:
            console.bot(await _restore(console, running, actor))
    elif sub in ("uit", "aan") and not more:
        result = await service.set_watching(actor, channel, sub == "aan", console.now())
        console.bot(result.message)
    else:
        console.say(USAGE)


async def slowmode_off(console: Console, alert_id: int) -> ActionDone | Refusal:
    """ "slowmode-uit" under a heat alert (`/melding NR slowmode-uit`)."""
    service = _service(console)
    running = await service.slowmode_for_alert(console.me.member, alert_id)
    if isinstance(running, Refusal):
        return running
    stopped = await _restore(console, running, console.me.member)
    alert = await console.app.alerts.repo.alert(alert_id)
    if alert is None:
        return Refusal(no_such_alert(alert_id))
    return ActionDone(alert, stopped)


def hooks() -> ConsoleHooks:
    return ConsoleHooks(
        commands=(
            CommandSpec(("afkoelen",), "  " + USAGE.removeprefix("Gebruik: "), cmd_afkoelen),
        ),
        on_post=on_post,
        alert_actions={"slowmode-uit": (CLAUSE_ID, slowmode_off)},
    )
