"""`/status` for moderators (Discord and console) and `python -m compass_bot status` give the
same figures, read once by `ops.database_status`."""

from __future__ import annotations

import json
from pathlib import Path

from compass_bot.features.schooltime.rules import CLAUSE_ID
from compass_bot.model import Member
from compass_bot.ops import database_status
from tests.conftest import TEST_CONFIG
from tests.discord_env import LESSON, compass_bot
from tests.fakediscord import Perm
from tests.test_console import run_bot
from tests.test_ops_backup import _cli

# The moderators' channel is missing, so alerts stay in the outbox: a figure /status must show.
NO_MOD_CHANNEL = TEST_CONFIG.replace("moderators: mod-meldingen", "moderators: bestaat-niet")
PRIVILEGED_OFF = TEST_CONFIG.replace(
    "discord:\n  guild: Compass\n",
    "discord:\n  guild: Compass\n  message_content: false\n  members: false\n",
)


async def test_a_moderator_gets_the_figures_and_a_student_is_refused(tmp_path: Path) -> None:
    assert NO_MOD_CHANNEL != TEST_CONFIG
    async with compass_bot(tmp_path, config_text=NO_MOD_CHANNEL) as (fake, bot):
        for i in range(3):
            await bot.app.alerts.record(CLAUSE_ID, Member(id=70 + i, label="lid"), LESSON, 1)
        reply = await fake.slash("mod", "status")
        refused = await fake.slash("anna", "status")
        await fake.settle()
        (put,) = fake.find_calls("PUT", "/applications/*/guilds/*/commands")
        figures = database_status(bot.app.db.path)
    assert reply.deferred and reply.ephemeral  # the database may be slow: deferred first
    text = reply.content or ""  # the first follow-up fills the deferred answer
    assert f"**compass-bot {figures.version}**" in text  # Discord gets its markdown
    assert "Scholen / Schools: Compass" in text
    assert "Message Content aan/on, Server Members aan/on" in text
    assert "Outbox: 3 meldingen wachten" in text and figures.pending_alerts == 3
    assert "Laatste bezorging / Last delivery: nog nooit / never" in text
    assert figures.database_bytes > 0 and "Database: " in text and " bytes " in text
    assert f"(schema {figures.schema_version})" in text
    refusal = refused.callback["data"]
    assert refusal["flags"] & 64 and "Alleen moderatoren" in refusal["content"]
    assert "Outbox" not in refusal["content"]
    synced = {c["name"]: c for c in put.json}
    assert int(str(synced["status"]["default_member_permissions"])) == Perm.MANAGE_MESSAGES


async def test_status_reports_the_intents_the_bot_asked_for(tmp_path: Path) -> None:
    async with compass_bot(tmp_path, config_text=PRIVILEGED_OFF) as (fake, _bot):
        reply = await fake.slash("rector", "status")
        await fake.settle()
    assert "Message Content uit/off, Server Members uit/off" in (reply.content or "")
    (tmp_path / "config.yaml").write_text(PRIVILEGED_OFF, encoding="utf-8")
    code, out, err = await _cli(tmp_path, "status", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["privileged_intents"] == {"message_content": False, "members": False}
    assert "message_content" not in report["intents"] and "members" not in report["intents"]
    code, text, _ = await _cli(tmp_path, "status")
    assert code == 0 and "privileged:    Message Content off, Server Members off" in text


def test_console_status_is_for_staff(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/als leerling",
            "/kanaal algemeen",
            "hoi allemaal",
            "/status",
            "/als moderator",
            "/status",
            "/stop",
        ]
    )
    result = run_bot(tmp_path, script, "--console")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("Only moderators and leadership can see the bot's status.") == 1
    assert out.count("Scholen / Schools: Compass") == 1
    assert "Message Content aan/on, Server Members aan/on" in out
    assert "Database: " in out and "Laatste bezorging / Last delivery: - (console)" in out
    assert "Outbox: 0 meldingen wachten" in out  # the console shows each alert at once
    assert "· #algemeen] compass-bot " in out and "**" not in out  # markdown as plain text


async def test_status_says_a_device_is_not_a_regular_file_as_validate_config_does(
    tmp_path: Path,
) -> None:
    """`storage.database: /dev/null` read "no database at /dev/null (has the bot run...)"."""
    text = TEST_CONFIG + "storage: {database: /dev/null}\n"
    (tmp_path / "config.yaml").write_text(text, encoding="utf-8")
    said = "/dev/null is not a regular file"
    code, _out, err = await _cli(tmp_path, "validate-config")
    assert code == 2 and said in err, err
    code, out, err = await _cli(tmp_path, "status")
    assert (code, out, err) == (1, "", f"status: {said}\n")


async def test_status_says_the_bot_will_migrate_an_older_schema(tmp_path: Path) -> None:
    import sqlite3

    from compass_bot.app import App
    from compass_bot.registry import migrations
    from tests.conftest import make_loaded

    loaded = make_loaded(tmp_path)
    app = await App.create(loaded)
    await app.close()
    code, out, err = await _cli(tmp_path, "status")
    assert code == 0 and "migrates" not in out, err
    with sqlite3.connect(loaded.database_path) as conn:  # as an older version left it
        conn.execute("PRAGMA user_version = 1")
    code, out, err = await _cli(tmp_path, "status")
    assert code == 0, err
    assert (
        f" bytes, schema 1; the bot migrates it to schema {len(migrations())} at its next start)"
        in out
    )
