"""Run the bot on Discord until SIGINT/SIGTERM, then shut down cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

import discord

from compass_bot.config import LoadedConfig
from compass_bot.discord_front.client import CompassBot, apply_endpoints
from compass_bot.service import CompassService

log = logging.getLogger("compass_bot")


async def run_discord(loaded: LoadedConfig, token: str) -> int:
    """Log in, connect, and run until a signal or a fatal error; returns an exit code."""
    apply_endpoints(loaded.config.discord)
    service = await CompassService.create(loaded)
    bot = CompassBot(loaded, service)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    async with bot:
        try:
            await bot.login(token)
        except discord.LoginFailure:
            log.error("Discord refused the token in DISCORD_TOKEN (it is not printed here)")
            return 1
        connect = asyncio.create_task(bot.connect(), name="discord-connect")
        stopper = asyncio.create_task(stop.wait(), name="signal-wait")
        done, _pending = await asyncio.wait({connect, stopper}, return_when=asyncio.FIRST_COMPLETED)
        log.info("shutting down")
        await bot.close()
        stopper.cancel()
        if connect in done and connect.exception() is not None:
            exc = connect.exception()
            if isinstance(exc, discord.PrivilegedIntentsRequired):
                log.error(
                    "Enable the Server Members and Message Content intents for this bot in the "
                    "Discord Developer Portal (Bot > Privileged Gateway Intents)."
                )
                return 1
            log.error("the connection to Discord failed: %s", exc)
            return 1
        connect.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await connect
    return 0
