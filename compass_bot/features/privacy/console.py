"""Privacy in the console: /privacy wissen LID."""

from __future__ import annotations

from collections.abc import Mapping

from compass_bot.console.app import Console
from compass_bot.features.base import CommandSpec, ConsoleHooks
from compass_bot.features.privacy.service import PrivacyService
from compass_bot.model import Refusal
from compass_bot.registry import FEATURES
from compass_bot.texts import counted


def erased_labels() -> dict[str, str]:
    return {table: label for f in FEATURES for table, label in f.erased_labels.items()}


def erased_labels_en() -> dict[str, str]:
    return {table: label for f in FEATURES for table, label in f.erased_labels_en.items()}


def erased_summary(who: str, counts: Mapping[str, int]) -> str:
    """What was erased, Dutch then English, in each feature's own words: only what there
    was (a list of zeros reads as if something happened), or one line saying nothing was
    kept. A feature without English words for a table is named in its Dutch ones."""
    erased = [(table, n) for table, n in counts.items() if n]
    if not erased:
        return f"Over {who} was niets bewaard. / Nothing was stored about {who}."
    nl, en = erased_labels(), erased_labels_en()
    dutch = ", ".join(counted(n, nl.get(table, table)) for table, n in erased)
    english = ", ".join(counted(n, en.get(table) or nl.get(table, table)) for table, n in erased)
    return f"Alles over {who} gewist: {dutch}.\nEverything about {who} erased: {english}."


async def cmd_privacy(console: Console, name: str, args: list[str], rest: str) -> None:
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
