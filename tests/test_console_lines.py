"""What the console does with a line Discord would never carry as typed: longer than a message
may be, or bytes that are no UTF-8 text."""

from __future__ import annotations

from pathlib import Path

from compass_bot.model import MESSAGE_LIMIT
from tests.test_console import run_bot


def test_a_line_longer_than_a_discord_message_is_refused_not_posted(tmp_path: Path) -> None:
    """Discord takes at most 2,000 characters in one message: a longer line is refused in one
    line, posted nowhere (no school-time line, no alert, nothing to report); 2,000 is posted."""
    script = "/tijd 2026-11-24 12:20\n/als leerling anna\n" + "a" * 10_000 + "\n"
    script += "/kanaal dm\n" + "waarom " * 2000 + "\n/kanaal algemeen\n"
    script += "b" * MESSAGE_LIMIT + "\n/als leerling bram\n/melden 1 pesten\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    refused = "Niet verstuurd: je bericht is 10000 tekens; een bericht heeft er hoogstens 2000."
    assert out.count(refused + " / Not sent: your message is 10000 characters; a message") == 1
    assert "Niet verstuurd: je bericht is 13999 tekens" in out  # the DM's question, stripped
    assert "a" * 100 not in out and "(geen antwoord)" not in out
    assert out.count("(geplaatst; schooltijdregel") == 1  # the post of exactly 2,000
    assert "Bericht: bbbb" in out  # the one bram reports is that post, not the refused one
