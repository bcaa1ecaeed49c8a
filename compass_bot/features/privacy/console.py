"""Privacy in the console: /privacy wissen LID."""

from __future__ import annotations

from compass_bot.console.app import Console
from compass_bot.features.base import CommandSpec, ConsoleHooks
from compass_bot.features.privacy.service import PrivacyService
from compass_bot.features.privacy.texts import erased_summary
from compass_bot.model import Refusal


async def cmd_privacy(console: Console, name: str, args: list[str], rest: str) -> None:
    if console.refused("erase"):  # before anything is looked up: no member's name is told
        return
    if len(args) < 2 or args[0].lower() != "wissen":
        console.say("Gebruik: /privacy wissen LID")
        return
    cm = console.member(args[1])
    if cm is None:
        return
    result = await console.app[PrivacyService].erase(
        console.me.member, cm.member.id, console.now(), label=cm.member.label
    )
    console.bot(
        result.message if isinstance(result, Refusal) else erased_summary(cm.member.label, result)
    )


def hooks() -> ConsoleHooks:
    return ConsoleHooks(
        commands=(CommandSpec(("privacy",), "  /privacy wissen LID", cmd_privacy),),
    )
