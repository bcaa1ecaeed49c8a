"""The digest in the console: `/overzicht [week]` prints it and writes the chart beside the
console's database."""

from __future__ import annotations

from compass_bot.atomic import SHARED, write_atomically
from compass_bot.console.app import Console
from compass_bot.features.base import CommandSpec, ConsoleHooks
from compass_bot.features.digest import texts
from compass_bot.features.digest.chart import render_chart
from compass_bot.features.digest.rules import WeekError
from compass_bot.features.digest.service import DigestService


def title_of(console: Console, language: str) -> texts.TitleOf:
    return texts.clause_titles(console.app.book, language)


async def cmd_overzicht(console: Console, name: str, args: list[str], rest: str) -> None:
    service = console.app[DigestService]
    refusal = service.refusal(console.me.member)
    if refusal is not None:
        console.bot(refusal.message)
        return
    if len(args) > 1:
        console.say("Gebruik: /overzicht [JJJJ-Www], bijvoorbeeld /overzicht 2026-W48")
        return
    now = console.now()
    try:
        period = service.period(args[0] if args else None, now)
    except WeekError as exc:
        language = service.settings.language
        console.say(texts.week_problem(exc.in_language(language), language))
        return
    language = service.settings.language
    digest = await service.digest(period, now)
    loaded = console.app.loaded
    png = await render_chart(digest, language, loaded.console_database_path, loaded.school)
    path = loaded.console_database_path.parent / texts.png_name(digest, loaded.school)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, png, mode=SHARED)  # whole or not at all, as `digest --png`
    console.bot(
        texts.as_text(digest, language, title_of(console, language), loaded.school)
        + "\n"
        + texts.labels(language)["chart"].format(path=path)
    )


def hooks() -> ConsoleHooks:
    return ConsoleHooks(
        commands=(
            CommandSpec(
                ("overzicht", "digest"),
                "  /overzicht [JJJJ-Www]            het weekoverzicht (moderatoren, schoolleiding)",
                cmd_overzicht,
            ),
        ),
    )
