"""FakeDiscord: Discord's REST API (under ``/api/v10``) and gateway on 127.0.0.1.

An unmodified discord.py client logs in (``GET /users/@me``, ``GET
/oauth2/applications/@me``), opens the gateway (HELLO, heartbeats, IDENTIFY, READY,
GUILD_CREATE, member chunks) and then receives the events a test drives with
``fake.post(...)``, ``fake.slash(...)``, ``fake.click(...)`` and friends. Every REST call the
bot makes is recorded in ``fake.calls`` and answered as Discord would.

Run standalone (for a bot in another process)::

    python -m tests.fakediscord.server --port 8765 [--members N] [--schools Noord Zuid]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import fnmatch
import functools
import inspect
import json
import logging
import mimetypes
import re
import threading
import uuid
import zlib
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from aiohttp import BodyPartReader, WSMsgType, web

from . import limits as L
from . import openapi
from . import payloads as P
from .payloads import JSON, CallbackType, Intent, InteractionType, MessageFlag, OptionType, Perm
from .ratelimit import RateLimits
from .scenario import (
    AttachmentArg,
    GuildSpec,
    MemberSpec,
    RoleArg,
    World,
    iter_components,
    option_type_of,
)

if TYPE_CHECKING:
    import discord

log = logging.getLogger("fakediscord")

API_PREFIX = "/api/v10"

# discord.py task names that mean "the bot is still handling an event".
# How long Discord remembers a message's nonce for enforce_nonce ("the past few minutes").
NONCE_WINDOW_SECONDS = 180.0
BUSY_TASK_PREFIXES = (
    "discord.py: ",
    "CommandTree-invoker",
    "discord-ui-view-dispatch-",
    "discord-ui-dynamic-item-",
    "discord-ui-modal-dispatch-",
)


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _on_fake_loop(
    fn: Callable[Concatenate[FakeDiscord, _P], Awaitable[_R]],
) -> Callable[Concatenate[FakeDiscord, _P], Awaitable[_R]]:
    """Run a coroutine method on the fake's own event loop, wherever it is awaited from (the
    fake may serve from a background thread: see ``FakeDiscord.start``)."""

    @functools.wraps(fn)
    async def wrapper(self: FakeDiscord, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        loop = self._loop
        if loop is None:
            raise RuntimeError(
                "FakeDiscord is not running: use `async with FakeDiscord(...)` or start()"
            )
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            return await fn(self, *args, **kwargs)
        future = asyncio.run_coroutine_threadsafe(_as_coro(fn(self, *args, **kwargs)), loop)
        return await asyncio.wrap_future(future)

    return wrapper


async def _as_coro(awaitable: Awaitable[_R]) -> _R:
    return await awaitable


# --------------------------------------------------------------------------- records


@dataclass
class UploadedFile:
    """A file part of a multipart request."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class Call:
    """One REST request: method, path without ``/api/v10``, JSON body (``payload_json`` for
    multipart bodies; None without a body), query parameters; then the answer's status, the
    uploaded files and the ``X-Audit-Log-Reason`` header."""

    method: str
    path: str
    json: Any = None
    query: dict[str, str] = field(default_factory=dict)
    status: int = 0
    files: list[UploadedFile] = field(default_factory=list)
    reason: str | None = None

    def matches(self, method: str | None = None, path: str | re.Pattern[str] | None = None) -> bool:
        if method is not None and method != "*" and method.upper() != self.method:
            return False
        return path is None or _path_matches(path, self.path)

    def __repr__(self) -> str:
        body = json.dumps(self.json, ensure_ascii=False) if self.json is not None else ""
        if len(body) > 200:
            body = body[:200] + "..."
        query = "?" + "&".join(f"{k}={v}" for k, v in self.query.items()) if self.query else ""
        return f"<Call {self.method} {self.path}{query} -> {self.status} {body}>"


def _path_matches(pattern: str | re.Pattern[str], path: str) -> bool:
    if isinstance(pattern, re.Pattern):
        return pattern.fullmatch(path) is not None
    return fnmatch.fnmatchcase(path, pattern)


@dataclass
class FailRule:
    """An injected failure: requests matching ``method`` and ``pattern`` (fnmatch glob on the
    path without /api/v10, or a compiled regex) get ``status``/``body``; ``remaining=None``
    means until cleared."""

    method: str
    pattern: str | re.Pattern[str]
    status: int
    body: JSON | None
    headers: dict[str, str]
    remaining: int | None = 1
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.remaining is not None and self.remaining <= 0:
            return False
        if self.method != "*" and self.method.upper() != method:
            return False
        return _path_matches(self.pattern, path)


@dataclass
class InteractionRecord:
    """An interaction the fake dispatched, and what the bot answered.

    ``callback`` is the body of the bot's ``POST /interactions/{id}/{token}/callback``;
    ``original`` the message that response created (also the loading message of a deferral,
    and the updated message after UPDATE_MESSAGE); ``followups`` the follow-up messages."""

    id: int
    token: str
    type: int
    payload: JSON
    user_id: int
    channel_id: int
    created: float
    source_message_id: int | None = None
    guild_id: int | None = None
    callback: JSON | None = None
    original: JSON | None = None
    followups: list[JSON] = field(default_factory=list)
    original_edited: bool = False

    @property
    def callback_type(self) -> int | None:
        return None if self.callback is None else int(self.callback.get("type", 0))

    @property
    def responded(self) -> bool:
        return self.callback is not None

    @property
    def data(self) -> JSON:
        """``callback["data"]`` (``{}`` when absent)."""
        return (self.callback or {}).get("data") or {}

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.data.get("flags") or 0) & MessageFlag.EPHEMERAL)

    @property
    def deferred(self) -> bool:
        return self.callback_type in (
            CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
            CallbackType.DEFERRED_UPDATE_MESSAGE,
        )

    @property
    def content(self) -> str | None:
        """The original response's current content."""
        return None if self.original is None else self.original.get("content")

    @property
    def embeds(self) -> list[JSON]:
        return [] if self.original is None else list(self.original.get("embeds") or [])

    @property
    def choices(self) -> list[JSON] | None:
        """Autocomplete choices (callback type 8)."""
        if self.callback_type != CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
            return None
        return list(self.data.get("choices") or [])

    @property
    def modal(self) -> JSON | None:
        """The modal the bot opened (callback type 9)."""
        return self.data if self.callback_type == CallbackType.MODAL else None

    @property
    def messages(self) -> list[JSON]:
        return ([self.original] if self.original is not None else []) + self.followups

    def __repr__(self) -> str:
        return (
            f"<InteractionRecord id={self.id} type={self.type} callback_type={self.callback_type} "
            f"content={self.content!r} followups={len(self.followups)}>"
        )


class GatewaySession:
    """One gateway websocket connection."""

    def __init__(
        self, fake: FakeDiscord, ws: web.WebSocketResponse, *, compress: str | None
    ) -> None:
        self.fake = fake
        self.ws = ws
        self.compress = compress
        self._zlib = zlib.compressobj() if compress == "zlib-stream" else None
        self.session_id = uuid.uuid4().hex
        self.seq = 0
        self.intents = 0
        self.identify: JSON | None = None
        self.ready = False
        self.closed = False
        self.close_code: int | None = None
        self.large_threshold = 250
        self.heartbeats = 0
        self.last_heartbeat_seq: int | None = None
        self.presence: JSON | None = None
        self.binary_frames = 0
        self.probe_seq = 0
        # Every dispatch sent on this connection, in order: (event name, data).
        self.dispatched: list[tuple[str, JSON]] = []
        self._lock = asyncio.Lock()

    async def _send_unlocked(self, payload: JSON) -> None:
        text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        try:
            if self._zlib is not None:
                data = self._zlib.compress(text.encode("utf-8")) + self._zlib.flush(
                    zlib.Z_SYNC_FLUSH
                )
                await self.ws.send_bytes(data)
                self.binary_frames += 1
            else:
                await self.ws.send_str(text)
        except (ConnectionError, RuntimeError) as exc:
            log.debug("gateway send failed (%s): %r", payload.get("t") or payload.get("op"), exc)
            self.closed = True

    async def send(self, payload: JSON) -> None:
        async with self._lock:
            await self._send_unlocked(payload)

    async def dispatch(self, event: str, data: JSON) -> int:
        async with self._lock:
            self.seq += 1
            seq = self.seq
            self.dispatched.append((event, data))
            await self._send_unlocked({"op": 0, "t": event, "s": seq, "d": data})
        return seq

    async def close(self, code: int, message: str = "") -> None:
        self.close_code = code
        self.closed = True
        with contextlib.suppress(Exception):
            await self.ws.close(code=code, message=message.encode())


# --------------------------------------------------------------------------- the fake


_Reply = tuple[int, Any] | tuple[int, Any, Mapping[str, str]]
_Handler = Callable[["_Request"], Awaitable[_Reply]]


@dataclass
class _Request:
    call: Call
    params: dict[str, str]
    headers: Mapping[str, str]

    @property
    def body(self) -> Any:
        return self.call.json

    def body_dict(self) -> JSON:
        return self.call.json if isinstance(self.call.json, dict) else {}


def _truthy(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "yes")


