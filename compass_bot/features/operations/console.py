"""`/status` in the console: the console's own database, the intents the config asks for."""

from __future__ import annotations

from compass_bot.console.app import Console
from compass_bot.features.base import CommandSpec, ConsoleHooks
from compass_bot.features.operations import texts
from compass_bot.features.operations.service import OperationsService
from compass_bot.ops import OpsError, PrivilegedIntents
from compass_bot.refs import describe_ref


async def cmd_status(console: Console, name: str, args: list[str], rest: str) -> None:
    service = console.app[OperationsService]
    refusal = service.refusal(console.me.member)
    if refusal is not None:
        console.bot(refusal.message)
        return
    config = console.app.config
    guild = config.discord.guild
    # The school's name in a board's file, else its server as configured.
    school = console.app.loaded.school or (
        guild if isinstance(guild, str) else describe_ref(guild) if guild else "-"
    )
    intents = PrivilegedIntents(config.discord.message_content, config.discord.members)
    try:
        status = await service.status([school], intents)
    except OpsError as exc:
        console.bot(texts.UNREADABLE.format(detail=exc))
        return
    # The console's alert "messages" are not Discord messages: their ids tell no time.
    console.bot(texts.status_text(status, console.app.calendar.timetable.tz, deliveries=False))


def hooks() -> ConsoleHooks:
    return ConsoleHooks(
        commands=(
            CommandSpec(
                ("status",),
                "  /status                          de stand van de bot (moderatoren, schoolleiding)",
                cmd_status,
            ),
        ),
    )
