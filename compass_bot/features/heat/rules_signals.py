"""One post read into `PostSignals`: the lexicon's matches weighed into hostility, never the text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from compass_bot.features.heat.rules_fold import FOLD_TABLE, fold
from compass_bot.features.heat.rules_lexicon import (
    MOTHER,
    NEGATION,
    WORD_HOSTILE,
    WORD_LAUGH,
    WORD_PHRASE,
    WORD_UNSURE,
    WORD_YOU,
    Lexicon,
    shipped_lexicon,
)
from compass_bot.features.heat.rules_model import HeatModel, shipped_model

# Kinds whose match is itself about a person (an insult noun, a threat); curses ("kanker",
# "kut") are about a person only when the post addresses one.
_CURSE_KINDS: Final = frozenset({"curse", "swear", "negative"})
_OBJECTION: Final = "objection"
# A disease curse stays one after a negation: in "dat mag niet kankerlijer" the "niet" belongs
# to the sentence before it, and nobody writes "geen kankerlijer" kindly.
_UNNEGATED: Final = frozenset({"disease-insult"})
_MAX_REPEATS_PER_KIND: Final = 2
_UNAIMED_CURSE: Final = 0.3  # "kut toets": cursing at things
_UNAIMED_INSULT: Final = 0.7  # "wat een idioot" without je/jij or a reply
_MOTHER_HOSTILE: Final = 0.4  # "je moeder" next to other hostile wording
_LAUGH_IN_POST: Final = 0.7  # an insult with a laugh in the same post: probably a roast
_CAPS: Final = 1.15  # shouting makes hostile words harsher (and nothing else)
_MAX_WORDS: Final = 4
_MAX_WORD_CHARS: Final = 24

# A term right after a negation ("niet dom", "geen sukkel") is not an insult; a word that only
# ends like one ("jongen", folded "eigen") is no negation.
_NEGATED: Final = re.compile(r"(?<![a-z])" + NEGATION + r"[\s,]+$")
# A threat followed within two words by a negation ("ik deel je adres echt niet", "i'll post
# your address, never") is not one; "niet normaal" (folded "normal") is an
# intensifier and "niet dan?", "niet waar?" ask for agreement: no negation.
_THREAT: Final = "threat"
_NEGATED_AFTER: Final = re.compile(
    r"(?:[\s,.;:!?'\"()\-]+[a-z0-9]+)?[\s,.;:!?'\"()\-]+(?:niet|nie|noit|not|never)"
    r"(?![a-z0-9])(?![\s,]+(?:normal|dan|waar)(?![a-z0-9]))"
)


@dataclass(frozen=True, slots=True)
class PostSignals:
    """What the rule keeps of one post: scores and codes, never the text.

    `hostility` is the post's own score (0..1) as written; `insult` and `curse` are its two parts
    so that `assess` can re-weigh a curse when a reply or mention aims it at someone.
    """

    hostility: float = 0.0
    insult: float = 0.0
    curse: float = 0.0
    aimed: bool = False  # addresses a person in the text: je/jij/you, @name
    laugh: bool = False  # banter markers: haha, lol, xD, 😂, 💀 ...
    caps: bool = False  # written all in capitals
    objects: bool = False  # asks to stop or says it goes too far ("doe rustig", "dit is gemeen")
    # the objection is in words, not only a sad emoji (which is also plain sympathy: "oh nee 😢")
    protests: bool = False
    kinds: tuple[str, ...] = ()  # kinds of hostile wording found, in order
    words: tuple[str, ...] = ()  # the folded lexicon matches (a few, short), for reasons

    @property
    def hostile(self) -> bool:
        return self.hostility > 0.0


CALM: Final = PostSignals()


_LETTER: Final = re.compile("[a-z]")
_MENTION_IN_TEXT: Final = re.compile(r"<@!?[0-9]+>|(?<![a-z0-9])@[a-z0-9_]")


def _matches(folded: str, lexicon: Lexicon) -> Iterable[re.Match[str]]:
    """The lexicon's matches in the folded text, left to right, not overlapping."""
    end = 0
    buckets = lexicon.buckets
    for candidate in lexicon.gate.finditer(folded):
        start = candidate.start()
        if start < end:
            continue
        bucket = buckets.get(folded[start : start + 2]) or buckets.get(folded[start])
        if bucket is None:
            continue
        m = bucket.match(folded, start)
        if m is not None:
            end = m.end()
            yield m


