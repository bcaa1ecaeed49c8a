"""Builders for Discord API objects, shaped as the Discord API documentation (v10) gives them.

Every builder returns a plain ``dict`` ready to be JSON-encoded. Ids are ints in Python and
become strings here, as Discord sends them. Timestamps are aware UTC datetimes in Python and
ISO 8601 strings on the wire. Nothing in this module talks to the network or keeps state
(except :class:`SnowflakeFactory`, which hands out unique ids).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

JSON = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000  # 2015-01-01T00:00:00Z

# --------------------------------------------------------------------------- snowflakes


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def _ms(dt: datetime) -> int:
    if dt.tzinfo is None:
        raise ValueError(f"naive datetime {dt!r}: pass an aware datetime (tzinfo=UTC)")
    return int(dt.timestamp() * 1000)


def snowflake_at(dt: datetime) -> int:
    """The smallest snowflake whose timestamp is ``dt`` (what discord.py reads back as
    ``created_at``). ``dt`` must be timezone-aware."""
    ms = _ms(dt) - DISCORD_EPOCH_MS
    if ms < 0:
        raise ValueError(f"{dt!r} is before the Discord epoch (2015-01-01)")
    return ms << 22


def snowflake_time(snowflake: int) -> datetime:
    """The aware UTC creation time encoded in a snowflake."""
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, tz=UTC)


class SnowflakeFactory:
    """Unique snowflakes. ``at(dt)`` gives an id whose timestamp is ``dt`` (ids minted for the
    same millisecond differ in the low 22 bits); ``next()`` gives sequential ids from a fixed
    base time, so specs get the same ids in every run."""

    def __init__(self, base: datetime | None = None) -> None:
        self._base = snowflake_at(base or datetime(2021, 9, 1, tzinfo=UTC))
        self._next_ms = 0
        self._used: dict[int, int] = {}

    def next(self) -> int:
        """A fresh id; consecutive calls are one millisecond apart from the base time."""
        value = self._base + (self._next_ms << 22)
        self._next_ms += 1
        return self.claim(value)

    def claim(self, value: int) -> int:
        ms_part = value >> 22
        counter = self._used.get(ms_part, -1) + 1
        if counter >= 1 << 22:
            raise OverflowError("more than 4M snowflakes in one millisecond")
        self._used[ms_part] = counter
        return (ms_part << 22) | counter

    def at(self, dt: datetime) -> int:
        """A fresh id whose timestamp is ``dt``."""
        return self.claim(snowflake_at(dt))

    def now(self) -> int:
        return self.at(utcnow())


def iso_to_dt(value: str) -> datetime:
    """Parse a Discord timestamp back into an aware datetime."""
    return datetime.fromisoformat(value)


def iso(dt: datetime | None) -> str | None:
    """Discord's timestamp format: ISO 8601 with microseconds and a +00:00 offset."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        raise ValueError(f"naive datetime {dt!r}: pass an aware datetime (tzinfo=UTC)")
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


# --------------------------------------------------------------------------- permissions


