"""Alerts in the console: a repeat across channels lists each channel with its count."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from compass_bot.registry import FEATURES
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


def test_console_note_on_an_alert_for_moderators_only(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/als leerling anna",
            "/kanaal algemeen",
            "hoi",
            "/melding 1 notitie dit is mijn kant",
            "/als moderator",
            "/tijd 10:20",
            '/melding 1 notitie besproken met "mentor", opgelost',
            "/melding 1 notitie",
            "/melding 1 notitie bel ouders op 06-11112222",
            "/stop",
        ]
    )
    result = run_bot(tmp_path, script, "--console")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Alleen moderatoren en de schoolleiding kunnen meldingen afhandelen." in out
    assert "dit is mijn kant" not in out.split("[#mod-meldingen")[-1]
    assert 'Notitie van moderator1 om 2026-11-24 10:20: besproken met "mentor", opgelost' in out
    assert "Een notitie mag niet leeg zijn. / A note cannot be empty." in out
    assert (
        "Notitie van moderator1 om 2026-11-24 10:20: bel ouders op [telefoonnummer verborgen]"
        in out
    )
    assert "11112222" not in out


def test_open_alerts_are_filtered_by_everyday_words(tmp_path: Path) -> None:
    """A moderator needs no clause codes: "naam", "school time" name the alert kinds."""
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/als leerling anna",
            "/kanaal algemeen",
            "hoi",
            "/bijnaam C0mpass",
            "/als moderator",
            "/meldingen open naam",
            "/meldingen open School time",
            "/meldingen open fiets",
            "/stop",
        ]
    )
    result = run_bot(tmp_path, script, "--console", "--fresh")
    assert result.returncode == 0, result.stderr
    by_name, by_time = result.stdout.split("1 open melding:")[1:]
    assert "Melding #2 · Compass in een accountnaam" in by_name and "Melding #1" not in by_name
    assert "Melding #1 · Sociale media tijdens schooltijd" in by_time
    assert "Melding #2" not in by_time
    usage = by_time.split(
        "Onbekende regel “fiets”. / Unknown rule “fiets”. Gebruik: /meldingen open | afgehandeld ["
    )[1]
    assert usage.startswith("schooltijd, lestijd") and "aanwijzing-2, naam, name" in usage


def test_a_student_is_refused_alerts_before_any_word_is_read_and_one_alert_can_be_read(
    tmp_path: Path,
) -> None:
    """Session 45 (a tester): a student's /meldingen foo or /melding 1 got a usage line;
    now the refusal, Dutch then English. A moderator's /melding 1 shows alert #1 again."""
    script = (
        "/tijd 2026-11-24 10:15\n/bijnaam C0mpass\n/meldingen foo\n/melding 1\n"
        "/als moderator\n/melding 1\n/melding 99\n"
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert (
        "Alleen moderatoren en de schoolleiding kunnen de meldingen bekijken. / "
        "Only moderators and leadership can see the alerts." in out
    )
    assert "kunnen meldingen afhandelen. / Only moderators and leadership can handle alerts." in out
    assert "Gebruik: /meldingen" not in out and "Gebruik: /melding " not in out
    after = out[out.index("Je bent moderator1") :]
    assert "Melding #1 · Compass in een accountnaam (aanwijzing-2)" in after
    assert "Er is geen melding #99. / There is no alert #99." in after


def test_open_alerts_past_the_first_page_are_reachable_by_page_number(tmp_path: Path) -> None:
    """Session 46 (a tester): 14 open alerts showed #14 to #5 and no way to the rest;
    `/meldingen open 2` was an unknown rule. Pages of 10, newest first, as in Discord."""
    lines = ["/tijd 2026-11-24 10:00"]
    for n in range(1, 15):
        lines += [f"/als leerling s{n}", f"hoi {n}"]
    lines += [
        "/als moderator m",
        "/meldingen open",
        "/meldingen open 2",
        "/meldingen open schooltijd 2",
        "/meldingen open 9",
    ]
    out = run_bot(tmp_path, "\n".join(lines) + "\n", "--console", "--fresh").stdout
    first, second, by_kind, past = out.split("14 open meldingen (pagina ")[1:]
    assert first.startswith("1 van 2, nieuwste eerst):")
    shown = [n for n in range(1, 15) if f"Melding #{n} ·" in first]
    assert shown == list(range(5, 15))
    assert "Nog 4 oudere meldingen: /meldingen open 2 / 4 older alerts: /meldingen open 2" in first
    assert second.startswith("2 van 2, nieuwste eerst):")
    assert [n for n in range(1, 15) if f"Melding #{n} ·" in second] == [1, 2, 3, 4]
    assert "Nog " not in second and "Onbekende regel" not in out
    assert [n for n in range(1, 15) if f"Melding #{n} ·" in by_kind] == [1, 2, 3, 4]
    assert past.startswith("2 van 2, nieuwste eerst):")  # past the end: the last page


def test_help_lists_every_alert_action_and_a_missing_alert_is_one_bilingual_text(
    tmp_path: Path,
) -> None:
    """Session 46 (a tester): /help named "goedkeuren" but not the reports' and heat's actions,
    and a missing alert was Dutch only for some actions and bilingual for /melding NR."""
    words = [
        w for f in FEATURES if f.console for w in import_module(f.console).hooks().alert_actions
    ]
    assert {"goedkeuren", "verwijderen", "waarschuwen", "slowmode-uit"} <= set(words)
    script = "/tijd 2026-11-24 10:15\n/help\n/als schoolleiding rector, moderator\n"
    script += "".join(f"/melding 3 {action}\n" for action in ["afgehandeld", "notitie x", *words])
    out = run_bot(tmp_path, script + "/melding 3\n", "--console", "--fresh").stdout
    [line] = [x for x in out.splitlines() if x.startswith("  /melding NR ")]
    assert line.startswith("  /melding NR [afgehandeld | onterecht | notitie TEKST | ")
    assert all(f" {word} " in line or f" {word}]" in line for word in words)
    # every action and the alert itself: the same text, Dutch then English; no other
    missing = "Er is geen melding #3. / There is no alert #3."
    assert out.count(missing) == len(words) + 3
    assert "bestaat niet" not in out


def test_handled_alerts_are_listed_last_handled_first_with_who_when_and_how(
    tmp_path: Path,
) -> None:
    """Session 46 (a tester): `/meldingen afgehandeld` printed the usage line, so a moderator
    could not see whether someone already dealt with a case. Paged as the open ones, by when
    they were handled; an open alert is not among them."""
    lines = ["/tijd 2026-11-24 10:00"]
    for n in range(1, 14):
        lines += [f"/als leerling s{n}", f"hoi {n}"]
    lines += ["/als moderator m", "/tijd 2026-11-24 10:05", "/melding 12 onterecht"]
    lines += ["/tijd 2026-11-24 10:06"] + [f"/melding {n} afgehandeld" for n in range(1, 12)]
    lines += ["/meldingen afgehandeld", "/meldingen afgehandeld schooltijd 2"]
    out = run_bot(tmp_path, "\n".join(lines) + "\n", "--console", "--fresh").stdout
    assert "Gebruik: /meldingen" not in out
    first, second = out.split("12 afgehandelde meldingen (pagina ")[1:]
    assert first.startswith("1 van 2, nieuwste eerst):")
    listed = [n for n in range(1, 14) if f"Melding #{n} ·" in first]
    assert listed == list(range(2, 12))  # #12 was handled first: it is on the last page
    assert "Afgehandeld door m om 2026-11-24 10:06" in first and "· Open" not in first
    more = "Nog 2 oudere meldingen: /meldingen afgehandeld 2 / 2 older alerts:"
    assert more in first
    assert second.startswith("2 van 2, nieuwste eerst):")
    assert "Melding #13 ·" not in second and "· Onterecht\n" in second
    assert "Onterecht door m om 2026-11-24 10:05" in second
    assert second.index("Melding #1 ·") < second.index("Melding #12 ·")
