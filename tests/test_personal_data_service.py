"""The personal-data service on a real SQLite file: who and where the rule applies, masking
that never leaves part of a value, the second look, and the config section."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from compass_bot.app import App
from compass_bot.clock import Clock
from compass_bot.config import ConfigError, parse_config
from compass_bot.features.personal_data import texts
from compass_bot.features.personal_data.rules import Finding
from compass_bot.features.personal_data.service import (
    PersonalDataService,
    SecondLook,
    masked_text,
)
from compass_bot.features.questions.service import QuestionService
from compass_bot.features.schooltime.rules import ChannelInfo
from compass_bot.features.schooltime.service import SchoolTimeService
from compass_bot.model import Member, MessagePosted, Refusal
from tests.conftest import TEST_CONFIG, make_loaded

T0 = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
ANNA = Member(11, "anna", ((1, "Leerling"),))
JANSEN = Member(12, "jansen", ((2, "Docent"),))
ALGEMEEN = ChannelInfo(100, "algemeen", 9, "Sociaal")
MODS = ChannelInfo(101, "mod-meldingen")
AMS = ZoneInfo("Europe/Amsterdam")
LESSON = datetime(2026, 11, 24, 10, 15, tzinfo=AMS)  # a Tuesday
LUNCH = datetime(2026, 11, 24, 12, 20, tzinfo=AMS)
BRAM = Member(13, "bram", ((1, "Leerling"), (3, "Klas 1-2")))  # a year group lunching earlier
BY_ROLE = TEST_CONFIG.replace(
    '    default: {start: "12:15", end: "12:45"}\n',
    '    default: {start: "12:15", end: "12:45"}\n'
    '    by_role:\n      - {role: "Klas 1-2", start: "11:45", end: "12:15"}\n',
)
PLAIN_DRAFT = "hoi allemaal, wie gaat er mee naar de film?"


def post(text: str, member: Member = ANNA, channel: ChannelInfo = ALGEMEEN) -> MessagePosted:
    return MessagePosted(member, channel, T0, text, message_id=555, guild_id=1)


def test_overlapping_findings_are_masked_whole() -> None:
    text = "nummer 0612345678 en meer"
    spans = (Finding("phone", 7, 13), Finding("id-number", 10, 17))
    assert masked_text(text, spans) == "nummer [telefoonnummer verborgen] en meer"


async def test_staff_and_the_moderators_channel_are_exempt(service: App) -> None:
    pd = service[PersonalDataService]
    assert pd.screen(post("bel 06-12345678"))
    assert pd.screen(post("bel 06-12345678", member=JANSEN)) == ()
    assert pd.screen(post("bel 06-12345678", channel=MODS)) == ()
    thread = ChannelInfo(102, "draadje", parent=MODS)
    assert pd.screen(post("bel 06-12345678", channel=thread)) == ()


async def test_an_exempt_category_covers_its_channels(tmp_path: Path) -> None:
    loaded = make_loaded(tmp_path, TEST_CONFIG + "personal_data:\n  exempt_channels: [Sociaal]\n")
    app = await App.create(loaded)
    try:
        assert app[PersonalDataService].screen(post("bel 06-12345678")) == ()
    finally:
        await app.close()


async def test_the_alert_keeps_the_kinds_and_the_masked_excerpt_only(service: App) -> None:
    outcome = await service[PersonalDataService].message_posted(
        post("bel 06-12345678 of mail anna@gmail.com")
    )
    assert outcome.kinds == ("phone", "email") and outcome.alert is not None
    assert outcome.alert.detail == "phone,email"
    assert "12345678" not in (outcome.alert.excerpt or "")
    assert "gmail" not in (outcome.alert.excerpt or "")
    assert outcome.warning is not None
    assert "een telefoonnummer en een e-mailadres" in outcome.warning.intro
    assert outcome.alert.reason() == "bevat: telefoonnummer, e-mailadres"
    assert outcome.alert.reason("en") == "contains: phone number, e-mail address"


async def test_each_post_with_data_is_an_alert_of_its_own(service: App) -> None:
    """A second post with data within the repeat window is no repeat of the first: merged,
    the alert kept only the newest post's kinds, excerpt and link (a new-user tester found
    the phone number's post gone from the alert after an e-mail in the next)."""
    pd = service[PersonalDataService]
    phone = await pd.message_posted(
        MessagePosted(ANNA, ALGEMEEN, T0, "bel sanne op 06-12345678", message_id=1, guild_id=1)
    )
    mail = await pd.message_posted(
        MessagePosted(ANNA, ALGEMEEN, T0, "mijn mail is x.y@gmail.com", message_id=2, guild_id=1)
    )
    assert phone.alert is not None and mail.alert is not None
    assert phone.alert_created and mail.alert_created and phone.alert.id != mail.alert.id
    first = await service.kernel.alerts.repo.alert(phone.alert.id)
    assert first is not None and (first.detail, first.message_id) == ("phone", 1)
    assert (mail.alert.detail, mail.alert.message_id) == ("email", 2)


