"""The service layer with a real SQLite file: school time, grants, names, alerts, privacy."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from compass_bot.app import App
from compass_bot.features.names import texts as name_texts
from compass_bot.features.names.service import NameService, NamesSeen
from compass_bot.features.personal_data.service import PersonalDataService
from compass_bot.features.privacy.service import PrivacyService
from compass_bot.features.questions import texts as question_texts
from compass_bot.features.questions.service import (
    Answer,
    QuestionAsked,
    QuestionService,
    referred_points,
)
from compass_bot.features.schooltime import texts as time_texts
from compass_bot.features.schooltime.repo import SchoolTimeRepo
from compass_bot.features.schooltime.rules import ChannelInfo
from compass_bot.features.schooltime.service import SchoolTimeService
from compass_bot.model import Member, MessagePosted, Refusal
from compass_bot.registry import alert_kinds
from tests.conftest import TEST_CONFIG, make_loaded

AMS = ZoneInfo("Europe/Amsterdam")
LESSON = datetime(2026, 11, 24, 10, 15, tzinfo=AMS)
STUDENT = Member(1, "anna", ((11, "Leerling"),))
OTHER_STUDENT = Member(3, "bram", ((11, "Leerling"),))
TEACHER = Member(2, "meneer", ((12, "Docent"),))
MODERATOR = Member(4, "mod", ((13, "Moderator"),))
LEADER = Member(5, "rector", ((14, "Schoolleiding"),))
ALGEMEEN = ChannelInfo(201, "algemeen")
WISKUNDE = ChannelInfo(202, "wiskunde-3b")


def post(
    member: Member, at: datetime, channel: ChannelInfo = ALGEMEEN, text: str = "hoi"
) -> MessagePosted:
    return MessagePosted(member, channel, at, text, message_id=int(at.timestamp()), guild_id=1)


async def test_lesson_post_warns_once_per_cooldown_and_alerts_once_per_window(
    service: App,
) -> None:
    first = await service[SchoolTimeService].message_posted(post(STUDENT, LESSON))
    assert not first.verdict.allowed and first.verdict.reason == "lesson_time"
    assert first.warning is not None and first.warning.clause.id == "schooltijd"
    assert "Leerlingen van de Compass mogen onder schooltijd" in first.warning.clause.text
    assert first.alert is not None and first.alert_created
    second = await service[SchoolTimeService].message_posted(
        post(STUDENT, LESSON + timedelta(minutes=5))
    )
    assert second.warning is None  # cooldown
    assert second.alert is not None and second.alert.id == first.alert.id
    assert second.alert.count == 2 and not second.alert_created
    later = await service[SchoolTimeService].message_posted(
        post(STUDENT, LESSON + timedelta(minutes=31))
    )
    assert later.warning is not None  # cooldown over
    assert (
        later.alert is not None and later.alert.id == first.alert.id
    )  # window still open (updated)


async def test_allowed_posts_take_no_action(service: App) -> None:
    for event in (
        post(STUDENT, LESSON, WISKUNDE),
        post(TEACHER, LESSON),
        post(STUDENT, LESSON.replace(hour=12, minute=20)),
        post(STUDENT, LESSON.replace(hour=16, minute=0)),
    ):
        outcome = await service[SchoolTimeService].message_posted(event)
        assert outcome.verdict.allowed and outcome.alert is None and outcome.warning is None
    assert await service.alerts.repo.count_alerts() == 0


async def test_cooldown_survives_a_restart(service: App) -> None:
    await service[SchoolTimeService].message_posted(post(STUDENT, LESSON))
    restarted = await App.create(service.loaded)
    try:
        again = await restarted[SchoolTimeService].message_posted(
            post(STUDENT, LESSON + timedelta(minutes=2))
        )
        assert again.warning is None
    finally:
        await restarted.close()


async def test_grants_for_member_role_and_channel(service: App) -> None:
    refused = await service[SchoolTimeService].grant_permission(
        STUDENT, "member", STUDENT.id, "anna", LESSON
    )
    assert isinstance(refused, Refusal)

    grant = await service[SchoolTimeService].grant_permission(
        TEACHER, "member", STUDENT.id, "anna", LESSON, 20
    )
    assert not isinstance(grant, Refusal)
    assert grant.ends_at == LESSON + timedelta(minutes=20)
    assert (
        service[SchoolTimeService].judge(post(STUDENT, LESSON + timedelta(minutes=5))).reason
        == "permission"
    )
    assert (
        not service[SchoolTimeService]
        .judge(post(OTHER_STUDENT, LESSON + timedelta(minutes=5)))
        .allowed
    )
    assert (
        not service[SchoolTimeService].judge(post(STUDENT, LESSON + timedelta(minutes=20))).allowed
    )  # expired

    role_grant = await service[SchoolTimeService].grant_permission(
        TEACHER, "role", 11, "Leerling", LESSON
    )
    assert not isinstance(role_grant, Refusal)
    assert (
        service[SchoolTimeService]
        .judge(post(OTHER_STUDENT, LESSON + timedelta(minutes=49)))
        .allowed
    )
    revoked = await service[SchoolTimeService].revoke_permission(
        TEACHER, role_grant.id, LESSON + timedelta(minutes=1)
    )
    assert not isinstance(revoked, Refusal)
    assert (
        not service[SchoolTimeService]
        .judge(post(OTHER_STUDENT, LESSON + timedelta(minutes=2)))
        .allowed
    )

    channel_grant = await service[SchoolTimeService].grant_permission(
        TEACHER, "channel", ALGEMEEN.id, "#algemeen", LESSON
    )
    assert not isinstance(channel_grant, Refusal)
    thread = ChannelInfo(301, "draadje", parent=ALGEMEEN)
    assert (
        service[SchoolTimeService]
        .judge(post(OTHER_STUDENT, LESSON + timedelta(minutes=3), thread))
        .allowed
    )

    listed = service[SchoolTimeService].list_permissions(TEACHER, LESSON + timedelta(minutes=2))
    assert not isinstance(listed, Refusal)
    assert {g.scope for g in listed} == {"member", "channel"}
    actions = [e.action for e in await service.db.audit_entries()]
    assert actions.count("permission.grant") == 3 and actions.count("permission.revoke") == 1


async def test_grant_never_runs_past_the_end_of_the_school_day(service: App) -> None:
    late = LESSON.replace(hour=15, minute=40)
    grant = await service[SchoolTimeService].grant_permission(
        TEACHER, "member", STUDENT.id, "anna", late, 50
    )
    assert not isinstance(grant, Refusal)
    assert grant.ends_at.astimezone(AMS) == late.replace(hour=16, minute=0)
    evening = await service[SchoolTimeService].grant_permission(
        TEACHER, "member", 1, "anna", late.replace(hour=18)
    )
    assert isinstance(evening, Refusal)


async def test_grants_survive_a_restart(service: App) -> None:
    await service[SchoolTimeService].grant_permission(
        TEACHER, "member", STUDENT.id, "anna", LESSON, 30
    )
    restarted = await App.create(service.loaded)
    try:
        await restarted.reload_state(LESSON)
        assert (
            restarted[SchoolTimeService]
            .judge(post(STUDENT, LESSON + timedelta(minutes=10)))
            .allowed
        )
    finally:
        await restarted.close()


async def test_flagged_name_alerts_and_dms_and_approval_is_exact(service: App) -> None:
    now = LESSON
    seen = NamesSeen(STUDENT, now, username="anna", global_name="Anna", nick="C0mpass")
    outcome = await service[NameService].names_seen(seen)
    assert [f.field for f in outcome.flagged] == ["nick"]
    assert outcome.warning is not None and outcome.warning.clause.id == "aanwijzing-2"
    assert outcome.alert is not None and outcome.alert.rule == "aanwijzing-2"
    assert outcome.alert.matched == "C0mpass"

    refused = await service[NameService].approve_names(MODERATOR, STUDENT.id, ["C0mpass"], now)
    assert isinstance(refused, Refusal)
    approved = await service[NameService].approve_names(
        LEADER, STUDENT.id, ["anna", "Anna", "C0mpass"], now
    )
    assert not isinstance(approved, Refusal)
    assert (await service[NameService].names_seen(seen)).flagged == ()
    changed = NamesSeen(STUDENT, now, username="anna", global_name="Anna", nick="C0mpass 2")
    assert [f.field for f in (await service[NameService].names_seen(changed)).flagged] == ["nick"]


async def test_innocent_names_pass(service: App) -> None:
    seen = NamesSeen(STUDENT, LESSON, username="compassion_queen", global_name="Campus", nick=None)
    outcome = await service[NameService].names_seen(seen)
    assert outcome.flagged == () and outcome.alert is None


async def test_alert_actions_check_roles(service: App) -> None:
    outcome = await service[SchoolTimeService].message_posted(post(STUDENT, LESSON))
    assert outcome.alert is not None
    refused = await service.alerts.set_alert_status(STUDENT, outcome.alert.id, "resolved", LESSON)
    assert isinstance(refused, Refusal)
    done = await service.alerts.set_alert_status(MODERATOR, outcome.alert.id, "resolved", LESSON)
    assert not isinstance(done, Refusal)
    assert done.status == "resolved" and done.handled_by == MODERATOR.id
    listed = await service.alerts.open_alerts(MODERATOR)
    assert not isinstance(listed, Refusal) and (listed.alerts, listed.total) == ([], 0)
    # handled again (a second click, a second moderator), the same way or the other (session
    # 46: "onterecht" replaced the first moderator's name and time): refused in Dutch and
    # English, the first handling stays
    second_moderator = Member(6, "mod2", ((13, "Moderator"),))
    for status in ("resolved", "false_positive"):
        again = await service.alerts.set_alert_status(
            second_moderator, outcome.alert.id, status, LESSON + timedelta(minutes=5)
        )
        assert isinstance(again, Refusal), status
        assert again.message == (
            f"Melding {outcome.alert.id} is al afgehandeld; er verandert niets."
            f" / Alert {outcome.alert.id} is already resolved; nothing changes."
        )
    kept = await service.alerts.repo.alert(outcome.alert.id)
    assert kept is not None and kept.status == "resolved"
    assert kept.handled_by == MODERATOR.id and kept.handled_at == LESSON
    # the moderator who handled it may correct a wrong click (audited), not click it twice
    same = await service.alerts.set_alert_status(
        MODERATOR, outcome.alert.id, "resolved", LESSON + timedelta(minutes=6)
    )
    assert isinstance(same, Refusal)
    corrected = await service.alerts.set_alert_status(
        MODERATOR, outcome.alert.id, "false_positive", LESSON + timedelta(minutes=7)
    )
    assert not isinstance(corrected, Refusal) and corrected.status == "false_positive"
    assert corrected.handled_by == MODERATOR.id
    audit = await service.db.fetchall(
        "SELECT action FROM audit WHERE action LIKE ? ORDER BY id", ("alert.%",)
    )
    assert [r["action"] for r in audit][-2:] == ["alert.resolved", "alert.false_positive"]


async def test_burst_of_1000_flags_makes_one_alert_per_member_and_rule(
    service: App,
) -> None:
    for i in range(1000):
        member = STUDENT if i % 2 else OTHER_STUDENT
        await service[SchoolTimeService].message_posted(
            post(member, LESSON + timedelta(seconds=i * 0.06))
        )
    alerts = await service.alerts.repo.alerts()
    assert sorted(a.count for a in alerts) == [500, 500]
    assert len(await service.alerts.repo.pending_alerts(LESSON + timedelta(hours=1))) == 2


async def test_slowing_down_speaks_the_language_of_the_last_question(service: App) -> None:
    """A lone "???" or "ok" says little of its language: an English asker asking too fast is
    told "Slow down!" in English, not "Rustig aan!" (a new-user tester found it)."""
    t = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    questions = service[QuestionService]
    for i in range(5):
        questions.ask(QuestionAsked("can I use tiktok in class?", 7, t + timedelta(seconds=i)))
    slowed = questions.ask(QuestionAsked("???", 7, t + timedelta(seconds=6)))
    assert slowed.status == "rate_limited" and slowed.message.startswith("Slow down!")
    # "ok" is small talk, slowed in its own window: in the last question's language too
    for i in range(5):
        assert questions.ask(QuestionAsked("ok", 7, t + timedelta(seconds=i))).status != (
            "rate_limited"
        )
    slowed = questions.ask(QuestionAsked("ok", 7, t + timedelta(seconds=6)))
    assert slowed.status == "rate_limited" and slowed.message.startswith("Slow down!")
    # a "???" the matcher does not understand leaves the asker's language as it was
    for i in range(3):
        questions.ask(QuestionAsked("can I use tiktok in class?", 8, t + timedelta(seconds=i)))
    questions.ask(QuestionAsked("???", 8, t + timedelta(seconds=3)))
    questions.ask(QuestionAsked("???", 8, t + timedelta(seconds=4)))
    again = questions.ask(QuestionAsked("and instagram?", 8, t + timedelta(seconds=5)))
    assert again.status == "rate_limited" and again.message.startswith("Slow down!")
    # a clear question in the other language is told in its own
    dutch = questions.ask(
        QuestionAsked("mag ik in de pauze op insta?", 8, t + timedelta(seconds=6))
    )
    assert dutch.status == "rate_limited" and dutch.message.startswith("Rustig aan!")


async def test_questions_are_answered_rate_limited_and_unanswered_ones_stored(
    service: App,
) -> None:
    t = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    answer = service[QuestionService].ask(QuestionAsked("mag ik in de les op tiktok?", 1, t))
    assert answer.status == "answer" and answer.clause is not None
    assert answer.clause.id == "schooltijd"
    for i in range(4):
        service[QuestionService].ask(QuestionAsked("insta in de les?", 1, t + timedelta(seconds=i)))
    slowed = service[QuestionService].ask(
        QuestionAsked("insta in de les?", 1, t + timedelta(seconds=5))
    )
    assert slowed.status == "rate_limited" and "Rustig aan" in slowed.message
    assert service[QuestionService].ask(QuestionAsked("insta in de les?", 2, t)).status == "answer"
    assert (
        service[QuestionService].ask(QuestionAsked("x", 1, t + timedelta(seconds=31))).status
        != "rate_limited"
    )

    none = service[QuestionService].ask(
        QuestionAsked("wie heeft gisteren gewonnen, ajax of psv?", 9, t)
    )
    assert none.status == "none" and "mentor" in none.message
    await service[QuestionService].remember_question(
        none, "wie heeft gisteren gewonnen, ajax of psv?", t
    )
    stored = await service[QuestionService].unanswered(MODERATOR)
    assert not isinstance(stored, Refusal)
    assert [q.question for q in stored] == ["wie heeft gisteren gewonnen, ajax of psv?"]
    assert isinstance(await service[QuestionService].unanswered(STUDENT), Refusal)

    huge = service[QuestionService].ask(QuestionAsked("mag ik op tiktok in de les? " * 500, 10, t))
    assert huge.truncated
    assert service[QuestionService].ask(QuestionAsked("   ", 11, t)).status == "empty"


async def test_privacy_erase_and_purge(service: App) -> None:
    await service[SchoolTimeService].message_posted(
        post(STUDENT, LESSON - timedelta(days=40), text="oud")
    )
    await service[SchoolTimeService].message_posted(post(OTHER_STUDENT, LESSON, text="nieuw"))
    counts = await service[PrivacyService].purge_expired(LESSON)
    assert counts["alerts"] == 1
    refused = await service[PrivacyService].erase(STUDENT, OTHER_STUDENT.id, LESSON)
    assert isinstance(refused, Refusal)
    erased = await service[PrivacyService].erase(MODERATOR, OTHER_STUDENT.id, LESSON)
    assert not isinstance(erased, Refusal) and erased["alerts"] == 1
    assert {a.member_id for a in await service.alerts.repo.alerts()} == {STUDENT.id}


async def test_export_is_csv_of_the_period(service: App) -> None:
    await service[SchoolTimeService].message_posted(post(STUDENT, LESSON))
    csv_text = await service.alerts.export_alerts(
        MODERATOR, LESSON - timedelta(days=1), LESSON + timedelta(days=1)
    )
    assert isinstance(csv_text, str)
    lines = csv_text.strip().splitlines()
    assert (
        lines[0].startswith("id,rule,member_id")
        and len(lines) == 2
        and ",schooltijd,1," in lines[1]
    )
    empty = await service.alerts.export_alerts(
        MODERATOR, LESSON + timedelta(days=1), LESSON + timedelta(days=2)
    )
    assert isinstance(empty, str) and len(empty.strip().splitlines()) == 1


async def test_timetable_is_rebuilt_when_the_computed_years_run_out(
    service: App,
) -> None:
    from compass_bot.schedule import build_timetable

    service.calendar.timetable = build_timetable(
        service.config.schedule, service.loaded.base_dir, years=range(2026, 2027)
    )
    assert not service.calendar.refresh(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    assert service.calendar.refresh(datetime(2026, 12, 15, 12, 0, tzinfo=UTC))
    assert service.calendar.timetable.covers(datetime(2027, 1, 15, tzinfo=UTC).date())


async def test_the_slow_down_message_is_true_on_a_running_clock(
    service: App,
) -> None:
    """Five questions, then a slow-down that says when; once that time has passed on the
    service's clock, the next one is answered (the console's running clock: test_console)."""
    clock = service.clock
    clock.freeze(LESSON)  # exact instants; advance moves it
    for _ in range(5):
        assert (
            service[QuestionService].ask(QuestionAsked("insta in de les?", 1, clock.now())).status
            == "answer"
        )
    slowed = service[QuestionService].ask(QuestionAsked("insta in de les?", 1, clock.now()))
    assert slowed.status == "rate_limited"
    assert "over een halve minuut" in slowed.message
    assert slowed.retry_after is not None and slowed.retry_after <= timedelta(seconds=30)
    clock.advance(slowed.retry_after - timedelta(milliseconds=1))
    assert (
        service[QuestionService].ask(QuestionAsked("insta?", 1, clock.now())).status
        == "rate_limited"
    )
    clock.advance(timedelta(milliseconds=1))
    assert (
        service[QuestionService].ask(QuestionAsked("insta in de les?", 1, clock.now())).status
        == "answer"
    )


async def test_a_longer_rate_window_says_how_long_to_wait(tmp_path: Path) -> None:
    loaded = make_loaded(
        tmp_path, TEST_CONFIG + "questions:\n  rate_limit_count: 1\n  rate_limit_seconds: 150\n"
    )
    svc = await App.create(loaded)
    try:
        svc[QuestionService].ask(QuestionAsked("insta in de les?", 1, LESSON))
        slowed = svc[QuestionService].ask(
            QuestionAsked("insta in de les?", 1, LESSON + timedelta(seconds=10))
        )
        assert slowed.status == "rate_limited" and "halve minuut" not in slowed.message
        assert "over 3 minuten" in slowed.message  # 140 seconds, rounded up
    finally:
        await svc.close()


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (0, "0 minuten kan niet"),
        (-5, "-5 minuten kan niet"),
        ("0", "0 minuten kan niet"),
        ("-5", "-5 minuten kan niet"),
        ("1441", "1441 minuten kan niet"),
        ("abc", "“abc” is geen aantal minuten"),
        ("2.5", "“2.5” is geen aantal minuten"),
    ],
)
async def test_grants_refuse_a_duration_that_is_no_whole_number_of_minutes(
    service: App, minutes: int | str, words: str
) -> None:
    refused = await service[SchoolTimeService].grant_permission(
        TEACHER, "member", STUDENT.id, "anna", LESSON, minutes, "projectwerk"
    )
    assert isinstance(refused, Refusal) and words in refused.message
    assert await SchoolTimeRepo(service.db).active_grants(LESSON) == []


async def test_grant_minutes_typed_as_text_are_used(service: App) -> None:
    grant = await service[SchoolTimeService].grant_permission(
        TEACHER, "member", STUDENT.id, "anna", LESSON, " 20"
    )
    assert not isinstance(grant, Refusal)
    assert grant.ends_at - grant.starts_at == timedelta(minutes=20)


@pytest.mark.parametrize(("typed", "reason"), [("20min", None), (None, "20 min"), (None, "20")])
async def test_a_duration_with_a_unit_or_given_as_the_reason_is_the_duration(
    service: App, typed: str | None, reason: str | None
) -> None:
    """The Discord command's `reden` or the console's words: "20 min" is 20 minutes, not
    the default with "20 min" stored as the reason."""
    grant = await service[SchoolTimeService].grant_permission(
        TEACHER, "member", STUDENT.id, "anna", LESSON, typed, reason
    )
    assert not isinstance(grant, Refusal)
    assert grant.ends_at - grant.starts_at == timedelta(minutes=20)
    assert grant.reason is None


async def test_a_duration_as_the_reason_next_to_a_duration_is_refused(service: App) -> None:
    refused = await service[SchoolTimeService].grant_permission(
        TEACHER, "member", STUDENT.id, "anna", LESSON, 20, "30 min"
    )
    assert isinstance(refused, Refusal) and "De reden '30 min' is een duur" in refused.message
    assert await SchoolTimeRepo(service.db).active_grants(LESSON) == []


async def test_an_identical_grant_is_not_stored_twice(service: App) -> None:
    first = await service[SchoolTimeService].grant_permission(
        TEACHER, "role", 11, "Leerling", LESSON, 20
    )
    assert not isinstance(first, Refusal)
    again = await service[SchoolTimeService].grant_permission(
        TEACHER, "role", 11, "Leerling", LESSON + timedelta(minutes=5), 20
    )
    assert isinstance(again, Refusal)
    assert f"Leerling heeft al toestemming (#{first.id}) tot 10:35" in again.message
    other = await service[SchoolTimeService].grant_permission(
        TEACHER, "member", STUDENT.id, "anna", LESSON, 20
    )
    assert not isinstance(other, Refusal)  # another target is another grant
    later = await service[SchoolTimeService].grant_permission(
        TEACHER, "role", 11, "Leerling", LESSON + timedelta(minutes=25), 20
    )
    assert not isinstance(later, Refusal)  # the first one has ended
    assert len(await SchoolTimeRepo(service.db).active_grants(LESSON)) == 3


@pytest.mark.parametrize(
    ("who", "call", "words"),
    [
        (STUDENT, "unanswered", "Alleen moderatoren kunnen de onbeantwoorde vragen bekijken."),
        (STUDENT, "names", "Alleen moderatoren en de schoolleiding kunnen een naamcontrole doen."),
        (TEACHER, "export", "Alleen moderatoren en de schoolleiding kunnen meldingen exporteren."),
        (TEACHER, "open", "Alleen moderatoren en de schoolleiding kunnen de meldingen bekijken."),
        (STUDENT, "approved", "Alleen moderatoren en de schoolleiding kunnen de goedgekeurde"),
        (MODERATOR, "revoke_names", "Alleen de schoolleiding kan goedgekeurde namen intrekken."),
        (LEADER, "erase", "Alleen moderatoren kunnen de gegevens van een lid wissen."),
    ],
)
async def test_refusals_name_the_role_and_the_action(
    service: App, who: Member, call: str, words: str
) -> None:
    result: object
    if call == "unanswered":
        result = await service[QuestionService].unanswered(who)
    elif call == "names":
        result = service[NameService].may_check_names(who)
    elif call == "export":
        result = await service.alerts.export_alerts(who, LESSON, LESSON + timedelta(days=1))
    elif call == "open":
        result = await service.alerts.open_alerts(who)
    elif call == "approved":
        result = await service[NameService].approved_names(who)
    elif call == "revoke_names":
        result = await service[NameService].revoke_names(who, STUDENT.id, LESSON)
    else:
        result = await service[PrivacyService].erase(who, STUDENT.id, LESSON)
    assert isinstance(result, Refusal) and result.message.startswith(words)
    assert service[NameService].may_check_names(MODERATOR) is None


async def test_name_alert_reasons_read_as_words(service: App) -> None:
    from compass_bot.features.alerts.render import alert_as_text

    outcome = await service[NameService].names_seen(
        NamesSeen(STUDENT, LESSON, "anna", "C0mpass", "Kompass")
    )
    assert outcome.alert is not None and outcome.alert.detail is not None
    shown = alert_as_text(outcome.alert, AMS)
    assert "leetspeak" not in shown and "uncertain-variant" not in shown
    assert "weergavenaam: “C0mpass” (cijfers of tekens in plaats van letters)" in shown
    english = name_texts.reason_text(outcome.alert.detail, "en")
    assert "(digits or symbols for letters)" in english
    time_kind = alert_kinds()["schooltijd"]
    assert time_kind.reason_text("lesson_time", "nl") == time_texts.REASON_LABELS["lesson_time"]


async def test_reset_wipes_the_console_database_only(tmp_path: Path) -> None:
    from compass_bot.storage.db import Database

    loaded = make_loaded(tmp_path)
    real = await App.create(loaded)
    try:
        await real[SchoolTimeService].message_posted(post(STUDENT, LESSON))
        refused = await real.reset_console_state()
        assert isinstance(refused, Refusal) and await real.alerts.repo.count_alerts() == 1
    finally:
        await real.close()
    console = await App.create(loaded, db=await Database.open(loaded.console_database_path))
    try:
        await console[SchoolTimeService].message_posted(post(STUDENT, LESSON))
        await console[SchoolTimeService].grant_permission(
            TEACHER, "member", STUDENT.id, "anna", LESSON, 20
        )
        assert await console.reset_console_state() is None
        assert (
            await console.alerts.repo.count_alerts() == 0
            and console[SchoolTimeService].grants(LESSON) == []
        )
        again = await console[SchoolTimeService].message_posted(post(STUDENT, LESSON))
        assert again.alert is not None and again.alert.id == 1  # numbering starts again
    finally:
        await console.close()


def test_a_clause_that_refers_to_other_points_brings_them_along(service: App) -> None:
    """medewerkers-5 ("om tot bovenstaand punt 2 en 3 te kunnen komen") shows points 2 and 3
    of its own section; a clause that refers to nothing brings nothing."""
    book = service.book
    assert [c.id for c in referred_points(book["medewerkers-5"], book)] == [
        "medewerkers-2",
        "medewerkers-3",
    ]
    assert referred_points(book["schooltijd"], book) == ()
    answer = Answer(
        status="answer",
        language="nl",
        clause=book["medewerkers-5"],
        see_also=referred_points(book["medewerkers-5"], book),
    )
    labels = [label for label, _ in answer.extras()]
    assert labels == [
        f"Dit verwijst naar: {book['medewerkers-2'].title}",
        f"Dit verwijst naar: {book['medewerkers-3'].title}",
    ]
    assert answer.extras()[0][1] == book["medewerkers-2"].text  # verbatim


def test_a_refused_question_offers_what_the_protocol_says_nearby(service: App) -> None:
    book = service.book
    refused = Answer(status="none", language="en", related=(book["schooltijd"],))
    [(label, text)] = refused.extras()
    assert label == question_texts.NEARBY["en"] and book["schooltijd"].title_en in text
    answered = Answer(
        status="answer",
        language="en",
        clause=book["locatie"],
        related=(book["schooltijd"],),
        talk_to=("your mentor",),
    )
    assert [label for label, _ in answered.extras()] == [
        question_texts.SECOND_QUESTION["en"],
        question_texts.TALK_TO["en"],
    ]


async def test_other_peoples_data_is_masked_in_every_alert_excerpt(service: App) -> None:
    """A lesson-time post with a phone number raises a school-time alert: its excerpt keeps
    the post with the number masked (the personal-data feature redacts every excerpt)."""
    outcome = await service[SchoolTimeService].message_posted(
        post(STUDENT, LESSON, text="bel anna op 06-12345678 na school")
    )
    assert outcome.alert is not None and outcome.alert.excerpt is not None
    assert "12345678" not in outcome.alert.excerpt and "bel anna op" in outcome.alert.excerpt
    [stored] = await service.alerts.repo.alerts()
    assert "12345678" not in (stored.excerpt or "")


async def test_a_typed_in_password_is_masked_in_every_alert_excerpt(service: App) -> None:
    """Someone else's password in a lesson-time post: the alert keeps the post for the
    moderators, the password masked (the privacy feature redacts every excerpt), and the
    words around it as they were."""
    outcome = await service[SchoolTimeService].message_posted(
        post(STUDENT, LESSON, text="het wachtwoord van anna is Zomer2026 lol")
    )
    assert outcome.alert is not None and outcome.alert.excerpt is not None
    assert "Zomer2026" not in outcome.alert.excerpt
    assert "het wachtwoord van anna is \\[wachtwoord verborgen\\] lol" in outcome.alert.excerpt
    [stored] = await service.alerts.repo.alerts()
    assert "Zomer2026" not in (stored.excerpt or "")
    plain = "we hebben om 12:30 wiskunde in lokaal 2.14"  # no password named: unchanged
    assert service.kernel.redacted(plain) == plain
    # a post with other people's data: its own alert masks both
    data = await service[PersonalDataService].message_posted(
        post(STUDENT, LESSON, text="het wachtwoord van anna is Zomer2026, bel 0612345678")
    )
    assert data.alert is not None and data.alert.excerpt is not None
    assert "Zomer2026" not in data.alert.excerpt and "12345678" not in data.alert.excerpt


def test_a_refusal_names_the_topic_the_protocol_leaves_open(service: App) -> None:
    """Just beside the protocol: "what is the punishment" is refused, saying the protocol does
    not say what the punishment is, and offering what it does say nearby."""
    answer = service[QuestionService].ask(
        QuestionAsked("wat is de straf als ik in de les op snapchat zit?", 1, LESSON)
    )
    assert answer.status == "none" and answer.beside is not None
    [(label, nearby)] = answer.extras()
    assert label.startswith("Het protocol zegt niet wat de straf is")
    assert all(c.title in nearby for c in answer.related)
    english = service[QuestionService].ask(
        QuestionAsked("what is the punishment for using snapchat in class?", 2, LESSON)
    )
    assert english.status == "none"
    assert english.extras()[0][0].startswith("The protocol does not say what the punishment is")


async def test_a_grants_reason_is_shown_to_the_teacher_who_gave_it_not_to_colleagues(
    service: App,
) -> None:
    """The reason is free text, often about a student's home: the teacher who gave the grant
    sees it; another teacher sees that the grant runs, not why."""
    colleague = Member(6, "juf", ((12, "Docent"),))
    schooltime = service[SchoolTimeService]
    await schooltime.grant_permission(
        TEACHER, "member", STUDENT.id, "anna", LESSON, 20, "moeder bellen, ouders scheiden"
    )
    own = schooltime.list_permissions(TEACHER, LESSON + timedelta(minutes=1))
    other = schooltime.list_permissions(colleague, LESSON + timedelta(minutes=1))
    assert not isinstance(own, Refusal) and not isinstance(other, Refusal)
    assert [g.reason for g in own] == ["moeder bellen, ouders scheiden"]
    assert [(g.target_id, g.reason) for g in other] == [(STUDENT.id, None)]


async def test_a_stored_question_keeps_no_handle_mention_or_password(service: App) -> None:
    """An unanswered or unhelpful question is kept for weeks: who is meant and a typed-in
    password are masked like other people's data, and what the question asks stays."""
    t = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    questions = service[QuestionService]
    asked = (
        "@sanne.2009 en <@123456789012345678> weten mijn wachtwoord is Kaas123!, wat nu?",
        "mijn wachtwoord is gehackt, bel 06-12345678 of mail jan@example.nl",
    )
    for text in asked:
        none = questions.ask(QuestionAsked(text, 9, t))
        await questions.remember_question(dataclasses.replace(none, status="none"), text, t)
    await questions.vote("answer-1", 9, "password: letmein", "schooltijd", False, t)
    stored = await questions.unanswered(MODERATOR)
    assert not isinstance(stored, Refusal)
    kept = {q.question for q in stored}
    assert kept == {
        "[account verborgen] en [vermelding verborgen] weten mijn wachtwoord is "
        "[wachtwoord verborgen], wat nu?",
        "mijn wachtwoord is gehackt, bel [telefoonnummer verborgen] of mail "
        "[e-mailadres verborgen]",
        "password: [wachtwoord verborgen]",
    }
    await service.close()  # the WAL checkpointed into the file searched
    raw = service.loaded.database_path.read_bytes()
    assert b"[wachtwoord verborgen]" in raw  # the rows are in the file searched
    for secret in (b"sanne", b"Kaas123", b"12345678", b"jan@example", b"letmein"):
        assert secret not in raw


