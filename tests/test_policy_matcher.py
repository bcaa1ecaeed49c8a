"""The question matcher: answers, refusals, doubt, language, odd input, accuracy floor."""

from __future__ import annotations

import dataclasses
import json

import pytest

from compass_bot.policy import (
    CLAUSE_IDS,
    DEFAULT_POLICY_DIR,
    Match,
    Matcher,
    Tuning,
    detect_language,
    load_clauses,
)
from compass_bot.policy.matcher import questions_in
from compass_bot.policy.normalise import (
    MAX_QUESTION_CHARS,
    deinflect,
    fold,
    handle_like,
    stem,
    strip_discord,
    tokenize,
)

HELDOUT = DEFAULT_POLICY_DIR / "questions" / "heldout.jsonl"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_clauses())


def _check(match: Match) -> None:
    """Invariants every Match keeps."""
    assert 0.0 <= match.score <= 100.0
    assert len(match.alternatives) <= 3
    assert all(a in CLAUSE_IDS for a in match.alternatives)
    assert match.language in ("nl", "en")
    if match.status == "answer":
        assert match.clause in CLAUSE_IDS
        assert match.clause not in match.alternatives
    elif match.status == "doubtful":
        assert match.clause is None and match.alternatives
    else:
        assert match.status == "none" and match.clause is None and not match.alternatives


# ---------------------------------------------------------------- answers

ANSWERS = [
    # informal Dutch, chat slang
    ("mag je gwn op snap in de kleine pauze", "schooltijd"),
    ("ff insta checken onder wiskunde, mag dat eig?", "schooltijd"),
    ("tiktok in de les?", "schooltijd"),
    ("snapmap aan als ik op school ben, erg?", "locatie"),
    ("mn finsta is anoniem dus ik ben nergens verantwoordelijk voor toch", "aanwijzing-1"),
    ("mag mijn tiktok compass_daily heten", "aanwijzing-2"),
    ("mag ik online roasten hoe slecht mijn school is", "aanwijzing-4"),
    ("de gc wordt super toxic, moet ik blijven reageren", "aanwijzing-5"),
    ("mag ik een filmpje van mn klasgenoot posten zonder het te vragen", "aanwijzing-6"),
    ("ben boos op een leraar, meteen een story erover maken?", "aanwijzing-7"),
    ("ruzie via whatsapp in het weekend, lost school dat op?", "aanwijzing-8"),
    ("iemand pest me via insta, waar kan ik dat melden", "aanwijzing-9"),
    # typos
    ("mag ik in de pauzze op instgram", "schooltijd"),
    ("kan ik mijn acount naar de schoool vernoemen", "aanwijzing-2"),
    ("wat is de belangrijkste afsrpaak van het protokol", "slot"),
    # paraphrase
    ("Als ik iets verwijder, is het dan ook echt van internet af?", "privegebruik"),
    ("Telt Pinterest ook als sociale media?", "definitie"),
    ("Hoe kijkt de school eigenlijk tegen sociale media aan?", "inleiding"),
    # staff
    ("Moet ik als docent het goede voorbeeld geven met mijn eigen instagram?", "medewerkers-1"),
    ("Hoort scholing over sociale media in mijn POP?", "medewerkers-5"),
    ("Is mediawijsheid onderdeel van de leerdoelen van de school?", "medewerkers-6"),
    (
        "Met wie neem ik als medewerker contact op als ik twijfel over een publicatie?",
        "medewerkers-8",
    ),
    # English
    ("can i use tiktok during class", "schooltijd"),
    ("is it ok to share my location on snapchat while at school", "locatie"),
    ("can I put the school name in my username", "aanwijzing-2"),
    ("can I post a picture of my friend without asking", "aanwijzing-6"),
    ("will the school sort out a fight that started on instagram", "aanwijzing-8"),
]


@pytest.mark.parametrize(("question", "clause"), ANSWERS)
def test_answers(matcher: Matcher, question: str, clause: str) -> None:
    match = matcher.match(question)
    _check(match)
    assert (match.status, match.clause) == ("answer", clause), matcher.explain(question)
    assert match.question == question


OUT_OF_SCOPE = [
    "hoe maak ik een tiktok account aan?",
    "wat is het instagram account van onze school?",
    "wat is het huiswerk voor geschiedenis",
    "wanneer begint de zomervakantie",
    "hoe laat is het derde uur afgelopen",
    "mag ik een pet op in de kantine",
    "hoe krijg ik meer volgers op tiktok",
    "how do I delete my snapchat",
    "tell me a joke",
    "hoi bot, alles goed?",
    "wie wint vanavond, ajax of feyenoord",
    "wat is 12 keer 12",
]


@pytest.mark.parametrize("question", OUT_OF_SCOPE)
def test_out_of_scope_is_left_unanswered(matcher: Matcher, question: str) -> None:
    match = matcher.match(question)
    _check(match)
    assert match.clause is None, matcher.explain(question)


def test_runners_up_come_with_an_answer(matcher: Matcher) -> None:
    match = matcher.match("mag ik op social media negatief doen over de school?")
    assert match.status == "answer"
    assert match.alternatives  # runners-up, best first, never the answer itself


# ---------------------------------------------------------------- doubt


@pytest.mark.parametrize("question", ["social media", "protocol", "online"])
def test_vague_questions_are_doubtful(matcher: Matcher, question: str) -> None:
    match = matcher.match(question)
    _check(match)
    assert match.status == "doubtful"
    assert match.clause is None and 1 <= len(match.alternatives) <= 3


