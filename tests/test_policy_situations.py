"""Situations told in the asker's own words: the words that carry them are concepts, and
questions just beside the protocol (the punishment, school bodies, the platforms' own
help) are refused with the topic left open."""

from __future__ import annotations

import pytest

from compass_bot.policy import CLAUSE_IDS, Matcher, Tuning, load_clauses
from compass_bot.policy.matcher import OUT_OF_SCOPE


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_clauses())


@pytest.mark.parametrize(
    ("phrase", "concept"),
    [
        # staff watching students: a split verb ("letten ... erop") is still noticing
        ("letten mentoren erop wat we posten", "SIGNAL"),
        ("houden docenten dat in de gaten", "SIGNAL"),
        ("do teachers check what we post", "SIGNAL"),
        # telling where you are without the word "locatie"
        ("iedereen ziet waar ik uithang", "LOCATION"),
        ("ze deelt waar zij zich bevindt", "LOCATION"),
        # other people's data beyond photos
        ("met mijn volledige naam erbij", "PERSONALINFO"),
        # anonymity without the word "anoniem"
        ("ik game onder een gamertag", "ALIAS"),
        ("niemand weet wie ik ben online", "ALIAS"),
        ("nobody knows who i am there", "ALIAS"),
        # the punishment asked as a suspension
        ("word je geschorst als je dat doet", "PUNISHMENT"),
        ("do you get suspended for that", "PUNISHMENT"),
        ("kan ik geschorst worden als ik dat doe", "PUNISHMENT"),
        ("can i get suspended for that", "PUNISHMENT"),
    ],
)
def test_situation_phrases_are_concepts(matcher: Matcher, phrase: str, concept: str) -> None:
    assert concept in matcher.normaliser.analyse(phrase, correct_typos=False).concepts


def _scores(clause: str, score: float, oos: float) -> dict[str, float]:
    scores = dict.fromkeys(CLAUSE_IDS, 0.0)
    scores[clause] = score
    scores[OUT_OF_SCOPE] = oos
    return scores


def test_a_topic_left_open_outweighs_a_clause_ahead_by_less_than_ten(matcher: Matcher) -> None:
    """Calibrated on the measured holdouts and dev sets (the model had not seen them):
    beside_margin 6 -> 10 refused 2 more near misses of 221 and cost no answer."""
    question = "wat is de straf als je in de les op tiktok zit"
    analysis = matcher.normaliser.analyse(question)
    assert "PUNISHMENT" in analysis.concepts
    scores = _scores("schooltijd", 45.0, 36.0)
    match = matcher.decide(question, analysis, scores)
    assert match.status == "none" and match.beside == "PUNISHMENT"
    assert matcher.decide(
        question, analysis, scores, Tuning(beside_margin=6.0, sanction_margin=0.0)
    ).clause == ("schooltijd")


@pytest.mark.parametrize(
    "question",
    [
        "kan ik geschorst worden als ik een docent online beledig",
        "can i get suspended for roasting the school online",
    ],
)
def test_a_suspension_is_the_sanction_asked_for_itself(matcher: Matcher, question: str) -> None:
    """A question "can I be suspended if ..." asks what the sanction is, which no clause says (32 of
    the 36 labelled questions naming a suspension are out of scope): it is refused however
    far aanwijzing-3 leads, not flipped by a retrained model."""
    analysis = matcher.normaliser.analyse(question)
    match = matcher.decide(question, analysis, _scores("aanwijzing-3", 70.0, 30.0))
    assert match.status == "none" and match.beside == "PUNISHMENT"


def test_a_course_is_not_the_pop_it_may_go_into(matcher: Matcher) -> None:
    """A course or training is its own concept: who offers or pays for one is beside the
    protocol, while a course put into the POP stays medewerkers-5."""
    course = matcher.normaliser.analyse("welke cursussen biedt de school aan", correct_typos=False)
    assert "COURSE" in course.concepts and "POP" not in course.concepts
    assert (
        matcher.match("Welke cursussen over sociale media biedt de school docenten aan?").clause
        is None
    )
    into_pop = "Moet ik als docent een cursus over tiktok in mijn POP opnemen?"
    assert matcher.match(into_pop).clause == "medewerkers-5"


