"""A board's file: `schools:` entries deep-merged over the defaults, each school its own
database, and every problem one line with its key path through the list."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from compass_bot.__main__ import main
from compass_bot.config import (
    ConfigError,
    LoadedConfig,
    check_targets,
    load_config,
    parse_config,
    parse_loaded,
)
from compass_bot.config.board import deep_merge, slug
from compass_bot.config.loading import MAX_PROBLEM_LINES
from tests.conftest import TEST_CONFIG

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

BOARD = """
roles:
  students: [Leerling]
schedule:
  timezone: Europe/Amsterdam
  lunch_breaks:
    default: {start: "12:00", end: "12:30"}
school_time:
  social_channels: [algemeen, memes]
schools:
  - name: Noord
    discord: {guild: Compass Noord}
  - name: Zuid
    discord: {guild: 123456789012345678}
    schedule:
      lunch_breaks:
        default: {start: "12:30", end: "13:00"}
    school_time:
      social_channels: [kantine]
"""


def write(tmp_path: Path, text: str, name: str = "config.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    return [line.removeprefix(f"{tmp_path / 'config.yaml'}: ") for line in caught.value.problems]


def board_with(*entries: str) -> str:
    """The board's defaults with these `schools:` entries (each a YAML flow mapping)."""
    return "schedule: {timezone: Europe/Amsterdam}\nschools:\n" + "".join(
        f"  - {entry}\n" for entry in entries
    )


def test_each_entry_is_merged_over_the_defaults(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, BOARD))
    noord, zuid = loaded.each_school()
    assert (noord.school, zuid.school) == ("Noord", "Zuid")
    assert noord.config.discord.guild == "Compass Noord"
    assert zuid.config.discord.guild == 123456789012345678
    # Mappings merge key by key: Zuid's own lunch, the board's time zone.
    assert str(noord.config.schedule.lunch_breaks.default.start) == "12:00:00"
    assert str(zuid.config.schedule.lunch_breaks.default.start) == "12:30:00"
    assert zuid.config.schedule.timezone == "Europe/Amsterdam"
    # Lists replace: Zuid watches only its own channel.
    assert noord.config.school_time.social_channels == ["algemeen", "memes"]
    assert zuid.config.school_time.social_channels == ["kantine"]
    assert noord.path == zuid.path == loaded.path
    assert loaded.school is None and loaded.config.discord.guild is None


def test_each_school_gets_its_own_database_beside_the_config(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, BOARD))
    noord, zuid = loaded.schools
    assert noord.database_path == tmp_path / "data" / "compass-noord.db"
    assert zuid.database_path == tmp_path / "data" / "compass-zuid.db"
    assert noord.console_database_path == tmp_path / "data" / "compass-noord-console.db"
    assert len({s.database_path for s in loaded.schools}) == 2


def test_a_school_may_name_its_own_database_and_the_board_its_default(tmp_path: Path) -> None:
    text = "storage: {database: /srv/bot/board.db}\n" + board_with(
        "{name: Sint-Jan Noörd, discord: {guild: A}}",
        "{name: B, discord: {guild: B}, storage: {database: zuid/b.db}}",
    ).removeprefix("")
    first, second = load_config(write(tmp_path, text)).schools
    assert first.database_path == Path("/srv/bot/board-sint-jan-noord.db")
    assert second.database_path == tmp_path / "zuid" / "b.db"


def test_a_file_without_schools_is_one_school_as_before(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, TEST_CONFIG))
    assert loaded.schools == () and loaded.school is None
    assert loaded.each_school() == (loaded,)
    assert loaded.database_path == tmp_path / "data" / "compass.db"
    assert loaded == LoadedConfig(config=loaded.config, path=tmp_path / "config.yaml")


def test_an_entry_needs_a_name_and_a_server(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        board_with(
            "{discord: {guild: A}}",
            "{name: '  ', discord: {guild: B}}",
            "{name: C}",
            "{name: D, discord: {guild: null}}",
        ),
    )
    assert found == [
        "schools[0]: name is required",
        "schools[1].name: must be a non-empty text",
        "schools[2].discord.guild: required in a school entry",
        "schools[3].discord.guild: required in a school entry",
    ]


@pytest.mark.parametrize("escape", ["\\e[31mRED", "\\n", "\\0", "\\t", "\\x85"])
def test_a_school_name_with_a_control_character_is_refused_like_a_server_name(
    tmp_path: Path, escape: str
) -> None:
    """An ESC, line break or NUL in a name reached validate-config, status and the logs raw
    (a terminal acts on ESC sequences); `discord.guild` already refused them."""
    found = problems(tmp_path, board_with(f'{{name: "x{escape}y", discord: {{guild: G}}}}'))
    assert found == ["schools[0].name: a control character in a name"]
    assert problems(tmp_path, board_with(f'{{name: N, discord: {{guild: "x{escape}y"}}}}')) == [
        "schools[0].discord.guild: a control character in a name"
    ]
    loaded = load_config(write(tmp_path, board_with("{name: Sint-Jan Noörd, discord: {guild: G}}")))
    assert [school.school for school in loaded.schools] == ["Sint-Jan Noörd"]


