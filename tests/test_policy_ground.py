"""The protocol's ground: a topic beside the protocol done on a device, or a complaint that
names the protocol only for its word, has nothing online in it; who a person is and where
to find them is asked for itself; why the protocol was made is its purpose (round qa38)."""

from __future__ import annotations

import pytest

from compass_bot.policy import CLAUSE_IDS, Matcher, load_clauses
from compass_bot.policy.beside import asked_for_itself, on_ground, topic_beside
from compass_bot.policy.matcher import OUT_OF_SCOPE
from compass_bot.policy.normalise import Analysis

DOMAIN = frozenset(
    {"PHONE", "APP", "PLATFORM", "POST", "PROTOCOL", "RULES", "SOCIALMEDIA", "DISCUSSION"}
)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_clauses())


def _analysis(*concepts: str) -> Analysis:
    return Analysis(
        terms=concepts, unknown=frozenset(), language="nl", concepts=frozenset(concepts)
    )


@pytest.mark.parametrize(
    ("concepts", "grounded"),
    [
        (("PHONE", "HOMEWORK"), False),  # homework on a phone: a device, nothing online
        (("APP", "PHONE", "TOOLAPP"), False),
        (("PHONE", "PLATFORM", "HOMEWORK"), True),  # an app by name is online life
        (("REPORT", "PROTOCOL", "GRADES"), False),  # the protocol named for its word
        (("REPORT", "RULES"), False),
        (("REPORT", "SOCIALMEDIA"), True),  # a complaint about social media
        (("REPORT", "PROTOCOL", "POST"), True),
        (("PROTOCOL", "GOVERNANCE"), True),  # the protocol asked about for itself
        (("DISCUSSION", "PROTOCOL", "PHYSICAL"), False),  # a discussion told as offline
        (("DISCUSSION", "PHYSICAL", "PLATFORM"), True),
        (("DISCUSSION", "PROTOCOL"), True),
        ((), False),
    ],
)
def test_what_counts_as_the_protocols_ground(concepts: tuple[str, ...], grounded: bool) -> None:
    assert on_ground(_analysis(*concepts), DOMAIN) is grounded


def _scores(clause: str, score: float, oos: float) -> dict[str, float]:
    scores = dict.fromkeys(CLAUSE_IDS, 0.0)
    scores[clause] = score
    scores[OUT_OF_SCOPE] = oos
    return scores


def _refused_at(matcher: Matcher, question: str, clause: str, lead: float) -> bool:
    """Whether the question is refused when `clause` is ahead of out of scope by `lead`."""
    analysis = matcher.normaliser.analyse(question)
    return matcher.decide(question, analysis, _scores(clause, 60.0, 60.0 - lead)).clause is None


def test_a_topic_done_on_a_phone_takes_the_off_ground_margin(matcher: Matcher) -> None:
    """Between the narrow and the wide margin only the ground decides."""
    lead = matcher.tuning.beside_margin + matcher.tuning.off_ground_margin / 2
    on_phone = "mag ik in de pauze mijn huiswerk maken op mijn telefoon"
    on_app = "mag ik in de pauze op tiktok als mijn huiswerk af is"
    assert _refused_at(matcher, on_phone, "schooltijd", lead)
    assert not _refused_at(matcher, on_app, "schooltijd", lead)


def test_a_complaint_naming_the_protocol_for_its_word_takes_the_off_ground_margin(
    matcher: Matcher,
) -> None:
    lead = matcher.tuning.beside_margin + matcher.tuning.off_ground_margin / 2
    grade = (
        "in het protocol staat iets over klachten, kan ik daar mijn klacht over een cijfer kwijt"
    )
    online = "ik heb een klacht over een cijfer dat iemand op insta heeft gezet"
    assert _refused_at(matcher, grade, "aanwijzing-9", lead)
    assert not _refused_at(matcher, online, "aanwijzing-9", lead)


@pytest.mark.parametrize(
    "question",
    [
        "op welke dagen heeft de vertrouwenspersoon spreekuur",
        "wie is de vertrouwenspersoon bij ons op school",
        "who's the counsellor at our school",
        "ik twijfel over een post en wil naar de vertrouwenspersoon. waar zit die eigenlijk?",
        "mijn mentor zei dat ik met twijfels bij haar terecht kan. in welk lokaal zit ze?",
    ],
)
def test_who_a_person_is_or_where_to_find_them_is_asked_for_itself(
    matcher: Matcher, question: str
) -> None:
    assert asked_for_itself(matcher.normaliser.analyse(question))


@pytest.mark.parametrize(
    "question",
    [
        "kan ik bij de vertrouwenspersoon terecht als ik twijfel over een post",
        "met wie kan ik overleggen als ik niet weet of ik iets moet posten",
        # a poll's quoted title is what a post says, not what is asked
        "in een story hielden ze een poll 'wie is de knapste van de klas' met onze fotos. mag dat?",
    ],
)
def test_going_to_a_person_with_a_doubt_is_not_asking_where_they_are(
    matcher: Matcher, question: str
) -> None:
    assert not asked_for_itself(matcher.normaliser.analyse(question))


