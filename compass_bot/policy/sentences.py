"""How a message divides: the letter's addressee, the sentence that asks, the questions.

A message is rarely one plain question. A parent's letter opens with whom it is written
to, a story sets the scene before the sentence that asks, and chat puts two questions in
one message. The normaliser drops the addressee and marks the asking sentence
(normalise.py); the matcher answers each question of a message (matcher.py).
"""

from __future__ import annotations

import re

from compass_bot.policy.text import tokenize

_ADDRESSEE_WORD = (  # a role or title, or a capitalised name
    r"(?:(?i:heer|heren|meneer|mevrouw|mevr|mw|dhr|juf|juffrouw|meester|mentor|mentoren|docent"
    r"|docenten|leraar|leraren|lerares|directie|directeur|rector|conrector|schoolleiding|school"
    r"|team|teamleider|coordinator|coördinator|vertrouwenspersoon|bot|moderator|moderators|mods"
    r"|ouders|ouder|mama|papa|mam|pap|allen|iedereen|teacher|teachers|principal|head|staff|sir"
    r"|madam|mr|mrs|ms|miss|mom|mum|dad|all|everyone|parents|year)\.?|[A-ZÀ-Þ][\w'.-]*)"
)
_ADDRESSEE_JOIN = r"(?:\s*/\s*|\s+(?:(?i:of|en|or|and|&|van|de|der|den|ter|ten)\s+)*)"
_SALUTATION = re.compile(
    rf"^(\W*(?i:geachte|beste|lieve|dear)\s+){_ADDRESSEE_WORD}"
    rf"(?:{_ADDRESSEE_JOIN}{_ADDRESSEE_WORD}){{0,4}}(?=\s*[,:;\n])"
)
"""A letter's opening names whom it is written to ("Geachte mentor,", "Beste mevrouw De
Vries,"): the addressee is not the subject, so its words are dropped; only roles, titles
and names: "Beste app voor huiswerk, ..." (beste as "best") keeps its words."""


def without_addressee(text: str) -> str:
    """The text without the addressee of its opening ("Geachte mentor," -> "Geachte ,");
    before folding: a name is told by its capital letter."""
    return _SALUTATION.sub(r"\1", text)


_SENTENCE = re.compile(r"[^.!?]*(?:[.!?]+|$)")
_WORD = re.compile(r"\w+")


def asking_span(text: str, n_tokens: int | None = None) -> tuple[int, int]:
    """The tokens (from, to) of the sentence that asks, the last one with a question
    mark (else the last one), when a story comes before or after it; (0, 0) when the
    text is one sentence: then every concept is what is asked. `n_tokens`: the caller's
    count of the whole text's tokens, which the span's end is when it asks last."""
    sentences = [m for m in _SENTENCE.finditer(text) if _WORD.search(m.group())]
    if len(sentences) < 2:
        return 0, 0
    asking = [m for m in sentences if "?" in m.group()] or sentences
    last = asking[-1]
    if n_tokens is not None and last.end() == len(text):
        return len(tokenize(text[: last.start()])), n_tokens
    return len(tokenize(text[: last.start()])), len(tokenize(text[: last.end()]))


_NEXT_QUESTION = (
    r"(?:daarnaast|bovendien|verder wil ik|verder vraag ik|ook:|nog een vraag|een andere vraag"
    r"|also,|also:|besides,|another question|one more thing|one more question)"
)
"""Words that open a second question told as a statement ("Daarnaast verneem ik graag
wanneer ...", "Also, I'd like to know ..."), which has no question mark of its own."""
_ASKS = (
    r"(?:(?:and|also|en|ook|btw|trouwens)\s+)?(?:how|what|when|where|who|why|which|do|does|did"
    r"|is|are|can|could|may|should|hoe|wat|wanneer|waar|waarom|wie|welke|weet|mag|mogen|kan"
    r"|kun|kunnen|moet|moeten|is|zijn|heeft|hebben)\b"
    r"|(?:en|of)\s+[a-z]+\s+(?:ik|je|jij|we|wij|u|ze|zij|hij)\b"
)
"""How a question opens in chat (a question word or the verb first, maybe after "also";
after "en" any verb: "en krijg ik dan ook ..."): after a question mark, such a part is a
question of its own even without "?"."""
_SECOND_ASK = (
    r"(?:en|and)\s+(?:mag|mogen|kan|kun|moet|is|zijn|can|may|should|is|do|does)\s+"
    r"(?:ik|je|jij|we|wij|het|dat|i|you|we|it|that)\b"
)
"""A second question joined to the first inside one sentence: "..., en mag ik ook ...?"."""
_OPENS_NEXT = re.compile(_NEXT_QUESTION, re.IGNORECASE)
_OPENS_ASKING = re.compile(_ASKS, re.IGNORECASE)
"""Compiled with the module, as every pattern here: a pattern compiled at its first use
(`re.match(_ASKS, ...)`) cost the first message with two questions 0.5 ms, and again
whenever the `re` module's cache of 512 patterns had let it go."""
_QUESTION_BREAK = re.compile(
    rf"(?<=\?)\s+|(?<=[.!])\s+(?={_NEXT_QUESTION})|(?<=,)\s+(?={_SECOND_ASK})", re.IGNORECASE
)


def questions_in(text: str) -> list[str]:
    """The separate questions of a message: the parts ending in a question mark, opened
    by a word that announces another question ("Daarnaast ..."), asking after a question
    mark without one of their own ("... Crew? also does anyone know ...") or joined by
    ", en mag ik ...", the rest joined to the last. One part when the message asks one question."""
    parts = [p.strip() for p in _QUESTION_BREAK.split(text) if p.strip()]
    if (
        len(parts) > 1
        and not parts[-1].endswith("?")
        and not _OPENS_NEXT.match(parts[-1])
        and not (parts[-2].endswith("?") and _OPENS_ASKING.match(parts[-1]))
    ):
        parts[-2:] = [f"{parts[-2]} {parts[-1]}"]
    return [p for p in parts if len(_WORD.findall(p)) >= 3] if len(parts) > 1 else parts


_BUILDS_ON = re.compile(
    r"(?:en\s+|and\s+)?(?:dan|dus|daarom|betekent\s+dat|so|then|does\s+that\s+mean|that\s+means)\b",
    re.IGNORECASE,
)
"""How a question opens that builds on the one before it: "Inchecken mag toch? Dan mag ik
ook ...": the first is a premise the asker takes for granted, the second what they ask."""


def leading_first(parts: list[str]) -> list[str]:
    """The questions of a message in the order they lead: a question that builds on the
    one before it ("Dan mag ik ...", "So can I ...") before the premises it builds on (all
    8 labelled messages like it expect the clause of the question that builds on them)."""
    follow = [i for i, part in enumerate(parts) if i and _BUILDS_ON.match(part)]
    if not follow:
        return parts
    return parts[follow[0] :] + parts[: follow[0]]
