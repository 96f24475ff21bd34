"""EM101 (criticism of the employer) and VE101 (venting about work), and the shared workplace
cues they stand on."""

from __future__ import annotations

import pytest

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Span
from boundaries.screening.detectors.employer import EmployerDetector, sentiment
from boundaries.screening.normalise import Document
from boundaries.screening.workplace import Kind, find_workplace

CONTEXT = ScreeningContext.coerce(
    {
        "school": {
            "name": "Brookfield Primary School",
            "aliases": ["Brookfield"],
            "local_authority": "Northshire Council",
            "staff": ["Mrs Janet Okafor", "Mr Marcus Bell"],
        },
        "author": {"name": "Kirsty Mallory"},
        "confidential_terms": ["Project Heron"],
        "pupils": [{"forename": "Amy", "surname": "Smith", "year_group": "Year 4"}],
    }
)
DETECTOR = EmployerDetector(CONTEXT)


def _found(text: str, rule: str) -> list[Span]:
    return [s for s in DETECTOR.detect(Document(text)) if s.rule == rule and s.score >= 0.5]


def _evidence(text: str, rule: str) -> list[str]:
    return [text[s.start : s.end] for s in _found(text, rule)]


# --- EM101 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        (
            "Brookfield's SLT couldn't organise a piss-up in a brewery",
            "SLT couldn't organise a piss-up in a brewery",
        ),
        ("our head is clueless", "our head is clueless"),
        ("The governors are spineless, they nod along", "The governors are spineless"),
        ("Northshire Council are incompetent as usual", "Northshire Council are incompetent"),
        ("Brookfield is being run into the ground", "Brookfield is being run into the ground"),
        ("Trust payroll can't even pay us on time", "Trust payroll can't even pay"),
        ("HR have lost my form AGAIN", "HR have lost my form AGAIN"),
        ("I hate our new head", "hate our new head"),
    ],
)
def test_criticism_of_the_school_its_leaders_or_governors_is_em101(
    text: str, evidence: str
) -> None:
    assert evidence in _evidence(text, "EM101")


def test_a_criticism_found_in_the_original_text_maps_back_exactly() -> None:
    text = "Honestly SLT are a joke."
    (span,) = _found(text, "EM101")
    assert text[span.start : span.end] == "SLT are a joke"
    assert "SLT" in span.reason


@pytest.mark.parametrize(
    "text",
    [
        "the kids were killing it at sports day",
        "the kids were crazy excited for the disco!",
        "Traffic was a nightmare on the way to work this morning",
        "Terrible weather for the match, ref was useless",
        "So sorry to hear our head is leaving, she'll be missed",
        "The DfE's new framework is a mess",
        "Ofsted's new framework is a joke",
        "Great trip to the zoo with Year 5! So proud of them",
        "I felt so stupid when the head walked in mid-song",
        "Our head is brilliant, not clueless like some",
        "My head is killing me today",
        "Our head's husband passed away last night, devastated for her",
        "The kids hate the new lunch menu lol",
        "I'm useless at maths, luckily our TA is a whizz",
        "Our head said the new Ofsted framework is a joke",
        "Time management is terrible this week, must do better",
        "The school run was a nightmare today",
        "Loving my new job at Brookfield, the team are amazing!",
    ],
)
def test_negativity_not_aimed_at_the_employer_is_not_em101(text: str) -> None:
    assert _found(text, "EM101") == []


def test_insults_aimed_at_parents_or_pupils_are_harassment_not_em101() -> None:
    # HA101 covers them; EM101 is criticism of the employer itself.
    assert _found("The parents at this school are so entitled", "EM101") == []
    assert _found("Year 9 were absolute animals today", "EM101") == []


def test_criticism_of_the_council_is_reported_with_less_certainty() -> None:
    (council,) = _found("The council are useless", "EM101")
    (head,) = _found("The headteacher is useless", "EM101")
    assert council.score < head.score


def test_vader_is_corrected_for_british_idioms() -> None:
    assert sentiment("the kids were killing it") > 0
    assert sentiment("what a shambles") < 0


# --- VE101 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("another 60-hour week, I can't take this place anymore", "can't take this place"),
        ("so sick of this job", "sick of this job"),
        ("worst day ever at work, kids were feral, SLT useless", "worst day ever"),
        ("Marking till midnight again. FML.", "Marking till midnight"),
        ("Cried in the car before work again. #burnout", "Cried in the car"),
        ("Safeguarding is breaking me this term", "is breaking me"),
        ("fück this marking, i'm going to bed", "fück this marking"),
        ("Another 60 hour week.", "Another 60 hour week"),
    ],
)
def test_venting_about_work_is_ve101(text: str, evidence: str) -> None:
    assert evidence in _evidence(text, "VE101")


@pytest.mark.parametrize(
    "text",
    [
        "Worst day ever, the car broke down and then it rained",
        "So fed up with this rain, the dog needs a walk",
        "Exhausted after sports day but so proud of the kids, what a day!",
        "Knackered after parents' evening, but lovely to see everyone",
        "Not fed up at all, loving work this term",
        "INSET day tomorrow, an actual lunch break!",
        "Nightmare at the dentist today, root canal",
    ],
)
def test_frustration_that_is_not_about_work_or_is_upbeat_is_not_ve101(text: str) -> None:
    assert _found(text, "VE101") == []


def test_a_pupils_name_makes_frustration_about_work() -> None:
    assert _found("Amy Smith has been an absolute nightmare ALL week. I'm done.", "VE101")


# --- the shared workplace cues ------------------------------------------------------------------


def test_workplace_cues_find_the_school_by_alias_in_any_case_and_possessive() -> None:
    text = "brookfield's SLT met the governors and Northshire Council"
    kinds = {(text[c.start : c.end], c.kind) for c in find_workplace(Document(text), CONTEXT)}
    assert ("brookfield", Kind.SCHOOL) in kinds
    assert ("SLT", Kind.MANAGEMENT) in kinds
    assert ("the governors", Kind.GOVERNORS) in kinds
    assert ("Northshire Council", Kind.COUNCIL) in kinds


def test_workplace_cues_read_roles_with_their_determiner() -> None:
    text = "A TA in Year 2 told our caretaker and one of the dads"
    people = [text[c.start : c.end] for c in find_workplace(Document(text), CONTEXT) if c.person]
    assert "A TA in Year 2" in people
    assert "our caretaker" in people
    assert "one of the dads" in people


@pytest.mark.parametrize(
    "text", ["I banged my head on the cupboard", "the head of the river race", "ta very much x"]
)
def test_body_parts_and_thanks_are_not_workplace_people(text: str) -> None:
    assert not [c for c in find_workplace(Document(text), CONTEXT) if c.person]