def _combine(values: Iterable[float]) -> float:
    """Independent evidence: 1 - prod(1 - v), so two hits weigh more than one, never over 1."""
    rest = 1.0
    for value in values:
        rest *= 1.0 - value
    return 1.0 - rest


# The plain posts' signals, by (aimed, laugh, caps): built once, not per post.
_PLAIN: Final = {
    (aimed, laugh, caps): PostSignals(aimed=aimed, laugh=laugh, caps=caps)
    for aimed in (False, True)
    for laugh in (False, True)
    for caps in (False, True)
}


def signals_of(text: str, lexicon: Lexicon | None = None) -> PostSignals:
    """Read one post as the lexicon does (a plain post gets a shared, prebuilt reading)."""
    return _screened(text, lexicon)[0]


def read(
    text: str, lexicon: Lexicon | None = None, model: HeatModel | None = None
) -> tuple[PostSignals, float | None]:
    """Read one post: the lexicon's reading and the learned model's score of what it says
    (`model`: the shipped one unless given; `rules_model.OFF` for none: the score is None).
    The score travels beside the reading (`Post.said`), so a plain post's reading is shared,
    never copied."""
    signals, lowered = _screened(text, lexicon)
    model = shipped_model() if model is None else model
    if not model.enabled:
        return signals, None
    return signals, model.text_score(text, signals, lowered)


def _screened(
    text: str, lexicon: Lexicon | None = None
) -> tuple[PostSignals, str | list[str] | None]:
    """The post's lexical reading, and what the model's words can be read from without a
    second fold: the post's words (`_plain_words`) or its lower-cased folded text when folding
    has nothing more to do than collapse repeated letters (no disguise, no apostrophe), the full
    fold when the post was read in full (hostile posts), else None.

    Most posts contain no word any hostile pattern needs and no disguise. A post of plain words
    is screened word by word (`Lexicon.word_kinds`, one lookup per word); any other post by one
    search of the lower-cased text (`Lexicon.screen`) and at most one more pass (`marks`) for
    its banter and address markers; only the rest are folded and matched in full. The screen,
    the marks and `_plain_words` see every disguise (spaced letters, leet signs at letters)
    `fold` rewrites."""
    lexicon = lexicon or shipped_lexicon()
    lowered = text.lower()
    if lowered.isascii():
        words = _plain_words(lowered, lexicon.separators)
        if words is not None:
            kinds = lexicon.word_kinds(words)
            if WORD_HOSTILE in kinds:
                return _read(text, lexicon)
            if WORD_UNSURE not in kinds:
                laugh = WORD_LAUGH in kinds or (
                    WORD_PHRASE in kinds  # "ik ga dood": what follows "ik" says
                    and lexicon.laughs.search(" " + lowered) is not None
                )
                return _PLAIN[WORD_YOU in kinds, laugh, _caps(text)], words
    return _screened_by_regex(text, lexicon, lowered)


def _screened_by_regex(
    text: str, lexicon: Lexicon, lowered: str | None = None
) -> tuple[PostSignals, str | None]:
    """`_screened` for any post: the screen and the marks over the whole lower-cased text."""
    if lowered is None:
        lowered = text.lower()
    ascii_only = lowered.isascii()
    if not ascii_only:
        lowered = lowered.translate(FOLD_TABLE)
    padded = " " + lowered
    plain = None if "'" in lowered else lowered
    if lexicon.screen.search(padded) is None:
        laugh = not ascii_only and lexicon.emoji.search(lowered) is not None
        return _PLAIN[False, laugh, _caps(text)], plain
    aimed = laugh = False
    for mark in lexicon.marks.finditer(padded):
        kind = mark.lastgroup
        if kind == "hostile":
            break
        if kind == "laugh":
            laugh = True
        else:
            aimed = True
    else:
        if not laugh and not ascii_only:
            laugh = lexicon.emoji.search(lowered) is not None
        return _PLAIN[aimed, laugh, _caps(text)], plain
    return _read(text, lexicon)


_BANG_LETTER: Final = re.compile(r"![a-z]")
# "#" as an int: `bytes.__contains__` tries its argument as an int first, so a bytes needle
# costs a raised and cleared TypeError (six times the test itself) on every post
_HASH: Final = ord("#")


def _plain_words(lowered: str, separators: bytes) -> list[str] | None:
    """The words of a lower-cased ASCII post made of letters, spaces and plain punctuation
    (`separators`: a byte table, `Lexicon.separators`), as `[a-z]+` finds them; None when it
    has anything a disguise is made of: another sign, a digit, an apostrophe, "!" before a
    letter (leet: "k!nker"), or three single letters in a row ("k u t")."""
    spaced = lowered.encode().translate(separators)
    if _HASH in spaced:
        return None
    words = spaced.decode().split()
    if "!" in lowered and _BANG_LETTER.search(lowered):
        return None
    if 1 in map(len, words):
        run = 0
        for word in words:
            run = run + 1 if len(word) == 1 else 0
            if run == 3:
                return None
    return words