async def test_the_stored_questions_list_knows_how_many_it_leaves_out(service: App) -> None:
    t = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
    questions = service[QuestionService]
    for i in range(27):
        await questions.repo.record_question(f"vraag {i}", None, "unanswered", t)
    listed = await questions.unanswered(MODERATOR)
    assert not isinstance(listed, Refusal) and len(listed) == 25
    assert await questions.unanswered_total() == 27


async def test_a_name_fixed_while_another_stays_flagged_is_no_new_breach(service: App) -> None:
    """The open alert lists two flagged names; the member fixes one: the alert is not counted
    again (before, every change of the list counted as a repeat). A new bad name is."""
    names = service[NameService]
    both = NamesSeen(STUDENT, LESSON, username="anna", global_name="K0mpass fan", nick="Compass A")
    first = await names.names_seen(both)
    assert first.alert is not None and first.alert.count == 1
    fixed = NamesSeen(STUDENT, LESSON, username="anna", global_name="K0mpass fan", nick="Anna")
    assert (await names.names_seen(fixed)).flagged
    [alert] = await service.alerts.repo.alerts(status="open")
    assert alert.count == 1
    worse = NamesSeen(STUDENT, LESSON, username="anna", global_name="K0mpass fan", nick="C0MPASS")
    await names.names_seen(worse)
    [alert] = await service.alerts.repo.alerts(status="open")
    assert alert.count == 2