class FakeDiscord:
    """A fake Discord (REST + gateway) on 127.0.0.1 for one server, or several in one
    gateway session (``other_guilds``): helpers take ``guild=`` (name or id; None: the
    first).

    Use ``async with FakeDiscord(GuildSpec(...)) as fake:`` in an async test (serves on the
    test's event loop), or ``port = fake.start()`` / ``fake.stop()`` to serve from a
    background thread for a bot in another process. Coroutine methods may be awaited from
    any loop; ``fake.sync.<method>(...)`` calls them from plain threads.
    """

    def __init__(
        self,
        guild: GuildSpec | None = None,
        *,
        other_guilds: Sequence[GuildSpec] = (),
        host: str = "127.0.0.1",
        port: int = 0,
        token: str | None = None,
        privileged_intents: Iterable[str] = ("members", "message_content", "presences"),
        heartbeat_interval_ms: int = 41250,
        interaction_timeout: float | None = 3.0,
        echo_own_messages: bool = True,
        rate_limits: RateLimits | None = None,
    ) -> None:
        self.spec = guild or GuildSpec()
        self.host = host
        self._requested_port = port
        self.token = token
        self.privileged = set(privileged_intents)
        unknown = self.privileged - {"members", "message_content", "presences"}
        if unknown:
            raise ValueError(f"unknown privileged intents {unknown}")
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.interaction_timeout = interaction_timeout
        self.echo_own_messages = echo_own_messages
        self.rate_limits = rate_limits
        self.invalid_requests: list[Call] = []
        # The first server; ``other_guilds`` share its snowflakes, bot user and users.
        self.world = World(self.spec)
        self.worlds: dict[int, World] = {self.world.guild_id: self.world}
        for other in other_guilds:
            world = World(other, shared=self.world)
            if world.guild_id in self.worlds:
                raise ValueError(f"guild id {world.guild_id} is given twice")
            self.worlds[world.guild_id] = world
        names = [w.spec.name.casefold() for w in self.worlds.values()]
        if len(set(names)) != len(names):
            raise ValueError(f"guild names must differ (helpers take guild=name): {names}")

        self.calls: list[Call] = []
        self.unknown_routes: list[Call] = []
        self.internal_errors: list[str] = []
        self.identifies: list[JSON] = []
        self.chunk_requests: list[JSON] = []
        self.sessions: list[GatewaySession] = []
        self.interactions: dict[int, InteractionRecord] = {}
        self.undelivered: list[tuple[str, str]] = []
        self._interactions_by_token: dict[str, InteractionRecord] = {}
        self._bodies: dict[int, Any] = {}
        # Attachment id -> the uploaded bytes (served at the attachment's url).
        self.files: dict[int, bytes] = {}
        # AutoMod rule id -> the rule as Discord returns it (fake.automod_rules).
        self.automod_rules: dict[int, JSON] = {}
        # Idempotent sends: nonce -> (message id, when); see _post_message.
        self.nonce_window = NONCE_WINDOW_SECONDS
        self._nonces: dict[str, tuple[int, float]] = {}
        self._rules: list[FailRule] = []
        # (channel id, user id) -> the time of the member's last post, for slowmode.
        self._last_post: dict[tuple[int, int], datetime] = {}
        self._bots: list[discord.Client] = []
        # The bot's own background work settle() should wait for too (a loop the fake cannot
        # see, such as an outbox): each check returns what is busy, or None.
        self.busy_checks: list[Callable[[], str | None]] = []

        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._inflight = 0
        self._last_activity = 0.0
        self._retry_until = 0.0
        self._fail_streak: dict[tuple[str, str], int] = {}
        self._settle_mark = 0
        self._identified: asyncio.Event | None = None
        self._probes: set[asyncio.Future[None]] = set()
        self._thread: threading.Thread | None = None
        self._routes: list[tuple[str, re.Pattern[str], _Handler]] = []
        self._build_routes()

    # ------------------------------------------------------------------ addresses & lookups

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeDiscord is not serving yet")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_base_url(self) -> str:
        """For ``discord.http.Route.BASE`` (config ``discord.api_base_url``)."""
        return f"{self.base_url}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """For ``DiscordWebSocket.DEFAULT_GATEWAY`` (config ``discord.gateway_url``)."""
        return f"ws://{self.host}:{self.port}/"

    @property
    def guild_id(self) -> int:
        """The first server's id."""
        return self.world.guild_id

    @property
    def guild_ids(self) -> list[int]:
        """Every server's id, the first first (the order of READY and GUILD_CREATE)."""
        return list(self.worlds)

    def guild_id_of(self, name: str | int) -> int:
        """A server's id from its name (case-insensitive) or id."""
        return self._w(name).guild_id

    def _w(self, guild: str | int | None) -> World:
        """The World of a server by name or id; None: the first."""
        if guild is None:
            return self.world
        if isinstance(guild, int):
            if guild in self.worlds:
                return self.worlds[guild]
        else:
            for world in self.worlds.values():
                if world.spec.name.casefold() == guild.casefold() or str(world.guild_id) == guild:
                    return world
        known = [w.spec.name for w in self.worlds.values()]
        raise KeyError(f"no guild {guild!r}; known: {known}")

    def _world_of_channel(self, cid: int) -> World:
        """The World holding a channel or thread (the first for DMs and unknown ids: DM
        channels and messages are shared by all)."""
        for world in self.worlds.values():
            if world.is_guild_channel(cid):
                return world
        return self.world

    def _world_of_guild(self, raw: str | int | None) -> World | None:
        """The World of a guild id from a path or payload; None when the bot is not in it."""
        text = "" if raw is None else str(raw)
        return self.worlds.get(int(text)) if text.isdigit() else None

    def _channel_world(self, ref: str | int, guild: str | int | None) -> tuple[World, int]:
        """(World, channel id) of a channel name in ``guild`` or of a channel id anywhere."""
        if guild is None and isinstance(ref, int):
            world = self._world_of_channel(ref)
        else:
            world = self._w(guild)
        return world, world.resolve_channel(ref)

    @property
    def bot_user_id(self) -> int:
        return self.world.bot_id

    @property
    def application_id(self) -> int:
        return self.world.application_id

    @property
    def intents(self) -> int | None:
        """The intents of the latest IDENTIFY (None before one)."""
        return int(self.identifies[-1].get("intents", 0)) if self.identifies else None

    def channel_id(self, name: str | int, *, guild: str | int | None = None) -> int:
        return self._channel_world(name, guild)[1]

    def role_id(self, name: str | int, *, guild: str | int | None = None) -> int:
        if guild is None and isinstance(name, int):
            world = next((w for w in self.worlds.values() if name in w.roles), self.world)
            return world.resolve_role(name)
        return self._w(guild).resolve_role(name)

    def member_id(self, name: str | int, *, guild: str | int | None = None) -> int:
        return self._w(guild).resolve_member(name)

    def dm_channel_id(self, member: str | int, *, guild: str | int | None = None) -> int:
        """The id of the DM channel between the bot and a member (created if needed; one per
        user, whichever server names them)."""
        return int(self.world.open_dm(self.member_id(member, guild=guild))["id"])

    def mention(self, member: str | int, *, guild: str | int | None = None) -> str:
        return f"<@{self.member_id(member, guild=guild)}>"

    def role_mention(self, role: str | int, *, guild: str | int | None = None) -> str:
        return f"<@&{self.role_id(role, guild=guild)}>"

    def member(self, name: str | int, *, guild: str | int | None = None) -> JSON:
        """The member's current payload (with ``user``) in ``guild``."""
        world = self._w(guild)
        return world.members[world.resolve_member(name)]

    def global_commands(self) -> list[JSON]:
        """The application's global commands as Discord stores them."""
        return list(self.world.commands.get(None, {}).values())

    def guild_commands(self, guild: str | int | None = None) -> list[JSON]:
        """The commands synced to ``guild`` only (``PUT .../guilds/{id}/commands``)."""
        return list(self.world.commands.get(self._w(guild).guild_id, {}).values())

    def command(
        self, name: str, *, command_type: int = 1, guild: str | int | None = None
    ) -> JSON | None:
        """The synced command a member of ``guild`` sees as ``name``: the guild's own, else
        the global one; None when neither exists."""
        return self._find_command(name, command_type, self._w(guild))

    def message(self, message_id: int | str) -> JSON:
        """A message's current payload (any author)."""
        return self.world.messages[int(message_id)]

    def body_of(self, message_id: int | str) -> Any:
        """The JSON body the bot sent to create this message."""
        return self._bodies.get(int(message_id))

    def messages(
        self,
        channel: str | int | None = None,
        *,
        include_deleted: bool = False,
        guild: str | int | None = None,
    ) -> list[JSON]:
        """All messages (from members and the bot) in a channel, oldest first; without a
        channel, in ``guild`` (when given) or everywhere."""
        cid = None if channel is None else self.channel_id(channel, guild=guild)
        gid = str(self._w(guild).guild_id) if channel is None and guild is not None else None
        return [
            m
            for mid, m in sorted(self.world.messages.items())
            if (cid is None or int(m["channel_id"]) == cid)
            and (gid is None or m.get("guild_id") == gid)
            and (include_deleted or mid not in self.world.deleted_messages)
        ]

    def messages_sent(
        self,
        channel: str | int | None = None,
        *,
        to: str | int | None = None,
        include_deleted: bool = False,
        ephemeral: bool | None = None,
        guild: str | int | None = None,
    ) -> list[JSON]:
        """Messages the bot created (channel posts and interaction responses), oldest first:
        in ``channel``, or in the DM with member ``to``, or everywhere (in ``guild`` when
        given). ``ephemeral`` filters on the EPHEMERAL flag."""
        cid: int | None = None
        scope: str | int | None = None
        if to is not None:
            cid = self.dm_channel_id(to, guild=guild)
        elif channel is not None:
            cid = self.channel_id(channel, guild=guild)
        else:
            scope = guild
        result = []
        for m in self.messages(None, include_deleted=include_deleted, guild=scope):
            if int(m["author"]["id"]) != self.world.bot_id:
                continue
            if cid is not None and int(m["channel_id"]) != cid:
                continue
            is_ephemeral = bool(int(m.get("flags") or 0) & MessageFlag.EPHEMERAL)
            if ephemeral is not None and is_ephemeral != ephemeral:
                continue
            result.append(m)
        return result

    def dms_sent(self, member: str | int, *, guild: str | int | None = None) -> list[JSON]:
        """Messages the bot sent in its DM with ``member`` (a name in ``guild``)."""
        return self.messages_sent(to=member, guild=guild)

    def find_calls(
        self, method: str | None = None, path: str | re.Pattern[str] | None = None
    ) -> list[Call]:
        """Recorded calls by method and path (fnmatch glob, e.g. ``/channels/*/messages``)."""
        return [c for c in self.calls if c.matches(method, path)]

    def set_dms_open(
        self, member: str | int, is_open: bool, *, guild: str | int | None = None
    ) -> None:
        """Open or close a member's DMs (closed: the bot's DMs fail with 403 50007)."""
        self.world.dms_open[self.member_id(member, guild=guild)] = is_open

    def register_bot(self, bot: discord.Client) -> None:
        """Let ``settle()`` wait for this in-process bot's event handlers (running_bot does)."""
        if bot not in self._bots:
            self._bots.append(bot)

    def unregister_bot(self, bot: discord.Client) -> None:
        if bot in self._bots:
            self._bots.remove(bot)

    # ------------------------------------------------------------------ failure injection

    def fail_next(
        self,
        method: str,
        path: str | re.Pattern[str],
        status: int | None = None,
        times: int | None = 1,
        json: JSON | None = None,
        headers: Mapping[str, str] | None = None,
        *,
        code: int | None = None,
        retry_after: float = 0.05,
        is_global: bool = False,
    ) -> FailRule:
        """Answer the next ``times`` matching requests (None: all, until cleared) with an
        error. ``code`` picks a Discord error (status and message from ``payloads.ERRORS``,
        e.g. 50007 closed DMs, 50013 Missing Permissions, 10003 Unknown Channel); 429 gets a
        rate-limit body with ``retry_after`` and the headers discord.py needs to retry."""
        if status is None:
            status = P.ERRORS.get(code, (500, ""))[0] if code is not None else 500
        hdrs = dict(headers or {})
        body = json
        if body is None:
            if status == 429:
                body = P.rate_limited(retry_after, is_global=is_global)
            elif code is not None:
                body = P.error(code)[1]
            else:
                body = P.generic_error(status)
        if status == 429:
            after = (
                float(body.get("retry_after", retry_after))
                if isinstance(body, dict)
                else retry_after
            )
            hdrs.setdefault("Retry-After", str(max(1, int(after + 0.999))))
            hdrs.setdefault("X-RateLimit-Scope", "shared" if not is_global else "global")
            if is_global:
                hdrs.setdefault("X-RateLimit-Global", "true")
            hdrs.setdefault(
                "Via", "1.1 google"
            )  # discord.py treats a 429 without Via as a Cloudflare ban
        rule = FailRule(method.upper(), path, status, body, hdrs, remaining=times)
        self._rules.append(rule)
        return rule

    def fail_always(
        self, method: str, path: str | re.Pattern[str], status: int | None = None, **kwargs: Any
    ) -> FailRule:
        """Like ``fail_next`` but until ``clear_failures()``."""
        return self.fail_next(method, path, status, times=None, **kwargs)

    def block_channel(
        self, channel: str | int, *, code: int = 50013, guild: str | int | None = None
    ) -> FailRule:
        """Make every ``POST /channels/{id}/messages`` in a channel fail (default 403 Missing
        Permissions) until ``clear_failures(rule)``."""
        cid = self.channel_id(channel, guild=guild)
        return self.fail_always("POST", f"/channels/{cid}/messages", code=code)

    def clear_failures(self, rule: FailRule | None = None) -> None:
        if rule is None:
            self._rules.clear()
        elif rule in self._rules:
            self._rules.remove(rule)

    # ------------------------------------------------------------------ lifecycle

    async def serve(self) -> int:
        """Start serving on the running loop; returns the port."""
        if self._runner is not None:
            return self.port
        self._loop = asyncio.get_running_loop()
        self._identified = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/", self._gateway)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._cdn)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        app.router.add_route("*", "/{tail:.*}", self._outside_api)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._requested_port)
        await site.start()
        self._runner = runner
        address = runner.addresses[0]
        self._port = int(address[1])
        for world in self.worlds.values():
            world.url_base = self.base_url
        log.info("fake Discord at %s (gateway %s)", self.api_base_url, self.gateway_url)
        return self._port

    async def aclose(self) -> None:
        """Close gateway connections and stop serving."""
        for session in list(self.sessions):
            if not session.closed:
                await session.close(1000, "fake Discord shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.serve()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def start(self, timeout: float = 10.0) -> int:
        """Serve from a background thread (own event loop); returns the port. For a bot in a
        subprocess: give it ``fake.api_base_url`` and ``fake.gateway_url``."""
        if self._thread is not None:
            return self.port
        started = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.serve())
            except BaseException as exc:
                failure.append(exc)
                started.set()
                loop.close()
                return
            started.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self.aclose())
                loop.close()

        self._thread = threading.Thread(target=run, name="fakediscord", daemon=True)
        self._thread.start()
        if not started.wait(timeout):
            raise TimeoutError("fake Discord did not start")
        if failure:
            raise failure[0]
        return self.port

    def stop(self, timeout: float = 10.0) -> None:
        """Stop a fake started with ``start()``."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        self._thread = None

    @property
    def sync(self) -> _SyncFake:
        """Blocking versions of the coroutine methods, for code outside any event loop (e.g.
        ``fake.sync.post("anna", "algemeen", "hoi")`` while the fake runs in its thread)."""
        return _SyncFake(self)

    # ------------------------------------------------------------------ settle & waiting

    def _now(self) -> float:
        assert self._loop is not None
        return self._loop.time()

    def _touch(self) -> None:
        if self._loop is not None:
            self._last_activity = self._loop.time()

    def _in_process_sessions(self) -> set[str]:
        ids = set()
        for bot in self._bots:
            ws = getattr(bot, "ws", None)
            if ws is not None and ws.session_id:
                ids.add(ws.session_id)
        return ids

    def _busy(self, quiet: float) -> list[str]:
        now = self._now()
        reasons = []
        if self._inflight:
            reasons.append(f"{self._inflight} REST request(s) in flight")
        if now - self._last_activity < quiet:
            reasons.append("recent activity")
        if now < self._retry_until:
            reasons.append(
                f"discord.py retrying a failed request for {self._retry_until - now:.2f}s more"
            )
        reasons += [r for check in self.busy_checks if (r := check()) is not None]
        for bot in self._bots:
            ws = getattr(bot, "ws", None)
            if ws is None or bot.is_closed():
                continue
            for session in self.sessions:
                if (
                    session.session_id == ws.session_id
                    and not session.closed
                    and (ws.sequence or 0) < session.seq
                ):
                    reasons.append(f"bot has not read event {session.seq} yet (at {ws.sequence})")
            try:
                loop = bot.loop
            except AttributeError:
                continue
            for task in asyncio.all_tasks(loop):
                name = task.get_name()
                if not task.done() and name.startswith(BUSY_TASK_PREFIXES):
                    reasons.append(f"bot task {name!r} running")
        # A client in another process: ask it to heartbeat (op 1); discord.py answers at once
        # with the last sequence number it has read, which tells us our events arrived.
        in_process = self._in_process_sessions()
        for session in self.sessions:
            if session.closed or not session.ready or session.session_id in in_process:
                continue
            if (session.last_heartbeat_seq or 0) < session.seq:
                reasons.append(f"client has not confirmed reading event {session.seq}")
                if session.probe_seq != session.seq:
                    session.probe_seq = session.seq
                    task = asyncio.ensure_future(session.send({"op": 1, "d": None}))
                    self._probes.add(task)
                    task.add_done_callback(self._probes.discard)
        return reasons

    @_on_fake_loop
    async def settle(
        self, *, quiet: float | None = None, timeout: float = 10.0, strict: bool = True
    ) -> list[Call]:
        """Wait until the bot has gone quiet; return the calls made since the previous settle.

        Quiet means: no REST request in flight, none started or finished and no event sent
        for ``quiet`` seconds, no discord.py retry pending after an injected 429/5xx; for
        bots run with ``running_bot`` in this process: every dispatched event read and no
        listener/app-command/view task of the bot still running; for a client in another
        process: it confirmed (by a requested heartbeat) that it read every event.
        ``quiet`` defaults to 0.05 s, or 0.25 s when a client in another process is connected
        (pass more if that bot does slow work before calling Discord). After ``timeout``
        raise TimeoutError naming what is still busy (``strict=False``: return anyway)."""
        if quiet is None:
            in_process = self._in_process_sessions()
            remote = [
                s
                for s in self.sessions
                if s.ready and not s.closed and s.session_id not in in_process
            ]
            quiet = 0.25 if remote else 0.05
        deadline = self._now() + timeout
        await asyncio.sleep(0)
        while True:
            reasons = self._busy(quiet)
            if not reasons:
                break
            if self._now() > deadline:
                if strict:
                    raise TimeoutError(
                        "fake Discord: bot did not settle: " + "; ".join(sorted(set(reasons)))
                    )
                log.warning("settle timed out: %s", reasons)
                break
            await asyncio.sleep(0.005)
        calls = self.calls[self._settle_mark :]
        self._settle_mark = len(self.calls)
        return calls

    @_on_fake_loop
    async def wait_for_call(
        self,
        method: str | None = None,
        path: str | re.Pattern[str] | None = None,
        *,
        since: int = 0,
        timeout: float = 10.0,
    ) -> Call:
        """Wait until a call matching method and path glob has been answered; looks at
        ``fake.calls[since:]`` (pass ``since=len(fake.calls)`` to wait for a new one)."""
        deadline = self._now() + timeout
        while True:
            for call in self.calls[since:]:
                if call.status and call.matches(method, path):
                    return call
            if self._now() > deadline:
                raise TimeoutError(f"no {method or '*'} {path or '*'} call within {timeout}s")
            await asyncio.sleep(0.01)

    @_on_fake_loop
    async def wait_identified(self, timeout: float = 10.0) -> JSON:
        """Wait until a client has sent IDENTIFY (and got READY + GUILD_CREATE)."""
        assert self._identified is not None
        await asyncio.wait_for(self._identified.wait(), timeout)
        return self.identifies[-1]

    # ------------------------------------------------------------------ REST plumbing

    async def _read_body(self, request: web.Request) -> tuple[Any, list[UploadedFile]]:
        if not request.can_read_body:
            return None, []
        if request.content_type == "multipart/form-data":
            body: Any = None
            files: list[UploadedFile] = []
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, BodyPartReader):
                    continue  # nested multipart: Discord does not use it
                name = part.name
                data = await part.read(decode=False)
                if name == "payload_json":
                    body = json.loads(data.decode("utf-8"))
                else:
                    files.append(
                        UploadedFile(
                            field=name or "",
                            filename=part.filename,
                            content_type=part.headers.get("Content-Type"),
                            data=bytes(data),
                        )
                    )
            return body, files
        raw = await request.read()
        if not raw:
            return None, []
        try:
            return json.loads(raw), []
        except ValueError:
            return raw.decode("utf-8", "replace"), []

    @staticmethod
    def _respond(status: int, body: Any, headers: Mapping[str, str] | None = None) -> web.Response:
        hdrs = dict(headers or {})
        if body is None or status == 204:
            return web.Response(status=status, headers=hdrs)
        hdrs["Content-Type"] = "application/json"  # exactly: discord.py compares the header
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return web.Response(status=status, body=data, headers=hdrs)

    async def _outside_api(self, request: web.Request) -> web.Response:
        body, files = await self._read_body(request)
        call = Call(
            request.method, request.rel_url.path, body, dict(request.rel_url.query), 404, files
        )
        self.calls.append(call)
        self.unknown_routes.append(call)
        log.error(
            "fake Discord: request outside %s: %s %s", API_PREFIX, request.method, request.rel_url
        )
        self._touch()
        return self._respond(404, {"message": "404: Not Found", "code": 0})

    async def _rest(self, request: web.Request) -> web.Response:
        self._inflight += 1
        self._touch()
        path = request.rel_url.path[len(API_PREFIX) :] or "/"
        call = Call(
            request.method,
            path,
            None,
            dict(request.rel_url.query),
            reason=request.headers.get("X-Audit-Log-Reason"),
        )
        try:
            self.calls.append(call)
            call.json, call.files = await self._read_body(request)
            status, payload, headers = await self._answer(call, request)
        except Exception as exc:
            # A bug in the fake: answer 400 (a 5xx would make discord.py retry for 25 s).
            message = f"fakediscord internal error on {call.method} {call.path}: {exc!r}"
            log.exception("%s", message)
            self.internal_errors.append(message)
            self.unknown_routes.append(call)
            status, payload, headers = 400, {"message": message, "code": 0}, {}
        try:
            call.status = status
            self._note_retry(call, status, payload)
            if headers.get("X-RateLimit-Remaining") == "0":
                # discord.py pauses until the bucket resets: settle() waits for that too.
                after = float(headers.get("X-RateLimit-Reset-After", "0"))
                self._retry_until = max(self._retry_until, self._now() + after + 0.25)
            return self._respond(status, payload, headers)
        finally:
            self._inflight -= 1
            self._touch()

    def _note_retry(self, call: Call, status: int, body: Any) -> None:
        """Remember that discord.py will retry after this answer, so settle() waits for it."""
        key = (call.method, call.path)
        now = self._now()
        if status == 429:
            after = float(body.get("retry_after", 0.05)) if isinstance(body, dict) else 1.0
            self._retry_until = max(self._retry_until, now + after + 0.25)
        elif status in (500, 502, 503, 504, 524):
            streak = self._fail_streak.get(key, 0)
            self._fail_streak[key] = streak + 1
            if streak < 4:  # discord.py tries 5 times, sleeping 1 + 2 * try between them
                self._retry_until = max(self._retry_until, now + 1 + 2 * streak + 0.4)
        else:
            self._fail_streak.pop(key, None)

    async def _answer(self, call: Call, request: web.Request) -> tuple[int, Any, Mapping[str, str]]:
        for rule in self._rules:
            if rule.matches(call.method, call.path):
                rule.hits += 1
                if rule.remaining is not None:
                    rule.remaining -= 1
                log.info("fake Discord: injected %s for %s %s", rule.status, call.method, call.path)
                return rule.status, copy.deepcopy(rule.body), rule.headers
        token_route = call.path.startswith(("/interactions/", "/webhooks/"))
        if self.token is not None and not token_route:
            auth = request.headers.get("Authorization")
            if auth != f"Bot {self.token}":
                return 401, {"message": "401: Unauthorized", "code": 0}, {}
        op, other_method = openapi.find_operation(call.method, call.path)
        if op is None:
            # Not a route of Discord's API at all: fail the test loudly.
            self.unknown_routes.append(call)
            status = 405 if other_method else 404
            log.error(
                "fake Discord: %s %s is not in Discord's API spec -- answered %s",
                call.method,
                call.path,
                status,
            )
            return status, P.generic_error(status), {}
        limit_headers: dict[str, str] = {}
        if self.rate_limits is not None:
            params = op.regex.fullmatch(call.path)
            verdict = self.rate_limits.check(
                call.method, op.template, params.groupdict() if params else {}, self._now()
            )
            limit_headers = verdict.headers
            if verdict.retry_after is not None:
                body = P.rate_limited(verdict.retry_after, is_global=verdict.is_global)
                return 429, body, {**limit_headers, "Via": "1.1 google"}
        problem = self._judge(op, call) or self._upload_problem(call)
        if problem is not None:
            self.invalid_requests.append(call)
            log.warning(
                "fake Discord: invalid request %s %s: %s", call.method, call.path, problem[1]
            )
            return problem[0], problem[1], limit_headers
        for method, pattern, handler in self._routes:
            if method != call.method:
                continue
            match = pattern.fullmatch(call.path)
            if match is None:
                continue
            try:
                reply = await handler(_Request(call, match.groupdict(), request.headers))
            except Exception as exc:
                message = f"fakediscord internal error on {call.method} {call.path}: {exc!r}"
                log.exception("%s", message)
                self.internal_errors.append(message)
                self.unknown_routes.append(call)
                return 400, {"message": message, "code": 0}, {}
            if len(reply) == 3:
                return reply[0], reply[1], {**limit_headers, **reply[2]}  # type: ignore[misc]
            return reply[0], reply[1], limit_headers
        self.unknown_routes.append(call)
        log.error(
            "fake Discord: UNKNOWN ROUTE %s %s (body %s) -- answered 404; add it to tests/fakediscord/server.py",
            call.method,
            call.path,
            call.json,
        )
        return 404, {"message": "Unknown route", "code": 0}, {}

    def _judge(self, op: openapi.Operation, call: Call) -> tuple[int, JSON] | None:
        """Discord's verdict on a request body: the operation's schema in the spec, then the
        documented limits the spec leaves out (``limits``). None when it is valid."""
        body = call.json
        if isinstance(body, str):
            return P.error(50109)
        errors: JSON = {}
        if body is not None or openapi.body_required(op):
            found = openapi.validate_body(op, {} if body is None else body)
            if found:
                errors = found
        extra = self._documented_limits(op, body)
        if extra:
            openapi.merge_errors(errors, extra)
        if errors:
            return P.error(50035, errors=errors)
        return None

    @staticmethod
    def _upload_problem(call: Call) -> tuple[int, JSON] | None:
        """Uploads (docs "Uploading Files"): at most 10 files a message, and no more than
        the server's upload limit (10 MiB without boosts) together: 413 40005."""
        if not call.files:
            return None
        if len(call.files) > 10:
            return P.error(
                50035,
                errors=P.form_error(
                    ["attachments"], "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length."
                ),
            )
        if sum(len(f.data) for f in call.files) > P.ATTACHMENT_SIZE_LIMIT:
            return P.error(40005)
        return None

    def _documented_limits(self, op: openapi.Operation, body: Any) -> JSON:
        t, m = op.template, op.method
        if t == "/channels/{channel_id}/messages" and m == "POST":
            return L.message_errors(body, channel_message=True)
        if t == "/channels/{channel_id}/messages/{message_id}" and m == "PATCH":
            return L.message_errors(body, channel_message=True)
        if t.startswith("/webhooks/{webhook_id}/{webhook_token}") and m in ("POST", "PATCH"):
            return L.message_errors(body, channel_message=False)
        if t == "/channels/{channel_id}" and m == "PATCH":
            return L.guild_channel_errors(body)
        if t == "/guilds/{guild_id}/auto-moderation/rules" and m == "POST":
            return L.automod_rule_errors(body, create=True)
        if t == "/interactions/{interaction_id}/{interaction_token}/callback":
            return L.callback_errors(body)
        if t.startswith("/applications/{application_id}") and t.endswith("/commands"):
            if m == "PUT":
                return L.command_list_errors(body)
            if m == "POST":
                return L.command_errors(body, [])  # the count limits: see _post_command
        if t.startswith("/applications/{application_id}") and t.endswith("/{command_id}"):
            return L.command_errors(body, [], partial=True) if m == "PATCH" else {}
        return {}

    def _route(self, method: str, template: str, handler: _Handler) -> None:
        regex = re.escape(template)
        regex = re.sub(r"\\\{(\w+)\\\}", lambda m: f"(?P<{m.group(1)}>[^/]+)", regex)
        self._routes.append((method, re.compile(regex), handler))

    def _build_routes(self) -> None:
        r = self._route
        r("GET", "/users/@me", self._get_me)
        r("PATCH", "/users/@me", self._patch_me)
        r("GET", "/users/@me/guilds", self._get_my_guilds)
        r("POST", "/users/@me/channels", self._open_dm)
        r("GET", "/users/{user_id}", self._get_user)
        r("GET", "/oauth2/applications/@me", self._get_application)
        r("GET", "/applications/@me", self._get_application)
        r("GET", "/gateway", self._get_gateway)
        r("GET", "/gateway/bot", self._get_gateway_bot)
        for prefix in ("/applications/{app_id}", "/applications/{app_id}/guilds/{guild_id}"):
            r("GET", prefix + "/commands", self._list_commands)
            r("PUT", prefix + "/commands", self._put_commands)
            r("POST", prefix + "/commands", self._post_command)
            r("GET", prefix + "/commands/{command_id}", self._get_command)
            r("PATCH", prefix + "/commands/{command_id}", self._patch_command)
            r("DELETE", prefix + "/commands/{command_id}", self._delete_command)
        r(
            "GET",
            "/applications/{app_id}/guilds/{guild_id}/commands/permissions",
            self._command_permissions,
        )
        r("GET", "/channels/{channel_id}", self._get_channel)
        r("PATCH", "/channels/{channel_id}", self._patch_channel)
        r("GET", "/channels/{channel_id}/messages", self._get_messages)
        r("POST", "/channels/{channel_id}/messages", self._post_message)
        r("POST", "/channels/{channel_id}/messages/bulk-delete", self._bulk_delete)
        r("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message)
        r("PATCH", "/channels/{channel_id}/messages/{message_id}", self._patch_message)
        r("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_message)
        r("POST", "/channels/{channel_id}/typing", self._no_content)
        r("POST", "/channels/{channel_id}/messages/{message_id}/threads", self._thread_from_message)
        r("POST", "/channels/{channel_id}/threads", self._thread_without_message)
        r("GET", "/channels/{channel_id}/thread-members", self._list_thread_members)
        r("PUT", "/channels/{channel_id}/thread-members/{user_id}", self._add_thread_member)
        r("DELETE", "/channels/{channel_id}/thread-members/{user_id}", self._remove_thread_member)
        r(
            "PUT",
            "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
            self._add_reaction,
        )
        r(
            "DELETE",
            "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
            self._remove_reaction,
        )
        r("GET", "/channels/{channel_id}/pins", self._empty_list)
        r("GET", "/channels/{channel_id}/messages/pins", self._get_pins)
        r("GET", "/guilds/{guild_id}", self._get_guild)
        r("GET", "/guilds/{guild_id}/channels", self._get_guild_channels)
        r("GET", "/guilds/{guild_id}/roles", self._get_roles)
        r("GET", "/guilds/{guild_id}/threads/active", self._get_active_threads)
        r("GET", "/guilds/{guild_id}/auto-moderation/rules", self._list_automod_rules)
        r("POST", "/guilds/{guild_id}/auto-moderation/rules", self._create_automod_rule)
        r("GET", "/guilds/{guild_id}/auto-moderation/rules/{rule_id}", self._get_automod_rule)
        r("PATCH", "/guilds/{guild_id}/auto-moderation/rules/{rule_id}", self._patch_automod_rule)
        r(
            "DELETE",
            "/guilds/{guild_id}/auto-moderation/rules/{rule_id}",
            self._delete_automod_rule,
        )
        r("GET", "/guilds/{guild_id}/members", self._list_members)
        r("GET", "/guilds/{guild_id}/members/search", self._search_members)
        r("PATCH", "/guilds/{guild_id}/members/@me", self._patch_me_member)
        r("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member)
        r("PATCH", "/guilds/{guild_id}/members/{user_id}", self._patch_member)
        r("DELETE", "/guilds/{guild_id}/members/{user_id}", self._kick_member)
        r("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self._add_member_role)
        r(
            "DELETE",
            "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
            self._remove_member_role,
        )
        r("POST", "/interactions/{interaction_id}/{token}/callback", self._interaction_callback)
        r("GET", "/webhooks/{app_id}/{token}/messages/{message_id}", self._get_webhook_message)
        r("PATCH", "/webhooks/{app_id}/{token}/messages/{message_id}", self._patch_webhook_message)
        r(
            "DELETE",
            "/webhooks/{app_id}/{token}/messages/{message_id}",
            self._delete_webhook_message,
        )
        r("POST", "/webhooks/{app_id}/{token}", self._post_followup)

    # ------------------------------------------------------------------ REST: users & app

    def _me(self) -> JSON:
        me = dict(self.world.bot_user)
        me.update(
            {
                "verified": True,
                "mfa_enabled": False,
                "email": None,
                "locale": "en-US",
                "premium_type": 0,
            }
        )
        return me

    async def _get_me(self, req: _Request) -> _Reply:
        return 200, self._me()

    async def _patch_me(self, req: _Request) -> _Reply:
        body = req.body_dict()
        for key in ("username", "global_name", "avatar", "banner"):
            if key in body and key in self.world.bot_user:
                self.world.bot_user[key] = body[key]
        await self._broadcast("USER_UPDATE", self._me())
        return 200, self._me()

    async def _get_my_guilds(self, req: _Request) -> _Reply:
        return 200, [
            {
                "id": str(w.guild_id),
                "name": w.spec.name,
                "icon": None,
                "banner": None,
                "owner": False,
                "permissions": str(w.permissions(w.bot_id)),
                "features": [],
            }
            for w in self.worlds.values()
        ]

    async def _get_user(self, req: _Request) -> _Reply:
        user = (
            self.world.users.get(int(req.params["user_id"]))
            if req.params["user_id"].isdigit()
            else None
        )
        if user is None:
            return P.error(10013)
        return 200, user

    async def _open_dm(self, req: _Request) -> _Reply:
        recipient = req.body_dict().get("recipient_id")
        try:
            uid = int(recipient)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return P.error(
                50035,
                errors=P.form_error(
                    ["recipient_id"], "BASE_TYPE_REQUIRED", "This field is required"
                ),
            )
        if uid not in self.world.users or uid == self.world.bot_id:
            return P.error(50033)  # users (and DM channels) are shared by every World
        return 200, self.world.open_dm(uid)

    def _application_flags(self) -> int:
        flags = P.AppFlag.APPLICATION_COMMAND_BADGE
        if "members" in self.privileged:
            flags |= P.AppFlag.GATEWAY_GUILD_MEMBERS_LIMITED
        if "message_content" in self.privileged:
            flags |= P.AppFlag.GATEWAY_MESSAGE_CONTENT_LIMITED
        if "presences" in self.privileged:
            flags |= P.AppFlag.GATEWAY_PRESENCE_LIMITED
        return flags

    async def _get_application(self, req: _Request) -> _Reply:
        w = self.world
        return 200, P.application(
            w.application_id,
            self.spec.bot.application_name,
            bot_user=w.bot_user,
            owner=w.app_owner,
            flags=self._application_flags(),
        )

    async def _get_gateway(self, req: _Request) -> _Reply:
        return 200, {"url": self.gateway_url.rstrip("/")}

    async def _get_gateway_bot(self, req: _Request) -> _Reply:
        return 200, {
            "url": self.gateway_url.rstrip("/"),
            "shards": 1,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 86_400_000,
                "max_concurrency": 1,
            },
        }

    async def _no_content(self, req: _Request) -> _Reply:
        return 204, None

    async def _empty_list(self, req: _Request) -> _Reply:
        return 200, []

    # ------------------------------------------------------------------ REST: commands

    def _command_scope(self, req: _Request) -> tuple[int | None, _Reply | None]:
        if req.params["app_id"] != str(self.world.application_id):
            return None, P.error(50001)
        guild = req.params.get("guild_id")
        if guild is None:
            return None, None
        if self._world_of_guild(guild) is None:
            return None, P.error(50001)  # Missing Access: the bot is not in that guild
        return int(guild), None

    def _store_command(self, guild_id: int | None, body: JSON) -> tuple[JSON, bool]:
        w = self.world
        ctype = int(body.get("type", 1))
        key = (guild_id, body["name"], ctype)
        created = key not in w.command_ids
        if created:
            w.command_ids[key] = w.ids.now()
        w.command_version += 1
        cmd = P.application_command(
            body,
            id=w.command_ids[key],
            application_id=w.application_id,
            guild_id=guild_id,
            version=w.ids.now(),
        )
        w.commands.setdefault(guild_id, {})[(body["name"], ctype)] = cmd
        return cmd, created

    async def _list_commands(self, req: _Request) -> _Reply:
        guild_id, problem = self._command_scope(req)
        if problem:
            return problem
        return 200, list(self.world.commands.get(guild_id, {}).values())

    async def _put_commands(self, req: _Request) -> _Reply:
        guild_id, problem = self._command_scope(req)
        if problem:
            return problem
        body = req.body if isinstance(req.body, list) else []  # judged by _judge already
        self.world.commands[guild_id] = {}
        return 200, [self._store_command(guild_id, cmd)[0] for cmd in body]

    async def _post_command(self, req: _Request) -> _Reply:
        guild_id, problem = self._command_scope(req)
        if problem:
            return problem
        existing = list(self.world.commands.get(guild_id, {}).values())
        too_many = L.count_errors(existing, req.body_dict())
        if too_many:
            return P.error(50035, errors=too_many)
        cmd, created = self._store_command(guild_id, req.body_dict())
        return (201 if created else 200), cmd

    def _command_by_id(self, guild_id: int | None, command_id: str) -> JSON | None:
        return next(
            (c for c in self.world.commands.get(guild_id, {}).values() if c["id"] == command_id),
            None,
        )

    async def _get_command(self, req: _Request) -> _Reply:
        guild_id, problem = self._command_scope(req)
        if problem:
            return problem
        cmd = self._command_by_id(guild_id, req.params["command_id"])
        return (200, cmd) if cmd else P.error(10063)

    async def _patch_command(self, req: _Request) -> _Reply:
        guild_id, problem = self._command_scope(req)
        if problem:
            return problem
        cmd = self._command_by_id(guild_id, req.params["command_id"])
        if cmd is None:
            return P.error(10063)
        merged = {
            k: v for k, v in cmd.items() if k not in ("id", "application_id", "version", "guild_id")
        }
        merged.update(req.body_dict())
        commands = self.world.commands[guild_id]
        commands.pop((cmd["name"], int(cmd.get("type", 1))), None)
        return 200, self._store_command(guild_id, merged)[0]

    async def _delete_command(self, req: _Request) -> _Reply:
        guild_id, problem = self._command_scope(req)
        if problem:
            return problem
        cmd = self._command_by_id(guild_id, req.params["command_id"])
        if cmd is None:
            return P.error(10063)
        self.world.commands[guild_id].pop((cmd["name"], int(cmd.get("type", 1))), None)
        return 204, None

    async def _command_permissions(self, req: _Request) -> _Reply:
        return 200, []

    # ------------------------------------------------------------------ REST: channels & messages

    def _channel_or_error(self, raw: str) -> tuple[int, JSON | None]:
        cid = int(raw) if raw.isdigit() else 0
        return cid, self._world_of_channel(cid).channel(cid)

    async def _get_channel(self, req: _Request) -> _Reply:
        cid, channel = self._channel_or_error(req.params["channel_id"])
        if channel is None:
            return P.error(10003)
        w = self._world_of_channel(cid)
        if w.is_guild_channel(cid) and not w.permissions(w.bot_id, cid) & Perm.VIEW_CHANNEL:
            return P.error(50001)
        return 200, channel

    async def _patch_channel(self, req: _Request) -> _Reply:
        """The bot edits a guild channel (name, topic, slowmode; Manage Channels):
        CHANNEL_UPDATE; or a thread (Manage Threads, or its owner for name, archived and
        auto_archive_duration): THREAD_UPDATE."""
        cid, channel = self._channel_or_error(req.params["channel_id"])
        w = self._world_of_channel(cid)
        if channel is None or not w.is_guild_channel(cid):
            return P.error(10003)
        perms = w.permissions(w.bot_id, cid)
        if not perms & Perm.VIEW_CHANNEL:
            return P.error(50001)
        body = req.body_dict()
        if cid in w.threads:
            owner_may = {"name", "archived", "auto_archive_duration"}
            is_owner = channel.get("owner_id") == str(w.bot_id)
            if not perms & Perm.MANAGE_THREADS and not (is_owner and set(body) <= owner_may):
                return P.error(50013)
            meta = channel["thread_metadata"]
            for key in ("archived", "locked", "auto_archive_duration", "invitable"):
                if key in body and body[key] is not None:
                    meta[key] = body[key]
            if "archived" in body:
                meta["archive_timestamp"] = P.iso(P.utcnow())
        elif not perms & Perm.MANAGE_CHANNELS:
            return P.error(50013)
        for key in ("name", "topic", "rate_limit_per_user", "nsfw"):
            if key in body:
                channel[key] = body[key] if key != "rate_limit_per_user" else int(body[key] or 0)
        await self._channel_update(cid)
        return 200, channel

    async def _channel_update(self, cid: int) -> int:
        w = self._world_of_channel(cid)
        data = dict(w.channel(cid) or {})
        data.setdefault("guild_id", str(w.guild_id))
        event = "THREAD_UPDATE" if cid in w.threads else "CHANNEL_UPDATE"
        return await self._broadcast(event, data, intents=Intent.GUILDS, channel_id=cid)

    def slowmode(self, channel: str | int, *, guild: str | int | None = None) -> int:
        """A channel's or thread's current slowmode (``rate_limit_per_user``) in seconds."""
        w, cid = self._channel_world(channel, guild)
        payload = w.channel(cid) or {}
        return int(payload.get("rate_limit_per_user") or 0)

    def thread_members(self, thread: str | int, *, guild: str | int | None = None) -> list[str]:
        """The usernames of a thread's members (the bot included when it joined)."""
        w, tid = self._channel_world(thread, guild)
        return sorted(w.users[u]["username"] for u in w.thread_members.get(tid, set()))

    # ------------------------------------------------------------------ REST: threads

    def _thread_member(self, tid: int, uid: int) -> JSON:
        return {
            "id": str(tid),
            "user_id": str(uid),
            "join_timestamp": P.iso(P.utcnow()),
            "flags": 0,
        }

    async def _new_thread(
        self,
        parent: int,
        body: JSON,
        *,
        owner: int,
        thread_type: int,
        tid: int | None = None,
    ) -> JSON:
        """Create a thread (id = the starter message's when there is one), its owner as its
        first member, and send THREAD_CREATE (newly_created) to bots that may see it."""
        w = self._world_of_channel(parent)
        tid = tid or w.ids.now()
        thread = P.thread_channel(
            tid,
            str(body["name"]),
            guild_id=w.guild_id,
            parent_id=parent,
            owner_id=owner,
            created_at=P.utcnow(),
            private=thread_type == P.ChannelType.PRIVATE_THREAD,
            auto_archive_duration=int(body.get("auto_archive_duration") or 4320),
            rate_limit_per_user=int(body.get("rate_limit_per_user") or 0),
        )
        if thread_type == P.ChannelType.ANNOUNCEMENT_THREAD:
            thread["type"] = thread_type
        if thread_type == P.ChannelType.PRIVATE_THREAD:
            thread["thread_metadata"]["invitable"] = bool(body.get("invitable", True))
        w.threads[tid] = thread
        w.thread_members[tid] = {owner}
        thread["member_count"] = 1
        event = {**thread, "newly_created": True}
        if owner == w.bot_id:
            event["member"] = self._thread_member(tid, owner)
        await self._broadcast("THREAD_CREATE", event, intents=Intent.GUILDS, channel_id=tid)
        return thread

    def _thread_parent_problem(self, cid: int, perms: int, needed: int) -> _Reply | None:
        w = self._world_of_channel(cid)
        channel = w.channels.get(cid)
        if channel is None or channel["type"] not in (
            P.ChannelType.GUILD_TEXT,
            P.ChannelType.GUILD_ANNOUNCEMENT,
        ):
            return P.error(50024)
        if not perms & Perm.VIEW_CHANNEL:
            return P.error(50001)
        if not perms & needed:
            return P.error(50013)
        return None

    async def _thread_from_message(self, req: _Request) -> _Reply:
        """POST /channels/{c}/messages/{m}/threads: a public (or announcement) thread on a
        message; the thread takes the message's id; one thread per message (160004)."""
        cid, channel = self._channel_or_error(req.params["channel_id"])
        if channel is None:
            return P.error(10003)
        w = self._world_of_channel(cid)
        if cid in w.threads or cid in w.dm_channel_user:
            return P.error(50024)
        perms = w.permissions(w.bot_id, cid)
        problem = self._thread_parent_problem(cid, perms, Perm.CREATE_PUBLIC_THREADS)
        if problem:
            return problem
        if not perms & Perm.READ_MESSAGE_HISTORY:
            return P.error(50013)
        mid = int(req.params["message_id"]) if req.params["message_id"].isdigit() else 0
        msg = w.messages.get(mid)
        if msg is None or int(msg["channel_id"]) != cid or mid in w.deleted_messages:
            return P.error(10008)
        if mid in w.threads:
            return P.error(160004)
        kind = (
            P.ChannelType.ANNOUNCEMENT_THREAD
            if channel["type"] == P.ChannelType.GUILD_ANNOUNCEMENT
            else P.ChannelType.PUBLIC_THREAD
        )
        thread = await self._new_thread(
            cid, req.body_dict(), owner=w.bot_id, thread_type=kind, tid=mid
        )
        msg["thread"] = thread
        msg["flags"] = int(msg.get("flags") or 0) | MessageFlag.HAS_THREAD
        await self._dispatch_message_event("MESSAGE_UPDATE", msg)
        return 201, thread

    async def _thread_without_message(self, req: _Request) -> _Reply:
        """POST /channels/{c}/threads: a thread without a starter message; type 12 (private,
        the default), 11 (public) or 10 (announcement channels only)."""
        cid, channel = self._channel_or_error(req.params["channel_id"])
        if channel is None:
            return P.error(10003)
        w = self._world_of_channel(cid)
        body = req.body_dict()
        kind = int(body.get("type") or P.ChannelType.PRIVATE_THREAD)
        perms = w.permissions(w.bot_id, cid)
        needed = (
            Perm.CREATE_PRIVATE_THREADS
            if kind == P.ChannelType.PRIVATE_THREAD
            else Perm.CREATE_PUBLIC_THREADS
        )
        problem = self._thread_parent_problem(cid, perms, needed)
        if problem:
            return problem
        announcement = channel["type"] == P.ChannelType.GUILD_ANNOUNCEMENT
        if (kind == P.ChannelType.ANNOUNCEMENT_THREAD) != announcement or (
            announcement and kind == P.ChannelType.PRIVATE_THREAD
        ):
            return P.error(
                50035,
                errors=P.form_error(
                    ["type"], "THREAD_TYPE_INVALID", "This thread type is not allowed here"
                ),
            )
        thread = await self._new_thread(cid, body, owner=w.bot_id, thread_type=kind)
        return 201, thread

    def _thread_or_error(self, raw: str) -> tuple[int, JSON | None, _Reply | None]:
        cid, channel = self._channel_or_error(raw)
        if channel is None:
            return cid, None, P.error(10003)
        if cid not in self._world_of_channel(cid).threads:
            return cid, None, P.error(50024)
        return cid, channel, None

    async def _add_thread_member(self, req: _Request) -> _Reply:
        """PUT /channels/{t}/thread-members/{user}: the bot adds a member (or @me joins).
        Needs to be able to send in the thread; the thread must not be archived; the member
        must see the parent channel."""
        tid, thread, problem = self._thread_or_error(req.params["channel_id"])
        if problem or thread is None:
            return problem or P.error(10003)
        w = self._world_of_channel(tid)
        raw = req.params["user_id"]
        uid = w.bot_id if raw == "@me" else (int(raw) if raw.isdigit() else 0)
        if uid not in w.members:
            return P.error(10007)
        bot_perms = w.permissions(w.bot_id, tid)
        if raw == "@me":
            if not bot_perms & Perm.VIEW_CHANNEL:
                return P.error(50001)
        else:
            if not bot_perms & Perm.VIEW_CHANNEL:
                return P.error(50001)
            if not bot_perms & Perm.SEND_MESSAGES_IN_THREADS:
                return P.error(50013)
        if thread["thread_metadata"].get("archived"):
            return P.error(50083)
        parent = int(thread["parent_id"])
        if not w.permissions(uid, parent) & Perm.VIEW_CHANNEL:
            return P.error(50001)
        await self._join_thread(tid, uid)
        return 204, None

    async def _join_thread(self, tid: int, uid: int) -> None:
        w = self._world_of_channel(tid)
        members = w.thread_members.setdefault(tid, set())
        if uid in members:
            return
        members.add(uid)
        w.threads[tid]["member_count"] = len(members)
        if uid == w.bot_id:
            thread = {**w.threads[tid], "member": self._thread_member(tid, uid)}
            await self._broadcast("THREAD_CREATE", thread, intents=Intent.GUILDS)
        await self._broadcast(
            "THREAD_MEMBERS_UPDATE",
            {
                "id": str(tid),
                "guild_id": str(w.guild_id),
                "member_count": len(members),
                "added_members": [
                    {
                        **self._thread_member(tid, uid),
                        "member": w.members[uid],
                    }
                ],
            },
            intents=Intent.GUILD_MEMBERS if uid != w.bot_id else Intent.GUILDS,
            channel_id=tid,
        )

    async def _remove_thread_member(self, req: _Request) -> _Reply:
        tid, thread, problem = self._thread_or_error(req.params["channel_id"])
        if problem or thread is None:
            return problem or P.error(10003)
        w = self._world_of_channel(tid)
        raw = req.params["user_id"]
        uid = w.bot_id if raw == "@me" else (int(raw) if raw.isdigit() else 0)
        may_remove = w.permissions(w.bot_id, tid) & Perm.MANAGE_THREADS or thread.get(
            "owner_id"
        ) == str(w.bot_id)
        if uid != w.bot_id and not may_remove:
            return P.error(50013)
        members = w.thread_members.setdefault(tid, set())
        if uid not in members:
            return P.error(10007)
        members.discard(uid)
        thread["member_count"] = len(members)
        return 204, None

    async def _list_thread_members(self, req: _Request) -> _Reply:
        tid, thread, problem = self._thread_or_error(req.params["channel_id"])
        if problem or thread is None:
            return problem or P.error(10003)
        w = self._world_of_channel(tid)
        if not w.permissions(w.bot_id, tid) & Perm.VIEW_CHANNEL:
            return P.error(50001)
        return 200, [self._thread_member(tid, u) for u in sorted(w.thread_members.get(tid, ()))]

    def _visible_messages(self, cid: int) -> list[JSON]:
        return [
            m
            for mid, m in sorted(self.world.messages.items())
            if int(m["channel_id"]) == cid
            and mid not in self.world.deleted_messages
            and not int(m.get("flags") or 0) & MessageFlag.EPHEMERAL
        ]

    async def _get_messages(self, req: _Request) -> _Reply:
        cid, channel = self._channel_or_error(req.params["channel_id"])
        if channel is None:
            return P.error(10003)
        w = self._world_of_channel(cid)
        if w.is_guild_channel(cid):
            perms = w.permissions(w.bot_id, cid)
            if not perms & Perm.VIEW_CHANNEL:
                return P.error(50001)
            if not perms & Perm.READ_MESSAGE_HISTORY:
                return 200, []
        q = req.call.query
        limit = max(1, min(100, int(q.get("limit", 50))))
        messages = self._visible_messages(cid)
        if "before" in q:
            messages = [m for m in messages if int(m["id"]) < int(q["before"])]
            result = messages[-limit:][::-1]
        elif "after" in q:
            messages = [m for m in messages if int(m["id"]) > int(q["after"])]
            result = messages[:limit][::-1]
        elif "around" in q:
            around = int(q["around"])
            older = [m for m in messages if int(m["id"]) <= around][-((limit + 1) // 2) :]
            newer = [m for m in messages if int(m["id"]) > around][: limit - len(older)]
            result = (older + newer)[::-1]
        else:
            result = messages[-limit:][::-1]
        return 200, result

    async def _get_pins(self, req: _Request) -> _Reply:
        return 200, {"items": [], "has_more": False}

    async def _get_message(self, req: _Request) -> _Reply:
        cid, channel = self._channel_or_error(req.params["channel_id"])
        if channel is None:
            return P.error(10003)
        mid = int(req.params["message_id"]) if req.params["message_id"].isdigit() else 0
        msg = self.world.messages.get(mid)
        if msg is None or int(msg["channel_id"]) != cid or mid in self.world.deleted_messages:
            return P.error(10008)
        return 200, msg

    def _check_send(self, cid: int, body: JSON, files: Sequence[UploadedFile]) -> _Reply | None:
        """Discord's refusals for the bot posting in a channel."""
        w = self._world_of_channel(cid)
        if cid in w.dm_channel_user:
            uid = w.dm_channel_user[cid]
            user = w.users.get(uid, {})
            shares_a_guild = any(uid in o.members for o in self.worlds.values())
            if not w.dms_open.get(uid, True) or not shares_a_guild or user.get("bot"):
                return P.error(50007)
            return None
        perms = w.permissions(w.bot_id, cid)
        if not perms & Perm.VIEW_CHANNEL:
            return P.error(50001)
        thread = w.threads.get(cid)
        if thread is not None:
            meta = thread["thread_metadata"]
            if meta.get("locked") and not perms & Perm.MANAGE_THREADS:
                return P.error(160005)
            if meta.get("archived") and not perms & Perm.MANAGE_THREADS:
                return P.error(50083)
            if not perms & Perm.SEND_MESSAGES_IN_THREADS:
                return P.error(50013)
        elif not perms & Perm.SEND_MESSAGES:
            return P.error(50013)
        if files and not perms & Perm.ATTACH_FILES:
            return P.error(50013)
        return None

    def _normalize_embeds(self, embeds: Any, cid: int | None) -> list[JSON]:
        if not embeds:
            return []
        w = self.world if cid is None else self._world_of_channel(cid)
        bot_perms = w.permissions(w.bot_id, cid) if cid is not None else Perm.ALL
        if cid is not None and w.is_guild_channel(cid) and not bot_perms & Perm.EMBED_LINKS:
            return []  # Discord drops embeds silently without Embed Links
        result = []
        for embed in embeds:
            e = copy.deepcopy(embed)  # attachment:// refs are resolved in the copy only
            e.setdefault("type", "rich")
            e.setdefault("content_scan_version", 0)
            result.append(e)
        return result

    def _mentions(
        self, content: str, allowed: JSON | None, *, guild: bool, cid: int
    ) -> tuple[list[JSON], list[int], bool]:
        """(mentions, mention_roles, mention_everyone) for a bot message under allowed_mentions."""
        w = self._world_of_channel(cid)
        parse = (
            set((allowed or {}).get("parse", ["users", "roles", "everyone"]))
            if allowed is not None
            else {"users", "roles", "everyone"}
        )
        allowed_users = {int(u) for u in (allowed or {}).get("users", [])}
        allowed_roles = {int(r) for r in (allowed or {}).get("roles", [])}
        mentions = []
        for uid in P.mentioned_user_ids(content):
            if uid in w.users and ("users" in parse or uid in allowed_users):
                mentions.append(P.mention_user(w.users[uid], w.members.get(uid) if guild else None))
        roles = [
            rid
            for rid in P.mentioned_role_ids(content)
            if guild and rid in w.roles and ("roles" in parse or rid in allowed_roles)
        ]
        everyone = guild and "everyone" in parse and ("@everyone" in content or "@here" in content)
        return mentions, roles, everyone

    def _attachments(self, files: Sequence[UploadedFile], body: JSON, cid: int) -> list[JSON]:
        """The uploads as Discord stores them: the ``files[n]`` part matched with the
        ``attachments`` entry of id n, the bytes kept (``fake.file_bytes``) and served at the
        attachment's url, the content type and, for PNG/GIF/JPEG, width and height read from
        the file, as Discord's media pipeline does."""
        result = []
        described = {
            str(a.get("id")): a for a in body.get("attachments") or [] if isinstance(a, dict)
        }
        for index, f in enumerate(files):
            match = re.fullmatch(r"files\[(\d+)\]", f.field)
            key = match.group(1) if match else str(index)
            meta = described.get(key, {})
            filename = _safe_filename(meta.get("filename") or f.filename or f"file{index}")
            aid = self.world.ids.now()
            content_type = mimetypes.guess_type(filename)[0] or f.content_type
            att = P.attachment(
                aid,
                filename,
                size=len(f.data),
                content_type=content_type,
                url_base=self.base_url,
                channel_id=cid,
            )
            size = _image_size(f.data)
            if size is not None:
                att["width"], att["height"] = size
            if meta.get("description"):
                att["description"] = meta["description"]
            self.files[aid] = f.data
            result.append(att)
        return result

    @staticmethod
    def _resolve_attachment_refs(embeds: list[JSON], attachments: Sequence[JSON]) -> None:
        """``attachment://name`` in an embed's image, thumbnail, author or footer icon
        becomes the uploaded file's url (with proxy_url, and width/height for images), as
        Discord stores it; the bot's own body keeps ``attachment://`` (``fake.body_of``)."""
        by_name = {a["filename"]: a for a in attachments}
        for embed in embeds:
            for key, url_key in (
                ("image", "url"),
                ("thumbnail", "url"),
                ("author", "icon_url"),
                ("footer", "icon_url"),
            ):
                part = embed.get(key)
                if not isinstance(part, dict):
                    continue
                url = part.get(url_key)
                if not isinstance(url, str) or not url.startswith("attachment://"):
                    continue
                att = by_name.get(url[len("attachment://") :])
                if att is None:
                    log.warning("embed %s refers to %s, which was not uploaded", key, url)
                    continue
                part[url_key] = att["url"]
                proxy = "proxy_icon_url" if url_key == "icon_url" else "proxy_url"
                part[proxy] = att["proxy_url"]
                if key in ("image", "thumbnail") and "width" in att:
                    part["width"], part["height"] = att["width"], att["height"]
                    part["content_type"] = att["content_type"]

    def file_bytes(self, message_id: int | str, filename: str | None = None) -> bytes:
        """The bytes of a file attached to a stored message (the only one, or by name)."""
        msg = self.message(message_id)
        attachments = msg.get("attachments") or []
        chosen = [a for a in attachments if filename is None or a["filename"] == filename]
        if len(chosen) != 1:
            names = [a["filename"] for a in attachments]
            raise KeyError(f"message {message_id} has attachments {names}; asked {filename!r}")
        return self.files[int(chosen[0]["id"])]

    async def _cdn(self, request: web.Request) -> web.StreamResponse:
        """The CDN: an attachment's bytes at its url (``await attachment.read()``)."""
        self._touch()
        raw = request.match_info["attachment_id"]
        data = self.files.get(int(raw)) if raw.isdigit() else None
        if data is None:
            return web.Response(status=404, text="Not Found")
        ctype = mimetypes.guess_type(request.match_info["filename"])[0]
        return web.Response(body=data, content_type=ctype or "application/octet-stream")

    def _new_bot_message(
        self,
        cid: int,
        body: JSON,
        files: Sequence[UploadedFile],
        *,
        interaction: InteractionRecord | None = None,
        extra_flags: int = 0,
    ) -> JSON:
        w = self._world_of_channel(cid)
        now = P.utcnow()
        mid = w.ids.at(now)
        guild = w.is_guild_channel(cid)
        content = body.get("content") or ""
        if not isinstance(content, str):
            content = str(content)
        mentions, roles, everyone = self._mentions(
            content, body.get("allowed_mentions"), guild=guild, cid=cid
        )
        reference = body.get("message_reference")
        referenced = None
        msg_type = 0
        if reference:
            ref_id = int(reference.get("message_id") or 0)
            referenced = w.messages.get(ref_id)
            reference = {
                "type": 0,
                "message_id": str(ref_id),
                "channel_id": str(reference.get("channel_id") or cid),
                **({"guild_id": str(w.guild_id)} if guild else {}),
            }
            msg_type = 19
        interaction_metadata = None
        application_id = webhook_id = None
        if interaction is not None:
            msg_type = 20 if interaction.type == InteractionType.APPLICATION_COMMAND else 0
            application_id = webhook_id = w.application_id
            interaction_metadata = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": w.users[interaction.user_id],
                "authorizing_integration_owners": interaction.payload.get(
                    "authorizing_integration_owners", {}
                ),
            }
            if interaction.original is not None:
                interaction_metadata["original_response_message_id"] = interaction.original["id"]
            if interaction.source_message_id is not None:
                interaction_metadata["interacted_message_id"] = str(interaction.source_message_id)
            if interaction.type == InteractionType.APPLICATION_COMMAND:
                interaction_metadata["name"] = interaction.payload.get("data", {}).get("name")
                interaction_metadata["command_type"] = 1
        msg = P.message(
            mid,
            channel_id=cid,
            author=w.bot_user,
            content=content,
            timestamp=now,
            guild_id=w.guild_id if guild else None,
            mentions=mentions,
            mention_roles=roles,
            mention_everyone=everyone,
            embeds=self._normalize_embeds(body.get("embeds"), None if interaction else cid),
            attachments=self._attachments(files, body, cid),
            components=P.number_components(body.get("components") or []),
            flags=(int(body.get("flags") or 0) | extra_flags),
            type=msg_type,
            tts=bool(body.get("tts")),
            nonce=body.get("nonce"),
            message_reference=reference,
            referenced_message=referenced,
            webhook_id=webhook_id,
            application_id=application_id,
            interaction_metadata=interaction_metadata,
        )
        self._resolve_attachment_refs(msg["embeds"], msg["attachments"])
        w.messages[mid] = msg
        self._bodies[mid] = copy.deepcopy(body)
        return msg

    def _apply_edit(self, msg: JSON, body: JSON, files: Sequence[UploadedFile]) -> None:
        cid = int(msg["channel_id"])
        if "content" in body:
            msg["content"] = body["content"] or ""
            guild = self._world_of_channel(cid).is_guild_channel(cid)
            mentions, roles, everyone = self._mentions(
                msg["content"], body.get("allowed_mentions"), guild=guild, cid=cid
            )
            msg["mentions"], msg["mention_roles"], msg["mention_everyone"] = (
                mentions,
                [str(r) for r in roles],
                everyone,
            )
        if "embeds" in body:
            msg["embeds"] = self._normalize_embeds(body["embeds"], cid)
        if "components" in body:
            msg["components"] = P.number_components(body["components"] or [])
        if "flags" in body and body["flags"] is not None:
            keep = int(msg.get("flags") or 0) & ~MessageFlag.SUPPRESS_EMBEDS
            msg["flags"] = keep | (int(body["flags"]) & MessageFlag.SUPPRESS_EMBEDS)
        if "attachments" in body or files:
            kept_ids = {
                str(a.get("id")) for a in body.get("attachments") or [] if isinstance(a, dict)
            }
            kept = [a for a in msg.get("attachments", []) if a["id"] in kept_ids]
            msg["attachments"] = kept + self._attachments(files, body, cid)
        if "embeds" in body or files:
            self._resolve_attachment_refs(msg.get("embeds") or [], msg.get("attachments") or [])
        msg["edited_timestamp"] = P.iso(P.utcnow())

    def _gateway_message(self, msg: JSON) -> JSON:
        """A stored message as MESSAGE_CREATE/UPDATE carries it (with ``member`` in guilds)."""
        data = dict(msg)
        if "guild_id" in data:
            world = self._world_of_guild(data["guild_id"]) or self.world
            member = world.partial_member(int(msg["author"]["id"]))
            if member is not None and "webhook_id" not in data:
                data["member"] = member
        return data

    async def _post_message(self, req: _Request) -> _Reply:
        cid, channel = self._channel_or_error(req.params["channel_id"])
        if channel is None:
            return P.error(10003)
        body = req.body_dict()
        files = req.call.files
        if P.is_empty_message(body, has_files=bool(files)):
            return P.error(50006)
        problem = self._check_send(cid, body, files)
        if problem:
            return problem
        reference = body.get("message_reference")
        if reference:
            ref_id = int(reference.get("message_id") or 0)
            exists = ref_id in self.world.messages and ref_id not in self.world.deleted_messages
            if not exists and reference.get("fail_if_not_exists", True):
                return P.error(
                    50035,
                    errors=P.form_error(
                        ["message_reference"], "REPLIES_UNKNOWN_MESSAGE", "Unknown message"
                    ),
                )
        # Discord (docs, "Create Message"): with enforce_nonce and a nonce, "if another
        # message was created by the same author with the same nonce [in the past few
        # minutes], that message will be returned and no new message will be created".
        nonce = body.get("nonce")
        enforce = nonce is not None and bool(body.get("enforce_nonce"))
        if enforce:
            earlier = self._nonces.get(str(nonce))
            if earlier is not None and self._now() - earlier[1] < self.nonce_window:
                return 200, self.world.messages[earlier[0]]
        msg = self._new_bot_message(cid, body, files)
        if enforce:
            self._nonces[str(nonce)] = (int(msg["id"]), self._now())
        if cid in self._world_of_channel(cid).threads:
            await self._posted_in_thread(cid, self.world.bot_id, int(msg["id"]))
        if self.echo_own_messages:
            await self._dispatch_message_event("MESSAGE_CREATE", msg)
        return 200, msg

    async def _posted_in_thread(self, tid: int, uid: int, mid: int) -> None:
        """Posting in a thread joins it (as on Discord) and counts the message."""
        thread = self._world_of_channel(tid).threads[tid]
        thread["message_count"] = int(thread.get("message_count") or 0) + 1
        thread["total_message_sent"] = int(thread.get("total_message_sent") or 0) + 1
        thread["last_message_id"] = str(mid)
        await self._join_thread(tid, uid)

    async def _patch_message(self, req: _Request) -> _Reply:
        cid, channel = self._channel_or_error(req.params["channel_id"])
        if channel is None:
            return P.error(10003)
        mid = int(req.params["message_id"]) if req.params["message_id"].isdigit() else 0
        msg = self.world.messages.get(mid)
        if msg is None or int(msg["channel_id"]) != cid or mid in self.world.deleted_messages:
            return P.error(10008)
        body = req.body_dict()
        if int(msg["author"]["id"]) != self.world.bot_id and set(body) - {"flags"}:
            return 403, {"message": "Cannot edit a message authored by another user", "code": 50005}
        self._apply_edit(msg, body, req.call.files)
        await self._dispatch_message_event("MESSAGE_UPDATE", msg)
        return 200, msg

    async def _delete_message(self, req: _Request) -> _Reply:
        cid, channel = self._channel_or_error(req.params["channel_id"])
        if channel is None:
            return P.error(10003)
        mid = int(req.params["message_id"]) if req.params["message_id"].isdigit() else 0
        msg = self.world.messages.get(mid)
        if msg is None or int(msg["channel_id"]) != cid or mid in self.world.deleted_messages:
            return P.error(10008)
        w = self._world_of_channel(cid)
        if int(msg["author"]["id"]) != w.bot_id:
            if cid in w.dm_channel_user:
                return 403, {"message": "Cannot execute action on a DM channel", "code": 50003}
            if not w.permissions(w.bot_id, cid) & Perm.MANAGE_MESSAGES:
                return P.error(50013)
        await self._delete(msg)
        return 204, None

    async def _delete(self, msg: JSON) -> None:
        mid = int(msg["id"])
        self.world.deleted_messages.add(mid)
        guild_id = int(msg["guild_id"]) if "guild_id" in msg else None
        data = P.message_delete(msg["id"], msg["channel_id"], guild_id)
        if not int(msg.get("flags") or 0) & MessageFlag.EPHEMERAL:
            await self._dispatch_message_event("MESSAGE_DELETE", msg, data=data)

    async def _bulk_delete(self, req: _Request) -> _Reply:
        cid, channel = self._channel_or_error(req.params["channel_id"])
        if channel is None:
            return P.error(10003)
        w = self._world_of_channel(cid)
        if not w.permissions(w.bot_id, cid) & Perm.MANAGE_MESSAGES:
            return P.error(50013)
        ids = [int(i) for i in req.body_dict().get("messages", [])]
        if not 2 <= len(ids) <= 100:
            return P.error(
                50035,
                errors=P.form_error(
                    ["messages"], "BASE_TYPE_BAD_LENGTH", "Must be between 2 and 100 in length."
                ),
            )
        for mid in ids:
            self.world.deleted_messages.add(mid)
        await self._broadcast(
            "MESSAGE_DELETE_BULK",
            {
                "ids": [str(i) for i in ids],
                "channel_id": str(cid),
                "guild_id": str(w.guild_id),
            },
            intents=Intent.GUILD_MESSAGES,
            channel_id=cid,
        )
        return 204, None

    async def _add_reaction(self, req: _Request) -> _Reply:
        return await self._react(req, add=True)

    async def _remove_reaction(self, req: _Request) -> _Reply:
        return await self._react(req, add=False)

    async def _react(self, req: _Request, *, add: bool) -> _Reply:
        cid, channel = self._channel_or_error(req.params["channel_id"])
        if channel is None:
            return P.error(10003)
        mid = int(req.params["message_id"]) if req.params["message_id"].isdigit() else 0
        msg = self.world.messages.get(mid)
        if msg is None or mid in self.world.deleted_messages:
            return P.error(10008)
        w = self._world_of_channel(cid)
        if (
            w.is_guild_channel(cid)
            and add
            and not w.permissions(w.bot_id, cid) & Perm.ADD_REACTIONS
        ):
            return P.error(50013)
        raw = req.params["emoji"]
        name, _, emoji_id = raw.partition(":")
        emoji = {"id": emoji_id or None, "name": name}
        reactions = msg.setdefault("reactions", [])
        entry = next((r for r in reactions if r["emoji"] == emoji), None)
        if add and entry is None:
            reactions.append(
                {
                    "count": 1,
                    "me": True,
                    "emoji": emoji,
                    "burst_colors": [],
                    "count_details": {"burst": 0, "normal": 1},
                    "me_burst": False,
                    "burst_me": False,
                    "burst_count": 0,
                }
            )
        elif add and entry is not None and not entry["me"]:
            entry["count"] += 1
            entry["me"] = True
        elif not add and entry is not None and entry["me"]:
            entry["count"] -= 1
            entry["me"] = False
            if entry["count"] <= 0:
                reactions.remove(entry)
        event: JSON = {
            "user_id": str(w.bot_id),
            "channel_id": str(cid),
            "message_id": str(mid),
            "emoji": emoji,
            "burst": False,
            "type": 0,
        }
        guild = w.is_guild_channel(cid)
        if guild:
            event["guild_id"] = str(w.guild_id)
            if add:
                event["member"] = w.members[w.bot_id]
        await self._broadcast(
            "MESSAGE_REACTION_ADD" if add else "MESSAGE_REACTION_REMOVE",
            event,
            intents=Intent.GUILD_MESSAGE_REACTIONS if guild else Intent.DIRECT_MESSAGE_REACTIONS,
            channel_id=cid if guild else None,
        )
        return 204, None

    # ------------------------------------------------------------------ REST: guilds & members

    def _guild_or_error(self, req: _Request) -> tuple[World, None] | tuple[None, _Reply]:
        """The World of the path's ``{guild_id}``, or 404 Unknown Guild (10004) for a guild
        the bot is not in, as Discord answers."""
        world = self._world_of_guild(req.params["guild_id"])
        if world is None:
            return None, P.error(10004)
        return world, None

    async def _get_guild(self, req: _Request) -> _Reply:
        w, problem = self._guild_or_error(req)
        if w is None:
            return problem or P.error(10004)
        data = w.guild_payload()
        if _truthy(req.call.query.get("with_counts")):
            data["approximate_member_count"] = len(w.members)
            data["approximate_presence_count"] = 0
        return 200, data

    async def _get_guild_channels(self, req: _Request) -> _Reply:
        w, problem = self._guild_or_error(req)
        return (200, list(w.channels.values())) if w else problem or P.error(10004)

    async def _get_roles(self, req: _Request) -> _Reply:
        w, problem = self._guild_or_error(req)
        return (200, w.guild_payload()["roles"]) if w else problem or P.error(10004)

    # ------------------------------------------------------------------ REST: AutoMod

    def _automod_access(self, req: _Request) -> tuple[World, None] | tuple[None, _Reply]:
        """AutoMod routes need Manage Server in that guild (403 50013)."""
        w, problem = self._guild_or_error(req)
        if w is None:
            return None, problem or P.error(10004)
        if not w.permissions(w.bot_id) & Perm.MANAGE_GUILD:
            return None, P.error(50013)
        return w, None

    def _rules_of(self, w: World) -> list[JSON]:
        """The AutoMod rules of one guild (``fake.automod_rules`` holds every guild's)."""
        return [r for r in self.automod_rules.values() if r["guild_id"] == str(w.guild_id)]

    def _automod_rule_or_error(self, req: _Request) -> tuple[JSON | None, _Reply | None]:
        w, problem = self._automod_access(req)
        if w is None:
            return None, problem
        raw = req.params["rule_id"]
        rule = self.automod_rules.get(int(raw)) if raw.isdigit() else None
        if rule is not None and rule["guild_id"] != str(w.guild_id):
            rule = None  # another guild's rule is unknown here
        return rule, (None if rule else P.error(10066))

    def _automod_channel_errors(self, w: World, body: JSON) -> JSON:
        """A SEND_ALERT_MESSAGE action's channel must be a text channel of this server."""
        errors: JSON = {}
        for i, action in enumerate(body.get("actions") or []):
            if not isinstance(action, dict) or action.get("type") != 2:
                continue
            raw = str((action.get("metadata") or {}).get("channel_id", ""))
            channel = w.channels.get(int(raw)) if raw.isdigit() else None
            if channel is None or channel["type"] not in (0, 5):
                openapi.merge_errors(
                    errors,
                    P.form_error(
                        ["actions", i, "metadata", "channel_id"],
                        "CHANNEL_TYPE_INVALID",
                        "Not a text channel of this server",
                    ),
                )
        return errors

    def _store_rule(self, w: World, rule_id: int, body: JSON, *, creator: int) -> JSON:
        meta = body.get("trigger_metadata") or {}
        rule: JSON = {
            "id": str(rule_id),
            "guild_id": str(w.guild_id),
            "name": body["name"],
            "creator_id": str(creator),
            "event_type": int(body["event_type"]),
            "trigger_type": int(body["trigger_type"]),
            "trigger_metadata": {
                "keyword_filter": list(meta.get("keyword_filter") or []),
                "regex_patterns": list(meta.get("regex_patterns") or []),
                "presets": list(meta.get("presets") or []),
                "allow_list": list(meta.get("allow_list") or []),
                "mention_total_limit": meta.get("mention_total_limit"),
                "mention_raid_protection_enabled": bool(
                    meta.get("mention_raid_protection_enabled")
                ),
            },
            "actions": [
                {"type": a["type"], "metadata": dict(a.get("metadata") or {})}
                for a in body.get("actions") or []
            ],
            "enabled": bool(body.get("enabled", False)),
            "exempt_roles": [str(r) for r in body.get("exempt_roles") or []],
            "exempt_channels": [str(c) for c in body.get("exempt_channels") or []],
        }
        self.automod_rules[rule_id] = rule
        return rule

    async def _automod_event(self, event: str, rule: JSON) -> None:
        w = self._world_of_guild(rule["guild_id"]) or self.world
        if w.permissions(w.bot_id) & Perm.MANAGE_GUILD:
            await self._broadcast(event, rule, intents=Intent.AUTO_MODERATION_CONFIGURATION)

    async def _list_automod_rules(self, req: _Request) -> _Reply:
        w, problem = self._automod_access(req)
        return (200, self._rules_of(w)) if w else problem or P.error(10004)

    async def _get_automod_rule(self, req: _Request) -> _Reply:
        rule, problem = self._automod_rule_or_error(req)
        return problem or (200, rule)

    async def _create_automod_rule(self, req: _Request) -> _Reply:
        w, problem = self._automod_access(req)
        if w is None:
            return problem or P.error(10004)
        body = req.body_dict()
        errors = L.automod_count_errors(self._rules_of(w), body["trigger_type"])
        openapi.merge_errors(errors, self._automod_channel_errors(w, body))
        if errors:
            return P.error(50035, errors=errors)
        rule = self._store_rule(w, w.ids.now(), body, creator=w.bot_id)
        await self._automod_event("AUTO_MODERATION_RULE_CREATE", rule)
        return 200, rule

    async def _patch_automod_rule(self, req: _Request) -> _Reply:
        rule, problem = self._automod_rule_or_error(req)
        if problem or rule is None:
            return problem or P.error(10066)
        body = req.body_dict()
        if "trigger_type" in body and body["trigger_type"] != rule["trigger_type"]:
            return P.error(
                50035,
                errors=P.form_error(
                    ["trigger_type"],
                    "AUTO_MODERATION_TRIGGER_TYPE_IMMUTABLE",
                    "A rule's trigger type cannot be changed",
                ),
            )
        errors = L.automod_rule_errors(body, create=False, trigger_type=rule["trigger_type"])
        w = self._world_of_guild(rule["guild_id"]) or self.world
        openapi.merge_errors(errors, self._automod_channel_errors(w, body))
        if errors:
            return P.error(50035, errors=errors)
        merged = {**rule, **{k: v for k, v in body.items() if v is not None}}
        updated = self._store_rule(w, int(rule["id"]), merged, creator=int(rule["creator_id"]))
        await self._automod_event("AUTO_MODERATION_RULE_UPDATE", updated)
        return 200, updated

    async def _delete_automod_rule(self, req: _Request) -> _Reply:
        rule, problem = self._automod_rule_or_error(req)
        if problem or rule is None:
            return problem or P.error(10066)
        del self.automod_rules[int(rule["id"])]
        await self._automod_event("AUTO_MODERATION_RULE_DELETE", rule)
        return 204, None

    async def _get_active_threads(self, req: _Request) -> _Reply:
        w, problem = self._guild_or_error(req)
        if w is None:
            return problem or P.error(10004)
        threads = [t for t in w.threads.values() if not t["thread_metadata"]["archived"]]
        return 200, {"threads": threads, "members": []}

    async def _list_members(self, req: _Request) -> _Reply:
        w, problem = self._guild_or_error(req)
        if w is None:
            return problem or P.error(10004)
        q = req.call.query
        limit = int(q.get("limit", 1))
        if not 1 <= limit <= 1000:
            return P.error(
                50035,
                errors=P.form_error(
                    ["limit"], "NUMBER_TYPE_MAX", "int value should be <= 1000 and >= 1."
                ),
            )
        after = int(q.get("after", 0))
        ids = sorted(uid for uid in w.members if uid > after)[:limit]
        return 200, [w.members[uid] for uid in ids]

    async def _search_members(self, req: _Request) -> _Reply:
        w, problem = self._guild_or_error(req)
        if w is None:
            return problem or P.error(10004)
        q = req.call.query
        query = (q.get("query") or "").casefold()
        limit = max(1, min(1000, int(q.get("limit", 1))))
        return 200, self._member_query(w, query)[:limit]

    def _member_query(self, w: World, query: str) -> list[JSON]:
        result = []
        for member in w.members.values():
            user = member["user"]
            names = [user["username"], user.get("global_name"), member.get("nick")]
            if any(n and n.casefold().startswith(query) for n in names):
                result.append(member)
        return result

    def _member_or_error(self, w: World, req: _Request) -> tuple[int, JSON | None]:
        raw = req.params["user_id"]
        uid = int(raw) if raw.isdigit() else 0
        return uid, w.members.get(uid)

    async def _get_member(self, req: _Request) -> _Reply:
        w, problem = self._guild_or_error(req)
        if w is None:
            return problem or P.error(10004)
        _uid, member = self._member_or_error(w, req)
        return (200, member) if member else P.error(10007)

    def _outranks(self, w: World, target: int) -> bool:
        """Whether the bot may moderate ``target`` (owner and equal/higher roles are off limits)."""
        if target == w.owner_id:
            return False
        return w.top_role_position(w.bot_id) > w.top_role_position(target)

    async def _patch_member(self, req: _Request) -> _Reply:
        w, problem = self._guild_or_error(req)
        if w is None:
            return problem or P.error(10004)
        uid, member = self._member_or_error(w, req)
        if member is None:
            return P.error(10007)
        body = req.body_dict()
        perms = w.permissions(w.bot_id)
        if uid == w.bot_id and set(body) <= {"nick"}:
            return await self._set_own_nick(w, body)
        if "nick" in body:
            nick = body["nick"]
            if nick is not None and len(nick) > 32:
                return P.error(
                    50035,
                    errors=P.form_error(
                        ["nick"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length."
                    ),
                )
            if not perms & Perm.MANAGE_NICKNAMES or not self._outranks(w, uid):
                return P.error(50013)
        if "roles" in body:
            if not perms & Perm.MANAGE_ROLES:
                return P.error(50013)
            current = set(member["roles"])
            wanted = {str(r) for r in body["roles"] or []}
            top = w.top_role_position(w.bot_id)
            for rid in current ^ wanted:
                role = w.roles.get(int(rid))
                if role is None:
                    return P.error(10011)
                if int(role["position"]) >= top or role.get("managed"):
                    return P.error(50013)
        if "communication_disabled_until" in body and (
            not perms & Perm.MODERATE_MEMBERS or not self._outranks(w, uid)
        ):
            return P.error(50013)
        if "nick" in body:
            member["nick"] = body["nick"] or None
        if "roles" in body:
            member["roles"] = [str(r) for r in body["roles"] or []]
        if "communication_disabled_until" in body:
            member["communication_disabled_until"] = body["communication_disabled_until"]
        await self._member_update_event(w, uid)
        return 200, member

    async def _patch_me_member(self, req: _Request) -> _Reply:
        w, problem = self._guild_or_error(req)
        if w is None:
            return problem or P.error(10004)
        return await self._set_own_nick(w, req.body_dict())

    async def _set_own_nick(self, w: World, body: JSON) -> _Reply:
        if not w.permissions(w.bot_id) & (Perm.CHANGE_NICKNAME | Perm.MANAGE_NICKNAMES):
            return P.error(50013)
        member = w.members[w.bot_id]
        member["nick"] = body.get("nick") or None
        await self._member_update_event(w, w.bot_id)
        return 200, member

    async def _kick_member(self, req: _Request) -> _Reply:
        w, problem = self._guild_or_error(req)
        if w is None:
            return problem or P.error(10004)
        uid, member = self._member_or_error(w, req)
        if member is None:
            return P.error(10007)
        if not w.permissions(w.bot_id) & Perm.KICK_MEMBERS or not self._outranks(w, uid):
            return P.error(50013)
        await self._remove_member(w, uid)
        return 204, None

    async def _add_member_role(self, req: _Request) -> _Reply:
        return await self._change_role(req, add=True)

    async def _remove_member_role(self, req: _Request) -> _Reply:
        return await self._change_role(req, add=False)

    async def _change_role(self, req: _Request, *, add: bool) -> _Reply:
        w, problem = self._guild_or_error(req)
        if w is None:
            return problem or P.error(10004)
        uid, member = self._member_or_error(w, req)
        if member is None:
            return P.error(10007)
        rid = req.params["role_id"]
        role = w.roles.get(int(rid)) if rid.isdigit() else None
        if role is None:
            return P.error(10011)
        if not w.permissions(w.bot_id) & Perm.MANAGE_ROLES or int(
            role["position"]
        ) >= w.top_role_position(w.bot_id):
            return P.error(50013)
        roles = [r for r in member["roles"] if r != rid]
        if add:
            roles.append(rid)
        if roles != member["roles"]:
            member["roles"] = roles
            await self._member_update_event(w, uid)
        return 204, None

    # ------------------------------------------------------------------ REST: interactions

    def _interaction_for(self, token: str, app_id: str | None = None) -> InteractionRecord | None:
        rec = self._interactions_by_token.get(token)
        if rec is None or (app_id is not None and app_id != str(self.world.application_id)):
            return None
        return rec

    async def _interaction_callback(self, req: _Request) -> _Reply:
        rec = self._interaction_for(req.params["token"])
        if rec is None or str(rec.id) != req.params["interaction_id"]:
            return P.error(10062)
        if rec.callback is not None:
            return P.error(40060)
        if (
            self.interaction_timeout is not None
            and self._now() - rec.created > self.interaction_timeout
        ):
            log.warning(
                "interaction %s answered after %.1fs: Discord rejects it (10062)",
                rec.id,
                self._now() - rec.created,
            )
            return P.error(10062)
        body = req.body_dict()
        ctype = int(body.get("type", 0))
        data = body.get("data") or {}
        allowed = {
            InteractionType.APPLICATION_COMMAND: {4, 5, 9, 12},
            InteractionType.MESSAGE_COMPONENT: {4, 5, 6, 7, 9, 12},
            InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE: {8},
            InteractionType.MODAL_SUBMIT: {4, 5} | ({6, 7} if rec.source_message_id else set()),
        }.get(rec.type, set())
        if ctype not in allowed:
            return P.error(
                50035,
                errors=P.form_error(
                    ["type"],
                    "INTERACTION_CALLBACK_TYPE_INVALID",
                    "Invalid interaction callback type",
                ),
            )
        files = req.call.files
        message: JSON | None = None
        loading = False
        if ctype == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE:
            if P.is_empty_message(data, has_files=bool(files)):
                return P.error(50006)
            rec.callback = body
            message = self._new_bot_message(rec.channel_id, data, files, interaction=rec)
            rec.original = message
        elif ctype == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE:
            rec.callback = body
            flags = MessageFlag.LOADING | (int(data.get("flags") or 0) & MessageFlag.EPHEMERAL)
            message = self._new_bot_message(
                rec.channel_id, {"content": ""}, (), interaction=rec, extra_flags=flags
            )
            rec.original = message
            loading = True
        elif ctype == CallbackType.UPDATE_MESSAGE:
            rec.callback = body
            source = self.world.messages.get(rec.source_message_id or 0)
            if source is not None:
                self._apply_edit(source, data, files)
                message = source
                rec.original = source
        elif ctype == CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
            if len(data.get("choices") or []) > 25:
                return P.error(
                    50035,
                    errors=P.form_error(
                        ["data", "choices"],
                        "BASE_TYPE_MAX_LENGTH",
                        "Must be 25 or fewer in length.",
                    ),
                )
            rec.callback = body
        elif ctype == CallbackType.MODAL:
            if not data.get("custom_id") or not data.get("title") or not data.get("components"):
                return P.error(
                    50035,
                    errors=P.form_error(["data"], "BASE_TYPE_REQUIRED", "This field is required"),
                )
            rec.callback = body
        else:
            rec.callback = body
        if message is not None and not int(message.get("flags") or 0) & MessageFlag.EPHEMERAL:
            event = "MESSAGE_UPDATE" if ctype == CallbackType.UPDATE_MESSAGE else "MESSAGE_CREATE"
            await self._dispatch_message_event(event, message)
        if not _truthy(req.call.query.get("with_response")):
            return 204, None
        ephemeral = bool(message and int(message.get("flags") or 0) & MessageFlag.EPHEMERAL)
        return 200, P.interaction_callback(
            interaction_id=rec.id,
            interaction_type=rec.type,
            callback_type=ctype,
            message=message,
            loading=loading,
            ephemeral=ephemeral,
        )

    def _webhook_message(self, rec: InteractionRecord, raw: str) -> JSON | None:
        if raw == "@original":
            return rec.original
        mid = int(raw) if raw.isdigit() else 0
        if rec.original is not None and int(rec.original["id"]) == mid:
            return rec.original
        return next((m for m in rec.followups if int(m["id"]) == mid), None)

    async def _get_webhook_message(self, req: _Request) -> _Reply:
        rec = self._interaction_for(req.params["token"], req.params["app_id"])
        if rec is None:
            return P.error(10015)
        msg = self._webhook_message(rec, req.params["message_id"])
        if msg is None or int(msg["id"]) in self.world.deleted_messages:
            return P.error(10008)
        return 200, msg

    async def _patch_webhook_message(self, req: _Request) -> _Reply:
        rec = self._interaction_for(req.params["token"], req.params["app_id"])
        if rec is None:
            return P.error(10015)
        msg = self._webhook_message(rec, req.params["message_id"])
        if msg is None or int(msg["id"]) in self.world.deleted_messages:
            return P.error(10008)
        body = req.body_dict()
        self._apply_edit(msg, body, req.call.files)
        if msg is rec.original:
            rec.original_edited = True
            msg["flags"] = int(msg.get("flags") or 0) & ~MessageFlag.LOADING
        if not int(msg.get("flags") or 0) & MessageFlag.EPHEMERAL:
            await self._dispatch_message_event("MESSAGE_UPDATE", msg)
        return 200, msg

    async def _delete_webhook_message(self, req: _Request) -> _Reply:
        rec = self._interaction_for(req.params["token"], req.params["app_id"])
        if rec is None:
            return P.error(10015)
        msg = self._webhook_message(rec, req.params["message_id"])
        if msg is None or int(msg["id"]) in self.world.deleted_messages:
            return P.error(10008)
        await self._delete(msg)
        return 204, None

    async def _post_followup(self, req: _Request) -> _Reply:
        rec = self._interaction_for(req.params["token"], req.params["app_id"])
        if rec is None or rec.callback is None:
            return P.error(10015)
        body = req.body_dict()
        files = req.call.files
        if P.is_empty_message(body, has_files=bool(files)):
            return P.error(50006)
        original = rec.original
        if (
            original is not None
            and int(original.get("flags") or 0) & MessageFlag.LOADING
            and not rec.original_edited
            and not rec.followups
        ):
            # The first follow-up after a deferral replaces the "thinking..." message.
            self._apply_edit(original, body, files)
            original["flags"] = int(original.get("flags") or 0) & ~MessageFlag.LOADING
            rec.original_edited = True
            msg = original
            event = "MESSAGE_UPDATE"
        else:
            msg = self._new_bot_message(rec.channel_id, body, files, interaction=rec)
            rec.followups.append(msg)
            event = "MESSAGE_CREATE"
        if not int(msg.get("flags") or 0) & MessageFlag.EPHEMERAL:
            await self._dispatch_message_event(event, msg)
        if _truthy(req.call.query.get("wait")):
            return 200, msg
        return 204, None

    # ------------------------------------------------------------------ gateway

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, compress=False, autoping=True)
        if not ws.can_prepare(request).ok:
            return self._respond(400, {"message": "websocket upgrade expected", "code": 0})
        await ws.prepare(request)
        query = request.rel_url.query
        compress = query.get("compress")
        if query.get("encoding", "json") != "json":
            await ws.close(code=4002, message=b"fake Discord speaks only encoding=json")
            return ws
        if compress not in (None, "zlib-stream"):
            log.debug("compress=%s not supported: sending plain text frames", compress)
            compress = None
        session = GatewaySession(self, ws, compress=compress)
        self.sessions.append(session)
        self._touch()
        await session.send(
            {
                "op": 10,
                "d": {"heartbeat_interval": self.heartbeat_interval_ms, "_trace": ["fakediscord"]},
            }
        )
        try:
            async for msg in ws:
                if msg.type in (WSMsgType.TEXT, WSMsgType.BINARY):
                    try:
                        payload = json.loads(msg.data)
                    except ValueError:
                        await session.close(4002, "Error while decoding payload.")
                        break
                    await self._on_gateway_message(session, payload)
                elif msg.type == WSMsgType.ERROR:
                    break
        finally:
            session.closed = True
            self._touch()
        return ws

    async def _on_gateway_message(self, session: GatewaySession, payload: JSON) -> None:
        op = payload.get("op")
        data = payload.get("d")
        if op == 1:
            session.heartbeats += 1
            session.last_heartbeat_seq = data
            await session.send({"op": 11})
            return
        self._touch()
        if op == 2:
            await self._identify(session, data or {})
        elif op == 3:
            session.presence = data
        elif op == 4:
            log.debug("voice state update ignored: %s", data)
        elif op == 6:
            await self._resume(session, data or {})
        elif op == 8:
            await self._request_members(session, data or {})
        else:
            log.error("fake Discord: unknown gateway opcode %s", op)
            await session.close(4001, "Unknown opcode.")

    async def _identify(self, session: GatewaySession, data: JSON) -> None:
        if session.ready:
            await session.close(4005, "Already authenticated.")
            return
        if self.token is not None and data.get("token") != self.token:
            await session.close(4004, "Authentication failed.")
            return
        intents = int(data.get("intents", 0))
        disallowed = []
        if intents & Intent.GUILD_MEMBERS and "members" not in self.privileged:
            disallowed.append("members")
        if intents & Intent.MESSAGE_CONTENT and "message_content" not in self.privileged:
            disallowed.append("message_content")
        if intents & Intent.GUILD_PRESENCES and "presences" not in self.privileged:
            disallowed.append("presences")
        recorded = dict(data)
        recorded["token"] = "<redacted>"
        self.identifies.append(recorded)
        if disallowed:
            log.info(
                "IDENTIFY asked for privileged intents %s that are not enabled: 4014", disallowed
            )
            await session.close(4014, "Disallowed intent(s).")
            return
        session.intents = intents
        session.identify = recorded
        session.large_threshold = int(data.get("large_threshold", 50))
        w = self.world
        await session.dispatch(
            "READY",
            P.ready(
                bot_user=w.bot_user,
                guild_ids=list(self.worlds),
                session_id=session.session_id,
                resume_gateway_url=self.gateway_url,
                application_id=w.application_id,
                application_flags=self._application_flags(),
            ),
        )
        session.ready = True
        if intents & Intent.GUILDS:
            for world in self.worlds.values():  # one GUILD_CREATE per guild, as Discord does
                await session.dispatch(
                    "GUILD_CREATE",
                    world.guild_create(
                        large_threshold=session.large_threshold,
                        member_list=bool(intents & Intent.GUILD_MEMBERS),
                    ),
                )
        self._touch()
        if self._identified is not None:
            self._identified.set()

    async def _resume(self, session: GatewaySession, data: JSON) -> None:
        old = next(
            (
                s
                for s in self.sessions
                if s.session_id == data.get("session_id") and s is not session
            ),
            None,
        )
        if old is None or (self.token is not None and data.get("token") != self.token):
            await session.send({"op": 9, "d": False})
            return
        session.session_id = old.session_id
        session.seq = old.seq
        session.intents = old.intents
        session.identify = old.identify
        session.large_threshold = old.large_threshold
        session.ready = True
        self.sessions.remove(old)
        await session.dispatch("RESUMED", {"_trace": ["fakediscord"]})

    async def _request_members(self, session: GatewaySession, data: JSON) -> None:
        self.chunk_requests.append(dict(data))
        guild_ids = data.get("guild_id")
        if isinstance(guild_ids, list):
            guild_ids = guild_ids[0] if guild_ids else None
        found = self._world_of_guild(guild_ids)
        if found is None:
            return
        w = found
        not_found: list[str] = []
        user_ids = data.get("user_ids")
        if user_ids is not None:
            if not isinstance(user_ids, list):
                user_ids = [user_ids]
            members = []
            for raw in user_ids:
                member = w.members.get(int(raw))
                if member is None:
                    not_found.append(str(raw))
                else:
                    members.append(member)
        else:
            query = (data.get("query") or "").casefold()
            limit = int(data.get("limit") or 0)
            members = list(w.members.values()) if not query else self._member_query(w, query)
            if query and not limit:
                limit = 100
            if limit:
                members = members[:limit]
        size = 1000
        chunks = [members[i : i + size] for i in range(0, len(members), size)] or [[]]
        for index, chunk in enumerate(chunks):
            payload: JSON = {
                "guild_id": str(w.guild_id),
                "members": chunk,
                "chunk_index": index,
                "chunk_count": len(chunks),
            }
            if not_found and index == 0:
                payload["not_found"] = not_found
            if data.get("presences"):
                payload["presences"] = []
            if data.get("nonce") is not None:
                payload["nonce"] = data["nonce"]
            await session.dispatch("GUILD_MEMBERS_CHUNK", payload)
        self._touch()

    # ------------------------------------------------------------------ dispatching

    async def _broadcast(
        self,
        event: str,
        data: JSON,
        *,
        intents: int = 0,
        channel_id: int | None = None,
        shape: Callable[[GatewaySession, JSON], JSON] | None = None,
    ) -> int:
        """Send a dispatch to every ready session that asked for ``intents`` (any of the
        bits) and, for guild channel events, whose bot can see ``channel_id``."""
        w = self.world if channel_id is None else self._world_of_channel(channel_id)
        if channel_id is not None and not w.permissions(w.bot_id, channel_id) & Perm.VIEW_CHANNEL:
            self._undelivered(event, f"the bot cannot see channel {channel_id}")
            return 0
        delivered = 0
        live = [s for s in self.sessions if s.ready and not s.closed]
        for session in live:
            if intents and not session.intents & intents:
                continue
            await session.dispatch(event, shape(session, data) if shape else data)
            delivered += 1
        if live and not delivered:
            self._undelivered(event, f"the bot did not request intent(s) {intents:#x}")
        elif not live:
            self._undelivered(event, "no bot is connected")
        self._touch()
        return delivered

    def _undelivered(self, event: str, reason: str) -> None:
        self.undelivered.append((event, reason))
        log.warning("fake Discord: %s not delivered: %s", event, reason)

    def _content_shape(self, session: GatewaySession, msg: JSON) -> JSON:
        """Without the MESSAGE_CONTENT intent Discord blanks content, embeds, attachments,
        components and polls, except in DMs, for the bot's own messages and when the
        message mentions the bot."""
        if session.intents & Intent.MESSAGE_CONTENT or "guild_id" not in msg:
            return msg
        bot_id = str(self.world.bot_id)
        if msg["author"]["id"] == bot_id or any(m["id"] == bot_id for m in msg.get("mentions", [])):
            return msg
        blank = dict(msg)
        blank.update({"content": "", "embeds": [], "attachments": [], "components": []})
        blank.pop("poll", None)
        return blank

    async def _dispatch_message_event(
        self, event: str, msg: JSON, *, data: JSON | None = None
    ) -> int:
        guild = "guild_id" in msg
        payload = data if data is not None else self._gateway_message(msg)
        return await self._broadcast(
            event,
            payload,
            intents=Intent.GUILD_MESSAGES if guild else Intent.DIRECT_MESSAGES,
            channel_id=int(msg["channel_id"]) if guild else None,
            shape=self._content_shape if data is None else None,
        )

    async def _member_update_event(self, w: World, uid: int) -> int:
        member = w.members[uid]
        return await self._broadcast(
            "GUILD_MEMBER_UPDATE",
            {"guild_id": str(w.guild_id), **member},
            intents=Intent.GUILD_MEMBERS,
        )

    async def _remove_member(self, w: World, uid: int) -> None:
        w.members.pop(uid, None)
        await self._broadcast(
            "GUILD_MEMBER_REMOVE",
            {"guild_id": str(w.guild_id), "user": w.users[uid]},
            intents=Intent.GUILD_MEMBERS,
        )

    # ------------------------------------------------------------------ test-driven events

    def _message_time(self, at: datetime | None) -> datetime:
        if at is None:
            return P.utcnow()
        if at.tzinfo is None:
            raise ValueError(
                f"naive datetime {at!r}: pass an aware datetime (tzinfo=UTC or ZoneInfo)"
            )
        return at

    @_on_fake_loop
    async def post(
        self,
        author: str | int,
        channel: str | int,
        content: str = "",
        *,
        at: datetime | None = None,
        reply_to: int | str | JSON | None = None,
        embeds: Sequence[JSON] = (),
        attachments: Sequence[AttachmentArg | str] = (),
        components: Sequence[JSON] = (),
        tts: bool = False,
        guild: str | int | None = None,
    ) -> JSON:
        """A member posts in a guild channel or thread: MESSAGE_CREATE. ``at`` (aware) sets
        the message time and so its snowflake; mentions (``<@id>``, ``<@&id>``, ``@everyone``)
        are read from the content (see ``fake.mention``). ``guild`` names the server (None:
        the first; a channel id finds its own). Returns the full payload."""
        w, cid = self._channel_world(channel, guild)
        uid = w.resolve_member(author)
        if not w.is_guild_channel(cid):
            raise ValueError(f"{channel!r} is not a guild channel; use fake.dm() for DMs")
        when = self._message_time(at)
        self._check_member_send(uid, cid, when)
        mid = w.ids.at(when)
        mentions = [
            P.mention_user(w.users[m], w.partial_member(m))
            for m in P.mentioned_user_ids(content)
            if m in w.users
        ]
        roles = [r for r in P.mentioned_role_ids(content) if r in w.roles]
        everyone = ("@everyone" in content or "@here" in content) and bool(
            w.permissions(uid, cid) & Perm.MENTION_EVERYONE
        )
        reference = referenced = None
        if reply_to is not None:
            ref_id = int(reply_to["id"]) if isinstance(reply_to, dict) else int(reply_to)
            referenced = w.messages.get(ref_id)
            reference = {
                "type": 0,
                "message_id": str(ref_id),
                "channel_id": str(cid),
                "guild_id": str(w.guild_id),
            }
        msg = P.message(
            mid,
            channel_id=cid,
            guild_id=w.guild_id,
            author=w.users[uid],
            member=w.partial_member(uid),
            content=content,
            timestamp=when,
            mentions=mentions,
            mention_roles=roles,
            mention_everyone=everyone,
            embeds=list(embeds),
            attachments=[self._attachment_payload(a, cid, when) for a in attachments],
            components=list(components),
            tts=tts,
            type=19 if reference else 0,
            message_reference=reference,
            referenced_message=referenced,
        )
        w.messages[mid] = msg
        if cid in w.threads:
            await self._posted_in_thread(cid, uid, mid)
        await self._dispatch_message_event("MESSAGE_CREATE", msg)
        return msg

    def _check_member_send(self, uid: int, cid: int, when: datetime) -> None:
        """What Discord's client lets a member post: a private thread only as its member
        (or with Manage Threads), a locked thread only with Manage Threads, and slowmode:
        after a post in a channel with ``rate_limit_per_user`` the member waits that long
        (by ``at``), unless they have Manage Messages or Manage Channels (Manage Threads in
        a thread). Channel permissions in general are not checked here: scenarios may have
        members post where the spec does not let them see, to test the bot's side."""
        w = self._world_of_channel(cid)
        perms = w.permissions(uid, cid)
        thread = w.threads.get(cid)
        name = w.users[uid]["username"]
        if thread is not None:
            if (
                thread["type"] == P.ChannelType.PRIVATE_THREAD
                and uid not in w.thread_members.get(cid, set())
                and not perms & Perm.MANAGE_THREADS
            ):
                raise ValueError(f"{name} is not a member of private thread {thread['name']!r}")
            if thread["thread_metadata"].get("locked") and not perms & Perm.MANAGE_THREADS:
                raise ValueError(f"thread {thread['name']!r} is locked")
        exempt = Perm.MANAGE_MESSAGES | Perm.MANAGE_CHANNELS
        if thread is not None:
            exempt |= Perm.MANAGE_THREADS
        slowmode = int((w.channel(cid) or {}).get("rate_limit_per_user") or 0)
        last = self._last_post.get((cid, uid))
        self._last_post[(cid, uid)] = when
        if slowmode and not perms & exempt and last is not None:
            wait = slowmode - (when - last).total_seconds()
            if wait > 0 and when >= last:
                self._last_post[(cid, uid)] = last
                raise ValueError(
                    f"slowmode: {name} may post in channel {cid} again in {wait:.0f} s "
                    f"(rate_limit_per_user {slowmode}); Discord's client would not send it"
                )

    def _attachment_payload(self, a: AttachmentArg | str, cid: int, when: datetime) -> JSON:
        spec = AttachmentArg(a) if isinstance(a, str) else a
        return P.attachment(
            self.world.ids.at(when),
            spec.filename,
            size=spec.size,
            content_type=spec.content_type,
            url_base=self.base_url,
            channel_id=cid,
        )

    @_on_fake_loop
    async def dm(
        self,
        author: str | int,
        content: str = "",
        *,
        at: datetime | None = None,
        attachments: Sequence[AttachmentArg | str] = (),
        guild: str | int | None = None,
    ) -> JSON:
        """A member writes to the bot in DM: MESSAGE_CREATE without guild_id (needs the
        DIRECT_MESSAGES intent; DMs keep their content without MESSAGE_CONTENT). ``guild``
        says where to look the name up; the DM channel is the user's one, whatever the guild."""
        w = self._w(guild)
        uid = w.resolve_member(author)
        channel = w.open_dm(uid)
        cid = int(channel["id"])
        when = self._message_time(at)
        mid = w.ids.at(when)
        msg = P.message(
            mid,
            channel_id=cid,
            author=w.users[uid],
            content=content,
            timestamp=when,
            mentions=[w.users[m] for m in P.mentioned_user_ids(content) if m in w.users],
            attachments=[self._attachment_payload(a, cid, when) for a in attachments],
        )
        channel["last_message_id"] = str(mid)
        w.messages[mid] = msg
        await self._dispatch_message_event("MESSAGE_CREATE", msg)
        return msg

    @_on_fake_loop
    async def edit(
        self,
        message_id: int | str,
        content: str,
        *,
        at: datetime | None = None,
        guild: str | int | None = None,
    ) -> JSON:
        """A member edits their message: MESSAGE_UPDATE with the full message. ``guild``,
        when given, must be the message's server."""
        msg = self._message_in(message_id, guild)
        msg["content"] = content
        msg["edited_timestamp"] = P.iso(self._message_time(at))
        await self._dispatch_message_event("MESSAGE_UPDATE", msg)
        return msg

    @_on_fake_loop
    async def delete(self, message_id: int | str, *, guild: str | int | None = None) -> None:
        """A message is deleted (by its author or a moderator): MESSAGE_DELETE. ``guild``,
        when given, must be the message's server."""
        await self._delete(self._message_in(message_id, guild))

    def _message_in(self, message_id: int | str, guild: str | int | None) -> JSON:
        """A stored message, checked to be in ``guild`` when one is named."""
        msg = self.world.messages[int(message_id)]
        if guild is not None and msg.get("guild_id") != str(self._w(guild).guild_id):
            raise KeyError(f"message {message_id} is not in guild {guild!r}")
        return msg

    @_on_fake_loop
    async def member_join(
        self,
        member: MemberSpec | str,
        *,
        at: datetime | None = None,
        guild: str | int | None = None,
    ) -> JSON:
        """A member joins: GUILD_MEMBER_ADD (needs the GUILD_MEMBERS intent). A name re-adds
        a former member or creates a plain new one."""
        spec = member if isinstance(member, MemberSpec) else MemberSpec(member)
        if at is not None and spec.joined_at is None:
            spec.joined_at = self._message_time(at)
        elif spec.joined_at is None:
            spec.joined_at = P.utcnow()
        w = self._w(guild)
        payload = w.add_member(spec)
        await self._broadcast(
            "GUILD_MEMBER_ADD",
            {"guild_id": str(w.guild_id), **payload},
            intents=Intent.GUILD_MEMBERS,
        )
        return payload

    @_on_fake_loop
    async def member_leave(self, member: str | int, *, guild: str | int | None = None) -> None:
        """A member leaves: GUILD_MEMBER_REMOVE."""
        w = self._w(guild)
        await self._remove_member(w, w.resolve_member(member))

    @_on_fake_loop
    async def member_update(
        self,
        member: str | int,
        *,
        nick: str | None = MISSING,
        roles: Sequence[str | int] = MISSING,
        username: str = MISSING,
        global_name: str | None = MISSING,
        avatar: str | None = MISSING,
        pending: bool = MISSING,
        timed_out_until: datetime | None = MISSING,
        guild: str | int | None = None,
    ) -> JSON:
        """Change a member: GUILD_MEMBER_UPDATE with the full member and its (new) user.

        A changed username/global_name/avatar makes discord.py fire ``on_user_update`` as
        well as ``on_member_update`` (it compares the embedded user), as with real Discord.
        Needs the GUILD_MEMBERS intent. A user's names are one for every server; nick and
        roles are the ``guild``'s."""
        w = self._w(guild)
        uid = w.resolve_member(member)
        payload = w.members[uid]
        user_changes = {
            k: v
            for k, v in (("username", username), ("global_name", global_name), ("avatar", avatar))
            if v is not MISSING
        }
        if user_changes:
            user = dict(w.users[uid])
            user.update(user_changes)
            w.users[uid] = user
            payload["user"] = user
            others = [o for o in self.worlds.values() if o is not w and uid in o.members]
            for other in others:  # one user: the new name shows in every server
                other.members[uid]["user"] = user
        else:
            others = []
        if nick is not MISSING:
            payload["nick"] = nick
        if roles is not MISSING:
            payload["roles"] = [str(w.resolve_role(r)) for r in roles]
        if pending is not MISSING:
            payload["pending"] = pending
        if timed_out_until is not MISSING:
            payload["communication_disabled_until"] = P.iso(timed_out_until)
        await self._member_update_event(w, uid)
        for other in others:
            await self._member_update_event(other, uid)
        return payload

    async def add_role(
        self, member: str | int, role: str | int, *, guild: str | int | None = None
    ) -> JSON:
        """Give a member a role (GUILD_MEMBER_UPDATE)."""
        w = self._w(guild)
        uid = w.resolve_member(member)
        current = [int(r) for r in w.members[uid]["roles"]]
        rid = w.resolve_role(role)
        return await self.member_update(
            uid, roles=[*current, rid] if rid not in current else current, guild=w.guild_id
        )

    async def remove_role(
        self, member: str | int, role: str | int, *, guild: str | int | None = None
    ) -> JSON:
        """Take a role from a member (GUILD_MEMBER_UPDATE)."""
        w = self._w(guild)
        uid = w.resolve_member(member)
        rid = w.resolve_role(role)
        roles = [int(r) for r in w.members[uid]["roles"] if int(r) != rid]
        return await self.member_update(uid, roles=roles, guild=w.guild_id)

    # ------------------------------------------------------------------ interactions

    def _interaction_base(
        self,
        user: str | int,
        channel: str | int | None,
        *,
        dm: bool,
        w: World,
    ) -> tuple[int, int, JSON, JSON | None, JSON | None, int, int]:
        """(user id, channel id, channel payload, member, user, app_permissions, context)."""
        uid = w.resolve_member(user)
        if dm:
            channel_payload = dict(w.open_dm(uid))
            return uid, int(channel_payload["id"]), channel_payload, None, w.users[uid], Perm.ALL, 1
        if channel is None:
            cid = next((c for c, ch in w.channels.items() if ch["type"] == 0), 0)
            if not cid:
                raise ValueError("the server has no text channel: pass channel=")
        else:
            cid = w.resolve_channel(channel)
        if uid not in w.members:
            raise ValueError(f"{user!r} is not a member of the server {w.spec.name!r}")
        channel_payload = dict(w.channel(cid) or {})
        channel_payload["guild_id"] = str(w.guild_id)
        perms = w.permissions(uid, cid)
        channel_payload["permissions"] = str(perms)
        member = dict(w.members[uid])
        member["permissions"] = str(perms)
        return uid, cid, channel_payload, member, None, w.permissions(w.bot_id, cid), 0

    async def _send_interaction(
        self,
        itype: int,
        user: str | int,
        channel: str | int | None,
        data: JSON | Callable[[int, int], JSON],
        *,
        dm: bool = False,
        locale: str = "nl",
        message: JSON | None = None,
        world: World | None = None,
    ) -> InteractionRecord:
        w = world or self.world
        uid, cid, channel_payload, member, user_payload, app_perms, context = (
            self._interaction_base(user, channel, dm=dm, w=w)
        )
        inner = data(uid, cid) if callable(data) else data
        iid = w.ids.now()
        token = f"fake-interaction-token-{iid}"
        owners = {"0": str(w.guild_id) if not dm else "0"}
        payload = P.interaction(
            iid,
            type=itype,
            application_id=w.application_id,
            token=token,
            data=inner,
            channel=channel_payload,
            guild_id=None if dm else w.guild_id,
            member=member,
            user=user_payload,
            app_permissions=app_perms,
            locale=locale,
            guild_locale=None if dm else w.spec.preferred_locale,
            message=message,
            context=context,
            authorizing_integration_owners=owners,
        )
        rec = InteractionRecord(
            id=iid,
            token=token,
            type=itype,
            payload=payload,
            user_id=uid,
            channel_id=cid,
            created=self._now(),
            source_message_id=int(message["id"]) if message else None,
            guild_id=None if dm else w.guild_id,
        )
        self.interactions[iid] = rec
        self._interactions_by_token[token] = rec
        if not await self._broadcast("INTERACTION_CREATE", payload):
            log.warning("INTERACTION_CREATE %s reached no bot", iid)
        return rec

    def _find_command(self, name: str, command_type: int, w: World) -> JSON | None:
        """The synced command ``name`` as a member of ``w``'s server sees it: the guild's own
        command first, then the global one."""
        for scope in (w.guild_id, None):
            for (cname, ctype), cmd in w.commands.get(scope, {}).items():
                if cname == name and ctype == command_type:
                    return cmd
        return None

    def _synced_elsewhere(self, name: str, command_type: int, w: World) -> str:
        """Words for an error: the guilds other than ``w``'s where ``name`` was synced."""
        others = [
            o.spec.name
            for o in self.worlds.values()
            if o is not w and (name, command_type) in self.world.commands.get(o.guild_id, {})
        ]
        return f" in guild {w.spec.name!r} (only in {others})" if others else ""

    def _world_of_message(self, msg: JSON, guild: str | int | None) -> World:
        """The World a message's channel is in (``guild`` for a DM); a ``guild`` naming
        another server is a mistake in the test."""
        cid = int(msg["channel_id"])
        if cid in self.world.dm_channel_user:
            return self._w(guild)
        w = self._world_of_channel(cid)
        if guild is not None and self._w(guild) is not w:
            raise ValueError(f"message {msg['id']} is in guild {w.spec.name!r}, not {guild!r}")
        return w

    def _synced_context_menu(self, name: str, command_type: int, locale: str, w: World) -> JSON:
        """The synced context menu a member sees as ``name``: its default name, or its
        localization for the member's client ``locale`` (Discord shows that one, and still
        sends the default name in ``data.name``)."""
        cmd = self._find_command(name, command_type, w)
        if cmd is None:
            cmd = next(
                (
                    c
                    for scope in (w.guild_id, None)
                    for (_, ctype), c in w.commands.get(scope, {}).items()
                    if ctype == command_type
                    and (c.get("name_localizations") or {}).get(locale) == name
                ),
                None,
            )
        if cmd is None:
            kind = "user" if command_type == P.CommandType.USER else "message"
            raise ValueError(
                f"no {kind} context-menu command {name!r} was synced{self._synced_elsewhere(name, command_type, w)}: "
                "Discord's client shows only synced ones"
            )
        return cmd

    def _check_menu_visible(self, cmd: JSON, uid: int, cid: int, *, dm: bool, w: World) -> None:
        """Discord's client offers a command only where it may run: ``contexts`` and
        ``dm_permission`` (guild commands never in DMs), ``default_member_permissions``
        held in the channel (0: administrators only), and for a message command a channel
        the member can see."""
        contexts = cmd.get("contexts")
        name = cmd["name"]
        if dm:
            if (
                cmd.get("guild_id")
                or cmd.get("dm_permission") is False
                or (contexts is not None and 1 not in contexts)
            ):
                raise ValueError(f"{name!r} is not offered in DMs")
            return
        if contexts is not None and 0 not in contexts:
            raise ValueError(f"{name!r} is not offered in servers (contexts {contexts})")
        perms = w.permissions(uid, cid)
        if not perms & Perm.VIEW_CHANNEL:
            raise ValueError(f"the member cannot see channel {cid}, so not its messages")
        needed = cmd.get("default_member_permissions")
        if needed is not None:
            bits = int(needed)
            if (bits == 0 and perms != Perm.ALL) or perms & bits != bits:
                raise ValueError(
                    f"{name!r} needs permissions {bits:#x} (default_member_permissions): "
                    "Discord's client hides it from this member"
                )

    @_on_fake_loop
    async def message_command(
        self,
        user: str | int,
        name: str,
        message: int | str | JSON,
        *,
        locale: str = "nl",
        guild: str | int | None = None,
    ) -> InteractionRecord:
        """A member picks ``name`` under Apps in a message's menu: INTERACTION_CREATE type 2
        with ``data.type`` 3, ``target_id`` and ``resolved.messages``."""
        mid = int(message["id"]) if isinstance(message, dict) else int(message)
        msg = self.world.messages.get(mid)
        if msg is None or mid in self.world.deleted_messages:
            raise KeyError(f"no message {mid}")
        w = self._world_of_message(msg, guild)
        cmd = self._synced_context_menu(name, P.CommandType.MESSAGE, locale, w)
        if int(msg.get("flags") or 0) & MessageFlag.EPHEMERAL:
            raise ValueError("an ephemeral message has no Apps menu for other members")
        cid = int(msg["channel_id"])
        dm = cid in w.dm_channel_user
        uid = w.resolve_member(user)
        if dm and w.dm_channel_user[cid] != uid:
            raise ValueError(f"{user!r} cannot see another member's DM with the bot")
        self._check_menu_visible(cmd, uid, cid, dm=dm, w=w)
        data = P.context_menu_data(
            cmd, target_id=mid, resolved={"messages": {str(mid): copy.deepcopy(msg)}}
        )
        return await self._send_interaction(
            InteractionType.APPLICATION_COMMAND,
            user,
            None if dm else cid,
            data,
            dm=dm,
            locale=locale,
            world=w,
        )

    @_on_fake_loop
    async def user_command(
        self,
        user: str | int,
        name: str,
        target: str | int,
        *,
        channel: str | int | None = None,
        locale: str = "nl",
        guild: str | int | None = None,
    ) -> InteractionRecord:
        """A member picks ``name`` under Apps in another member's menu: INTERACTION_CREATE
        type 2 with ``data.type`` 2, ``target_id`` and ``resolved.users``/``members``."""
        w = self._w(guild) if channel is None else self._channel_world(channel, guild)[0]
        cmd = self._synced_context_menu(name, P.CommandType.USER, locale, w)
        tid = w.resolve_member(target)

        def build(uid: int, cid: int) -> JSON:
            self._check_menu_visible(cmd, uid, cid, dm=False, w=w)
            resolved: JSON = {"users": {str(tid): w.users[tid]}}
            if tid in w.members:
                # docs "Resolved Data": partial members lack user, deaf and mute
                partial = {
                    k: v
                    for k, v in (w.partial_member(tid) or {}).items()
                    if k not in ("deaf", "mute")
                }
                partial["permissions"] = str(w.permissions(tid, cid))
                resolved["members"] = {str(tid): partial}
            return P.context_menu_data(cmd, target_id=tid, resolved=resolved)

        return await self._send_interaction(
            InteractionType.APPLICATION_COMMAND, user, channel, build, locale=locale, world=w
        )

    @_on_fake_loop
    async def select(
        self,
        user: str | int,
        message: int | str | JSON,
        custom_id: str,
        values: Sequence[str],
        *,
        locale: str = "nl",
        guild: str | int | None = None,
    ) -> InteractionRecord:
        """A member picks ``values`` in a string select: INTERACTION_CREATE type 3 with
        ``component_type`` 3. Values must be among the options and within min/max_values,
        as Discord's client allows nothing else."""
        mid = int(message["id"]) if isinstance(message, dict) else int(message)
        msg = self.world.messages.get(mid) or {}
        found = next(
            (
                c
                for c in iter_components(msg.get("components") or [])
                if c.get("custom_id") == custom_id and c.get("type") == 3
            ),
            None,
        )
        if found is None:
            raise KeyError(f"message {mid} has no string select {custom_id!r}")
        options = [o["value"] for o in found.get("options", [])]
        unknown = [v for v in values if v not in options]
        low, high = int(found.get("min_values", 1)), int(found.get("max_values", 1))
        if unknown or not low <= len(values) <= high:
            raise ValueError(
                f"select {custom_id!r} takes {low}-{high} of {options}; got {list(values)}"
            )
        return await self.click(
            user, mid, custom_id, values=list(values), locale=locale, guild=guild
        )

    @_on_fake_loop
    async def set_slowmode(
        self, channel: str | int, seconds: int, *, guild: str | int | None = None
    ) -> JSON:
        """A moderator sets slowmode in the Discord client: CHANNEL_UPDATE with the new
        ``rate_limit_per_user`` (0 to 21600 seconds)."""
        if not 0 <= seconds <= 21600:
            raise ValueError("slowmode is 0 to 21600 seconds")
        w, cid = self._channel_world(channel, guild)
        payload = w.channel(cid)
        assert payload is not None
        payload["rate_limit_per_user"] = seconds
        await self._channel_update(cid)
        return payload

    @_on_fake_loop
    async def automod_action(
        self,
        member: str | int,
        channel: str | int | None,
        content: str,
        *,
        keyword: str | None = None,
        rule: str | int | None = None,
        rule_id: int | None = None,
        action: JSON | None = None,
        message_id: int | None = None,
        guild: str | int | None = None,
    ) -> JSON:
        """Discord's AutoMod acts on a member's message (or, for a MEMBER_PROFILE rule, name):
        AUTO_MODERATION_ACTION_EXECUTION, one per action of the rule, as Discord sends them.
        With ``rule`` (a stored rule's name or id) the trigger type, actions and the matched
        keyword come from the rule (the content must match it); without, a KEYWORD rule with
        a BLOCK_MESSAGE action and ``keyword``. Needs the AUTO_MODERATION_EXECUTION intent;
        sent only to bots with Manage Server; content fields blank without MESSAGE_CONTENT.
        Returns the first payload."""
        w = self._w(guild) if channel is None else self._channel_world(channel, guild)[0]
        uid = w.resolve_member(member)
        cid = w.resolve_channel(channel) if channel is not None else None
        trigger = P.AutoModTrigger.KEYWORD
        actions = [action or {"type": 1, "metadata": {}}]
        matched_text: str | None = None
        if rule is not None:
            stored = self._automod_rule_named(rule, w)
            trigger = int(stored["trigger_type"])
            actions = stored["actions"]
            rule_id = int(stored["id"])
            matched = _automod_match(stored["trigger_metadata"], content)
            if keyword is None:
                if matched is None:
                    raise ValueError(f"AutoMod rule {stored['name']!r} does not match {content!r}")
                keyword, matched_text = matched
        if keyword is None:
            raise ValueError("pass keyword= (or rule= to take it from a stored rule)")
        if trigger == P.AutoModTrigger.MEMBER_PROFILE:
            cid = None  # a profile is not in a channel
        elif cid is None:
            raise ValueError("a message rule acts in a channel: pass channel")
        if matched_text is None:
            found = re.search(re.escape(keyword.strip("*")), content, re.IGNORECASE)
            matched_text = found.group(0) if found else None
        payloads = []
        for act in actions:
            alert_id = None
            if act.get("type") == 2:
                alert_id = await self._automod_alert(w, act, uid, content, keyword, cid)
            payloads.append(
                P.auto_moderation_action_execution(
                    guild_id=w.guild_id,
                    rule_id=rule_id or w.ids.now(),
                    trigger_type=trigger,
                    action=act,
                    user_id=uid,
                    content=content,
                    matched_keyword=keyword,
                    matched_content=matched_text,
                    channel_id=cid,
                    # a blocked message never exists; the others name the posted one
                    message_id=None if any(a.get("type") == 1 for a in actions) else message_id,
                    alert_system_message_id=alert_id,
                )
            )
        if not w.permissions(w.bot_id) & Perm.MANAGE_GUILD:
            self._undelivered("AUTO_MODERATION_ACTION_EXECUTION", "the bot lacks Manage Server")
            return payloads[0]

        def shape(session: GatewaySession, data: JSON) -> JSON:
            if session.intents & Intent.MESSAGE_CONTENT:
                return data
            return {**data, "content": "", "matched_content": ""}

        for payload in payloads:
            await self._broadcast(
                "AUTO_MODERATION_ACTION_EXECUTION",
                payload,
                intents=Intent.AUTO_MODERATION_EXECUTION,
                shape=shape,
            )
        return payloads[0]

    def _automod_rule_named(self, ref: str | int, w: World) -> JSON:
        for rule in self._rules_of(w):
            if ref in (rule["name"], rule["id"]) or str(ref) == rule["id"]:
                return rule
        names = [r["name"] for r in self._rules_of(w)]
        raise KeyError(f"no AutoMod rule {ref!r} in {w.spec.name!r}; the bot created {names}")

    async def _automod_alert(
        self, w: World, action: JSON, uid: int, content: str, keyword: str, cid: int | None
    ) -> int:
        """SEND_ALERT_MESSAGE: Discord posts an AutoMod system message (type 24) with an
        auto_moderation_message embed in the alert channel."""
        alert_cid = int(action["metadata"]["channel_id"])
        now = P.utcnow()
        fields = [{"name": "keyword", "value": keyword, "inline": False}]
        if cid is not None:
            fields.append({"name": "channel_id", "value": str(cid), "inline": False})
        msg = P.message(
            w.ids.at(now),
            channel_id=alert_cid,
            guild_id=w.guild_id,
            author=w.users[uid],
            member=w.partial_member(uid),
            content="",
            timestamp=now,
            embeds=[{"type": "auto_moderation_message", "description": content, "fields": fields}],
            type=24,
        )
        w.messages[int(msg["id"])] = msg
        await self._dispatch_message_event("MESSAGE_CREATE", msg)
        return int(msg["id"])

    def _option_value(
        self, otype: int, value: Any, resolved: JSON, uid: int, cid: int, dm: bool, w: World
    ) -> Any:
        ref = getattr(value, "ref", value)
        if otype == OptionType.STRING:
            return str(value)
        if otype == OptionType.INTEGER:
            return int(value)
        if otype == OptionType.BOOLEAN:
            return bool(value)
        if otype == OptionType.NUMBER:
            return float(value)
        if otype == OptionType.USER or (
            otype == OptionType.MENTIONABLE and not isinstance(value, RoleArg)
        ):
            try:
                target = w.resolve_member(ref)
            except KeyError:
                if otype != OptionType.MENTIONABLE:
                    raise
            else:
                resolved.setdefault("users", {})[str(target)] = w.users[target]
                if not dm and target in w.members:
                    partial = w.partial_member(target) or {}
                    partial["permissions"] = str(w.permissions(target, cid))
                    resolved.setdefault("members", {})[str(target)] = partial
                return str(target)
        if otype in (OptionType.ROLE, OptionType.MENTIONABLE):
            rid = w.resolve_role(ref)
            resolved.setdefault("roles", {})[str(rid)] = w.roles[rid]
            return str(rid)
        if otype == OptionType.CHANNEL:
            target = w.resolve_channel(ref)
            ch = dict(w.channel(target) or {})
            ch["permissions"] = str(w.permissions(uid, target))
            ch.setdefault("guild_id", str(w.guild_id))
            resolved.setdefault("channels", {})[str(target)] = ch
            return str(target)
        if otype == OptionType.ATTACHMENT:
            spec = value if isinstance(value, AttachmentArg) else AttachmentArg(str(value))
            att = P.attachment(
                w.ids.now(),
                spec.filename,
                size=spec.size,
                content_type=spec.content_type,
                url_base=self.base_url,
                channel_id=cid,
            )
            att["ephemeral"] = True
            resolved.setdefault("attachments", {})[att["id"]] = att
            return att["id"]
        raise ValueError(f"unsupported option type {otype}")

    def _command_data(
        self,
        command: str,
        options: Mapping[str, Any] | None,
        *,
        focused: str | None,
        dm: bool,
        w: World,
    ) -> Callable[[int, int], JSON]:
        parts = command.strip().lstrip("/").split()
        if not parts or len(parts) > 3:
            raise ValueError(
                f"bad command path {command!r}: use 'name', 'name sub' or 'name group sub'"
            )
        root, subs = parts[0], parts[1:]
        schema = self._find_command(root, 1, w)
        elsewhere = self._synced_elsewhere(root, 1, w) if schema is None else ""
        if elsewhere:
            raise ValueError(
                f"/{root} was not synced{elsewhere}: Discord's client does not offer it there"
            )
        if schema is None:
            log.warning(
                "slash /%s: no such command was synced; building the interaction from the values",
                root,
            )

        def build(uid: int, cid: int) -> JSON:
            resolved: JSON = {}
            level_schema: list[JSON] | None = list(schema.get("options") or []) if schema else None
            chain: list[tuple[str, int]] = []
            for depth, sub in enumerate(subs):
                if level_schema is not None:
                    found = next(
                        (o for o in level_schema if o["name"] == sub and o["type"] in (1, 2)), None
                    )
                    if found is None:
                        raise ValueError(f"/{root} has no subcommand (group) {sub!r}")
                    chain.append((sub, int(found["type"])))
                    level_schema = list(found.get("options") or [])
                else:
                    chain.append((sub, 2 if depth == 0 and len(subs) == 2 else 1))
            inner = self._build_options(
                level_schema,
                options or {},
                focused=focused,
                resolved=resolved,
                uid=uid,
                cid=cid,
                dm=dm,
                path=command,
                w=w,
            )
            for name, otype in reversed(chain):
                inner = [{"name": name, "type": otype, "options": inner}]
            data: JSON = {
                "id": schema["id"] if schema else str(w.ids.now()),
                "name": root,
                "type": 1,
                "options": inner,
            }
            if schema and "guild_id" in schema:
                data["guild_id"] = schema["guild_id"]
            if resolved:
                data["resolved"] = resolved
            return data

        return build

    def _build_options(
        self,
        schema: list[JSON] | None,
        given: Mapping[str, Any],
        *,
        focused: str | None,
        resolved: JSON,
        uid: int,
        cid: int,
        dm: bool,
        path: str,
        w: World,
    ) -> list[JSON]:
        by_name = {o["name"]: o for o in schema} if schema is not None else None
        out: list[JSON] = []
        for name, value in given.items():
            opt = by_name.get(name) if by_name is not None else None
            if by_name is not None and opt is None:
                raise ValueError(f"/{path} has no option {name!r}; it has {sorted(by_name)}")
            otype = int(opt["type"]) if opt else option_type_of(value)
            entry: JSON = {"name": name, "type": otype}
            if name == focused:
                entry["value"] = (
                    value if isinstance(value, str) else str(getattr(value, "ref", value))
                )
                entry["focused"] = True
            else:
                entry["value"] = self._option_value(otype, value, resolved, uid, cid, dm, w)
                choices = (opt or {}).get("choices")
                if choices and entry["value"] not in [c["value"] for c in choices]:
                    raise ValueError(
                        f"/{path} option {name!r}: {value!r} is not one of the choices {choices}"
                    )
            out.append(entry)
        if by_name is not None and focused is None:
            missing = [n for n, o in by_name.items() if o.get("required") and n not in given]
            if missing:
                raise ValueError(f"/{path}: required option(s) {missing} missing")
        if focused is not None and focused not in given:
            raise ValueError(f"focused option {focused!r} must be among the given options")
        return out

    @_on_fake_loop
    async def slash(
        self,
        user: str | int,
        command: str,
        options: Mapping[str, Any] | None = None,
        *,
        channel: str | int | None = None,
        dm: bool = False,
        locale: str = "nl",
        guild: str | int | None = None,
    ) -> InteractionRecord:
        """A member runs a slash command: INTERACTION_CREATE type 2.

        ``command`` is "name", "name sub" or "name group sub". Option types come from the
        synced command when there is one (strings may then name members/channels/roles),
        else from the values: ``UserArg``/``ChannelArg``/``RoleArg``/``AttachmentArg``,
        bool, int, float, str. User/channel/role options get ``resolved`` data. ``channel``
        defaults to the first text channel; ``dm=True`` runs it in the bot's DM."""
        w = self._w(guild) if channel is None or dm else self._channel_world(channel, guild)[0]
        return await self._send_interaction(
            InteractionType.APPLICATION_COMMAND,
            user,
            channel,
            self._command_data(command, options, focused=None, dm=dm, w=w),
            dm=dm,
            locale=locale,
            world=w,
        )

    @_on_fake_loop
    async def autocomplete(
        self,
        user: str | int,
        command: str,
        options: Mapping[str, Any],
        *,
        focused: str,
        channel: str | int | None = None,
        dm: bool = False,
        locale: str = "nl",
        guild: str | int | None = None,
    ) -> InteractionRecord:
        """A member is typing option ``focused``: INTERACTION_CREATE type 4. The bot's
        choices end up in ``record.choices``."""
        w = self._w(guild) if channel is None or dm else self._channel_world(channel, guild)[0]
        return await self._send_interaction(
            InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE,
            user,
            channel,
            self._command_data(command, options, focused=focused, dm=dm, w=w),
            dm=dm,
            locale=locale,
            world=w,
        )

    @_on_fake_loop
    async def click(
        self,
        user: str | int,
        message: int | str | JSON,
        custom_id: str | None = None,
        *,
        label: str | None = None,
        values: Sequence[str] | None = None,
        locale: str = "nl",
        guild: str | int | None = None,
    ) -> InteractionRecord:
        """A member presses a button (or picks ``values`` in a select) on a message the fake
        knows (usually one the bot sent): INTERACTION_CREATE type 3 carrying that message.
        Find the component by ``custom_id`` or by button ``label``."""
        mid = int(message["id"]) if isinstance(message, dict) else int(message)
        msg = self.world.messages.get(mid)
        if msg is None or mid in self.world.deleted_messages:
            raise KeyError(f"no message {mid} to click on")
        w = self._world_of_message(msg, guild)
        components = [
            c
            for c in iter_components(msg.get("components") or [])
            if c.get("type") in (2, 3, 5, 6, 7, 8)
        ]
        target = next(
            (
                c
                for c in components
                if (custom_id is not None and c.get("custom_id") == custom_id)
                or (custom_id is None and label is not None and c.get("label") == label)
            ),
            None,
        )
        if target is None:
            available = [(c.get("custom_id"), c.get("label")) for c in components]
            raise KeyError(
                f"message {mid} has no component {custom_id or label!r}; it has {available}"
            )
        if target.get("disabled"):
            raise ValueError(f"component {target.get('custom_id')!r} is disabled")
        if target.get("type") == 2 and target.get("style") == 5:
            raise ValueError("link buttons do not create interactions")
        data: JSON = {"custom_id": target["custom_id"], "component_type": target["type"]}
        if target["type"] != 2:
            data["values"] = list(values or [])
        cid = int(msg["channel_id"])
        dm = cid in w.dm_channel_user
        return await self._send_interaction(
            InteractionType.MESSAGE_COMPONENT,
            user,
            None if dm else cid,
            data,
            dm=dm,
            locale=locale,
            message=copy.deepcopy(msg),
            world=w,
        )

    @_on_fake_loop
    async def submit_modal(
        self,
        user: str | int,
        modal: InteractionRecord | str,
        values: Mapping[str, str | Sequence[str]],
        *,
        channel: str | int | None = None,
        locale: str = "nl",
        guild: str | int | None = None,
    ) -> InteractionRecord:
        """A member submits the modal the bot opened (``modal`` = the InteractionRecord that
        got the MODAL callback, or a custom_id): INTERACTION_CREATE type 5. ``values`` maps
        input custom_ids to text (or lists for selects)."""
        source = modal if isinstance(modal, InteractionRecord) else None
        if source is not None:
            shown = source.modal
            if shown is None:
                raise ValueError(f"{source!r} did not open a modal")
            custom_id = shown["custom_id"]
            # Discord numbers the modal's components (``id``) as it does a message's.
            numbered = P.number_components(shown.get("components") or [])
            components = self._modal_submission(numbered, values)
            cid: int | str | None = channel if channel is not None else source.channel_id
            message = source.payload.get("message")
        else:
            custom_id = str(modal)
            components = [
                {"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]}
                for k, v in values.items()
            ]
            cid = channel
            message = None
        dm = isinstance(cid, int) and cid in self.world.dm_channel_user
        if source is not None and source.guild_id is not None and guild is None:
            w = self.worlds[source.guild_id]  # the modal's own server
        elif cid is None or dm:
            w = self._w(guild)
        else:
            w = self._channel_world(cid, guild)[0]
        return await self._send_interaction(
            InteractionType.MODAL_SUBMIT,
            user,
            None if dm else cid,
            P.modal_submit_data(custom_id, components),
            dm=dm,
            locale=locale,
            message=message,
            world=w,
        )

    def _modal_submission(
        self, shown: list[JSON], values: Mapping[str, str | Sequence[str]]
    ) -> list[JSON]:
        used: set[str] = set()

        def answer(component: JSON) -> JSON | None:
            ctype = int(component["type"])
            if ctype == 10:  # a text display comes back with its id only
                return {"type": 10, "id": component.get("id", 0)}
            cid = component.get("custom_id")
            if cid is None:
                return None
            value = values.get(cid)
            required = component.get("required")
            required = True if required is None else bool(required)
            if ctype == 4:
                _check_text_answer(component, value, required)
                used.add(cid)
                return {
                    "type": 4,
                    "id": component.get("id", 0),
                    "custom_id": cid,
                    "value": value or "",
                }
            used.add(cid)
            picked = [value] if isinstance(value, str) else list(value or [])
            if ctype == 3:
                _check_select_answer(component, picked, required)
            return {"type": ctype, "id": component.get("id", 0), "custom_id": cid, "values": picked}

        result: list[JSON] = []
        for top in shown:
            ttype = int(top.get("type", 0))
            if ttype == 1:
                inner = [a for a in (answer(c) for c in top.get("components", [])) if a is not None]
                result.append({"type": 1, "id": top.get("id", 0), "components": inner})
            elif ttype == 18:
                inner_answer = answer(top["component"])
                if inner_answer is not None:
                    result.append({"type": 18, "id": top.get("id", 0), "component": inner_answer})
            else:
                direct = answer(top)
                if direct is not None:
                    result.append(direct)
        unknown = set(values) - used
        if unknown:
            raise KeyError(f"modal has no inputs {sorted(unknown)}")
        return result


def _automod_match(meta: JSON, content: str) -> tuple[str, str] | None:
    """(the keyword or regex, the matched text) of a rule that ``content`` matches, by
    Discord's keyword semantics: whole words, ``*`` at either end for any prefix/suffix,
    case-insensitive; allow_list entries never match."""
    allowed = {a.casefold() for a in meta.get("allow_list") or []}
    for kw in meta.get("keyword_filter") or []:
        core = re.escape(kw.strip("*"))
        left = "" if kw.startswith("*") else r"\b"
        right = "" if kw.endswith("*") else r"\b"
        found = re.search(left + core + right, content, re.IGNORECASE)
        if found and found.group(0).casefold() not in allowed:
            return kw, found.group(0)
    for pattern in meta.get("regex_patterns") or []:
        hit = re.search(pattern, content, re.IGNORECASE)
        if hit:
            return pattern, hit.group(0)
    return None


def _safe_filename(name: str) -> str:
    """Discord keeps letters, digits, ``.``, ``-`` and ``_`` of an upload's name and turns
    the rest (spaces too) into ``_``."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name) or "unknown"


def _image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF or JPEG, read from its header; None otherwise."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data) and data[i] == 0xFF:
            marker, length = data[i + 1], int.from_bytes(data[i + 2 : i + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                h = int.from_bytes(data[i + 5 : i + 7], "big")
                return int.from_bytes(data[i + 7 : i + 9], "big"), h
            i += 2 + length
    return None


def _check_text_answer(component: JSON, value: Any, required: bool) -> None:
    """What Discord's client lets a member submit in a text input: a required input filled,
    the text within min_length..max_length (an empty optional input is always allowed)."""
    cid = component.get("custom_id")
    if value is not None and not isinstance(value, str):
        raise TypeError(f"modal text input {cid!r} takes a str, got {value!r}")
    text = value or ""
    if not text:
        if required:
            raise ValueError(f"modal input {cid!r} is required")
        return
    low = int(component.get("min_length") or 0)
    high = int(component.get("max_length") or 4000)
    if not low <= len(text) <= high:
        raise ValueError(
            f"modal input {cid!r} takes {low}-{high} characters; got {len(text)}: Discord's "
            "client would not submit it"
        )


def _check_select_answer(component: JSON, picked: Sequence[str], required: bool) -> None:
    """What Discord's client lets a member pick in a modal's string select: options only,
    min_values..max_values of them (none at all when the select is not required)."""
    cid = component.get("custom_id")
    options = [o.get("value") for o in component.get("options") or []]
    low = int(component.get("min_values") if component.get("min_values") is not None else 1)
    high = int(component.get("max_values") or 1)
    unknown = [v for v in picked if v not in options]
    if unknown:
        raise ValueError(f"select {cid!r} has no options {unknown}; it has {options}")
    if len(set(picked)) != len(picked):
        raise ValueError(f"select {cid!r}: a value can be picked once")
    if not picked and not required:
        return
    if not picked:
        raise ValueError(f"modal select {cid!r} is required")
    if not low <= len(picked) <= high:
        raise ValueError(f"select {cid!r} takes {low}-{high} of {options}; got {list(picked)}")


class _SyncFake:
    """``fake.sync``: call coroutine methods of a fake that serves from its own thread."""

    def __init__(self, fake: FakeDiscord, timeout: float = 30.0) -> None:
        self._fake = fake
        self._timeout = timeout

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._fake, name)
        if not inspect.iscoroutinefunction(attr):
            return attr
        loop = self._fake._loop
        if loop is None:
            raise RuntimeError("FakeDiscord is not running")

        def call(*args: Any, **kwargs: Any) -> Any:
            future = asyncio.run_coroutine_threadsafe(_as_coro(attr(*args, **kwargs)), loop)
            return future.result(self._timeout)

        return call


# --------------------------------------------------------------------------- standalone


def main(argv: Sequence[str] | None = None) -> int:
    from .scenario import demo_guild

    parser = argparse.ArgumentParser(
        description="Serve a fake Discord for a bot in another process."
    )
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--members", type=int, default=0, help="extra generated members")
    parser.add_argument(
        "--schools",
        nargs="*",
        default=[],
        metavar="NAME",
        help="more school servers of the same shape, by name (a school board's)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    async def run() -> None:
        fake = FakeDiscord(
            demo_guild(extra_members=args.members),
            other_guilds=[demo_guild(extra_members=args.members, name=n) for n in args.schools],
            port=args.port,
        )
        async with fake:
            print(f"api_base_url: {fake.api_base_url}\ngateway_url: {fake.gateway_url}", flush=True)
            for world in fake.worlds.values():
                print(f"guild: {world.spec.name} {world.guild_id}", flush=True)
            await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