def test_doubtful_when_below_the_answer_threshold() -> None:
    strict = Matcher(load_clauses(), Tuning(answer_at=101.0, answer_at_offtopic=101.0))
    match = strict.match("mag ik insta gebruiken in de pauze?")
    _check(match)
    assert match.status == "doubtful"
    assert match.alternatives[0] == "schooltijd"  # the best suggestion first


def test_none_when_out_of_scope_wins_even_with_shared_words(matcher: Matcher) -> None:
    match = matcher.match("hoe zet ik een filter op mijn snapchat")
    assert match.status == "none" and match.alternatives == ()


# ---------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("mag ik in de les op tiktok?", "nl"),
        ("insta in de pauze?", "nl"),
        ("mn account is prive toch", "nl"),
        ("can i put the school name in my username", "en"),
        ("Is it ok to post a video of my friend?", "en"),
        ("idk if i can post this", "en"),
        ("", "nl"),
    ],
)
def test_language(matcher: Matcher, question: str, language: str) -> None:
    assert matcher.match(question).language == language


def test_detect_language_defaults_to_dutch() -> None:
    assert detect_language([]) == "nl"
    assert detect_language(tokenize("tiktok?")) == "nl"
    assert detect_language(tokenize("what about the rules")) == "en"


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("location sharing school?", "en"),  # keywords only: English-only words decide
        ("report social media bullying", "en"),
        ("social media during lunch break", "en"),
        ("is discord social media", "nl"),  # one loanword and an app's name: still Dutch
        ("fake acc verantwoordelijk?", "nl"),
        ("snap map school", "nl"),
    ],
)
def test_keyword_questions_take_the_language_of_their_words(question: str, language: str) -> None:
    assert detect_language(tokenize(question), keywords=True) == language
    assert detect_language(tokenize(question)) == "nl"  # a post's language: markers only


# ---------------------------------------------------------------- odd input


@pytest.mark.parametrize("question", ["", "   ", "\n\t ", "???", "lol", "🙂🙂🙂", "12345"])
def test_empty_and_contentless_input(matcher: Matcher, question: str) -> None:
    match = matcher.match(question)
    _check(match)
    assert match.status == "none" and match.clause is None


def test_very_long_input_is_cut_and_answered(matcher: Matcher) -> None:
    question = "mag ik in de les op tiktok? " + "blabla qwerty zxcvb " * 600
    assert len(question) > 10_000
    match = matcher.match(question[:10_000])
    _check(match)
    assert match.question == question[:10_000]  # the question is kept as asked
    garbage = "".join(chr(0x41 + (i * 7919) % 58) for i in range(10_000))
    _check(matcher.match(garbage))
    assert MAX_QUESTION_CHARS == 500


def test_mentions_and_markdown_are_just_text(matcher: Matcher) -> None:
    assert matcher.match("@everyone").status == "none"
    match = matcher.match("@everyone **mag** ik `insta` in de ||pauze||?")
    assert match.clause == "schooltijd"
    match = matcher.match("<@123456789012345678> mag ik een foto van jou posten zonder te vragen")
    assert match.clause == "aanwijzing-6"
    assert "123456789012345678" not in strip_discord("<@123456789012345678> hoi")


def test_non_string_input_does_not_crash(matcher: Matcher) -> None:
    match = matcher.match(12345)  # type: ignore[arg-type]
    _check(match)


# ---------------------------------------------------------------- normalisation pieces


def test_normalisation_helpers() -> None:
    assert fold("Privé’s ÉÉN") == "prives een"
    assert tokenize("m'n insta ff checken, idk") == [
        "mijn",
        "insta",
        "even",
        "checken",
        "i",
        "do",
        "not",
        "know",
    ]
    assert tokenize("lesssss") == ["less"]
    assert stem("posten") == stem("posting") == "post"
    assert stem("ruzie") == stem("ruzies") and stem("verhalen") == stem("verhaal")
    assert "snapchat" in deinflect("snapchatten")
    assert "tiktok" in deinflect("tiktokken")
    assert "openbaar" in deinflect("openbare")
    assert "verhaal" in deinflect("verhalen")
    assert "post" in deinflect("posted") and "tag" in deinflect("tagged")


def test_english_past_tense_finds_its_act(matcher: Matcher) -> None:
    """An English story in the past ("posted", "commented") keeps its act, not an unknown word."""
    assert "POST" in matcher.normaliser.analyse("i posted a video of the canteen").concepts
    assert "REPLY" in matcher.normaliser.analyse("i commented under her clip").concepts


@pytest.mark.parametrize(
    "question",
    [
        "Ik ben mentor en zag dat een leerling filmpjes online zet",
        "ik ben een lerares, mag ik leerlingen volgen op insta?",
        "ik werk als coach bij het schoolteam",
        "teacher here. can i post a clip from class?",
        "i'm a mentor, should i say something about a student's post?",
    ],
)
def test_staff_saying_who_they_are_is_staff(matcher: Matcher, question: str) -> None:
    """A member of staff naming their role in any words tells the story as staff."""
    assert "STAFF" in matcher.normaliser.analyse(question).concepts


