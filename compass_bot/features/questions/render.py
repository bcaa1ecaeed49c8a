"""A match as the command line shows it (`ask`): the clause, or the non-answer with what the
protocol says nearby."""

from __future__ import annotations

from compass_bot import texts as shared_texts
from compass_bot.features.questions import texts
from compass_bot.features.questions.small_talk import small_talk
from compass_bot.policy import ClauseBook, Match
from compass_bot.render import clause_as_text, clause_heading


def answer_as_text(book: ClauseBook, match: Match) -> str:
    """How the command line shows a match to a person (a greeting or thanks: its reply)."""
    if (talk := small_talk(match.question)) is not None:
        return talk.reply()
    lang = shared_texts.lang_of(match.language)
    related = "\n".join(f"  - {clause_heading(book[c], lang)}" for c in match.related)
    if match.status == "answer" and match.clause:
        answer = clause_as_text(book[match.clause], lang)
        return f"{answer}\n{texts.SECOND_QUESTION[lang]}\n{related}" if related else answer
    if match.status == "doubtful" and match.alternatives:
        options = "\n".join(f"  - {clause_heading(book[c], lang)}" for c in match.alternatives[:3])
        return f"{texts.DOUBTFUL[lang]}\n{options}"
    if related:  # refused, but the protocol says something just beside the question
        return f"{texts.NO_MATCH[lang]}\n{texts.NEARBY[lang]}\n{related}"
    return texts.NO_MATCH[lang]
