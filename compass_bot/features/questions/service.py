"""Questions about the protocol: the answer (rate-limited per member), the questions the bot
could not answer and the thumbs under answers (text and clause only, never the asker)."""

from __future__ import annotations

import asyncio
import math
import re
from collections import defaultdict, deque
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final, Literal

from compass_bot import texts as shared_texts
from compass_bot.features.questions import texts
from compass_bot.features.questions.keeping import kept_question
from compass_bot.features.questions.repo import QuestionRepo, StoredQuestion
from compass_bot.features.questions.small_talk import SmallTalk, small_talk
from compass_bot.mentions import MentionOf, erase_mentions_in
from compass_bot.model import Member, Refusal
from compass_bot.policy import Clause, ClauseBook, Match, Matcher
from compass_bot.storage.db import to_db
from compass_bot.texts import for_count
from compass_bot.visible import show_controls

if TYPE_CHECKING:
    from compass_bot.app import Kernel


@dataclass(frozen=True, slots=True)
class QuestionAsked:
    text: str
    member_id: int
    at: datetime
    language: str = "nl"  # what the asker used when the text says nothing (/ask: English)


@dataclass(frozen=True, slots=True)
class Answer:
    """What to say to a question. `status` mirrors the matcher, plus the service's own."""

    status: Literal["answer", "doubtful", "none", "empty", "rate_limited", "small_talk"]
    language: str
    clause: Clause | None = None
    suggestions: tuple[Clause, ...] = ()
    match: Match | None = None
    truncated: bool = False
    retry_after: timedelta | None = None  # rate_limited: when the next question is welcome
    related: tuple[Clause, ...] = ()  # answered: the second question; refused: what lies nearby
    see_also: tuple[Clause, ...] = ()  # the points the answering clause itself refers to
    talk_to: tuple[str, ...] = ()  # the people to talk to (from the config), in the language
    beside: tuple[str, str] | None = None  # refused: the topic the protocol leaves open (nl, en)
    small_talk: SmallTalk | None = None  # a greeting, thanks or "help": its own reply

    def extras(self) -> tuple[tuple[str, str], ...]:
        """The parts beside the clause, (label, text), in the asker's language: what the
        clause refers to, the other question (or, refused, what the protocol says nearby),
        and the people to talk to."""
        lang = shared_texts.lang_of(self.language)
        see_also = tuple(
            (c.title_en if lang == "en" else c.title, c.text_en if lang == "en" else c.text)
            for c in self.see_also
        )
        related = tuple(c.title_en if lang == "en" else c.title for c in self.related)
        if self.status != "answer" and (related or self.beside):
            topic = self.beside[1 if lang == "en" else 0] if self.beside else ""
            label = texts.NOT_SAID[lang].format(topic=topic) if topic else texts.NEARBY[lang]
            if not related:
                return ((label, ""),)
            nearby = texts.NEARBY_AFTER_NOT_SAID[lang] if topic else ""
            return ((f"{label}{nearby}", "\n".join(f"• {r}" for r in related)),)
        return texts.answer_extras(lang, see_also, related, self.talk_to)

    @property
    def message(self) -> str:
        """The service's own words for the non-answer states (in the asker's language)."""
        if self.small_talk is not None:
            return self.small_talk.reply()
        lang = shared_texts.lang_of(self.language)
        wait = self.retry_after
        if self.status == "rate_limited" and wait is not None and wait > timedelta(seconds=30):
            # "over een halve minuut" would not be true: say how long
            minutes = math.ceil(wait / timedelta(minutes=1))
            return for_count(texts.SLOW_DOWN_MINUTES[lang], minutes).format(minutes=minutes)
        return {
            "doubtful": texts.DOUBTFUL,
            "none": texts.NO_MATCH,
            "empty": texts.EMPTY_QUESTION,
            "rate_limited": texts.SLOW_DOWN,
        }.get(self.status, {}).get(lang, "")


@dataclass
class _RateWindow:
    times: deque[datetime] = field(default_factory=deque)
    # A greeting or thanks is no question, so it does not use up the questions allowed; it
    # has a window of its own (the same size), so a flood of "hoi" is still slowed.
    small_talk: deque[datetime] = field(default_factory=deque)
    language: str = "nl"  # of the member's last question: "Slow down!" to an English asker


