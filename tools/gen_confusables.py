"""Generate compass_bot/data/fold_map.json: a character -> ASCII folding table.

The name rule (compass_bot/features/names/rules.py) folds every character of a name to lower-case ASCII
before it looks for "Compass". This script precomputes, for every assigned non-ASCII code point,
the ASCII letters or digits it stands for, so the bot needs no Unicode data package at run time.

For each code point, the first of these that gives ASCII letters/digits wins:

1. NFKC: fullwidth ``ｃ``, mathematical ``𝐜 𝒄 𝓬``, circled ``ⓒ``, superscript ``ᶜ``, ligatures.
2. Unicode names of Latin letter variants (``NAME_RULES``): letters with a stroke, bar, hook or
   accent (``LATIN SMALL LETTER O WITH STROKE``), small capitals, negative circled / squared
   letters and regional indicator letters.
3. The Unicode confusables (UTS #39 ``confusables.txt``) of the character as it is: Cyrillic
   ``с о р а ѕ``, Greek ``ο ρ ϲ``, ``¢`` (c + overlay), ``©`` (via ``Ⓒ``), Cherokee, Lisu, ...
   The data is case-sensitive (Cyrillic ``М`` is an M, ``м`` is not), so it comes before case
   folding.
4. Accents stripped (NFD without marks), then the confusables of what is left (``ӧ`` -> ``o``).
5. Case folding alone (``ß`` -> ``ss``); never case folding followed by confusables (the
   lower case of a letter can look like another letter than its capital: Greek ``Σ``/``σ``).
A short hand list of symbols that students use as letters (``EXTRA``) goes before all of them.

A second table, ``flipped``, lists the characters that are a turned (upside-down) or mirrored
letter and that letter (``ɯ`` -> m, ``ↄ`` -> c, ``ꟼ`` -> p), for the name rule's upside-down and
mirrored readings: from Unicode names with TURNED / REVERSED / INVERTED, a short hand list
(``FLIP_EXTRA``), spread over the confusables and case partners (see ``flip_table``).

Characters that are invisible but not Unicode category Cf/Mn/Me (which names.py drops by
category at run time), such as the Hangul fillers, map to the empty string.

The confusables come from the ``confusable-homoglyphs`` package (its ``confusables.json`` is the
UTS #39 confusables.txt of the Unicode version current when it was released), or from a raw
``confusables.txt`` given with ``--confusables-txt`` (download it from the Unicode site when a
newer version is wanted). Only a development tool: names.py reads the generated JSON.

    pip install --target /tmp/cfh confusable-homoglyphs==3.3.1
    PYTHONPATH=/tmp/cfh .venv/bin/python tools/gen_confusables.py
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "compass_bot" / "data" / "fold_map.json"

# Invisible or blank characters that are not category Cf, Mn or Me.
INVISIBLE = (
    "\u115f\u1160"  # HANGUL CHOSEONG / JUNGSEONG FILLER
    "\u3164"  # HANGUL FILLER (a popular "empty name" character on Discord)
    "\uffa0"  # HALFWIDTH HANGUL FILLER
    "\u2800"  # BRAILLE PATTERN BLANK
)

# Symbols that are used as letters in names and that the confusables leave out.
EXTRA = {
    "€": "c",
    "₵": "c",  # CEDI SIGN: C with a stroke
    "⊂": "c",  # SUBSET OF
    "°": "o",
    "○": "o",
    "◯": "o",
    "●": "o",
    "⚪": "o",
    "⚫": "o",
    "⭕": "o",
    "⊙": "o",
    "◎": "o",
    "∅": "o",
    # round emoji, as the black and white circles above
    "🔴": "o",
    "🟠": "o",
    "🟡": "o",
    "🟢": "o",
    "🔵": "o",
    "🟣": "o",
    "🟤": "o",
    "₥": "m",  # MILL SIGN: m with a stroke
    "₱": "p",  # PESO SIGN
    "℗": "p",  # SOUND RECORDING COPYRIGHT: circled P
    "þ": "p",  # thorn
    "Þ": "p",
    "₳": "a",  # AUSTRAL SIGN
    "∆": "a",
    "§": "s",
    "💲": "s",  # HEAVY DOLLAR SIGN, the emoji of the $ that leetspeak reads as s
    "〽": "m",  # PART ALTERNATION MARK, an emoji drawn as an m
    "₴": "s",  # HRYVNIA SIGN
    # "fancy text" generators: letters of other scripts picked for their shape
    "ᑕ": "c",  # Canadian syllabics (ᑕOᗰᑭᗩᔕᔕ); the rest of that alphabet is in the confusables
    "ᗩ": "a",
    "ᔕ": "s",
    "ᑎ": "n",
    "ᑫ": "q",
    "ᗯ": "w",
    "ᘔ": "z",
    "ς": "c",  # Greek final sigma (ςσмραѕѕ)
    "м": "m",  # Cyrillic small em, as in ¢σмρα𝑠𝑠
    "ᄃ": "c",  # Hangul (ᄃᄋᄊ...)
    "ᄊ": "m",
    "๏": "o",  # Thai (ς๏๓קครร)
    "๓": "m",
    "ק": "p",  # Hebrew qof
    "ค": "a",
    "ร": "s",
    "℘": "p",  # SCRIPT CAPITAL P
}

NAME_RULES = (
    re.compile(r"^LATIN (?:SMALL |CAPITAL )?LETTER (?:SMALL CAPITAL )?([A-Z])(?: WITH .+)?$"),
    re.compile(r"^LATIN LETTER SMALL CAPITAL ([A-Z])$"),
    re.compile(r"^(?:NEGATIVE )?(?:CIRCLED|SQUARED) LATIN (?:CAPITAL|SMALL) LETTER ([A-Z])$"),
    re.compile(r"^REGIONAL INDICATOR SYMBOL LETTER ([A-Z])$"),
)

_SMALL_CAPITAL = re.compile(r"^(\w+) LETTER SMALL CAPITAL (\w+)$")

_MARKS = {"Mn", "Me", "Cf"}
_BIDI_MARKS = str.maketrans("", "", "\u200e\u200f")


def basic(text: str) -> str:
    """NFKC, casefold, strip accents and other marks."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = unicodedata.normalize("NFD", text)
    return "".join(c for c in text if unicodedata.category(c) not in _MARKS)


