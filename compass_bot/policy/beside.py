"""Topics beside the protocol: which one a question asks about, and whether it asks for it
in itself. Pure functions over an analysed question, used by `matcher.Matcher.decide`:
a topic found here widens the margin by which the out-of-scope class wins, so that a
clause sharing the question's other words is not quoted for what the protocol leaves open.

Round qa38 (#17: qa_new_ai..al joined the labelled questions; the near misses studied as
classes): the protocol's ground (`on_ground`) leaves out a device (homework on a phone),
the protocol's name in a complaint (a grade complained of "volgens het protocol") and a
discussion told as offline; who a person is or where and when to find them, and another
company called Compass, are asked for themselves; why the protocol was made is its
purpose. With "zetten" read as posting only beside something online (putting.py).
Leave-one-file-out over the 48 files: 7604 -> 7607 of 7990 in scope, 2492 -> 2499 of 2560
refused (tricky 635 -> 638, scenario 1416 -> 1418); qa_new_ai..ak left out of one model
together: 449 -> 449 of 483, 169 -> 171 of 177. Not done: a discussion at home about an
app ("aan de keukentafel ... over mijn TikTok-gebruik"), a kompas emoji or app in a name.
"""

from __future__ import annotations

from collections.abc import Mapping

from compass_bot.policy.normalise import Analysis

_CRITICISM = frozenset({"NEGATIVE", "ANGRY", "QUARREL", "DISCUSSION"})
_CRITICISED = frozenset({"TIMETABLE", "HOMEWORK", "GRADES", "DRESS_FOOD", "HOLIDAY", "ABSENCE"})
"""School matters beside the protocol that a message may only be about: a question that
runs them down (NEGATIVE) or quarrels or argues about them (QUARREL, DISCUSSION) on
social media asks about being negative online (aanwijzing-4) or a row in the group chat
(aanwijzing-5), not about the timetable or the group project, so the margin for topics
beside the protocol does not apply; an angry post about them (ANGRY: "een boze TikTok over
het rooster") is criticism too (28 of the 29 labelled questions like it are in scope). The
punishment and the police are asked about for themselves and keep it."""

_RUN_DOWN = frozenset({"NEGATIVE", "ANGRY"})
_WHERE_RUN_DOWN = frozenset({"OTHERSCHOOL", "OFFICIALACCOUNT"})
"""Another school and the school's own accounts are beside the protocol when asked about
for themselves (their rules, who runs them), but a question that runs the school down to a
pupil of another school or on the school's account it takes over asks about being
negative online (aanwijzing-4): all 6 labelled questions with such a topic, a word that
runs down and a word of the protocol's ground are in scope; none of the 66 out-of-scope
ones with the topic has such a word."""

_SCENE = frozenset({"PHYSICAL"})
_RECORDED = frozenset({"PHOTO"})
"""Offline trouble (a fight, being pushed or hit) is beside the protocol, unless it was
filmed or photographed: then the recording, its spreading and consent are the question
("a video of a fight in the school yard went round"), and the margin for topics beside
the protocol does not apply. Bullying both offline and on a platform keeps the margin."""

_MAKING = frozenset({"GOVERNANCE"})
_PURPOSE = frozenset({"WHY", "GOAL"})
"""Who writes, adopts or enforces the protocol is beside it, but why the school made it
("waarom heeft de school dit protocol gemaakt", "met welk doel opgesteld") is its purpose,
which the introduction states: all 8 labelled questions that ask why or to what end it
was made are in scope (inleiding, gebruik)."""

_SANCTION = frozenset({"PUNISHMENT"})
"""The topic beside the protocol that a question asks about for itself even when it names
a clause's whole situation ("what do you get for an account with the school's name"): the
protocol never says what the sanction is."""

_WAITING = frozenset({"WAITING"})
_PROCESSED = frozenset({"REPORT", "HANDLE"})
"""How long until a report or complaint is handled ("hoe lang duurt het voordat mijn
melding over online pesten is afgehandeld") is asked for itself like the sanction, even
beside the protocol's words for online bullying: aanwijzing-9 sends a report to the
existing rules and names no term."""

_LAW = frozenset({"LAW"})
_ASKS_PROTOCOL = frozenset({"PROTOCOL", "FRAME"})
"""What the law (the AVG, the GDPR, the age limit of an app) says is asked for itself like
the sanction, even about sharing others' photos, the situation of aanwijzing-6: of the
25 labelled questions naming the law, 24 are out of scope; the one in scope asks what
the protocol says beside the law, so a question naming the protocol keeps the narrow
margin."""

_WHEREABOUTS = frozenset({"WHEREABOUTS"})
"""Who a person at school is, or where and when to find them ("wie is de
vertrouwenspersoon", "op welke dagen heeft zij spreekuur", "waar zit die"), asked in the
sentence that asks: the protocol names roles to go to (aanwijzing-7) and no people, rooms
or hours, so a story of doubt about a post before it does not make it aanwijzing-7's
question. Of the labelled questions asking it, 53 are out of scope; the in-scope ones
are two-question messages whose other question keeps its answer, and a poll's quoted
title ("wie is de knapste van 4B"): a quoted line is what a post says, so a question with
one is not taken to ask it."""


_OTHER_COMPANY = frozenset({"OTHERCOMPANY"})
"""A company or brand that is also called Compass ("mijn vader werkt bij Compass Group en
wil een LinkedIn-pagina met die naam", "verzekeraar Compass"): aanwijzing-2 is about the
school's name in an account name, so a question about another Compass is asked for
itself, even with an account and a quoted name in it."""


