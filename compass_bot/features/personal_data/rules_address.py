"""Home addresses: a street with a house number, and a postcode with a house number."""

from __future__ import annotations

import re
from typing import Final

from compass_bot.features.personal_data.rules_ids import bsn_at
from compass_bot.features.personal_data.rules_kinds import (
    HOUSE_NUMBER_UNITS,
    NAME_PARTICLES,
    POSTCODE_NOT_LETTERS,
    POSTCODE_SPACED_LOWER_NOT,
    SPACE,
    STREET_NOT,
    STREET_SUFFIXES,
    STREET_TYPE_FIRST_LOWER,
    STREET_TYPE_WORDS,
    Finding,
    new_finding,
)
from compass_bot.features.personal_data.rules_lookalikes import unit_follows, year_and_word
from compass_bot.features.personal_data.rules_number_first import (
    after_comma,
    is_cue,
    is_nr_word,
    number_first_at,
    street_after_nr,
)
from compass_bot.features.personal_data.rules_street import (
    SUFFIXES_BY_END,
    name_word,
    street_start,
)

_HOUSE_NR_TEXT = (
    r"[1-9]\d{0,3}(?:"
    rf"{SPACE}?-{SPACE}?(?:[IVX]{{1,4}}|hs|bis|[1-9]\d{{0,2}}|[A-Za-z])(?![\w-])"
    rf"|{SPACE}?(?:bis|hs|huis|boven|rood|zwart)(?![\w-])"
    r"|[A-Za-z](?![\w-])"
    # "3 b, 6221 BT": a letter after a space only before a comma or a postcode
    rf"|{SPACE}[A-Za-z](?={SPACE}?,|{SPACE}{{1,2}}[1-9]\d{{3}}{SPACE}?[A-Za-z]{{2}}(?![A-Za-z0-9]))"
    # "19 H": a lone capital after a space is the number's addition, no unit (hours are 'h',
    # '19 uur'); not "I", the English word
    rf"|{SPACE}(?!I)[A-Z](?![\w'-])"
    r")?"
)
HOUSE_NR: Final = re.compile(_HOUSE_NR_TEXT)
# "5651 cd": lower case after a space only when the letters are no word or unit ("2024 en")
_SPACED_LOWER_NOT = "|".join(
    sorted(
        {"sa", "sd", "ss"}
        | POSTCODE_NOT_LETTERS
        | POSTCODE_SPACED_LOWER_NOT
        | {unit for unit in HOUSE_NUMBER_UNITS if len(unit) == 2}
    )
)
_POSTCODE_TEXT = (  # "1017-PN": a glued dash only before capitals
    rf"[1-9]\d{{3}}(?:(?:{SPACE}|-)?(?!SA|SD|SS)[A-Z]{{2}}|(?!sa|sd|ss)[a-z]{{2}}"
    rf"|{SPACE}(?!{_SPACED_LOWER_NOT})[a-z]{{2}})(?![A-Za-z0-9])"
)
_NR_WORD = r"(?:huis|h)?(?:nummer|number|nr|no)\.?:?"  # "hnr": huisnummer
_POSTCODE: Final = re.compile(
    # "3512 JK, 8", "5211 CS / 18", "7511JR-51" (a dash only glued: " - " parts a list)
    rf"{_POSTCODE_TEXT}(?:(?:{SPACE}?,?{SPACE}{{0,2}}|{SPACE}?[/|]{SPACE}?|[-–])"
    rf"(?:{_NR_WORD}{SPACE}?)?)"
    rf"(?P<nr>{_HOUSE_NR_TEXT})(?![\d:.,]\d|[\w%€])"
)
POSTCODE_ALONE: Final = re.compile(_POSTCODE_TEXT)
# "postcode 2312 bc 61", "ze woont op 2312 bc 61": named a postcode or where someone lives,
# any two letters are its letters (unnamed, "2312 bc" may be "because"); the letters and the
# house number as `_POSTCODE` reads them
# where someone lives, said before what follows (the postcode's and the street's cues share it)
_LIVES_AT: Final = rf"woon(?:t|en)?{SPACE}(?:op|aan)|lives?{SPACE}at"
# "laat maar thuis bezorgen: 1181 ZJ - 65", "ship it to": where a parcel goes is a home too
_DELIVER_TO: Final = (
    rf"bezorg(?:en|d)?(?:{SPACE}(?:op|aan|bij))?|deliver(?:ed)?{SPACE}to|ship{SPACE}it{SPACE}to"
)
# the words that name a postcode
_POSTCODE_WORDS: Final = rf"post{SPACE}?code|zip{SPACE}?code|postal{SPACE}code"
_NAMED_BEFORE: Final = re.compile(
    rf"\b(?:(?:{_POSTCODE_WORDS}|adres|address)"
    rf"(?:{SPACE}is)?|{_LIVES_AT}|{_DELIVER_TO}){SPACE}?[:=]?{SPACE}?$",
    re.IGNORECASE,
)
_POSTCODE_NAMED: Final = re.compile(  # named, " - " before the number is its house number too
    rf"[1-9]\d{{3}}(?:{SPACE}|-)?[A-Za-z]{{2}}(?![A-Za-z0-9])"
    rf"(?:{SPACE}?,?{SPACE}{{0,2}}|{SPACE}?[/|\-–]{SPACE}?)(?:{_NR_WORD}{SPACE}?)?"
    rf"(?P<nr>{_HOUSE_NR_TEXT})(?![\d:.,]\d|[\w%€])"
)
_NR_BEFORE: Final = re.compile(  # "huisnummer 17 (en) postcode 3071 AZ": the word may stand between
    rf"\b{_NR_WORD}{SPACE}?{_HOUSE_NR_TEXT}{SPACE}?,?{SPACE}{{0,2}}"
    rf"(?:(?:en{SPACE})?postcode{SPACE}?:?{SPACE}?)?$",
    re.IGNORECASE,
)
# "the number is 19" after a postcode alone: a house number named a few words on, or on the
# next line of a form ("Postcode: 9712 CP\nHuisnummer: 12-A", "Huisnummer*: 210")
_NR_AFTER: Final = re.compile(
    rf"(?-i:[a-z,;&'* \u00a0\n\t]{{0,30}}?)\b(?:huis{SPACE}?|house{SPACE}?|h)?(?:nummer|number|nr|no)\b\.?"
    rf"\*?(?:{SPACE}?[:=]|{SPACE}is)?{SPACE}{{0,3}}(?P<nr>{_HOUSE_NR_TEXT})(?![\d:.,]\d|[\w%€])",
    re.IGNORECASE,
)
# after a house number: a comma, bar, bracket, slash or dash may stand before the postcode
_POSTCODE_TAIL: Final = re.compile(rf"{SPACE}?[,|(/;\-–—]?{SPACE}{{0,2}}(?P<pc>{_POSTCODE_TEXT})")
_TAIL_MARKS: Final = "|(/;-–—"
_TAIL_FIRST: Final = frozenset("123456789" + _TAIL_MARKS)
_ADDRESS_LAST_WORDS: Final = (*STREET_SUFFIXES, "nr", "nummer", "no")