def strip_marks(text: str) -> str:
    text = unicodedata.normalize("NFD", text)
    return "".join(c for c in text if unicodedata.category(c) not in _MARKS)


def ascii_alnum(text: str) -> str | None:
    """The ASCII letters and digits of `text` if it is all ASCII and has any; else None."""
    if not text or not text.isascii():
        return None
    kept = "".join(c for c in text if c.isalnum())
    return kept or None


def load_confusables_json() -> tuple[dict[str, list[str]], str]:
    spec = importlib.util.find_spec("confusable_homoglyphs")
    if spec is None or spec.origin is None:
        sys.exit(
            "confusable_homoglyphs is not importable: pip install --target /tmp/cfh "
            "confusable-homoglyphs==3.3.1 and run with PYTHONPATH=/tmp/cfh, "
            "or pass --confusables-txt"
        )
    package_dir = Path(spec.origin).parent
    raw = json.loads((package_dir / "confusables.json").read_text(encoding="utf-8"))
    version = "?"
    try:
        from confusable_homoglyphs import _version  # type: ignore[import-not-found]

        version = _version.get_versions()["version"]
    except Exception:  # pragma: no cover - informational only
        pass
    table: dict[str, list[str]] = {}
    for key, entries in raw.items():
        key = key.translate(_BIDI_MARKS)
        if len(key) != 1:
            continue
        table.setdefault(key, []).extend(e["c"].translate(_BIDI_MARKS) for e in entries)
    return table, f"confusable-homoglyphs {version} confusables.json (UTS #39 confusables.txt)"


def load_confusables_txt(path: Path) -> tuple[dict[str, list[str]], str]:
    table: dict[str, list[str]] = {}
    version = "?"
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if line.startswith("# Version:"):
            version = line.split(":", 1)[1].strip()
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        source, target = (part.strip() for part in data.split(";")[:2])
        src = "".join(chr(int(h, 16)) for h in source.split())
        tgt = "".join(chr(int(h, 16)) for h in target.split())
        if len(src) == 1:
            table.setdefault(src, []).append(tgt)
    return table, f"UTS #39 confusables.txt {version} ({path.name})"


