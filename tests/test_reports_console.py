"""Reports in the console: /melden N and /melden lid, one alert per message with the count of
distinct reporters, the moderators' buttons as words, and the reporter never shown."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_console import run_bot


def test_console_reports_the_nth_last_message_and_a_member(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/tijd 2026-11-24 12:20",
            "/kanaal huiswerk",
            "/als leerling bram",
            "jij bent echt dom",
            "nog een bericht",
            "/als leerling anna",
            "/melden 2 pesten hij doet dit elke dag",
            "/melden 2 pesten",
            "/melden 9",
            "/als leerling carla",
            "/melden 2 anders",
            "/melden lid bram naam",
            "/melden lid carla",
            "/melden lid leerling1 naam",
            "/als moderator",
            "/melding 1 waarschuwen",
            "/melding 1 waarschuwen",  # a second time: no second DM
            "/melding 1 verwijderen",
            "/melding 1 afgehandeld",
            "/melding 1 verwijderen",  # a second time: the message is gone already
            "/stop",
        ]
    )
    result = run_bot(tmp_path, script, "--console")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Afhandeling van klachten en meldingen van misbruik" in out  # aanwijzing-9 verbatim
    assert out.count("[#mod-meldingen · nieuw] Melding #1 · Melding van een lid") == 1
    assert "Bericht: jij bent echt dom" in out
    assert "Pesten of uitschelden (aanwijzing-5) ×1; Iets anders (aanwijzing-9) ×1" in out
    # new, updated by carla's report, and handled
    assert out.count("Bericht: jij bent echt dom") == 3
    assert "gemeld door 2 leden" in out and "aantal keer: 2" in out
    assert "al gemeld" in out  # anna's second report of the same message
    assert "geen bericht nummer 9" in out
    assert "jezelf" in out
    # a report of the member is an alert of its own, about the member: in the open alert of
    # bram's message it read as a second report of that message
    assert "Compass in een naam (aanwijzing-2) ×1; Iets anders" not in out
    assert "Melding #2 · Melding van een lid" in out and "(over het lid, geen bericht)" in out
    assert out.count("Reden: Compass in een naam (aanwijzing-2) ×1") == 2  # bram, leerling1
    # the warning DM to bram cites aanwijzing-5 verbatim; no reporter is named in any alert
    assert "[bot · DM aan bram]" in out and "Als je in een discussie betrokken raakt" in out
    assert "Please keep to this rule of the social media protocol:" in out
    assert out.count("[bot · DM aan bram]") == 1
    assert (
        "De auteur is voor deze melding al gewaarschuwd; een tweede DM stuurt de bot niet. / "
        "The author was already warned for this report; the bot does not send a second DM."
    ) in out
    # session 46 (a tester): the moderator is told, in Discord's words; no message ids
    assert out.count("[bot → moderator1 · #huiswerk] Het gemelde bericht is verwijderd. /") == 1
    assert out.count("[bot → moderator1 · #huiswerk] De auteur heeft een waarschuwing") == 1
    assert "bot verwijdert bericht" not in out
    assert (
        "[bot → moderator1 · #huiswerk] Het bericht is al verwijderd. / "
        "The message was already deleted."
    ) in out
    alerts = [
        block.split("\n[")[0]  # the alert, up to the next line of output
        for block in out.split("[#mod-meldingen")
        if "Melding van een lid" in block
    ]
    assert alerts and all("anna" not in b and "carla" not in b for b in alerts)


def test_one_reporter_counts_once_per_reason(tmp_path: Path) -> None:
    """bram reports anna's message and then anna for the same reason: one voice, not ×2; a
    second reporter makes it ×2. The reason's second line stays indented under 'Reden'."""
    script = "/als leerling anna\njij bent dom\n/als leerling bram\n/melden 1 pesten\n"
    script += "/melden lid anna pesten\n/als moderator\n/meldingen open\n"
    script += "/als leerling cas\n/melden 1 pesten\n/als moderator\n/meldingen open\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    shown = re.split("open melding(?:en)?:", out)
    assert "Pesten of uitschelden (aanwijzing-5) ×1\n    gemeld door 1 lid" in shown[1]
    assert "Pesten of uitschelden (aanwijzing-5) ×2\n    gemeld door 2 leden" in shown[2]


