"""Config validation: good files, syntax errors, unknown keys, wrong types; never a traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from compass_bot.config import ConfigError, discord_token, load_config, parse_config

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "config.example.yaml"


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COMPASS_CONFIG", "DISCORD_TOKEN")}
    return subprocess.run(
        [sys.executable, "-m", "compass_bot", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_example_config_is_valid_and_has_the_documented_defaults() -> None:
    loaded = load_config(EXAMPLE)
    cfg = loaded.config
    assert cfg.schedule.timezone == "Europe/Amsterdam"
    assert cfg.channels.moderators == "mod-meldingen"
    assert loaded.database_path == ROOT / "data" / "compass.db"


def test_validate_config_cli_says_ok() -> None:
    result = run_cli("validate-config", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")


def test_every_key_of_the_example_is_commented() -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "-", "{")) or ":" not in stripped:
            continue
        before = [prev.strip() for prev in lines[max(0, number - 3) : number]]
        assert any(b.startswith("#") for b in before) or line.startswith(" " * 4), (
            f"config.example.yaml line {number + 1} has no comment: {line}"
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("discord:\n\tguild: 1\n", r"bad\.yaml:2:1: YAML syntax error"),
        ("discord:\n  guild: [unclosed\n", r"bad\.yaml:\d+:\d+: YAML syntax error"),
        ("discrod:\n  guild: 1\n", r"bad\.yaml: discrod: unknown key"),
        ("questions:\n  rate_limit_count: many\n", r"bad\.yaml: questions\.rate_limit_count: "),
        ("alerts:\n  repeat_window_minutes: -3\n", r"bad\.yaml: alerts\.repeat_window_minutes: "),
        ("- just\n- a list\n", r"bad\.yaml: the top level must be a mapping"),
    ],
)
def test_broken_configs_exit_2_with_one_line_per_problem(
    tmp_path: Path, text: str, expected: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    result = run_cli("validate-config", str(bad))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert re.search(expected, lines[0]), lines[0]


def test_several_problems_give_several_lines(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config("retention:\n  days: 0\nnames:\n  reset_nickname: maybe\n", "x.yaml")
    assert len(info.value.problems) == 2
    assert all(p.startswith("x.yaml: ") for p in info.value.problems)


def test_missing_file_is_a_clear_problem(tmp_path: Path) -> None:
    result = run_cli("validate-config", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert "file not found" in result.stderr and "Traceback" not in result.stderr


def test_empty_file_means_all_defaults() -> None:
    cfg = parse_config("", "empty.yaml")
    assert cfg.roles.teachers == ["Docent"]


def test_channels_and_roles_by_id_or_name() -> None:
    cfg = parse_config(
        "channels:\n  moderators: 123456789012345678\n  questions: '#vragen'\n"
        "roles:\n  teachers: ['223456789012345678', Docent]\n",
        "x.yaml",
    )
    assert cfg.channels.moderators == 123456789012345678
    assert cfg.channels.questions == "vragen"
    assert cfg.roles.teachers == [223456789012345678, "Docent"]


def test_config_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    custom = tmp_path / "custom.yaml"
    custom.write_text("retention:\n  days: 7\n", encoding="utf-8")
    monkeypatch.setenv("COMPASS_CONFIG", str(custom))
    loaded = load_config()
    assert loaded.config.retention.days == 7
    assert loaded.database_path == tmp_path / "data" / "compass.db"


def test_token_from_env_or_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    env = tmp_path / ".env"
    env.write_text("# comment\nDISCORD_TOKEN='abc.def'\n", encoding="utf-8")
    assert discord_token(env) == "abc.def"
    monkeypatch.setenv("DISCORD_TOKEN", "from-env")
    assert discord_token(env) == "from-env"