def postcode_at(text: str, s: int) -> tuple[int, int] | None:
    """The span of a postcode with its house number (after or before it) at s, or None."""
    if year_and_word(text, s):
        return None
    m = _POSTCODE.match(text, s)
    if (
        m
        and not unit_follows(text, m.end())
        # "7731-AB-209": dashes on both sides of the letters make a code (an order number)
        and not (text[s + 4] == "-" and text[m.start("nr") - 1] in "-–")
        # "2580 ep 177 802 285": the digits after the postcode are a BSN, no house number
        and not (text[m.end() : m.end() + 1] in _BSN_GO_ON and bsn_at(text, m.start("nr")))
    ):
        return s, m.end()
    if _NAMED_BEFORE.search(text, max(0, s - 20), s):
        m = _POSTCODE_NAMED.match(text, s)
        if m and not unit_follows(text, m.end()):
            return s, m.end()
    m = POSTCODE_ALONE.match(text, s)
    if not m:
        return None
    nr = _NR_BEFORE.search(text, max(0, s - 30), s)  # "huisnummer 12, 3512 AB"
    if nr:
        return nr.start(), m.end()
    after = _NR_AFTER.match(text, m.end())  # "3512 AB en het huisnummer is 12"
    if after and not unit_follows(text, after.end()):
        return s, after.end()
    return _street_after_postcode(text, s, m.end())


