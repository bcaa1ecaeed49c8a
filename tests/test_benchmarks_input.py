"""The benchmarks on files they cannot use, run as a person would: one line, exit 2, no traceback.

A benchmark is run by hand on files people bring (another set's format, a text file, a
folder); each slip must name the file, the line and what is wrong. The input is checked
before any index or model is loaded, so each run here is about a start-up.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Script:
    """A benchmark, a line it reads, a line of its format with a field of the wrong type,
    and what the message says about that field."""

    name: str
    good: str
    first_field: str
    wrong_type: str
    wrong_type_says: str


QA = Script(
    "qa.py",
    '{"q": "mag ik foto\'s van een leraar posten?", "expect": ["aanwijzing-6"]}',
    "q",
    '{"q": "hoi", "expect": "aanwijzing-6"}',
    '"expect" is a string ("aanwijzing-6"), not a list of strings',
)
NAMES = Script(
    "names.py",
    '{"name": "pietje", "flag": false}',
    "name",
    '{"name": "pietje", "flag": "yes"}',
    '"flag" is a string ("yes"), not true or false',
)
PERSONAL_DATA = Script(
    "personal_data.py",
    '{"text": "hoi", "kinds": []}',
    "text",
    '{"text": "hoi", "kinds": "phone"}',
    '"kinds" is a string ("phone"), not a list of strings',
)
HEAT = Script(
    "heat.py",
    '{"label": "calm", "messages": [{"author": "a", "at": "2026-03-03T15:00:00Z", "text": "hoi"}]}',
    "label",
    '{"label": "calm", "messages": {"author": "a"}}',
    '"messages" is an object ({"author": "a"}), not a list',
)


def run(script: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_one_line(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    """Exit 2, nothing on stdout, one line on stderr holding every `expected` part."""
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and result.stdout == "", result.stderr + result.stdout
    for part in expected:
        assert part in lines[0]
    return lines[0]


def write(folder: Path, content: str | bytes) -> Path:
    path = folder / "set.jsonl"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# every case on the quick scripts; the slower ones (discord.py's import) on a few
ALL = [QA, NAMES]
FEW = [QA, NAMES, PERSONAL_DATA, HEAT]


@pytest.mark.parametrize("script", FEW, ids=lambda s: s.name)
def test_another_format_names_the_missing_field_and_the_format(
    script: Script, tmp_path: Path
) -> None:
    path = write(tmp_path, '{"prompt": "hoi", "answer": 3}\n')
    line = assert_one_line(run(script.name, path), f"{path} line 1: ")
    assert f'no "{script.first_field}" field (a ' in line and " has " in line


@pytest.mark.parametrize("script", FEW, ids=lambda s: s.name)
def test_a_line_that_is_not_json_is_named_by_its_number(script: Script, tmp_path: Path) -> None:
    path = write(tmp_path, f"{script.good}\n\n{{oops\n")
    assert_one_line(run(script.name, path), f"{path} line 3: not JSON")


@pytest.mark.parametrize("script", FEW, ids=lambda s: s.name)
def test_a_field_of_the_wrong_type(script: Script, tmp_path: Path) -> None:
    path = write(tmp_path, f"{script.good}\n{script.wrong_type}\n")
    assert_one_line(run(script.name, path), f"{path} line 2: {script.wrong_type_says}")


@pytest.mark.parametrize("script", FEW, ids=lambda s: s.name)
def test_a_missing_file(script: Script, tmp_path: Path) -> None:
    path = tmp_path / "nothing.jsonl"
    assert_one_line(run(script.name, path), f"{path}: no such file")


@pytest.mark.parametrize("script", ALL, ids=lambda s: s.name)
def test_a_folder_given_as_the_file(script: Script, tmp_path: Path) -> None:
    assert_one_line(run(script.name, tmp_path), f"{tmp_path}: is a folder, not a file")


@pytest.mark.parametrize("script", ALL, ids=lambda s: s.name)
@pytest.mark.parametrize(
    ("content", "says"), [("", "(an empty file)"), ("\n  \n\n", "(only blank lines)")]
)
def test_a_file_without_a_usable_line(
    script: Script, content: str, says: str, tmp_path: Path
) -> None:
    path = write(tmp_path, content)
    assert_one_line(run(script.name, path), f"{path}: no ", says)


@pytest.mark.parametrize("script", ALL, ids=lambda s: s.name)
def test_a_binary_file(script: Script, tmp_path: Path) -> None:
    path = write(tmp_path, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    assert_one_line(run(script.name, path), f"{path} line 1: not UTF-8 text")


@pytest.mark.parametrize("script", ALL, ids=lambda s: s.name)
@pytest.mark.parametrize(("value", "kind"), [("[1, 2]", "a list"), ("42", "a number")])
def test_json_that_is_not_an_object(script: Script, value: str, kind: str, tmp_path: Path) -> None:
    path = write(tmp_path, f"{script.good}\n{value}\n")
    assert_one_line(run(script.name, path), f"{path} line 2: {kind}, not a JSON object")


def test_qa_fails_on_a_later_file_before_any_figure(tmp_path: Path) -> None:
    good = write(tmp_path, QA.good + "\n")
    assert_one_line(run("qa.py", good, tmp_path / "gone.jsonl"), "gone.jsonl: no such file")


def test_personal_data_refuses_a_kind_the_rule_does_not_know(tmp_path: Path) -> None:
    path = write(tmp_path, '{"text": "hoi", "kinds": ["shoe size"]}\n')
    assert_one_line(run("personal_data.py", path), f"{path} line 1: unknown kind(s)", "known:")


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ('{"label": "angry", "messages": []}', '"label" is a string ("angry"), not one of'),
        (
            '{"label": "calm", "messages": [{"author": "a"}]}',
            'message 0: "at" is missing',
        ),
        (
            '{"label": "heated", "turns_at": 4, "messages": []}',
            "turns_at 4 is not a message index",
        ),
    ],
)
def test_heat_names_what_is_wrong_in_a_transcript(line: str, says: str, tmp_path: Path) -> None:
    path = write(tmp_path, line + "\n")
    assert_one_line(run("heat.py", path), f"{path} line 1: {says}")


def test_qa_answers_refuses_an_out_file_it_cannot_write(tmp_path: Path) -> None:
    assert_one_line(run("qa_answers.py", tmp_path), f"{tmp_path}: cannot write it")


@pytest.mark.parametrize("script", [QA], ids=lambda s: s.name)
def test_a_number_past_pythons_digit_limit_is_one_line(script: Script, tmp_path: Path) -> None:
    """json.loads raises a bare ValueError (not JSONDecodeError) past 4,300 digits."""
    path = write(tmp_path, f'{script.good}\n{{"q": {"1" * 5000}}}\n')
    assert_one_line(run(script.name, path), f"{path} line 2: not JSON (a number too long)")
