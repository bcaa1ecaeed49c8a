"""What the digest says, Dutch first (English per `digest.language: en`). Counts and clause
ids only: nobody is named."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from compass_bot import texts as shared_texts
from compass_bot.features.digest.rules import Digest
from compass_bot.policy import ClauseBook
from compass_bot.visible import for_terminal

REFUSED: Final = "Alleen moderatoren en de schoolleiding kunnen het weekoverzicht zien."
REFUSED_EN: Final = "Only moderators and leadership can see the weekly digest."
WEEK_USAGE: Final = {"nl": "Gebruik: /overzicht [JJJJ-Www].", "en": "Usage: /digest [YYYY-Www]."}


def week_problem(problem: str, language: str) -> str:
    """A week the digest cannot show, as a line of its own with the usage ('Week 2026-W99
    bestaat niet. Gebruik: ...'); the command line says it after 'digest: ', lower case."""
    lang = shared_texts.lang_of(language)
    return f"{problem[:1].upper()}{problem[1:]}. {WEEK_USAGE[lang]}"


_WEEKDAYS: Final = {"nl": shared_texts.WEEKDAYS, "en": shared_texts.WEEKDAYS_EN_SHORT}

LABELS: Final[dict[str, dict[str, str]]] = {
    "nl": {
        "title": "Weekoverzicht {week}",
        "title_school": "Weekoverzicht {school} {week}",
        "span": "{start} t/m {until}",
        "rules": "Gesignaleerd per regel (vorige week, zelfde periode)",
        "no_alerts": "Niets gesignaleerd.",
        "total": "Totaal: {now} (vorige week {then})",
        "names": "Namen",
        "names_line": "{flagged} gemarkeerd, {approved} goedgekeurd",
        "lesson": "Onder lestijd gepost (per dag en uur)",
        "lesson_line": "{n} bericht(en); drukste moment: {when}",
        "none": "geen",
        "per_day": "Gesignaleerd per dag",
        "top": "Meest beoordeelde antwoorden, per regel",
        "top_line": "`{clause}` {title}: {asked} beoordeling(en) ({helpful} nuttig, {unhelpful} niet nuttig)",
        "no_questions": "Geen beoordeelde antwoorden.",
        "unanswered": "Onbeantwoorde vragen ({n})",
        "no_unanswered": "Geen.",
        "more": "... en nog {n}",
        "chart": "Grafiek: {path}",
        "chart_title_grid": "Berichten onder lestijd (weekdag x uur)",
        "chart_title_days": "Gesignaleerd per dag",
        "chart_hour": "uur",
        "chart_count": "aantal",
    },
    "en": {
        "title": "Weekly digest {week}",
        "title_school": "Weekly digest {school} {week}",
        "span": "{start} to {until}",
        "rules": "Flagged per rule (last week, same span)",
        "no_alerts": "Nothing flagged.",
        "total": "Total: {now} (last week {then})",
        "names": "Names",
        "names_line": "{flagged} flagged, {approved} approved",
        "lesson": "Posted in lesson time (by day and hour)",
        "lesson_line": "{n} post(s); busiest: {when}",
        "none": "none",
        "per_day": "Flagged per day",
        "top": "Most rated answers, by clause",
        "top_line": "`{clause}` {title}: {asked} rating(s) ({helpful} helpful, {unhelpful} not helpful)",
        "no_questions": "No rated answers.",
        "unanswered": "Unanswered questions ({n})",
        "no_unanswered": "None.",
        "more": "... and {n} more",
        "chart": "Chart: {path}",
        "chart_title_grid": "Posts in lesson time (weekday x hour)",
        "chart_title_days": "Flagged per day",
        "chart_hour": "hour",
        "chart_count": "count",
    },
}


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["nl"])


def weekday_names(language: str) -> tuple[str, ...]:
    return _WEEKDAYS.get(language, _WEEKDAYS["nl"])


def png_name(digest: Digest, school: str | None = None) -> str:
    """The chart's file name; a board's school's slug in it (`weekoverzicht-zuid-2026-W44.png`),
    so two schools' consoles in one folder never write over each other's chart."""
    from compass_bot.config.board import slug

    named = f"{slug(school)}-" if school else ""
    return f"weekoverzicht-{named}{digest.period.label}.png"