@pytest.mark.parametrize(
    "question",
    [
        "als docent wil ik een standpunt innemen over sociale media",
        "hoe kan ik als mentor een goed standpunt innemen over tiktok?",
    ],
)
def test_taking_a_stand_is_a_stance_not_a_phone_taken_in(matcher: Matcher, question: str) -> None:
    """ "standpunt innemen" takes a position (medewerkers-4), no phone is taken in."""
    concepts = matcher.normaliser.analyse(question).concepts
    assert "STANCE" in concepts and "CONFISCATE" not in concepts


@pytest.mark.parametrize(
    "question",
    [
        "wat is het standpunt van de school over sociale media?",
        "wat is het standpunt van compass hierover?",
        "what is the position of the school on social media",
    ],
)
def test_the_schools_own_standpunt_is_its_view(matcher: Matcher, question: str) -> None:
    """The school's standpunt is what the school thinks (OPINION, inleiding), not the
    well-founded position a teacher takes (STANCE)."""
    concepts = matcher.normaliser.analyse(question).concepts
    assert "OPINION" in concepts and "STANCE" not in concepts


@pytest.mark.parametrize(
    "question",
    [
        "mag ik op twitter zeggen dat de school een scam is?",
        "a meme calling our school a prison, is that ok?",
        "can i dunk on the school in my videos?",
    ],
)
def test_running_the_school_down_in_other_words_is_negative(
    matcher: Matcher, question: str
) -> None:
    """A scam, a prison, dunking on it: words that run the school down (aanwijzing-4)."""
    assert "NEGATIVE" in matcher.normaliser.analyse(question).concepts


def test_a_student_naming_a_teacher_is_not_staff(matcher: Matcher) -> None:
    """The phrases are the speaker's own role: a student's mentor is no STAFF speaker."""
    assert "STAFF" not in matcher.normaliser.analyse("mijn mentor zag mijn post").concepts


def test_false_friends_are_ignored(matcher: Matcher) -> None:
    """IGNORE forms in concepts.yaml: "mean" as a verb is not UNPLEASANT."""
    verb = matcher.normaliser.analyse("does that mean my post is gone")
    assert "UNPLEASANT" not in verb.concepts
    adjective = matcher.normaliser.analyse("people are being mean in the comments")
    assert "UNPLEASANT" in adjective.concepts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("compass_memes", True),
        ("mag mijn naam compasskids zijn", True),
        ("c0mpass", True),
        ("@compass", True),
        ("een account 'compass roddels'", True),
        ("ik zit op compass", False),
        ("compass's regels", False),
        ("compassion", False),
        ("Mag ik op mijn Compass-laptop gamen?", False),
        ("de foto's van de Compass-reis", False),
        ("@compass-memes", True),
    ],
)
def test_handles(text: str, expected: bool) -> None:
    assert handle_like(text) is expected


# ---------------------------------------------------------------- accuracy floor


def test_accuracy_floor_on_heldout() -> None:
    """The index alone (the trained model has seen these questions; the index has not)."""
    matcher = Matcher(load_clauses(), Tuning(model_weight=0.0))
    rows = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line]
    in_scope = [r for r in rows if r["expect"]]
    out_scope = [r for r in rows if not r["expect"]]
    assert len(in_scope) >= 100 and len(out_scope) >= 30
    right = sum(1 for r in in_scope if matcher.match(r["q"]).clause in r["expect"])
    refused = sum(1 for r in out_scope if matcher.match(r["q"]).clause is None)
    assert right / len(in_scope) >= 0.90
    assert refused / len(out_scope) >= 0.90


def test_index_builds_from_the_shipped_policy_text() -> None:
    # Load time is measured by benchmarks/qa.py, not asserted here.
    assert Matcher(load_clauses()).match("insta in de les?").clause == "schooltijd"


# Systematic causes fixed in policy_text/ (own phrasings, not taken from any evaluation set)
@pytest.mark.parametrize(
    ("question", "clause"),
    [
        ("gelden die regels ook voor de gymleraar?", "inleiding"),  # scope: who
        ("do the social media rules count for teachers as well", "inleiding"),
        ("geldt het protocol ook als ik op vakantie ben", "privegebruik"),  # scope: where/when
        ("mag ik een fanpagina over onze school beginnen", "aanwijzing-2"),  # fan/meme pages
        (
            "als teamleider, moet ik een onderbouwde mening over sociale media hebben",
            "medewerkers-4",
        ),
    ],
)
def test_systematic_answers(matcher: Matcher, question: str, clause: str) -> None:
    match = matcher.match(question)
    _check(match)
    assert match.clause == clause, matcher.explain(question)


@pytest.mark.parametrize(
    "question",
    [
        "gaan jullie vrijdag mee naar de bios",  # "bios" is the cinema here
        "what phone should i buy for good selfies",  # shopping, not phone use at school
        "hoe maak ik een fanaccount voor mijn favoriete rapper",  # a celebrity's fan page
    ],
)
def test_systematic_refusals(matcher: Matcher, question: str) -> None:
    match = matcher.match(question)
    _check(match)
    assert match.clause is None, matcher.explain(question)


@pytest.mark.parametrize(
    ("word", "concepts_not_in"),
    [
        ("aangevallen", {"DEFINE"}),  # aan+vallen "attack", not vallen "count as"
        ("spijbelen", {"CONTACT"}),  # not a kind of "bellen"
        ("veranderd", {"OTHERS"}),  # ver+anderd, not "ander"
    ],
)
def test_compounds_need_a_real_modifier(
    matcher: Matcher, word: str, concepts_not_in: set[str]
) -> None:
    assert not matcher.normaliser.analyse(word).concepts & concepts_not_in


