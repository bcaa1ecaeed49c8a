"""Other people's data (aanwijzing-6) and a private second look before posting (aanwijzing-7).

`screen` is the synchronous, in-memory verdict every post gets (the pure rule, after the
cheap exemptions); `message_posted` acts on a post with findings: a private warning that names
the kind of data only, one alert whose excerpt has the data masked, and whether to hide the
post. Nothing of the data is stored: the alert keeps the masked excerpt and the kind codes.
`second_look` judges a draft for its author alone and keeps nothing: the data in it, the
protocol clauses it touches (the kernel's question matcher, confident answers only) and whether
posting it now in a social channel would fall outside the lunch break (the kernel's
school-time seam, `Kernel.post_verdict`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Final

from compass_bot.features.alerts.model import Alert, sanitise_excerpt
from compass_bot.features.base import KeepsNoMentions
from compass_bot.features.personal_data import texts
from compass_bot.features.personal_data.rules import (
    CLAUSE_ID,
    Finding,
    Kind,
    PersonalDataRule,
    mask,
)
from compass_bot.model import MESSAGE_LIMIT, Member, MessagePosted, Refusal, Warning
from compass_bot.policy import Clause, Match
from compass_bot.refs import any_ref_matches

if TYPE_CHECKING:
    from compass_bot.app import Kernel

SECOND_LOOK_CLAUSE: Final = "aanwijzing-7"
MAX_DRAFT: Final = MESSAGE_LIMIT
# Posts already warned about, by message id (no text, no member): an edit that keeps the same
# kinds of data is not warned or alerted twice. Bounded, in memory only.
_REMEMBERED_POSTS: Final = 2048
_LEAD: Final = 60  # characters of a long post shown before its first masked data


@dataclass(frozen=True, slots=True)
class DataOutcome:
    """What to do about one post: nothing (no findings), or warn, alert and maybe hide."""

    findings: tuple[Finding, ...] = ()
    kinds: tuple[Kind, ...] = ()
    warning: Warning | None = None
    hide: bool = False
    masked: str = ""  # the post with every finding masked (for its author under `hide`)
    alert: Alert | None = None
    alert_created: bool = False


@dataclass(frozen=True, slots=True)
class SecondLook:
    """The private answer to a draft: what kinds of data it holds (masked), the clauses it
    touches, whether posting it now would fall in lesson time, and aanwijzing-7."""

    language: str
    kinds: tuple[Kind, ...]
    masked: str
    verdict: str  # one sentence: found (with the kinds) or clean
    clause: Clause  # aanwijzing-7, quoted verbatim
    data_clause: Clause | None  # aanwijzing-6 when data was found
    touches: tuple[Clause, ...] = ()  # the clauses the matcher is sure the draft is about
    timing: str = ""  # posting it now in a social channel; "" when no member or no rule
    timing_allowed: bool = True

    def touched_lines(self) -> tuple[str, ...]:
        """'aanwijzing-2 · Schoolnaam in accountnaam': id and title, not the text."""
        return tuple(
            f"{c.id} · {c.title_en if self.language == 'en' else c.title}" for c in self.touches
        )


def merged(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Overlapping spans joined, so masking can never leave the tail of a longer one."""
    out: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if out and f.start < out[-1].end:
            last = out[-1]
            out[-1] = Finding(last.kind, last.start, max(last.end, f.end))
        else:
            out.append(f)
    return tuple(out)


def kinds_of(findings: Iterable[Finding]) -> tuple[Kind, ...]:
    """Each kind once, in the order first found."""
    return tuple(dict.fromkeys(f.kind for f in findings))


def masked_text(text: str, findings: Iterable[Finding], language: str = "nl") -> str:
    return mask(text, merged(findings), english=language == "en")