# A censored letter between letters ("k*nker", "f#ck", "tyf**s"): one or two stars or hashes.
_CENSORED: Final = re.compile(r"(?<=[a-z])[*#]{1,2}(?=[a-z])")
_VOWELS: Final = "aeiou"


def _read(text: str, lexicon: Lexicon | None = None) -> tuple[PostSignals, str | None]:
    """The full reading of one post and its folded text; a censored letter is read as each
    vowel in turn and the harshest reading counts (a writer hides the word, not the meaning;
    the folded text is then None: the model reads the post as written)."""
    lexicon = lexicon or shipped_lexicon()
    lowered = text.lower()
    if ("*" in lowered or "#" in lowered) and _CENSORED.search(lowered):
        readings = [_read_folded(text, fold(_CENSORED.sub(v, lowered)), lexicon) for v in _VOWELS]
        return max(readings, key=lambda signals: signals.hostility), None
    folded = fold(text)
    return _read_folded(text, folded, lexicon), folded


def _read_folded(text: str, folded: str, lexicon: Lexicon) -> PostSignals:
    """The lexicon's gated matches in the folded text (`text` only says whether it is caps)."""
    insults: list[float] = []
    curses: list[float] = []
    kinds: list[str] = []
    words: list[str] = []
    per_kind: dict[str, int] = {}
    aimed = laugh = mother = objects = protests = False
    for m in _matches(folded, lexicon):
        group = m.lastgroup
        if group == "allow" or group is None:
            continue
        if group == "laugh":
            laugh = True
            continue
        if group == "you":
            aimed = True
            continue
        term = lexicon.terms[group]
        start = m.start()
        if (
            start
            and term.kind not in _UNNEGATED
            and _NEGATED.search(folded, max(0, start - 7), start)
        ):
            continue
        if term.kind == _THREAT and _NEGATED_AFTER.match(folded, m.end()):
            continue
        if term.kind == _OBJECTION:
            objects = True
            protests = protests or _LETTER.search(m.group()) is not None
            continue
        aimed = aimed or term.aimed
        if term.kind == MOTHER:
            mother = True
            continue
        seen = per_kind.get(term.kind, 0)
        per_kind[term.kind] = seen + 1
        if seen >= _MAX_REPEATS_PER_KIND:
            continue
        (curses if term.kind in _CURSE_KINDS else insults).append(term.weight)
        if term.kind not in kinds:
            kinds.append(term.kind)
        if len(words) < _MAX_WORDS:
            words.append(m.group()[:_MAX_WORD_CHARS])
    if not laugh and not folded.isascii() and lexicon.emoji.search(folded):
        laugh = True
    if not aimed and "@" in folded and _MENTION_IN_TEXT.search(folded):
        aimed = True
    if mother:
        # "je moeder" alone is a classic joke; next to other hostile wording it is an insult.
        insults.append(_MOTHER_HOSTILE if (insults or curses) else lexicon.mother_weight)
        kinds.append(MOTHER)
    insult = _combine(insults)
    curse = _combine(curses)
    if not (insult or curse):
        return PostSignals(
            aimed=aimed, laugh=laugh, caps=_caps(text), objects=objects, protests=protests
        )
    caps = _caps(text)
    hostility = hostility_of(insult, curse, aimed, aimed, laugh, caps)
    return PostSignals(
        hostility=hostility,
        insult=insult,
        curse=curse,
        aimed=aimed,
        laugh=laugh,
        caps=caps,
        objects=objects,
        protests=protests,
        kinds=tuple(kinds),
        words=tuple(words),
    )


def _caps(text: str) -> bool:
    return len(text) >= 4 and text.isupper()


def hostility_of(
    insult: float, curse: float, aimed: bool, addressed: bool, laugh: bool, caps: bool
) -> float:
    """A post's hostility: insults count when aimed or addressed, curses mostly when aimed."""
    value = _combine(
        (
            insult * (1.0 if aimed or addressed else _UNAIMED_INSULT),
            curse * (1.0 if aimed else _UNAIMED_CURSE),
        )
    )
    if laugh:
        value *= _LAUGH_IN_POST
    if caps:
        value *= _CAPS
    return min(1.0, value)