@pytest.mark.parametrize(
    ("word", "concepts"),
    [
        ("instagrampagina", {"PLATFORM", "ACCOUNT"}),
        ("klassenfoto", {"PHOTO"}),
        ("allerbelangrijkste", {"IMPORTANT"}),
        ("socialemediaprotocol", {"PROTOCOL"}),
    ],
)
def test_compounds_are_split(matcher: Matcher, word: str, concepts: set[str]) -> None:
    assert concepts <= matcher.normaliser.analyse(word).concepts


def test_an_opinion_phrase_keeps_its_topic(matcher: Matcher) -> None:
    analysis = matcher.normaliser.analyse("hoe kijkt school tegen sociale media aan")
    assert {"OPINION", "SOCIALMEDIA"} <= analysis.concepts


def test_spelling_blend_and_switching_it_off() -> None:
    """The letter-gram index reads a compound the lexicon lacks; weight 0 leaves it out."""
    book = load_clauses()
    question = "mag ik mn snapchatlocatie aanzetten op het schoolplein"
    assert Matcher(book).match(question).clause == "locatie"
    plain = Matcher(book, Tuning(spelling_weight=0.0))
    assert plain.index.spelling is None
    assert plain.match("insta in de les?").clause == "schooltijd"


def test_an_out_of_scope_topic_inside_a_social_media_question(matcher: Matcher) -> None:
    """Posting someone's grades is about spreading information, not about grades; asking
    about grades themselves stays out of scope."""
    question = "mag mijn klasgenoot mijn rapport zomaar op zijn insta story zetten?"
    match = matcher.match(question)
    _check(match)
    assert match.clause == "aanwijzing-6", matcher.explain(question)
    assert matcher.match("wanneer krijgen we ons rapport?").clause is None


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        ("wat bedoelen ze met 'houd het belang van compass in je achterhoofd'?", "slot"),
        ("what does 'keep the interest of Compass in mind' mean?", "slot"),
    ],
)
def test_a_quoted_passage_points_at_its_clause(
    matcher: Matcher, question: str, clause: str
) -> None:
    match = matcher.match(question)
    _check(match)
    assert match.clause == clause, matcher.explain(question)


def test_quotes_are_passages_of_three_words_or_more() -> None:
    from compass_bot.policy.normalise import quotes_in

    assert quotes_in("what does 'use your common sense' mean") == ("use your common sense",)
    assert quotes_in("mag ik m'n foto's van zo'n feest delen") == ()
    assert quotes_in("mijn server heet 'Compass gamers'") == ()
    assert quotes_in("\u2018not about us and not on our behalf\u2019?") == (
        "not about us and not on our behalf",
    )


def test_a_long_run_together_word_is_not_split_for_ever(matcher: Matcher) -> None:
    """Compound splitting is bounded: laughing in a message must not stall the bot."""
    import time

    start = time.perf_counter()
    for word in ("ha" * 15, "ha" * 40, "hahahahahahahahahahahahahahahahahahaha lol"):
        _check(matcher.match(word))
    assert time.perf_counter() - start < 1.0  # unbounded splitting took minutes here


@pytest.mark.parametrize(
    ("plain", "polite"),
    [
        ("regels insta", "hoi bot regels insta"),
        ("snap?", "snap bedankt"),
        ("mag ik insta in de pauze?", "Beste bot, mag ik insta in de pauze? Alvast bedankt!"),
    ],
)
def test_courtesy_words_change_nothing_around_a_question(
    matcher: Matcher, plain: str, polite: str
) -> None:
    a, b = matcher.match(plain), matcher.match(polite)
    assert (a.status, a.clause) == (b.status, b.clause)
    assert a.score == pytest.approx(b.score)


def test_a_quote_of_common_words_points_nowhere(matcher: Matcher) -> None:
    analysis = matcher.normaliser.analyse("hij zette 'de leerlingen van de school' in zn bio")
    assert analysis.quotes == ("de leerlingen van de school",)
    assert matcher.index.quoted_clause(analysis.quotes[0]) is None


def test_questions_in_splits_a_message_on_its_question_marks() -> None:
    assert questions_in("mag ik op insta in de pauze? en hoe laat begint de les?") == [
        "mag ik op insta in de pauze?",
        "en hoe laat begint de les?",
    ]
    assert questions_in("ik zit in de klas. mag ik dan snappen?") == [
        "ik zit in de klas. mag ik dan snappen?"
    ]
    # a trailing remark belongs to the last question; a bare "toch?" is no question of its own
    assert questions_in("mag ik tiktokken in de les? toch? lol") == ["mag ik tiktokken in de les?"]


def test_questions_in_splits_off_a_second_question_told_as_a_statement() -> None:
    # a parent's "Daarnaast verneem ik graag ..." asks a second question without "?"
    assert questions_in(
        "Mag mijn dochter in de pauze op TikTok? Daarnaast hoor ik graag wanneer de toetsweek is."
    ) == [
        "Mag mijn dochter in de pauze op TikTok?",
        "Daarnaast hoor ik graag wanneer de toetsweek is.",
    ]
    assert questions_in("can I snap in class? Also, when does term end.") == [
        "can I snap in class?",
        "Also, when does term end.",
    ]


