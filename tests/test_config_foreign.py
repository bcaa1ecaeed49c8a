"""`--config` given the wrong file (a password file, a list of students): one line that shows
none of its content; a real config's slips keep their per-key lines, keys shown shortened."""

from __future__ import annotations

from pathlib import Path

import pytest

from compass_bot.config import ConfigError, load_config

SHADOW = "".join(f"user{n}:*:20228:0:99999:7:::\n" for n in range(9))


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return [p.removeprefix(f"{path}: ") for p in info.value.problems]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        (SHADOW, "9 unknown keys"),
        ("Jan Jansen: 0612345678\n", "1 unknown key"),  # no known key, a line of data
        ("a: 1\nb: 2\nc: 3\nd: 4\nschedule: {}\n", "4 unknown keys"),
    ],
)
def test_a_file_that_is_no_config_is_one_line_without_its_content(
    tmp_path: Path, text: str, count: str
) -> None:
    assert _problems(tmp_path, text) == [f"is no compass-bot config ({count})"]


def test_a_few_slips_keep_their_lines_and_a_long_key_is_cut(tmp_path: Path) -> None:
    long_key = "k" * 60
    problems = _problems(tmp_path, f"schedul: {{}}\n{long_key}: 1\nJan Jansen: 1\nschedule: {{}}\n")
    assert problems == [
        "schedul: unknown key: did you mean 'schedule'? (see config.example.yaml)",
        f"{'k' * 40}\u2026: unknown key (check the spelling; see config.example.yaml)",
        "Jan Jansen: unknown key (check the spelling; see config.example.yaml)",
    ]
