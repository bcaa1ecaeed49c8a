"""Other people's data in the offline console: the same warning and masked alert as on
Discord, the hide, and /tweedeblik with the draft on the same line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from compass_bot.policy import load_clauses
from tests.conftest import TEST_CONFIG
from tests.test_console import run_bot

CLAUSE6 = load_clauses()["aanwijzing-6"].text
CLAUSE7 = load_clauses()["aanwijzing-7"].text
CLAUSE6_EN = load_clauses()["aanwijzing-6"].text_en
HIDE = TEST_CONFIG + "personal_data:\n  action: hide\n"
BY_ROLE = TEST_CONFIG.replace(
    '    default: {start: "12:15", end: "12:45"}\n',
    '    default: {start: "12:15", end: "12:45"}\n'
    '    by_role:\n      - {role: "Klas 1-2", start: "11:45", end: "12:15"}\n',
)
CLAUSES_LABEL = "Punten van het protocol die je concept raakt:"


def answers(out: str) -> list[str]:
    """The bot's private answers, one block each."""
    return [block for block in out.split("[bot → ")[1:] if "alleen voor jou" in block]


def test_a_post_with_a_phone_number_is_warned_privately_and_alerted_masked(
    tmp_path: Path,
) -> None:
    script = "\n".join(
        ["/tijd 2026-11-24 16:05", "/als leerling", "bel me op 06-12345678 vanavond", "/stop"]
    )
    result = run_bot(tmp_path, script, "--console", "--fresh")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert CLAUSE6 in out and "bevat een telefoonnummer" in out
    assert "contains a phone number" in out and CLAUSE6_EN in out  # English second
    assert out.index("bevat een telefoonnummer") < out.index("contains a phone number")
    assert "[#mod-meldingen · nieuw]" in out and "Gegevens van een ander in een bericht" in out
    assert "Bericht: bel me op [telefoonnummer verborgen] vanavond" in out
    assert "12345678" not in out  # the console does not echo what was typed
    assert "verwijdert" not in out  # warn: the post stays


def test_hide_removes_the_post_and_gives_the_text_back_masked(tmp_path: Path) -> None:
    script = "\n".join(["/tijd 2026-11-24 16:05", "mail: anna@gmail.com", "/stop"])
    result = run_bot(tmp_path, script, "--console", "--fresh", config=HIDE)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "(bot verwijdert je bericht in #algemeen)" in out
    assert "mail: [e-mailadres verborgen]" in out
    assert "anna@gmail.com" not in out


