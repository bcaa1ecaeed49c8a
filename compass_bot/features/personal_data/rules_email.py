"""E-mail addresses, plain and in the usual disguises ([at], (punt), ' at ... dot ')."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from compass_bot.features.personal_data.rules_kinds import (
    AT_WORD_NOT_LOCAL,
    EMAIL_PROVIDERS,
    EMAIL_TLDS,
)

_AT_FORMS = r"(?:\s?[\[({<]\s?(?:at|@|a|apenstaartje)\s?[\])}>]\s?|\s(?:at|AT|apenstaartje)\s|\s?[@\uff20]\s?)"
_DOT_FORMS = r"(?:\s?[\[({<]\s?(?:dot|punt|\.)\s?[\])}>]\s?|\s(?:dot|DOT|punt|PUNT)\s| \. |\.)"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
_AT: Final = re.compile(_AT_FORMS, re.IGNORECASE)
_AT_WORD: Final = re.compile(r"\s(?:at|apenstaartje)\s", re.IGNORECASE)
_DOMAIN: Final = re.compile(
    rf"{_LABEL}(?:{_DOT_FORMS}{_LABEL})*{_DOT_FORMS}(?P<tld>[A-Za-z]{{2,24}})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_LOCAL_REV: Final = re.compile(r"[\w+-](?:[\w.+-]{0,63}[\w+-])?")
# a word and a dot word right before a disguised address's local part ("sanne dot" in
# "sanne dot jansen at gmail dot com"): the address starts there
_LOCAL_DOT_BEFORE: Final = re.compile(
    r"[^\W_][\w+-]{0,63}(?: ?[\[({<] ?(?:dot|punt) ?[\])}>] ?| (?:dot|punt) )\Z", re.IGNORECASE
)
# the whitespace around a dot word ("naam at gmail dot com"): the Latin-1 kinds, so the gate
# below finds it in the one-byte view
_WHITESPACE: Final = " \t\n\r\f\v\xa0"
_DOT_WORD: Final = re.compile(rf"[{_WHITESPACE}](?:dot|punt)[{_WHITESPACE}]", re.IGNORECASE)
_LABEL_RE: Final = re.compile(r"[A-Za-z0-9-]+")
# the words a disguised address cannot do without: `word_at_spans` starts at one of them
# (an at-word alone, " at " or "apenstaartje", has no domain after it to find)
_DOT_WORDS: Final = (" dot ", " punt ")
# the view lower-cased with every whitespace of `_WHITESPACE` as a space, in one translate
_GATE_TABLE: Final = bytes(
    32 if chr(i) in _WHITESPACE else i + 32 if 65 <= i <= 90 else i for i in range(256)
)
# the necessary test before it: whitespace as a space, d p as d, o u as o, t as t (any
# case), every other byte (n too) dropped: " dot " and " punt " both become " dot "
_FOLD_TABLE: Final = bytes(
    32
    if chr(i) in _WHITESPACE
    else ord("d")
    if chr(i) in "dpDP"
    else ord("o")
    if chr(i) in "ouOU"
    else ord("t")
    if chr(i) in "tT"
    else i
    for i in range(256)
)
_FOLD_FROM: Final = 160  # shorter texts: the exact test alone costs less
_FOLD_DROP: Final = bytes(i for i in range(256) if chr(i) not in _WHITESPACE + "dpouDPOUtT")


def has_word_disguise(text: str) -> bool:
    """Is there a dot word (" dot ", " punt ", any case, between whitespace) as
    ``word_at_spans`` needs? The only kind without a trigger character (a disguised e-mail
    address, "naam at gmail dot com")."""
    return word_disguise_in(latin1_view(text))


def latin1_view(text: str) -> bytes:
    """One byte per character: Latin-1, ``?`` for any other character (C loops only)."""
    return text.encode("latin-1", "replace")


def word_disguise_in(view: bytes) -> bool:
    """``has_word_disguise`` on the ``latin1_view`` of the text (read once for the shape too).

    On a long text first a cheap necessary test (``may_hold_dot_word``): a substring
    search costs about as much per byte as a translate, so one translate that keeps only
    the bytes the words need and one search of the short rest cost less than the exact
    test. Only a text that passes ("doet" does) gets the exact test: one translate
    lower-cases the ASCII letters (as ``str.lower`` and ``re.IGNORECASE`` do for every
    character that can lower to a letter of the words: the Kelvin sign U+212A lowers to
    "k", which none holds) and turns every whitespace of ``_DOT_WORD`` into a space; then
    two substring searches, on ``str``."""
    if len(view) > _FOLD_FROM and not may_hold_dot_word(view):
        return False
    low = view.translate(_GATE_TABLE).decode("latin-1")
    for word in _DOT_WORDS:  # noqa: SIM110 - a plain loop: no generator on the hot path
        if word in low:
            return True
    return False


def may_hold_dot_word(view: bytes) -> bool:
    """False when the ``latin1_view`` certainly holds no dot word: the whitespace and the
    letters of "dot" and "punt" kept, folded to read " dot " (any other byte dropped)."""
    return view.translate(_FOLD_TABLE, _FOLD_DROP).rfind(b" dot ") >= 0  # rfind: faster


def at_sign_span(text: str, i: int) -> tuple[int, int]:
    """The at sign at i with the spaces around it that belong to it (``naam @ x.nl``)."""
    j = _AT.match(text, i - 1) if i and text[i - 1] == " " else None
    return (j.start(), j.end()) if j else (i, i + 1)


def bracket_at_span(text: str, i: int, end: int) -> tuple[int, int]:
    """A bracketed at (``[at]`` at text[i:end]) widened by the spaces around it."""
    n = len(text)
    while end < n and text[end] == " ":
        end += 1
    start = i
    while start > 0 and text[start - 1] == " ":
        start -= 1
    return start, end


def word_at_spans(text: str) -> Iterator[tuple[int, int]]:
    """For each ' dot ' / ' punt ', the last ' at ' / ' apenstaartje ' in the 80 before it."""
    for m in _DOT_WORD.finditer(text):
        ats = list(_AT_WORD.finditer(text, max(0, m.start() - 80), m.start()))
        if ats:
            yield ats[-1].start(), ats[-1].end()


def email_at(text: str, a0: int, a1: int, disguised: bool) -> tuple[int, int] | None:
    """The span of an e-mail address around the '@' (or its disguise) at text[a0:a1]."""
    window = text[max(0, a0 - 64) : a0][::-1]
    local = _LOCAL_REV.match(window)
    if not local:
        return None
    start = a0 - local.end()
    before = text[start - 1] if start > 0 else ""
    if before and (before.isalnum() or before == "#"):
        return None
    dom = _DOMAIN.match(text, a1)
    if not dom:
        return None
    if before == "<" and text[dom.end() : dom.end() + 1] != ">":
        return None  # "Naam <naam@mail.nl>" as mail headers write it; no other markup
    tld = dom.group("tld").lower()
    domain = dom.group(0).lower()
    # a space before the at: a spaced address ("jan @gmail.com") or a handle after a word
    # ("insta @compass.memes", "volg @jan.de.vries"); only a mail domain's ending tells them apart
    spaced_at = a1 - a0 > 1 and text[a0:a1].strip() in ("@", "\uff20")
    plain_domain = not disguised and " " not in domain and not any(c in domain for c in "[({<")
    if (
        not (plain_domain and not spaced_at)
        and tld not in EMAIL_TLDS
        # "piet @ gmail.xyz": a spaced at before a mail provider keeps any ending
        and not (plain_domain and _provider(domain))
    ):
        return None
    # "naam at gmail dot com": plain words, so only with a mail provider or a local part no
    # sentence has ("look at this dot com" is English), and never a word that stands before
    # "at" in an English sentence ("mail me at outlook dot com", "log in at gmail dot com")
    plain_local = local.group(0)[::-1]
    if (
        not disguised
        and text[a0:a1].strip().lower() == "at"
        and not any(c in plain_local for c in "._0123456789")
        and (not _provider(domain) or plain_local.lower() in AT_WORD_NOT_LOCAL)
        and not _address_shape(text, start, plain_local)
    ):
        return None
    if disguised or not plain_domain:
        start = _local_start(text, start)
    return start, dom.end()


# a word that says an e-mail address follows, a few words before its local part
_MAIL_WORD: Final = re.compile(
    r"\b(?:e-?mail(?:adres|address|en)?|mail(?:adres|en|tje)?|mailen)\b\W*(?:\w+\W+){0,3}\Z",
    re.IGNORECASE,
)


def _address_shape(text: str, start: int, local: str) -> bool:
    """Whether "naam at example dot nl" with a plain local part and a domain of no known
    provider is an address all the same: the local part has a dot word in it ("rosa dot
    meijer at ..."), which no sentence has, or a mail word stands just before it ("email it
    to rosa at example dot nl"); never a word that stands before "at" in a sentence."""
    if local.lower() in AT_WORD_NOT_LOCAL:
        return False
    if _LOCAL_DOT_BEFORE.search(text, max(0, start - 80), start) is not None:
        return True
    return _MAIL_WORD.search(text, max(0, start - 60), start) is not None


def _local_start(text: str, start: int) -> int:
    """A disguised address's start moved back over "naam dot" / "naam [punt]" before it
    (at most four parts): all of the local part is masked, not only its last word."""
    for _ in range(4):
        before = _LOCAL_DOT_BEFORE.search(text, max(0, start - 80), start)
        if before is None or (before.start() > 0 and not text[before.start() - 1].isspace()):
            return start  # only a word on its own: not the tail of a link, a number or a tag
        start = before.start()
    return start


def _provider(domain: str) -> bool:
    """Whether the domain starts with a known mail provider's name (gmail, hotmail)."""
    label = _LABEL_RE.match(domain.lstrip())
    return label is not None and label.group(0).lower() in EMAIL_PROVIDERS


def email_key(value: str) -> str:
    """An address in one spelling (``@`` and ``.``, no spaces), to compare with the allow list."""
    low = value.lower()
    at = _AT.search(low)
    if at:
        low = low[: at.start()] + "@" + low[at.end() :]
    low = re.sub(_DOT_FORMS, ".", low, flags=re.IGNORECASE)
    return "".join(low.split())
