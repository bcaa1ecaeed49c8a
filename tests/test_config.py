"""Config validation: good files, syntax errors, unknown keys, wrong types; never a traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from compass_bot.config import (
    ConfigError,
    LoadedConfig,
    check_targets,
    discord_token,
    load_config,
    parse_config,
)

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
        ("schedul:\n  timezone: UTC\n", r"schedul: unknown key: did you mean 'schedule'\?"),
        ("discord:\n  gild: 1\n", r"discord\.gild: unknown key: did you mean 'guild'\?"),
        (  # a key of a section in a list: that section's keys
            'schedule:\n  lunch_breaks:\n    by_role:\n      - {role: K, start: "12:00", '
            'end: "12:30", nd: "12:45"}\n',
            r"by_role\[0\]\.nd: unknown key: did you mean 'end'\?",
        ),
        ("xyzzy: 1\n", r"xyzzy: unknown key \(check the spelling"),  # near no key: no guess
        ("questions:\n  rate_limit_count: many\n", r"bad\.yaml: questions\.rate_limit_count: "),
        ("alerts:\n  repeat_window_minutes: -3\n", r"bad\.yaml: alerts\.repeat_window_minutes: "),
        ("- just\n- a list\n", r"bad\.yaml: the top level must be a mapping"),
        ('console:\n  channel: ""\n', r"bad\.yaml: console\.channel: an empty name"),
        ('console:\n  channel: "  "\n', r"bad\.yaml: console\.channel: an empty name"),
        ('channels:\n  questions: "#"\n', r"bad\.yaml: channels\.questions: an empty name"),
        ('console:\n  channel: "x\\e[2J"\n', r"console\.channel: a control character in a name"),
        ('channels:\n  questions: "a\\u0000b"\n', r"channels\.questions: a control character"),
        ('channels:\n  questions: "a\\tb"\n', r"channels\.questions: a control character"),
        (
            f"channels:\n  moderators: {'m' * 101}\n",
            r"a name of 101 characters \(Discord allows 100\)",
        ),
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


NO_SOCIAL = (
    "warning: school_time names no social channels or categories: the lesson-time rule "
    "watches no channel\n"
)


@pytest.mark.parametrize(
    ("text", "warned"),
    [
        ("", True),
        ("school_time:\n  exempt_channels: [wiskunde]\n", True),  # exempting watches nothing
        ("school_time:\n  social_channels: [algemeen]\n", False),
        ("school_time:\n  social_categories: [Sociaal]\n", False),  # a category is enough
    ],
)
def test_validate_config_warns_when_the_lesson_time_rule_watches_no_channel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, warned: bool
) -> None:
    from compass_bot.__main__ import main

    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["validate-config", str(path)]) == 0  # still valid: old files stay valid
    out = capsys.readouterr()
    assert out.out == f"ok: {path}\n"
    assert out.err == (NO_SOCIAL if warned else "")


def test_the_console_says_the_same_warning_at_start(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("COMPASS_CONFIG", "DISCORD_TOKEN")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "--console", "--config", "config.yaml"],
        input="/stop\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"compass-bot: {NO_SOCIAL}"


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


# -- .env through python-dotenv -----------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"DISCORD_TOKEN=abc.def # the bot's token\n",
        b"export DISCORD_TOKEN=abc.def\n",
        b'DISCORD_TOKEN="abc.def"  # quoted, then a comment\n',
        b"\xef\xbb\xbfOTHER=1\r\nDISCORD_TOKEN=abc.def\r\n",  # Notepad: a BOM and CRLF
    ],
)
def test_dotenv_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    env = tmp_path / ".env"
    env.write_bytes(content)
    assert discord_token(env) == "abc.def"


def test_dotenv_not_utf8_is_one_line_without_the_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    env = tmp_path / ".env"
    env.write_bytes(b"DISCORD_TOKEN=secret-\xe9-token\n")
    with pytest.raises(ConfigError) as info:
        discord_token(env)
    assert info.value.problems == [f"{env}: not UTF-8 text (save it as UTF-8)"]
    assert discord_token(tmp_path / "missing.env") is None


def test_a_token_line_dotenv_cannot_read_is_one_line_without_the_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A quote left open: said as that line, not as python-dotenv's warning and then "no
    token" (the line is there, it cannot be read); a commented-out line is no token line."""
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    env = tmp_path / ".env"
    env.write_text('# a comment\nexport DISCORD_TOKEN="secret-token\nOTHER=1\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        discord_token(env)
    assert info.value.problems == [
        f"{env}: line 2: DISCORD_TOKEN cannot be read (a quote left open?)"
    ]
    assert "secret" not in caplog.text and "could not parse" not in caplog.text
    env.write_text('# DISCORD_TOKEN="old\nOTHER=1\n', encoding="utf-8")
    assert discord_token(env) is None


# -- strict types, one name as a list ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        ("retention:\n  days: true\n", "retention.days", "got true"),
        ('questions:\n  max_length: "2000"\n', "questions.max_length", "write 2000 without quotes"),
        ("questions:\n  rate_limit_count: 5.0\n", "questions.rate_limit_count", "whole number"),
        ('names:\n  check_on_join: "yes"\n', "names.check_on_join", "expected true or false"),
        ("names:\n  reset_nickname: 1\n", "names.reset_nickname", "expected true or false"),
        ("discord:\n  sync_commands: 'false'\n", "discord.sync_commands", "true or false"),
        ("school_time:\n  warning_cooldown_minutes: '30'\n", "warning_cooldown_minutes", "quotes"),
        ("schedule:\n  days_off:\n    public_holidays: 'no'\n", "public_holidays", "true or false"),
    ],
)
def test_no_silent_type_coercion(text: str, key: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text, "x.yaml")
    [line] = info.value.problems
    assert line.startswith("x.yaml: ") and key in line and fragment in line, line


