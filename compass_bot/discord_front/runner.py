"""Run the bot on Discord until SIGINT/SIGTERM, then shut down cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from dataclasses import dataclass

import aiohttp
import discord
import yarl

from compass_bot.app import App
from compass_bot.clock import Clock
from compass_bot.config import LoadedConfig
from compass_bot.discord_front.client import CompassBot, apply_endpoints, privileged_refused
from compass_bot.discord_front.schools import School
from compass_bot.features.alerts.service import StorageEvent, StorageListener
from compass_bot.texts import for_count

log = logging.getLogger("compass_bot")

# The bot's exit codes, which the systemd unit (deploy/compass-bot.service) acts on.
EXIT_STOPPED = 0  # stopped by SIGINT/SIGTERM
EXIT_UNEXPECTED = 1  # anything else (a crash): worth a restart
EXIT_SETUP = 2  # the config, the token, an intent, the database: a person must fix it first


@dataclass(frozen=True)
class Backoff:
    """The pauses between login attempts that failed by themselves (no network, Discord down).

    The bot waits in-process rather than exiting for systemd to start it again: a login is
    no gateway session, so waiting costs Discord nothing, while systemd's start limit stays
    free to stop a crash loop (each of its starts is a session; Discord resets a token past
    1,000 a day)."""

    first: float = 10.0
    most: float = 300.0

    def after(self, delay: float) -> float:
        return min(delay * 2, self.most)


def login_transient(exc: BaseException) -> bool:
    """Whether a failed login may work by itself later (the network or Discord is down), so
    the bot should keep trying, as it must not for a refused token."""
    if isinstance(exc, discord.DiscordServerError):
        return True
    if isinstance(exc, discord.HTTPException):
        return False  # Discord answered, and refused: trying again changes nothing
    return isinstance(
        exc, aiohttp.ClientConnectionError | ConnectionError | asyncio.TimeoutError | OSError
    )


def login_failure(exc: BaseException, api_base_url: str) -> str:
    """One line for a failed login: what went wrong and what to check (never the token)."""
    host = yarl.URL(api_base_url).host or api_base_url
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return (
            f"cannot log in to Discord: the name {host} does not resolve (DNS); "
            "check the network connection and discord.api_base_url"
        )
    if isinstance(exc, aiohttp.ClientConnectorError | ConnectionError):
        return (
            f"cannot log in to Discord: no connection to {host} ({exc.strerror or 'refused'}); "
            "check the network, a firewall or proxy, and discord.api_base_url"
        )
    if isinstance(exc, discord.DiscordServerError):
        return (
            f"cannot log in to Discord: Discord answered {exc.status} (a problem on Discord's "
            "side); try again later, see https://discordstatus.com"
        )
    if isinstance(exc, discord.HTTPException):
        return f"cannot log in to Discord: Discord answered {exc.status} {exc.text[:200]!r}"
    if isinstance(exc, asyncio.TimeoutError | aiohttp.ServerTimeoutError):
        return f"cannot log in to Discord: {host} did not answer in time; check the network"
    if isinstance(exc, aiohttp.ClientError | OSError):
        return f"cannot log in to Discord ({host}): {type(exc).__name__}: {exc}"
    return f"cannot log in to Discord: unexpected {type(exc).__name__}: {exc}"


STORAGE_FAILING = (
    "⚠️ compass-bot kan zijn database niet meer schrijven (schijf vol of defect). Nieuwe "
    "meldingen worden in het geheugen bewaard en komen hier zodra de opslag weer werkt; "
    "leerlingen krijgen hun waarschuwing gewoon. Vraag de beheerder de schijf van de server "
    "na te kijken (de log noemt het bestand).\n"
    "compass-bot cannot write its database (disk full or failing). New flags are kept in "
    "memory and appear here once storage works again; students are still warned. Ask the "
    "administrator to check the server's disk (the log names the file)."
)
STORAGE_BACK = (
    "✅ De opslag van compass-bot werkt weer: {written} bewaarde melding(en) is/zijn "
    "opgeslagen en volgt/volgen hieronder.\n"
    "compass-bot's storage works again: {written} kept flag(s) was/were saved and "
    "follows/follow below."
)
STORAGE_DROPPED = (
    "\n{dropped} melding(en) ging/gingen verloren: er pasten er niet meer in het geheugen. / "
    "{dropped} flag(s) was/were lost: no more fitted in memory."
)


def storage_notice(school: School) -> StorageListener:
    """Tell the moderators, in their channel, once when storage fails and once when it is back.

    A plain message, not an alert: alerts go through the outbox, which lives in the database
    that is failing. Without it the channel would go quiet while students break the rules,
    and moderators do not read the server's log; the second message tells them the backlog
    is coming, so they need not wonder what was missed.
    """

    async def notice(event: StorageEvent) -> None:
        if not event.failing:
            school.outbox_wakeup.set()  # the kept flags are in the outbox now
        channel = school.setup.moderators_channel
        if channel is None:
            return  # the service has logged it; there is nowhere else to say it
        if event.failing:
            text = STORAGE_FAILING
        else:
            text = for_count(STORAGE_BACK, event.written).format(written=event.written)
            if event.dropped:
                text += for_count(STORAGE_DROPPED, event.dropped).format(dropped=event.dropped)
        try:
            await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException as exc:
            log.warning("could not tell the moderators about the storage: %s", exc)

    return notice


async def run_discord(loaded: LoadedConfig, token: str, backoff: Backoff = Backoff()) -> int:
    """Log in, connect, and run until a signal or a fatal error; returns an exit code. A login
    that fails by itself (no network, Discord down) is tried again after `backoff`'s pauses,
    for as long as it takes; a signal ends a pause at once.

    Every school of the file gets its own services and database (one `App` each, one clock
    and one copy of the protocol between them). Raises StoreError when a database cannot be
    used; every app opened is closed on every way out, so no database thread keeps the
    process alive."""
    apply_endpoints(loaded.config.discord)
    clock = Clock()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    stopper = asyncio.create_task(stop.wait(), name="signal-wait")
    try:
        delay = backoff.first
        while (code := await _attempt(loaded, token, clock, stopper, delay)) is None:
            await asyncio.wait({stopper}, timeout=delay)
            if stopper.done():
                log.info("shutting down")
                return EXIT_STOPPED
            delay = backoff.after(delay)
        return code
    finally:
        stopper.cancel()


async def _attempt(
    loaded: LoadedConfig, token: str, clock: Clock, stopper: asyncio.Task[bool], delay: float
) -> int | None:
    """One login and its run, on a bot and apps of its own (closing a bot closes its apps,
    and a failed login leaves discord.py's HTTP session behind, so a retry starts fresh);
    None when the login may work `delay` seconds later."""
    apps = await App.create_each_school(loaded, clock)
    try:
        bot = CompassBot(loaded, apps)
        for school in bot.schools:
            school.app.alerts.storage_listener = storage_notice(school)
        async with bot:
            return await _login_and_connect(loaded, token, bot, stopper, delay)
    finally:
        for app in apps:
            await app.close()


async def _first(task: asyncio.Task[None], stopper: asyncio.Task[bool]) -> bool:
    """Wait for `task` or a stop signal; True when the signal came first (`task` is then
    cancelled: a login against a server that never answers would hold a stop for minutes)."""
    await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    if not stopper.done():
        return False
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
    return True


async def _login_and_connect(
    loaded: LoadedConfig, token: str, bot: CompassBot, stopper: asyncio.Task[bool], delay: float
) -> int | None:
    login = asyncio.create_task(bot.login(token), name="discord-login")
    if await _first(login, stopper):
        log.info("shutting down")
        return EXIT_STOPPED
    failure = login.exception()
    if isinstance(failure, discord.LoginFailure):
        log.error("Discord refused the token in DISCORD_TOKEN (it is not printed here)")
        return EXIT_SETUP
    if failure is not None:  # every other start-up failure is one line, never a traceback
        line = login_failure(failure, loaded.config.discord.api_base_url)
        if login_transient(failure):
            log.error("%s; trying again in %s", line, _duration(delay))
            return None
        log.error("%s", line)
        return EXIT_UNEXPECTED
    connect = asyncio.create_task(bot.connect(), name="discord-connect")
    done, _pending = await asyncio.wait({connect, stopper}, return_when=asyncio.FIRST_COMPLETED)
    log.info("shutting down")
    await bot.close()
    if connect in done and (exc := connect.exception()) is not None:
        if isinstance(exc, discord.PrivilegedIntentsRequired):
            log.error("%s", privileged_refused(loaded.config.discord))
            return EXIT_SETUP
        log.error("the connection to Discord failed: %s", exc)
        return EXIT_UNEXPECTED
    connect.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await connect
    return EXIT_STOPPED


def _duration(seconds: float) -> str:
    """'10 s', '1 min 20 s', '5 min': the pause before the next login, as a person reads it."""
    minutes, rest = divmod(round(seconds, 2), 60)
    if not minutes:
        return f"{rest:g} s"
    return f"{minutes:g} min" + (f" {rest:g} s" if rest else "")