def sections(
    digest: Digest, language: str, title_of: Callable[[str], str]
) -> list[tuple[str, list[str]]]:
    """The digest as (heading, lines) pairs, shared by the embed and the console."""
    t = labels(language)
    days = weekday_names(language)
    rule_lines = [
        f"`{r.rule}` {title_of(r.rule)}: {r.this_week} ({r.last_week})" for r in digest.rules
    ] or [t["no_alerts"]]
    if digest.rules:
        rule_lines.append(
            t["total"].format(now=digest.total_this_week, then=digest.total_last_week)
        )
    grid_total = sum(sum(row) for row in digest.grid)
    busiest = t["none"]
    if grid_total:
        # The fullest cell; on a tie the earliest in the week.
        n, day, hour = max(
            (n, -day, -hour)
            for day, row in zip(digest.period.grid_days, digest.grid, strict=True)
            for hour, n in zip(digest.period.grid_hours, row, strict=True)
        )
        day, hour = -day, -hour
        busiest = f"{days[day]} {hour:02d}:00-{hour + 1:02d}:00 ({n})"
    per_day = ", ".join(f"{days[d.weekday()]} {d:%d-%m}: {n}" for d, n in digest.per_day)
    top_lines = [
        shared_texts.for_count(t["top_line"], c.asked).format(
            clause=c.clause_id,
            title=title_of(c.clause_id),
            asked=c.asked,
            helpful=c.helpful,
            unhelpful=c.unhelpful,
        )
        for c in digest.top_clauses
    ] or [t["no_questions"]]
    unanswered = [f"- {q}" for q in digest.unanswered] or [t["no_unanswered"]]
    if digest.unanswered_total > len(digest.unanswered):
        unanswered.append(t["more"].format(n=digest.unanswered_total - len(digest.unanswered)))
    return [
        (t["rules"], rule_lines),
        (
            t["lesson"],
            [
                shared_texts.for_count(t["lesson_line"], grid_total).format(
                    n=grid_total, when=busiest
                )
            ],
        ),
        (t["per_day"], [per_day]),
        (
            t["names"],
            [t["names_line"].format(flagged=digest.names_flagged, approved=digest.names_approved)],
        ),
        (t["top"], top_lines),
        (t["unanswered"].format(n=digest.unanswered_total), unanswered),
    ]


def heading(digest: Digest, language: str, school: str | None = None) -> tuple[str, str]:
    """Title and the span the digest covers, in school-local time; the title names `school`
    (a board's entry) when given."""
    t = labels(language)
    days = weekday_names(language)
    tz = digest.period.tz
    start = digest.period.start.astimezone(tz)
    until = digest.until.astimezone(tz)
    if until == digest.period.end:
        last = digest.period.days()[-1]
        until_text = f"{days[last.weekday()]} {last:%d-%m-%Y}"
    else:
        until_text = f"{days[until.weekday()]} {until:%d-%m-%Y %H:%M}"
    span = t["span"].format(start=f"{days[start.weekday()]} {start:%d-%m-%Y}", until=until_text)
    if school is not None:
        return t["title_school"].format(school=school, week=digest.period.label), span
    return t["title"].format(week=digest.period.label), span


def as_text(
    digest: Digest, language: str, title_of: Callable[[str], str], school: str | None = None
) -> str:
    """The whole digest as lines for a terminal (console, command line), still in the
    Discord post's markdown (rule ids as code, a question's escapes): both fronts show it as
    plain text once (`plain.as_plain_text`, which honours the escapes). The control
    characters a member typed (an escape sequence that retitles or recolours the admin's
    terminal) are written out (`visible.for_terminal`). A board's school is named in the title."""
    title, span = heading(digest, language, school)
    out = [f"{title} ({span})"]
    for head, lines in sections(digest, language, title_of):
        out.append(f"{head}:")
        out.extend(f"  {for_terminal(line)}" for line in lines)
    return "\n".join(out)


TitleOf = Callable[[str], str]


def clause_titles(book: ClauseBook, language: str) -> TitleOf:
    """A rule id's clause title in the digest's language (the id alone when unknown)."""

    def title_of(clause_id: str) -> str:
        clause = book.get(clause_id)
        if clause is None:
            return ""
        return clause.title_en if language == "en" else clause.title

    return title_of