def test_yaml_booleans_and_integers_still_work() -> None:
    cfg = parse_config("names:\n  check_on_join: no\nretention:\n  days: 7\n", "x.yaml")
    assert cfg.names.check_on_join is False and cfg.retention.days == 7


def test_one_name_where_a_list_is_expected_is_a_list_of_one() -> None:
    cfg = parse_config(
        "roles:\n  students: Leerling\n  teachers: 223456789012345678\n"
        "names:\n  allowed_words: compassie\n"
        "school_time:\n  social_channels: algemeen\n  staff_roles: Docent\n"
        "schedule:\n  school_days: maandag\n  days_off:\n    extra: 2026-11-27\n",
        "x.yaml",
    )
    assert cfg.roles.students == ["Leerling"]
    assert cfg.roles.teachers == [223456789012345678]
    assert cfg.names.allowed_words == ["compassie"]
    assert cfg.school_time.social_channels == ["algemeen"]
    assert cfg.school_time.staff_roles == ["Docent"]
    assert cfg.schedule.school_days == ["monday"]
    assert [span.from_.isoformat() for span in cfg.schedule.days_off.extra] == ["2026-11-27"]


def test_test_config_and_example_stay_valid() -> None:
    from tests.conftest import TEST_CONFIG

    parse_config(TEST_CONFIG, "test")
    parse_config(EXAMPLE.read_text(encoding="utf-8"), "example")


# -- cross-checks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "roles:\n  students: [Leerling]\n  moderators: [leerling]\n",
            "in both students and moderators",
        ),
        (
            "roles:\n  students: [Leerling]\n  teachers: [Leerling]\n",
            "in both students and teachers",
        ),
        (
            "school_time:\n  staff_roles: [Docent, Leerling]\n",
            "roles.students and school_time.staff_roles",
        ),
        (
            'schedule:\n  lunch_breaks:\n    default: {start: "16:30", end: "17:00"}\n',
            "lunch_breaks.default 16:30-17:00 lies outside the school hours",
        ),
        (
            "schedule:\n  lunch_breaks:\n    by_role:\n"
            '      - {role: Klas 1, start: "07:00", end: "07:30"}\n',
            "by_role ('Klas 1') 07:00-07:30 lies outside",
        ),
        ("channels:\n  moderators: 123\n", "123 cannot be a Discord id"),
        ("roles:\n  teachers: [12345678901234567890123]\n", "cannot be a Discord id"),
        ("discord:\n  guild: 42\n", "cannot be a Discord id"),
    ],
)
def test_sections_are_checked_against_each_other(text: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text, "x.yaml")
    [line] = info.value.problems
    assert fragment in line, line


