"""The start-up check of what the bot lacks: a permission given where it is used (Manage
Channels on the social category, as the README suggests; Attach Files on the moderators'
channel) is not reported missing; one used anywhere (hiding personal data) needs the role."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest

from tests.conftest import TEST_CONFIG
from tests.discord_env import SCHOOL, compass_bot
from tests.fakediscord import BotSpec, ChannelSpec, GuildSpec, Perm

pytestmark = pytest.mark.timeout(60)

WARN_AND_DELETE = TEST_CONFIG + "  action: warn_and_delete\n"  # school_time ends TEST_CONFIG
# the heat rule's slowmode: Manage Channels in its channels, Manage Threads in their threads
SLOWMODE = Perm.MANAGE_CHANNELS | Perm.MANAGE_THREADS


def with_grants(
    role: int,
    category: int = 0,
    moderators: int = 0,
    own: dict[str, dict[str, tuple[int, int]]] | None = None,
) -> GuildSpec:
    """SCHOOL with the bot's role given `role`, the Sociaal category granting `category` to
    the bot (its channels synced with it), the moderators' channel granting `moderators`, and
    channels with overwrites of their own (`own`: no longer synced). @everyone may not attach
    files here, so the bot's role alone decides that one server-wide."""
    own = own or {}
    channels = [ChannelSpec("Sociaal", kind="category", overwrites={"@bot": (category, 0)})]
    for spec in SCHOOL.channels:
        if spec.name == "mod-meldingen":
            overwrites = dict(spec.overwrites or {})
            overwrites["@bot"] = (Perm.VIEW_CHANNEL | moderators, 0)
            spec = dataclasses.replace(spec, overwrites=overwrites)
        elif spec.name in own:
            spec = dataclasses.replace(spec, overwrites=own[spec.name])
        channels.append(spec)
    return dataclasses.replace(
        SCHOOL,
        channels=channels,
        bot=BotSpec(permissions=role),
        everyone_permissions=Perm.EVERYONE_DEFAULT & ~Perm.ATTACH_FILES,
    )


def reported(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The start-up lines naming permissions the bot lacks."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "compass_bot.discord" and "lacks" in r.getMessage()
    ]


async def start(tmp_path: Path, name: str, guild: GuildSpec, config: str) -> None:
    """Start the bot on `guild` (its own folder under tmp_path) and stop it again."""
    folder = tmp_path / name
    folder.mkdir()
    async with compass_bot(folder, guild, config) as (fake, _bot):
        await fake.settle()


async def test_manage_channels_on_the_social_category_is_not_reported_missing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The heat rule's slowmode in the watched channels (the school-time social ones):
    Manage Channels on their category is enough; without it, it is reported."""
    caplog.set_level(logging.WARNING, logger="compass_bot.discord")
    await start(tmp_path, "category", with_grants(Perm.BOT_DEFAULT, SLOWMODE), TEST_CONFIG)
    assert reported(caplog) == []

    await start(tmp_path, "nowhere", with_grants(Perm.BOT_DEFAULT), TEST_CONFIG)
    [line] = reported(caplog)
    assert "lacks manage_channels" in line and "invite-url" in line
    caplog.clear()

    # A watched channel with overwrites of its own, without the grant: each place counts.
    memes = {"memes": {"@bot": (0, Perm.MANAGE_CHANNELS)}}
    await start(
        tmp_path,
        "not-memes",
        with_grants(Perm.BOT_DEFAULT, SLOWMODE, own=memes),
        TEST_CONFIG,
    )
    [line] = reported(caplog)
    assert "lacks manage_channels" in line


async def test_manage_messages_where_it_is_used_and_where_only_the_role_counts(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Lesson-time deletes happen in the social channels only: a grant on their category is
    enough. Hiding personal data happens in any channel: then only the role counts."""
    caplog.set_level(logging.WARNING, logger="compass_bot.discord")
    role = Perm.BOT_DEFAULT & ~Perm.MANAGE_MESSAGES
    social = Perm.MANAGE_MESSAGES | SLOWMODE
    await start(tmp_path, "delete", with_grants(role, social), WARN_AND_DELETE)
    assert reported(caplog) == []

    hide = WARN_AND_DELETE + "personal_data:\n  action: hide\n"
    await start(tmp_path, "hide", with_grants(role, social), hide)
    [line] = reported(caplog)
    assert "lacks manage_messages" in line


async def test_attach_files_on_the_moderators_channel_is_enough_and_the_export_needs_none(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The weekly digest uploads its chart in the moderators' channel; the alert export is a
    private reply, which Discord lets the app upload to without the bot's Attach Files."""
    caplog.set_level(logging.WARNING, logger="compass_bot.discord")
    role = (Perm.BOT_DEFAULT & ~Perm.ATTACH_FILES) | SLOWMODE
    await start(
        tmp_path, "moderators", with_grants(role, moderators=Perm.ATTACH_FILES), TEST_CONFIG
    )
    assert reported(caplog) == []

    await start(tmp_path, "nowhere", with_grants(role), TEST_CONFIG)
    [line] = reported(caplog)
    assert "lacks attach_files" in line
    caplog.clear()

    no_digest = TEST_CONFIG + "digest:\n  enabled: false\n"
    folder = tmp_path / "export"
    folder.mkdir()
    async with compass_bot(folder, with_grants(role), no_digest) as (fake, _bot):
        dates = {"van": "2026-11-24", "tot": "2026-11-25"}
        export = await fake.slash("mod", "meldingen export", dates)
        await fake.settle()
        assert export.ephemeral
        [call] = fake.find_calls("POST", "/interactions/*/callback")
        assert [f.filename for f in call.files] == ["meldingen-2026-11-24-2026-11-25.csv"]
        assert fake.invalid_requests == []
    assert reported(caplog) == []
