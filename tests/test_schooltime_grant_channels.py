"""A teacher's permission for a channel (#15 of the console tester): a channel the school-time
rule does not watch (the moderators' channel, a lesson channel) needs none, so it is refused
in both languages; a social channel the console knows by its category keeps that category
when a command names it (it stays watched)."""

from __future__ import annotations

from pathlib import Path

from tests.test_console import run_bot


def test_a_grant_for_a_channel_the_rule_does_not_watch_is_refused(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:00",
            "/kanaal memes in Sociaal",
            "/als docent",
            "/toestemming geven kanaal mod-meldingen 10",
            "/toestemming geven kanaal memes 10",
            "/toestemming lijst",
        ]
    )
    out = run_bot(tmp_path, script, "--console").stdout
    assert "In #mod-meldingen geldt de schooltijdregel niet (geen sociaal kanaal)" in out
    assert "The school-time rule does not apply in #mod-meldingen" in out
    assert "Toestemming #1 voor #memes tot" in out  # the first grant made is the social one
    assert "#mod-meldingen tot" not in out


def test_naming_a_known_channel_keeps_its_category(tmp_path: Path) -> None:
    """`/toestemming geven kanaal X` once made #X a channel without category: a
    channel social by its category alone was no longer watched after it."""
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:00",
            "/kanaal kletshoek in Sociaal",
            "/als docent",
            "/toestemming geven kanaal kletshoek 10",
            "/tijd 2026-11-24 10:20",
            "/kanaal kletshoek",
            "/als leerling",
            "nu weer in de les",
        ]
    )
    out = run_bot(tmp_path, script, "--console").stdout
    assert "Je bent nu in #kletshoek: sociaal kanaal (schooltijdregel geldt)." in out
    assert "les- of schoolkanaal" not in out
    assert "Melding #1 · Sociale media tijdens schooltijd" in out  # after the grant ran out