def test_a_short_wednesday_without_lunch_is_fine() -> None:
    cfg = parse_config(
        'schedule:\n  hours:\n    wednesday: {start: "08:30", end: "12:00"}\n', "x.yaml"
    )
    assert cfg.schedule.hours.wednesday is not None


# -- YAML that can hurt -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "a: &a [x, x]\nb: &b [*a, *a]\n" + "names:\n  allowed_words: [" + "*b, " * 120 + "]\n",
            "aliases",
        ),
        ("a: &a [*a]\n", "refers to itself"),
        ("x: " + "[" * 100_000 + "]" * 100_000 + "\n", "nested deeper than 50 levels"),
        ("x: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n", "nested deeper"),
        ("retention:\n  days: " + "9" * 5000 + "\n", "a number of 5000 digits is too long"),
        ("schedule:\n  days_off:\n    extra: [2026-02-30]\n", "'2026-02-30' is not a real date"),
        (
            "retention:\n  days: 7\nnames: {}\nretention:\n  days: 8\n",
            "'retention' is given twice (first on line 1)",
        ),
        (
            "names:\n  check_on_join: true\n  check_on_join: false\n",
            "'check_on_join' is given twice",
        ),
    ],
)
def test_hostile_yaml_is_one_short_line(text: str, fragment: str) -> None:
    import time

    started = time.monotonic()
    with pytest.raises(ConfigError) as info:
        parse_config(text, "x.yaml")
    [line] = info.value.problems
    assert fragment in line and len(line) < 200, line
    assert time.monotonic() - started < 2


def test_billion_laughs_does_not_expand() -> None:
    import time

    levels = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    started = time.monotonic()
    with pytest.raises(ConfigError, match="aliases expand to more than 20000 values"):
        parse_config(levels + "names:\n  allowed_words: *i\n", "x.yaml")
    assert time.monotonic() - started < 2


def test_merge_keys_and_a_few_aliases_are_still_fine() -> None:
    cfg = parse_config(
        "school_time:\n  staff_roles: &staff [Docent, Moderator]\n"
        "  exempt_channels: *staff\n"
        "schedule:\n  hours:\n    default: &day {start: '08:30', end: '16:00'}\n"
        "    friday:\n      <<: *day\n      end: '15:00'\n",
        "x.yaml",
    )
    assert cfg.school_time.exempt_channels == ["Docent", "Moderator"]
    assert cfg.schedule.hours.friday is not None and cfg.schedule.hours.friday.end.hour == 15


def test_a_huge_value_is_never_shown_whole() -> None:
    with pytest.raises(ConfigError) as info:
        parse_config("schedule:\n  timezone: " + "Europe/" + "x" * 500_000 + "\n", "x.yaml")
    [line] = info.value.problems
    assert len(line) < 200, line[:300]


def test_many_problems_are_capped(tmp_path: Path) -> None:
    text = "names:\n  allowed_words: [" + ", ".join(["[x]"] * 50) + "]\n"
    with pytest.raises(ConfigError) as info:
        parse_config(text, "x.yaml")
    assert len(info.value.problems) == 10
    assert info.value.problems[-1] == "x.yaml: ... and 41 more"


