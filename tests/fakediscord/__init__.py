"""A fake Discord (REST under /api/v10 + gateway) on 127.0.0.1 for testing the real bot.

See README.md in this folder. The usual imports::

    from tests.fakediscord import FakeDiscord, GuildSpec, RoleSpec, ChannelSpec, MemberSpec, running_bot
"""

from .payloads import ChannelType, Intent, Perm, snowflake_at, snowflake_time, utcnow
from .scenario import (
    AttachmentArg,
    BotErrors,
    BotSpec,
    ChannelArg,
    ChannelSpec,
    GuildSpec,
    MemberSpec,
    RoleArg,
    RoleSpec,
    UserArg,
    World,
    demo_guild,
    make_members,
    patch_endpoints,
    running_bot,
)
from .server import Call, FailRule, FakeDiscord, GatewaySession, InteractionRecord, UploadedFile

__all__ = [
    "AttachmentArg",
    "BotErrors",
    "BotSpec",
    "Call",
    "ChannelArg",
    "ChannelSpec",
    "ChannelType",
    "FailRule",
    "FakeDiscord",
    "GatewaySession",
    "GuildSpec",
    "Intent",
    "InteractionRecord",
    "MemberSpec",
    "Perm",
    "RoleArg",
    "RoleSpec",
    "UploadedFile",
    "UserArg",
    "World",
    "demo_guild",
    "make_members",
    "patch_endpoints",
    "running_bot",
    "snowflake_at",
    "snowflake_time",
    "utcnow",
]