def confusable_ascii(ch: str, table: dict[str, list[str]]) -> str | None:
    """The ASCII letters/digits `ch` is confusable with, if the data says so unambiguously."""
    found: list[str] = []
    for other in table.get(ch, ()):
        candidate = ascii_alnum(basic(other))
        if candidate is not None and candidate not in found:
            found.append(candidate)
    if not found:
        return None
    found.sort(key=lambda s: (len(s), not s.isalpha(), s))
    return found[0]


def fold_char(ch: str, table: dict[str, list[str]]) -> tuple[str, str] | None:
    """(ascii, how) for one non-ASCII character, or None when it stands for no ASCII letter."""
    if ch in INVISIBLE:
        return "", "invisible"
    if ch in EXTRA:
        return EXTRA[ch], "extra"
    nfkc = unicodedata.normalize("NFKC", ch)
    if (found := ascii_alnum(nfkc)) is not None:
        return found.lower(), "nfkc"
    name = unicodedata.name(ch, "")
    for rule in NAME_RULES:
        if (m := rule.match(name)) is not None:
            return m.group(1).lower(), "name"
    # small capitals of other scripts read as their capital: GREEK LETTER SMALL CAPITAL RHO
    # (in small-caps text generators the P) is GREEK CAPITAL LETTER RHO, which looks like P
    if (m := _SMALL_CAPITAL.match(name)) is not None:
        try:
            capital = unicodedata.lookup(f"{m.group(1)} CAPITAL LETTER {m.group(2)}")
        except KeyError:
            capital = ""
        if capital and (found := confusable_ascii(capital, table)) and found.isalpha():
            return found.lower(), "name"
    # confusables are case-sensitive (Cyrillic М looks like M, but м does not look like m):
    # look the character up as it is, then what is left after stripping accents, and only
    # then the case-folded form
    if (found := confusable_ascii(ch, table)) is not None:
        return found.lower(), "confusable"
    stripped = strip_marks(nfkc)
    if (found := ascii_alnum(stripped)) is not None:
        return found.lower(), "accent"
    pieces = [c if c.isascii() else (confusable_ascii(c, table) or c) for c in stripped]
    if (found := ascii_alnum("".join(pieces))) is not None:
        return found.lower(), "confusable"
    # case folding last, and without confusables after it: the lower case of a letter can look
    # like another letter than its capital does (Greek capital sigma is no o)
    if (found := ascii_alnum(basic(ch))) is not None:
        return found, "casefold"
    return None


# Letters that flip-text generators use for a turned (upside-down) or mirrored letter and that
# neither their Unicode name nor the confusables call turned or reversed.
FLIP_EXTRA = {
    "Ԁ": "p",  # CYRILLIC CAPITAL LETTER KOMI DE: an upside-down P
    "ᗡ": "d",  # CANADIAN SYLLABICS CARRIER THA: a mirrored D
    "ꓷ": "d",  # LISU LETTER OE
    "ꓭ": "b",  # LISU LETTER GHA: an upside-down B
    "ꓘ": "k",  # LISU LETTER KHA: an upside-down K
    "ꓤ": "r",  # LISU LETTER ZHA: an upside-down R
    "ꓕ": "t",  # LISU LETTER THA: an upside-down T
    "⊥": "t",  # UP TACK
    "∩": "u",  # INTERSECTION: an upside-down U
    "˥": "l",  # MODIFIER LETTER EXTRA-HIGH TONE BAR: an upside-down L
    "Я": "r",  # CYRILLIC CAPITAL LETTER YA: a mirrored R
    "я": "r",
    "И": "n",  # CYRILLIC CAPITAL LETTER I: a mirrored N
    "и": "n",
}

