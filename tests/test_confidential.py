"""CF101-CF104: the employer's confidential information."""

from __future__ import annotations

import pytest

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Span
from boundaries.screening.detectors.confidential import ConfidentialDetector
from boundaries.screening.normalise import Document

CONTEXT = ScreeningContext.coerce(
    {
        "school": {
            "name": "Brookfield Primary School",
            "aliases": ["Brookfield"],
            "local_authority": "Northshire Council",
            "staff": ["Mrs Janet Okafor", "Mr Marcus Bell", "Mr Tom Hargreaves"],
        },
        "author": {"name": "Kirsty Mallory"},
        "confidential_terms": ["Project Heron", "Ashgrove merger"],
        "pupils": [{"forename": "Amy", "surname": "Smith", "year_group": "Year 4"}],
        "parents": [{"name": "Gemma Pearce", "children": ["Storm Pearce"]}],
    }
)
DETECTOR = ConfidentialDetector(CONTEXT)


def _found(text: str, rule: str) -> list[Span]:
    return [s for s in DETECTOR.detect(Document(text)) if s.rule == rule and s.score >= 0.5]


def _evidence(text: str, rule: str) -> list[str]:
    return [text[s.start : s.end] for s in _found(text, rule)]


# --- CF101 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Long meeting about Project Heron today", "Project Heron"),
        ("project heron is going to change everything", "project heron"),
        ("#ProjectHeron update at 3.30", "ProjectHeron"),
        ("prOject h3ron update at 3.30 in the hall", "prOject h3ron"),
        ("P r o j e c t Heron, say no more", "P r o j e c t Heron"),
        ("The Ashgrove merger is being done so quietly", "Ashgrove merger"),
    ],
)
def test_a_confidential_term_in_any_disguise_is_cf101(text: str, evidence: str) -> None:
    assert _evidence(text, "CF101") == [evidence]


@pytest.mark.parametrize(
    "text",
    [
        "Saw a heron on the river this morning",
        "Ashgrove Road is closed again",
        "Heronsgate project",
    ],
)
def test_the_words_of_a_term_on_their_own_are_not_cf101(text: str) -> None:
    assert _found(text, "CF101") == []


def test_no_confidential_terms_in_the_context_means_no_cf101() -> None:
    detector = ConfidentialDetector(ScreeningContext.coerce({}))
    assert [s for s in detector.detect(Document("Project Heron")) if s.rule == "CF101"] == []


# --- CF102 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Got the call! Ofsted are in tomorrow, keep it quiet.", "Ofsted are in tomorrow"),
        (
            "Inspectors arriving on Monday, not announced yet so shh",
            "Inspectors arriving on Monday",
        ),
        ("Ofsted next week!! Send wine", "Ofsted next week"),
        ("HMI at 8am tomorrow, see you at 6", "HMI at 8am tomorrow"),
        (
            "Head reckons the inspectors are coming in the next fortnight",
            "the inspectors are coming in the next fortnight",
        ),
        ("We've had the call, you know what that means... lanyards out", "had the call"),
        ("Clear Thursday night, we've had 'the phone call' #brookfield", "had 'the phone call"),
    ],
)
def test_an_inspection_before_it_is_announced_is_cf102(text: str, evidence: str) -> None:
    assert evidence in _evidence(text, "CF102")


@pytest.mark.parametrize(
    "text",
    [
        "Our Ofsted report came out today, Good!",
        "Ofsted were in last week, so glad it's over",
        "The new Ofsted framework comes in next week",
        "Got the call from the hospital, Mum is fine",
        "Mocksted next week, the trust are sending people in",
        "Ofsted training tomorrow after school",
        "Inspectors are coming to check the gas meter tomorrow",
    ],
)
def test_published_past_or_unrelated_inspections_are_not_cf102(text: str) -> None:
    assert _found(text, "CF102") == []


# --- CF103 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Had to make a MASH referral for a girl in my class today", "MASH referral"),
        ("One of my Year 4s is on a CP plan now, poor thing", "CP plan"),
        ("On the phone to social services about a boy in my class", "social services"),
        ("A girl in Year 6 made a disclosure today, still shaking", "made a disclosure"),
        ("Amy Smith's social worker came into school today", "social worker"),
        ("Strategy meeting this afternoon about one of our kids", "Strategy meeting"),
        ("Gemma Pearce's ex kicked off again, police came", "police came"),
        ("3 disclosures this week, one of mine is going onto a CP plan", "CP plan"),
    ],
)
def test_safeguarding_details_about_a_child_are_cf103(text: str, evidence: str) -> None:
    assert evidence in _evidence(text, "CF103")


@pytest.mark.parametrize(
    "text",
    [
        "Did my safeguarding training today, level 3 done!",
        "Social services are so underfunded, it's a scandal",
        "My son's social worker is brilliant",
        "Full disclosure: I ate all the biscuits",
        "Need to update my DBS disclosure",
        "Safeguarding is everyone's responsibility #KCSIE",
        "We're foster carers and love it",
        "The police came to talk to Year 5 about road safety",
    ],
)
def test_training_general_comment_and_the_authors_family_are_not_cf103(text: str) -> None:
    assert _found(text, "CF103") == []


# --- CF104 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Our deputy is off with stress again", "Our deputy is off with stress"),
        ("Mr Bell has been suspended, nobody knows why", "Mr Bell has been suspended"),
        ("Restructure: three TAs losing their jobs", "three TAs losing their jobs"),
        ("The caretaker has been signed off with his back", "The caretaker has been signed off"),
        ("My colleague is on capability and it's horrible", "My colleague is on capability"),
        ("Marcus is off AGAIN with his back", "Marcus is off AGAIN"),
        ("LADO's been called about one of our TAs", "LADO's been called about one of our TAs"),
        (
            "Tom Hargreaves says he's 35 but his DBS form says otherwise",
            "Tom Hargreaves says he's 35 but his DBS form",
        ),
    ],
)
def test_a_colleagues_employment_or_health_matter_is_cf104(text: str, evidence: str) -> None:
    assert evidence in _evidence(text, "CF104")


@pytest.mark.parametrize(
    "text",
    [
        "I got the job!!",
        "I've been signed off for two weeks, feeling rubbish",
        "Half my class are off sick with norovirus",
        "A boy in Year 9 was suspended for fighting",
        "Spurs have sacked their manager again",
        "The head signed off the trip forms",
        "The match was suspended because of the rain",
        "Our head is resigned to another year of budget cuts",
    ],
)
def test_own_news_pupils_and_other_senses_are_not_cf104(text: str) -> None:
    assert _found(text, "CF104") == []