def test_a_problem_in_an_entry_carries_its_key_path(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        board_with(
            "{name: A, discord: {guild: A}}",
            "{name: B, discord: {guild: B}, schedule: {lunch_breaks: {default: "
            "{start: '12:30', end: '12:00'}}}}",
            "{name: C, discord: {guild: C}, rolez: {students: x}, schools: []}",
        ),
    )
    assert len(found) == 3, found
    assert found[0].startswith("schools[1].schedule.lunch_breaks.default: ")
    assert "must be after start" in found[0]
    assert found[1:] == [
        "schools[2].rolez: unknown key: did you mean 'roles'? (see config.example.yaml)",
        "schools[2].schools: unknown key (check the spelling; see config.example.yaml)",
    ]


def test_a_problem_in_the_defaults_is_reported_once(tmp_path: Path) -> None:
    text = "questions: {max_length: -1}\n" + board_with(
        "{name: A, discord: {guild: A}}",
        "{name: B, discord: {guild: B}}",
        "{name: C, discord: {guild: C}, questions: {max_length: -2}}",
    )
    found = problems(tmp_path, text)
    assert len(found) == 2, found
    assert found[0].startswith("questions.max_length: ")
    assert found[1].startswith("schools[2].questions.max_length: ")


def test_a_whole_config_problem_of_the_defaults_is_reported_once(tmp_path: Path) -> None:
    text = "school_time: {staff_roles: [Leerling]}\n" + board_with(
        "{name: A, discord: {guild: A}}", "{name: B, discord: {guild: B}}"
    )
    found = problems(tmp_path, text)
    assert len(found) == 1 and "is in both roles.students and school_time.staff_roles" in found[0]
    assert not found[0].startswith("schools")


def test_parse_loaded_gives_the_schools_without_a_file() -> None:
    loaded = parse_loaded(BOARD, None)
    assert [school.school for school in loaded.schools] == ["Noord", "Zuid"]
    assert parse_config(BOARD) == loaded.config


def test_names_servers_and_database_files_differ_between_schools(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        board_with(
            "{name: Noord, discord: {guild: Compass Noord}}",
            "{name: NOORD, discord: {guild: Elders}, storage: {database: data/x.db}}",
            "{name: Zuid, discord: {guild: compass noord}, storage: {database: data/z.db}}",
            "{name: West, discord: {guild: W}, storage: {database: ./data/z.db}}",
            "{name: 'noord!', discord: {guild: N}, storage: {database: data/n.db}}",
            "{name: Oost, discord: {guild: O}, storage: {database: data/x-console.db}}",
        ),
    )
    assert sorted(found) == sorted(
        [
            "schools: the name 'Noord' is used more than once (schools[0], schools[1]; "
            "case does not count)",
            "schools[2].discord.guild: same server as schools[0] ('compass noord')",
            "schools[3].storage.database: same file as schools[2]; each school keeps its data "
            "in its own file",
            f"schools[5].storage.database: {tmp_path}/data/x-console.db is both this school's "
            "file and schools[1]'s console file; each school keeps its data in its own file",
        ]
    )


def test_names_that_slug_alike_would_share_a_database(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        board_with(
            "{name: Compass Noord, discord: {guild: A}}",
            "{name: compass-noord!, discord: {guild: B}}",
        ),
    )
    assert found == [
        "schools[1].storage.database: same file as schools[0]; each school keeps its data "
        "in its own file"
    ]
    found = problems(tmp_path, board_with("{name: '???', discord: {guild: A}}"))
    assert found == [
        "schools[0].name: has no letters or digits to name its database file; "
        "set storage.database for this school"
    ]


@pytest.mark.parametrize(
    "schools",
    ["3", "Noord", "[]", "[Noord, Zuid]", "[{name: A, discord: {guild: A}}, [1]]", "null"],
)
def test_schools_that_is_not_a_list_of_mappings_is_one_line(tmp_path: Path, schools: str) -> None:
    assert problems(tmp_path, f"schools: {schools}\n") == [
        "schools: must be a list of schools, each a mapping with at least name and "
        "discord.guild (leave schools out for a single school)"
    ]


def test_many_bad_schools_stay_within_the_line_cap(tmp_path: Path) -> None:
    found = problems(tmp_path, board_with(*["{rolez: 1}"] * 30))
    assert len(found) == MAX_PROBLEM_LINES
    assert found[-1].startswith("... and ")