def test_a_hidden_post_is_gone_for_reports_too(tmp_path: Path) -> None:
    """The bot removed it, as on Discord: it cannot be reported by number any more (the
    count leaves it out), and a report alert's delete says it is gone already."""
    script = "\n".join(
        [
            "/tijd 2026-11-24 16:05",
            "/als leerling anna",
            "hoi",
            "bel me op 06-12345678",
            "/als leerling bram",
            "/melden 1 gegevens",
            "/melden 9",
            "/stop",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh", config=HIDE).stdout
    assert "(bot verwijdert je bericht in #algemeen)" in out
    # "1" is anna's "hoi", the last post still there; the hidden one is not counted
    assert "Er is geen bericht nummer 9 in #algemeen (er zijn er 1)." in out
    report = out[out.index("Melding van een lid") :]
    assert "Bericht: hoi" in report and "telefoonnummer" not in report


def test_staff_posts_are_left_alone(tmp_path: Path) -> None:
    script = "\n".join(["/tijd 2026-11-24 16:05", "/als docent", "bel 06-12345678", "/stop"])
    result = run_bot(tmp_path, script, "--console", "--fresh")
    assert result.returncode == 0, result.stderr
    assert "aanwijzing-6" not in result.stdout and "mod-meldingen" not in result.stdout


def test_tweedeblik_answers_privately_and_stores_nothing(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/tijd 2026-11-24 16:05",
            "/tweedeblik haal me op bij Kerkstraat 12a, 3512 JK Utrecht",
            "/tweedeblik zin in het weekend",
            "/tweedeblik",
            "/stop",
        ]
    )
    result = run_bot(tmp_path, script, "--console", "--fresh")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "alleen voor jou" in out and "bevat een adres" in out
    assert "[adres verborgen]" in out and "Kerkstraat" not in out
    assert out.count(CLAUSE7) == 2
    assert "Je concept is leeg" in out
    assert "mod-meldingen" not in out  # no alert
    db = next(tmp_path.rglob("compass-console.db"))
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM alerts").fetchone() == (0,)
    for path in db.parent.glob(db.name + "*"):
        raw = path.read_bytes()
        assert b"Kerkstraat" not in raw and b"weekend" not in raw


def test_tweedeblik_lists_touched_clauses_and_whether_it_is_lesson_time(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/tweedeblik Ik heb een account Compass_roddels gemaakt, volg me",
            "/tijd 2026-11-24 12:20",
            "/tweedeblik hoi allemaal, wie gaat er mee naar de film?",
            "/second-look Ik deel even mijn locatie zodat jullie me kunnen vinden",
            "/als leerling Bram, Klas 1-2",  # his year group's lunch is 11:45-12:15
            "/tweedeblik hoi allemaal, wie gaat er mee naar de film?",
            "/stop",
        ]
    )
    result = run_bot(tmp_path, script, "--console", "--fresh", config=BY_ROLE)
    assert result.returncode == 0, result.stderr
    account, film, location, bram = answers(result.stdout)
    assert CLAUSES_LABEL in account and "• aanwijzing-2 · Compass niet in je accountnaam" in account
    assert "Nu posten in een sociaal kanaal? Nu is het lestijd: pas vanaf 12:15." in account
    assert CLAUSES_LABEL not in film and "aanwijzing-2" not in film and "locatie ·" not in film
    assert "Nu posten in een sociaal kanaal? Nu mag het. Het is nu middagpauze (tot 12:45)." in film
    assert "Points of the protocol your draft touches:" in location and "• locatie · " in location
    assert (
        "Posting it now in a social channel? Fine now: it is the lunch break (until 12:45)."
        in location
    )
    assert (
        CLAUSES_LABEL not in bram and "Nu is het lestijd: pas vanaf 16:00, na schooltijd." in bram
    )
    assert "mod-meldingen" not in result.stdout  # no alert
    db = next(tmp_path.rglob("compass-console.db"))
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM alerts").fetchone() == (0,)
    for path in db.parent.glob(db.name + "*"):
        assert b"Compass_roddels" not in path.read_bytes() and b"film" not in path.read_bytes()


def test_the_alert_of_a_long_post_shows_where_the_data_was(tmp_path: Path) -> None:
    """1,800 characters of chat before the address (the post within Discord's 2,000): the
    excerpt starts just before the (masked) data instead of showing only the chat."""
    long_post = "bla " * 450 + "Sara woont op Kerkstraat 5 in Utrecht, bel haar op 0638765432"
    script = f"/tijd 2026-11-24 12:35\n/als leerling bram\n{long_post + ' bla' * 30}\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    shown = next(line for line in out.splitlines() if line.startswith("  Bericht: "))
    assert shown.startswith("  Bericht: …") and "[adres verborgen]" in shown
    assert "0638765432" not in out


def test_an_english_second_look_and_an_empty_ask_answer_in_english(tmp_path: Path) -> None:
    """/second-look in English masks in English ("[phone number hidden]"); /ask with no
    question asks for one in English, /vraag in Dutch."""
    script = (
        "/second-look my friend lives at Kerkstraat 5, call her 0638765432\n/ask\n/vraag\n"
        "/tweedeblik hey guys who wants to play fortnite tonight\n"
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    # an English draft is answered in English, also through the Dutch command's name
    assert out.count("Your draft holds no phone numbers") == 1  # the first draft has some
    assert "In je concept" not in out and "Niets van je concept" not in out
    assert "my friend lives at [address hidden], call her [phone number hidden]" in out
    assert "Ask your question about the social media protocol" in out
    assert "Stel je vraag over het protocol sociale media" in out