@pytest.mark.parametrize(
    "question",
    [
        "mijn vriend staat op de foto en hij vindt het niet leuk",
        "ze wil het niet maar ik post het toch",
        "my friend doesn't want me to post the clip",
        "mijn klasgenoten zijn het er niet mee eens dat ik de video deel",
    ],
)
def test_someone_not_wanting_it_is_an_objection(matcher: Matcher, question: str) -> None:
    assert "OBJECT" in matcher.normaliser.analyse(question).concepts


def test_an_objection_in_a_setting_reaches_the_third_party_clause(matcher: Matcher) -> None:
    # the break is where it happened; what is asked is about the classmate's consent
    match = matcher.match(
        "ik heb in de pauze een filmpje van mijn klasgenoot gemaakt en hij vindt het niet "
        "leuk, mag ik het toch op snap zetten?"
    )
    assert match.clause == "aanwijzing-6"


def test_secondary_school_is_the_school_not_grades(matcher: Matcher) -> None:
    concepts = matcher.normaliser.analyse("op de middelbare mag je de hele dag op insta").concepts
    assert "SCHOOL" in concepts and "SCHOOLTIME" in concepts
    assert "GRADES" not in concepts


def test_apps_that_just_came_out_are_social_media_too(matcher: Matcher) -> None:
    match = matcher.match("gelden de regels ook voor apps die net uit zijn?")
    assert match.clause in {"definitie", "slot"}


def test_two_questions_answer_the_main_one_and_offer_the_other(matcher: Matcher) -> None:
    # the second question is out of scope: the first is still answered
    match = matcher.match("mag ik in de pauze op snapchat? en wanneer begint de kerstvakantie?")
    assert match.status == "answer"
    assert match.clause == "schooltijd"
    # both in scope: the main (first) one is answered, the other comes as a suggestion
    match = matcher.match(
        "mag ik in de pauze even op snapchat? en mag ik een foto van mijn vriendin posten "
        "zonder het haar te vragen?"
    )
    assert match.clause == "schooltijd"
    assert match.related == ("aanwijzing-6",)


@pytest.mark.parametrize(
    ("question", "nearby"),
    [
        ("wat voor straf krijg je als je in de klas op tiktok zit?", "schooltijd"),
        ("moet ik naar de politie als iemand mij bedreigt op snapchat?", "aanwijzing-9"),
    ],
)
def test_near_misses_are_refused_with_what_the_protocol_says_nearby(
    matcher: Matcher, question: str, nearby: str
) -> None:
    match = matcher.match(question)
    assert match.status == "none"
    assert match.clause is None
    assert match.related == (nearby,)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("wat voor straf krijg je als je in de klas op tiktok zit?", "PUNISHMENT"),
        ("moet ik naar de politie als iemand mij bedreigt op snapchat?", "POLICE"),
        ("mag ik google translate gebruiken in de les", "TOOLAPP"),
        ("can I go to the shop at lunch break", "SHOP"),
        ("wordt je slaap slechter van 's avonds lang op insta scrollen?", "WELLBEING"),
        ("is too much snapchat bad for your mental health", "WELLBEING"),
        # help outside school, the school as an employer, a phone used for other things
        (
            "heeft de kindertelefoon ook een chat voor als je online wordt lastiggevallen",
            "HELPLINE",
        ),
        ("vergoedt de school een workshop over instagram voor docenten", "STAFFTERMS"),
        ("mag ik in het tussenuur netflix kijken op mijn laptop", "NOTSOCIAL"),
        ("hoe rapporteer ik een gehackt account bij tiktok", "PLATFORMHELP"),
        ("mag de conciërge in mijn telefoon kijken als hij denkt dat ik heb gefilmd", "CONFISCATE"),
        ("can a teacher keep my phone until the end of the day", "CONFISCATE"),
        ("wordt het protocol elk jaar herzien", "GOVERNANCE"),
    ],
)
def test_a_refusal_names_the_topic_the_protocol_leaves_open(
    matcher: Matcher, question: str, topic: str
) -> None:
    match = matcher.match(question)
    assert match.status == "none" and match.beside == topic
    assert topic in matcher.book.beside_topics


def test_only_refusals_name_a_topic_left_open(matcher: Matcher) -> None:
    answered = matcher.match("mag ik in de pauze op tiktok")
    assert answered.status == "answer" and answered.beside is None
    assert matcher.match("wat is de hoofdstad van frankrijk").beside is None


@pytest.mark.parametrize(
    "question",
    [
        "mag ik een rekenmachine-app gebruiken bij de toets van natuurkunde",
        "mag ik in de middagpauze naar de supermarkt",
        "een jongen uit mijn klas duwt mij steeds in de gang, wat doet school",
        "welke regels voor mobieltjes heeft het lyceum hiernaast",
    ],
)
def test_questions_just_beside_the_protocol_are_refused(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).clause is None


def test_a_plain_out_of_scope_question_has_nothing_nearby(matcher: Matcher) -> None:
    assert matcher.match("wanneer begint de herfstvakantie").related == ()


def _scores_with(matcher: Matcher, clause: str, score: float, oos: float) -> dict[str, float]:
    scores = dict.fromkeys(CLAUSE_IDS, 0.0)
    scores[clause] = score
    scores["__out_of_scope__"] = oos
    return scores


