"""The weekly digest as pure data: which week is due, and what the week held in counts.

No student is named: the facts given in carry rule ids, times and question texts only, and
the digest is counts and clause ids. Time is always a parameter; weeks are ISO weeks in the
school's time zone (Monday 00:00 to Monday 00:00, local wall time, so DST-safe).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final, Protocol
from zoneinfo import ZoneInfo

from compass_bot.features.alerts.model import unescape_excerpt
from compass_bot.inputs import MAX_YEAR, MIN_YEAR
from compass_bot.schedule import WEEKDAYS

# The protocol's clause for posts in lesson time (compass_bot.policy CLAUSE_IDS): its alerts
# make the weekday x hour grid.
LESSON_TIME_CLAUSE: Final = "schooltijd"
TOP_CLAUSES: Final = 10
MAX_UNANSWERED: Final = 25
_WEEK_RE: Final = re.compile(r"(\d{4})-?[Ww](\d{1,2})")


class Span(Protocol):
    """A school day's hours (the timetable's Interval)."""

    @property
    def start(self) -> time: ...

    @property
    def end(self) -> time: ...


class SchoolWeek(Protocol):
    """What the digest needs of the timetable: its zone, week, hours and days off."""

    @property
    def tz(self) -> ZoneInfo: ...

    @property
    def school_days(self) -> frozenset[int]: ...

    @property
    def hours(self) -> Mapping[int, Span]: ...

    def school_hours(self, day: date) -> Span | None: ...


class DigestTiming(Protocol):
    """The `digest:` settings the schedule reads."""

    @property
    def weekday(self) -> str: ...

    @property
    def time(self) -> time: ...


class WeekError(ValueError):
    """A week that is not YYYY-Www (one line, for the person who typed it): English for the
    command line (`str`), Dutch too for the console and Discord (`in_language`)."""

    def __init__(self, english: str, dutch: str) -> None:
        super().__init__(english)
        self.dutch = dutch

    def in_language(self, language: str) -> str:
        return str(self) if language == "en" else self.dutch


@dataclass(frozen=True, slots=True)
class Period:
    """One ISO week in the school's zone, with the frame of its lesson-time grid."""

    year: int
    week: int
    tz: ZoneInfo
    grid_days: tuple[int, ...]  # weekdays (0 = Monday) as rows
    grid_hours: tuple[int, ...]  # hours of the day as columns

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.monday, time(0), tzinfo=self.tz)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.monday + timedelta(days=7), time(0), tzinfo=self.tz)

    def days(self) -> list[date]:
        return [self.monday + timedelta(days=i) for i in range(7)]


@dataclass(frozen=True, slots=True)
class AlertFact:
    """An alert as the digest sees it: its rule (a clause id), when, and what it is about."""

    rule: str
    created_at: datetime
    about: str = "post"  # "post" | "name"
    count: int = 1  # repeats folded into the alert (within the alerts' window) count too


@dataclass(frozen=True, slots=True)
class QuestionFact:
    """A stored question: unanswered (text), or an answer marked (un)helpful (clause)."""

    kind: str  # "unanswered" | "helpful" | "unhelpful" | "answered"
    asked_at: datetime
    clause_id: str | None = None
    question: str = ""


@dataclass(frozen=True, slots=True)
class Facts:
    """What happened from the start of last week up to `until` (never a member id)."""

    until: datetime
    alerts: Sequence[AlertFact] = ()
    approvals: Sequence[datetime] = ()  # audit `name.approve`
    questions: Sequence[QuestionFact] = ()


@dataclass(frozen=True, slots=True)
class RuleCount:
    rule: str
    this_week: int
    last_week: int


@dataclass(frozen=True, slots=True)
class ClauseAsked:
    clause_id: str
    asked: int
    helpful: int
    unhelpful: int


