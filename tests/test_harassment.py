"""Harassment and hate: HA101 insults aimed at someone, HA102 hate speech, HA103 threats."""

from __future__ import annotations

import pytest

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Span
from boundaries.screening.detectors.harassment import HarassmentDetector
from boundaries.screening.normalise import Document

CONTEXT = ScreeningContext.coerce(
    {
        "school": {"name": "Oakfield Primary", "staff": ["Dave Jones", "Sarah Patel"]},
        "author": {"name": "Amy Smith"},
        "pupils": [{"forename": "Grace", "surname": "Hill", "year_group": "4"}],
    }
)
DETECTOR = HarassmentDetector(CONTEXT)


def spans(text: str, rule: str) -> list[Span]:
    return [s for s in DETECTOR.detect(Document(text)) if s.rule == rule and s.score >= 0.5]


def evidence(text: str, rule: str) -> list[str]:
    return [text[s.start : s.end] for s in spans(text, rule)]


# -- HA101 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("you're an idiot", "you're an idiot"),
        ("Honestly you are such a useless prat", "you are such a useless"),
        ("The head is an absolute moron", "head is an absolute moron"),
        ("SLT are a bunch of clowns", "SLT are a bunch of clowns"),
        ("these kids are feral", "kids are feral"),
        ("our useless governors strike again", "useless governors"),
        ("what an idiot that parent is", "idiot that parent"),
        ("Dave Jones is a complete moron", "Dave Jones is a complete moron"),
        ("Mrs Patel is thick as two short planks", "Mrs Patel is thick as two short planks"),
        ("Year 9 are vile today", "Year 9 are vile"),
        ("the idiots in SLT have done it again", "idiots in SLT"),
        ("that supply teacher was a waste of space", "teacher was a waste of space"),
        ("you silly cow", "you silly cow"),
        ("The council are a disgusting excuse for a service", "council are a disgusting excuse"),
    ],
)
def test_an_insult_aimed_at_someone_is_ha101(text: str, span: str) -> None:
    assert span in evidence(text, "HA101")


def test_an_insult_at_an_at_mention_is_ha101() -> None:
    text = "@dave_j you absolute muppet"
    [span] = spans(text, "HA101")
    assert text[span.start : span.end] == "you absolute muppet"
    assert span.score >= 0.75


def test_an_insult_through_a_disguise_is_still_ha101() -> None:
    assert evidence("you're an id1ot", "HA101") == ["you're an id1ot"]


@pytest.mark.parametrize(
    "text",
    [
        "I'm such an idiot, forgot my keys",
        "What an idiot I am",
        "This weather is pathetic",
        "The traffic was stupid this morning",
        "My head is useless today, too much coffee",
        "The kids were killing it at sports day",
        "The cows in the nativity were lovely",
        "He's an idiot, that referee",  # nobody at school is named: not aimed at the school
        "Thick as thieves, those two",
        "April fools! Year 4 got me good",
        "You're not stupid, you just need practice",
        "The joke of the day was a cracker",
    ],
)
def test_insult_words_not_aimed_at_anyone_are_not_ha101(text: str) -> None:
    assert evidence(text, "HA101") == []


def test_he_is_ha101_when_the_post_names_a_role() -> None:
    text = "The new head started today. He's an absolute idiot."
    [span] = spans(text, "HA101")
    assert text[span.start : span.end] == "He's an absolute idiot"
    assert span.score < 0.75  # doubtful: a person should look


# -- HA102 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("you faggot", "faggot"),
        ("shut up you retard", "retard"),
        ("some p@ki in the queue", "p@ki"),
        ("that's so gay", "that's so gay"),
    ],
)
def test_a_slur_is_ha102(text: str, span: str) -> None:
    [found] = spans(text, "HA102")
    assert text[found.start : found.end] == span
    assert found.score >= 0.75


@pytest.mark.parametrize(
    "text",
    [
        "All muslims are terrorists",
        "Immigrants should be deported",
        "I hate gays",
        "Women are so stupid",
        "Trans people are a threat to our kids",
        "Gypsies don't belong here",
    ],
)
def test_a_demeaning_statement_about_a_group_is_ha102(text: str) -> None:
    assert spans(text, "HA102")


@pytest.mark.parametrize(
    "text",
    [
        "Not all muslims are terrorists, obviously",
        "Refugees are welcome here",
        "The girls were filthy after forest school",
        "Going out for a fag break",
        "A chink of light at the end of term",
        "Walking Offa's Dyke this weekend",
        "Homo sapiens evolved in Africa",
        "Fire door: flame retardant paint",
        "The pupils were sick on the coach",
        "Christmas crackers for the staff party",
    ],
)
def test_everyday_words_and_fair_statements_are_not_ha102(text: str) -> None:
    assert spans(text, "HA102") == []


def test_a_reported_slur_is_only_doubtful() -> None:
    text = "We discussed why calling someone a faggot is homophobic"
    [span] = spans(text, "HA102")
    assert span.score < 0.75


# -- HA103 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Watch your back.", "Watch your back"),
        ("I know where you live", "I know where you live"),
        ("I'll make you regret this", "make you regret"),
        ("Someone should slap the head", "slap the head"),
        ("That parent needs a good hiding", "parent needs a good hiding"),
        ("The head should be shot", "head should be shot"),
        ("I'll punch you in the face", "punch you"),
        ("I'm gonna kill you", "kill you"),
    ],
)
def test_a_threat_is_ha103(text: str, span: str) -> None:
    assert evidence(text, "HA103") == [span]


@pytest.mark.parametrize(
    "text",
    [
        "The kids were killing it at sports day",
        "I could murder a pizza",
        "I'll hit you up later",
        "I'll smash you at darts on Friday",
        "You'll regret missing the quiz night!",
        "The kids were hiding in the den",
        "I would never hit a child",
        "Could kill for a coffee",
    ],
)
def test_violent_words_that_threaten_nobody_are_not_ha103(text: str) -> None:
    assert evidence(text, "HA103") == []


def test_exasperation_with_could_is_only_doubtful() -> None:
    [span] = spans("I could kill him, he forgot the milk again", "HA103")
    assert span.score < 0.75


def test_an_insult_after_a_relative_clause_reaches_its_subject() -> None:
    text = "The supply we had in today was a brain-dead slug"
    assert evidence(text, "HA101") == ["supply we had in today was a brain-dead"]


def test_a_role_inside_a_clause_is_not_the_subject() -> None:
    assert evidence("The trip to the zoo with the kids was a nightmare", "HA101") == []


def test_go_back_to_your_own_country_is_ha102() -> None:
    assert evidence("Go back to your own country", "HA102") == ["Go back to your own country"]