def test_a_reported_moderator_cannot_dismiss_or_erase_the_report(tmp_path: Path) -> None:
    """The report about moderator1 is handled by someone else: moderator1's own 'onterecht',
    'verwijderen', note and /privacy wissen of themselves are refused; another moderator
    handles it."""
    script = "/tijd 2026-11-24 12:35\n/als leerling anna\n"
    script += "/melden lid moderator1 pesten hij misbruikt zijn macht\n"
    script += "/als moderator1\n/melding 1 onterecht\n/melding 1 notitie niets aan de hand\n"
    script += "/privacy wissen moderator1\n/meldingen open\n"
    script += "/als moderator mo\n/melding 1 afgehandeld\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert out.count("Een melding over jezelf handelt een andere moderator") == 2
    assert "Je eigen gegevens wist een andere moderator of de schoolleiding" in out
    assert "1 open melding" in out and "Onterecht door moderator1" not in out
    assert "Afgehandeld door mo" in out


def test_reports_of_two_messages_by_one_member_are_two_alerts(tmp_path: Path) -> None:
    """One alert per message: anna's post in #memes and her post in #algemeen, reported by bram
    within minutes, are two alerts, each with its own snapshot and its own delete button."""
    script = "\n".join(
        [
            "/tijd 2026-11-24 12:20",
            "/als leerling anna",
            "jij bent een sukkel bob",
            "/kanaal memes",
            "iedereen haat bob",
            "/als leerling bob",
            "/melden 1 pesten",
            "/kanaal algemeen",
            "/melden 1 pesten",
            "/als moderator mo",
            "/meldingen open",
            "/melding 1 verwijderen",
            "/als bob",
            "/melden 1",  # #algemeen's post is still there
            "/kanaal memes",
            "/melden 1",  # #memes' post is gone
            "/als mo",
            "/melding 2 verwijderen",
            "/als bob",
            "/kanaal algemeen",
            "/melden 1",
            "/stop",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    listed = re.split("open melding(?:en)?:", out)[1].split("Het gemelde bericht")[0]
    assert "2 open meldingen" in out
    assert "Bericht: iedereen haat bob" in listed and "Bericht: jij bent een sukkel bob" in listed
    assert listed.count("Pesten of uitschelden (aanwijzing-5) ×1") == 2
    assert out.count("Het gemelde bericht is verwijderd.") == 2
    assert "bericht 9000" not in out  # no message ids
    assert "Er is geen bericht nummer 1 in #memes (er zijn er 0)" in out
    assert "Er is geen bericht nummer 1 in #algemeen (er zijn er 0)" in out
    assert out.count("Er is geen bericht nummer 1") == 2


def test_erasing_a_reporter_keeps_the_time_of_the_report(tmp_path: Path) -> None:
    """The erasure edits what the alert shows (the reporter's note leaves), not when the report
    came in: 'Wanneer' stays 12:20, not the time of the erasure."""
    script = "\n".join(
        [
            "/tijd 2026-11-24 12:20",
            "/als leerling anna",
            "/als leerling bob",
            "/melden lid anna pesten zij scheldt",
            "/tijd 15:45",
            "/als moderator mo",
            "/privacy wissen bob",
            "/meldingen open",
            "/stop",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    listed = re.split("open melding(?:en)?:", out)[1]
    assert "Wanneer: 2026-11-24 12:20" in listed and "15:45" not in listed
    assert "zij scheldt" not in listed
    # bob was its only reporter: nobody is counted as reporting it any more
    assert "gemeld door" not in listed
    assert "de gegevens van de melders zijn op verzoek gewist; de melding blijft" in listed


def test_a_report_naming_no_rule_reminds_the_author_they_answer_for_their_posts(
    tmp_path: Path,
) -> None:
    """'Iets anders' names the complaints clause (how the school handles reports), which no
    author can keep to: the warning cites aanwijzing-1 instead."""
    script = "\n".join(
        [
            "/kanaal huiswerk",
            "/als leerling bram",
            "kijk dit dan",
            "/als leerling anna",
            "/melden 1 anders",
            "/als moderator",
            "/melding 1 waarschuwen",
            "/stop",
        ]
    )
    result = run_bot(tmp_path, script, "--console")
    assert result.returncode == 0, result.stderr
    dm = result.stdout.split("[bot · DM aan bram]", 1)[1]
    assert "Je bent en blijft zelf verantwoordelijk voor wat je communiceert" in dm
    assert "Afhandeling van klachten" not in dm


def test_a_note_without_a_reason_word_is_a_report_of_something_else(tmp_path: Path) -> None:
    """`/melden N [REDEN] [TOELICHTING]`: the reason may be left out; a misspelt reason is
    not taken for a note but refused with the reason meant, for a member as for a message."""
    script = "\n".join(
        [
            "/kanaal huiswerk",
            "/als leerling bram",
            "kijk dit dan",
            "/als leerling anna",
            "/melden 1 pestn",
            "/melden lid bram pestn hij scheldt",
            "/melden 1 ze is gemeen tegen mij",
            "/als leerling carla",
            "/melden 1 naar mijn idee is dit gemeen",  # "naar" is no misspelt "naam"
            "/als moderator",
            "/meldingen open",
            "/stop",
        ]
    )
    result = run_bot(tmp_path, script, "--console")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("Onbekende reden “pestn”. Bedoelde je pesten?") == 2
    assert "Gebruik: /melden N [REDEN]" not in out
    assert out.count("Bedankt, je melding is doorgegeven") == 2
    assert "Iets anders (aanwijzing-9) ×2" in out and "ze is gemeen tegen mij" in out
    assert "naar mijn idee is dit gemeen" in out


def test_report_in_english_answers_in_english(tmp_path: Path) -> None:
    """/report is /melden with its usage, refusals and thanks in English."""
    script = "\n".join(
        [
            "/tijd 2026-11-24 12:20",
            "/kanaal huiswerk",
            "/als leerling bram",
            "you are so dumb",
            "/als leerling anna",
            "/report 5",
            "/report 1 bullying he does this every day",
            "/report 1 pesten",
            "/report member anna",
            "/report member bram data he posted my number",
            "/report member bram bulying",
            "/report 1 bulying",
            "/report member nobody",
            "/stop",
        ]
    )
    result = run_bot(tmp_path, script, "--console")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "There is no message number 5 in #huiswerk (there are 1). Usage: /report N" in out
    assert "Thank you, your report has been passed on to the moderators." in out
    assert "You already reported this" in out
    assert "You cannot report yourself." in out
    assert "Bedankt, je melding" not in out
    assert "reasons: bullying, data, name, school, other" in out
    assert out.count("Thank you, your report has been passed on") == 2
    # the English words are the same reasons: the moderators read them in Dutch
    assert "Reden: Pesten of uitschelden (aanwijzing-5) ×1" in out
    assert "Gegevens of foto's van iemand zonder toestemming (aanwijzing-6) ×1" in out
    # a misspelt reason and an unknown member are said in English too
    assert out.count("Unknown reason “bulying”. Did you mean bullying?") == 2
    assert "Unknown member “nobody”. See /leden." in out and "Onbekend lid" not in out
    assert "Onbekende reden" not in out


def test_a_repeat_with_a_new_reason_or_note_is_added_to_the_earlier_report(
    tmp_path: Path,
) -> None:
    """The tester's case: anna reports bram's name, then his threats. The new reason and note
    reach the open alert (edited; the note masked as notes are; anna counted once) and she
    is told so; the same reason again without a note is today's 'al gemeld'."""
    script = "\n".join(
        [
            "/tijd 2026-11-24 12:20",
            "/als leerling anna",
            "/als leerling bram",
            "/als anna",
            "/melden lid bram naam",
            "/melden lid bram pesten hij stuurt me elke avond dreigende berichten, 06-12345678",
            "/melden lid bram pesten",
            "/melden lid bram naam",
            "/als moderator",
            "/meldingen open",
            "/stop",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    added = "Aangevuld: de moderatoren zien je nieuwe reden en toelichting bij je eerdere melding."
    assert out.count(added) == 1
    assert out.count("Je hebt dit al gemeld; de moderatoren hebben je melding.") == 2
    assert out.count("Bedankt, je melding is doorgegeven") == 1
    assert "[#mod-meldingen · bijgewerkt] Melding #1 · Melding van een lid" in out
    listed = re.split("open melding(?:en)?:", out)[1]
    assert "1 open melding" in out and "Melding #2" not in out
    reason = "Pesten of uitschelden (aanwijzing-5) ×1; Compass in een naam (aanwijzing-2) ×1"
    assert reason in listed
    assert "gemeld door 1 lid" in listed and "aantal keer: 1" in listed
    assert 'toelichting: "hij stuurt me elke avond dreigende berichten, [' in listed
    assert "12345678" not in out


def test_an_addition_after_the_alert_was_handled_opens_a_new_one(tmp_path: Path) -> None:
    """A new note (in Dutch or, by /report, in English) joins anna's open report of the
    message; once that alert is handled, an exact repeat is still 'al gemeld' and a new
    reason opens a new alert with the usual thanks, as any other reporter's would."""
    script = "\n".join(
        [
            "/tijd 2026-11-24 12:20",
            "/kanaal huiswerk",
            "/als leerling bram",
            "jij bent dom",
            "/als leerling anna",
            "/melden 1 pesten",
            "/melden 1 pesten hij doet dit elke dag",
            "/report 1 bullying he does it every day",
            "/als moderator",
            "/melding 1 afgehandeld",
            "/als anna",
            "/melden 1 pesten hij doet dit elke dag",
            "/melden 1 school",
            "/als moderator",
            "/meldingen open",
            "/stop",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert out.count("Aangevuld: de moderatoren zien je nieuwe toelichting bij je eer") == 1
    assert out.count("Added: the moderators see your new note with your earlier report.") == 1
    assert out.count("Je hebt dit al gemeld") == 1
    assert out.count("Bedankt, je melding is doorgegeven") == 2
    handled = out.split("Afgehandeld door")[0].rsplit("Melding #1", 1)[1]
    assert "hij doet dit elke dag" in handled and "he does it every day" in handled
    assert "Pesten of uitschelden (aanwijzing-5) ×1\n" in handled and "aantal keer: 1" in handled
    listed = re.split("open melding(?:en)?:", out)[1]
    assert "Melding #2" in listed and "Melding #1" not in listed
    assert "Reden: Negatief over school of namens school (aanwijzing-4) ×1\n" in listed
    assert "Pesten" not in listed


def test_a_note_over_the_limit_is_cut_and_the_reporter_told(tmp_path: Path) -> None:
    """3,000 characters of note: the moderators see the first 500, and the reporter hears
    it was shortened (in English by /report); a short note is not said to be."""
    long = "x" * 3000
    script = "\n".join(
        [
            "/als leerling anna",
            "/als leerling bram",
            "/als leerling carla",
            f"/melden lid bram pesten {long}",
            "/als anna",
            f"/report member bram bullying {long.replace('x', 'y')}",
            "/melden lid carla pesten kort",
            "/als moderator",
            "/meldingen open",
            "/stop",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert out.count("Je toelichting was te lang en is ingekort tot 500 tekens.") == 1
    assert out.count("Your note was too long and was shortened to 500 characters.") == 1
    listed = re.split("open melding(?:en)?:", out)[1]
    assert f'"{"x" * 500}"' in listed and f'"{"y" * 500}"' in listed
    assert "x" * 501 not in out and "y" * 501 not in out
