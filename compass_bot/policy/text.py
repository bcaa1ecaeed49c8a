"""Raw text read: folding, tokens, Discord noise, school-name handles, quotes, the language."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal

import simplemma

from compass_bot.policy.wordlists import CHAT_ABBREVIATIONS, EN_MARKERS, NAMES, NL_MARKERS

Language = Literal["nl", "en"]


_CONTRACTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\bm'n\b", "mijn"),
        (r"\bz'n\b", "zijn"),
        (r"\bd'r\b", "haar"),
        # English negations before Dutch 't: "doesn't" was "doesn het", "can't" "can het"
        (r"\bcan't\b", "can not"),
        (r"\bwon't\b", "will not"),
        (r"n't\b", " not"),
        (r"'t\b", " het"),
        (r"\bi'm\b", "i am"),
        (r"'re\b", " are"),
        (r"'ll\b", " will"),
        (r"'ve\b", " have"),
        (r"'d\b", " would"),
        (r"(\w)'s\b", r"\1s"),  # foto's -> fotos, school's -> schools
    )
)


_APOSTROPHES = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
        "ʼ": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
    }
)
_TOKEN = re.compile(r"[a-z0-9]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")
_CHUNK = re.compile(r"\S+")
_DISCORD_NOISE = re.compile(
    r"<a?:\w+:\d+>"  # custom emoji
    r"|<[@#][!&]?\d+>"  # user, role and channel mentions
    r"|<t:\d+(?::\w)?>"  # timestamps
    r"|https?://\S+"  # links
    r"|@(?:everyone|here)\b"
    r"|@(?![\w.]*c[o0]mp)[\w.]+",  # @someone (an @handle with the school name stays)
    re.IGNORECASE,
)
_COMPASS_IN_WORD = re.compile(r"c[o0]mp[a4@][s5$]{1,3}")
_NOT_A_HANDLE_RESIDUE = frozenset({"", "s", "es", "ion", "ions", "ie", "ionate", "en"})
_ALNUM = re.compile(r"[a-z0-9]+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_COMPOUND = re.compile(r"compass(?:-[a-z]+)+")
"""The school's name joined to a word by a hyphen, as Dutch writes a compound with a
name ("Compass-reis", "Compass-laptop", "Compass-leerling-wifi"): a thing of the school,
not an account name; handles glue with an underscore or a dot, never a hyphen."""


def fold(text: str) -> str:
    """Lower case without accents, with unified apostrophes and expanded contractions."""
    if text.isascii():
        plain = text.lower().replace("`", "'")
    else:
        folded = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
        decomposed = unicodedata.normalize("NFKD", folded)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if "'" in plain:
        for pattern, replacement in _CONTRACTIONS:
            plain = pattern.sub(replacement, plain)
    return plain


def tokenize(text: str) -> list[str]:
    """Folded tokens with chat abbreviations expanded."""
    out: list[str] = []
    for token in _TOKEN.findall(_REPEATS.sub(r"\1\1", fold(text).replace("'", ""))):
        expansion = CHAT_ABBREVIATIONS.get(token)
        if expansion is None:
            out.append(token)
        else:
            out.extend(expansion)
    return out


def detect_language(tokens: Iterable[str], *, keywords: bool = False) -> Language:
    """'en' when English function words outnumber Dutch ones, else 'nl' (the default).

    With `keywords` (a question), words without a function word of either language
    ("location sharing school?", "report social media bullying") are English when at
    least two more of them are known to simplemma's English dictionary alone than to its
    Dutch one alone: one English loanword ("social", "online", "fake") is everyday Dutch,
    and the names of apps and of the school (`NAMES`) belong to neither language.
    """
    words = tuple(tokens)
    nl = en = 0
    for token in words:
        if token in NL_MARKERS:
            nl += 1
        if token in EN_MARKERS:
            en += 1
    if keywords and not nl and not en:
        return "en" if sum(_english_only(t) for t in words if t not in NAMES) >= 2 else "nl"
    return "en" if en > nl else "nl"


@lru_cache(maxsize=16_384)
def _english_only(token: str) -> int:
    """1 for a word only the English dictionary knows, -1 for one only the Dutch one
    knows, 0 for a word of both or of neither."""
    return int(simplemma.is_known(token, lang="en")) - int(simplemma.is_known(token, lang="nl"))


def _is_handle(chunk: str) -> bool:
    word = chunk.strip("?!.,:;\"'()[]{}*~<>|")
    match = _COMPASS_IN_WORD.search(word)
    if match is None:
        return False
    if word.startswith(("@", "#")) or any(c in match.group() for c in "04@5$"):
        return True
    if _COMPOUND.fullmatch(word):
        return False
    residue = _NOT_ALNUM.sub("", word[: match.start()] + word[match.end() :])
    return residue not in _NOT_A_HANDLE_RESIDUE


def strip_discord(text: str) -> str:
    """Remove mentions, channel links, custom emoji, timestamps and URLs: not content."""
    return _DISCORD_NOISE.sub(" ", text)


_PASSAGE = re.compile(r"""(?:^|(?<=[\s(:]))(['"])(.{8,300}?)\1(?=$|[\s).,:;!?])""")


def quotes_in(text: str) -> tuple[str, ...]:
    """Passages between matching quotes, three words or more, as plain folded words."""
    found = []
    for match in _PASSAGE.finditer(fold(text)):
        words = _ALNUM.findall(match.group(2))
        if len(words) >= 3:
            found.append(" ".join(words))
    return tuple(found)


_QUOTED = re.compile(r"(?<![a-z0-9])(['\"])([^'\"]{1,40}?)\1(?![a-z0-9])")


def split_handles(text: str) -> tuple[str, bool]:
    """Remove words that glue the school name into a handle; report whether there were any.

    compass_memes, compasskids, c0mpass, @compass are handles (an account name that uses
    the school's name); compass, compass's and compassion are not. The parts of a handle
    are not read as words: "compass_official" says nothing about speaking officially. A
    quoted name with the school in it ("een account 'compass roddels'") is a handle too.
    """
    found = False
    folded = fold(text)
    if _COMPASS_IN_WORD.search(folded) is None:
        # no chunk of it can hold the name (the pattern needs no context): the words as
        # the loop below would keep them, without trying each
        return " ".join(folded.split()), False
    quoted_names = [  # a name is short: a longer quote is a passage ('keep ... in mind')
        m.group(0)
        for m in _QUOTED.finditer(folded)
        if _COMPASS_IN_WORD.search(m.group(2)) and len(m.group(2).split()) <= 3
    ]
    for name in quoted_names:  # 'compass roddels' as a name
        folded = folded.replace(name, " ")
        found = True
    kept: list[str] = []
    for chunk in folded.split():
        if _is_handle(chunk):
            found = True
            kept.append(" ")
        else:
            kept.append(chunk)
    return " ".join(kept), found


def handle_like(text: str) -> bool:
    """True when the school name is glued into a word, as in a username or handle."""
    return split_handles(text)[1]