@pytest.mark.parametrize(
    "question",
    [
        "hoe kom ik in de leerlingenraad?",
        "hoe meld ik een nepprofiel bij tiktok zelf?",
        "krijg je een schorsing als je een nepaccount van een docent maakt?",
    ],
)
def test_questions_just_beside_the_protocol_are_refused(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).clause is None


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        ("letten mentoren erop hoe wij ons op tiktok gedragen?", "medewerkers-2"),
        ("mijn snapchat laat al mijn vrienden zien waar ik uithang, is dat erg?", "locatie"),
        # expected to fail (and marked so) until holdout_g/h/i joined the training questions
        (
            "op discord heb ik een gamertag, dus niemand weet wie ik ben. mag ik dan alles zeggen?",
            "aanwijzing-1",
        ),
    ],
)
def test_situations_reach_their_clause(matcher: Matcher, question: str, clause: str) -> None:
    assert matcher.match(question).clause == clause


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("hoeveel moet je betalen als boete voor filmen in de klas", "PUNISHMENT"),
        ("krijg je een schriftelijke waarschuwing voor een meme over een docent", "PUNISHMENT"),
        ("welke afdeling gaat de naleving van de regels voor instagram controleren", "GOVERNANCE"),
        ("who is responsible for enforcing the rules about tiktok", "GOVERNANCE"),
        ("mag een foto van de klas op insta volgens de avg", "LAW"),
        ("is posting a screenshot of a chat allowed by law", "LAW"),
        ("geeft school voorlichting over snapchat aan ouders", "SCHOOLADVICE"),
        ("hoe lang duurt het mentoruur waarin we over tiktok praten", "TIMETABLE"),
        (
            "ik werd zonder telefoon erbij uitgescholden door jongens die me op snap pesten",
            "PHYSICAL",
        ),
        ("kan ik een nepaccount via instagram zelf laten verwijderen", "PLATFORMHELP"),
        ("staat in het pestbeleid ook iets over roddels op snapchat", "CONDUCT"),
        ("gelden deze tiktok regels voor alle scholen van de scholengroep", "OTHERSCHOOL"),
        ("moet ik een toestemmingsformulier invullen voor foto's op insta", "CONSENTFORM"),
        ("hoeveel volgers heeft het instagram account van de school", "OFFICIALACCOUNT"),
    ],
)
def test_a_topic_beside_the_protocol_is_named_and_outweighs_a_close_clause(
    matcher: Matcher, question: str, topic: str
) -> None:
    """The school's organisation, the law, its own advice, durations, offline trouble and
    the platforms' own help are just beside the protocol: a clause ahead by less than the
    margin is not quoted, and the refusal names the topic left open."""
    analysis = matcher.normaliser.analyse(question)
    assert topic in analysis.concepts
    scores = _scores("aanwijzing-6", 45.0, 41.0)
    match = matcher.decide(question, analysis, scores)
    assert match.status == "none" and match.beside == topic
    assert topic in matcher.book.beside_topics
    unmarked = Tuning(beside_margin=0.0, sanction_margin=0.0, off_ground_margin=0.0)
    assert matcher.decide(question, analysis, scores, unmarked).clause == "aanwijzing-6"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        (
            "ik heb ruzie met een klasgenoot in de gang, niet online. lost school dat op?",
            "PHYSICAL",
        ),
        ("blijft een melding over mij in mijn leerlingdossier staan?", "RECORDS"),
        ("bij wie kan ik terecht met mijn profielkeuze?", "CAREER"),
        ("hoe lang duurt de middagpauze op woensdag?", "TIMETABLE"),
    ],
)
def test_a_topic_beside_the_protocol_with_nothing_online_is_refused_by_a_wide_margin(
    matcher: Matcher, question: str, topic: str
) -> None:
    """A topic beside the protocol and no concept of its ground (no app, post, account,
    phone): nothing in the question is online, so a clause well ahead on the other words
    (the break, a quarrel, a report) still answers something else."""
    analysis = matcher.normaliser.analyse(question)
    assert topic in analysis.concepts
    assert not analysis.concepts & matcher.index.domain
    scores = _scores("aanwijzing-8", 60.0, 25.0)
    match = matcher.decide(question, analysis, scores)
    assert match.status == "none" and match.beside == topic
    narrow = Tuning(off_ground_margin=0.0)
    assert matcher.decide(question, analysis, scores, narrow).clause == "aanwijzing-8"


