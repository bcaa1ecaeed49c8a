"""Protocol clauses `aanwijzing-5` and `aanwijzing-7`: help a discussion cool down.

"Als je in een discussie betrokken raakt waarvan je merkt dat die onplezierig wordt, houd er dan
mee op in plaats van je te laten meeslepen." -- when a discussion turns unpleasant, stop rather
than be carried along; and don't react impulsively.

This module is the pure rule: no discord import, no store, no clock (time is a parameter). It has
two steps, so the cheap one can run on every post and the text is never kept:

1. `read(text)` reads one post into `PostSignals` (numbers and short codes, not the text) and
   the learned model's score of what it says (`signals_of`: the reading alone):
   the text is folded (lower case; accents and look-alike letters to ASCII with the name rule's
   table; leet digits between letters; spaced letters "k a n k e r" joined; repeated letters
   collapsed), then one compiled regex over the word lists of ``data/heat_lexicon.json`` finds
   hostile wording (insults, threats, cold dismissal, disease curses, swearing, "je moeder"),
   second-person address, and banter markers (laughing words and emoji). Words on the allow
   list are consumed first and never count.
2. `assess(window, at, settings, state)` looks at a short window of `Post`s (author ids, times,
   signals, reply and mention targets) and returns a `Heat`: a level 0-100, an action
   (none / nudge / slowmode), a reason and the member ids involved. It models who talks to whom
   (replies, mentions, or the fast back-and-forth of two or three members), mutual hostility,
   a pile-on (several members against one; laughing along with the attacker counts as joining
   it), one member going at the same member again and again, escalation (each turn harsher),
   the pace, someone asking to stop ("doe rustig", "dit gaat te ver": an objection, which also
   ends any banter cooling), and banter (the target laughing along, laughter from both sides),
   which cools the level.

A plain post costs one regex search: `Lexicon.screen` over " " + the lower-cased text finds
whether any word a pattern needs, a laugh, an address or a disguise is there at all.

Swearing counts for little unless it is aimed at a person ("kut toets" is frustration; "jij
kankerlijer" is not). `ChannelWatch` keeps the bounded per-channel window and the action state
in memory, for the bot and the command line alike.

The rule lives in one module per idea; this module keeps the public names importable:
`rules_fold` (folding a post's text), `rules_lexicon` (the compiled word lists and the screen),
`rules_signals` (one post's signals), `rules_window` (the conversation-level episode and
`ChannelWatch`) and `rules_transcript` (transcripts replayed for the command line).
"""

from __future__ import annotations

from typing import Final

from compass_bot.features.heat.rules_fold import fold
from compass_bot.features.heat.rules_lexicon import (
    Lexicon,
    LexiconError,
    load_lexicon,
    shipped_lexicon,
)
from compass_bot.features.heat.rules_signals import CALM, PostSignals, read, signals_of
from compass_bot.features.heat.rules_transcript import (
    MAX_TEXT_CHARS,
    Message,
    TranscriptError,
    parse_message,
    replay,
)
from compass_bot.features.heat.rules_watch import ChannelWatch
from compass_bot.features.heat.rules_window import (
    Action,
    Heat,
    HeatSettings,
    HeatState,
    Post,
    assess,
)

__all__ = [
    "CALM",
    "CLAUSE_IDS",
    "MAX_TEXT_CHARS",
    "Action",
    "ChannelWatch",
    "Heat",
    "HeatSettings",
    "HeatState",
    "Lexicon",
    "LexiconError",
    "Message",
    "Post",
    "PostSignals",
    "TranscriptError",
    "assess",
    "fold",
    "load_lexicon",
    "parse_message",
    "read",
    "replay",
    "shipped_lexicon",
    "signals_of",
]

CLAUSE_IDS: Final = ("aanwijzing-5", "aanwijzing-7")


def __getattr__(name: str) -> Lexicon:
    if name == "LEXICON":
        return shipped_lexicon()
    raise AttributeError(name)