# "LATIN SMALL LETTER TURNED M", "LATIN EPIGRAPHIC LETTER REVERSED P", "TURNED SANS-SERIF
# CAPITAL G", "ROMAN NUMERAL REVERSED ONE HUNDRED"; not "... WITH INVERTED BREVE" (an accent)
_FLIP_WORD = re.compile(
    r"^(?!.* WITH .*\b(?:TURNED|REVERSED|INVERTED)\b)(.*?)(?:TURNED|REVERSED|INVERTED) "
)
_FLIP_LETTER = re.compile(
    r"\b(?:TURNED|REVERSED|INVERTED) (?:SANS-SERIF )?(?:CAPITAL |SMALL )?(?:LETTER )?([A-Z])"
    r"(?: WITH .+)?$"
)


def flip_letter(ch: str, mapping: dict[str, str]) -> str | None:
    """The ASCII letter `ch` is a turned (upside-down) or mirrored form of, by its name."""
    name = unicodedata.name(ch, "")
    if "SIDEWAYS" in name or (m := _FLIP_WORD.match(name)) is None:
        return None
    plain = m.group(1) + name[m.end() :]
    candidates = [plain, plain.split(" WITH ", 1)[0]]
    for candidate in candidates:
        try:
            base = unicodedata.lookup(candidate)
        except KeyError:
            continue
        folded = base.lower() if base.isascii() else mapping.get(base)
        if folded and len(folded) == 1 and folded.isalpha():
            return folded
    if (letter := _FLIP_LETTER.search(name)) is not None:
        return letter.group(1).lower()
    return None


def flip_table(mapping: dict[str, str], table: dict[str, list[str]]) -> dict[str, str]:
    """Every character that stands for a turned or mirrored letter, and that letter.

    From the Unicode names (TURNED / REVERSED / INVERTED letters), then spread over the
    confusables (open o ``ɔ`` looks like ``ↄ`` REVERSED C, ``∀`` like ``Ɐ`` TURNED A) and
    upper/lower case partners, to characters that do not already fold to an ASCII letter.
    """
    flipped: dict[str, str] = {}
    for cp in range(0x80, sys.maxunicode + 1):
        ch = chr(cp)
        if unicodedata.category(ch) in {"Cn", "Co", "Cs", "Mn", "Me", "Cf", "Cc"}:
            continue
        if (letter := flip_letter(ch, mapping)) is not None:
            flipped[ch] = letter
    flipped.update(FLIP_EXTRA)

    def is_letter(ch: str) -> bool:
        return mapping.get(ch, "").isalpha()

    changed = True
    while changed:
        changed = False
        for ch, others in sorted(table.items()):
            if ch in flipped or ch.isascii() or is_letter(ch):
                continue
            letters = sorted({flipped[o] for o in others if o in flipped})
            if len(letters) == 1:
                flipped[ch] = letters[0]
                changed = True
        for ch, letter in sorted(flipped.items()):
            for partner in (ch.lower(), ch.upper()):
                if (
                    len(partner) == 1
                    and partner not in flipped
                    and not partner.isascii()
                    and not is_letter(partner)
                ):
                    flipped[partner] = letter
                    changed = True
    return dict(sorted(flipped.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--confusables-txt", type=Path, help="a raw UTS #39 confusables.txt")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if args.confusables_txt:
        table, source = load_confusables_txt(args.confusables_txt)
    else:
        table, source = load_confusables_json()

    mapping: dict[str, str] = {}
    counts: dict[str, int] = {}
    for cp in range(0x80, sys.maxunicode + 1):
        ch = chr(cp)
        if unicodedata.category(ch) in {"Cn", "Co", "Cs", "Mn", "Me", "Cf", "Cc"}:
            continue
        folded = fold_char(ch, table)
        if folded is None:
            continue
        mapping[ch] = folded[0]
        counts[folded[1]] = counts.get(folded[1], 0) + 1

    flipped = flip_table(mapping, table)
    doc = {
        "_about": "Generated by tools/gen_confusables.py; do not edit. See data/README.md.",
        "unicode_version": unicodedata.unidata_version,
        "confusables_source": source,
        "map": dict(sorted(mapping.items())),
        "flipped": flipped,
    }
    args.out.write_text(
        json.dumps(doc, ensure_ascii=False, indent=0, sort_keys=False) + "\n", encoding="utf-8"
    )
    print(
        f"{len(mapping)} characters, {len(flipped)} turned/mirrored -> {args.out}  "
        f"({counts}; {source})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