class Perm:
    """Permission bits (Discord API docs, "Permissions")."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_AUDIT_LOG = 1 << 7
    PRIORITY_SPEAKER = 1 << 8
    STREAM = 1 << 9
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    SEND_TTS_MESSAGES = 1 << 12
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    VIEW_GUILD_INSIGHTS = 1 << 19
    CONNECT = 1 << 20
    SPEAK = 1 << 21
    MUTE_MEMBERS = 1 << 22
    DEAFEN_MEMBERS = 1 << 23
    MOVE_MEMBERS = 1 << 24
    USE_VAD = 1 << 25
    CHANGE_NICKNAME = 1 << 26
    MANAGE_NICKNAMES = 1 << 27
    MANAGE_ROLES = 1 << 28
    MANAGE_WEBHOOKS = 1 << 29
    MANAGE_GUILD_EXPRESSIONS = 1 << 30
    USE_APPLICATION_COMMANDS = 1 << 31
    REQUEST_TO_SPEAK = 1 << 32
    MANAGE_EVENTS = 1 << 33
    MANAGE_THREADS = 1 << 34
    CREATE_PUBLIC_THREADS = 1 << 35
    CREATE_PRIVATE_THREADS = 1 << 36
    USE_EXTERNAL_STICKERS = 1 << 37
    SEND_MESSAGES_IN_THREADS = 1 << 38
    USE_EMBEDDED_ACTIVITIES = 1 << 39
    MODERATE_MEMBERS = 1 << 40
    SEND_VOICE_MESSAGES = 1 << 46
    SEND_POLLS = 1 << 49
    USE_EXTERNAL_APPS = 1 << 50

    ALL = (1 << 51) - 1

    # What a new server gives @everyone (roughly the Discord client's default).
    EVERYONE_DEFAULT = (
        CREATE_INSTANT_INVITE
        | ADD_REACTIONS
        | STREAM
        | VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | USE_EXTERNAL_EMOJIS
        | CONNECT
        | SPEAK
        | USE_VAD
        | CHANGE_NICKNAME
        | USE_APPLICATION_COMMANDS
        | REQUEST_TO_SPEAK
        | CREATE_PUBLIC_THREADS
        | CREATE_PRIVATE_THREADS
        | USE_EXTERNAL_STICKERS
        | SEND_MESSAGES_IN_THREADS
        | USE_EMBEDDED_ACTIVITIES
        | SEND_VOICE_MESSAGES
        | SEND_POLLS
        | USE_EXTERNAL_APPS
    )

    # What compass-bot's invite asks for (see compass_bot/discord_front/client.py) plus
    # reactions and external emojis.
    BOT_DEFAULT = (
        VIEW_CHANNEL
        | SEND_MESSAGES
        | SEND_MESSAGES_IN_THREADS
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | MANAGE_MESSAGES
        | MANAGE_NICKNAMES
        | ADD_REACTIONS
        | USE_EXTERNAL_EMOJIS
    )


class Intent:
    """Gateway intent bits (Discord API docs, "Gateway Intents")."""

    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_MODERATION = 1 << 2
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    GUILD_MESSAGE_REACTIONS = 1 << 10
    DIRECT_MESSAGES = 1 << 12
    DIRECT_MESSAGE_REACTIONS = 1 << 13
    MESSAGE_CONTENT = 1 << 15
    AUTO_MODERATION_CONFIGURATION = 1 << 20
    AUTO_MODERATION_EXECUTION = 1 << 21

    PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT


class AppFlag:
    """Application flags that tell a bot which privileged intents the portal enabled."""

    GATEWAY_PRESENCE_LIMITED = 1 << 13
    GATEWAY_GUILD_MEMBERS_LIMITED = 1 << 15
    GATEWAY_MESSAGE_CONTENT_LIMITED = 1 << 19
    APPLICATION_COMMAND_BADGE = 1 << 23


class ChannelType:
    GUILD_TEXT = 0
    DM = 1
    GUILD_VOICE = 2
    GUILD_CATEGORY = 4
    GUILD_ANNOUNCEMENT = 5
    ANNOUNCEMENT_THREAD = 10
    PUBLIC_THREAD = 11
    PRIVATE_THREAD = 12
    GUILD_FORUM = 15


class InteractionType:
    PING = 1
    APPLICATION_COMMAND = 2
    MESSAGE_COMPONENT = 3
    APPLICATION_COMMAND_AUTOCOMPLETE = 4
    MODAL_SUBMIT = 5


class CommandType:
    CHAT_INPUT = 1
    USER = 2
    MESSAGE = 3


class ComponentType:
    ACTION_ROW = 1
    BUTTON = 2
    STRING_SELECT = 3
    TEXT_INPUT = 4
    LABEL = 18


class CallbackType:
    PONG = 1
    CHANNEL_MESSAGE_WITH_SOURCE = 4
    DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE = 5
    DEFERRED_UPDATE_MESSAGE = 6
    UPDATE_MESSAGE = 7
    APPLICATION_COMMAND_AUTOCOMPLETE_RESULT = 8
    MODAL = 9
    LAUNCH_ACTIVITY = 12


class MessageFlag:
    CROSSPOSTED = 1 << 0
    SUPPRESS_EMBEDS = 1 << 2
    HAS_THREAD = 1 << 5
    EPHEMERAL = 1 << 6
    LOADING = 1 << 7
    SUPPRESS_NOTIFICATIONS = 1 << 12
    IS_COMPONENTS_V2 = 1 << 15


class OptionType:
    SUB_COMMAND = 1
    SUB_COMMAND_GROUP = 2
    STRING = 3
    INTEGER = 4
    BOOLEAN = 5
    USER = 6
    CHANNEL = 7
    ROLE = 8
    MENTIONABLE = 9
    NUMBER = 10
    ATTACHMENT = 11


ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024  # 10 MiB, a server without boosts

# --------------------------------------------------------------------------- errors

# code -> (HTTP status, message), as Discord answers them (Discord API docs, "JSON Error Codes").
ERRORS: dict[int, tuple[int, str]] = {
    0: (400, "400: Bad Request"),
    10003: (404, "Unknown Channel"),
    10004: (404, "Unknown Guild"),
    10007: (404, "Unknown Member"),
    10008: (404, "Unknown Message"),
    10011: (404, "Unknown Role"),
    10013: (404, "Unknown User"),
    10014: (404, "Unknown Emoji"),
    10015: (404, "Unknown Webhook"),
    10062: (404, "Unknown interaction"),
    10063: (404, "Unknown application command"),
    40005: (413, "Request entity too large"),
    40060: (400, "Interaction has already been acknowledged."),
    50001: (403, "Missing Access"),
    50006: (400, "Cannot send an empty message"),
    50007: (403, "Cannot send messages to this user"),
    50013: (403, "Missing Permissions"),
    50033: (400, "Invalid Recipient(s)"),
    50035: (400, "Invalid Form Body"),
    10066: (404, "Unknown Auto Moderation Rule"),
    50024: (400, "Cannot execute action on this channel type"),
    50083: (400, "Thread is archived"),
    160004: (400, "A thread has already been created for this message"),
    50109: (400, "The request body contains invalid JSON."),
    160005: (400, "Thread is locked"),
}

GENERIC_ERRORS: dict[int, str] = {
    400: "400: Bad Request",
    401: "401: Unauthorized",
    403: "403: Forbidden",
    404: "404: Not Found",
    405: "405: Method Not Allowed",
    500: "500: Internal Server Error",
    502: "502: Bad Gateway",
    503: "503: Service Unavailable",
    504: "504: Gateway Timeout",
}


def error(code: int, message: str | None = None, errors: JSON | None = None) -> tuple[int, JSON]:
    """``(status, body)`` for a Discord JSON error code, e.g. ``error(50007)``."""
    status, default = ERRORS.get(code, (400, "400: Bad Request"))
    body: JSON = {"message": message or default, "code": code}
    if errors:
        body["errors"] = errors
    return status, body


def generic_error(status: int) -> JSON:
    """Body for an HTTP status without a Discord error code."""
    return {"message": GENERIC_ERRORS.get(status, f"{status}: Error"), "code": 0}


def rate_limited(retry_after: float = 0.05, *, is_global: bool = False) -> JSON:
    return {
        "message": "You are being rate limited.",
        "retry_after": retry_after,
        "global": is_global,
        "code": 0,
    }


def form_error(path: Sequence[str | int], code: str, message: str) -> JSON:
    """The nested ``errors`` object of a 50035 Invalid Form Body answer."""
    node: JSON = {"_errors": [{"code": code, "message": message}]}
    for key in reversed(path):
        node = {str(key): node}
    return node


# --------------------------------------------------------------------------- users & members


def user(
    id: int,
    username: str,
    *,
    global_name: str | None = None,
    avatar: str | None = None,
    bot: bool = False,
    discriminator: str = "0",
    public_flags: int = 0,
) -> JSON:
    data: JSON = {
        "id": str(id),
        "username": username,
        "discriminator": discriminator,
        "global_name": global_name,
        "avatar": avatar,
        "public_flags": public_flags,
        "flags": public_flags,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
        "collectibles": None,
        "primary_guild": None,
    }
    if bot:
        data["bot"] = True
    return data


def member(
    user_payload: JSON | None,
    *,
    roles: Iterable[int],
    joined_at: datetime,
    nick: str | None = None,
    avatar: str | None = None,
    pending: bool = False,
    flags: int = 0,
    premium_since: datetime | None = None,
    communication_disabled_until: datetime | None = None,
    permissions: int | None = None,
) -> JSON:
    """A guild member; ``user_payload=None`` gives the partial member Discord embeds in
    MESSAGE_CREATE (no ``user`` key)."""
    data: JSON = {
        "roles": [str(r) for r in roles],
        "nick": nick,
        "avatar": avatar,
        "banner": None,
        "joined_at": iso(joined_at),
        "premium_since": iso(premium_since),
        "deaf": False,
        "mute": False,
        "flags": flags,
        "pending": pending,
        "communication_disabled_until": iso(communication_disabled_until),
    }
    if user_payload is not None:
        data["user"] = user_payload
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def role(
    id: int,
    name: str,
    *,
    position: int,
    permissions: int = 0,
    color: int = 0,
    hoist: bool = False,
    mentionable: bool = False,
    managed: bool = False,
    tags: JSON | None = None,
) -> JSON:
    data: JSON = {
        "id": str(id),
        "name": name,
        "color": color,
        "colors": {"primary_color": color, "secondary_color": None, "tertiary_color": None},
        "hoist": hoist,
        "icon": None,
        "unicode_emoji": None,
        "position": position,
        "permissions": str(permissions),
        "managed": managed,
        "mentionable": mentionable,
        "flags": 0,
    }
    if tags is not None:
        data["tags"] = tags
    return data


# --------------------------------------------------------------------------- channels


def overwrite(id: int, *, is_member: bool, allow: int = 0, deny: int = 0) -> JSON:
    return {"id": str(id), "type": 1 if is_member else 0, "allow": str(allow), "deny": str(deny)}


def text_channel(
    id: int,
    name: str,
    *,
    guild_id: int | None,
    position: int,
    parent_id: int | None = None,
    topic: str | None = None,
    nsfw: bool = False,
    overwrites: Sequence[JSON] = (),
    rate_limit_per_user: int = 0,
    last_message_id: int | None = None,
    type: int = ChannelType.GUILD_TEXT,
) -> JSON:
    data: JSON = {
        "id": str(id),
        "type": type,
        "name": name,
        "position": position,
        "parent_id": str(parent_id) if parent_id else None,
        "topic": topic,
        "nsfw": nsfw,
        "permission_overwrites": list(overwrites),
        "rate_limit_per_user": rate_limit_per_user,
        "last_message_id": str(last_message_id) if last_message_id else None,
        "default_auto_archive_duration": 1440,
        "default_thread_rate_limit_per_user": 0,
        "flags": 0,
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    return data


def category_channel(
    id: int, name: str, *, guild_id: int | None, position: int, overwrites: Sequence[JSON] = ()
) -> JSON:
    data: JSON = {
        "id": str(id),
        "type": ChannelType.GUILD_CATEGORY,
        "name": name,
        "position": position,
        "parent_id": None,
        "nsfw": False,
        "permission_overwrites": list(overwrites),
        "flags": 0,
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    return data


def voice_channel(
    id: int,
    name: str,
    *,
    guild_id: int | None,
    position: int,
    parent_id: int | None = None,
    overwrites: Sequence[JSON] = (),
) -> JSON:
    data: JSON = {
        "id": str(id),
        "type": ChannelType.GUILD_VOICE,
        "name": name,
        "position": position,
        "parent_id": str(parent_id) if parent_id else None,
        "nsfw": False,
        "permission_overwrites": list(overwrites),
        "bitrate": 64000,
        "user_limit": 0,
        "rtc_region": None,
        "video_quality_mode": 1,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    return data


def thread_channel(
    id: int,
    name: str,
    *,
    guild_id: int,
    parent_id: int,
    owner_id: int,
    created_at: datetime,
    private: bool = False,
    archived: bool = False,
    locked: bool = False,
    auto_archive_duration: int = 1440,
    message_count: int = 0,
    member_count: int = 1,
    rate_limit_per_user: int = 0,
    last_message_id: int | None = None,
) -> JSON:
    metadata: JSON = {
        "archived": archived,
        "auto_archive_duration": auto_archive_duration,
        "archive_timestamp": iso(created_at),
        "locked": locked,
        "create_timestamp": iso(created_at),
    }
    if private:
        metadata["invitable"] = True
    return {
        "id": str(id),
        "guild_id": str(guild_id),
        "parent_id": str(parent_id),
        "owner_id": str(owner_id),
        "type": ChannelType.PRIVATE_THREAD if private else ChannelType.PUBLIC_THREAD,
        "name": name,
        "last_message_id": str(last_message_id) if last_message_id else None,
        "rate_limit_per_user": rate_limit_per_user,
        "message_count": message_count,
        "member_count": member_count,
        "total_message_sent": message_count,
        "thread_metadata": metadata,
        "flags": 0,
        "applied_tags": [],
    }


def dm_channel(id: int, recipient: JSON, *, last_message_id: int | None = None) -> JSON:
    return {
        "id": str(id),
        "type": ChannelType.DM,
        "last_message_id": str(last_message_id) if last_message_id else None,
        "flags": 0,
        "recipients": [recipient],
    }


# --------------------------------------------------------------------------- guild


def guild(
    id: int,
    name: str,
    *,
    owner_id: int,
    roles: Sequence[JSON],
    preferred_locale: str = "nl",
    system_channel_id: int | None = None,
    features: Sequence[str] = (),
    description: str | None = None,
) -> JSON:
    """A guild object (what ``GET /guilds/{id}`` answers)."""
    return {
        "id": str(id),
        "name": name,
        "icon": None,
        "icon_hash": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": str(owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "widget_enabled": False,
        "widget_channel_id": None,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "roles": list(roles),
        "emojis": [],
        "stickers": [],
        "features": list(features),
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": str(system_channel_id) if system_channel_id else None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "max_presences": None,
        "max_members": 500000,
        "vanity_url_code": None,
        "description": description,
        "banner": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": preferred_locale,
        "public_updates_channel_id": None,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "safety_alerts_channel_id": None,
        "incidents_data": None,
    }


def guild_create(
    guild_payload: JSON,
    *,
    joined_at: datetime,
    member_count: int,
    members: Sequence[JSON],
    channels: Sequence[JSON],
    threads: Sequence[JSON],
    large: bool,
) -> JSON:
    """The GUILD_CREATE dispatch: a guild object plus the gateway-only extra fields."""
    data = dict(guild_payload)
    data.update(
        {
            "joined_at": iso(joined_at),
            "large": large,
            "unavailable": False,
            "member_count": member_count,
            "voice_states": [],
            "members": list(members),
            "channels": list(channels),
            "threads": list(threads),
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "embedded_activities": [],
        }
    )
    return data


# --------------------------------------------------------------------------- application


def application(
    id: int,
    name: str,
    *,
    bot_user: JSON,
    owner: JSON,
    flags: int,
    description: str = "",
) -> JSON:
    """What ``GET /oauth2/applications/@me`` answers for a bot token."""
    return {
        "id": str(id),
        "name": name,
        "icon": None,
        "description": description,
        "summary": "",
        "type": None,
        "bot": bot_user,
        "bot_public": False,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "owner": owner,
        "team": None,
        "flags": flags,
        "guild_id": None,
        "hook": True,
        "interactions_endpoint_url": None,
        "role_connections_verification_url": None,
        "redirect_uris": [],
        "tags": [],
        "install_params": None,
        "integration_types_config": {"0": {}},
        "approximate_guild_count": 1,
        "approximate_user_install_count": 0,
        "rpc_origins": [],
        "custom_install_url": None,
        "terms_of_service_url": None,
        "privacy_policy_url": None,
        "cover_image": None,
        "slug": None,
    }


def ready(
    *,
    bot_user: JSON,
    guild_ids: Iterable[int],
    session_id: str,
    resume_gateway_url: str,
    application_id: int,
    application_flags: int,
) -> JSON:
    bot = dict(bot_user)
    bot.update({"verified": True, "mfa_enabled": False, "email": None, "flags": 0})
    return {
        "v": 10,
        "user": bot,
        "user_settings": {},
        "guilds": [{"id": str(g), "unavailable": True} for g in guild_ids],
        "session_id": session_id,
        "session_type": "normal",
        "resume_gateway_url": resume_gateway_url,
        "application": {"id": str(application_id), "flags": application_flags},
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": ["rotterdam"],
        "auth_session_id_hash": "",
        "_trace": ['["fakediscord",{"micros":0}]'],
    }


def application_command(
    body: Mapping[str, Any],
    *,
    id: int,
    application_id: int,
    guild_id: int | None,
    version: int,
) -> JSON:
    """An application command as Discord answers it after a create or a bulk overwrite."""
    data: JSON = {
        "type": 1,
        "description": "",
        "options": [],
        "default_member_permissions": None,
        "nsfw": False,
        "dm_permission": guild_id is None,
        "contexts": None,
        "integration_types": [0],
    }
    data.update(body)
    data["id"] = str(id)
    data["application_id"] = str(application_id)
    data["version"] = str(version)
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    else:
        data.pop("guild_id", None)
    return data


# --------------------------------------------------------------------------- messages

_USER_MENTION = re.compile(r"<@!?(\d{15,21})>")
_ROLE_MENTION = re.compile(r"<@&(\d{15,21})>")


def mentioned_user_ids(content: str) -> list[int]:
    seen: list[int] = []
    for match in _USER_MENTION.finditer(content or ""):
        value = int(match.group(1))
        if value not in seen:
            seen.append(value)
    return seen


def mentioned_role_ids(content: str) -> list[int]:
    seen: list[int] = []
    for match in _ROLE_MENTION.finditer(content or ""):
        value = int(match.group(1))
        if value not in seen:
            seen.append(value)
    return seen


def attachment(
    id: int, filename: str, *, size: int, content_type: str | None, url_base: str, channel_id: int
) -> JSON:
    url = f"{url_base}/attachments/{channel_id}/{id}/{filename}"
    return {
        "id": str(id),
        "filename": filename,
        "size": size,
        "url": url,
        "proxy_url": url,
        "content_type": content_type,
    }


def message(
    id: int,
    *,
    channel_id: int,
    author: JSON,
    content: str,
    timestamp: datetime,
    guild_id: int | None = None,
    member: JSON | None = None,
    mentions: Sequence[JSON] = (),
    mention_roles: Iterable[int] = (),
    mention_everyone: bool = False,
    embeds: Sequence[JSON] = (),
    attachments: Sequence[JSON] = (),
    components: Sequence[JSON] = (),
    flags: int = 0,
    type: int = 0,
    tts: bool = False,
    pinned: bool = False,
    nonce: str | int | None = None,
    edited_timestamp: datetime | None = None,
    message_reference: JSON | None = None,
    referenced_message: JSON | None = None,
    webhook_id: int | None = None,
    application_id: int | None = None,
    interaction_metadata: JSON | None = None,
) -> JSON:
    data: JSON = {
        "id": str(id),
        "channel_id": str(channel_id),
        "author": author,
        "content": content,
        "timestamp": iso(timestamp),
        "edited_timestamp": iso(edited_timestamp),
        "tts": tts,
        "mention_everyone": mention_everyone,
        "mentions": list(mentions),
        "mention_roles": [str(r) for r in mention_roles],
        "mention_channels": [],
        "attachments": list(attachments),
        "embeds": list(embeds),
        "reactions": [],
        "pinned": pinned,
        "type": type,
        "flags": flags,
        "components": list(components),
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    if member is not None:
        data["member"] = member
    if nonce is not None:
        data["nonce"] = nonce
    if message_reference is not None:
        data["message_reference"] = message_reference
        data["referenced_message"] = referenced_message
    if webhook_id is not None:
        data["webhook_id"] = str(webhook_id)
    if application_id is not None:
        data["application_id"] = str(application_id)
    if interaction_metadata is not None:
        data["interaction_metadata"] = interaction_metadata
    return data


def mention_user(user_payload: JSON, member_payload: JSON | None) -> JSON:
    """An entry of ``message.mentions``: a user, with a partial ``member`` in guilds."""
    data = dict(user_payload)
    if member_payload is not None:
        data["member"] = {k: v for k, v in member_payload.items() if k != "user"}
    return data


# --------------------------------------------------------------------------- interactions


def interaction(
    id: int,
    *,
    type: int,
    application_id: int,
    token: str,
    data: JSON | None,
    channel: JSON,
    guild_id: int | None,
    member: JSON | None = None,
    user: JSON | None = None,
    app_permissions: int,
    locale: str = "nl",
    guild_locale: str | None = "nl",
    guild_features: Sequence[str] = (),
    message: JSON | None = None,
    context: int = 0,
    authorizing_integration_owners: Mapping[str, str] | None = None,
    attachment_size_limit: int = ATTACHMENT_SIZE_LIMIT,
) -> JSON:
    """An INTERACTION_CREATE payload (Discord API docs, "Interaction Object")."""
    payload: JSON = {
        "id": str(id),
        "application_id": str(application_id),
        "type": type,
        "token": token,
        "version": 1,
        "channel": channel,
        "channel_id": channel["id"],
        "app_permissions": str(app_permissions),
        "locale": locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "authorizing_integration_owners": dict(authorizing_integration_owners or {}),
        "context": context,
        "attachment_size_limit": attachment_size_limit,
    }
    if data is not None:
        payload["data"] = data
    if guild_id is not None:
        payload["guild_id"] = str(guild_id)
        payload["guild"] = {
            "id": str(guild_id),
            "locale": guild_locale or "en-US",
            "features": list(guild_features),
        }
        payload["guild_locale"] = guild_locale or "en-US"
        payload["member"] = member
    else:
        payload["user"] = user
    if message is not None:
        payload["message"] = message
    return payload


def interaction_callback(
    *,
    interaction_id: int,
    interaction_type: int,
    callback_type: int,
    message: JSON | None = None,
    loading: bool = False,
    ephemeral: bool = False,
) -> JSON:
    """What ``POST /interactions/{id}/{token}/callback?with_response=true`` answers."""
    inner: JSON = {"id": str(interaction_id), "type": interaction_type}
    if message is not None:
        inner["response_message_id"] = message["id"]
        inner["response_message_loading"] = loading
        inner["response_message_ephemeral"] = ephemeral
    resource: JSON = {"type": callback_type}
    if message is not None:
        resource["message"] = message
    return {"interaction": inner, "resource": resource}


# --------------------------------------------------------------------------- validation


# --------------------------------------------------------------------------- new payloads


def context_menu_data(command: JSON, *, target_id: int, resolved: JSON) -> JSON:
    """``data`` of a user (command type 2) or message (type 3) context-menu command
    (docs "Application Command Data": ``target_id`` and the target in ``resolved``)."""
    data: JSON = {
        "id": command["id"],
        "name": command["name"],
        "type": int(command["type"]),
        "target_id": str(target_id),
        "resolved": resolved,
    }
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    return data


def string_select_data(custom_id: str, values: Sequence[str]) -> JSON:
    """``data`` of a string select interaction (docs "Message Component Data")."""
    return {
        "custom_id": custom_id,
        "component_type": ComponentType.STRING_SELECT,
        "values": list(values),
    }


def modal_submit_data(custom_id: str, components: Sequence[JSON]) -> JSON:
    """``data`` of a modal submit (type 5): the answered components, with their ``id``s."""
    return {"custom_id": custom_id, "components": list(components)}


def number_components(components: Sequence[JSON]) -> list[JSON]:
    """Give every component without an ``id`` one, counting up through the tree as
    Discord does when it stores a message (docs "Component Reference": "auto-populated
    through an increment")."""
    result = copy.deepcopy(list(components))
    used = {c["id"] for c in _all_components(result) if isinstance(c.get("id"), int)}
    counter = 0
    for comp in _all_components(result):
        if not isinstance(comp.get("id"), int):
            counter += 1
            while counter in used:
                counter += 1
            comp["id"] = counter
    return result


def _all_components(components: Sequence[JSON]) -> Iterable[JSON]:
    for comp in components:
        if not isinstance(comp, dict):
            continue
        yield comp
        yield from _all_components(comp.get("components") or [])
        for key in ("component", "accessory"):
            if isinstance(comp.get(key), dict):
                yield from _all_components([comp[key]])


def message_delete(message_id: int | str, channel_id: int | str, guild_id: int | None) -> JSON:
    """MESSAGE_DELETE: only the ids (docs "Message Delete")."""
    data: JSON = {"id": str(message_id), "channel_id": str(channel_id)}
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    return data


class AutoModTrigger:
    KEYWORD = 1
    SPAM = 3
    KEYWORD_PRESET = 4
    MENTION_SPAM = 5
    MEMBER_PROFILE = 6


def auto_moderation_action_execution(
    *,
    guild_id: int,
    rule_id: int,
    trigger_type: int,
    action: JSON,
    user_id: int,
    content: str,
    matched_keyword: str | None,
    matched_content: str | None,
    channel_id: int | None = None,
    message_id: int | None = None,
    alert_system_message_id: int | None = None,
) -> JSON:
    """AUTO_MODERATION_ACTION_EXECUTION (docs "Auto Moderation Action Execution"). Content
    fields are empty without the MESSAGE_CONTENT intent; the server blanks them."""
    data: JSON = {
        "guild_id": str(guild_id),
        "action": action,
        "rule_id": str(rule_id),
        "rule_trigger_type": trigger_type,
        "user_id": str(user_id),
        "content": content,
        "matched_keyword": matched_keyword,
        "matched_content": matched_content,
    }
    if channel_id is not None:
        data["channel_id"] = str(channel_id)
    if message_id is not None:
        data["message_id"] = str(message_id)
    if alert_system_message_id is not None:
        data["alert_system_message_id"] = str(alert_system_message_id)
    return data


def is_empty_message(body: Mapping[str, Any], *, has_files: bool = False) -> bool:
    return not (
        body.get("content")
        or body.get("embeds")
        or body.get("components")
        or body.get("sticker_ids")
        or body.get("poll")
        or has_files
        or body.get("attachments")
    )