# The clauses that send a member to a person: when in doubt, talk to someone (aanwijzing-7);
# complaints and reports of misuse go by the school's rules (aanwijzing-9), which start with
# the mentor and the vertrouwenspersoon.
TALK_TO_CLAUSES: Final = frozenset({"aanwijzing-7", "aanwijzing-9"})
VOTES_KEPT: Final = 5000  # (answer, member) votes remembered, so a changed vote replaces its row
_POINTS = re.compile(r"\bpunt(?:en)?\s+(\d+)((?:\s*(?:,|en)\s*\d+)*)", re.IGNORECASE)


_CLAUSE_ID_SHAPE: Final = re.compile(r"[^\W\d_]+[- ]?\d+")


def clause_named(book: ClauseBook, text: str) -> Clause | None:
    """/protocol regel: a clause by its id, else by its title (typos allowed); never a
    clause for an id that is not in the protocol ("aanwijzing-10" is not aanwijzing-1)."""
    text = text.strip()
    found = book.get(text) or book.get(re.sub(r"\s+", "-", text.lower()))  # "Aanwijzing 5"
    if found is not None or _CLAUSE_ID_SHAPE.fullmatch(text):
        return found
    return next(iter(book.search_titles(text, 1)), None)


def referred_points(clause: Clause, book: ClauseBook) -> tuple[Clause, ...]:
    """The points of its own section a clause refers to ("om tot bovenstaand punt 2 en 3 te
    kunnen komen"), so an answer quoting it also shows what it refers to."""
    found: list[Clause] = []
    for m in _POINTS.finditer(clause.text):
        numbers = [int(m.group(1)), *(int(n) for n in re.findall(r"\d+", m.group(2)))]
        for number in numbers:
            other = next(
                (c for c in book if c.section == clause.section and c.number == number), None
            )
            if other is not None and other is not clause and other not in found:
                found.append(other)
    return tuple(found)


STORED_KINDS: Final = ("unanswered", "unhelpful")  # what moderators read back