@pytest.mark.parametrize("kind", ["big", "fifo", "folder", "not-utf8"])
def test_config_files_that_cannot_be_read(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "config.yaml"
    if kind == "big":
        path.write_text("# " + "x" * (1 << 20) + "\n", encoding="utf-8")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.write_bytes(b"console:\n  channel: caf\xe9\n")
    expected = {
        "big": "is larger than 1 MiB",
        "fifo": "is not a regular file",
        "folder": "is a folder",
        "not-utf8": "not UTF-8 text",
    }[kind]
    with pytest.raises(ConfigError) as info:
        load_config(path)
    [line] = info.value.problems
    assert line.startswith(f"{path}: {expected}"), line


# -- what the config points at -------------------------------------------------------------------


def _loaded(tmp_path: Path, text: str) -> LoadedConfig:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


def test_check_targets_accepts_a_new_database_and_creates_nothing(tmp_path: Path) -> None:
    loaded = _loaded(tmp_path, "storage:\n  database: nieuw/map/compass.db\n")
    check_targets(loaded, NOW)
    assert not (tmp_path / "nieuw").exists()


@pytest.mark.parametrize(
    ("database", "fragment"),
    [
        ("blok/compass.db", "the folder {d}/blok cannot be created: {d}/blok is a file"),
        ("blok/sub/compass.db", "the folder {d}/blok/sub cannot be created: {d}/blok is a file"),
        ("data", "{d}/data is a folder; give a file name such as {d}/data/compass.db"),
    ],
)
def test_check_targets_refuses_an_unusable_database(
    tmp_path: Path, database: str, fragment: str
) -> None:
    (tmp_path / "blok").write_text("not a folder", encoding="utf-8")
    (tmp_path / "data").mkdir()
    loaded = _loaded(tmp_path, f"storage:\n  database: {database}\n")
    with pytest.raises(ConfigError) as info:
        check_targets(loaded, NOW)
    assert info.value.problems == [
        f"{loaded.path}: storage.database: " + fragment.format(d=tmp_path)
    ]


def test_check_targets_refuses_a_read_only_folder(tmp_path: Path) -> None:
    (tmp_path / "ro").mkdir(mode=0o555)
    # Root may write anywhere a permission bit forbids; /proc takes no new files from anyone.
    folder = "/proc" if os.geteuid() == 0 else "ro"
    loaded = _loaded(tmp_path, f"storage:\n  database: {folder}/compass.db\n")
    with pytest.raises(ConfigError, match="cannot be written"):
        check_targets(loaded, NOW)


def test_check_targets_reads_the_ics_file(tmp_path: Path) -> None:
    loaded = _loaded(tmp_path, "schedule:\n  days_off:\n    ics_file: jaar.ics\n")
    with pytest.raises(ConfigError) as info:
        check_targets(loaded, NOW)
    assert info.value.problems == [
        f"{loaded.path}: schedule.days_off.ics_file: {tmp_path / 'jaar.ics'}: file not found"
    ]
    (tmp_path / "jaar.ics").write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    check_targets(loaded, NOW)


# -- moments out of range -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["0001-01-01T00:00+01:00", "9999-12-31T23:59-05:00", "0001-01-01", "1969-12-31"]
)
def test_moments_out_of_range_are_one_line(text: str) -> None:
    from zoneinfo import ZoneInfo

    from compass_bot.inputs import InputError, parse_day, parse_moment

    with pytest.raises(InputError, match=r"out of range \(years 1970-2999\)"):
        parse_moment(text, ZoneInfo("Europe/Amsterdam"), "--at")
    if "T" not in text:
        with pytest.raises(InputError, match="out of range"):
            parse_day(text, "van:")


