"""Specs for the fake server's contents, the simulated Discord state, and test helpers.

- ``GuildSpec``/``RoleSpec``/``ChannelSpec``/``MemberSpec``/``BotSpec`` describe a server in a
  few lines; :class:`World` turns them into Discord objects with deterministic snowflakes.
- ``UserArg``/``ChannelArg``/``RoleArg``/``AttachmentArg`` mark slash-command option values.
- :func:`patch_endpoints` points discord.py at a fake; :func:`running_bot` runs an unmodified
  ``discord.Client``/``commands.Bot`` against it for the duration of an ``async with``.
- :func:`make_members` generates thousands of members cheaply.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from . import payloads as P
from .payloads import JSON, ChannelType, Perm

if TYPE_CHECKING:
    import discord

    from .server import FakeDiscord

log = logging.getLogger("fakediscord")

BASE_TIME = datetime(2021, 9, 1, 8, 0, tzinfo=UTC)

# --------------------------------------------------------------------------- specs


@dataclass
class RoleSpec:
    """A role. ``GuildSpec.roles`` lists roles lowest first (position = index + 1, as in
    Discord's API, where a higher position is higher in the hierarchy) unless ``position``
    is given."""

    name: str
    permissions: int = 0
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    position: int | None = None
    id: int | None = None


@dataclass
class ChannelSpec:
    """A channel.

    kind: "text", "announcement", "voice", "category", "thread" (public) or "private_thread".
    category: the name of the category a text/voice channel sits in (created if not listed).
    parent: a thread's parent channel name. owner: a thread's creator (member name; default
    the bot). members: a thread's members besides its owner (a private thread is visible
    only to them and to holders of Manage Threads). overwrites: ``{"@everyone" | "@bot" (the bot's role) | role name | member name:
    (allow, deny)}``; ``None`` means synced with the category (or none)."""

    name: str
    category: str | None = None
    kind: str = "text"
    topic: str | None = None
    parent: str | None = None
    owner: str | None = None
    overwrites: Mapping[str, tuple[int, int]] | None = None
    archived: bool = False
    locked: bool = False
    nsfw: bool = False
    slowmode: int = 0
    members: Sequence[str] = ()
    id: int | None = None


@dataclass
class MemberSpec:
    """A member. ``username`` is the lookup key (also after a rename). ``dms_open=False``
    makes DMs to this member fail with 403 50007, as Discord does for closed DMs."""

    username: str
    roles: Sequence[str] = ()
    nick: str | None = None
    global_name: str | None = None
    bot: bool = False
    joined_at: datetime | None = None
    dms_open: bool = True
    avatar: str | None = None
    pending: bool = False
    id: int | None = None


@dataclass
class BotSpec:
    """The bot user and its application. ``permissions`` go on the bot's managed role;
    ``role_position`` defaults to the top of the role list."""

    username: str = "Compass"
    global_name: str | None = None
    id: int | None = None
    application_id: int | None = None
    application_name: str = "Compass"
    permissions: int = Perm.BOT_DEFAULT
    role_position: int | None = None
    nick: str | None = None


@dataclass
class GuildSpec:
    """A server. ``owner`` names the owning member; without one a member "eigenaar" (no
    roles) is added as owner, so no test member gets the owner's implicit permissions."""

    name: str = "Compass"
    roles: Sequence[RoleSpec] = ()
    channels: Sequence[ChannelSpec] = ()
    members: Sequence[MemberSpec] = ()
    owner: str | None = None
    everyone_permissions: int = Perm.EVERYONE_DEFAULT
    preferred_locale: str = "nl"
    system_channel: str | None = None
    bot: BotSpec = field(default_factory=BotSpec)
    id: int | None = None
    created_at: datetime = BASE_TIME


def make_members(
    count: int,
    *,
    prefix: str = "leerling",
    roles: Sequence[str] = (),
    start: int = 0,
    joined_at: datetime | None = None,
) -> list[MemberSpec]:
    """``count`` members named ``{prefix}{n:05d}``: cheap enough for 10,000 members."""
    joined = joined_at or BASE_TIME + timedelta(days=30)
    role_list = list(roles)
    return [
        MemberSpec(f"{prefix}{n:05d}", roles=role_list, joined_at=joined)
        for n in range(start, start + count)
    ]


# --------------------------------------------------------------------------- option values


@dataclass(frozen=True)
class UserArg:
    """A USER (or MENTIONABLE) option value: a member name or id."""

    ref: str | int


@dataclass(frozen=True)
class ChannelArg:
    """A CHANNEL option value: a channel/thread name or id."""

    ref: str | int


@dataclass(frozen=True)
class RoleArg:
    """A ROLE (or MENTIONABLE) option value: a role name or id."""

    ref: str | int


@dataclass(frozen=True)
class AttachmentArg:
    """An ATTACHMENT option value (or a file on ``fake.post(..., attachments=[...])``)."""

    filename: str
    size: int = 1024
    content_type: str | None = None


# --------------------------------------------------------------------------- the world


def _casefold(name: str) -> str:
    return name.casefold()


class World:
    """The simulated state of one Discord server, its bot user and application.

    Several servers in one fake (``FakeDiscord(other_guilds=...)``) are one World each,
    built with ``shared=`` the first: they share what Discord keeps per user or per
    application rather than per server (the snowflake source, the bot user, users and their
    DM channels, messages, application commands), so ids stay unique and a name in two
    servers is one user.

    All payload dicts held here are the current Discord representation; the server hands out
    copies where the bot could mutate them."""

    def __init__(
        self,
        spec: GuildSpec,
        *,
        url_base: str = "http://127.0.0.1",
        shared: World | None = None,
    ) -> None:
        self.spec = spec
        self.url_base = url_base
        self.created_at = spec.created_at
        if shared is None:
            self.ids = P.SnowflakeFactory(spec.created_at)
            self.guild_id = spec.id or self.ids.next()
            bot = spec.bot
            self.bot_id = bot.id or self.ids.next()
            self.application_id = bot.application_id or self.bot_id
            self.bot_user = P.user(self.bot_id, bot.username, global_name=bot.global_name, bot=True)
            self.app_owner = P.user(self.ids.next(), "compass-team", global_name="Compass Team")
            self.users: dict[int, JSON] = {}
            # Casefolded username -> user id, across every server of the fake.
            self.user_by_key: dict[str, int] = {}
            self.dms_open: dict[int, bool] = {}
            self.dm_channels: dict[int, JSON] = {}
            self.dm_channel_user: dict[int, int] = {}
            self.messages: dict[int, JSON] = {}
            self.deleted_messages: set[int] = set()
            # Scope (None: global, or a guild id) -> {(name, type): command}.
            self.commands: dict[int | None, dict[tuple[str, int], JSON]] = {None: {}}
            self.command_ids: dict[tuple[int | None, str, int], int] = {}
        else:
            self.ids = shared.ids
            self.guild_id = spec.id or self.ids.next()
            self.bot_id = shared.bot_id
            self.application_id = shared.application_id
            self.bot_user = shared.bot_user
            self.app_owner = shared.app_owner
            self.users = shared.users
            self.user_by_key = shared.user_by_key
            self.dms_open = shared.dms_open
            self.dm_channels = shared.dm_channels
            self.dm_channel_user = shared.dm_channel_user
            self.messages = shared.messages
            self.deleted_messages = shared.deleted_messages
            self.commands = shared.commands
            self.command_ids = shared.command_ids
        self.command_version = 0

        self.roles: dict[int, JSON] = {}
        self.role_by_name: dict[str, int] = {}
        self.channels: dict[int, JSON] = {}
        self.threads: dict[int, JSON] = {}
        # Thread id -> the user ids that joined it (the owner, those added, those who posted).
        self.thread_members: dict[int, set[int]] = {}
        self.channel_by_name: dict[str, int] = {}
        self.members: dict[int, JSON] = {}
        self.member_by_key: dict[str, int] = {}
        # Users who have been members of this server (name lookups stay in the server).
        self.known_users: set[int] = set()

        self._build_roles()
        self._build_members()
        self._build_channels()

    # ------------------------------------------------------------------ building

    def _build_roles(self) -> None:
        spec = self.spec
        self.roles[self.guild_id] = P.role(
            self.guild_id, "@everyone", position=0, permissions=spec.everyone_permissions
        )
        self.role_by_name["@everyone"] = self.guild_id
        for index, r in enumerate(spec.roles):
            role_id = r.id or self.ids.next()
            self.roles[role_id] = P.role(
                role_id,
                r.name,
                position=r.position if r.position is not None else index + 1,
                permissions=r.permissions,
                color=r.color,
                hoist=r.hoist,
                mentionable=r.mentionable,
            )
            self.role_by_name.setdefault(r.name, role_id)
        bot = spec.bot
        self.bot_role_id = self.ids.next()
        top = max((int(r["position"]) for r in self.roles.values()), default=0)
        self.roles[self.bot_role_id] = P.role(
            self.bot_role_id,
            self.bot_user["username"],
            position=bot.role_position if bot.role_position is not None else top + 1,
            permissions=bot.permissions,
            managed=True,
            tags={"bot_id": str(self.bot_id)},
        )
        self.role_by_name.setdefault(self.bot_user["username"], self.bot_role_id)

    def _build_members(self) -> None:
        spec = self.spec
        owner_key = spec.owner
        members = list(spec.members)
        if owner_key is None:
            owner_key = "eigenaar"
            members.insert(0, MemberSpec("eigenaar", global_name="Eigenaar"))
        for m in members:
            self.add_member(m)
        self.owner_id = self.resolve_member(owner_key)
        bot = spec.bot
        self.users[self.bot_id] = self.bot_user
        self.known_users.add(self.bot_id)
        self.members[self.bot_id] = P.member(
            self.bot_user,
            roles=[self.bot_role_id],
            joined_at=self.created_at + timedelta(days=1),
            nick=bot.nick,
        )
        self.member_by_key.setdefault(_casefold(self.bot_user["username"]), self.bot_id)

    def _overwrites(self, mapping: Mapping[str, tuple[int, int]] | None) -> list[JSON]:
        result = []
        for name, (allow, deny) in (mapping or {}).items():
            if name == "@bot":
                result.append(
                    P.overwrite(self.bot_role_id, is_member=False, allow=allow, deny=deny)
                )
            elif name in self.role_by_name:
                result.append(
                    P.overwrite(self.role_by_name[name], is_member=False, allow=allow, deny=deny)
                )
            else:
                result.append(
                    P.overwrite(self.resolve_member(name), is_member=True, allow=allow, deny=deny)
                )
        return result

    def _build_channels(self) -> None:
        specs = list(self.spec.channels)
        categories: dict[str, int] = {}
        position = 0

        def add_category(name: str, spec: ChannelSpec | None) -> int:
            nonlocal position
            cid = (spec.id if spec else None) or self.ids.next()
            overwrites = self._overwrites(spec.overwrites if spec else None)
            self.channels[cid] = P.category_channel(
                cid, name, guild_id=self.guild_id, position=position, overwrites=overwrites
            )
            position += 1
            categories[name] = cid
            self.channel_by_name.setdefault(name, cid)
            return cid

        for c in specs:
            if c.kind == "category" and c.name not in categories:
                add_category(c.name, c)
        for c in specs:
            if (
                c.kind in ("text", "announcement", "voice")
                and c.category
                and c.category not in categories
            ):
                add_category(c.category, None)
        for c in specs:
            if c.kind not in ("text", "announcement", "voice"):
                continue
            cid = c.id or self.ids.next()
            parent_id = categories[c.category] if c.category else None
            if c.overwrites is None and parent_id is not None:
                overwrites = list(self.channels[parent_id]["permission_overwrites"])
            else:
                overwrites = self._overwrites(c.overwrites)
            if c.kind == "voice":
                payload = P.voice_channel(
                    cid,
                    c.name,
                    guild_id=self.guild_id,
                    position=position,
                    parent_id=parent_id,
                    overwrites=overwrites,
                )
            else:
                payload = P.text_channel(
                    cid,
                    c.name,
                    guild_id=self.guild_id,
                    position=position,
                    parent_id=parent_id,
                    topic=c.topic,
                    nsfw=c.nsfw,
                    overwrites=overwrites,
                    rate_limit_per_user=c.slowmode,
                    type=ChannelType.GUILD_ANNOUNCEMENT
                    if c.kind == "announcement"
                    else ChannelType.GUILD_TEXT,
                )
            position += 1
            self.channels[cid] = payload
            self.channel_by_name.setdefault(c.name, cid)
        for c in specs:
            if c.kind not in ("thread", "private_thread"):
                continue
            if not c.parent:
                raise ValueError(f"thread {c.name!r} needs parent=<channel name>")
            tid = c.id or self.ids.next()
            owner = self.resolve_member(c.owner) if c.owner else self.bot_id
            self.threads[tid] = P.thread_channel(
                tid,
                c.name,
                guild_id=self.guild_id,
                parent_id=self.resolve_channel(c.parent),
                owner_id=owner,
                created_at=P.snowflake_time(tid),
                private=c.kind == "private_thread",
                archived=c.archived,
                locked=c.locked,
                rate_limit_per_user=c.slowmode,
            )
            self.thread_members[tid] = {owner, *(self.resolve_member(m) for m in c.members)}
            self.threads[tid]["member_count"] = len(self.thread_members[tid])
            self.channel_by_name.setdefault(c.name, tid)
        if self.spec.system_channel:
            self.system_channel_id: int | None = self.resolve_channel(self.spec.system_channel)
        else:
            self.system_channel_id = None

    def add_member(self, m: MemberSpec) -> JSON:
        """Add (or re-add) a member from a spec; returns the member payload (with ``user``)."""
        key = _casefold(m.username)
        existing = self.member_by_key.get(key) or self.user_by_key.get(key)
        uid = m.id or existing or self.ids.next()
        if uid in self.members:
            raise ValueError(f"member {m.username!r} is already in the server")
        # A user already in another server keeps DMs closed if either spec closed them.
        elsewhere = uid in self.users and uid not in self.known_users
        user = self.users.get(uid) or P.user(
            uid, m.username, global_name=m.global_name, avatar=m.avatar, bot=m.bot
        )
        self.users[uid] = user
        role_ids = [self.resolve_role(r) for r in m.roles]
        joined = m.joined_at or self.created_at + timedelta(days=2)
        self.members[uid] = P.member(
            user, roles=role_ids, joined_at=joined, nick=m.nick, avatar=None, pending=m.pending
        )
        self.member_by_key[key] = uid
        self.user_by_key.setdefault(key, uid)
        self.known_users.add(uid)
        self.dms_open[uid] = m.dms_open and (not elsewhere or self.dms_open.get(uid, True))
        return self.members[uid]

    # ------------------------------------------------------------------ lookups

    def resolve_member(self, ref: str | int) -> int:
        """A member's (or former member's) user id from a name (spec key, current username,
        global name or nick, case-insensitive) or id."""
        if isinstance(ref, int):
            if ref in self.users:
                return ref
            raise KeyError(f"no user with id {ref}")
        key = _casefold(ref)
        if key in self.member_by_key:
            return self.member_by_key[key]
        known = [(uid, user) for uid, user in self.users.items() if uid in self.known_users]
        for uid, user in known:
            if _casefold(user["username"]) == key:
                return uid
        for uid, user in known:
            member = self.members.get(uid)
            names = [user.get("global_name"), member.get("nick") if member else None]
            if any(n and _casefold(n) == key for n in names):
                return uid
        raise KeyError(f"no member named {ref!r}; known: {sorted(self.member_by_key)[:20]}")

    def resolve_channel(self, ref: str | int) -> int:
        """A channel/thread/DM channel id from a name or id."""
        if isinstance(ref, int):
            if ref in self.channels or ref in self.threads or ref in self.dm_channel_user:
                return ref
            raise KeyError(f"no channel with id {ref}")
        name = ref.lstrip("#")
        if name in self.channel_by_name:
            return self.channel_by_name[name]
        for cid, ch in (*self.channels.items(), *self.threads.items()):
            if _casefold(ch["name"]) == _casefold(name):
                return cid
        raise KeyError(f"no channel named {ref!r}; known: {sorted(self.channel_by_name)}")

    def resolve_role(self, ref: str | int) -> int:
        if isinstance(ref, int):
            if ref in self.roles:
                return ref
            raise KeyError(f"no role with id {ref}")
        if ref in self.role_by_name:
            return self.role_by_name[ref]
        for rid, role in self.roles.items():
            if _casefold(role["name"]) == _casefold(ref):
                return rid
        raise KeyError(f"no role named {ref!r}; known: {sorted(self.role_by_name)}")

    def channel(self, channel_id: int) -> JSON | None:
        return (
            self.channels.get(channel_id)
            or self.threads.get(channel_id)
            or (
                self.dm_channels.get(self.dm_channel_user[channel_id])
                if channel_id in self.dm_channel_user
                else None
            )
        )

    def is_guild_channel(self, channel_id: int) -> bool:
        return channel_id in self.channels or channel_id in self.threads

    def open_dm(self, user_id: int) -> JSON:
        """The DM channel between the bot and a user (created once, stable id)."""
        existing = self.dm_channels.get(user_id)
        if existing is not None:
            return existing
        cid = self.ids.next()
        channel = P.dm_channel(cid, self.users[user_id])
        self.dm_channels[user_id] = channel
        self.dm_channel_user[cid] = user_id
        return channel

    # ------------------------------------------------------------------ permissions

    def member_role_ids(self, user_id: int) -> list[int]:
        member = self.members.get(user_id)
        return [int(r) for r in member["roles"]] if member else []

    def top_role_position(self, user_id: int) -> int:
        positions = [
            int(self.roles[r]["position"]) for r in self.member_role_ids(user_id) if r in self.roles
        ]
        return max(positions, default=0)

    def base_permissions(self, user_id: int) -> int:
        if user_id == self.owner_id:
            return Perm.ALL
        perms = int(self.roles[self.guild_id]["permissions"])
        for rid in self.member_role_ids(user_id):
            if rid in self.roles:
                perms |= int(self.roles[rid]["permissions"])
        if perms & Perm.ADMINISTRATOR:
            return Perm.ALL
        return perms

    def permissions(self, user_id: int, channel_id: int | None = None) -> int:
        """A member's permissions, in a channel when given (Discord's overwrite algorithm:
        @everyone, then roles, then the member; threads use their parent)."""
        perms = self.base_permissions(user_id)
        if channel_id is None or perms == Perm.ALL:
            return perms
        if channel_id in self.dm_channel_user:
            return perms
        channel = self.channels.get(channel_id)
        if channel is None and channel_id in self.threads:
            channel = self.channels.get(int(self.threads[channel_id]["parent_id"]))
        if channel is None:
            return perms
        overwrites = {int(o["id"]): o for o in channel.get("permission_overwrites", [])}
        everyone = overwrites.get(self.guild_id)
        if everyone:
            perms = (perms & ~int(everyone["deny"])) | int(everyone["allow"])
        allow = deny = 0
        for rid in self.member_role_ids(user_id):
            o = overwrites.get(rid)
            if o and int(o["type"]) == 0:
                allow |= int(o["allow"])
                deny |= int(o["deny"])
        perms = (perms & ~deny) | allow
        own = overwrites.get(user_id)
        if own and int(own["type"]) == 1:
            perms = (perms & ~int(own["deny"])) | int(own["allow"])
        if not perms & Perm.VIEW_CHANNEL:
            return 0
        thread = self.threads.get(channel_id)
        if (
            thread is not None
            and thread["type"] == ChannelType.PRIVATE_THREAD
            and user_id not in self.thread_members.get(channel_id, set())
            and not perms & Perm.MANAGE_THREADS
        ):
            return 0  # a private thread: its members and Manage Threads only
        return perms

    # ------------------------------------------------------------------ payloads

    def partial_member(self, user_id: int) -> JSON | None:
        """The member without ``user`` (as embedded in MESSAGE_CREATE)."""
        member = self.members.get(user_id)
        if member is None:
            return None
        return {k: v for k, v in member.items() if k != "user"}

    def guild_payload(self) -> JSON:
        roles = sorted(self.roles.values(), key=lambda r: (int(r["position"]), int(r["id"])))
        return P.guild(
            self.guild_id,
            self.spec.name,
            owner_id=self.owner_id,
            roles=roles,
            preferred_locale=self.spec.preferred_locale,
            system_channel_id=self.system_channel_id,
        )

    def guild_create(self, *, large_threshold: int = 250, member_list: bool = True) -> JSON:
        """GUILD_CREATE: all members for a small guild; for a large one (more members than
        IDENTIFY's large_threshold) only the bot, like Discord, so the client must chunk.
        `member_list` False (IDENTIFY without GUILD_MEMBERS): only the bot, as Discord
        sends no member list to a client that did not ask for members."""
        count = len(self.members)
        large = count > large_threshold
        only_bot = large or not member_list
        members = [self.members[self.bot_id]] if only_bot else list(self.members.values())
        return P.guild_create(
            self.guild_payload(),
            joined_at=P.iso_to_dt(self.members[self.bot_id]["joined_at"]),
            member_count=count,
            members=members,
            channels=[
                {k: v for k, v in c.items() if k != "guild_id"} for c in self.channels.values()
            ],
            threads=[t for t in self.threads.values() if not t["thread_metadata"]["archived"]],
            large=large,
        )


# --------------------------------------------------------------------------- bot helpers


@contextlib.contextmanager
def patch_endpoints(fake: FakeDiscord) -> Iterator[None]:
    """Point discord.py's REST base and default gateway at ``fake``; restore them on exit.

    These are class attributes, so they apply to every client in the process."""
    import discord
    import yarl

    route_base = discord.http.Route.BASE
    gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_base_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE = route_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


class _ErrorCollector(logging.Handler):
    """Collects ERROR records from the ``discord`` loggers: discord.py logs (and swallows)
    exceptions raised in event listeners, app commands and views."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class BotErrors(AssertionError):
    """Raised when a running bot logged exceptions or called routes the fake does not know."""


def _describe(record: logging.LogRecord) -> str:
    text = record.getMessage()
    if record.exc_info and record.exc_info[1] is not None:
        exc = record.exc_info[1]
        text += f": {type(exc).__name__}: {exc}"
    return f"[{record.name}] {text}"


HANG_REPORT_SECONDS = 40.0  # past any test's normal run; well inside its timeout


def _waiting_on(task: asyncio.Task[Any]) -> str:
    """Where a task waits: its chain of awaits, outermost first, and what the last awaits."""
    steps: list[str] = []
    step: Any = task.get_coro()
    while step is not None:
        frame = getattr(step, "cr_frame", None) or getattr(step, "gi_frame", None)
        if frame is None:  # a Future or another awaitable: the end of the chain
            steps.append(f"{type(step).__name__}")
            break
        steps.append(
            f"{frame.f_code.co_name} ({frame.f_code.co_filename.rsplit('/', 1)[-1]}:{frame.f_lineno})"
        )
        step = getattr(step, "cr_await", None) or getattr(step, "gi_yieldfrom", None)
    return " > ".join(steps)


class _TaskReport:
    """Logs what every task of the loop awaits, every `seconds` until cancelled: a test
    that hangs then shows, in its captured log, which await never came back (the thread
    dump of a timeout shows only an idle loop)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._loop = asyncio.get_running_loop()
        self._handle = self._loop.call_later(seconds, self._report)

    def _report(self) -> None:
        tasks = sorted(asyncio.all_tasks(self._loop), key=lambda t: t.get_name())
        log.warning(
            "another %g s with the bot running; its loop's tasks wait on:\n  %s",
            self.seconds,
            "\n  ".join(f"{t.get_name()}: {_waiting_on(t)}" for t in tasks),
        )
        self._handle = self._loop.call_later(self.seconds, self._report)

    def cancel(self) -> None:
        self._handle.cancel()


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeDiscord,
    bot: discord.Client,
    *,
    token: str = "fake-bot-token",
    ready_timeout: float = 10.0,
    settle: bool = True,
    check_errors: bool = True,
) -> AsyncIterator[discord.Client]:
    """Run ``bot`` against ``fake`` in this event loop: login, connect (without reconnect),
    wait for ``on_ready`` and (``settle=True``) for the bot's startup work to finish.

    On exit the bot is closed and the endpoints restored. With ``check_errors`` (default),
    if the ``async with`` body itself succeeded, :class:`BotErrors` is raised when
    discord.py logged an exception from a listener/command/view, the bot called a route
    the fake (or Discord's spec) does not know, or sent a request Discord refuses as
    invalid (400 50035/50109: ``fake.invalid_requests``), even one the bot caught. Pass ``guild_ready_timeout=0.05`` (or so) to the bot for speed.
    """
    import discord

    collector = _ErrorCollector()
    discord_logger = logging.getLogger("discord")
    discord_logger.addHandler(collector)
    unknown_before = len(fake.unknown_routes)
    invalid_before = len(fake.invalid_requests)
    connect: asyncio.Task[None] | None = None
    body_ok = False
    report = _TaskReport(HANG_REPORT_SECONDS)
    with patch_endpoints(fake):
        fake.register_bot(bot)
        try:
            await bot.login(token)
            connect = asyncio.create_task(
                bot.connect(reconnect=False), name="fakediscord-bot-connect"
            )
            ready = asyncio.create_task(bot.wait_until_ready())
            done, _ = await asyncio.wait(
                {connect, ready}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if ready not in done:
                ready.cancel()
                if connect in done:
                    exc = connect.exception()
                    raise RuntimeError(f"bot stopped before it was ready: {exc!r}") from exc
                raise TimeoutError(f"bot not ready after {ready_timeout}s")
            if settle:
                await fake.settle()
            yield bot
            body_ok = True
        finally:
            with contextlib.suppress(Exception):
                await bot.close()
            if connect is not None:
                try:
                    await asyncio.wait_for(connect, timeout=5)
                except (asyncio.CancelledError, TimeoutError, discord.ConnectionClosed):
                    pass
                except Exception as exc:  # the bot's own failure, already visible to the test
                    log.debug("bot connect task ended with %r", exc)
            fake.unregister_bot(bot)
            discord_logger.removeHandler(collector)
            report.cancel()
    if body_ok and check_errors:
        problems = [_describe(r) for r in collector.records]
        problems += [
            f"unknown route {c.method} {c.path}" for c in fake.unknown_routes[unknown_before:]
        ]
        problems += [
            f"invalid request {c.method} {c.path} -> {c.status}: {c.json!r:.300}"
            for c in fake.invalid_requests[invalid_before:]
        ]
        if problems:
            raise BotErrors("the bot hit errors while running:\n  " + "\n  ".join(problems))


def option_type_of(value: Any) -> int:
    """The option type a Python value stands for when no synced command says otherwise."""
    if isinstance(value, UserArg):
        return P.OptionType.USER
    if isinstance(value, ChannelArg):
        return P.OptionType.CHANNEL
    if isinstance(value, RoleArg):
        return P.OptionType.ROLE
    if isinstance(value, AttachmentArg):
        return P.OptionType.ATTACHMENT
    if isinstance(value, bool):
        return P.OptionType.BOOLEAN
    if isinstance(value, int):
        return P.OptionType.INTEGER
    if isinstance(value, float):
        return P.OptionType.NUMBER
    return P.OptionType.STRING


def iter_components(components: Iterable[JSON]) -> Iterator[JSON]:
    """Every component in a message's component tree (rows, containers, sections, labels)."""
    for c in components or ():
        yield c
        if "components" in c:
            yield from iter_components(c["components"])
        if "accessory" in c and isinstance(c["accessory"], dict):
            yield from iter_components([c["accessory"]])
        if "component" in c and isinstance(c["component"], dict):
            yield from iter_components([c["component"]])


def demo_guild(*, extra_members: int = 0, name: str = "Compass") -> GuildSpec:
    """A small school server like Compass's (for trying things out and the standalone server);
    `name`: another school's server of the same shape (a board's)."""
    return GuildSpec(
        name=name,
        roles=[
            RoleSpec("Leerling"),
            RoleSpec("Klas 1-2"),
            RoleSpec("Klas 3-4"),
            RoleSpec("Docent"),
            RoleSpec("Mentor"),
            RoleSpec("Moderator", permissions=Perm.MANAGE_MESSAGES | Perm.MANAGE_NICKNAMES),
            RoleSpec("Schoolleiding"),
        ],
        channels=[
            ChannelSpec("algemeen", category="Sociaal"),
            ChannelSpec("memes", category="Sociaal"),
            ChannelSpec("wiskunde-3b", category="Lessen"),
            ChannelSpec("huiswerkvragen", kind="thread", parent="wiskunde-3b"),
            ChannelSpec("protocol-vragen"),
            ChannelSpec(
                "mod-meldingen",
                overwrites={
                    "@everyone": (0, Perm.VIEW_CHANNEL),
                    "Moderator": (Perm.VIEW_CHANNEL, 0),
                    "@bot": (Perm.VIEW_CHANNEL, 0),
                },
            ),
        ],
        members=[
            MemberSpec("anna", roles=["Leerling", "Klas 1-2"]),
            MemberSpec("bram", roles=["Leerling", "Klas 3-4"], nick="Bram B."),
            MemberSpec("mevrouw.jansen", roles=["Docent", "Mentor"], global_name="Mevr. Jansen"),
            MemberSpec("moderator.piet", roles=["Docent", "Moderator"]),
            MemberSpec("directeur", roles=["Schoolleiding"]),
            *make_members(extra_members, roles=["Leerling"]),
        ],
    )