_BSN_GO_ON: Final = (" ", ".", "-", "\u00a0")
# "1015 CJ Amsterdam, Prinsengracht 302": a place name (and a mark) between a postcode and
# a street with its house number; without the place ("1011 AB, Kerkstraat nummer 4") the
# street may be another home's
_PLACE_THEN_STREET: Final = re.compile(
    rf"{SPACE}?[A-Z][^\W\d_]*(?:[-' ][A-Z][^\W\d_]*)?{SPACE}?[,;|\-–—]?{SPACE}{{0,2}}"
    r"(?P<street>[^\W\d_][^\d]{2,40}?)[ \u00a0,](?=[1-9])"
)


def _street_after_postcode(text: str, s: int, end: int) -> tuple[int, int] | None:
    """The postcode text[s:end] when a street with its house number follows it after a
    place name ("1015 CJ Amsterdam, Prinsengracht 302"): the house number names the home
    as it does after the postcode. The address itself is found at its own number."""
    m = _PLACE_THEN_STREET.match(text, end)
    if m is None:
        return None
    found = address_at(text, m.end())
    return (s, end) if found and found[0][1] >= m.start("street") else None


def may_start_house_number(text: str, s: int) -> bool:
    """Can the digits at s be a house number? Only after a space or comma, with a word before
    that is capitalised or ends in a street suffix or a number word, or a lower-case name
    after a street type and a particle ("laan van meerdervoort 418"): "hoofdstuk 3", "om 8",
    "blz. 45" cannot. The cheap first test of ``address_at``, which the candidate pass uses
    too (a short number after a word is a candidate for no other kind)."""
    verdict = house_number_word(text, s)
    return verdict == 1 or (verdict == 2 and lower_street_first(text, s) >= 0)


def house_number_word(text: str, s: int) -> int:
    """``may_start_house_number`` by the word before s alone: 1 yes, 0 no, 2 when the text
    before the word decides (a lower-case name: ``lower_street_first``). A function of that
    word, so the candidate pass can keep it per word."""
    if s < 2 or text[s - 1] not in " \u00a0,":
        return 0
    space = text.rfind(" ", max(0, s - 40), s - 1)
    word = text[space + 1 : s].rstrip(" \u00a0,.:")
    if (
        word[:1].isupper()
        or word.lower().endswith(_ADDRESS_LAST_WORDS)
        or is_cue(word)
        or after_comma(text, s)
    ):
        return 1  # a cue ("lives at 12 ...") or a comma: the street after the number decides
    return 2 if _lower_name(text, s, space, word) else 0


def _lower_name(text: str, s: int, space: int, word: str) -> bool:
    """Is ``word``, right before the number at s after one space, a lower-case name that a
    street type and a particle may stand before ("meerdervoort" in "laan van ...")?"""
    return (
        len(word) >= 4
        and space + len(word) + 2 == s
        and text[s - 1] == " "
        and word.islower()
        and word.replace("-", "").isalpha()
    )


_LOWER_FIRST_PARTICLES: Final = frozenset({"van", "de", "der", "den", "het", "'t", "ter", "ten"})
_LOWER_STREET_FIRST: Final = re.compile(
    rf"(?<![^\s(,;:])(?i:{'|'.join(STREET_TYPE_FIRST_LOWER)})"
    rf"(?: (?:{'|'.join(sorted(_LOWER_FIRST_PARTICLES))})){{1,2}} [^\W\d_][\w'-]* $"
)


