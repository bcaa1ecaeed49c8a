"""The questions feature in the console: /vraag (/ask), /protocol, /nuttig, and questions
typed to the bot (a DM, a mention, the questions channel)."""

from __future__ import annotations

from compass_bot import texts as shared_texts
from compass_bot.console.app import Console
from compass_bot.features.base import CommandSpec, ConsoleHooks
from compass_bot.features.questions import texts
from compass_bot.features.questions.service import (
    Answer,
    QuestionAsked,
    QuestionService,
    clause_named,
)
from compass_bot.model import Refusal
from compass_bot.render import clause_as_text, clause_heading

LAST = "questions.last"  # the console's state key for the last question and its answer
ASKED = "questions.asked"  # how many answers were given: each answer's own key for its votes
# Replies that answer no question: the answer before them stays the one /nuttig rates (a
# "bedankt" or a refused question seconds after an answer once left nothing to rate).
KEEPS_LAST = frozenset({"rate_limited", "small_talk", "empty"})


def _service(console: Console) -> QuestionService:
    return console.app[QuestionService]


async def ask(console: Console, question: str, language: str = "nl") -> None:
    service = _service(console)
    answer = service.ask(QuestionAsked(question, console.me.member.id, console.now(), language))
    if answer.status not in KEEPS_LAST:
        asked = console.state.get(ASKED)
        number = asked + 1 if isinstance(asked, int) else 1
        console.state[ASKED] = number
        console.state[LAST] = (question, answer, f"console:{number}")  # the key votes are cast on
    await service.remember_question(answer, question, console.now())
    console.bot(render_answer(answer))


def render_answer(answer: Answer) -> str:
    lang = shared_texts.lang_of(answer.language)
    if answer.status == "answer" and answer.clause:
        text = clause_as_text(answer.clause, lang)
        if answer.truncated:
            text = texts.TRUNCATED_NOTE[lang] + "\n" + text
        for label, extra in answer.extras():
            colon = "" if label.endswith(":") else ":"  # a label may end in its own colon
            text += f"\n{label}{colon}\n  " + extra.replace("\n", "\n  ")
        return text + "\n" + texts.FEEDBACK_PROMPT[lang]
    if answer.status == "doubtful":
        options = "\n".join(f"  [{c.id}] {clause_heading(c, lang)}" for c in answer.suggestions)
        return f"{answer.message}\n{options}\n{texts.CHOOSE_RULE[lang]}"
    extras = "".join(
        f"\n{label}" + (f"\n  {extra}" if extra else "") for label, extra in answer.extras()
    )
    return answer.message + extras


async def cmd_vraag(console: Console, name: str, args: list[str], rest: str) -> None:
    await ask(console, rest, "en" if name == "ask" else "nl")  # /ask with nothing: English


async def cmd_protocol(console: Console, name: str, args: list[str], rest: str) -> None:
    sub = args[0].lower() if args else "lijst"
    if sub in ("lijst", "list"):
        for clause in console.app.book:
            console.say(f"  {clause.id:<15} {clause_heading(clause)}")
    elif sub in ("regel", "rule") and len(args) > 1:
        found = clause_named(console.app.book, " ".join(args[1:]))
        if found is None:
            console.say(texts.no_rule(" ".join(args[1:])))
        else:
            console.bot(clause_as_text(found))
    elif sub in ("onbeantwoord", "unanswered"):
        result = await _service(console).unanswered(console.me.member)
        if isinstance(result, Refusal):
            console.bot(result.message)
        elif not result:
            console.bot(texts.NOTHING_UNANSWERED)
        else:
            for q in result:
                answered = f" → {q.clause_id}" if q.clause_id else ""
                kind = texts.QUESTION_KINDS.get(q.kind, q.kind)
                console.say(f"  ({kind}) {q.question}{answered}")
            more = await _service(console).unanswered_total() - len(result)
            if more > 0:
                console.say(f"  {texts.more_questions(more)}")
    else:
        console.say("Gebruik: /protocol lijst | regel ID | onbeantwoord")


async def cmd_nuttig(console: Console, name: str, args: list[str], rest: str) -> None:
    vote = args[0].casefold() if len(args) == 1 else ""
    if vote not in ("ja", "nee", "yes", "no"):
        console.say("Gebruik: /nuttig ja of /nuttig nee")
        return
    last = console.state.get(LAST)
    if not isinstance(last, tuple) or last[1].status != "answer":
        console.say(texts.NOTHING_TO_RATE)
        return
    question, answer, key = last
    clause_id = answer.clause.id if answer.clause else None
    await _service(console).vote(
        key, console.me.member.id, question, clause_id, vote in ("ja", "yes"), console.now()
    )
    console.bot(texts.FEEDBACK_THANKS[shared_texts.lang_of(answer.language)])


def hooks() -> ConsoleHooks:
    return ConsoleHooks(
        commands=(
            CommandSpec(
                ("vraag", "ask"),
                "  /vraag VRAAG (of /ask)            een vraag over het protocol",
                cmd_vraag,
            ),
            CommandSpec(("protocol",), "  /protocol lijst | regel ID | onbeantwoord", cmd_protocol),
            CommandSpec(
                ("nuttig",),
                "  /nuttig ja|nee                    feedback op het laatste antwoord",
                cmd_nuttig,
            ),
        ),
        on_question=ask,
    )
