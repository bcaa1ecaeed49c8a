"""The one list of features. Adding a feature is one line here; everything else it brings
(schema, staff actions, alert kinds, service, erasure and retention, console commands,
Discord extension) is declared in its own `features/<name>/feature.py`.

Order matters: alerts first (every other feature reports through it; its extension loads first),
privacy last (it reaches every other feature's member data).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from compass_bot.access import Action
from compass_bot.features.alerts.feature import FEATURE as ALERTS
from compass_bot.features.automod.feature import FEATURE as AUTOMOD
from compass_bot.features.base import AlertKind, Feature
from compass_bot.features.digest.feature import FEATURE as DIGEST
from compass_bot.features.heat.feature import FEATURE as HEAT
from compass_bot.features.names.feature import FEATURE as NAMES
from compass_bot.features.operations.feature import FEATURE as OPERATIONS
from compass_bot.features.personal_data.feature import FEATURE as PERSONAL_DATA
from compass_bot.features.privacy.feature import FEATURE as PRIVACY
from compass_bot.features.questions.feature import FEATURE as QUESTIONS
from compass_bot.features.reports.feature import FEATURE as REPORTS
from compass_bot.features.schooltime.feature import FEATURE as SCHOOL_TIME
from compass_bot.storage.db import Migration
from compass_bot.storage.schema import SHARED_MIGRATIONS, ordered

FEATURES: tuple[Feature, ...] = (
    ALERTS,
    QUESTIONS,
    SCHOOL_TIME,
    NAMES,
    REPORTS,
    PERSONAL_DATA,
    HEAT,
    DIGEST,
    AUTOMOD,
    OPERATIONS,
    PRIVACY,
)


def migrations() -> tuple[Migration, ...]:
    """Every feature's migrations and the shared ones, in number order (checked: 1..N)."""
    return ordered([*SHARED_MIGRATIONS, *(m for f in FEATURES for m in f.migrations)])


@cache
def alert_kinds() -> Mapping[str, AlertKind]:
    """Every rule that raises alerts, by rule id."""
    return {kind.rule: kind for f in FEATURES for kind in f.alert_kinds}


_TITLE_WORD = re.compile(r"[^\W\d_]{4,}")  # a title's words of four letters or more


def _key(text: str) -> str:
    """A filter word as compared: case, spaces and hyphens aside ("School time" is
    "schooltime", "aanwijzing 2" is "aanwijzing-2")."""
    return re.sub(r"[\s_-]+", "", text.casefold())


def _own_words(kind: AlertKind) -> tuple[str, ...]:
    """The words that name a kind: its rule id, its declared words, its title's words."""
    return (kind.rule, *kind.words, *_TITLE_WORD.findall(kind.title.casefold()))


@cache
def _kinds_by_word() -> Mapping[str, AlertKind]:
    """Every kind by each of its words; a word two kinds share names neither of them."""
    seen: dict[str, set[str]] = {}
    for kind in alert_kinds().values():
        for word in _own_words(kind):
            seen.setdefault(_key(word), set()).add(kind.rule)
    return {
        word: alert_kinds()[next(iter(rules))] for word, rules in seen.items() if len(rules) == 1
    }


def alert_kind_named(text: str) -> AlertKind | None:
    """The alert kind a moderator means: by rule id or an everyday word for it ("naam",
    "school time", "melding"), so filtering needs no clause codes."""
    by_word, key = _kinds_by_word(), _key(text)
    # one word for one or more: "lesson" as "lessons", "names" as "name"
    return by_word.get(key) or by_word.get(key + "s") or by_word.get(key.removesuffix("s"))


def alert_kind_words() -> Mapping[str, tuple[str, ...]]:
    """Per rule, the words a usage line shows for it: the rule id and its declared words, or
    without those its title's (only the words that name it alone)."""
    by_word = _kinds_by_word()
    shown: dict[str, tuple[str, ...]] = {}
    for kind in alert_kinds().values():
        words = kind.words or tuple(_TITLE_WORD.findall(kind.title.casefold()))
        unique = (w for w in (kind.rule, *words) if by_word.get(_key(w)) is kind)
        shown[kind.rule] = tuple(dict.fromkeys(unique))
    return shown


def action(name: str) -> Action:
    """A staff action as its feature declared it (who may, and the refusal for the others)."""
    return next(a for f in FEATURES for a in f.actions if a.name == name)