def lower_street_first(text: str, s: int) -> int:
    """The start of a street written in lower case with its type first and a particle
    ("laan van meerdervoort 418", "plein van de vrede 3") whose house number starts at s,
    or -1. Only called when ``house_number_word`` says 2; the word before the name must be
    a particle, which turns down almost every other word at once."""
    space = text.rfind(" ", s - 40 if s > 40 else 0, s - 1)
    if space < 1:
        return -1
    prev = text.rfind(" ", space - 8 if space > 8 else 0, space)
    if text[prev + 1 : space] not in _LOWER_FIRST_PARTICLES:
        return -1
    lo = space - 40 if space > 40 else 0
    m = _LOWER_STREET_FIRST.search(text, lo, s)
    return m.start() if m else -1


def address_at(text: str, s: int) -> tuple[Finding, ...]:
    """A street and the house number at s (and a postcode after it): the address, and the
    postcode inside it when there is one; () when s holds no house number of a street.

    ``may_start_house_number`` inlined (this runs at every short number after a word)."""
    if s < 2 or text[s - 1] not in " \u00a0,":
        return ()
    space = text.rfind(" ", s - 40 if s > 40 else 0, s - 1)
    word = text[space + 1 : s].rstrip(" \u00a0,.:")
    if word[:1] in "([":  # "(Kastanjehof 9 hs)": the bracket ends the words before, as a space
        word = word[1:]
        space += 1
    if word[-2:] in _SPACED_CUE_ENDS and text[s + 1 : s + 3].lstrip(" ")[:1].isdigit():
        spaced = _spaced_after_cue(text, s)
        if spaced:
            return spaced
    if not (word[:1].isupper() or word.lower().endswith(_ADDRESS_LAST_WORDS)):
        if is_cue(word) or after_comma(text, s):  # "lives at 12 Kerkstraat": street after
            found = _number_first(text, s, capitalised=not is_cue(word))
            if found:
                return found
        if not _lower_name(text, s, space, word):
            return ()
        return _lower_address_at(text, s)
    m = HOUSE_NR.match(text, s)
    if not m:
        return ()
    end = m.end()
    if unit_follows(text, end):  # also a decimal or time after it: "12:30", "12,5"
        return ()
    if end - s == 4 and text[s - 2 : s].strip() == "," and POSTCODE_ALONE.match(text, s):
        return ()  # "221 Heerengracht, 1016 BN": a postcode after a street, no house number
    start = _street_after_word(text, s, space, word)
    if start < 0:
        general = street_start(text, s)
        if general is None:
            found = _named_street_with_postcode(
                text, s, space, word, end
            ) or _named_street_after_cue(text, s, space, word, end)
            if not found and is_nr_word(word) and (street_end := street_after_nr(text, end)) > 0:
                return _with_postcode(text, space + 1, street_end)  # "nr 15 van de ...straat"
            if found or not (is_cue(word) or after_comma(text, s)):
                return found
            return _number_first(text, s, capitalised=not is_cue(word))  # "Address: 12 Oak Rd"
        start = general
    if text[end : end + 5].lstrip(" \u00a0,")[:1] not in _TAIL_FIRST:
        return (new_finding(Finding, ("address", start, end)),)
    return _with_postcode(text, start, end)


# "mijn postcode is 1 0 7 1 D J", "bsn 32 36 52 128": digits spaced apart one by one or in
# odd groups, right after the word that names them; the last two letters of those words
_SPACED_CUE: Final = re.compile(
    rf"\b(?:{_POSTCODE_WORDS}|bsn|burgerservicenummer|sofinummer)(?:{SPACE}is)?{SPACE}?[:=]?{SPACE}?$",
    re.IGNORECASE,
)
_SPACED_CUE_ENDS: Final = frozenset({"is", "IS", "de", "DE", "sn", "SN", "er", "ER"})
_SPACED_POSTCODE: Final = re.compile(
    rf"[1-9](?:{SPACE}\d){{3}}{SPACE}(?:[A-Za-z]{SPACE}[A-Za-z]|[A-Za-z]{{2}})(?![A-Za-z0-9])"
)
_SPACED_DIGITS: Final = re.compile(rf"\d{{1,3}}(?:{SPACE}\d{{1,3}}){{2,8}}(?![ .\-\u00a0]?\d)")
# "bsn van mijn broertje is 29 28 94 132", "mijn bsn staat hier: 29 28 94 132": a few words of
# the same sentence between the word and the digits (a BSN only: its elfproef still decides)
_BSN_CUE_NEAR: Final = re.compile(
    rf"\b(?:bsn|burgerservicenummer|sofinummer)\b(?:{SPACE}+[^\s.!?]+){{1,4}}{SPACE}*[:=]?{SPACE}*$",
    re.IGNORECASE,
)


