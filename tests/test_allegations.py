"""AL101: allegations about identifiable people connected with the school."""

from __future__ import annotations

import pytest

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.allegations import AllegationDetector
from boundaries.screening.detectors.base import Span
from boundaries.screening.normalise import Document
from tests.conftest import reported

CONTEXT = ScreeningContext.coerce(
    {
        "school": {
            "name": "Brookfield Primary School",
            "aliases": ["Brookfield"],
            "local_authority": "Northshire Council",
            "staff": ["Mrs Janet Okafor", "Mr Daniel Whitcombe"],
        },
        "author": {"name": "Kirsty Mallory"},
        "parents": [{"name": "Kelly Marsh", "children": ["Daisy Marsh"]}],
        "confidential_terms": ["Project Heron"],
    }
)
DETECTOR = AllegationDetector(CONTEXT)


def _found(text: str) -> list[Span]:
    return reported(DETECTOR, text)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        (
            "Apparently our business manager has been fiddling the expenses for years.",
            "our business manager has been fiddling the expenses",
        ),
        ("The caretaker has been stealing from the tuck shop", "The caretaker has been stealing"),
        ("Our head is lying to parents about the budget", "Our head is lying"),
        ("Mr Whitcombe turned up drunk to parents' evening", "Mr Whitcombe turned up drunk"),
        ("A TA in Year 2 hit a child and nothing was done", "A TA in Year 2 hit a child"),
        ("Brookfield fiddles its SATs results every year", "Brookfield fiddles its SATs results"),
        ("The new PE teacher is a nonce, I'm telling you", "The new PE teacher is a nonce"),
        ("Our head bullies staff, three have left", "Our head bullies staff"),
        ("Mrs Okafor is on drugs, you can tell", "Mrs Okafor is on drugs"),
        ("The chair of governors is corrupt", "The chair of governors is corrupt"),
        ("One of the dads is a paedophile", "One of the dads is a paedophile"),
        (
            "Kelly Marsh turns up at pick up stinking of wine",
            "Kelly Marsh turns up at pick up stinking of wine",
        ),
        ("Our deputy is having an affair with one of the mums", "Our deputy is having an affair"),
        ("Our head is openly racist", "Our head is openly racist"),
        ("Our caretaker was arrested last night", "Our caretaker was arrested"),
    ],
)
def test_an_accusation_about_a_named_person_role_or_the_school_is_al101(
    text: str, evidence: str
) -> None:
    assert evidence in [text[s.start : s.end] for s in _found(text)]


def test_he_or_she_stands_for_the_colleague_named_just_before() -> None:
    text = "Our caretaker is lovely. Apparently he's been nicking laptops."
    (span,) = _found(text)
    assert text[span.start : span.end] == "been nicking"
    assert "Our caretaker" in span.reason


def test_the_passive_names_the_subject_after_by() -> None:
    text = "A boy in my class was assaulted by the caretaker"
    (span,) = _found(text)
    assert text[span.start : span.end] == "was assaulted by the caretaker"
    assert "the caretaker" in span.reason


def test_a_named_colleague_is_a_breach_and_a_bare_role_is_less_certain() -> None:
    (named,) = _found("Mrs Okafor is a liar")
    (role,) = _found("The deputy is a liar")
    assert named.score >= 0.75
    assert role.score <= named.score


@pytest.mark.parametrize(
    "text",
    [
        "A man was arrested in town last night",
        "Line of Duty was brilliant, the boss was bent and the head of AC-12 lied",
        "I stole a chip off my son's plate",
        "If a teacher hit a child they'd be sacked on the spot",
        "The kids stole the show at the nativity!",
        "My son lied to me about his homework again",
        "Our head is not a liar, whatever people say",
        "We were cheating at rounders lol",
        "I feel like a fraud at work some days",
        "The man who broke into the school has been arrested",
        "Year 4 learned about predators and prey today",
        "Our head grabbed the kids' attention with a magic trick",
        "The kids were kicking the ball around at lunch",
        "Did my safeguarding training: how to spot grooming and abuse",
        "A boy in my class hit a girl today, so tiring",
        "Our headteacher was lying on the beach in Spain all half term",
        "Harry Styles lied about his tour dates",
        "The head is a bit high maintenance",
        "The head said someone has been stealing from the staffroom fridge",
    ],
)
def test_news_fiction_hypotheticals_and_the_authors_own_doings_are_not_al101(text: str) -> None:
    assert _found(text) == []


def test_a_hypothetical_about_an_identifiable_person_is_marked_down() -> None:
    (plain,) = _found("Our caretaker has been stealing from the school")
    hypothetical = [
        s.score
        for s in DETECTOR.detect(
            Document("What if our caretaker has been stealing from the school?")
        )
    ]
    assert all(score < plain.score for score in hypothetical)