class PersonalDataService(KeepsNoMentions):
    """The rule with the configured allow list; holds no member data."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.settings = kernel.config.personal_data
        self.rule = PersonalDataRule(self.settings.allowed)
        self._warned_posts: OrderedDict[int, frozenset[Kind]] = OrderedDict()
        kernel.redactors.append(self.redact)

    def redact(self, text: str) -> str:
        """Other people's data masked in any alert's excerpt, whichever rule raised it."""
        findings = self.rule.find(text)
        return masked_text(text, findings) if findings else text

    async def load(self, now: datetime) -> None:
        """Nothing to read: the feature stores nothing but the alerts (in the outbox)."""
        self._warned_posts.clear()

    # -- the verdict -------------------------------------------------------------------------

    def is_staff(self, member: Member) -> bool:
        """Teachers, moderators, leadership and the school-time staff roles are exempt."""
        return self.kernel.access.is_staff(member)

    def is_exempt_channel(self, event: MessagePosted) -> bool:
        """The configured exempt channels (or their category) and the moderators' channel;
        a thread follows its parent."""
        refs = list(self.settings.exempt_channels)
        if self.kernel.config.channels.moderators is not None:
            refs.append(self.kernel.config.channels.moderators)
        chain = [event.channel]
        while (parent := chain[-1].parent) is not None:
            chain.append(parent)
        for place in chain:
            if any_ref_matches(refs, place.id, place.name):
                return True
            if place.category_id is not None and any_ref_matches(
                refs, place.category_id, place.category_name or ""
            ):
                return True
        return False

    def screen(self, event: MessagePosted) -> tuple[Finding, ...]:
        """The findings in a post, or () when the rule does not apply to it. In memory."""
        findings = self.found(event.content)
        if not findings or not self.applies(event):
            return ()
        return findings

    def found(self, content: str) -> tuple[Finding, ...]:
        """The findings in a post's text, whoever posted it where (`screen`'s first step:
        its prefilter ends almost every post here, before its author or channel is read)."""
        return self.rule.find(content) if content else ()

    def applies(self, event: MessagePosted) -> bool:
        """Whether the rule applies to this post: not by staff, not in an exempt channel."""
        return not self.is_staff(event.member) and not self.is_exempt_channel(event)

    async def message_posted(
        self, event: MessagePosted, findings: tuple[Finding, ...] | None = None
    ) -> DataOutcome:
        """Act on a post (or an edit): warn its author privately, alert the moderators with a
        masked excerpt, and say whether to hide it. An edit that adds no new kind of data to a
        post already warned about does nothing again."""
        findings = self.screen(event) if findings is None else findings
        if not findings:
            return DataOutcome()
        kinds = kinds_of(findings)
        if event.message_id is not None:
            before = self._warned_posts.get(event.message_id, frozenset())
            if set(kinds) <= before:
                return DataOutcome(findings=findings, kinds=kinds)
            self._warned_posts[event.message_id] = before | set(kinds)
            self._warned_posts.move_to_end(event.message_id)
            while len(self._warned_posts) > _REMEMBERED_POSTS:
                self._warned_posts.popitem(last=False)
        masked = masked_text(event.content, findings)
        first = min(f.start for f in findings)  # the text before it is unchanged by the mask
        if first > _LEAD:  # a long post: the excerpt shows where the data was, not its start
            masked = "…" + masked[first - _LEAD :]
        masked = self.kernel.redacted(masked, done=self.redact)  # the others (a typed-in password)
        alert, created = await self.kernel.alerts.record(
            CLAUSE_ID,
            event.member,
            event.at,
            event.guild_id,
            channel_id=event.channel.id,
            message_id=event.message_id,
            excerpt=sanitise_excerpt(masked),
            detail=",".join(kinds),
            # each post its own alert: a repeat would keep only the newest post's kinds,
            # excerpt and jump link, so moderators could not find the earlier one
            per_message=event.message_id is not None,
        )
        return DataOutcome(
            findings=findings,
            kinds=kinds,
            warning=self._warning(event, kinds),
            hide=self.settings.action == "hide",
            masked=masked,
            alert=alert,
            alert_created=created,
        )

    def _warning(self, event: MessagePosted, kinds: tuple[Kind, ...]) -> Warning:
        """Dutch first, then English (the clause's own English text): the warning names the
        kinds of data only, never a value."""
        said = texts.kinds_sentence(kinds)
        said_en = texts.kinds_sentence(kinds, "en")
        clause = self.kernel.book[CLAUSE_ID]
        english = "\n".join(
            (
                texts.WARNING_EN.format(channel=event.channel.name, kinds=said_en),
                f"> {clause.text_en}",
                texts.WARNING_CLOSING_EN,
            )
        )
        return Warning(
            intro=texts.WARNING_INTRO.format(channel=event.channel.name, kinds=said),
            clause=clause,
            closing=texts.WARNING_CLOSING,
            fallback=texts.WARNING_FALLBACK.format(mention=f"<@{event.member.id}>", kinds=said),
            english=english,
            fallback_en=texts.WARNING_FALLBACK_EN.format(kinds=said_en),
        )

    # -- a second look at a draft (aanwijzing-7) ---------------------------------------------

    def second_look(
        self,
        draft: str,
        language: str = "nl",
        member: Member | None = None,
        at: datetime | None = None,
    ) -> SecondLook | Refusal:
        """A draft judged for its author only: nothing is stored, logged or alerted.

        `language` is the command's (/tweedeblik or /second-look, the client's); an English
        draft is answered in English whichever it was, read as the questions feature reads
        a question (the matcher's language). Dutch is that reading's default too ("lol"),
        so it does not overrule /second-look. `member` (their roles decide their lunch
        break) and `at` (default: the kernel's clock) give the line on posting it now in a
        social channel; without a member that line is left out."""
        lang = "en" if language == "en" else "nl"
        text = draft.strip()
        if not text:
            return Refusal(texts.SECOND_LOOK_EMPTY[lang])
        if len(text) > MAX_DRAFT:
            return Refusal(
                f"Je concept is {len(text)} tekens; een bericht heeft er hoogstens {MAX_DRAFT}."
                if lang == "nl"
                else f"Your draft is {len(text)} characters; a post has at most {MAX_DRAFT}."
            )
        match = self.kernel.matcher.match(text)
        if match.language == "en":
            lang = "en"
        findings = self.rule.find(text)
        kinds = kinds_of(findings)
        verdict = (
            texts.SECOND_LOOK_FOUND[lang].format(kinds=texts.kinds_sentence(kinds, lang))
            if kinds
            else texts.SECOND_LOOK_CLEAN[lang]
        )
        timing, allowed = "", True
        post_verdict = self.kernel.post_verdict
        now = (
            post_verdict(member, at or self.kernel.clock.now()) if member and post_verdict else None
        )
        if now is not None:
            allowed = now.allowed
            timing = texts.timing_sentence(
                now.allowed,
                now.reason,
                now.message,
                now.next_allowed_at,
                lang,
                now.after_school,
                now.until,
                now.until_school_out,
            )
        return SecondLook(
            language=lang,
            kinds=kinds,
            masked=masked_text(text, findings, lang) if kinds else "",
            verdict=verdict,
            clause=self.kernel.book[SECOND_LOOK_CLAUSE],
            data_clause=self.kernel.book[CLAUSE_ID] if kinds else None,
            touches=self.touched_clauses(match),
            timing=timing,
            timing_allowed=allowed,
        )

    def touched_clauses(self, match: Match) -> tuple[Clause, ...]:
        """The clauses the question matcher is confident a draft is about: its answer and the
        answers to further questions in it, at the threshold the questions feature answers
        at. A doubtful or refused match lists none: a guess would teach the wrong rule."""
        if match.status != "answer" or match.clause is None:
            return ()
        book = self.kernel.book
        ids = dict.fromkeys((match.clause, *match.related))
        return tuple(book[cid] for cid in ids if cid in book)

    # -- member data: none of its own ---------------------------------------------------------

    async def erase_member(self, member_id: int) -> Mapping[str, int]:
        """Nothing stored besides the alerts, which the alerts feature erases."""
        return {}

    async def purge(self, before: datetime) -> Mapping[str, int]:
        return {}

    def forget(self, member_id: int) -> None:
        """The posts remembered in memory are ids only, with no member."""