def _spaced_after_cue(text: str, s: int) -> tuple[Finding, ...]:
    """A postcode (with its house number) or a BSN spaced apart at s, right after the word
    that names it (a BSN also a few words after it): read as if written together. () when s
    holds neither."""
    if not _SPACED_CUE.search(text, max(0, s - 28), s):
        if not _BSN_CUE_NEAR.search(text, max(0, s - 64), s):
            return ()
        return _spaced_bsn(text, s)
    m = _SPACED_POSTCODE.match(text, s)
    if m:
        together = "".join(m.group(0).split())
        together = f"{together[:4]} {together[4:]}"
        tail = text[m.end() : m.end() + 60]
        span = postcode_at(together + tail, 0)
        if span and span[1] > len(together):
            return (new_finding(Finding, ("postcode", s, m.end() + span[1] - len(together))),)
        return ()
    return _spaced_bsn(text, s)


def _spaced_bsn(text: str, s: int) -> tuple[Finding, ...]:
    """A BSN in digits spaced apart at s (its elfproef decides), or ()."""
    m = _SPACED_DIGITS.match(text, s)
    if m and bsn_at("".join(m.group(0).split()), 0) == 9:
        return (new_finding(Finding, ("id-number", s, m.end())),)
    return ()


def _named_street_with_postcode(
    text: str, s: int, space: int, word: str, end: int
) -> tuple[Finding, ...]:
    """A capitalised name the street suffixes do not know, with a house number and a
    postcode after it ("Heuvelring 77, 5038 CL"): the postcode makes it an address."""
    if (
        space + len(word) + 2 != s
        or name_word(word) != "cap"
        or word.lower() in NAME_PARTICLES  # "Van 9, 3512 JK": a particle is no street
        or text[end : end + 2].lstrip(" \u00a0")[:1] != ","  # "77, 5038 CL"
    ):
        return ()
    found = _with_postcode(text, space + 1, end)
    if len(found) < 2 or year_and_word(text, found[1][1]):
        return ()
    return found


# "adres: Beukenrode 11", "wij zijn verhuisd naar Zuiderdiep 77", "she lives at Rozengaarde 5",
# "ze woont aan de Esplanade 4": words that say a home follows (an article may stand between),
# right before a capitalised name the suffixes do not know. Not a bare "woont": chat drops
# the "in" before a town as often ("ik woon Delft 3 hoog", "ze woont Zwolle 1 week per maand")
_HOME_CUE: Final = re.compile(
    rf"(?:\b(?:adres|address)(?:{SPACE}(?:is|was))?{SPACE}?[:=]?"
    rf"|\b(?:{_LIVES_AT}|(?:wonen|woonden?){SPACE}(?:op|aan)|lives?{SPACE}on"
    rf"|(?:lived|living){SPACE}(?:at|on)|(?:verhuisd|verhuizen|verhuist|verhuis){SPACE}naar"
    rf"|moved{SPACE}to))(?:{SPACE}(?:de|het|the))?{SPACE}$",
    re.IGNORECASE,
)


def _named_street_after_cue(
    text: str, s: int, space: int, word: str, end: int
) -> tuple[Finding, ...]:
    """A capitalised name the street suffixes do not know, with a house number, right after
    words that say a home follows ("verhuisd naar Zuiderdiep 77"): the words make it an
    address (with a postcode after it when there is one)."""
    if (
        space + len(word) + 2 != s
        or name_word(word) != "cap"
        or word.lower() in NAME_PARTICLES
        or not _HOME_CUE.search(text, max(0, space - 24), space + 1)
    ):
        return ()
    return _with_postcode(text, space + 1, end)


