"""Sexual content: SX101 sexual content, SX102 sexualised remarks about children."""

from __future__ import annotations

import pytest

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Span
from boundaries.screening.detectors.sexual import SexualDetector
from boundaries.screening.normalise import Document

DETECTOR = SexualDetector(
    ScreeningContext.coerce(
        {"pupils": [{"forename": "Amy", "surname": "Hill", "year_group": "10"}]}
    )
)


def spans(text: str, rule: str) -> list[Span]:
    return [s for s in DETECTOR.detect(Document(text)) if s.rule == rule and s.score >= 0.5]


def evidence(text: str, rule: str) -> list[str]:
    return [text[s.start : s.end] for s in spans(text, rule)]


# -- SX101 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Staff do tonight, who's getting laid?", "getting laid"),
        ("Found his p0rn stash lol", "p0rn"),
        ("Nice tits on that one", "tits"),
        ("Feeling h o r n y", "h o r n y"),
        ("sexy and naked in the hot tub", "sexy and naked"),
    ],
)
def test_sexual_content_is_sx101(text: str, span: str) -> None:
    assert evidence(text, "SX101") == [span]


@pytest.mark.parametrize(
    "text",
    [
        "RSE lesson on puberty for Year 6 today",
        "Sex education evening for parents on Thursday",
        "Talk to your kids about online porn: online safety evening, 6pm",
        "Looking sexy tonight for the staff do",
        "Blue tits and great tits on the feeder",
        "Dick Whittington panto was brilliant",
        "A cocktail party for the PTA",
        "She graduated magna cum laude",
        "Cock-a-doodle-doo! Farm visit for Reception",
        "The kiss of life: first aid training",
        "Oral assessments next week",
    ],
)
def test_education_and_everyday_words_are_not_sx101(text: str) -> None:
    assert evidence(text, "SX101") == []


# -- SX102 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Some of the Year 10 girls are well developed", "girls are well developed"),
        ("the year 10 girls are well fit", "girls are well fit"),
        ("Amy is looking hot", "Amy is looking hot"),
        ("one of the pupils is so sexy", "pupils is so sexy"),
        ("He was sharing nudes of a pupil", "nudes of"),
        ("child porn on his laptop", "child porn"),
    ],
)
def test_a_sexualised_remark_about_a_child_is_sx102(text: str, span: str) -> None:
    found = spans(text, "SX102")
    assert span in [text[s.start : s.end] for s in found]
    assert max(s.score for s in found) >= 0.75


@pytest.mark.parametrize(
    "text",
    [
        "RSE lesson on puberty for Year 6 today",
        "The kids were hot in the hall today",
        "Year 6 were so hot after PE",
        "Fit and healthy kids make happy learners",
        "Get fit with the kids this summer",
        "Girls' night out, everyone looking hot",
        "Sexting workshop for Year 9 parents",
        "The pupils looked gorgeous in their costumes",
        "The children's bodies change at puberty: Year 5 science",
    ],
)
def test_innocent_posts_about_children_are_not_sx102(text: str) -> None:
    assert evidence(text, "SX102") == []


def test_a_news_story_about_indecent_images_is_not_reported() -> None:
    assert spans("Local man jailed for indecent images of children", "SX102") == []


def test_sexual_emoji_add_weight_to_suggestive_words() -> None:
    text = "Just me, him and the handcuffs tonight 😈🔥"
    assert evidence(text, "SX101") == ["handcuffs"]
    assert evidence("Just me, him and the handcuffs tonight", "SX101") == []


def test_sexual_words_far_from_a_child_are_not_about_the_child() -> None:
    text = "Kids are at nan's tonight so it's just me, him and the handcuffs 😈"
    assert evidence(text, "SX102") == []