class QuestionService:
    """`ask` is synchronous and in memory; only what the bot could not answer is stored."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.repo = QuestionRepo(kernel.db)
        self._asked: dict[int, _RateWindow] = defaultdict(_RateWindow)
        # (answer, member) -> (the vote's row, helpful), oldest first
        self._votes: dict[tuple[str, int], tuple[int, bool]] = {}
        self._voting = asyncio.Lock()

    @property
    def matcher(self) -> Matcher:
        """The kernel's matcher: one index per bot, shared with the second look at a draft."""
        return self.kernel.matcher

    async def load(self, now: datetime) -> None:
        """A fresh start (also the console's /reset) forgets the rate windows and votes."""
        self._asked.clear()
        self._votes.clear()

    def ask(self, event: QuestionAsked) -> Answer:
        """Answer a question about the protocol (rate-limited per member)."""
        text = event.text.strip()
        limit = self.kernel.config.questions
        asked = self._asked[event.member_id]
        talk = small_talk(text) if text else None
        window = asked.times if talk is None else asked.small_talk
        horizon = event.at - timedelta(seconds=limit.rate_limit_seconds)
        while window and window[0] <= horizon:
            window.popleft()
        if len(window) >= limit.rate_limit_count:
            # a question says its language; "ok" or "bye" says little: the last question's does
            if talk is not None:
                language = talk.language or asked.language
            else:
                seen = self.matcher.match(text[:200])
                language = seen.language if seen.status != "none" else asked.language
            return Answer(status="rate_limited", language=language, retry_after=window[0] - horizon)
        window.append(event.at)
        if not text:
            return Answer(status="empty", language=event.language)
        if talk is not None:  # not a question: never stored
            asked.language = talk.language or asked.language
            return Answer("small_talk", talk.language or asked.language, small_talk=talk)
        truncated = len(text) > limit.max_length
        match = self.matcher.match(text[: limit.max_length])
        if match.status != "none":  # understood, so its language is known ("ok" is not)
            asked.language = match.language
        related = tuple(self.kernel.book[c] for c in match.related if c in self.kernel.book)
        if match.status == "answer" and match.clause:
            clause = self.kernel.book[match.clause]
            return Answer(
                status="answer",
                language=match.language,
                clause=clause,
                match=match,
                truncated=truncated,
                related=related,
                see_also=referred_points(clause, self.kernel.book),
                talk_to=self.contacts(match.language) if clause.id in TALK_TO_CLAUSES else (),
            )
        suggestions = tuple(self.kernel.book[c] for c in match.alternatives[:3])
        status: Literal["doubtful", "none"] = (
            "doubtful" if match.status == "doubtful" and suggestions else "none"
        )
        return Answer(
            status=status,
            language=match.language,
            suggestions=suggestions,
            match=match,
            truncated=truncated,
            related=related if status == "none" else (),
            beside=self.kernel.book.beside_topics.get(match.beside or "")
            if status == "none"
            else None,
        )

    def contacts(self, language: str) -> tuple[str, ...]:
        """Who a student can talk to, as the school configured it, in the asker's language."""
        settings = self.kernel.config.questions
        return tuple(settings.contacts_en if language == "en" else settings.contacts)

    def shown(self, question: str) -> str:
        """The question as its public answer may show it: other people's data masked, as in
        an alert (the post itself may be hidden for that data), and who is meant and a typed-in
        password as a stored question has them (a slash command's text was private)."""
        return kept_question(self.kernel.redacted(question.strip()))

    def kept(self, question: str) -> str:
        """A question as the store keeps it: other people's data masked (as in an alert),
        and mentions, @handles and typed-in passwords too (`keeping.kept_question`)."""
        return kept_question(self.kernel.redacted(question))[:1000]

    async def remember_question(self, answer: Answer, question: str, at: datetime) -> None:
        """Store a question the bot could not answer (text and clause only, not the asker;
        masked as `kept` says).

        Best effort: with the database failing the question is not kept (the asker still
        got the answer), and the failure is announced like a failed flag."""
        if answer.status not in ("none", "doubtful"):
            return

        async def store() -> None:
            text = self.kept(question)
            await self.repo.record_question(text, None, "unanswered", at)

        await self.kernel.alerts.best_effort(store)

    async def vote(
        self,
        answer_key: str,
        member_id: int,
        question: str,
        clause_id: str | None,
        helpful: bool,
        at: datetime,
    ) -> None:
        """A thumbs up or down under an answer (`answer_key` names that answer, e.g. its
        message). One vote per member per answer, the latest counting: a changed vote
        replaces the earlier one, so a member changing their mind is counted once. Only an
        unhelpful vote keeps the question text. Who voted is never stored: the (answer,
        member) pairs live in memory only, and a restart forgets them, which is harmless."""
        kind = "helpful" if helpful else "unhelpful"
        text = "" if helpful else self.kept(question)
        key = (answer_key, member_id)
        async with self._voting:  # two quick clicks: the second sees the first's row
            earlier = self._votes.pop(key, None)
            if earlier is not None and earlier[1] == helpful:
                self._votes[key] = earlier  # the same vote again: counted once
                return
            if earlier is not None and await self.repo.replace_kind(earlier[0], text, kind):
                self._votes[key] = (earlier[0], helpful)
                return
            row = await self.repo.record_question(text, clause_id, kind, at)
            self._votes[key] = (row, helpful)
            while len(self._votes) > VOTES_KEPT:
                del self._votes[next(iter(self._votes))]

    async def unanswered(self, actor: Member, limit: int = 25) -> list[StoredQuestion] | Refusal:
        if (refused := self.kernel.access.refusal(actor, "unanswered")) is not None:
            return refused
        stored = await self.repo.questions(STORED_KINDS, limit)
        # Staff read these: controls that would reorder the text are shown, not obeyed.
        return [replace(q, question=show_controls(q.question)) for q in stored]

    async def unanswered_total(self) -> int:
        """How many `unanswered` could list without its limit (a list cut short says so)."""
        return await self.repo.count(STORED_KINDS)

    # -- member data -----------------------------------------------------------------------

    async def erase_member(self, member_id: int) -> Mapping[str, int]:
        """Questions are stored without the asker: nothing to erase per member."""
        return {}

    async def erase_mentions(self, mention: MentionOf) -> Mapping[str, int]:
        """A stored question is kept with its mentions masked (`kept_question`); one stored
        before that may still name the member."""
        erased = await erase_mentions_in(
            self.kernel.db, "question_feedback", ("question",), mention
        )
        return {"question_mentions": erased.mentions}

    async def purge(self, before: datetime) -> Mapping[str, int]:
        cur = await self.kernel.db.execute(
            "DELETE FROM question_feedback WHERE asked_at < ?", (to_db(before),)
        )
        return {"questions": cur.rowcount}

    def forget(self, member_id: int) -> None:
        self._asked.pop(member_id, None)
        self._votes = {k: v for k, v in self._votes.items() if k[1] != member_id}
