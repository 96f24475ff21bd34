"""EN101 and EN102: the employer used to endorse a political cause or to promote a product."""

from __future__ import annotations

import pytest

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Span
from boundaries.screening.detectors.endorsement import EndorsementDetector
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
DETECTOR = EndorsementDetector(CONTEXT)


def _found(text: str, rule: str) -> list[Span]:
    return reported(DETECTOR, text, rule)


# --- EN101 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        (
            "As a teacher at Brookfield I urge you to vote Labour",
            "As a teacher at Brookfield I urge you to vote Labour",
        ),
        ("Our school backs the strike!", "Our school backs the strike"),
        (
            "Brookfield Primary supports candidate Sarah Jones for mayor",
            "Brookfield Primary supports candidate",
        ),
        ("We at Brookfield stand with the NEU", "Brookfield stand with the NEU"),
        (
            "Brookfield staff are backing Sandra Pike 🗳️ #VotePike",
            "Brookfield staff are backing Sandra Pike 🗳",
        ),
    ],
)
def test_the_school_behind_a_party_candidate_or_campaign_is_en101(text: str, evidence: str) -> None:
    (span,) = _found(text, "EN101")
    assert text[span.start : span.end] == evidence
    assert span.score >= 0.75


def test_the_cause_may_come_in_the_sentence_before_the_call_to_vote() -> None:
    text = (
        "I teach at Brookfield and Reform would be a disaster for our school. Don't vote for them."
    )
    assert _found(text, "EN101")


def test_the_role_without_the_school_is_reported_with_less_certainty() -> None:
    (span,) = _found("As a teacher I urge every parent to vote Green on Thursday", "EN101")
    assert 0.5 <= span.score < 0.75


@pytest.mark.parametrize(
    "text",
    [
        "I'm voting Labour this time, sorry not sorry",
        "Vote for Brookfield in the Best School Garden awards by 5 March!",
        "Our school is closed tomorrow due to strike action",
        "Brookfield welcomed our local MP today, thanks for visiting!",
        "Brookfield held its school council election today, well done to everyone who voted",
        "As a teacher I'll be on strike tomorrow",
        "Our school supports Children in Need, wear spots on Friday!",
        "We're back at Brookfield after the general election chaos",
        "Proud to stand with my NEU colleagues on the picket line today",
    ],
)
def test_politics_without_the_school_and_school_events_are_not_en101(text: str) -> None:
    assert _found(text, "EN101") == []


# --- EN102 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        (
            "As a teacher at Brookfield I recommend Bright Sparks tutoring",
            "As a teacher at Brookfield I recommend Bright Sparks tutoring",
        ),
        (
            "Brookfield staff get 20% off at my shop, use code BROOK20",
            "Brookfield staff get 20% off",
        ),
        (
            "Brookfield parents! I do private tutoring, £30 per hour",
            "Brookfield parents! I do private tutoring, £30 per hour",
        ),
        (
            "As a Year 3 teacher at Brookfield I can say TutorTots is the best learning app #ad",
            "As a Year 3 teacher at Brookfield I can say TutorTots is the best learning app",
        ),
    ],
)
def test_the_school_used_to_sell_or_recommend_a_business_is_en102(text: str, evidence: str) -> None:
    assert evidence in [text[s.start : s.end] for s in _found(text, "EN102")]


@pytest.mark.parametrize(
    "text",
    [
        "Brookfield PTA cake sale on Friday, all welcome",
        "20% off at my shop this weekend, use code SPRING20!",
        "As a teacher I'd recommend The Gruffalo for reception age",
        "Brookfield's open day is on Saturday, come and see us",
        "I recommend the new Italian place in town, amazing pizza",
    ],
)
def test_school_events_and_offers_without_the_school_are_not_en102(text: str) -> None:
    assert _found(text, "EN102") == []


@pytest.mark.parametrize(
    "text",
    [
        "Brookfield Primary says no to the library closure! Please sign the petition",
        "Councillor Joe Bloggs has the whole Brookfield staffroom's vote 👍",
        "As a teacher at Brookfield, Sarah Khan is the right choice for Westfield ward",
        "Speaking as a Brookfield teacher: Ann Lee is exactly the Green MP this town needs",
    ],
)
def test_votes_choices_and_civic_campaigns_in_the_schools_name_are_en101(text: str) -> None:
    assert _found(text, "EN101")


@pytest.mark.parametrize(
    "text",
    [
        "Brookfield Primary supports the Eco-Schools campaign this term",
        "Brookfield says YES to World Book Day costumes!",
        "Brookfield staff are backing the Walk to School campaign this week",
    ],
)
def test_school_and_charity_campaigns_are_not_en101(text: str) -> None:
    assert _found(text, "EN101") == []


@pytest.mark.parametrize(
    "text",
    [
        "Brookfield families, my candle business has a spring sale on now!",
        "As a teacher at Brookfield I'm proud to be a brand ambassador for Phonics Pals",
        "My sister's salon is doing a discount for Brookfield staff, mention my name",
        "Brookfield mums and dads, I'm taking orders for Christmas cakes!",
    ],
)
def test_a_business_of_ones_own_or_ones_familys_sold_to_the_school_is_en102(text: str) -> None:
    assert _found(text, "EN102")


@pytest.mark.parametrize(
    "text",
    [
        "My local shop has run out of milk, Brookfield staffroom in crisis",
        "I mind my own business at the Brookfield school gate",
        "Got a discount at the Brookfield book fair, bargain!",
    ],
)
def test_shops_and_discounts_that_are_not_an_offer_are_not_en102(text: str) -> None:
    assert _found(text, "EN102") == []


@pytest.mark.parametrize(
    "text",
    [
        "Brookfield Primary backs Extinction Rebellion. See you on Saturday!",
        "Brookfield teachers for Starmer. Retweet if your staffroom agrees.",
    ],
)
def test_the_school_behind_a_movement_or_a_named_politician_is_en101(text: str) -> None:
    assert _found(text, "EN101")


@pytest.mark.parametrize(
    "text",
    [
        "Brookfield parents, sign up to SpellWhizz through my referral link for a free month!",
        "Brookfield staff get 2-for-1 at Luigi's on Tuesdays, treat yourselves.",
        "As a Brookfield teacher I swear by Ace Driving School. Tell them Mrs K sent you!",
        "Brookfield staff: show your school lanyard at Crumbs Café for a free flapjack.",
        "We at Brookfield love our new visualisers. Every classroom should have one!",
    ],
)
def test_the_school_behind_a_deal_or_a_referral_is_en102(text: str) -> None:
    assert _found(text, "EN102")


@pytest.mark.parametrize(
    "text",
    [
        "Brookfield won the 2-for-1 reading challenge! Free coffee for the winners at the fair.",
        "Brookfield parents, please read the letter we sent you about the trip.",
        "Brookfield staff for Christmas jumper day, retweet if you're joining in!",
        "Year 6 at Brookfield learned about climate action today.",
    ],
)
def test_school_news_letters_and_lessons_are_not_endorsements(text: str) -> None:
    assert _found(text, "EN101") == []
    assert _found(text, "EN102") == []
