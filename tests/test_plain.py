"""Discord markdown as the console prints it: the words without the marks."""

from __future__ import annotations

from pathlib import Path

import pytest

from compass_bot.plain import as_plain_text
from tests.test_console import run_bot


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("**compass-bot 0.1.0**", "compass-bot 0.1.0"),
        (
            "`aanwijzing-2` Compass niet in je accountnaam: 1 (0)",
            "aanwijzing-2 Compass niet in je accountnaam: 1 (0)",
        ),
        ("**`aanwijzing-2` geldt**", "aanwijzing-2 geldt"),  # markup around a code span
        ("*cursief* en _ook_ en __onderstreept__", "cursief en ook en onderstreept"),
        ("# Kop\n## Tweede\n-# klein", "Kop\nTweede\nklein"),
        ("[het protocol](https://compass.nl/p)", "het protocol (https://compass.nl/p)"),
        ("\\*geen\\* vet", "*geen* vet"),  # an escaped mark is the mark itself
        ("`**blijft**` in code", "**blijft** in code"),
    ],
)
def test_markdown_is_shown_as_plain_text(markdown: str, plain: str) -> None:
    assert as_plain_text(markdown) == plain


@pytest.mark.parametrize(
    "text",
    [
        "snake_case_name en 2*3*4",  # marks inside words are no markup
        "> een citaat blijft een citaat",  # as in e-mail: the quote reads as one
        "- lijst\n* lijst",
        "a ** b ** c",
        "~~doorgestreept~~ en ||spoiler||",  # without their marks they would mean otherwise
        "**",
        "C:\\data\\weekoverzicht.png",
    ],
)
def test_text_without_markup_stays_as_it_is(text: str) -> None:
    assert as_plain_text(text) == text


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("zie https://x.nl/_pad_/x", "zie https://x.nl/_pad_/x"),  # a bare URL as written
        ("zie https://x.nl/__a__/**b**", "zie https://x.nl/__a__/**b**"),
        ("zie <https://x.nl/_pad_/x> nu", "zie https://x.nl/_pad_/x nu"),  # an autolink
        ("**lees** https://x.nl/a_b_c, en _ook_", "lees https://x.nl/a_b_c, en ook"),
        ("(zie https://x.nl/_p_)", "(zie https://x.nl/_p_)"),  # the ) is not the URL's
        ("[**het** protocol](https://x.nl/_p_)", "het protocol (https://x.nl/_p_)"),
        ("[`regel-1` uitleg](<https://x.nl/_p_>)", "regel-1 uitleg (https://x.nl/_p_)"),
    ],
)
def test_a_url_is_kept_as_written(markdown: str, plain: str) -> None:
    """The console read `https://x.nl/_pad_/x` as italics and printed a URL that leads
    elsewhere; a URL, bare or between < >, is as literal as inline code."""
    assert as_plain_text(markdown) == plain


def test_the_console_digest_shows_rule_ids_without_backticks(tmp_path: Path) -> None:
    script = "/tijd 2026-11-24 10:15\n/bijnaam C0mpass\n/als moderator\n/overzicht\n/stop\n"
    result = run_bot(tmp_path, script, "--console", "--fresh")
    assert result.returncode == 0, result.stderr
    assert "  aanwijzing-2 Compass niet in je accountnaam: 1 (0)" in result.stdout
    assert "`" not in result.stdout
