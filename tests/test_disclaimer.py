"""DS101: views about work, with the employer identified, and no 'views my own'."""

from __future__ import annotations

import pytest

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Span
from boundaries.screening.detectors.disclaimer import DisclaimerDetector
from tests.conftest import reported

CONTEXT = ScreeningContext.coerce(
    {
        "school": {
            "name": "Brookfield Primary School",
            "aliases": ["Brookfield"],
            "local_authority": "Northshire Council",
        },
        "confidential_terms": ["Project Heron"],
    }
)
DETECTOR = DisclaimerDetector(CONTEXT)


def _found(text: str) -> list[Span]:
    return reported(DETECTOR, text)


@pytest.mark.parametrize(
    "text",
    [
        "I think the new marking policy at Brookfield is a waste of everyone's time.",
        "In my opinion SATs are pointless and my school puts too much pressure on the kids",
        "Unpopular opinion: Ofsted should be scrapped. Twenty years at my school and it's worse",
        "Our school's new behaviour policy is ridiculous, there are no consequences",
        "Year 3 teacher @ Brookfield Primary | phonics is overrated | Ofsted is a racket",
        "At work we were told about the new assessment framework. Honestly it makes no sense.",
    ],
)
def test_a_view_about_work_naming_the_employer_without_a_disclaimer_is_ds101(text: str) -> None:
    (span,) = _found(text)
    assert span.rule == "DS101"
    assert 0 <= span.start < span.end <= len(text)


def test_the_span_is_the_sentence_that_gives_the_view() -> None:
    text = "Twenty years at my school. I think SATs should be scrapped."
    (span,) = _found(text)
    assert text[span.start : span.end] == "I think SATs should be scrapped."


def test_naming_only_the_role_is_reported_with_less_certainty() -> None:
    (role,) = _found("As a teacher, I think the phonics screening check is a farce")
    (school,) = _found("At Brookfield I think the phonics screening check is a farce")
    assert role.score < school.score


@pytest.mark.parametrize(
    "text",
    [
        "I think the new marking policy at Brookfield is a waste of time. Views my own.",
        "All views are my own. My school's SATs policy is ridiculous.",
        "Personal views, not my employer's: Ofsted should be scrapped. Brookfield teacher.",
        "Great trip to the zoo with Year 5! So proud of them",
        "I think my class had the best time at sports day today!",
        "Brookfield Primary School Christmas fair is on Saturday, all welcome",
        "The DfE's new framework is a mess",
        "I think it's going to rain all weekend",
        "Something's wrong with the photocopier at work again",
        "Why is the printer at work always broken on a Monday",
        "My school has a new reading scheme starting in September",
        "In my opinion Brookfield's nativity was the best yet!",
    ],
)
def test_disclaimed_factual_upbeat_or_unidentified_posts_are_not_ds101(text: str) -> None:
    assert _found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Teaching at Brookfield has convinced me that the phonics check should go",
        "Brookfield teacher here: every school should ban mobile phones",
        "At my school we see it daily: every child deserves a free breakfast",
        "As a teacher at Brookfield, grammar tests do nothing but stress kids out",
        "Brookfield teacher and rep: a four-day week would fix recruitment overnight",
    ],
)
def test_a_view_on_what_every_school_or_child_should_have_is_ds101(text: str) -> None:
    assert _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "At Brookfield every child deserves a gold star today, what a sports day!",
        "I think my class smashed their spelling tests today!",
        "Every child deserves a bedtime story, reading to my two tonight",
        "As a teacher at Brookfield I'm asking you to vote Labour. Kids deserve better.",
    ],
)
def test_praise_views_without_the_school_and_calls_to_vote_are_not_ds101(text: str) -> None:
    assert _found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Brookfield teachers don't think the phonics screening check should exist.",
        "Brookfield Primary staff here. Phone bans in schools are a no-brainer.",
        "My view as a Brookfield teacher: the national curriculum is far too crowded.",
        "Speaking from the classroom at Brookfield, swimming should be free for every child.",
    ],
)
def test_views_given_as_should_or_a_verdict_with_the_school_named_are_ds101(text: str) -> None:
    assert _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Brookfield Sports Day today and the kids believe they'll win!",
        "Our Year 3 trip from Brookfield was madness, sixty kids at the zoo, loved it!",
        "I don't think I've ever laughed so much as at the Brookfield panto.",
        "Brookfield teachers don't think the phonics check should exist. Views my own.",
    ],
)
def test_beliefs_and_madness_without_a_view_on_policy_or_with_a_disclaimer_are_not_ds101(
    text: str,
) -> None:
    assert _found(text) == []