def test_out_of_scope_needs_a_margin_over_a_story_full_of_domain_concepts(
    matcher: Matcher,
) -> None:
    story = "mijn vriend zette een foto van mij op zijn insta account zonder te vragen"
    analysis = matcher.normaliser.analyse(story)
    assert len(analysis.concepts & matcher.book.domain_concepts) >= 3
    scores = _scores_with(matcher, "aanwijzing-6", 40.0, 42.0)
    assert matcher.decide(story, analysis, scores).clause == "aanwijzing-6"
    flat = Tuning(oos_domain_margin=0.0)
    assert matcher.decide(story, analysis, scores, flat).status == "none"
    # out of scope still wins when it is clearly ahead
    ahead = _scores_with(matcher, "aanwijzing-6", 40.0, 46.0)
    assert matcher.decide(story, analysis, ahead).status == "none"


def test_a_topic_beside_the_protocol_tilts_a_close_call_to_a_refusal(matcher: Matcher) -> None:
    question = "welke straf krijg je als je op snapchat zit"
    analysis = matcher.normaliser.analyse(question)
    assert "PUNISHMENT" in analysis.concepts
    assert matcher.tuning.beside_margin > 0.0
    close = _scores_with(matcher, "schooltijd", 40.0, 40.0 - matcher.tuning.beside_margin + 0.5)
    refused = matcher.decide(question, analysis, close)
    assert refused.status == "none" and refused.beside == "PUNISHMENT"
    assert refused.related == ("schooltijd",)
    flat = Tuning(beside_margin=0.0, sanction_margin=0.0)
    assert matcher.decide(question, analysis, close, flat).clause == "schooltijd"
    # the same scores without such a topic: answered
    plain = "mag je op snapchat zitten"
    assert matcher.decide(plain, matcher.normaliser.analyse(plain), close).clause == "schooltijd"


def test_asking_for_the_sanction_is_refused_even_far_behind_a_clause(matcher: Matcher) -> None:
    """The protocol names no sanction: a question asking for one is refused although a
    clause shares its whole situation, and that clause is offered as what it says nearby."""
    question = "welke straf krijg je als je een account met de schoolnaam maakt"
    analysis = matcher.normaliser.analyse(question)
    gap = matcher.tuning.beside_margin + matcher.tuning.sanction_margin - 1.0
    far = _scores_with(matcher, "aanwijzing-2", 50.0, 50.0 - gap)
    refused = matcher.decide(question, analysis, far)
    assert refused.status == "none" and refused.beside == "PUNISHMENT"
    assert refused.related == ("aanwijzing-2",)
    assert matcher.decide(question, analysis, far, Tuning(sanction_margin=0.0)).clause
    # another topic beside the protocol keeps the ordinary margin
    grades = "kan ik mijn cijfers op snapchat zetten en een account maken"
    other = matcher.decide(grades, matcher.normaliser.analyse(grades), far)
    assert other.clause == "aanwijzing-2"


def test_asking_for_the_sanction_is_refused_however_far_ahead_the_clause_is(
    matcher: Matcher,
) -> None:
    """A clause quoted for "what is the punishment" is a wrong answer: even a clause far
    ahead of the out-of-scope class (the whole situation is its own) is only offered
    nearby, and the refusal says the protocol names no punishment."""
    for question in (
        "welke straf krijg je als je een account met de schoolnaam maakt",
        "word je geschorst als je een docent filmt en dat online zet",
    ):
        analysis = matcher.normaliser.analyse(question)
        ahead = _scores_with(matcher, "aanwijzing-2", 85.0, 0.0)
        refused = matcher.decide(question, analysis, ahead)
        assert refused.status == "none" and refused.beside == "PUNISHMENT"
        assert refused.related == ("aanwijzing-2",)


def test_one_domain_concept_gets_no_margin_against_out_of_scope(matcher: Matcher) -> None:
    question = "hoe werkt een filter op snapchat"
    analysis = matcher.normaliser.analyse(question)
    assert len(analysis.concepts & matcher.book.domain_concepts) == 1
    scores = _scores_with(matcher, "definitie", 40.0, 41.0)
    assert matcher.decide(question, analysis, scores).status == "none"


@pytest.mark.parametrize(
    ("word", "concept"),
    [
        ("stageplek", "WORK"),
        ("klanten", "OTHERS"),
        ("kleuters", "OTHERS"),
        ("herkenbaar in beeld", "OTHERS"),
        ("cooked", "CONSEQUENCE"),
        ("livestream", "POST"),
        ("doorgeven", "REPORT"),
        ("disciplinaire maatregel", "PUNISHMENT"),
        ("doorzoeken", "CONFISCATE"),
    ],
)
def test_situation_words_are_concepts(matcher: Matcher, word: str, concept: str) -> None:
    assert concept in matcher.normaliser.analyse(word, correct_typos=False).concepts


def test_a_vague_question_on_the_protocols_ground_is_doubtful_not_refused(
    matcher: Matcher,
) -> None:
    question = "wat zijn de regels"
    analysis = matcher.normaliser.analyse(question)
    scores = _scores_with(matcher, "inleiding", 50.0, 53.0)
    match = matcher.decide(question, analysis, scores)
    assert match.status == "doubtful" and match.alternatives[0] == "inleiding"


def test_english_negations_are_not_read_as_dutch_het() -> None:
    # "'t" is Dutch for "het", but not at the end of "doesn't", "can't", "won't"
    assert tokenize("she doesn't want it, I can't and won't") == [
        "she", "does", "not", "want", "it", "i", "can", "not", "and", "will", "not",
    ]  # fmt: skip
    assert tokenize("is 't goed") == ["is", "het", "goed"]


