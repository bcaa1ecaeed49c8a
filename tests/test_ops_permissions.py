"""Least privilege: the invite asks for exactly what the enabled features need, and staff
commands are synced hidden from students (`default_member_permissions`)."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import discord
import pytest

from compass_bot.config import Config, parse_config
from compass_bot.discord_front.permissions import invite_url, needed, permissions
from compass_bot.features.base import BASE_PERMISSIONS, Feature, Permission
from compass_bot.registry import FEATURES
from tests.conftest import ROOT, TEST_CONFIG
from tests.discord_env import compass_bot
from tests.fakediscord import Perm

BASE = (
    Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.SEND_MESSAGES_IN_THREADS
    | Perm.EMBED_LINKS
    | Perm.READ_MESSAGE_HISTORY
)
DEFAULT = BASE | Perm.ATTACH_FILES  # the default config posts the weekly digest (its chart)
# Reports are always on: the moderators' "Bericht verwijderen" under a report needs Manage
# Messages in every installation; so is /afkoelen, a teacher's slowmode (Manage Channels).
ALWAYS = DEFAULT | Perm.MANAGE_MESSAGES | Perm.MANAGE_CHANNELS
REPORTS_WHY = 'the moderators\' "Bericht verwijderen" under a report (aanwijzing-9)'
# as `--explain` shows it: the clause with its title
REPORTS_SHOWN = REPORTS_WHY.replace("-9)", "-9: Klachten en meldingen van misbruik)")
MANAGE_MESSAGES = "  Manage Messages [manage_messages]: "


def _config(action: str, reset: bool, extra: str = "") -> Config:
    text = (
        f"school_time:\n  action: {action}\n  social_channels: [algemeen]\n"
        f"names:\n  reset_nickname: {'true' if reset else 'false'}\n{extra}"
    )
    return parse_config(text, "config.yaml")


@pytest.mark.parametrize(
    ("action", "reset"), list(itertools.product(("warn", "warn_and_delete"), (False, True)))
)
def test_the_invite_carries_exactly_the_bits_of_the_enabled_features(
    action: str, reset: bool
) -> None:
    config = _config(action, reset)
    expected = ALWAYS | Perm.MANAGE_THREADS  # social channels watched: slowmode in threads too
    if reset:
        expected |= Perm.MANAGE_NICKNAMES
    assert permissions(config).value == expected
    url = urlsplit(invite_url(1234, config))
    query = parse_qs(url.query)
    assert url.netloc == "discord.com" and url.path == "/oauth2/authorize"
    assert query["client_id"] == ["1234"]
    assert query["scope"] == ["bot applications.commands"]
    assert query["permissions"] == [str(expected)]


def _why(config: Config, name: str) -> str | None:
    """The reasons `invite-url --explain` gives for one permission (None: not asked)."""
    return next((n.why for n in needed(config) if n.name == name), None)


def test_slowmode_and_hiding_posts_ask_for_their_permission_only_when_used() -> None:
    quiet = parse_config("school_time:\n  social_channels: []\n", "config.yaml")
    assert permissions(quiet).value == ALWAYS  # no channel watched: no slowmode, no deletes
    assert _why(quiet, "manage_messages") == REPORTS_WHY
    hide = parse_config("personal_data:\n  action: hide\n", "config.yaml")
    assert permissions(hide).value == ALWAYS
    assert _why(hide, "manage_messages") == (
        f"{REPORTS_WHY}; hide a post with other people's data (personal_data.action: hide)"
    )
    heat = parse_config("heat:\n  watched_channels: [algemeen]\n", "config.yaml")
    assert permissions(heat).value == ALWAYS | Perm.MANAGE_THREADS


def test_attach_files_comes_with_the_weekly_digest_only() -> None:
    """The alert export and /overzicht are private replies, which upload with the permission
    Discord gives the app itself; the weekly digest's chart is the bot's own post in the
    moderators' channel, so it is the one upload that needs the bot's Attach Files."""
    assert "attach_files" not in [need.name for need in BASE_PERMISSIONS]
    posting = parse_config("", "config.yaml")
    assert permissions(posting).value == ALWAYS
    assert [n.why for n in needed(posting) if n.name == "attach_files"] == [
        "the weekly digest's chart in the moderators' channel (digest.enabled)"
    ]
    quiet = parse_config("digest:\n  enabled: false\n", "config.yaml")
    assert permissions(quiet).value == ALWAYS & ~Perm.ATTACH_FILES


def test_a_feature_declares_a_need_with_the_config_that_switches_it_on() -> None:
    """How the features being built add theirs: one `Permission` with its condition."""
    slowmode = Feature(
        name="heat",
        data_statement="nothing",
        build=lambda kernel: None,  # type: ignore[arg-type,return-value]
        permissions=(
            Permission("manage_channels", "slowmode", lambda c: c.heat.slowmode_seconds > 60),
            Permission("manage_messages", "hide a post"),
        ),
    )
    features = (*(f for f in FEATURES if f.name != "heat"), slowmode)
    quiet = _config("warn", False, "heat:\n  slowmode_seconds: 30\n")
    busy = _config("warn", False, "heat:\n  slowmode_seconds: 120\n")
    assert permissions(quiet, features).value == DEFAULT | Perm.MANAGE_MESSAGES
    assert (
        permissions(busy, features).value == DEFAULT | Perm.MANAGE_MESSAGES | Perm.MANAGE_CHANNELS
    )
    # Two features needing the same bit list it once.
    both = _config("warn_and_delete", False)
    assert [n.name for n in needed(both, features)].count("manage_messages") == 1


def test_a_misspelt_permission_is_refused_not_dropped() -> None:
    typo = Feature(
        name="typo",
        data_statement="nothing",
        build=lambda kernel: None,  # type: ignore[arg-type,return-value]
        permissions=(Permission("manage_message", "typo"),),
    )
    with pytest.raises(ValueError, match="manage_message"):
        permissions(_config("warn", False), (*FEATURES, typo))


def _cli(tmp_path: Path, config: str, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "config.yaml").write_text(config, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "compass_bot", "--config", "config.yaml", *args],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_invite_url_reads_the_application_id_from_the_config_or_the_option(
    tmp_path: Path,
) -> None:
    config = (
        "discord:\n  application_id: 555555555555555555\n"
        "school_time:\n  action: warn_and_delete\n  social_categories: [Sociaal]\n"
    )
    done = _cli(tmp_path, config, "invite-url")
    assert done.returncode == 0, done.stderr
    query = parse_qs(urlsplit(done.stdout.strip()).query)
    assert query["client_id"] == ["555555555555555555"]
    assert query["permissions"] == [str(ALWAYS | Perm.MANAGE_THREADS)]
    done = _cli(tmp_path, config, "invite-url", "--client-id", "777777777777777777", "--explain")
    assert (
        "client_id=777777777777777777" in done.stdout
        and "  Manage Messages [manage_messages]: delete a post" in done.stdout
    )


def test_explain_speaks_as_discords_screen_and_names_the_portal_switches(tmp_path: Path) -> None:
    """The names the consent screen shows, a clause id with its title, and the privileged
    intents this config asks for (the ones the Developer Portal must have on)."""
    both = _cli(
        tmp_path, "discord:\n  application_id: 555555555555555555\n", "invite-url", "--explain"
    )
    lines = both.stdout.splitlines()
    assert (
        "  View Channels [view_channel]: see the channels it watches and the moderators' channel"
        in lines
    )
    assert f"{MANAGE_MESSAGES}{REPORTS_SHOWN}" in lines
    assert lines[-1] == (
        "privileged intents: switch on Server Members Intent and Message Content Intent "
        "(Developer Portal > Bot > Privileged Gateway Intents)"
    )
    one = _cli(
        tmp_path,
        "discord:\n  application_id: 555555555555555555\n  members: false\n",
        "invite-url",
        "--explain",
    )
    assert one.stdout.splitlines()[-1].startswith(
        "privileged intents: switch on Message Content Intent ("
    )
    none = _cli(
        tmp_path,
        "discord:\n  application_id: 555555555555555555\n  members: false\n"
        "  message_content: false\n",
        "invite-url",
        "--explain",
    )
    assert none.stdout.splitlines()[-1].startswith("privileged intents: none")


def test_a_server_named_by_id_is_fixed_in_the_link() -> None:
    """West's link cannot be used on Noord's server by mistake; a name cannot go in a link."""
    by_id = parse_qs(
        urlsplit(
            invite_url(1234, parse_config("discord:\n  guild: 112233445566778899\n", "c.yaml"))
        ).query
    )
    assert by_id["guild_id"] == ["112233445566778899"]
    assert by_id["disable_guild_select"] == ["true"]
    by_name = parse_qs(
        urlsplit(invite_url(1234, parse_config("discord:\n  guild: Compass\n", "c.yaml"))).query
    )
    assert "guild_id" not in by_name and "disable_guild_select" not in by_name


def test_invite_url_without_an_application_id_says_where_it_is(tmp_path: Path) -> None:
    done = _cli(tmp_path, "", "invite-url")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "General Information" in done.stderr


def test_every_declared_permission_is_a_discord_permission() -> None:
    for feature in FEATURES:
        for need in feature.permissions:
            assert need.name in discord.Permissions.VALID_FLAGS, (feature.name, need.name)


STAFF = {
    "toestemming",
    "naam",
    "naamcontrole",
    "meldingen",
    "privacy",
    "afkoelen",
    "status",
    "overzicht",
}


def _synced(fake: object) -> dict[str, dict[str, object]]:
    (put,) = fake.find_calls("PUT", "/applications/*/guilds/*/commands")  # type: ignore[attr-defined]
    return {c["name"]: c for c in put.json}


async def test_staff_commands_are_synced_for_manage_messages_by_default(tmp_path: Path) -> None:
    async with compass_bot(tmp_path) as (fake, _bot):
        sent = _synced(fake)
    assert set(sent) >= STAFF
    for name, command in sent.items():
        wanted = Perm.MANAGE_MESSAGES if name in STAFF else None
        given = command.get("default_member_permissions")
        assert (None if given is None else int(str(given))) == wanted, name
    # /protocol holds the students' lijst and regel: Discord sets the permission per top-level
    # command only, so onbeantwoord keeps its role check as its one lock.
    assert sent["protocol"].get("default_member_permissions") is None


async def test_the_staff_permission_is_configurable(tmp_path: Path) -> None:
    config = TEST_CONFIG.replace(
        "discord:\n  guild: Compass\n",
        "discord:\n  guild: Compass\n  staff_permission: administrator\n",
    )
    assert "administrator" in config
    async with compass_bot(tmp_path, config_text=config) as (fake, _bot):
        sent = _synced(fake)
    for name in STAFF:
        assert int(str(sent[name]["default_member_permissions"])) == Perm.ADMINISTRATOR, name


def test_an_unknown_staff_permission_is_a_config_problem() -> None:
    from compass_bot.config import ConfigError

    with pytest.raises(ConfigError, match="staff_permission"):
        parse_config("discord:\n  staff_permission: everyone\n", "config.yaml")


def test_invite_url_on_a_board_gives_each_school_its_own_least_privilege(tmp_path: Path) -> None:
    """Each school's server admin adds the bot with what that school's features need: Zuid
    deletes posts in lesson time and resets nicknames, Noord only warns. Both ask for Manage
    Messages (the reports' "Bericht verwijderen"); only Zuid's explains it also deletes."""
    config = (
        "discord:\n  application_id: 555555555555555555\n"
        "school_time:\n  social_channels: [algemeen]\n"
        "schools:\n"
        "  - name: Noord\n    discord: {guild: Noord}\n"
        "  - name: Zuid\n    discord: {guild: Zuid}\n"
        "    school_time: {action: warn_and_delete}\n"
        "    names: {reset_nickname: true}\n"
    )
    done = _cli(tmp_path, config, "invite-url")
    assert done.returncode == 0, done.stderr
    links = dict(line.split(": ", 1) for line in done.stdout.strip().splitlines())
    assert list(links) == ["Noord", "Zuid"]
    bits = {
        name: int(parse_qs(urlsplit(url).query)["permissions"][0]) for name, url in links.items()
    }
    assert bits["Zuid"] == bits["Noord"] | Perm.MANAGE_NICKNAMES
    assert not bits["Noord"] & Perm.MANAGE_NICKNAMES
    assert bits["Noord"] & Perm.MANAGE_MESSAGES
    one = _cli(tmp_path, config, "invite-url", "--school", "zuid")
    assert one.returncode == 0 and one.stdout.strip() == links["Zuid"]
    for school, deletes in (("Noord", False), ("Zuid", True)):
        explained = _cli(tmp_path, config, "invite-url", "--school", school, "--explain")
        assert explained.returncode == 0, explained.stderr
        assert REPORTS_SHOWN in explained.stdout
        assert ("delete a post in lesson time" in explained.stdout) == deletes, school
    unknown = _cli(tmp_path, config, "invite-url", "--school", "West")
    assert unknown.returncode == 2 and "Noord, Zuid" in unknown.stderr


def test_invite_url_refuses_an_application_id_that_is_no_id(tmp_path: Path) -> None:
    for bad in ("-5", "abc", "123", "000000000000123", "12345678901234567890123"):
        done = _cli(tmp_path, "", "invite-url", "--client-id", bad)
        assert done.returncode == 2 and done.stdout == "", bad
        assert done.stderr.count("\n") == 1 and "is not an Application ID" in done.stderr


def test_the_invite_follows_what_runs_without_message_content(tmp_path: Path) -> None:
    """Without Message Content the personal-data rule is off (it reads the text): no Manage
    Messages to hide posts; the school-time rule still judges author, channel and time, so
    its deletes keep theirs; /afkoelen still sets a slowmode by hand."""
    blind = "discord:\n  message_content: false\n"
    hide = parse_config(f"{blind}personal_data:\n  action: hide\n", "config.yaml")
    assert permissions(hide).value == ALWAYS  # the reports' delete only
    assert _why(hide, "manage_messages") == REPORTS_WHY
    delete = parse_config(
        f"{blind}school_time:\n  action: warn_and_delete\n  social_channels: [algemeen]\n",
        "config.yaml",
    )
    assert permissions(delete).value == ALWAYS  # no Manage Threads: the rule is off
    assert [n.why for n in needed(delete) if n.name == "manage_channels"] == [
        "/afkoelen's slowmode, set by a teacher or moderator"
    ]
    # Names are checked when a member posts or uses a command without Server Members (and
    # read no text); AutoMod hits come without a privileged intent: both keep theirs.
    neither = parse_config(
        f"{blind}  members: false\npersonal_data:\n  action: hide\n"
        "names:\n  reset_nickname: true\nautomod:\n  enabled: true\n",
        "config.yaml",
    )
    assert permissions(neither).value == ALWAYS | Perm.MANAGE_NICKNAMES | Perm.MANAGE_GUILD
    done = _cli(
        tmp_path,
        "discord: {message_content: false, application_id: 555555555555555555}\n"
        "personal_data: {action: hide}\n",
        "invite-url",
        "--explain",
    )
    assert done.returncode == 0, done.stderr
    assert "hide a post" not in done.stdout
    assert f"{MANAGE_MESSAGES}{REPORTS_SHOWN}\n" in done.stdout
    assert parse_qs(urlsplit(done.stdout.splitlines()[0]).query)["permissions"] == [str(ALWAYS)]


def test_the_invite_asks_nothing_for_a_school_time_rule_that_watches_nothing() -> None:
    idle = parse_config("school_time:\n  action: warn_and_delete\n", "config.yaml")
    assert permissions(idle).value == ALWAYS  # no social channel listed: nothing is deleted
    assert _why(idle, "manage_messages") == REPORTS_WHY  # ... but a reported message can be


def test_the_default_invite_asks_manage_messages_for_the_reports_delete_button(
    tmp_path: Path,
) -> None:
    """ "Bericht verwijderen" under a report deletes the reported message: every installation
    has reports, so even the default config's invite asks for Manage Messages, and says why."""
    done = _cli(tmp_path, "discord: {application_id: 555555555555555555}\n", "invite-url")
    assert done.returncode == 0, done.stderr
    bits = int(parse_qs(urlsplit(done.stdout.strip()).query)["permissions"][0])
    assert bits & Perm.MANAGE_MESSAGES
    assert _why(parse_config("", "config.yaml"), "manage_messages") == REPORTS_WHY


def test_explain_gives_every_reason_a_permission_serves(tmp_path: Path) -> None:
    """A permission two features need is asked once, and `--explain` names both needs on its
    one line (not only the first feature's)."""
    config = (
        "discord: {application_id: 555555555555555555}\n"
        "school_time: {action: warn_and_delete, social_channels: [algemeen]}\n"
    )
    done = _cli(tmp_path, config, "invite-url", "--explain")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1].startswith("permissions ") and lines[1].endswith(":")
    [line] = [line for line in lines if line.startswith(MANAGE_MESSAGES)]
    assert line == (
        f"{MANAGE_MESSAGES}delete a post in lesson time (school_time.action: warn_and_delete)"
        f"; {REPORTS_SHOWN}"
    )
    # one `  Name [flag]: why` line per permission, then the portal's intents
    names = [line.split(": ", 1)[0] for line in lines[2:-1]]
    assert all(n.startswith("  ") and n.endswith("]") for n in names)
    assert len(names) == len(set(names))
    assert lines[-1].startswith("privileged intents: ")
