"""Words the dictionaries know: a real word is never 'corrected' into another one, the
dictionary form finds a concept an inflection hides, people around the asker are
others, and a student's question is not answered with an employee duty."""

from __future__ import annotations

import pytest

from compass_bot.policy import Matcher, load_clauses
from compass_bot.policy.morphology import is_word, lemma
from compass_bot.policy.normalise import STUDENT_VOICE, Normaliser


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_clauses())


@pytest.mark.parametrize(
    ("word", "not_concept"),
    [
        ("parijs", "MONEY"),  # was corrected to "prijs"
        ("slaap", "PHYSICAL"),  # was "slaan"
        ("tekst", "HOMEWORK"),  # was "test"
        ("lekker", "SPREAD"),  # was "lekken"
        ("beledigd", "PROTOCOL"),  # was "beleid"
        ("politics", "POLICE"),  # was "politie"
        ("tiener", "PLATFORM"),  # was "tinder"
    ],
)
def test_a_real_word_is_not_a_typo_of_a_concept(
    matcher: Matcher, word: str, not_concept: str
) -> None:
    assert is_word(word)
    assert not_concept not in matcher.normaliser.analyse(f"ik vraag iets over {word}").concepts


@pytest.mark.parametrize(
    ("typo", "concept"),
    [
        ("pauzze", "BREAK"),
        ("protokol", "PROTOCOL"),
        ("acount", "ACCOUNT"),
        ("socal", "SOCIALMEDIA"),
    ],
)
def test_real_typos_are_still_corrected(matcher: Matcher, typo: str, concept: str) -> None:
    assert not is_word(typo)
    assert concept in matcher.normaliser.analyse(f"mag ik in de {typo} iets doen").concepts


def test_the_dictionary_form_finds_a_concept_an_inflection_hides() -> None:
    """Neither the exact form, de-inflection nor the stem turns "zusje" into "zus"."""
    normaliser = Normaliser({"OTHERS": ["zus"]})
    normaliser.add_vocabulary(["mijn zus"])
    assert lemma("zusje") == "zus"
    assert "OTHERS" in normaliser.analyse("mijn zusje zegt iets").concepts


@pytest.mark.parametrize(
    "phrase",
    ["mijn buurmeisje", "mijn kamergenoot", "my teammate", "een jongen uit mijn klas"],
)
def test_people_around_the_asker_are_others(matcher: Matcher, phrase: str) -> None:
    assert "OTHERS" in matcher.normaliser.analyse(phrase).concepts


def test_apps_that_share_a_route_are_location(matcher: Matcher) -> None:
    assert "LOCATION" in matcher.normaliser.analyse("strava zet mijn route online").concepts


@pytest.mark.parametrize(
    ("phrase", "also"),
    [
        ("ik ben leerling", "STUDENT"),
        ("mijn mentor zei het", "TEACHER"),  # the phrase does not swallow the teacher
        ("mijn klasgenoten", "OTHERS"),
    ],
)
def test_a_student_asking_is_heard(matcher: Matcher, phrase: str, also: str) -> None:
    concepts = matcher.normaliser.analyse(phrase).concepts
    assert STUDENT_VOICE in concepts and also in concepts


def test_a_student_naming_a_manager_damps_the_staff_duty(matcher: Matcher) -> None:
    """ "My team leader said ... I'm a student": the manager is a staff signal, but the
    asker is a student, so the staff-only clauses are damped."""
    base = "Mijn teamleider zei dat je bij twijfel altijd bij je leidinggevende moet aankloppen."
    as_student = matcher.scores(matcher.normaliser.analyse(f"{base} Ik ben leerling."))
    plain = matcher.scores(matcher.normaliser.analyse(f"{base} Ik ben hier."))
    assert as_student["medewerkers-8"] < plain["medewerkers-8"] - 10.0


