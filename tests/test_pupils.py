"""The pupil detector: a pupil named (PU101) or identifiable from a partial name (PU102).

Positives check the span's evidence and score band; near-misses are the posts staff really write
about fetes, roses, pop stars and colleagues, where a pupil's first name is an ordinary word or a
famous person's.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

import pytest

from boundaries.policy import load_pack
from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Span
from boundaries.screening.detectors.pupils import PU101, PU102, PupilDetector
from boundaries.screening.normalise import Document
from tests.conftest import reported

PUPILS: list[dict[str, Any]] = [
    {"forename": "Amy", "surname": "Smith", "year_group": "Year 4"},
    {"forename": "Zoë", "surname": "Marchetti", "year_group": "Year 3"},
    {"forename": "William", "surname": "Okoro", "preferred_name": "Will", "year_group": "5"},
    {"forename": "Grace", "surname": "Kelly-Brown", "year_group": "Year 3"},
    {"forename": "Rose", "surname": "Atherton", "year_group": "Year 1"},
    {"forename": "Harry", "surname": "Stiles", "year_group": "Year 4"},
    {"forename": "Ruby", "surname": "Sandhu", "year_group": "Year 3"},
    {"forename": "Samuel", "surname": "Bradshaw", "preferred_name": "Sam", "year_group": "Y4"},
    {"forename": "Summer", "surname": "Lockwood", "year_group": "Year 2"},
    {"forename": "Mark", "surname": "Kowalczyk", "year_group": "Year 6"},
    {"forename": "Bill", "surname": "Hennessy", "year_group": "Year 1"},
    {"forename": "Will", "surname": "Jones", "year_group": "Year 2"},
    {"forename": "Ciarán", "surname": "O'Brien", "year_group": "Year 4"},
    {"forename": "Łukasz", "surname": "Nowak", "year_group": "Year 5"},
    {"forename": "Hope", "surname": "Fenwick", "year_group": "Reception"},
    {"forename": "Jordan", "surname": "Ellis-Campbell", "year_group": "Year 6"},
    {"forename": "Joy", "surname": "Mensah", "year_group": "Year 2"},
    {"forename": "Daisy", "surname": "Marsh", "year_group": "Reception"},
    {"forename": "Olufunmilayo", "surname": "Bakare", "preferred_name": "Funmi"},
    {"forename": "Noah", "surname": "Thompson", "year_group": "Year 1"},
    {"forename": "Taylor", "surname": "Quinn", "year_group": "Year 3"},
    {"forename": "Jack", "surname": "Doherty", "year_group": "Year 3"},
]

CONTEXT = ScreeningContext.coerce(
    {
        "school": {
            "name": "Brookfield Primary School",
            "staff": ["Mr Will Jones", "Mrs Janet Okafor", "Miss Amy Doyle"],
        },
        "author": {"name": "Kirsty Mallory"},
        "pupils": PUPILS,
        "parents": [{"name": "Kelly Marsh", "children": ["Daisy Marsh"]}],
    }
)


@pytest.fixture(scope="module")
def detector() -> PupilDetector:
    return PupilDetector(CONTEXT)


def spans(detector: PupilDetector, text: str) -> list[Span]:
    return reported(detector, text)


def only(detector: PupilDetector, text: str, rule: str, evidence: str) -> Span:
    """The one reported span, checked to be ``rule`` over exactly ``evidence``."""
    found = spans(detector, text)
    assert [(s.rule, text[s.start : s.end]) for s in found] == [(rule, evidence)], found
    return found[0]


# --------------------------------------------------------------------------- rule definitions


def test_both_rules_redact_as_pupil_and_are_in_the_policy_pack() -> None:
    pack = load_pack()
    for rule in (PU101, PU102):
        assert rule.redact_as == "PUPIL"
        assert rule.code in pack.rules
        assert rule.example and rule.instead and rule.fix


def test_an_empty_roster_finds_nothing() -> None:
    empty = PupilDetector(ScreeningContext.coerce({}))
    assert list(empty.detect(Document("So proud of Amy Smith in Year 4"))) == []


# --------------------------------------------------------------------------- PU101 positives


def test_a_pupils_full_name_is_a_breach_of_pu101(detector: PupilDetector) -> None:
    span = only(detector, "So proud of Amy Smith today, what a star!", "PU101", "Amy Smith")
    assert span.score >= 0.9
    assert "'Amy Smith'" in span.reason and "Year 4" in span.reason


def test_a_preferred_name_with_the_surname_is_pu101(detector: PupilDetector) -> None:
    only(detector, "Will Okoro has been a superstar this week", "PU101", "Will Okoro")
    only(detector, "Funmi Bakare read to the whole school", "PU101", "Funmi Bakare")


def test_a_nickname_of_the_legal_forename_with_the_surname_is_pu101(
    detector: PupilDetector,
) -> None:
    span = only(detector, "Billy Okoro was off sick again", "PU101", "Billy Okoro")
    assert span.score >= 0.75
    assert "Will Okoro" in span.reason  # the name the school uses for the pupil


def test_a_possessive_full_name_is_pu101(detector: PupilDetector) -> None:
    only(detector, "Amy Smith's mum was not happy at pick-up", "PU101", "Amy Smith")
    only(detector, "Ruby Sandhu’s poem made me cry", "PU101", "Ruby Sandhu")


def test_a_full_name_in_lower_case_or_capitals_is_pu101(detector: PupilDetector) -> None:
    only(detector, "amy smith was a nightmare today", "PU101", "amy smith")
    only(detector, "Guess who got a merit today... rose atherton!", "PU101", "rose atherton")
    only(detector, "HARRY STILES GOT STAR OF THE WEEK", "PU101", "HARRY STILES")


def test_a_name_written_without_its_accents_is_pu101(detector: PupilDetector) -> None:
    only(detector, "Zoe Marchetti was brilliant in the play", "PU101", "Zoe Marchetti")
    only(detector, "Zoë Marchetti was brilliant in the play", "PU101", "Zoë Marchetti")
    only(detector, "Lukasz Nowak scored a hat-trick", "PU101", "Lukasz Nowak")


def test_one_letter_out_in_the_surname_is_still_the_pupil(detector: PupilDetector) -> None:
    span = only(detector, "Ruby Sandu read her poem at church", "PU101", "Ruby Sandu")
    assert 0.75 <= span.score < 0.9
    assert "one letter" in span.reason
    only(detector, "Harry Stlies in my class again", "PU101", "Harry Stlies")  # swapped letters


def test_one_letter_out_in_the_forename_is_still_the_pupil(detector: PupilDetector) -> None:
    only(detector, "Rubby Sandhu read her poem at church", "PU101", "Rubby Sandhu")


def test_hyphenated_and_apostrophe_surnames_match(detector: PupilDetector) -> None:
    only(detector, "Grace Kelly-Brown is star of the week", "PU101", "Grace Kelly-Brown")
    only(
        detector, "Jordan Ellis Campbell got picked for the team", "PU101", "Jordan Ellis Campbell"
    )
    only(detector, "Ciarán O’Brien lost his tooth", "PU101", "Ciarán O’Brien")
    only(detector, "ciaran obrien lost his tooth", "PU101", "ciaran obrien")


def test_register_order_surname_comma_forename_is_pu101(detector: PupilDetector) -> None:
    only(detector, "Absent today: Smith, Amy and two others", "PU101", "Smith, Amy")


def test_an_initial_and_surname_need_school_context(detector: PupilDetector) -> None:
    only(detector, "A. Smith in Year 4 got a detention", "PU101", "A. Smith")
    assert spans(detector, "Letter from A. Smith about the parking") == []


def test_a_famous_lookalike_next_to_a_class_is_the_pupil(detector: PupilDetector) -> None:
    span = only(detector, "Harry Styles in 4B has done it again", "PU101", "Harry Styles")
    assert span.score >= 0.75


# --------------------------------------------------------------------------- PU102 positives


def test_forename_and_surname_initial_with_a_year_group_is_pu102(detector: PupilDetector) -> None:
    span = only(detector, "Sam B in year 4 told me I look like his nan", "PU102", "Sam B")
    assert span.score >= 0.75 and "Year 4" in span.reason


def test_little_ruby_in_my_class_is_pu102(detector: PupilDetector) -> None:
    span = only(detector, "little Ruby in my class has the best giggle", "PU102", "Ruby")
    assert 0.55 <= span.score <= 0.85


def test_a_forename_next_to_its_year_group_is_pu102(detector: PupilDetector) -> None:
    span = only(detector, "Hope in Reception has settled in so well", "PU102", "Hope")
    assert "Reception" in span.reason
    only(detector, "Funmi's family are moving away, best reader in my class", "PU102", "Funmi")


def test_names_listed_together_share_the_year_group_after_them(detector: PupilDetector) -> None:
    found = spans(detector, "Ruby and Jack in Year 3 were my helpers today")
    assert {
        (s.rule, "Ruby and Jack in Year 3 were my helpers today"[s.start : s.end]) for s in found
    } == {
        ("PU102", "Ruby"),
        ("PU102", "Jack"),
    }


def test_a_child_named_beside_their_parent_is_pu102(detector: PupilDetector) -> None:
    text = "@Kelly Marsh no probs, I'll sort Daisy's reading book tomorrow"
    span = only(detector, text, "PU102", "Daisy")
    assert "parent" in span.reason


def test_a_handle_with_a_first_name_initial_and_year_is_pu102(detector: PupilDetector) -> None:
    only(detector, "@sam.b.y4 don't tell anyone I followed you back", "PU102", "sam.b.y4")


# --------------------------------------------------------------------------- near-misses


@pytest.mark.parametrize(
    "text",
    [
        "Will you be at the fete on Saturday?",
        "Will it ever stop raining? Year 4 sports day is off again",
        "I will mark the books tonight",
        "I will mark the Year 6 mocks tonight, send coffee",
        "Mark my words, Year 6 will smash their SATs",
    ],
)
def test_will_and_mark_as_verbs_are_not_pupils(detector: PupilDetector, text: str) -> None:
    assert spans(detector, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The roses are out and the garden looks amazing",
        "a rose by any other name",
        "Summer holidays at last!",
        "So much joy in Year 2 today, they loved the puppets",
        "Hope you all have a lovely weekend, Year 1 parents",
        "What a joy to teach Year 2",
    ],
)
def test_names_used_as_ordinary_words_are_not_pupils(detector: PupilDetector, text: str) -> None:
    assert spans(detector, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Noah's Ark display in the Year 1 classroom looks amazing",
        "Summer, Autumn, Winter, Spring: Year 2 made a seasons display",
        "Our Year 6 Jordan trip is booked!",
        "So our Jack got his first detention at secondary, like mother like son",
    ],
)
def test_titles_word_lists_places_and_family_are_not_pupils(
    detector: PupilDetector, text: str
) -> None:
    assert spans(detector, text) == []


def test_a_year_group_no_pupil_of_that_name_is_in_is_no_evidence(detector: PupilDetector) -> None:
    text = "Ariana, Dua, Taylor, Sabrina: my Spotify Wrapped is basically a Year 6 disco playlist"
    assert spans(detector, text) == []


def test_amazing_grace_in_assembly_is_a_hymn_not_a_pupil(detector: PupilDetector) -> None:
    assert spans(detector, "Year 3 sang Amazing Grace in assembly, not a dry eye") == []


def test_harry_styles_is_not_the_pupil_harry_stiles(detector: PupilDetector) -> None:
    assert spans(detector, "Harry Styles was amazing last night!!") == []
    assert spans(detector, "harry styles tickets booked, year 4 are so jealous") == []


def test_bill_gates_and_a_later_bare_bill_are_not_a_pupil(detector: PupilDetector) -> None:
    text = "Bill Gates reckons AI will replace teachers. Try Year 1 on a windy day, Bill"
    assert spans(detector, text) == []


def test_a_famous_namesake_of_a_pupils_forename_is_not_a_pupil(detector: PupilDetector) -> None:
    assert spans(detector, "Jordan Pickford saved it! My Year 6 class went wild") == []
    assert spans(detector, "Our Year 6 trip to Jordan is booked") == []


def test_a_member_of_staff_with_a_pupils_name_is_an_adult(detector: PupilDetector) -> None:
    assert spans(detector, "Mr Will Jones our deputy head is retiring") == []
    assert spans(detector, "Will Jones, our deputy head, is retiring") == []


def test_family_and_pets_with_pupils_names_are_not_pupils(detector: PupilDetector) -> None:
    assert spans(detector, "My daughter Ruby starts Reception next week!") == []
    assert spans(detector, "Our dog Summer ate my Year 2 marking") == []


def test_a_surname_alone_is_not_a_pupil(detector: PupilDetector) -> None:
    assert spans(detector, "The Atherton family next door have a new puppy") == []
    assert spans(detector, "Smith scored the winner for England") == []


def test_a_forename_alone_without_school_context_is_not_a_pupil(detector: PupilDetector) -> None:
    assert spans(detector, "Amy and I went to the cinema last night") == []
    assert spans(detector, "Sam B said the match is at 3") == []


def test_a_pupils_forename_with_another_surname_is_someone_else(detector: PupilDetector) -> None:
    assert spans(detector, "Ruby Murray was my nan's favourite singer") == []


def test_a_name_in_an_email_address_is_left_to_the_contact_rules(
    detector: PupilDetector,
) -> None:
    assert spans(detector, "write to amy.smith@example.com for tickets") == []


# --------------------------------------------------------------------------- PU102 without a name
# Families of phrasing that identify a child without their first name: initials and a year group,
# a named parent's child, the family name, a description that fits one child, and a child spoken
# to by name at a school event. Near-misses: the same shapes that pick out nobody.


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Top marks in the mental maths quiz go to R.S. in Year 3!", "R.S."),
        ("Whoever wrote the haiku on the wall, J. E. (Y6), it was beautiful", "J. E."),
        ("MK in year 6 finally learnt his seven times table", "MK"),
        ("Lovely letter from H.S., Year 4, about the school dog", "H.S."),
    ],
)
def test_a_pupils_initials_next_to_their_year_group_are_pu102(
    detector: PupilDetector, text: str, evidence: str
) -> None:
    span = only(detector, text, "PU102", evidence)
    assert span.score >= 0.75
    assert "initials" in span.reason


@pytest.mark.parametrize(
    "text",
    [
        "Our RE in Year 6 this half term is all about Diwali",
        "The TA in Year 4 has been an absolute lifesaver",
        "R.S. in Year 5 won the spelling bee",  # no pupil with those initials is in Year 5
        "AS in my class never listen",  # two capitals need the year to mean a child
        "HUGE WELL DONE TO EVERYONE IN YEAR 6",
    ],
)
def test_initials_that_fit_no_pupil_or_are_a_word_are_not_pu102(
    detector: PupilDetector, text: str
) -> None:
    assert spans(detector, text) == []


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        (
            "Kelly Marsh's little girl had her first swimming lesson with us",
            "Kelly Marsh's little girl",
        ),
        ("Mrs Marsh's youngest was a star in the Reception nativity", "Marsh's youngest"),
        ("Kelly's youngest has come on so much with her phonics", "Kelly's youngest"),
    ],
)
def test_a_child_identified_through_a_named_parent_is_pu102(
    detector: PupilDetector, text: str, evidence: str
) -> None:
    span = only(detector, text, "PU102", evidence)
    assert "parent" in span.reason


@pytest.mark.parametrize(
    "text",
    [
        "Kelly Marsh's new car is the size of a bus",
        "Kelly Marsh's sister is getting married in June",
        "Kelly's youngest is learning to drive, terrifying",  # a first name alone needs school
    ],
)
def test_a_parent_named_without_their_child_is_not_pu102(
    detector: PupilDetector, text: str
) -> None:
    assert spans(detector, text) == []


def test_a_pupils_family_name_with_school_context_is_pu102(detector: PupilDetector) -> None:
    only(detector, "The Sandhu twins ran the tombola at the school fair", "PU102", "Sandhu twins")
    assert spans(detector, "The Sandhu twins next door are having a barbecue") == []
    assert spans(detector, "The marsh birds are back at the school pond") == []
    # A member of staff is a Jones too: "the Jones twins" may be a colleague's children.
    assert spans(detector, "The Jones twins ran the cake stall at the school fair") == []


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        (
            "The lad in Year 5 with the broken wrist still came to football club",
            "The lad in Year 5 with the broken wrist",
        ),
        (
            "that girl from 4B who always hums during silent reading is a delight",
            "that girl from 4B who always hums",
        ),
        (
            "The smallest boy in Reception carried the biggest pumpkin",
            "The smallest boy in Reception",
        ),
        ("the only girl in my class who likes sprouts", "the only girl in my class"),
    ],
)
def test_a_description_that_fits_one_child_is_pu102(
    detector: PupilDetector, text: str, evidence: str
) -> None:
    span = only(detector, text, "PU102", evidence)
    assert "describes one child" in span.reason


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        (
            "the Year 4 boy with the hearing aids read beautifully in assembly",
            "the Year 4 boy with the hearing aids",
        ),
        (
            "The Reception girl who cried all week came in smiling today",
            "The Reception girl who cried all week",
        ),
        ("that Y5 lad with the mohawk has been sent home again", "that Y5 lad with the mohawk"),
    ],
)
def test_a_description_with_the_year_before_the_child_is_pu102(
    detector: PupilDetector, text: str, evidence: str
) -> None:
    only(detector, text, "PU102", evidence)


def test_a_description_by_a_medical_need_is_a_breach(detector: PupilDetector) -> None:
    text = "The girl in Year 2 with the hearing aids sang a solo today"
    span = only(detector, text, "PU102", "The girl in Year 2 with the hearing aids")
    assert span.score >= 0.75


def test_a_description_needs_no_roster() -> None:
    empty = PupilDetector(ScreeningContext.coerce({}))
    text = "The boy in 6H with the six pack thinks he's Ronaldo"
    [span] = list(empty.detect(Document(text)))
    assert text[span.start : span.end] == "The boy in 6H with the six pack"


@pytest.mark.parametrize(
    "text",
    [
        "A girl in Year 3 lent me a pencil today",
        "The girls in Year 6 who ran the tuck shop raised £80",
        "The children in Year 5 who went to the museum loved it",
        "the boy at the bus stop with the dog waved at me",
        "The best bit in Year 6 is the residential",
        "the Year 6 parents who organised the disco were brilliant",
        "Year 6 kids who finished early helped tidy up",
    ],
)
def test_descriptions_that_fit_many_children_or_none_are_not_pu102(
    detector: PupilDetector, text: str
) -> None:
    assert spans(detector, text) == []


def test_a_child_spoken_to_by_name_at_a_school_event_is_pu102(detector: PupilDetector) -> None:
    span = only(detector, "Loved your outfit at the school disco, Zoë! 💃", "PU102", "Zoë")
    assert span.score < 0.75  # for review: a colleague could be called Zoë too
    only(detector, "Harry looked so grown up at the leavers' assembly", "PU102", "Harry")


@pytest.mark.parametrize(
    "text",
    [
        "Loved your outfit at the wedding, Zoë! 💃",
        "I went to the school disco with Zoë, what a night",
        "Happy birthday Zoë! Hope you have the best day x",
    ],
)
def test_a_name_spoken_to_away_from_school_is_not_pu102(detector: PupilDetector, text: str) -> None:
    assert spans(detector, text) == []


# --------------------------------------------------------------------------- speed


def words(text: str) -> list[str]:
    return text.split()


FORENAMES = words(
    "Oliver George Noah Arthur Muhammad Leo Harry Oscar Archie Henry Theodore Freddie Jack "
    "Charlie Theo Alfie Jacob Thomas Finley Arlo William Lucas Roman Tommy Isaac Teddy Alexander "
    "Olivia Amelia Isla Ava Ivy Freya Lily Florence Mia Willow Rosie Sophia Isabella Grace Daisy "
    "Sienna Poppy Elsie Emily Ella Evelyn Phoebe Sofia Evie Harper Summer Hope Ruby Joy Amber"
)
SURNAMES = words(
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin "
    "Cooper Hill Ward Hughes Moore Clark King Harrison Lewis Baker Lee Allen Morris Khan Scott "
    "Watson Davis Parker James Bennett Young Phillips Richardson Mitchell Bailey Carter Cook "
    "Singh Shaw Bell Collins Morgan Kelly Begum Miller Cox Hussain Marshall Simpson Price Anderson"
)


def synthetic_roster(count: int = 1500, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [
        {
            "forename": rng.choice(FORENAMES),
            "surname": rng.choice(SURNAMES),
            "year_group": rng.choice(["Reception", "1", "2", "3", "4", "5", "6"]),
        }
        for _ in range(count)
    ]


def test_a_280_character_post_with_1500_pupils_is_screened_fast() -> None:
    roster = synthetic_roster()
    big = PupilDetector(ScreeningContext.coerce({"pupils": roster}))
    name = f"{roster[0]['forename']} {roster[0]['surname']}"
    post = (
        "Will you be at the fete on Saturday? The roses are out and Summer holidays are nearly "
        f"here. So proud of {name} in Year 4 who read her poem in assembly, and little Grace "
        "in my class finally cracked her times tables! Harry Styles tickets booked for August."
    )
    assert 250 <= len(post) <= 300
    assert any(s.rule == "PU101" for s in big.detect(Document(post)))
    times = []
    for _ in range(300):
        began = time.perf_counter()
        list(big.detect(Document(post)))
        times.append(time.perf_counter() - began)
    # The budget is 150 µs; the bound here is loose so that a busy test machine does not fail it.
    assert statistics.median(times) < 600e-6


def test_a_parents_child_named_after_that_is_still_pu102(detector: PupilDetector) -> None:
    text = "@Kelly Marsh quick note that Daisy's water bottle is in lost property"
    assert "parent" in only(detector, text, "PU102", "Daisy").reason


def test_that_before_a_flower_word_with_no_parent_is_not_a_pupil(detector: PupilDetector) -> None:
    assert not spans(detector, "I love that Daisy chains are back in fashion at the park")


def test_a_handle_with_a_first_name_and_surname_initial_alone_is_pu102_for_review(
    detector: PupilDetector,
) -> None:
    span = only(detector, "@ruby.s.gaming gg, good game tonight", "PU102", "ruby.s.gaming")
    assert 0.5 <= span.score < 0.75


def test_a_handle_whose_initial_fits_no_pupil_is_not_pu102(detector: PupilDetector) -> None:
    assert not spans(detector, "@ruby.k.gaming gg, good game tonight")


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Well done to Amy and her pal Ruby S in Year 3 for the raffle", "Ruby S"),
        ("The new girl in 4B has settled in brilliantly", "The new girl in 4B"),
        ("The twins in Year 2 both lost a tooth today", "The twins in Year 2"),
    ],
)
def test_a_friend_with_an_initial_a_new_child_or_twins_in_a_class_is_pu102(
    detector: PupilDetector, text: str, evidence: str
) -> None:
    assert [text[s.start : s.end] for s in spans(detector, text) if s.rule == "PU102"] == [evidence]


@pytest.mark.parametrize(
    "text",
    [
        "Honestly the cheekiest boy in my class made me laugh all day",
        "The new girl in Reception was a bit teary at drop-off",
        "My friend Ruby S is coming for tea tonight",
    ],
)
def test_opinions_reception_starters_and_friends_are_not_pu102(
    detector: PupilDetector, text: str
) -> None:
    assert not [s for s in spans(detector, text) if s.rule == "PU102"]