def test_check_time_out_of_range_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    from compass_bot.__main__ import main

    assert main(["--config", str(EXAMPLE), "check-time", "--at", "0001-01-01T00:00+01:00"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["check-time: --at 0001-01-01T00:00:00+01:00 is out of range (years 1970-2999)"]


def test_check_time_reads_a_channel_as_typed_and_one_watched_through_its_category(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """' algemeen' and '#algemeen' are the channel algemeen; a channel the config watches only
    through its category (`social_categories: [Sociaal]`) is watched when that is given."""
    from compass_bot.__main__ import main

    lesson = ["--config", str(EXAMPLE), "check-time", "--json", "--at", "2026-11-24T10:15+01:00"]
    for where in (["--channel", " algemeen"], ["--channel", "chat", "--category", " #Sociaal"]):
        assert main([*lesson, *where]) == 0
        assert json.loads(capsys.readouterr().out)["reason"] == "lesson_time"
    assert main([*lesson, "--channel", "chat"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["reason"] == "not_watched"
    assert "'chat' staat niet in school_time" in out.err  # the verdict, and why, on stderr
    assert main([*lesson, "--channel", "algmeen"]) == 0  # a typo: the verdict, and a hint
    out = capsys.readouterr()
    assert json.loads(out.out)["reason"] == "not_watched"
    assert out.err.rstrip().endswith("Did you mean: algemeen?")
    assert main([*lesson, "--channel", "chat", "--category", "Socaal"]) == 0
    assert capsys.readouterr().err.rstrip().endswith("Did you mean: Sociaal?")  # as written
    assert main([*lesson, "--channel", "chat", "--category", "Sociaal"]) == 0
    assert capsys.readouterr().err == ""  # named through its category: no hint
    assert main([*lesson, "--channel", "chat", "--category", "sociaa"]) == 0
    assert capsys.readouterr().err.rstrip().endswith("Did you mean: Sociaal?")
    for empty in ("", " # "):
        assert main([*lesson, "--channel", empty]) == 2
        assert capsys.readouterr().err == "check-time: --channel and --category need a name\n"
    assert main([*lesson, "--category", "Sociaal"]) == 2
    assert capsys.readouterr().err == "check-time: --category names the category of a --channel\n"
    # a --role near a configured role ("Docnet" for "Docent") reads as a student's: a hint;
    # a student's own role, named nowhere in the config, gets none
    assert main([*lesson, "--role", "Docnet", "--role", "Leerling"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["reason"] == "lesson_time"
    assert out.err == (
        "check-time: rol 'Docnet' staat niet in de configuratie / role 'Docnet' is not in the "
        "config. Bedoelde je: Docent? / Did you mean: Docent?\n"
    )
    assert main([*lesson, "--role", "Leerling"]) == 0
    assert capsys.readouterr().err == ""


def test_check_time_gives_no_role_hint_for_another_year_group(tmp_path: Path) -> None:
    """ "Klas 3" beside a configured "Klas 2" is another year group (the default lunch), not
    a typo; "Docnet" beside "Docent" is."""
    from compass_bot.checktime import role_hint
    from tests.conftest import make_loaded

    text = (
        "schedule:\n  lunch_breaks:\n    by_role:\n"
        '      - {role: "Klas 2", start: "12:00", end: "12:30"}\n'
    )
    loaded = make_loaded(tmp_path, text)
    assert role_hint(loaded, ["Klas 3", "havo 4", "Leerling"]) is None
    hint = role_hint(loaded, ["Docnet", "Klas 3"])
    assert hint is not None and "'Docnet'" in hint and "Klas 3" not in hint


def test_a_wall_time_the_clocks_skip_is_read_as_the_moment_an_hour_later() -> None:
    """02:30 on the night the clocks go forward does not exist: `check-time --at` reads it
    as 03:30 summer time, the same moment as 02:30+01:00 (the console's /tijd refuses it)."""
    from zoneinfo import ZoneInfo

    from compass_bot.inputs import parse_moment

    zone = ZoneInfo("Europe/Amsterdam")
    skipped = parse_moment("2026-03-29T02:30", zone)
    assert (skipped.hour, skipped.minute) == (3, 30)
    assert skipped == parse_moment("2026-03-29T02:30+01:00", zone)
    assert skipped.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    plain = parse_moment("2026-11-24T10:15", zone)
    assert (plain.hour, plain.minute, plain.utcoffset()) == (10, 15, timedelta(hours=1))


def test_per_line_commands_take_their_input_one_way(capsys: pytest.CaptureFixture[str]) -> None:
    """Arguments and --stdin at once would drop the arguments without a word: refused."""
    from compass_bot.__main__ import main

    for command, arg in (("check-name", "C0mpass"), ("ask", "mag tiktok"), ("check-message", "x")):
        assert main([command, "--stdin", arg]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "as arguments or with --stdin, not both" in err[0]


def test_empty_input_and_an_empty_school_are_refused_not_answered(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty question, name or text as an argument has no answer: one line and exit 2, not
    a verdict on nothing (a blank line on --stdin is answered, so the answers keep the lines'
    order); `--school ""` names no school, so it is refused rather than left out."""
    from compass_bot.__main__ import main

    monkeypatch.setenv("COMPASS_CONFIG", str(EXAMPLE))  # named: no line about a fallback
    for command, item in (("ask", "question"), ("check-name", "name"), ("check-message", "text")):
        assert main([command, "--json", "  "]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err == f"{command}: the {item} is empty\n"
    assert main(["check-name", "--json", "", "Bob"]) == 2  # each name is checked on its own
    assert capsys.readouterr().err == "check-name: the name is empty\n"
    with pytest.raises(SystemExit) as refused:
        main(["check-message", "hoi", "--school", ""])
    assert refused.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("check-message: unknown school ''")


def test_per_line_commands_answer_every_line_also_one_that_is_not_utf8(tmp_path: Path) -> None:
    """One output line per input line, in order, also for a line that is not UTF-8: its bytes
    are read as U+FFFD (never reaching the output, where the JSON would stop being UTF-8),
    with one line on stderr; a text argument that is not UTF-8 is refused (exit 2)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COMPASS_CONFIG", "DISCORD_TOKEN")}
    for command in ("ask", "check-name", "check-message"):
        done = subprocess.run(
            [sys.executable, "-m", "compass_bot", command, "--json", "--stdin"],
            input=b"Compass fan\n\xff\xfe\ncaf\xe9 0612345678\r\nhoi\n",
            capture_output=True,
            cwd=tmp_path,
            env=env,
            timeout=60,
        )
        assert done.returncode == 0
        note = "is not UTF-8 text; its undecodable bytes are read as U+FFFD"
        assert done.stderr.decode().splitlines() == [f"{command}: line {n} {note}" for n in (2, 3)]
        answers = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
        assert len(answers) == 4
        if command == "check-name":
            assert [a["name"] for a in answers] == [
                "Compass fan",
                "\ufffd\ufffd",
                "caf\ufffd 0612345678",
                "hoi",
            ]
        if command == "check-message":
            assert [a["flagged"] for a in answers] == [False, False, True, False]
            assert answers[2]["findings"][0]["start"] == 5
        argument = subprocess.run(
            [sys.executable.encode(), b"-m", b"compass_bot", command.encode(), b"\xff"],
            capture_output=True,
            cwd=tmp_path,
            env=env,
            timeout=60,
        )
        assert argument.returncode == 2 and argument.stdout == b""
        assert argument.stderr.decode().endswith("is not UTF-8 text\n")


def test_an_application_id_has_the_length_of_a_discord_id() -> None:
    """`application_id: 123` would give an invite link that opens nothing: refused as the
    role and channel ids are (15 to 20 digits)."""
    with pytest.raises(ConfigError, match="cannot be an Application ID"):
        parse_config("discord:\n  application_id: 123\n", "config.yaml")
    ok = parse_config("discord:\n  application_id: 123456789012345678\n", "config.yaml")
    assert ok.discord.application_id == 123456789012345678


def test_a_path_key_without_a_path_says_what_to_write() -> None:
    """Not pydantic's "Input is not a valid path for <class 'pathlib.Path'>"."""
    with pytest.raises(ConfigError) as refused:
        parse_config("storage: {database: null}\n", "config.yaml")
    assert refused.value.problems == [
        "config.yaml: storage.database: expected a file path, such as data/compass.db"
    ]


@pytest.mark.parametrize("escape", ["\\0", "\\t", "\\n", "\\x7f", "\\x85"])
def test_a_path_with_a_control_character_is_refused_in_one_line(escape: str) -> None:
    """A NUL byte would pass as a path and crash the bot on opening it ("embedded null
    byte"); a tab, newline or other control character is a quoting slip: refused here, so
    validate-config, status and the bot all say so. Other non-ASCII letters stay."""
    for key, text in (
        ("storage.database", f'storage:\n  database: "data/a{escape}b.db"\n'),
        ("schedule.days_off.ics_file", f'schedule:\n  days_off:\n    ics_file: "a{escape}b.ics"\n'),
    ):
        with pytest.raises(ConfigError) as refused:
            parse_config(text, "config.yaml")
        [problem] = refused.value.problems
        assert problem.startswith(f"config.yaml: {key}: the file name ")
        assert "holds a control character" in problem
    ok = parse_config('storage:\n  database: "data/café école.db"\n', "config.yaml")
    assert ok.storage.database == Path("data/café école.db")


@pytest.mark.parametrize("word", ["compas", "pass", "c"])
def test_an_allowed_word_without_the_whole_school_name_is_refused(word: str) -> None:
    """It would switch the name rule off for every name (a new-user tester found it)."""
    with pytest.raises(ConfigError) as info:
        parse_config(f"names:\n  allowed_words: [compassion, {word}]\n", "x.yaml")
    assert info.value.problems == [
        f"x.yaml: names.allowed_words: {word!r} is not the school's name with more letters "
        "around it (as compassion and encompass are); allowed, it would let names with the "
        "school's name in them through"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("schedule: 5\n", "schedule: expected a mapping of settings (got 5)"),
        ("storage: data/x.db\n", "storage: expected a mapping of settings (got 'data/x.db')"),
        ("schedule:\n", "schedule: expected a mapping of settings (got an empty value)"),
        ("roles: [a, true]\n", 'roles: expected a mapping of settings (got ["a", true])'),
        (
            "schedule: {days_off: 2026-11-27}\n",
            "schedule.days_off: expected a mapping of settings (got 2026-11-27)",
        ),
        ("questions: {contacts: {a: 1}}\n", 'questions.contacts: expected a list (got {"a": 1})'),
    ],
)
def test_a_value_where_a_section_belongs_names_no_python_class(text: str, expected: str) -> None:
    """Not pydantic's "Input should be a valid dictionary or instance of ScheduleConfig"."""
    with pytest.raises(ConfigError) as refused:
        parse_config(text, "config.yaml")
    assert refused.value.problems == [f"config.yaml: {expected}"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("questions: {contacts: 5}\n", "questions.contacts: expected a list of strings (got 5)"),
        ("names: {allowed_words: true}\n", "names.allowed_words: expected a list of strings"),
        (
            "questions: {contacts: 2026-01-05}\n",
            "questions.contacts: expected a list of strings (got 2026-01-05)",
        ),
        ("roles: {students: 5}\n", "roles.students: 5 cannot be a Discord id"),
    ],
)
def test_one_value_read_as_a_list_is_reported_at_its_key(text: str, expected: str) -> None:
    """`contacts: 5` is read as [5]; the message named `contacts[0]`, a list the file does not
    have, in pydantic's words. A real list keeps its index."""
    with pytest.raises(ConfigError) as refused:
        parse_config(text, "config.yaml")
    [problem] = refused.value.problems
    assert problem.startswith(f"config.yaml: {expected}"), problem
    assert "[0]" not in problem and "Input should" not in problem
    with pytest.raises(ConfigError) as in_a_list:
        parse_config("questions: {contacts: [Mentor, 5]}\n", "config.yaml")
    assert in_a_list.value.problems[0].startswith("config.yaml: questions.contacts[1]: ")


def test_the_config_s_own_staff_roles_are_never_warned_for_lesson_time(tmp_path: Path) -> None:
    """A school that renames its roles under `roles:` (a board admin's slip, session 45):
    its teachers, moderators and leadership are staff for the school-time rule too, in the
    bot and in `check-time`, beside `school_time.staff_roles`."""
    from compass_bot.features.schooltime.rules import Author, is_staff

    text = (
        "roles:\n  teachers: [Leraar, 323456789012345678]\n  moderators: [Mod]\n"
        "  leadership: [Directie]\nschool_time:\n  social_channels: [algemeen]\n"
        "  staff_roles: [Mentor]\n"
    )
    cfg = parse_config(text, "x.yaml")
    staff = [(1, "Leraar"), (323456789012345678, "x"), (2, "mod"), (3, "Directie"), (4, "Mentor")]
    for role in staff:
        assert is_staff(Author(member_id=9, roles=(role,)), cfg.school_time), role
    assert not is_staff(Author(member_id=9, roles=((5, "Leerling"),)), cfg.school_time)
    assert not is_staff(Author(member_id=9, roles=((6, "Docent"),)), cfg.school_time)
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    at = "2026-11-24T10:15+01:00"
    teacher = run_cli("check-time", "--role", "Leraar", "--at", at, "--config", str(path))
    assert teacher.returncode == 0 and "(staff)" in teacher.stdout, teacher
    student = run_cli("check-time", "--role", "Leerling", "--at", at, "--config", str(path))
    assert "(lesson_time)" in student.stdout, student


@pytest.mark.parametrize("command", [["status"], ["validate-config"], ["backup", "b.db"]])
def test_a_command_on_the_shipped_example_says_so_on_stderr(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    """A cron job without COMPASS_CONFIG ran on the example's server names and database,
    silently; now one line names the config used. With a config found, no such line."""
    from compass_bot.__main__ import main
    from compass_bot.config import loading

    project = tmp_path / "project"
    project.mkdir()
    (project / "config.example.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"))
    monkeypatch.setattr(loading, "PROJECT_ROOT", project)
    monkeypatch.delenv("COMPASS_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        raise SystemExit(main(command))
    first = capsys.readouterr().err.splitlines()[0]
    assert first == (
        "compass-bot: no config.yaml here and COMPASS_CONFIG is not set: using the shipped "
        f"example, {project / 'config.example.yaml'}"
    )
    (tmp_path / "config.yaml").write_text("", encoding="utf-8")
    with pytest.raises(SystemExit):
        raise SystemExit(main(command))
    assert "shipped example" not in capsys.readouterr().err