def test_questions_in_hears_a_second_question_without_its_question_mark() -> None:
    # chat drops the last "?": after a question mark, a part that asks stands on its own
    assert questions_in(
        "is it ok if our shop is called Compass Shop? also when does lunch end"
    ) == [
        "is it ok if our shop is called Compass Shop?",
        "also when does lunch end",
    ]
    # a remark after the question still belongs to it
    assert questions_in("mag ik dat posten? ik weet het niet zeker") == [
        "mag ik dat posten? ik weet het niet zeker"
    ]


def test_questions_in_splits_a_second_question_joined_by_en_mag_ik() -> None:
    assert questions_in("Mag ik in de pauze op insta, en mag ik dan ook je foto posten?") == [
        "Mag ik in de pauze op insta,",
        "en mag ik dan ook je foto posten?",
    ]
    # "en" inside one question is no second question
    assert questions_in("mag ik foto's en video's posten?") == ["mag ik foto's en video's posten?"]


def test_the_first_of_two_joined_questions_is_the_main_one(matcher: Matcher) -> None:
    match = matcher.match(
        "mag ik in de middagpauze op snapchat, en mag ik daar dan ook een foto van mijn "
        "vriendin op zetten zonder het te vragen?"
    )
    assert match.clause == "schooltijd"
    assert "aanwijzing-6" in match.related


@pytest.mark.parametrize(
    "question",
    [
        "ik wil op insta zetten dat het nieuwe rooster echt waardeloos is, kan dat",
        "mag ik in mijn story zeggen dat de toetsweek belachelijk slecht geregeld is",
    ],
)
def test_criticising_a_school_matter_online_is_about_being_negative(
    matcher: Matcher, question: str
) -> None:
    """The timetable is what is run down, not what is asked: aanwijzing-4 answers."""
    match = matcher.match(question)
    assert match.status == "answer" and match.clause == "aanwijzing-4"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("hoe laat begint het rooster morgen, het is zo slecht", "TIMETABLE"),
        ("wat voor straf krijg je als je slecht over het rooster zeurt in de les", "PUNISHMENT"),
    ],
)
def test_a_topic_beside_the_protocol_stays_refused_when_it_is_asked(
    matcher: Matcher, question: str, topic: str
) -> None:
    match = matcher.match(question)
    assert match.clause is None and match.beside == topic


def test_questions_in_hears_en_with_the_verb_first_as_a_second_question() -> None:
    # Dutch asks with the verb first: "en krijg ik ..." after a question mark asks again
    assert questions_in(
        "wat kan er gebeuren als ik iets over school post? en krijg ik dan straf"
    ) == [
        "wat kan er gebeuren als ik iets over school post?",
        "en krijg ik dan straf",
    ]
    # "en" with no subject after its verb is a remark that stays with the question
    assert questions_in("mag ik dat posten? en toen zei hij nee") == [
        "mag ik dat posten? en toen zei hij nee"
    ]


def _decided_beside(matcher: Matcher, question: str) -> str | None:
    """The topic beside the protocol that a near tie with out of scope would name."""
    analysis = matcher.normaliser.analyse(question)
    tie = _scores_with(matcher, "aanwijzing-6", 40.0, 40.0)
    return matcher.decide(question, analysis, tie).beside


def test_a_scene_that_was_filmed_is_no_topic_beside_the_protocol(matcher: Matcher) -> None:
    """Offline trouble is beside the protocol; its video, spread online, is not."""
    assert _decided_beside(matcher, "iemand duwt en slaat mij elke dag, wat moet ik doen") == (
        "PHYSICAL"
    )
    assert _decided_beside(matcher, "een filmpje van iemand die geslagen wordt doorsturen") is None


def test_a_row_about_a_school_matter_is_about_the_row(matcher: Matcher) -> None:
    """The group project is what the group chat quarrels about, not what is asked."""
    asked = "wanneer moet het groepsproject af zijn"
    assert _decided_beside(matcher, asked) == "HOMEWORK"
    row = "in de groepschat is ruzie over het groepsproject, wat moet ik doen"
    assert _decided_beside(matcher, row) is None