def test_the_same_topic_with_something_online_keeps_the_narrow_margin(matcher: Matcher) -> None:
    """Only the questions with nothing online get the wide margin: a fight that goes on
    on Snapchat is the protocol's ground, and a clause well ahead is quoted."""
    question = (
        "ik heb ruzie met een klasgenoot in de gang en nu ook op snapchat, lost school dat op?"
    )
    analysis = matcher.normaliser.analyse(question)
    assert analysis.concepts & matcher.index.domain
    scores = _scores("aanwijzing-8", 60.0, 25.0)
    assert matcher.decide(question, analysis, scores).clause == "aanwijzing-8"


@pytest.mark.parametrize(
    "question",
    [
        "een meisje lacht me elke dag uit op het schoolplein, wat kan ik doen?",
        "ik word in de fietsenstalling steeds uitgescholden door ouderejaars",
    ],
)
def test_bullying_told_only_by_a_place_at_school_is_offline_trouble(
    matcher: Matcher, question: str
) -> None:
    """Bullying told by the place at school where it happens, with nothing online, is
    the topic "niet online" names (PHYSICAL): refused by the wide margin, and named."""
    analysis = matcher.normaliser.analyse(question)
    assert "PHYSICAL" not in analysis.concepts
    assert not analysis.concepts & matcher.index.domain
    scores = _scores("aanwijzing-9", 60.0, 25.0)
    match = matcher.decide(question, analysis, scores)
    assert match.status == "none" and match.beside == "PHYSICAL"


def test_bullying_at_a_place_with_something_online_is_not_offline(matcher: Matcher) -> None:
    """The same place with a post or an app in the question is the protocol's ground."""
    question = "ze lachen me uit op het schoolplein om een foto die iemand op tiktok zette"
    analysis = matcher.normaliser.analyse(question)
    scores = _scores("aanwijzing-9", 60.0, 25.0)
    match = matcher.decide(question, analysis, scores)
    assert match.clause == "aanwijzing-9" and match.beside is None


@pytest.mark.parametrize(
    "question",
    [
        "hoe lang duurt het voordat mijn melding over online pesten op insta is afgehandeld?",
        "how long does it take before the school handles my report about a fake account?",
    ],
)
def test_how_long_handling_a_report_takes_is_refused_even_online(
    matcher: Matcher, question: str
) -> None:
    """The protocol names no term for a report: a question about the wait is refused
    even when it names the whole situation of aanwijzing-9, which is offered nearby."""
    analysis = matcher.normaliser.analyse(question)
    assert analysis.concepts & matcher.index.domain
    scores = _scores("aanwijzing-9", 80.0, 20.0)
    match = matcher.decide(question, analysis, scores)
    assert match.status == "none" and match.related == ("aanwijzing-9",)
    reporting = "waar kan ik mijn melding over online pesten op insta doen?"
    assert matcher.decide(reporting, matcher.normaliser.analyse(reporting), scores).clause == (
        "aanwijzing-9"
    )


@pytest.mark.parametrize(
    "question",
    [
        "wat zegt de AVG over het delen van foto's van klasgenoten op insta?",
        "is it illegal to post a screenshot of someone's snap?",
    ],
)
def test_what_the_law_says_is_refused_even_on_the_protocols_ground(
    matcher: Matcher, question: str
) -> None:
    """The law is asked about for itself like the sanction: refused however far the
    clause about others' photos is ahead, and named as the topic left open."""
    analysis = matcher.normaliser.analyse(question)
    assert analysis.concepts & matcher.index.domain
    match = matcher.decide(question, analysis, _scores("aanwijzing-6", 80.0, 20.0))
    assert match.status == "none" and match.beside == "LAW"


