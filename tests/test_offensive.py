"""Offensive language: OF101 strong swear words, OF102 mild language, OF103 the classifier."""

from __future__ import annotations

import pytest

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Span
from boundaries.screening.detectors.offensive import OffensiveDetector
from boundaries.screening.normalise import Document
from boundaries.screening.profanity_model import load_model

DETECTOR = OffensiveDetector(ScreeningContext())


def spans(text: str, rule: str | None = None) -> list[Span]:
    found = list(DETECTOR.detect(Document(text)))
    return [s for s in found if rule is None or s.rule == rule]


def evidence(text: str, rule: str) -> list[str]:
    return [text[s.start : s.end] for s in spans(text, rule) if s.score >= 0.5]


# -- OF101 ---------------------------------------------------------------------------------


def test_a_plain_strong_swear_word_is_a_breach_of_of101() -> None:
    text = "Parents' evening ran until nine. Absolutely fucking shattered."
    [span] = spans(text, "OF101")
    assert text[span.start : span.end] == "fucking"
    assert span.score >= 0.75


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("What a sh!t day", "sh!t"),  # a symbol for a letter
        ("What a sh1t day", "sh1t"),  # a digit for a letter
        ("f u c k this marking", "f u c k"),  # spaced letters
        ("f.u.c.k this marking", "f.u.c.k"),
        ("this is fuсked up", "fuсked"),  # Cyrillic "с"
        ("this is fücked up", "fücked"),  # an accent
        ("this is f\u200bucked up", "f\u200bucked"),  # a zero-width space
        ("fuuuuuck, the printer again", "fuuuuuck"),  # stretched
        ("Absolutely SHITTT day", "SHITTT"),
        ("@ss of a day", "@ss"),
        ("$hit happens", "$hit"),
    ],
)
def test_a_disguised_strong_swear_word_is_still_of101(text: str, word: str) -> None:
    assert evidence(text, "OF101") == [word]
    assert "disguised" in spans(text, "OF101")[0].reason


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("What the f**k is this", "f**k"),
        ("Some c*nt keyed my car", "c*nt"),
        ("Utter b*llocks from the DfE", "b*llocks"),
        ("f*cking Ofsted", "f*cking"),
        ("What a load of sh*te", "sh*te"),
        ("f*** this", "f***"),
    ],
)
def test_a_masked_strong_swear_word_is_of101(text: str, word: str) -> None:
    [span] = spans(text, "OF101")
    assert text[span.start : span.end] == word
    assert "masked" in span.reason


@pytest.mark.parametrize(
    "text",
    [
        "Cracking day out in Scunthorpe and Penistone, then on to Cockermouth",
        "Class assessment week: assess, reassess, repeat",
        "Cocktail party for the PTA on Friday",
        "Reading Charles Dickens with Year 6",
        "Shitake mushrooms in the stir fry",
        "The door knob fell off the staffroom door",
        "Moby Dick is a long read",
        "Just a little prick, said the nurse at the flu jab clinic",
        "New hoe and rake for the school allotment",
        "Pussy cat, pussy cat, where have you been? Nursery rhyme week",
        "Hancock, Dickinson and Cockburn all resigned",
        "Essex, Middlesex and Sussex",
    ],
)
def test_words_containing_a_swear_word_are_not_of101(text: str) -> None:
    assert evidence(text, "OF101") == []


def test_an_everyday_word_used_as_a_swear_word_is_of101() -> None:
    assert evidence("You absolute knob", "OF101") == ["knob"]
    assert evidence("he's being a total dick about it", "OF101") == ["dick"]


def test_inflections_are_of101() -> None:
    text = "shitty, fucked, bollocks, wankers, arseholes"
    assert evidence(text, "OF101") == ["shitty", "fucked", "bollocks", "wankers", "arseholes"]


# -- OF102 ---------------------------------------------------------------------------------


def test_mild_language_is_of102_not_of101() -> None:
    text = "Bloody printer has jammed again, what the hell! Crap."
    assert evidence(text, "OF102") == ["Bloody", "what the hell", "Crap"]
    assert spans(text, "OF101") == []
    assert spans(text, "OF103") == []


@pytest.mark.parametrize(
    "text",
    [
        "He came off the pitch with a bloody nose",
        "Hello everyone, welcome back!",
        "Lunch at Hell's Kitchen was great",
        "Sod's law: it rained on sports day",
        "The Battle of Hastings was a bloody battle",
        "Shellfish and hellebores",
    ],
)
def test_everyday_senses_are_not_mild_language(text: str) -> None:
    assert spans(text) == []


# -- OF103 ---------------------------------------------------------------------------------


def test_an_offensive_sentence_without_a_listed_word_is_of103_from_the_classifier() -> None:
    text = "Car park moaners again. What a bunch of illiterate rednecks."
    [span] = spans(text, "OF103")
    assert text[span.start : span.end] == "illiterate rednecks"
    assert 0.5 <= span.score < 0.85
    assert "classifier" in span.reason


def test_a_plain_insult_noun_is_left_to_ha101_not_the_classifier() -> None:
    # "idiot" is HA101's where it is aimed; the classifier no longer sees listed insults.
    text = "To the idiot who blocked the school gate this morning"
    assert spans(text, "OF103") == []


@pytest.mark.parametrize(
    "text",
    [
        "I'm such an idiot, forgot my keys",
        "This weather is pathetic",
        "The kids were killing it at sports day",
        "I could murder a pizza",
        "Great RSE lesson on puberty with Year 6",
        "Forest school today: muddy, smelly, happy children",
        "Year 9 history: why did the Nazis rise to power?",
        "My mum and dad came to the fete",
        "Pride month assembly on gay and lesbian families",
    ],
)
def test_everyday_sentences_are_not_of103(text: str) -> None:
    assert spans(text, "OF103") == []


