"""Cooling down in the offline console: several members in turn (`/als`), and the nudge, the
slowmode and the alert show as on Discord; `/afkoelen` and "slowmode-uit" for staff."""

from __future__ import annotations

import re
from pathlib import Path

from compass_bot.policy import load_clauses
from tests.test_console import run_bot

CLAUSE = load_clauses()["aanwijzing-5"]


def test_a_fight_played_by_two_members_shows_nudge_slowmode_and_alert(tmp_path: Path) -> None:
    script = "\n".join(
        [
            "/tijd 2026-11-24 16:10",
            "/als leerling anna",
            "jij bent zo dom",
            "/als leerling bram",
            "hou je kop idioot @anna",
            "/als anna",
            "kankerlijer @bram",
            "/als bram",
            "ga lekker janken",
            "/als anna",
            "niemand mag je",
            "/als anna",
            "/afkoelen stop",
            "/als moderator",
            "/melding 1 slowmode-uit",
            "/melding 1 slowmode-uit",
            "/afkoelen uit",
            "/als bram",
            "jij bent zo dom",
            "/als moderator",
            "/afkoelen aan #algemeen",
            "/afkoelen start #algemeen 5",
            "/tijd +6",
            "/afkoelen stop",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert out.count(f"> {CLAUSE.text}") == 1
    assert "[bot · #algemeen] Even pauze, allemaal." in out
    assert "(bot zet slowmode in #algemeen: 30 seconden" in out
    assert "[bot · #algemeen] Slowmode staat 10 minuten aan" in out
    assert "[#mod-meldingen · nieuw] Melding #1 · Verhitte discussie (aanwijzing-5)" in out
    involved = next(line for line in out.splitlines() if line.startswith("  Betrokken leden: "))
    assert sorted(involved.split(": ", 1)[1].split(", ")) == ["anna", "bram"]  # names, not ids
    # the bot's slowmode restates the same alert (an edit), it does not add one
    assert "[#mod-meldingen · bijgewerkt] Melding #1" in out and "Melding #2" not in out
    assert "de bot zette slowmode aan" in out
    assert "woorden: kleineren, scheldwoord" in out  # the wording in Dutch
    assert "Alleen docenten en moderatoren kunnen afkoelen starten" in out  # anna may not stop it
    # session 46 (a tester): who ends or starts a slowmode gets Discord's reply, not a
    # narration; the slowmode that runs out on the clock is narrated
    stopped = "Slowmode in #algemeen is uit; de vorige instelling (0 s) is terug. / Slowmode"
    assert out.count(f"[bot → moderator1 · #algemeen] {stopped}") == 1  # "slowmode-uit"
    assert out.count("(slowmode in #algemeen is voorbij: weer 0 seconden") == 1
    assert (
        "[bot → moderator1 · #algemeen] Slowmode in #algemeen staat aan tot 16:15 (30 seconden"
        " tussen berichten). / Slowmode in #algemeen is on until 16:15" in out
    )
    assert out.count("(bot zet slowmode in #algemeen") == 1  # the bot's own, not the command's
    # the second "slowmode-uit": nothing running, said without the channel's bare id
    assert "De bot heeft in het kanaal van melding 1 geen slowmode (meer) aan staan." in out
    assert "#algemeen wordt niet meer bewaakt" in out
    assert "#algemeen wordt weer bewaakt" in out
    assert "Slowmode staat 5 minuten aan" in out
    assert "Traceback" not in out and "(fout:" not in out


def test_switching_on_a_channel_the_rule_does_not_watch_says_so(tmp_path: Path) -> None:
    """/afkoelen aan on a lesson channel that was never switched off: not "already watched"
    (it is not), but that it lies outside the watched channels."""
    script = "/als moderator\n/afkoelen aan #wiskunde-3b\n/afkoelen aan #algemeen\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert "Let op: #wiskunde-3b valt buiten de bewaakte kanalen" in out
    assert "#wiskunde-3b werd al bewaakt" not in out
    assert "#algemeen werd al bewaakt." in out


def test_cooling_down_and_channel_permission_refuse_a_dm(tmp_path: Path) -> None:
    """A DM has no slowmode and no heat watch; a channel permission is for a server channel."""
    script = "/als moderator\n/kanaal dm\n/afkoelen uit\n/afkoelen start\n"
    script += "/als docent\n/toestemming geven kanaal dm 30\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert (
        out.count(
            "Afkoelen kan alleen in een kanaal van de server. / "
            "Cooling down only works in a channel of the server. Gebruik: /afkoelen start"
        )
        == 2
    )
    assert "Toestemming per kanaal geldt voor een kanaal van de server, niet een DM." in out
    assert "#dm wordt niet meer bewaakt" not in out and "slowmode in #dm" not in out


def test_slowmode_minutes_out_of_range_are_called_so(tmp_path: Path) -> None:
    """99999 is a number of minutes, just too many: not "is geen aantal minuten"."""
    script = "/als moderator\n/afkoelen start #algemeen 99999\n/afkoelen start #algemeen 0\n"
    script += "/afkoelen start #algemeen tien\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert "99999 minuten kan niet: geef een heel getal van 1 tot 1440." in out
    assert "0 minuten kan niet: geef een heel getal van 1 tot 1440." in out
    # session 46 (a tester): quoted as the console quotes what was typed, and in English too
    assert "“tien” is geen aantal minuten" in out
    assert (
        "/ “tien” is not a number of minutes: give a whole number from 1 to 1440, or a "
        "duration such as 20 min, 1 hour, 1.5 hours or 1h30."
        in out
        and "slowmode in #algemeen" not in out
    )


def test_an_erased_member_leaves_the_others_heat_alert(tmp_path: Path) -> None:
    """/privacy wissen anna: bram's heat alert no longer names her among its members."""
    script = "/tijd 2026-11-24 12:32\n/als leerling bram\n"
    script += "anna jij bent zo dom, hou gewoon je mond @anna\n/als leerling anna\n"
    script += "nee jij bent dom, idioot, niemand mag jou @bram\n/als bram\n"
    script += "kop dicht anna of ik sla je morgen in elkaar @anna\n"
    script += "/als moderator mo\n/privacy wissen anna\n/meldingen open\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert "1 vermelding als betrokken lid" in out
    assert re.split("open melding(?:en)?:", out)[1].count("  Betrokken leden: bram\n") == 1


def test_cooling_a_typo_of_a_channel_and_a_channel_without_a_name(tmp_path: Path) -> None:
    """/afkoelen on "#meems" (near the configured "memes") is refused with the name meant,
    as /toestemming is; "/kanaal #" names no channel."""
    script = "/tijd 2026-11-24 10:15\n/kanaal #\n/als docent\n/afkoelen uit #meems\n"
    script += "/afkoelen start #meems 5\n/stop\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert out.count("Geen kanaal #meems. Bedoelde je #memes?") == 2
    assert "Gebruik: /kanaal NAAM [in CATEGORIE] of /kanaal dm" in out
    assert "Je bent nu in #:" not in out and "#meems wordt" not in out


def test_threats_after_the_slowmode_still_reach_the_moderators(tmp_path: Path) -> None:
    """After the nudge and the slowmode the rule does not act again within its cool-down,
    but a threat or death wish then counts in the episode's open alert (one alert, a higher
    count, its author among the involved); a cool-down later it is no longer that episode."""
    script = "\n".join(
        [
            "/tijd 2026-11-24 16:00",
            "/als leerling anna",
            "@bram ga dood",
            "/als leerling bram",
            "@anna ik weet waar je woont, ik maak je af",
            "/als anna",
            "@bram ik sla je morgen in elkaar",
            "/tijd +12",
            "/als bram",
            "@anna ik steek je neer morgen",
            "/als leerling carla",
            "wie gaat er mee naar de kantine",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    counts = [int(line.rsplit(": ", 1)[1]) for line in out.splitlines() if "aantal keer: " in line]
    assert counts and counts[-1] == counts[-2] + 1  # the threat at 16:12 counted once more
    after = out[out.rindex("Je bent bram") :]  # the threat at 16:12
    assert "[#mod-meldingen · bijgewerkt] Melding #1" in after
    assert "Melding #2" not in out
    assert "Betrokken leden: anna, bram" in after or "Betrokken leden: bram, anna" in after
    # a calm post after it changes nothing
    assert "[#mod-meldingen" not in out[out.index("Je bent carla") :]
    assert "Traceback" not in out and "(fout:" not in out


def test_cooling_a_channel_the_server_does_not_have_is_refused(tmp_path: Path) -> None:
    """/afkoelen on "#bestaatniet" (not configured, nobody went there) slows no made-up
    channel; a name near a channel someone went to gets that name; once someone went to
    the channel (/kanaal), it can be cooled down."""
    script = "/tijd 2026-11-24 16:15\n/als moderator\n/afkoelen start #bestaatniet 5\n"
    script += "/kanaal huiswerk\n/afkoelen uit #huiswerkk\n/kanaal bestaatniet\n"
    script += "/kanaal algemeen\n/afkoelen start #bestaatniet 5\n/stop\n"
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert out.count("Geen kanaal #bestaatniet in deze console") == 1
    assert "Geen kanaal #huiswerkk. Bedoelde je #huiswerk?" in out
    assert "#huiswerkk wordt" not in out
    assert out.count("Slowmode in #bestaatniet staat aan tot 16:20 (30 seconden") == 1


def test_a_student_is_refused_cooling_down_before_any_usage_line(tmp_path: Path) -> None:
    """Every /afkoelen is staff's: a student hears the refusal (Dutch, then English), not
    how to type the command; moderators filter its alerts by everyday words."""
    script = (
        "/als leerling\n/afkoelen\n/als moderator\n/meldingen open ruzie\n/meldingen open fight\n"
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert (
        out.count(
            "Alleen docenten en moderatoren kunnen afkoelen starten, stoppen of uitzetten. / "
            "Only teachers and moderators can start, stop or switch off cooling down."
        )
        == 1
    )
    assert "Gebruik: /afkoelen" not in out
    assert out.count("0 open meldingen") == 2 and "Onbekende regel" not in out


def test_cooling_down_refusals_and_replies_name_it_in_dutch_and_english(tmp_path: Path) -> None:
    """Every staff refusal or reply of /afkoelen and "slowmode-uit" is Dutch, then English."""
    script = "\n".join(
        [
            "/tijd 2026-11-24 10:15",
            "/kanaal algemeen",
            "/als leerling anna",
            "hoi",  # a school-time alert, #1
            "/als moderator",
            "/melding 1 slowmode-uit",
            "/afkoelen stop",
            "/afkoelen uit #memes",
            "/afkoelen uit #memes",
            "/afkoelen aan #memes",
            "/afkoelen aan #memes",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    for line in [
        "Melding 1 gaat niet over een verhitte discussie. / "
        "Alert 1 is not about a heated discussion.",
        "De bot heeft in #algemeen geen slowmode aan staan. / "
        "The bot has no slowmode on in #algemeen.",
        "#memes wordt niet meer bewaakt op verhitte discussies (aanzetten: /afkoelen aan). / "
        "#memes is no longer watched for heated discussions (switch on: /afkoelen aan).",
        "#memes werd al niet bewaakt. / #memes was already not watched.",
        "#memes wordt weer bewaakt op verhitte discussies. / "
        "#memes is watched for heated discussions again.",
        "#memes werd al bewaakt. / #memes was already watched.",
    ]:
        assert line in out, (line, out)


def test_a_slowmode_takes_a_duration_as_a_permission_does_and_says_its_day(
    tmp_path: Path,
) -> None:
    """/afkoelen start reads "1,5 uur", "1u30" or "1:30" as /toestemming does; an end that
    is not today says its day."""
    script = "\n".join(
        [
            "/tijd 2026-11-24 16:30",
            "/als moderator",
            "/afkoelen start #memes 600",
            "/afkoelen start #algemeen 1,5 uur",
            "/afkoelen stop #algemeen",
            "/afkoelen start #algemeen 1u30",
            "/afkoelen stop #algemeen",
            "/afkoelen start #algemeen 1:30",
            "/afkoelen start #wiskunde-3b 1,25 minuut",
        ]
    )
    out = run_bot(tmp_path, script, "--console", "--fresh").stdout
    assert "Slowmode in #memes staat aan tot morgen 02:30 (" in out
    assert "Slowmode in #memes is on until tomorrow 02:30 (" in out
    assert out.count("Slowmode in #algemeen staat aan tot 18:00 (") == 3, out
    assert "“1,25 minuut” is geen aantal minuten" in out
    assert "Gebruik: /afkoelen" not in out