async def test_second_look_in_dutch_and_english_and_its_limits(service: App) -> None:
    pd = service[PersonalDataService]
    look = pd.second_look("bel 06-12345678", "en")
    assert isinstance(look, SecondLook)
    assert look.kinds == ("phone",) and "a phone number" in look.verdict
    assert look.masked == "bel [phone number hidden]" and look.clause.id == "aanwijzing-7"
    clean = pd.second_look("zin in het weekend")
    assert isinstance(clean, SecondLook) and clean.kinds == () and clean.masked == ""
    assert isinstance(pd.second_look("   "), Refusal)
    assert isinstance(pd.second_look("x" * 2001), Refusal)
    assert await service.db.fetchall("SELECT id FROM alerts") == []


@pytest.mark.parametrize(
    ("draft", "clause"),
    [
        ("Ik heb een account Compass_roddels gemaakt, volg me", "aanwijzing-2"),
        ("Wat een slechte school is dit, ik ga het op tiktok zetten", "aanwijzing-4"),
        ("Ik deel even mijn locatie zodat jullie me kunnen vinden", "locatie"),
    ],
)
async def test_second_look_lists_the_clauses_a_draft_touches(
    service: App, draft: str, clause: str
) -> None:
    for language in ("nl", "en"):
        look = service[PersonalDataService].second_look(draft, language)
        assert isinstance(look, SecondLook)
        assert [c.id for c in look.touches] == [clause]
        title = service.book[clause].title_en if language == "en" else service.book[clause].title
        assert look.touched_lines() == (f"{clause} · {title}",)  # id and title, not the text


@pytest.mark.parametrize(
    "draft",
    [
        PLAIN_DRAFT,  # refused by the matcher
        "zin in het weekend",  # doubtful: suggestions only, and a suggestion is a guess
        "bel 06-12345678 vanavond",
    ],
)
async def test_a_draft_the_matcher_is_not_sure_about_touches_no_clause(
    service: App, draft: str
) -> None:
    look = service[PersonalDataService].second_look(draft)
    assert isinstance(look, SecondLook) and look.touches == () and look.touched_lines() == ()
    assert service[QuestionService].matcher.match(draft).status != "answer"


async def test_one_matcher_per_kernel_built_on_first_use(service: App) -> None:
    assert service.kernel._matcher is None  # nobody asked yet: no index built at start
    service[PersonalDataService].second_look(PLAIN_DRAFT)
    shared = service.kernel.matcher
    assert service[QuestionService].matcher is shared
    service[PersonalDataService].second_look("zin in het weekend")
    assert service.kernel.matcher is shared


async def test_second_look_says_whether_posting_now_falls_in_lesson_time(
    tmp_path: Path,
) -> None:
    app = await App.create(make_loaded(tmp_path, BY_ROLE), clock=Clock(LESSON, frozen=True))
    try:
        pd = app[PersonalDataService]

        def timing(member: Member | None, language: str = "nl") -> tuple[str, bool]:
            look = pd.second_look(PLAIN_DRAFT, language, member)
            assert isinstance(look, SecondLook)
            return look.timing, look.timing_allowed

        assert timing(ANNA) == ("Nu is het lestijd: pas vanaf 12:15.", False)
        assert timing(BRAM) == ("Nu is het lestijd: pas vanaf 11:45.", False)
        assert timing(ANNA, "en") == ("It is lesson time now: not until 12:15.", False)
        assert timing(JANSEN) == (
            "Nu mag het. Medewerkers vallen niet onder de schooltijdregel.",
            True,
        )
        assert timing(None) == ("", True)  # no member, no lunch break to judge by
        app.clock.freeze(LUNCH)
        assert timing(ANNA) == ("Nu mag het. Het is nu middagpauze (tot 12:45).", True)
        assert timing(ANNA, "en") == ("Fine now: it is the lunch break (until 12:45).", True)
        assert timing(BRAM) == ("Nu is het lestijd: pas vanaf 16:00, na schooltijd.", False)
        assert timing(BRAM, "en") == (  # his break is over
            "It is lesson time now: not until 16:00, after school.",
            False,
        )
        at = datetime(2026, 11, 24, 16, 5, tzinfo=AMS)
        look = pd.second_look(PLAIN_DRAFT, "nl", ANNA, at)  # an explicit moment wins
        assert isinstance(look, SecondLook) and look.timing.startswith(
            "Nu mag het. Het is nu buiten schooltijd"
        )
        assert await app.db.fetchall("SELECT id FROM alerts") == []
    finally:
        await app.close()


