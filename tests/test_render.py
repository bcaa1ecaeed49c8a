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