def test_the_law_beside_a_question_about_the_protocol_keeps_the_narrow_margin(
    matcher: Matcher,
) -> None:
    """Asked what the protocol says, with the AVG only as the occasion, the clause wins."""
    question = (
        "we hadden het over de AVG: wat zegt het protocol over informatie over anderen delen?"
    )
    analysis = matcher.normaliser.analyse(question)
    match = matcher.decide(question, analysis, _scores("aanwijzing-6", 80.0, 20.0))
    assert match.clause == "aanwijzing-6"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("mag ik een boze tiktok maken over het nieuwe rooster?", "TIMETABLE"),
        ("mag ik in mijn story zetten dat het rooster een complete grap is?", "TIMETABLE"),
        (
            "een jongen van een andere school vraagt in een dm hoe compass is, mag ik zeggen dat het een slechte school is?",
            "OTHERSCHOOL",
        ),
        (
            "ik neem een week de insta van school over, mag ik daar zeggen wat slecht is aan school?",
            "OFFICIALACCOUNT",
        ),
    ],
)
def test_running_the_school_down_is_no_topic_left_open(
    matcher: Matcher, question: str, topic: str
) -> None:
    """A post that runs the school down asks about being negative online (aanwijzing-4),
    whatever school matter it is about or wherever it is said: the topic beside the
    protocol is only its subject and widens no margin."""
    analysis = matcher.normaliser.analyse(question)
    assert topic in analysis.terms
    scores = _scores("aanwijzing-4", 40.0, 39.0)
    match = matcher.decide(question, analysis, scores)
    assert match.clause == "aanwijzing-4" and match.beside is None


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("hoeveel volgers heeft het insta-account van school?", "OFFICIALACCOUNT"),
        ("wat zijn de tiktok-regels op een andere school?", "OTHERSCHOOL"),
    ],
)
def test_the_same_topics_asked_for_themselves_keep_the_margin(
    matcher: Matcher, question: str, topic: str
) -> None:
    """Without a word that runs the school down they are asked about for themselves."""
    analysis = matcher.normaliser.analyse(question)
    scores = _scores("aanwijzing-4", 40.0, 39.0)
    match = matcher.decide(question, analysis, scores)
    assert match.status == "none" and match.beside == topic


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("wat zegt het protocol over accountnamen", {"aanwijzing-2"}),
        ("wat zegt het protocol over klachten", {"aanwijzing-9", "medewerkers-9"}),
        ("wat zijn de regels voor accountnamen", {"aanwijzing-2"}),
        ("wat is de regel over schooltijd", {"schooltijd"}),
        ("what does the protocol say about complaints", {"aanwijzing-9", "medewerkers-9"}),
        ("what are the rules about posting during class", {"schooltijd"}),
        ("wat zegt het protocol over huiswerk", {None}),
        ("what are the rules about the dress code", {None}),
    ],
)
def test_what_the_protocol_says_about_a_thing_is_that_thing(
    matcher: Matcher, question: str, expected: set[str | None]
) -> None:
    """Asking "wat zegt het protocol over X" asks about X: the frame's word "protocol" or "regels"
    does not pull towards the clauses about the protocol itself (FRAME), and a thing the
    protocol does not cover is still refused."""
    analysis = matcher.normaliser.analyse(question)
    assert "FRAME" in analysis.concepts
    assert not {"protocol", "regels", "regel", "rules"} & set(analysis.words)
    assert matcher.match(question).clause in expected


@pytest.mark.parametrize(
    "question",
    ["wat zegt het protocol over", "regels over?", "hoi bot, wat zegt het protocol over..."],
)
def test_a_frame_with_nothing_after_it_asks_about_the_protocol(
    matcher: Matcher, question: str
) -> None:
    """Nothing follows the frame: the question is the protocol itself, too vague to answer
    and not refused (suggestions, as for "wat zijn de regels")."""
    analysis = matcher.normaliser.analyse(question)
    assert "FRAME" not in analysis.concepts and "PROTOCOL" in analysis.concepts
    match = matcher.match(question)
    assert match.status == "doubtful" and match.alternatives


@pytest.mark.parametrize(
    ("framed", "bare"),
    [
        ("wat zegt het protocol over whatsapp groepen", "whatsapp groepen?"),
        ("wat zegt het protocol over de klassenapp", "de klassenapp?"),
    ],
)
def test_the_frame_never_makes_a_vague_thing_a_refusal(
    matcher: Matcher, framed: str, bare: str
) -> None:
    """The frame adds what makes an answer possible, never what turns suggestions for a
    vague X into "the protocol says nothing about it"."""
    assert matcher.match(bare).status == "doubtful"
    assert matcher.match(framed).status == "doubtful"
