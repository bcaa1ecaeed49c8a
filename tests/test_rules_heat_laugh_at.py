"""A laugh that addresses someone (je/jij, a mention) is a laugh at them, not along with the
one who jabbed: it does not join that member's jab as a pile-on on its target (rules_window
`_worded`). A bare laugh after the jab ("hahaha accuraat") still does, unless the jab is only a
threat (not one with a time or place): laughing at "ik trap je zo van je fiets" takes it as the
figure of speech it is between friends (round heat39)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from compass_bot.features.heat.rules import Heat, Message, replay
from compass_bot.features.heat.rules_model import OFF

T0 = datetime(2026, 3, 2, 15, 40, tzinfo=UTC)

_OPENING = (
    ("hugo", "ik heb een lekke band"),
    ("tess", "je fietst ook al als een oma"),
    ("hugo", "hou je bek idioot"),
)


def _last(text: str, jab: str | None = None) -> Heat:
    opening = _OPENING if jab is None else (*_OPENING[:-1], ("hugo", jab))
    lines = (*opening, ("rob", text))
    messages = [Message(a, T0 + timedelta(seconds=15 * i), t) for i, (a, t) in enumerate(lines)]
    return replay(messages, model=OFF)[-1]


def test_a_bare_laugh_after_a_jab_joins_it_as_a_pile_on() -> None:
    assert "pile-on" in _last("hahaha accuraat").reason


def test_a_laugh_that_addresses_the_one_who_jabbed_is_no_pile_on() -> None:
    bare = _last("hahaha accuraat")
    at_him = _last("hahaha jij komt eraan met 3 km per uur")
    assert "pile-on" not in at_him.reason
    assert at_him.level < bare.level


def test_a_bare_laugh_at_a_threat_alone_is_no_pile_on() -> None:
    threat = _last("hahaha accuraat", jab="ik trap je zo van je fiets")
    assert "threat" in threat.reason
    assert "pile-on" not in threat.reason
    # a threat with an insult in it is joined all the same
    both = _last("hahaha accuraat", jab="ik trap je zo van je fiets idioot")
    assert "pile-on" in both.reason