def test_another_company_called_compass_is_asked_for_itself(matcher: Matcher) -> None:
    company = "mijn moeder werkt bij het bedrijf Compass en wil een pagina met die naam"
    school = "mag ik een pagina met de naam compass maken"
    assert asked_for_itself(matcher.normaliser.analyse(company))
    assert not asked_for_itself(matcher.normaliser.analyse(school))


def test_a_complaint_about_a_grade_that_names_the_protocol_keeps_its_topic(
    matcher: Matcher,
) -> None:
    """Running a school matter down on social media is about the post; an unfair grade
    complained of beside the protocol's name is about the grade."""

    def topic(question: str) -> str | None:
        analysis = matcher.normaliser.analyse(question)
        return topic_beside(analysis, matcher.book.beside_topics, matcher.index.domain)

    assert (
        topic(
            "in het protocol staat iets over klachten, ik heb een klacht over een oneerlijk cijfer"
        )
        == "GRADES"
    )
    assert topic("mag ik op insta posten dat mijn cijfer oneerlijk is") is None


def test_why_the_protocol_was_made_is_its_purpose_not_who_made_it(matcher: Matcher) -> None:
    def topic(question: str) -> str | None:
        analysis = matcher.normaliser.analyse(question)
        return topic_beside(analysis, matcher.book.beside_topics, matcher.index.domain)

    assert topic("wie heeft dit protocol geschreven") == "GOVERNANCE"
    assert topic("waarom heeft de school dit protocol gemaakt") is None
    assert topic("met welk doel heeft de school dit protocol opgesteld") is None


@pytest.mark.parametrize(
    ("phrase", "concept", "not_concept"),
    [
        ("twee jongens willen liever niet online", "OBJECT", "PHYSICAL"),
        ("ze twijfelt of ze het wel of niet online moet zetten", "POST", "PHYSICAL"),
        ("mag ik in de les mijn telefoon op stil zetten", None, "POST"),
        ("mag ik mijn naam op de shirts zetten", None, "POST"),
        ("mag ik een foto van de klas op insta zetten", "POST", None),
        ("mijn vader werkt bij een bedrijf dat compass heet", "OTHERCOMPANY", None),
        ("een paar muzikanten willen niet online komen", "OBJECT", "PHYSICAL"),
        ("iemand pest mij op het schoolplein, niet online", "PHYSICAL", "OBJECT"),
        ("ik wil het concert live uitzenden", "PHOTO", None),
        ("mag ik in de pauze een snack halen", "DRESS_FOOD", None),
        ("mag ik in de pauze een spelletje doen", "NOTSOCIAL", None),
        ("mag ik in de les kahoot spelen", "TOOLAPP", None),
        ("ik ben het niet eens met mijn rapportcijfer", "GRADES", None),
        ("waar vind ik de klachtenregeling", "CONDUCT", None),
        # "woont" (lives) once read as "won" (a match won): the stem is shared, the sense not
        ("anna woont op de Kerkstraat", None, "SPORTS"),
        ("we hebben de wedstrijd gewonnen", "SPORTS", None),
    ],
)
def test_the_words_of_this_round_are_concepts(
    matcher: Matcher, phrase: str, concept: str | None, not_concept: str | None
) -> None:
    concepts = matcher.normaliser.analyse(phrase, correct_typos=False).concepts
    assert concept is None or concept in concepts
    assert not_concept is None or not_concept not in concepts


@pytest.mark.parametrize(
    ("question", "clauses"),
    [
        ("Mag ik in de middagpauze op mijn telefoon woordjes leren met Quizlet?", set()),
        ("Mag ik in de pauze mijn huiswerk maken op mijn telefoon?", set()),
        (
            "Ik heb een klacht over mijn eindcijfer. In het protocol staat iets over klachten, "
            "moet ik daar zijn?",
            set(),
        ),
        ("Op welke dagen is de vertrouwenspersoon op school?", set()),
        ("Mag ik in de middagpauze op TikTok?", {"schooltijd"}),
        ("Hoe dien ik een klacht in over cyberpesten?", {"aanwijzing-9", "medewerkers-9"}),
        (
            "Mag ik met de vertrouwenspersoon overleggen als ik twijfel over een post?",
            {"aanwijzing-7"},
        ),
        ("Waarom heeft de school dit protocol eigenlijk gemaakt?", {"inleiding", "gebruik"}),
    ],
)
def test_near_misses_are_refused_and_their_neighbours_answered(
    matcher: Matcher, question: str, clauses: set[str]
) -> None:
    """Questions written for this test, not taken from any set: the whole matcher."""
    match = matcher.match(question)
    if clauses:
        assert match.clause in clauses
    else:
        assert match.clause is None


def test_a_second_question_about_a_person_keeps_the_first_answer(matcher: Matcher) -> None:
    match = matcher.match("Mag ik in de middagpauze op TikTok? En wie is de vertrouwenspersoon?")
    assert match.clause == "schooltijd"
