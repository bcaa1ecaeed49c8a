"""Reading "zetten": putting, which is posting only where something online is in the
question. A pure step after the analyser has read a question's words and phrases."""

from __future__ import annotations

PUT = "PUT"
POST = "POST"
_PUT_ONLINE = frozenset(
    {"PLATFORM", "CHAT", "APP", "ONLINE", "SOCIALMEDIA", "ACCOUNT", "ALIAS", "ACCOUNTNAME"}
    | {"PHOTO", "SCREENSHOT", "TAG", "LOCATION", "FANPAGE", "FRIENDSONLY", "SPREAD", "POST"}
)
""""Zetten" (zet, gezet, zette) is putting: posting only where something online is in the
question ("op insta zetten", "een screenshot in de groepsapp zetten"); else a name on the
shirts, a phone on silent, a point in a POP or a bike in the corridor. The lexicon reads
it as PUT, which becomes POST beside one of these concepts and no term without them. Of
the labelled questions whose zetten stands without them, 13 are out of scope and 4 in
scope ("online zetten" stays a phrase of POST)."""


def put_read(terms: list[str], concepts: set[str]) -> list[str]:
    """PUT read as POST where something online is in the question, else dropped (in
    `concepts` too, which the caller passes as it collected them)."""
    posted = not concepts.isdisjoint(_PUT_ONLINE)
    concepts.discard(PUT)
    if posted:
        concepts.add(POST)
    out = [POST if t == PUT and posted else t for t in terms if t != PUT or posted]
    return list(dict.fromkeys(out))
