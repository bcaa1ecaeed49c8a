"""The command line's rendering of a match: what is said beside a refusal or an answer."""

from __future__ import annotations

from compass_bot.features.questions import texts as question_texts
from compass_bot.features.questions.render import answer_as_text
from compass_bot.policy import Match, load_clauses

BOOK = load_clauses()


def test_a_refusal_names_what_the_protocol_says_nearby() -> None:
    match = Match("q", None, 30.0, (), "none", "nl", related=("schooltijd",))
    shown = answer_as_text(BOOK, match)
    assert shown.startswith(question_texts.NO_MATCH["nl"])
    assert question_texts.NEARBY["nl"] in shown
    assert BOOK["schooltijd"].title in shown


def test_a_plain_refusal_stays_plain() -> None:
    assert (
        answer_as_text(BOOK, Match("q", None, 5.0, (), "none", "en"))
        == question_texts.NO_MATCH["en"]
    )


def test_an_answer_offers_the_second_question_in_the_askers_language() -> None:
    match = Match("q", "schooltijd", 80.0, (), "answer", "en", related=("aanwijzing-6",))
    shown = answer_as_text(BOOK, match)
    assert BOOK["schooltijd"].title_en in shown
    assert shown.index(question_texts.SECOND_QUESTION["en"]) > shown.index(
        BOOK["schooltijd"].title_en
    )
    assert BOOK["aanwijzing-6"].title_en in shown


def test_an_english_answer_names_its_clause_without_the_dutch_section() -> None:
    shown = answer_as_text(BOOK, Match("q", "schooltijd", 80.0, (), "answer", "en"))
    heading = shown.splitlines()[0]
    assert heading == f"{BOOK['schooltijd'].title_en} (schooltijd)"
    assert BOOK["schooltijd"].text in " ".join(shown.split())  # verbatim, wrapped at 88


def test_an_english_refusal_names_the_nearby_topic_without_the_dutch_section() -> None:
    match = Match("q", None, 30.0, (), "none", "en", related=("aanwijzing-9",))
    shown = answer_as_text(BOOK, match)
    assert f"{BOOK['aanwijzing-9'].title_en} (aanwijzing-9)" in shown
    assert BOOK["aanwijzing-9"].section not in shown


def test_a_dutch_answer_keeps_its_section_and_number() -> None:
    shown = answer_as_text(BOOK, Match("q", "aanwijzing-9", 80.0, (), "answer", "nl"))
    clause = BOOK["aanwijzing-9"]
    assert shown.splitlines()[0] == f"{clause.title} ({clause.section} 9; aanwijzing-9)"
