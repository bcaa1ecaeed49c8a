"""Alerts in the console: a repeat across channels lists each channel with its count."""

from __future__ import annotations

from pathlib import Path

from tests.test_console import run_bot


def test_console_alert_lists_the_channels_of_a_repeat_with_counts(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/als leerling anna",
            "/kanaal algemeen",
            "hoi",
            "/kanaal memes",
            "kijk dit",
            "/kanaal algemeen",
            "en nog eens",
            "/stop",
        ]
    )
    result = run_bot(tmp_path, script, "--console")
    assert result.returncode == 0, result.stderr
    shown = result.stdout.split("[#mod-meldingen")
    assert "Waar: #algemeen\n" in shown[1]  # one channel: as before
    assert "Waar: #algemeen x2, #memes x1\n" in shown[-1]
    assert "aantal keer: 3" in shown[-1]