_HARASSED = frozenset({"UNPLEASANT", "NEGATIVE", "MISUSE", "QUARREL"})
_SCHOOL_PLACE = frozenset({"ATSCHOOL", "FACILITY", "LESSON"})
_OFFLINE = "PHYSICAL"
"""Bullying or a quarrel told only by the place at school where it happens ("ze lacht me
uit op het schoolplein", "in de fietsenstalling uitgescholden") or by the lesson it happens
in ("grappen over mijn gewicht tijdens gym"), with nothing online in the question, is
offline trouble: the topic beside the protocol that "niet online" names. Of the labelled
questions with such a place, such trouble and no concept of the protocol's ground, all 9
are out of scope, and all 4 told by a lesson (round qa32)."""


_DEVICE = frozenset({"PHONE", "APP"})
"""A phone, a laptop or an app is a device, not the protocol's ground: a topic beside the
protocol done on one ("huiswerk maken op mijn telefoon", "een telefoon ingenomen in de
les", "een rekenapp bij de toets") has nothing online in it. Of the labelled questions
with such a topic whose only concepts of the protocol's ground are these, 145 are out of
scope and 1 in scope (a two-question message, its first part answered on its own)."""

_COMPLAINT = frozenset({"REPORT"})
_NAMES_RULES = frozenset({"PROTOCOL", "RULES", "FRAME"})
"""A complaint or a report that names the protocol or its rules only as where the word
"klachten" comes from ("in het protocol staat iets over klachten; kan ik daar mijn klacht
over een cijfer kwijt?") is about what it complains of, not about social media:
aanwijzing-9 is about complaints of misuse of social media. Of the labelled questions
with a report or complaint whose only concepts of the protocol's ground are these, 58
are out of scope and 6 in scope, none of the six with a topic beside the protocol."""


_TOLD_OFFLINE = frozenset({"PHYSICAL"})
_TALK = frozenset({"DISCUSSION"})
"""A discussion said to happen offline ("gewoon in het lokaal, niet online", "in het echt")
is no online discussion, and naming the protocol beside it ("moet ik stoppen, zoals het
protocol zegt?") puts nothing online: aanwijzing-5 is about discussions on social media.
The 3 labelled questions told offline whose only ground is a discussion, the protocol or
its rules are all out of scope."""


def on_ground(analysis: Analysis, domain: frozenset[str]) -> bool:
    """Whether the question has a concept of the protocol's ground (an app, a post, an
    account, a chat) beyond a device, the protocol's own name in a complaint, and a
    discussion or the protocol's name in a story told as offline: without one, a topic
    beside the protocol takes the widest margin (`off_ground_margin`)."""
    ground = (analysis.concepts & domain) - _DEVICE
    if ground and not _COMPLAINT.isdisjoint(analysis.concepts):
        ground -= _NAMES_RULES
    if ground and not _TOLD_OFFLINE.isdisjoint(analysis.concepts):
        ground -= _TALK | _NAMES_RULES
    return bool(ground)


def topic_beside(
    analysis: Analysis, topics: Mapping[str, tuple[str, str]], domain: frozenset[str]
) -> str | None:
    """The first topic beside the protocol the question asks about (not only names as what
    a post shows), or offline trouble told by a place at school with nothing online."""
    found = next(
        (t for t in analysis.terms if t in topics and not only_context(t, analysis, domain)), None
    )
    if found is None and analysis.concepts.isdisjoint(domain) and offline_trouble(analysis):
        return _OFFLINE
    return found


def only_context(topic: str, analysis: Analysis, domain: frozenset[str]) -> bool:
    """A topic beside the protocol that the question names only as what a post is
    about or shows: "I'll post how bad the new timetable is", "a video of the fight
    in the school yard". The post is the question; the topic widens no margin. Why the
    protocol was made is its purpose, not who made it. Running a school matter down
    counts only on the protocol's ground (`on_ground`): a complaint about an unfair grade
    that names the protocol for its word is about the grade."""
    if topic in _CRITICISED:
        return not _CRITICISM.isdisjoint(analysis.concepts) and on_ground(analysis, domain)
    if topic in _MAKING:
        return not _PURPOSE.isdisjoint(analysis.concepts)
    if topic in _WHERE_RUN_DOWN:
        return not _RUN_DOWN.isdisjoint(analysis.concepts) and on_ground(analysis, domain)
    return topic in _SCENE and not _RECORDED.isdisjoint(analysis.concepts)


def offline_trouble(analysis: Analysis) -> bool:
    """Bullying or a quarrel placed at school (the yard, the corridor, the bike shed)
    and not a quoted line of the protocol; the caller checks that nothing is online."""
    return (
        not analysis.quotes
        and not _HARASSED.isdisjoint(analysis.concepts)
        and not _SCHOOL_PLACE.isdisjoint(analysis.concepts)
    )


def asked_for_itself(analysis: Analysis) -> bool:
    """The sanction, how long until a report is handled, what the law says, who a person
    is and where to find them, or another company called Compass: asked about for itself
    even when the question names a clause's whole situation, so the widest margin
    applies."""
    asking = analysis.asked or analysis.terms
    return (
        not _SANCTION.isdisjoint(analysis.terms)
        or (not _WHEREABOUTS.isdisjoint(asking) and not analysis.quotes)
        or not _OTHER_COMPANY.isdisjoint(analysis.terms)
        or (
            not _WAITING.isdisjoint(analysis.concepts)
            and not _PROCESSED.isdisjoint(analysis.concepts)
        )
        or (not _LAW.isdisjoint(analysis.terms) and _ASKS_PROTOCOL.isdisjoint(analysis.concepts))
    )