def test_a_sentence_with_a_strong_swear_word_is_not_also_of103() -> None:
    text = "You stupid fucking loser."
    assert [s.rule for s in spans(text)] == ["OF101"]


def test_spans_point_into_the_original_text() -> None:
    text = "ok. What a sh!t, f**k-ing week"
    for span in spans(text):
        assert text[span.start : span.end].strip() == text[span.start : span.end]
    assert evidence(text, "OF101")[0] == "sh!t"


# -- the compiled classifier ---------------------------------------------------------------

AGREEMENT = [
    "",
    "hello there",
    "you are a fucking idiot",
    "What a lovely day at the seaside with the family",
    "Shit happens!!",
    "crap",
    "damn it",
    "go to hell",
    "I love my class",
    "hoe the garden",
    "Naïve café ünïcode résumé",
    "bitch please",
    "a b c",
    "x" * 50,
    "the the the and of",
    "Thanks to all the parents who came to sports day",
    "This is the worst government in history",
    "I hate Mondays",
    "You're a moron and a liar",
    "Go back to where you came from",
    "kill all the weeds in the allotment",
    "2024 was a great year",
    "@dave_smith you absolute muppet",
    "RT @someone: lol this is hilarious",
    "sexy new kitchen for the staffroom",
    "idiot idiot idiot idiot",
    "Idiot!!! IDIOT",
    "stupid stupid people",
    "The children's behaviour was appalling today",
    "what a bunch of losers",
    "SHUT UP",
    "I can't believe it's not butter",
    "Ofsted are coming next week, panic stations",
    "the kids were killing it at sports day",
    "I could murder a pizza",
    "fucking hell mate",
    "arse",
    "Dickens wrote Great Expectations",
    "Scunthorpe United lost again",
    "中文 text 日本語",
    "emoji 😀 and symbols ©®",
    "tabs\tand\nnewlines",
    "Mr. O'Neill's well-known co-operative",
    "you're youre your ur",
    "ass assess class",
    "PENIS vagina puberty",
    "this is so gay",
    "niggas and bitches",
    "a very long sentence " * 20,
    "numbers 123 456 and words",
]


def test_the_compiled_classifier_agrees_with_profanity_check() -> None:
    profanity_check = pytest.importorskip("profanity_check")
    expected = profanity_check.predict_prob(AGREEMENT)
    model = load_model()
    for text, want in zip(AGREEMENT, expected, strict=True):
        assert model.score(text) == pytest.approx(float(want), abs=1e-6), text


def test_the_classifier_bound_never_skips_a_sentence_that_would_score() -> None:
    model = load_model()
    for text in AGREEMENT:
        terms = [t for t in text.lower().split() if t in model.idf]
        if model.score_terms(terms) >= 0.5:
            push = sum(model.push.get(t, 0.0) for t in set(terms))
            assert model.could_reach(push, 0.5), text


def test_degrading_phrasing_is_of103_even_without_the_classifier() -> None:
    text = "That parent at pick-up is a vile waste of oxygen"
    assert "waste of oxygen" in evidence(text, "OF103")


def test_degrading_phrasing_about_oneself_is_not_of103() -> None:
    assert evidence("I'm such a moron, forgot my lanyard", "OF103") == []


# -- OF103: degrading phrasing from the list ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Whoever dumped that mattress is an oxygen thief", "oxygen thief"),
        ("The trolls on that page are the scum of the earth", "scum of the earth"),
        ("The new quiz show is a steaming pile of garbage", "steaming pile of"),
        ("Our landlord has the brains of a boiled sprout", "the brains of a"),
        # Vermin words count when the sentence calls someone them.
        ("You snivelling little maggot", "maggot"),
        ("The councillors are spineless worms", "worms"),
        ("Those fly-tippers are vermin", "vermin"),
        ("Whoever scratched my car is the lowest of the low", "lowest of the low"),
    ],
)
def test_degrading_phrasing_is_of103(text: str, phrase: str) -> None:
    assert phrase in evidence(text, "OF103")


@pytest.mark.parametrize(
    "text",
    [
        "The slugs have eaten all my lettuces again",
        "Found a worm in the playground and Reception named it Kevin",
        "We've got rats in the compost bin, pest control is booked",
        "Pond scum everywhere after the heatwave",
        "This old cottage has the charm of a fairy tale",
        "Leading the new curriculum is a huge piece of work",
        "The Grinch is a nasty piece of work but we love him",
    ],
)
def test_animals_dirt_and_praise_are_not_of103(text: str) -> None:
    assert evidence(text, "OF103") == [], text


def test_a_pile_of_swearing_is_of101_not_also_of103() -> None:
    text = "That match was a steaming pile of shite"
    assert evidence(text, "OF103") == []
    assert evidence(text, "OF101") == ["shite"]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Whoever wrote this timetable is a brainless amoeba.", "brainless amoeba"),
        ("Our new neighbour is a walking advert for contraception.", "advert for contraception"),
        ("Half these dads should be sterilised, honestly.", "dads should be sterilised"),
    ],
)
def test_degrading_name_calling_without_swearing_is_of103(text: str, span: str) -> None:
    assert any(span in e for e in evidence(text, "OF103"))


@pytest.mark.parametrize(
    "text",
    [
        "All the scissors should be sterilised after the science lesson.",
        "Year 6 found an amoeba under the microscope today!",
        "We had a lovely talk about contraception in the Year 6 RSE lesson.",
        # "thick as mince" aimed at someone is an insult (HA101), not degrading wording (OF103)
        "That ref is thick as mince.",
    ],
)
def test_science_and_rse_words_are_not_of103(text: str) -> None:
    assert spans(text, "OF103") == []
