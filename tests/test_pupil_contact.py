"""PC101-PC104: contact with pupils outside professional boundaries, and the audience cues."""

from __future__ import annotations

import pytest

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Span
from boundaries.screening.detectors.pupil_contact import PupilContactDetector
from boundaries.screening.normalise import Document
from boundaries.screening.workplace import Kind, find_audience

CONTEXT = ScreeningContext.coerce(
    {
        "school": {
            "name": "Brookfield Primary School",
            "aliases": ["Brookfield"],
            "local_authority": "Northshire Council",
        },
        "confidential_terms": ["Project Heron"],
        "pupils": [
            {"forename": "Amy", "surname": "Smith", "year_group": "Year 6"},
            {"forename": "Will", "surname": "Smithson", "year_group": "Year 5"},
            {"forename": "Harry", "surname": "Stiles", "year_group": "Year 4"},
        ],
    }
)
DETECTOR = PupilContactDetector(CONTEXT)


def _found(text: str, rule: str) -> list[Span]:
    return [s for s in DETECTOR.detect(Document(text)) if s.rule == rule and s.score >= 0.5]


def _evidence(text: str, rule: str) -> list[str]:
    return [text[s.start : s.end] for s in _found(text, rule)]


@pytest.mark.parametrize(
    ("text", "rule", "evidence"),
    [
        ("Any of my Year 10s who want to add me, I'm on insta!", "PC101", "add me"),
        ("Follow me on insta kids", "PC101", "Follow me on"),
        ("Year 11 leavers, keep in touch! Add me on Facebook", "PC101", "Add me"),
        ("Year 6, fancy meeting up at McDonald's after school?", "PC101", "meeting up"),
        (
            "my Minecraft server is open to any Year 5s who want to play with me",
            "PC101",
            "play with me",
        ),
        ("@sky.b.y6 don't tell anyone I followed you back", "PC101", "followed you back"),
        ("Year 11, DM me if you're worried about your mocks", "PC102", "DM me"),
        ("kids in my class, add me on snap if you're stuck", "PC102", "add me on snap"),
        ("Amy, message me privately about what happened", "PC102", "message me"),
        ("@jec_2015 message me on whatsapp instead x", "PC102", "message me"),
        ("kids, email me on kirsty84 (at) gmail (dot) com", "PC102", "email me"),
        (
            "Well done 6B, extra golden time but don't tell your parents!",
            "PC103",
            "don't tell your parents",
        ),
        ("Well done 6B, our little secret!", "PC103", "our little secret"),
        ("Year 9, delete these messages after you read them", "PC103", "delete these messages"),
        ("Will, keep this between us ok?", "PC103", "keep this between us"),
        ("You looked gorgeous in your prom dress, Amy!", "PC104", "gorgeous"),
        ("Year 11 girls, you all looked hot at prom", "PC104", "looked hot"),
        ("A girl in my class has lovely legs", "PC104", "lovely legs"),
        ("one of my Year 4 boys has got so chubby since the summer", "PC104", "so chubby"),
    ],
)
def test_contact_with_pupils_outside_boundaries_is_reported(
    text: str, rule: str, evidence: str
) -> None:
    assert evidence in _evidence(text, rule)


def test_adding_on_a_private_app_is_a_private_channel_not_a_friend_request() -> None:
    text = "kids in my class, add me on snap"
    assert _found(text, "PC101") == []
    assert _found(text, "PC102")


@pytest.mark.parametrize(
    "text",
    [
        "DM me for the recipe!",
        "Follow me on insta for more bakes",
        "Parents, message me with any questions about the trip",
        "Year 11, message me on Teams if you have questions about the exam",
        "My kids follow me on insta, so embarrassing",
        "Secret Santa at work today, don't tell anyone what I got!",
        "Don't tell my wife I bought another bike lol",
        "The class looked smart in their uniforms for the photo",
        "Well done Year 6, you were all stunning in the play!",
        "Happy birthday to my gorgeous niece, looked stunning in her prom dress",
        "The kids' handwriting is beautiful this term",
        "Year 3 did a pretty good job of tidying up",
        "Year 6, don't tell anyone but there's a big surprise tomorrow!",
        "Year 6, meet me at the coach at 8am tomorrow",
        "Text me when you're home safe x",
        "Will you be at the fete? Message me",
        "Harry Styles, follow me back please",
    ],
)
def test_messages_not_aimed_at_pupils_or_not_crossing_a_boundary_are_not_reported(
    text: str,
) -> None:
    assert [s for s in DETECTOR.detect(Document(text)) if s.score >= 0.5] == []


def test_praise_for_a_group_s_looks_is_kept_below_the_report_line() -> None:
    spans = list(DETECTOR.detect(Document("Year 6 were stunning in the nativity")))
    assert all(s.score < 0.5 for s in spans)


# --- the shared audience cues -------------------------------------------------------------------


def test_audience_cues_find_year_groups_classes_and_roster_names() -> None:
    text = "Hi my Year 10s and 6B! Amy Smith, well done. Will, see me."
    found = {text[c.start : c.end]: c for c in find_audience(Document(text), CONTEXT)}
    assert found["my Year 10s"].kind is Kind.PUPILS and found["my Year 10s"].addressed
    assert "6B" in found
    assert found["Amy Smith"].strength >= 0.9
    assert found["Will"].addressed


@pytest.mark.parametrize(
    "text", ["Will you be at the fete?", "Harry Styles was amazing", "5G is slow"]
)
def test_word_names_famous_namesakes_and_tech_terms_are_not_an_audience(text: str) -> None:
    assert find_audience(Document(text), CONTEXT) == ()


def test_the_authors_own_children_are_not_pupils() -> None:
    cues = find_audience(Document("my kids love it"), CONTEXT)
    assert all(c.strength == 0 for c in cues)