# after a street: its own house number ("3-2 Prinsengracht nr. 44-A"), unless it is a postcode
_OWN_NUMBER: Final = re.compile(rf"[ \u00a0,]{{0,2}}(?:{_NR_WORD}{SPACE}?)?(?=\d)", re.IGNORECASE)


def _number_first(text: str, s: int, capitalised: bool = False) -> tuple[Finding, ...]:
    """``address_at`` for a house number before its street, after a cue word or a comma (and
    a postcode after the street when there is one): "she lives at 12 Kerkstraat, 3512 AB".
    A street with a house number of its own after it is that number's: the one before it
    belongs to something else."""
    m = HOUSE_NR.match(text, s)
    found = number_first_at(text, s, m.end(), capitalised) if m else None
    if found is None:
        return ()
    own = _OWN_NUMBER.match(text, found[2])
    if own and not POSTCODE_ALONE.match(text, own.end()):
        return ()
    return _with_postcode(text, s, found[2])


def number_first_opening(text: str, s: int) -> tuple[Finding, ...]:
    """``_number_first`` for a house number with no word before it: at the start of a post,
    after a bracket or a sentence ("4 Privet Drive is where ...", "(11 Thornbury Avenue)")."""
    return _number_first(text, s, capitalised=True)


def _lower_address_at(text: str, s: int) -> tuple[Finding, ...]:
    """``address_at`` for a street in lower case with its type first ("laan van
    meerdervoort 418"), once the word before s is a lower-case name."""
    start = lower_street_first(text, s)
    if start < 0:
        return ()
    m = HOUSE_NR.match(text, s)
    if not m or unit_follows(text, m.end()):
        return ()
    return _with_postcode(text, start, m.end())


def _with_postcode(text: str, start: int, end: int) -> tuple[Finding, ...]:
    """The address text[start:end] and a postcode right after it ("Kerkstraat 9, 3512 JK",
    "Havenstraat 21 | 1211 KL", "Emmastraat 3 (9401 GT"), taken into the address and found
    as a postcode too (it has its house number, before it)."""
    tail = _POSTCODE_TAIL.match(text, end)
    if not tail or (
        text[tail.start() : tail.start("pc")].strip(" \u00a0,")
        and _POSTCODE.match(text, tail.start("pc"))
    ):  # "Laan 12 - 2929 LZ 44-A": after a mark, a postcode with its own house number
        return (new_finding(Finding, ("address", start, end)),)
    return (
        new_finding(Finding, ("address", start, tail.end())),
        new_finding(Finding, ("postcode", tail.start("pc"), tail.end())),
    )


def _street_after_word(text: str, s: int, space: int, word: str) -> int:
    """``_street_start``'s answer for the usual writing ("naar Kerkstraat 12"), from the
    word ``address_at`` has read, or -1 when only ``_street_start`` can tell.

    The usual writing: one space, then the street word (letters only, not ending in r or o,
    which could end a number word), after one space a plain lower-case word. Then the
    street starts at the street word, as ``_street_start`` finds by splitting."""
    if (
        space + len(word) + 2 != s
        or text[s - 1] != " "
        or space < 1
        or word[-1] in "rRoO"
        or not word.isalpha()
    ):
        return -1
    bare = word.lower()
    ends = SUFFIXES_BY_END.get(bare[-3:])  # is_street_word on letters only, inlined
    if ends is None or bare in STREET_TYPE_WORDS or bare in STREET_NOT or not bare.isalpha():
        return -1  # lower() may add a combining mark (the stem would be no name)
    for suffix in ends:  # longest first
        if bare.endswith(suffix):
            break
    else:
        return -1
    if len(bare) - len(suffix) < 2:  # the stem: letters, as the word is
        return -1
    lo = s - 80 if s > 80 else 0
    before = text.rfind(" ", lo, space)
    prev = text[before + 1 if before >= 0 else lo : space]
    if prev.isalpha() and prev.islower() and prev not in NAME_PARTICLES:
        return space + 1
    return -1