@dataclass(frozen=True, slots=True)
class Digest:
    """The week in counts: what the embed, the console, the JSON and the chart show."""

    period: Period
    until: datetime  # the data runs up to here (the end of the week, or the moment asked)
    rules: tuple[RuleCount, ...]
    grid: tuple[tuple[int, ...], ...]  # [row = period.grid_days][column = period.grid_hours]
    per_day: tuple[tuple[date, int], ...]
    names_flagged: int
    names_approved: int
    top_clauses: tuple[ClauseAsked, ...]
    unanswered: tuple[str, ...]
    unanswered_total: int = 0

    @property
    def total_this_week(self) -> int:
        return sum(r.this_week for r in self.rules)

    @property
    def total_last_week(self) -> int:
        return sum(r.last_week for r in self.rules)

    def to_json(self) -> dict[str, object]:
        """The counts the chart and the embed show, as the command line prints them; the
        unanswered questions as plain text (their markdown escapes only serve Discord)."""
        return {
            "week": self.period.label,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "until": self.until.astimezone(self.period.tz).isoformat(),
            "rules": [
                {"rule": r.rule, "this_week": r.this_week, "last_week": r.last_week}
                for r in self.rules
            ],
            "total": {"this_week": self.total_this_week, "last_week": self.total_last_week},
            "lesson_time": {
                "weekdays": [WEEKDAYS[d] for d in self.period.grid_days],
                "hours": list(self.period.grid_hours),
                "grid": [list(row) for row in self.grid],
            },
            "per_day": [{"date": d.isoformat(), "count": n} for d, n in self.per_day],
            "names": {"flagged": self.names_flagged, "approved": self.names_approved},
            "top_clauses": [
                {
                    "clause": c.clause_id,
                    "asked": c.asked,
                    "helpful": c.helpful,
                    "unhelpful": c.unhelpful,
                }
                for c in self.top_clauses
            ],
            "unanswered": [unescape_excerpt(q) for q in self.unanswered],
            "unanswered_total": self.unanswered_total,
        }


# -- weeks ----------------------------------------------------------------------------------


def _frame(timetable: SchoolWeek) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The grid's rows (school weekdays) and columns (the hours any school day covers)."""
    days = tuple(sorted(timetable.school_days)) or (0, 1, 2, 3, 4)
    spans = [timetable.hours[d] for d in days if d in timetable.hours]
    if not spans:
        return days, tuple(range(8, 17))
    first = min(s.start.hour for s in spans)
    last = max(s.end.hour + (1 if s.end.minute else 0) for s in spans)
    return days, tuple(range(first, max(last, first + 1)))


def period_of(year: int, week: int, timetable: SchoolWeek) -> Period:
    """ISO week `week` of `year`; raises WeekError when that week does not exist or lies
    outside the years the bot works with (its week before must exist too)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise WeekError(
            f"week {year}-W{week:02d} is out of range (years {MIN_YEAR}-{MAX_YEAR})",
            f"week {year}-W{week:02d} valt buiten de jaren {MIN_YEAR}-{MAX_YEAR}",
        )
    try:
        date.fromisocalendar(year, week, 1)
    except ValueError:
        raise WeekError(
            f"week {year}-W{week:02d} does not exist", f"week {year}-W{week:02d} bestaat niet"
        ) from None
    days, hours = _frame(timetable)
    return Period(year, week, timetable.tz, days, hours)


def period_at(moment: datetime, timetable: SchoolWeek) -> Period:
    """The week that holds `moment` in the school's zone."""
    iso = moment.astimezone(timetable.tz).isocalendar()
    return period_of(iso.year, iso.week, timetable)


def parse_week(text: str, timetable: SchoolWeek) -> Period:
    """`2026-W48` (also `2026W48`, `2026-w48`) -> that ISO week; WeekError otherwise."""
    match = _WEEK_RE.fullmatch(text.strip())
    if match is None:
        shown = text.strip()[:40]
        raise WeekError(
            f"{shown!r} is not a week: write it as YYYY-Www, e.g. 2026-W48",
            f"{shown!r} is geen week: schrijf JJJJ-Www, bijvoorbeeld 2026-W48",
        )
    return period_of(int(match[1]), int(match[2]), timetable)


def due_at(period: Period, settings: DigestTiming) -> datetime:
    """The moment a week's digest is due: its configured weekday at the local time."""
    day = period.monday + timedelta(days=WEEKDAYS.index(settings.weekday))
    return datetime.combine(day, settings.time, tzinfo=period.tz)


def is_vacation_week(period: Period, timetable: SchoolWeek) -> bool:
    """A week without a single school day (the timetable knows the days off)."""
    return all(timetable.school_hours(day) is None for day in period.days())


