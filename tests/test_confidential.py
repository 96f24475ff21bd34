"""CF101-CF104: the employer's confidential information."""

from __future__ import annotations

import pytest

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Span
from boundaries.screening.detectors.confidential import ConfidentialDetector
from boundaries.screening.normalise import Document
from tests.conftest import reported, reported_evidence

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
    return reported(DETECTOR, text, rule)


def _evidence(text: str, rule: str) -> list[str]:
    return reported_evidence(DETECTOR, text, rule)


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


# --- CF102: codes, verbs and secrecy ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        (
            "The grey suits descend on Brookfield tomorrow",
            "The grey suits descend on Brookfield tomorrow",
        ),
        ("Cancel Thursday, the O-word is coming to Brookfield", "Thursday, the O-word"),
        ("We're being inspected next week, can't say more", "We're being inspected next week"),
        ("Just heard we're getting inspected weds", "we're getting inspected weds"),
        ("Maths deep dive tomorrow, shh", "Maths deep dive tomorrow"),
        ("HMI are on their way, mum's the word", "HMI are on their way"),
        ("Inspection on the 12th, parents haven't been told yet", "Inspection on the 12th"),
        ("The call came this morning. Lanyards on, big day tomorrow", "The call came"),
        (
            "Tips for a science deep dive? For a reason I can't say yet #ofsted",
            "reason I can't say",
        ),
    ],
)
def test_coded_and_unannounced_inspections_are_cf102(text: str, evidence: str) -> None:
    assert evidence in _evidence(text, "CF102")


@pytest.mark.parametrize(
    "text",
    [
        "So many men in grey suits at the races today",
        "Ofsted are coming for every school with this new framework",
        "Deep dive into the Romans with Year 4 tomorrow, can't wait!",
        "We're being inspected by the fire brigade on Thursday",
        "We're being inspected next week by the landlord, house is a tip",
        "Our MOT inspection is on Thursday, fingers crossed for the car",
        "The gas inspector is coming tomorrow at 9",
        "Strictly final tonight, shh no spoilers",
    ],
)
def test_other_inspections_and_other_secrets_are_not_cf102(text: str) -> None:
    assert _found(text, "CF102") == []


# --- CF103: children in other words, social care and the police ---------------------------------


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Heavy disclosure from one of my little ones today", "disclosure"),
        ("Social care collected a Y2 boy from school today", "Social care"),
        ("Police were involved with one of our families again last night", "Police were involved"),
        ("One of the Year 5 girls isn't going home tonight", "isn't going home"),
        ("A girl in my class told me something awful, I went straight to the DSL", "to the DSL"),
    ],
)
def test_safeguarding_with_a_child_in_view_is_cf103(text: str, evidence: str) -> None:
    assert evidence in _evidence(text, "CF103")


@pytest.mark.parametrize(
    "text",
    [
        "Did my DSL refresher today, level 3 done",
        "Watched a documentary about social care tonight, so underfunded",
        "Police were involved after my neighbour's shed was broken into",
    ],
)
def test_safeguarding_words_without_a_child_are_not_cf103(text: str) -> None:
    assert _found(text, "CF103") == []


# --- CF104: pay, warnings and colleagues named only by first name -------------------------------


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Capability procedure next week for one of our TAs", "Capability procedure"),
        (
            "Our deputy has had his pay docked for the strike day",
            "Our deputy has had his pay docked",
        ),
        ("The new deputy's on L9 already", "The new deputy's on L9"),
        ("Mr Bell earns £48k and does nothing", "Mr Bell earns £48k"),
        ("The trust is making three TAs redundant over the summer", "redundant"),
        ("Jo's been signed off with stress for six weeks", "Jo's been signed off"),
        ("Word is Priya's on a final written warning", "Priya's on a final written warning"),
    ],
)
def test_pay_discipline_and_sickness_of_a_colleague_are_cf104(text: str, evidence: str) -> None:
    assert any(evidence in e for e in _evidence(text, "CF104"))


def test_a_colleague_named_only_by_first_name_is_reported_for_review() -> None:
    (span,) = _found("Jo's been signed off with stress for six weeks", "CF104")
    assert span.score < 0.75


@pytest.mark.parametrize(
    "text",
    [
        "Dave got the sack from the pub quiz team lol",
        "Emma's been signed off by the physio, back to running!",
        "My mum's been signed off with stress, sending her love",
        "The ship docked at Southampton this morning",
        "I'm on the M6 heading north for half term",
        "Reference for my old student teacher (date of birth 01/02/1999): outstanding",
        "Sarah's mum got a written warning at the bank, can you believe it",
    ],
)
def test_other_peoples_news_and_other_senses_are_not_cf104(text: str) -> None:
    assert _found(text, "CF104") == []


@pytest.mark.parametrize(
    "text",
    [
        "No parents' assembly this week, we've got Ofsted in school all week.",
        "The LA monitoring visit has been brought forward to Thursday, so much for half term.",
        "Can't tell you why but the clipboards are coming to our school on Monday 😬",
    ],
)
def test_inspections_in_other_words_before_they_are_public_are_cf102(text: str) -> None:
    assert _found(text, "CF102")


@pytest.mark.parametrize(
    "text",
    [
        "The health visitor's monitoring visit is on Thursday for the twins.",
        "The clipboards are out for the dog show judging on Saturday.",
        "Ofsted were in all week last term and we got Good!",
    ],
)
def test_monitoring_visits_and_clipboards_outside_school_are_not_cf102(text: str) -> None:
    assert _found(text, "CF102") == []


@pytest.mark.parametrize(
    "text",
    [
        "Mr Bell is on gardening leave pending an investigation, keep it to yourselves.",
        "Mrs Okafor had a 'return to work' meeting this morning after her time off.",
        "Mr Bell is only on UPS1 after all these years, shocking.",
    ],
)
def test_a_colleagues_leave_sickness_and_pay_are_cf104(text: str) -> None:
    assert _found(text, "CF104")


@pytest.mark.parametrize(
    "text",
    [
        "I got a pay rise! New boots for me.",
        "My parcel is pending the outcome of a customs check.",
        "Took three days off with the kids at half term, bliss.",
    ],
)
def test_the_authors_own_pay_and_everyday_pending_are_not_cf104(text: str) -> None:
    assert _found(text, "CF104") == []