@pytest.mark.parametrize(
    "phrase",
    ["we spreken om 2 uur af", "het verdwijnt na 24 uur", "twee uur later", "after 3 hours"],
)
def test_a_clock_time_is_not_a_lesson(matcher: Matcher, phrase: str) -> None:
    """ "om 2 uur" is a time of day, "het 2e uur" a lesson: the cardinal decides."""
    assert "LESSON" not in matcher.normaliser.analyse(phrase).concepts


@pytest.mark.parametrize("phrase", ["in het 2e uur", "het tweede uur", "tijdens het uur"])
def test_the_lesson_hour_is_still_a_lesson(matcher: Matcher, phrase: str) -> None:
    assert "LESSON" in matcher.normaliser.analyse(phrase).concepts


@pytest.mark.parametrize(
    "phrase", ["we zaten in een call", "in de discord-call", "in de voice chat van de game"]
)
def test_a_voice_call_is_a_chat_not_a_name(matcher: Matcher, phrase: str) -> None:
    concepts = matcher.normaliser.analyse(phrase).concepts
    assert "CHAT" in concepts and "NAME" not in concepts


def test_online_games_are_platforms(matcher: Matcher) -> None:
    assert "PLATFORM" in matcher.normaliser.analyse("we spelen valorant").concepts


@pytest.mark.parametrize(
    ("phrase", "concept"),
    [
        ("na de bel check ik met mijn app in bij het gebouw", "LOCATION"),
        ("ik geef het morgen bij mijn mentor aan", "REPORT"),
        ("ze lachen hem in de groepsapp steeds uit", "UNPLEASANT"),
        ("de jongens kraken die leraar op hun story af.", "NEGATIVE"),
    ],
)
def test_a_separated_particle_finds_its_verb(matcher: Matcher, phrase: str, concept: str) -> None:
    """A Dutch main clause moves the particle away from its verb ("check ... in")."""
    assert concept in matcher.normaliser.analyse(phrase).concepts


@pytest.mark.parametrize(
    ("phrase", "concept"),
    [
        ("ik zet een filmpje op tiktok", "CREATE"),  # "op" opens a place: not opzetten
        ("ik check mijn cijfers in magister", "LOCATION"),  # "in magister": a place
        ("i check my phone a lot in class", "LOCATION"),  # English has no such particles
        ("ik check mijn telefoon. in de pauze mag het", "LOCATION"),  # another sentence
    ],
)
def test_a_preposition_is_not_a_separated_particle(
    matcher: Matcher, phrase: str, concept: str
) -> None:
    assert concept not in matcher.normaliser.analyse(phrase).concepts


@pytest.mark.parametrize(
    ("word", "concepts"),
    [
        ("tekenles", {"LESSON"}),  # the head "les" is too short for the general split
        ("mentorles", {"TEACHER", "LESSON"}),  # the modifier's concept is kept
        ("schoolapp", {"SCHOOL", "APP"}),
    ],
)
def test_a_compound_on_a_short_concept_head_is_split(
    matcher: Matcher, word: str, concepts: set[str]
) -> None:
    assert concepts <= matcher.normaliser.analyse(f"iets over de {word}").concepts


def test_a_word_merely_ending_like_a_short_head_is_not_split(matcher: Matcher) -> None:
    assert "LESSON" not in matcher.normaliser.analyse("ik heb alles gedaan").concepts
    assert "LESSON" not in matcher.normaliser.analyse("een stapeles boeken").concepts


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("mijn mentor flipte helemaal uit in de klas", "ANGRY"),
        ("moet ik dat eerst afstemmen met iemand", "CONTACT"),
        ("ik wil mijn dag vloggen", "PHOTO"),
        ("mag het als zijn gezicht geblurd is", "PHOTO"),  # was "corrected" to gebeurd
    ],
)
def test_slang_and_staff_words_find_their_concept(
    matcher: Matcher, text: str, concept: str
) -> None:
    assert concept in matcher.normaliser.analyse(text).concepts


def test_finding_my_account_is_not_the_find_my_app(matcher: Matcher) -> None:
    students = "my students keep finding my personal instagram"
    assert "LOCATION" not in matcher.normaliser.analyse(students).concepts
    app = "my friends see my location on find my"
    assert "LOCATION" in matcher.normaliser.analyse(app).concepts
    assert "LOCATION" in matcher.normaliser.analyse("is find my app allowed").concepts