@pytest.mark.parametrize(
    ("text", "concept", "not_concept"),
    [
        ("het is niet zo positief over de rector", "NEGATIVE", "BENEFIT"),
        ("a post that is not very positive", "NEGATIVE", "BENEFIT"),
        ("een foto met een spottende tekst", "NEGATIVE", "SIGNAL"),
        ("een nog gemener filmpje terugmaken", "UNPLEASANT", None),
        ("moet ik via die weg reageren", None, "DELETE"),
        ("ik schaam me kapot", None, "TECH"),
        ("tiktoks maken op het schoolplein", "ATSCHOOL", "PHYSICAL"),
        ("iemand duwt mij in de gang", "PHYSICAL", None),
        ("wat zegt het protocol over accountnamen", "FRAME", "POST"),
        ("het staat nu op zijn snapchat verhaal", "POST", None),
        ("organiseert de school een avond over mediawijsheid", "SCHOOLADVICE", None),
        ("kan ik daar last mee krijgen", "CONSEQUENCE", None),
        ("kan ie daar op afgerekend worden", "CONSEQUENCE", None),
        ("can they call me in for it", "CONSEQUENCE", None),
        ("wat is het ergste wat kan gebeuren als ik dat post", "CONSEQUENCE", None),
        ("ik pakte mijn telefoon", None, "CONSEQUENCE"),
        ("mijn snap map laat zien waar ik woon, boeie", None, "PUNISHMENT"),
        ("wie beheert het officiele instagram account van de school", "OFFICIALACCOUNT", None),
        ("wie heeft dit protocol geschreven", "GOVERNANCE", None),
        ("ik ben er nog niet uit of ik het moet posten", "DOUBT", None),
        ("dan ziet iedereen waar mijn vrienden zijn", "OTHERSINFO", None),
        ("mag ik de locatie van mijn vriendin delen", "OTHERSINFO", None),
        ("ik deel mijn locatie met mijn vrienden", "AUDIENCE", "OTHERSINFO"),
        # the sanction asked for, not a strafuur told as what came before
        ("krijg je een strafuur voor een tiktok in de les", "PUNISHMENT", None),
        ("een leerling kreeg na een strafuur ruzie online", None, "PUNISHMENT"),
        ("mag ik dat bij instagram melden", "PLATFORMHELP", None),
        ("ik hoop dat het mag", None, "PLATFORM"),
        ("kan school daar moeilijk over doen", "CONSEQUENCE", None),
        ("ik wil nu terugposten", "IMPULSIVE", None),
        ("het eten is niet te vreten", "NEGATIVE", None),
        ("ze maken grappen over mijn gewicht", "UNPLEASANT", None),
    ],
)
def test_words_read_in_their_phrase(
    matcher: Matcher, text: str, concept: str | None, not_concept: str | None
) -> None:
    """A phrase says what its words do not: a positive word denied, 'spot' as mockery,
    'de weg' as the way, a place at school as a setting, the protocol 'saying' things."""
    concepts = matcher.normaliser.analyse(text).concepts
    assert concept is None or concept in concepts
    assert not_concept is None or not_concept not in concepts


def test_a_stretched_function_word_is_no_unknown_topic(matcher: Matcher) -> None:
    """Chat stretches small words ("soooo", "zooo"): they are the word itself, not an
    unknown word that weighs like a topic."""
    assert matcher.normaliser.analyse("i'm soooo tempted to post it").terms == (
        matcher.normaliser.analyse("i'm so tempted to post it").terms
    )
    assert "NEGATIVE" in matcher.normaliser.analyse("zooo stom dit").concepts


def test_the_sentence_that_asks_is_marked_after_a_story(matcher: Matcher) -> None:
    """A story sets the scene, the sentence with the question mark says what is asked:
    the model sees its concepts apart ("?ASK": consent, not the break it happened in)."""
    story = matcher.normaliser.analyse(
        "In de pauze heb ik een foto van haar gemaakt. Moet ik haar dat eerst vragen?"
    )
    assert "BREAK" in story.concepts and story.asked == ("ASK",)
    assert matcher.normaliser.analyse("mag ik in de pauze op tiktok?").asked == ()
    after = matcher.normaliser.analyse("Ik zit in de les. Mag ik op insta? Vraag voor een vriend.")
    assert "LESSON" not in after.asked and "PLATFORM" in after.asked


def test_a_setting_told_before_the_question_is_the_scene_not_the_question(
    matcher: Matcher,
) -> None:
    """A break or lesson in the story is told apart (`told`) when the asking sentence asks
    a thing of its own; in the asking sentence it is what is asked, "Mag dat?" asks about
    the whole story, and a message of one sentence has no story."""
    analyse = matcher.normaliser.analyse
    told = analyse(
        "In de pauze heb ik een foto van mijn klasgenoot gepost. Moet ik hem dat vragen?"
    )
    assert "BREAK" in told.told
    assert "BREAK" not in analyse("Ik heb een foto gepost. Moet ik dat in de pauze vragen?").told
    assert not analyse("In de pauze heb ik een foto gepost. Mag dat?").told
    assert not analyse("mag ik in de pauze op insta?").told


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        (
            "In de pauze heb ik met toestemming een filmpje gepost waarin ik de school "
            "afkraak. Ik had toch toestemming?",
            "aanwijzing-4",
        ),
        (
            "Tijdens de les maakte ik stiekem een foto van mijn klasgenoot. Moet ik hem "
            "vragen of ik die op insta mag zetten?",
            "aanwijzing-6",
        ),
        ("Het is nu pauze. Mag ik dan op TikTok?", "schooltijd"),
        ("In de middagpauze pak ik mijn telefoon en kijk ik op Insta. Mag dat?", "schooltijd"),
    ],
)
def test_a_premise_then_a_question_reaches_the_question_s_clause(
    matcher: Matcher, question: str, clause: str
) -> None:
    """The story's setting weighs less than what happened; when the setting is what is
    asked, or "Mag dat?" asks about the whole story, it still answers."""
    assert matcher.match(question).clause == clause


def test_a_told_setting_weighs_less_than_an_asked_one(matcher: Matcher) -> None:
    """Where it happened counts at `scene_factor` for the index: the break told before a
    question about a classmate's consent gives schooltijd less than at full weight."""
    analysis = matcher.normaliser.analyse(
        "In de pauze heb ik een foto van mijn klasgenoot gepost. Moet ik hem dat vragen?"
    )
    full = Matcher(matcher.book, dataclasses.replace(matcher.tuning, scene_factor=1.0))
    assert matcher.index.scores(analysis)["schooltijd"] < full.index.scores(analysis)["schooltijd"]
