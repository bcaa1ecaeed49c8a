"""Questions about the protocol: the answer (rate-limited per member), the questions the bot
could not answer and the thumbs under answers (text and clause only, never the asker)."""

from __future__ import annotations

import math
from collections import defaultdict, deque
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from compass_bot import texts as shared_texts
from compass_bot.features.questions import texts
from compass_bot.features.questions.repo import QuestionRepo, StoredQuestion
from compass_bot.model import Member, Refusal
from compass_bot.policy import Clause, Match, Matcher
from compass_bot.storage.db import to_db
from compass_bot.visible import show_controls

if TYPE_CHECKING:
    from compass_bot.app import Kernel


@dataclass(frozen=True, slots=True)
class QuestionAsked:
    text: str
    member_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class Answer:
    """What to say to a question. `status` mirrors the matcher, plus the service's own."""

    status: Literal["answer", "doubtful", "none", "empty", "rate_limited"]
    language: str
    clause: Clause | None = None
    suggestions: tuple[Clause, ...] = ()
    match: Match | None = None
    truncated: bool = False
    retry_after: timedelta | None = None  # rate_limited: when the next question is welcome

    @property
    def message(self) -> str:
        """The service's own words for the non-answer states (in the asker's language)."""
        lang = shared_texts.lang_of(self.language)
        wait = self.retry_after
        if self.status == "rate_limited" and wait is not None and wait > timedelta(seconds=30):
            # "over een halve minuut" would not be true: say how long
            minutes = math.ceil(wait / timedelta(minutes=1))
            return texts.SLOW_DOWN_MINUTES[lang].format(minutes=minutes)
        return {
            "doubtful": texts.DOUBTFUL,
            "none": texts.NO_MATCH,
            "empty": texts.EMPTY_QUESTION,
            "rate_limited": texts.SLOW_DOWN,
        }.get(self.status, {}).get(lang, "")


@dataclass
class _RateWindow:
    times: deque[datetime] = field(default_factory=deque)


class QuestionService:
    """`ask` is synchronous and in memory; only what the bot could not answer is stored."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.matcher = Matcher(kernel.book)
        self.repo = QuestionRepo(kernel.db)
        self._asked: dict[int, _RateWindow] = defaultdict(_RateWindow)

    async def load(self, now: datetime) -> None:
        """A fresh start (also the console's /reset) forgets the rate windows."""
        self._asked.clear()

    def ask(self, event: QuestionAsked) -> Answer:
        """Answer a question about the protocol (rate-limited per member)."""
        text = event.text.strip()
        limit = self.kernel.config.questions
        window = self._asked[event.member_id].times
        horizon = event.at - timedelta(seconds=limit.rate_limit_seconds)
        while window and window[0] <= horizon:
            window.popleft()
        if len(window) >= limit.rate_limit_count:
            return Answer(
                status="rate_limited",
                language=self.matcher.match(text[:200]).language,
                retry_after=window[0] - horizon,
            )
        window.append(event.at)
        if not text:
            return Answer(status="empty", language="nl")
        truncated = len(text) > limit.max_length
        match = self.matcher.match(text[: limit.max_length])
        if match.status == "answer" and match.clause:
            return Answer(
                status="answer",
                language=match.language,
                clause=self.kernel.book[match.clause],
                match=match,
                truncated=truncated,
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
        )

    async def remember_question(self, answer: Answer, question: str, at: datetime) -> None:
        """Store a question the bot could not answer (text and clause only, not the asker).

        Best effort: with the database failing the question is not kept (the asker still
        got the answer), and the failure is announced like a failed flag."""
        if answer.status in ("none", "doubtful"):
            await self.kernel.alerts.best_effort(
                lambda: self.repo.record_question(question[:1000], None, "unanswered", at)
            )

    async def feedback(
        self, question: str, clause_id: str | None, helpful: bool, at: datetime
    ) -> None:
        """A thumbs up or down under an answer; only unhelpful ones need the question text."""
        if helpful:
            await self.repo.record_question("", clause_id, "helpful", at)
        else:
            await self.repo.record_question(question[:1000], clause_id, "unhelpful", at)

    async def unanswered(self, actor: Member, limit: int = 25) -> list[StoredQuestion] | Refusal:
        if (refused := self.kernel.access.refusal(actor, "unanswered")) is not None:
            return refused
        stored = await self.repo.questions(("unanswered", "unhelpful"), limit)
        # Staff read these: controls that would reorder the text are shown, not obeyed.
        return [replace(q, question=show_controls(q.question)) for q in stored]

    # -- member data -----------------------------------------------------------------------

    async def erase_member(self, member_id: int) -> Mapping[str, int]:
        """Questions are stored without the asker: nothing to erase per member."""
        return {}

    async def purge(self, before: datetime) -> Mapping[str, int]:
        cur = await self.kernel.db.execute(
            "DELETE FROM question_feedback WHERE asked_at < ?", (to_db(before),)
        )
        return {"questions": cur.rowcount}

    def forget(self, member_id: int) -> None:
        self._asked.pop(member_id, None)