def due_period(now: datetime, timetable: SchoolWeek, settings: DigestTiming) -> Period | None:
    """The latest week whose digest moment has passed by `now`, or None when that week is a
    vacation week. The caller posts it once (its run is recorded); after downtime this is the
    one week caught up, never a backlog."""
    period = period_at(now, timetable)
    if due_at(period, settings) > now:
        previous = period.monday - timedelta(days=7)
        iso = previous.isocalendar()
        period = period_of(iso.year, iso.week, timetable)
    return None if is_vacation_week(period, timetable) else period


def next_due(now: datetime, timetable: SchoolWeek, settings: DigestTiming) -> datetime:
    """The first digest moment after `now` (vacation weeks included: they are then skipped)."""
    period = period_at(now, timetable)
    due = due_at(period, settings)
    if due > now:
        return due
    following = period.monday + timedelta(days=7)
    iso = following.isocalendar()
    return due_at(period_of(iso.year, iso.week, timetable), settings)


# -- the digest -----------------------------------------------------------------------------


def _week_earlier(moment: datetime, tz: ZoneInfo) -> datetime:
    """The same local wall time a week before (DST-safe)."""
    local = moment.astimezone(tz)
    return datetime.combine(local.date() - timedelta(days=7), local.time(), tzinfo=tz)


def compose(period: Period, facts: Facts) -> Digest:
    """Count the week (up to `facts.until`) against last week up to the same point."""
    tz = period.tz
    until = min(max(facts.until, period.start), period.end)
    last_start = _week_earlier(period.start, tz)
    last_until = _week_earlier(until, tz)

    def this_week(at: datetime) -> bool:
        return period.start <= at < until

    def last_week(at: datetime) -> bool:
        return last_start <= at < last_until

    now_counts: Counter[str] = Counter()
    then_counts: Counter[str] = Counter()
    for alert in facts.alerts:
        if this_week(alert.created_at):
            now_counts[alert.rule] += alert.count
        elif last_week(alert.created_at):
            then_counts[alert.rule] += alert.count
    rules = tuple(
        RuleCount(rule, now_counts[rule], then_counts[rule])
        for rule in sorted(set(now_counts) | set(then_counts), key=lambda r: (-now_counts[r], r))
    )

    week_alerts = [a for a in facts.alerts if this_week(a.created_at)]
    days = {day: 0 for day in period.days()}
    cells: Counter[tuple[int, int]] = Counter()
    for alert in week_alerts:
        local = alert.created_at.astimezone(tz)
        days[local.date()] = days.get(local.date(), 0) + alert.count
        if alert.rule == LESSON_TIME_CLAUSE:
            cells[(local.weekday(), local.hour)] += alert.count
    grid_days = sorted(set(period.grid_days) | {d for d, _ in cells})
    grid_hours = sorted(set(period.grid_hours) | {h for _, h in cells})
    framed = Period(period.year, period.week, tz, tuple(grid_days), tuple(grid_hours))
    grid = tuple(tuple(cells[(d, h)] for h in grid_hours) for d in grid_days)

    asked: Counter[str] = Counter()
    marks: dict[str, Counter[str]] = {}
    unanswered: list[str] = []
    for q in sorted(
        (q for q in facts.questions if this_week(q.asked_at)), key=lambda q: q.asked_at
    ):
        if q.kind == "unanswered":
            unanswered.append(q.question)
        elif q.clause_id:
            asked[q.clause_id] += 1
            marks.setdefault(q.clause_id, Counter())[q.kind] += 1
    top = tuple(
        ClauseAsked(cid, n, marks[cid]["helpful"], marks[cid]["unhelpful"])
        for cid, n in sorted(asked.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_CLAUSES]
    )
    return Digest(
        period=framed,
        until=until,
        rules=rules,
        grid=grid,
        per_day=tuple(sorted(days.items())),
        names_flagged=sum(1 for a in week_alerts if a.about == "name"),  # names, not repeats
        names_approved=sum(1 for at in facts.approvals if this_week(at)),
        top_clauses=top,
        unanswered=tuple(unanswered[-MAX_UNANSWERED:]),
        unanswered_total=len(unanswered),
    )