async def test_second_look_counts_a_grant_for_the_member_not_one_for_a_channel(
    tmp_path: Path,
) -> None:
    app = await App.create(make_loaded(tmp_path), clock=Clock(LESSON, frozen=True))
    try:
        pd, school = app[PersonalDataService], app[SchoolTimeService]
        await school.grant_permission(JANSEN, "channel", ALGEMEEN.id, "#algemeen", LESSON, 30)
        look = pd.second_look(PLAIN_DRAFT, "nl", ANNA)
        assert isinstance(look, SecondLook) and not look.timing_allowed  # no channel named
        await school.grant_permission(JANSEN, "member", ANNA.id, "anna", LESSON, 30)
        look = pd.second_look(PLAIN_DRAFT, "nl", ANNA)
        assert isinstance(look, SecondLook) and look.timing_allowed
        assert look.timing == "Nu mag het. Je hebt toestemming van je docent tot 10:45."
        look = pd.second_look(PLAIN_DRAFT, "en", ANNA)
        assert isinstance(look, SecondLook)
        assert look.timing == "Fine now: your teacher has given you permission until 10:45."
    finally:
        await app.close()


async def test_an_english_second_look_tells_when_school_ends_inside_the_lunch_break(
    tmp_path: Path,
) -> None:
    """A Wednesday that ends at 12:30 inside the 12:15-12:45 break: the same end in English."""
    short = TEST_CONFIG.replace(
        "  timezone: Europe/Amsterdam\n",
        '  timezone: Europe/Amsterdam\n  hours:\n    default: {start: "08:30", end: "16:00"}\n'
        '    wednesday: {start: "08:30", end: "12:30"}\n',
    )
    wednesday = datetime(2026, 11, 25, 12, 20, tzinfo=AMS)
    app = await App.create(make_loaded(tmp_path, short), clock=Clock(wednesday, frozen=True))
    try:
        pd = app[PersonalDataService]
        said = {}
        for language in ("nl", "en"):
            look = pd.second_look(PLAIN_DRAFT, language, ANNA)
            assert isinstance(look, SecondLook)
            said[language] = look.timing
        assert said == {
            "nl": "Nu mag het. Het is nu middagpauze; om 12:30 is de school uit.",
            "en": "Fine now: it is the lunch break; school is out at 12:30.",
        }
    finally:
        await app.close()


@pytest.mark.parametrize(
    ("draft", "command", "language"),
    [
        ("hey guys who wants to play fortnite tonight", "nl", "en"),  # an English draft
        ("I share my location so you can find me", "nl", "en"),
        (PLAIN_DRAFT, "nl", "nl"),
        (PLAIN_DRAFT, "en", "en"),  # Dutch is the reading's default: /second-look stays
        ("lol", "en", "en"),
    ],
)
async def test_the_second_look_answers_an_english_draft_in_english(
    service: App, draft: str, command: str, language: str
) -> None:
    """As a question is answered: the draft's language, read by the matcher, not only the
    command's name (/tweedeblik with an English draft answered in Dutch)."""
    look = service[PersonalDataService].second_look(draft, command, ANNA, LUNCH)
    assert isinstance(look, SecondLook) and look.language == language
    english = language == "en"
    assert look.verdict == texts.SECOND_LOOK_CLEAN[language]
    assert look.timing.startswith("Fine now" if english else "Nu mag het")
    assert [line.split(" · ")[1] for line in look.touched_lines()] == [
        c.title_en if english else c.title for c in look.touches
    ]


def test_old_config_files_stay_valid_and_typos_are_refused() -> None:
    assert parse_config(TEST_CONFIG).personal_data.action == "warn"
    cfg = parse_config(TEST_CONFIG + "personal_data:\n  action: hide\n  allowed: 030-1234567\n")
    assert cfg.personal_data.action == "hide" and cfg.personal_data.allowed == ["030-1234567"]
    with pytest.raises(ConfigError, match=r"personal_data\.acton: unknown key"):
        parse_config(TEST_CONFIG + "personal_data:\n  acton: hide\n")
    with pytest.raises(ConfigError, match=r"personal_data\.action"):
        parse_config(TEST_CONFIG + "personal_data:\n  action: delete\n")


async def test_second_look_says_nothing_of_lesson_time_when_no_channel_is_watched(
    tmp_path: Path,
) -> None:
    """A school that watches no social channel has no lunch-break rule in force: the second
    look does not tell a student about one."""
    unwatched = TEST_CONFIG.replace(
        "  social_channels: [algemeen, memes]\n  social_categories: [Sociaal]\n",
        "  social_channels: []\n  social_categories: []\n",
    )
    assert unwatched != TEST_CONFIG
    app = await App.create(make_loaded(tmp_path, unwatched), clock=Clock(LESSON, frozen=True))
    try:
        look = app[PersonalDataService].second_look(PLAIN_DRAFT, "nl", ANNA)
        assert isinstance(look, SecondLook)
        assert (look.timing, look.timing_allowed) == ("", True)
    finally:
        await app.close()