def test_targets_are_checked_per_school_and_a_shared_calendar_once(tmp_path: Path) -> None:
    (tmp_path / "noord.ics").write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//t//NL\nEND:VCALENDAR\n", encoding="utf-8"
    )
    text = board_with(
        "{name: Noord, discord: {guild: A}, schedule: {days_off: {ics_file: noord.ics}}}",
        "{name: Zuid, discord: {guild: B}, schedule: {days_off: {ics_file: zuid.ics}}}",
    )
    loaded = load_config(write(tmp_path, text))
    with pytest.raises(ConfigError) as caught:
        check_targets(loaded, NOW)
    lines = caught.value.problems
    assert len(lines) == 1 and lines[0].startswith(
        f"{tmp_path / 'config.yaml'}: schools[1].schedule.days_off.ics_file"
    )
    assert "zuid.ics" in lines[0]

    shared = (
        "schedule: {timezone: Europe/Amsterdam, days_off: {ics_file: gone.ics}}\n"
        "schools:\n  - {name: Noord, discord: {guild: A}}\n  - {name: Zuid, discord: {guild: B}}\n"
    )
    with pytest.raises(ConfigError) as caught:
        check_targets(load_config(write(tmp_path, shared)), NOW)
    assert len(caught.value.problems) == 1 and "gone.ics" in caught.value.problems[0]

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "compass-zuid.db").mkdir()  # a folder where Zuid's file should be
    with pytest.raises(ConfigError) as caught:
        check_targets(load_config(write(tmp_path, board_with(
            "{name: Noord, discord: {guild: A}}", "{name: Zuid, discord: {guild: B}}"
        ))), NOW)  # fmt: skip
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith(
        f"{tmp_path / 'config.yaml'}: schools[1].storage.database: "
    )


def test_validate_config_names_the_schools(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, BOARD)
    assert main(["validate-config", str(path)]) == 0
    assert capsys.readouterr().out == f"ok: {path} (2 schools: Noord, Zuid)\n"
    single = write(tmp_path, TEST_CONFIG, "single.yaml")
    assert main(["validate-config", str(single)]) == 0
    assert capsys.readouterr().out == f"ok: {single}\n"
    bad = write(tmp_path, board_with("{name: A}"), "bad.yaml")
    assert main(["validate-config", str(bad)]) == 2
    out = capsys.readouterr()
    assert (
        out.out == ""
        and out.err == f"{bad}: schools[0].discord.guild: required in a school entry\n"
    )


def test_validate_config_warns_per_school_that_watches_no_channel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A board's defaults run no school: the merged entries decide, each said by name."""
    text = BOARD.replace("      social_channels: [kantine]", "      social_channels: []")
    path = write(tmp_path, text)
    assert main(["validate-config", str(path)]) == 0
    out = capsys.readouterr()
    assert out.out == f"ok: {path} (2 schools: Noord, Zuid)\n"
    assert out.err == (
        "warning: school Zuid: school_time names no social channels or categories: the "
        "lesson-time rule watches no channel\n"
    )
    # defaults naming no channel, one school naming a category: only the other is said
    text = BOARD.replace("  social_channels: [algemeen, memes]\n", "  social_channels: []\n")
    text = text.replace("      social_channels: [kantine]", "      social_categories: [Sociaal]")
    assert main(["validate-config", str(write(tmp_path, text))]) == 0
    assert capsys.readouterr().err == (
        "warning: school Noord: school_time names no social channels or categories: the "
        "lesson-time rule watches no channel\n"
    )


def test_merge_and_slug() -> None:
    base = {"a": {"b": 1, "c": [1, 2]}, "d": 1}
    assert deep_merge(base, {"a": {"c": [3]}, "e": 2}) == {"a": {"b": 1, "c": [3]}, "d": 1, "e": 2}
    assert deep_merge(base, {"a": None}) == {"a": None, "d": 1}
    assert base == {"a": {"b": 1, "c": [1, 2]}, "d": 1}  # the defaults are not changed
    assert slug("Compass Noord") == "compass-noord"
    assert slug("  Sint-Jan  Noörd (vmbo) ") == "sint-jan-noord-vmbo"
    assert slug("学校") == ""


def test_connection_settings_are_the_boards_not_a_schools(tmp_path: Path) -> None:
    """One token and one gateway session serve every school: intents and endpoints are set
    once, at the top level."""
    text = """
schools:
  - name: Noord
    discord: {guild: Noord, message_content: false}
  - name: Zuid
    discord: {guild: Zuid, api_base_url: "http://localhost:1/api"}
"""
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    problems = caught.value.problems
    assert any(
        "schools[0].discord.message_content: one connection serves every school" in p
        for p in problems
    )
    assert any("schools[1].discord.api_base_url: one connection" in p for p in problems)


def test_a_one_school_database_left_behind_by_a_board_must_be_given_to_a_school(
    tmp_path: Path,
) -> None:
    """Turning a one-school file into a board gives every school a new file; the old one
    (pending alerts, approvals, excerpts the retention purge must clear) must not be orphaned."""
    board = """
schools:
  - name: Noord
    discord: {guild: Noord}
  - name: Zuid
    discord: {guild: Zuid}
"""
    path = tmp_path / "config.yaml"
    path.write_text(board, encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "compass.db").write_bytes(b"")
    with pytest.raises(ConfigError) as caught:
        check_targets(load_config(path), datetime(2026, 11, 24, tzinfo=UTC))
    [problem] = caught.value.problems
    assert "storage.database" in problem and "no school" in problem
    claimed = board.replace(
        "    discord: {guild: Noord}\n",
        "    discord: {guild: Noord}\n    storage: {database: data/compass.db}\n",
    )
    path.write_text(claimed, encoding="utf-8")
    check_targets(load_config(path), datetime(2026, 11, 24, tzinfo=UTC))