# --- families of phrasing beyond the obvious words ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        # theft idioms
        (
            "Word is the caretaker's got his fingers in the tuck shop till",
            "the caretaker's got his fingers in the tuck shop till",
        ),
        (
            "Our bursar has been dipping into the trip money for months",
            "Our bursar has been dipping into the trip money",
        ),
        (
            "Rumour is Mr Whitcombe has been skimming off the PTA takings",
            "Mr Whitcombe has been skimming off the PTA",
        ),
        # fiddled figures, with any figures and any fiddling verb
        (
            "Our head is fudging the exclusion figures again",
            "Our head is fudging the exclusion figures",
        ),
        (
            "The deputy has been cooking the attendance registers for the audit",
            "The deputy has been cooking the attendance registers",
        ),
        # cover-ups
        (
            "The deputy swept the complaint under the carpet",
            "The deputy swept the complaint under the carpet",
        ),
        (
            "Apparently our head hushed up what happened on the minibus",
            "our head hushed up what",
        ),
        # drink at work
        (
            "Everyone knows Mrs Okafor drinks at lunchtime",
            "Mrs Okafor drinks at lunchtime",
        ),
        (
            "Our site manager keeps vodka in his water bottle",
            "Our site manager keeps vodka in his water bottle",
        ),
        # rough handling of children
        (
            "The new TA in Year 1 is rough with the little ones",
            "The new TA in Year 1 is rough with the little ones",
        ),
        # an affair, in its euphemisms
        (
            "Rumour has it our head is having it off with one of the dads",
            "our head is having it off with",
        ),
    ],
)
def test_idioms_and_euphemisms_for_an_accusation_are_al101(text: str, evidence: str) -> None:
    assert evidence in [text[s.start : s.end] for s in _found(text)]


def test_a_wink_makes_a_relatives_contract_an_accusation_of_nepotism() -> None:
    text = "Funny how the chair of governors' brother-in-law won the catering contract 🤔"
    (span,) = _found(text)
    assert "nepotism" in span.reason
    assert _found("The chair of governors' son got the job at the vets, so proud of him!") == []


def test_they_in_a_post_about_school_stands_for_the_school_in_a_cover_up() -> None:
    text = "They hushed up the accident on the Year 4 trip. Parents were never told."
    (span,) = _found(text)
    assert text[span.start : span.end] == "They hushed up the accident"
    assert 0.5 <= span.score < 0.75  # who "they" are is a guess: review
    # "they" after someone else is that someone: not the school
    assert _found("The government covered up the report. They lied to parents.") == []


def test_i_am_not_saying_is_an_insinuation_not_a_denial() -> None:
    text = "I'm not saying the bursar pocketed the difference, but where did it go?"
    assert _found(text)
    assert _found("The bursar has not pocketed anything, the audit was clean") == []


def test_he_may_stand_for_a_colleague_named_much_earlier_in_a_long_post() -> None:
    text = (
        "Not naming names, but one of our senior team collected the trip deposits last year. "
        "The residential was cut short for 'budget reasons' and I've been told the activity "
        "centre was paid late. Now there's a new car on the drive. I'm not saying he pocketed "
        "it, I'm just asking questions."
    )
    (span,) = _found(text)
    assert text[span.start : span.end] == "pocketed it"
    assert "our senior team" in span.reason


@pytest.mark.parametrize(
    "text",
    [
        "The kids covered up the seeds with soil for science week",
        "They covered it up with a tarp before the rain at school",
        "Our head drinks coffee during lunch duty, bless her",
        "The class hamster went walkabout again, found it in the book corner",
        "The caretaker says the numbers don't add up for the new boiler quote",
        "The caretaker was skimming leaves off the top of the pond",
        "Waterloo Road this week: the head fudging the exam results, proper soap drama",
        "Cooking the Sunday roast for the family tonight",
        "I did everything by the book and the deputy helped me",
    ],
)
def test_innocent_uses_of_the_same_words_are_not_al101(text: str) -> None:
    assert _found(text) == []


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        (
            "Our business manager has been flogging the school's spare iPads online.",
            "flogging the school's spare iPads",
        ),
        (
            "The caretaker sold the school's old tablets at a car boot.",
            "sold the school's old tablets",
        ),
        (
            "Our head has been helping himself to the PTA money for years.",
            "helping himself to the PTA money",
        ),
        (
            "Mr Whitcombe rolled in to the staff meeting completely steaming again.",
            "rolled in to the staff meeting completely steaming",
        ),
        (
            "Mr Whitcombe keeps giving the new TA lifts home, does his wife know? 👀",
            "does his wife know",
        ),
        (
            "Mrs Okafor has been marking her class's practice tests up all year.",
            "marking her class's practice tests up",
        ),
    ],
)
def test_new_phrasings_of_theft_drink_affairs_and_results_are_allegations(
    text: str, evidence: str
) -> None:
    found = [text[s.start : s.end] for s in _found(text)]
    assert any(evidence in f for f in found), found


@pytest.mark.parametrize(
    "text",
    [
        "We sold the school's old tables at the summer fair to raise money for the library.",
        "Our head marked the Year 6 papers with the moderator, all fair and square.",
        "Mrs Okafor's husband popped in, does his wife know where his keys are? Ha.",
    ],
)
def test_everyday_selling_marking_and_asking_are_not_allegations(text: str) -> None:
    assert _found(text) == []
