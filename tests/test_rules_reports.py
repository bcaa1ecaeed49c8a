"""The report rule alone: who may be reported, once per message (a repeat with something new is
added), and the hourly limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from compass_bot.features.reports.rules import (
    REASONS,
    Accepted,
    PastReport,
    Refused,
    ReportDraft,
    ReportSettings,
    judge_opening,
    judge_report,
)

T0 = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
SETTINGS = ReportSettings(max_per_hour=5)


def past_report(
    reported_id: int, message_id: int | None, at: datetime, reason: str = "pesten"
) -> PastReport:
    return PastReport(reported_id, message_id, at, reason, None)


def draft(**changes: object) -> ReportDraft:
    base: dict[str, object] = {
        "reporter_id": 1,
        "reported_id": 2,
        "reason": "pesten",
        "at": T0,
        "message_id": 100,
    }
    base.update(changes)
    return ReportDraft(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "clause"),
    [
        ("pesten", "aanwijzing-5"),
        ("gegevens", "aanwijzing-6"),
        ("naam", "aanwijzing-2"),
        ("school", "aanwijzing-4"),
        ("anders", "aanwijzing-9"),
    ],
)
def test_each_reason_maps_to_its_clause(code: str, clause: str) -> None:
    verdict = judge_report(draft(reason=code), [], SETTINGS)
    assert isinstance(verdict, Accepted) and verdict.clause_id == clause


def test_five_reasons_in_the_order_the_modal_shows_them() -> None:
    assert [r.code for r in REASONS] == ["pesten", "gegevens", "naam", "school", "anders"]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"reason": "iets"}, "unknown_reason"),
        ({"reported_id": 1}, "self"),
        ({"reported_is_bot": True}, "bot"),
        ({"system_message": True}, "system"),
        ({"reporter_can_see": False}, "not_visible"),
    ],
)
def test_refusals(changes: dict[str, object], code: str) -> None:
    assert judge_report(draft(**changes), [], SETTINGS) == Refused(code)  # type: ignore[arg-type]


def test_the_same_message_once_per_reporter_whenever() -> None:
    past = [past_report(2, 100, T0 - timedelta(days=20))]
    assert judge_report(draft(), past, SETTINGS) == Refused("duplicate")
    assert isinstance(judge_report(draft(message_id=101), past, SETTINGS), Accepted)


def test_a_member_report_repeats_after_a_day_only() -> None:
    past = [past_report(2, None, T0 - timedelta(hours=23))]
    assert judge_report(draft(message_id=None), past, SETTINGS) == Refused("duplicate")
    later = draft(message_id=None, at=T0 + timedelta(hours=2))
    assert isinstance(judge_report(later, past, SETTINGS), Accepted)
    # a report of a message of that member is something else
    assert isinstance(judge_report(draft(), past, SETTINGS), Accepted)


def test_the_rate_limit_counts_the_last_hour_only() -> None:
    past = [past_report(10 + i, 200 + i, T0 - timedelta(minutes=50 - i)) for i in range(5)]
    assert judge_report(draft(), past, SETTINGS) == Refused("rate_limited")
    assert isinstance(judge_report(draft(), past[1:], SETTINGS), Accepted)
    assert isinstance(judge_report(draft(at=T0 + timedelta(minutes=11)), past, SETTINGS), Accepted)
    assert isinstance(judge_report(draft(), past, ReportSettings(max_per_hour=6)), Accepted)


def test_a_duplicate_is_named_before_the_rate_limit() -> None:
    past = [past_report(2, 100 + i, T0 - timedelta(minutes=i)) for i in range(5)]
    assert judge_report(draft(), past, SETTINGS) == Refused("duplicate")


def test_a_repeat_with_a_new_reason_or_note_adds_to_the_earlier_report() -> None:
    """The same message (whenever) or member (within a day): a reason or a note the earlier
    reports did not bring is an addition; the same reason without a new note is a repeat."""
    past = [
        PastReport(2, 100, T0 - timedelta(days=3), "naam", None),
        PastReport(2, 100, T0 - timedelta(days=2), "pesten", "hij scheldt"),
    ]
    assert judge_report(draft(), past, SETTINGS) == Refused("duplicate")
    assert judge_report(draft(note="hij scheldt"), past, SETTINGS) == Refused("duplicate")
    assert judge_report(draft(reason="naam", note="hij scheldt"), past, SETTINGS) == Refused(
        "duplicate"
    )
    new_note = judge_report(draft(note="elke avond"), past, SETTINGS)
    assert new_note == Accepted(REASONS[0], adds_reason=False, adds_note=True)
    new_reason = judge_report(draft(reason="gegevens"), past, SETTINGS)
    assert new_reason == Accepted(REASONS[1], adds_reason=True, adds_note=False)
    both = judge_report(draft(reason="school", note="elke avond"), past, SETTINGS)
    assert isinstance(both, Accepted) and both.adds_reason and both.adds_note
    # a member: the day's earlier report of them; after the day it is a report of its own
    member = [PastReport(2, None, T0 - timedelta(hours=23), "naam", None)]
    added = judge_report(draft(message_id=None, reason="pesten"), member, SETTINGS)
    assert isinstance(added, Accepted) and added.adds
    later = judge_report(draft(message_id=None, at=T0 + timedelta(hours=2)), member, SETTINGS)
    assert isinstance(later, Accepted) and not later.adds


def test_an_addition_counts_against_the_hourly_limit() -> None:
    past = [past_report(2, 100, T0 - timedelta(minutes=5))]
    past += [past_report(10 + i, 200 + i, T0 - timedelta(minutes=i)) for i in range(4)]
    assert judge_report(draft(reason="naam"), past, SETTINGS) == Refused("rate_limited")
    assert isinstance(judge_report(draft(reason="naam"), past[:4], SETTINGS), Accepted)


def test_the_form_opens_for_a_repeat_but_not_past_the_limit() -> None:
    """Before the form: a repeat may still bring something new; oneself or the limit not."""
    past = [past_report(2, 100, T0 - timedelta(minutes=1))]
    assert judge_opening(draft(reason=""), past, SETTINGS) is None
    assert judge_opening(draft(reason="", reported_id=1), past, SETTINGS) == Refused("self")
    full = [past_report(10 + i, 200 + i, T0 - timedelta(minutes=i)) for i in range(5)]
    assert judge_opening(draft(reason=""), full, SETTINGS) == Refused("rate_limited")


def test_a_repeat_past_the_limit_still_opens_and_hears_it_was_reported() -> None:
    """Session 45 (a tester): five reports and additions in the hour, then the same message
    again: "already reported" (the form decides), not the hourly limit; a new addition to
    it is still counted against the limit."""
    past = [past_report(2, 100, T0 - timedelta(minutes=5))]
    past += [past_report(10 + i, 200 + i, T0 - timedelta(minutes=i)) for i in range(4)]
    assert judge_opening(draft(reason=""), past, SETTINGS) is None
    assert judge_report(draft(), past, SETTINGS) == Refused("duplicate")
    assert judge_report(draft(reason="naam"), past, SETTINGS) == Refused("rate_limited")


def test_an_alert_whose_reporters_were_erased_says_so_in_either_language() -> None:
    """Erasing every reporter leaves the report and counts nobody: "reported by 0 members"
    would read as a report by nobody."""
    from compass_bot.features.reports.texts import detail_json, reason_text, without_reporters

    detail = without_reporters(detail_json({"pesten": 1}, 1, [], 0, ["zij scheldt"], True))
    assert reason_text(detail, "en") == (
        "Bullying or name-calling (aanwijzing-5) ×1\n"
        "the reporters' data were erased on request; the report stays (about the member, "
        "no message)"
    )
    assert reason_text(detail, "nl") == (
        "Pesten of uitschelden (aanwijzing-5) ×1\n"
        "de gegevens van de melders zijn op verzoek gewist; de melding blijft (over het lid, "
        "geen bericht)"
    )