@pytest.mark.parametrize(
    ("opening", "addressee"),
    [
        ("Geachte mentor,", "TEACHER"),
        ("Beste schoolleiding,", "LEADERSHIP"),
        ("Dear teacher,", "TEACHER"),
    ],
)
def test_the_addressee_of_a_letter_is_not_its_subject(
    matcher: Matcher, opening: str, addressee: str
) -> None:
    """A parent writing to the mentor asks about their child, not about staff: the
    addressee's role is no term (and no staff signal); the message still is."""
    analysis = matcher.normaliser.analyse(f"{opening} onze zoon zet foto's van klasgenoten online.")
    assert addressee not in analysis.concepts
    assert "PHOTO" in analysis.concepts
    named = matcher.normaliser.analyse(
        f"Onze zoon zegt dat de {opening.split()[1].rstrip(',')} het weet."
    )
    assert addressee in named.concepts  # named in the message itself, the role counts


@pytest.mark.parametrize(
    ("opening", "kept"),
    [
        ("Beste app voor huiswerk, mag ik die in de les gebruiken?", "HOMEWORK"),
        ("Beste manier om een foto te melden: wie moet ik mailen?", "PHOTO"),
        ("beste instagram filter voor een les, mag dat?", "LESSON"),
    ],
)
def test_beste_as_best_keeps_its_words(matcher: Matcher, opening: str, kept: str) -> None:
    """Only a short addressee (a role, title or name) is dropped after "beste": "the best
    app for homework, ..." asks about the app and keeps its words."""
    assert kept in matcher.normaliser.analyse(opening).concepts


@pytest.mark.parametrize(
    "opening",
    ["Beste mevrouw De Vries,", "Dear head of year,", "Geachte heer/mevrouw,", "Lieve mentor:"],
)
def test_a_named_or_titled_addressee_is_dropped(matcher: Matcher, opening: str) -> None:
    """Titles, roles and capitalised names are the addressee, up to the comma."""
    greeting = opening.split()[0]
    analysis = matcher.normaliser.analyse(f"{opening} mijn zoon zet foto's online.")
    bare = matcher.normaliser.analyse(f"{greeting} mijn zoon zet foto's online.")
    assert set(analysis.terms) <= set(bare.terms)


@pytest.mark.parametrize(
    "question",
    ["niemand weet wie ik ben op mijn finsta", "no one knows it's me on that account"],
)
def test_nobody_knowing_who_you_are_is_anonymity(matcher: Matcher, question: str) -> None:
    """ "Nobody knows it's me" asks whether an alias frees you from responsibility: its own
    concept, beside the alias itself (all 20 labelled questions with it are aanwijzing-1)."""
    concepts = matcher.normaliser.analyse(question).concepts
    assert {"ANONYMITY", "ALIAS"} <= concepts


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("ik zit tijdens de gymles op de bank", "LESSON"),  # was the bare word "gyml"
        ("we zitten met z'n allen in de mediatheek", "ATSCHOOL"),  # the school's library
        ("ik heb die post alleen geliket", "REPLY"),  # a like reacts to a post
        ("mag ik die foto liken", "REPLY"),
        ("moet ik inklokken met de prikklok van mijn werk", "WORK"),
        ("iemand blijft mij via insta lastigvallen", "MISUSE"),  # harassment
        ("hij valt mij lastig op insta", "MISUSE"),  # the verb split around its object
        ("moeten docenten zich verdiepen in sociale media", "KNOW"),
        ("ik ben gymdocent", "TEACHER"),  # a subject's teacher, not a bare word
    ],
)
def test_situation_words_find_their_concept(matcher: Matcher, text: str, concept: str) -> None:
    """Words a told situation uses (a lesson, a place at school, a like, harassment) carry
    the concept the clauses are written in, not a bare word of their own."""
    assert concept in matcher.normaliser.analyse(text).concepts
