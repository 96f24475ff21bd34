"""Sexual content: SX101 sexual content, SX102 sexualised remarks about children."""

from __future__ import annotations

import pytest

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Span
from boundaries.screening.detectors.sexual import SexualDetector
from tests.conftest import reported, reported_evidence

DETECTOR = SexualDetector(
    ScreeningContext.coerce(
        {"pupils": [{"forename": "Amy", "surname": "Hill", "year_group": "10"}]}
    )
)


def spans(text: str, rule: str) -> list[Span]:
    return reported(DETECTOR, text, rule)


def evidence(text: str, rule: str) -> list[str]:
    return reported_evidence(DETECTOR, text, rule)


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


# -- SX101: families beyond single explicit words -------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        # Wanting an adult, said crudely.
        ("The new Year 3 teacher? I'd tap that", "I'd tap that"),
        ("Wouldn't kick him out of bed, the new deputy", "Wouldn't kick him out of bed"),
        # Euphemisms for sex.
        ("Kids at their dad's, so rumpy pumpy tonight", "rumpy pumpy"),
        # Innuendo with sexual emoji after the sentence.
        ("Fifty shades of what went on in that hotel room last night 😈", "Fifty shades"),
        # A suggestive word tipped over by hints ("in bed", "naughty").
        ("Lazy Sunday: naked in bed with my very naughty girlfriend", "naked"),
    ],
)
def test_crude_wanting_euphemism_and_innuendo_are_sx101(text: str, span: str) -> None:
    found = evidence(text, "SX101")
    assert any(span in e for e in found), found


def test_two_sexual_emoji_alone_are_sx101() -> None:
    text = "Date night sorted 🍆🍑💦"
    assert evidence(text, "SX101") == ["🍆🍑💦"]


@pytest.mark.parametrize(
    "text",
    [
        "Peach and aubergine salad for tea 🍑🍆",
        "In bed with flu, boyfriend is on soup duty",
        "Bath, book, bed. The naughty step got some use tonight",
        "Brand spanking new whiteboards in every classroom",
        "A quickie before school: five facts about the Romans",
        "Fifty years of marriage for my parents today",
    ],
)
def test_hints_and_food_emoji_alone_are_not_sx101(text: str) -> None:
    assert evidence(text, "SX101") == [], text


# -- SX102: children's bodies, looks to come, leering -----------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        # Children referred to by a body phrase, in a post about pupils.
        ("School gala today, so many hot little bodies", "hot little bodies"),
        # "Y5" read from the original text makes "girls" pupils.
        ("Y5 swimming. Some of the girls have better figures than me", "girls have better"),
        # "that hot", "they're so hot": the copula need not be "is".
        ("Our Year 6 girls could be models, they're that hot", "hot"),
        # Clothes plus a leering emoji.
        ("The Year 4 girls in their leotards 🥵", "leotards"),
        # Looks to come, raised by a wish to be younger and a wink.
        ("That boy in Year 5 will be a heartthrob. If only I was younger 😉", "heartthrob"),
        ("That Year 9 girl could pass for 18 😏", "could pass for 18"),
        ("Little Amy in Year 2 will break hearts with that body", "with that body"),
    ],
)
def test_sexualised_remarks_about_pupils_in_many_forms_are_sx102(text: str, span: str) -> None:
    found = evidence(text, "SX102")
    assert any(span in e for e in found), found


@pytest.mark.parametrize(
    "text",
    [
        "Our Year 5 boys are going to be heartbreakers at the disco, they practised all week",
        "Look at those little legs go in the sack race!",
        "Netball skirts and PE kits to the office by Friday please",
        "Year 6 smashed the relay 🔥🔥 wish I was 20 years younger",
        "The girls in Year 4 have a crush on the new class hamster",
        "The Year 6 girls in their leotards did a beautiful gymnastics display",
        "Year 5 pupils filled out the survey",
    ],
)
def test_innocent_remarks_about_pupils_bodies_and_clothes_are_not_sx102(text: str) -> None:
    assert evidence(text, "SX102") == [], text


def test_innuendo_in_a_post_about_pupils_is_sx102_not_also_sx101() -> None:
    text = "Some of the Year 6 girls are so developed now. Phwoar 😏"
    assert evidence(text, "SX102")
    assert evidence(text, "SX101") == []


def test_a_remark_about_a_parent_stays_sx101_beside_one_about_the_child() -> None:
    text = "Amy's mum is well fit and Amy is looking hot too 😏"
    assert evidence(text, "SX101")
    assert evidence(text, "SX102")


# -- SX101: sex with relish, endowment, adult content ------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Best cure for report-writing stress? Amazing sex and a takeaway.", "Amazing sex"),
        ("Her new boyfriend is apparently hung like a donkey 😂", "hung like a donkey"),
        ("Link in bio to my spicy account, teachers need side hustles 😈", "spicy account"),
        ("Dirtiest night with my fella in years, no regrets", "Dirtiest night with"),
    ],
)
def test_relished_sex_and_endowment_are_sx101(text: str, span: str) -> None:
    assert any(span in e for e in evidence(text, "SX101"))


@pytest.mark.parametrize(
    "text",
    [
        "Filthy night out there, the wind took the gazebo.",
        "Spicy content on the menu tonight: Thai green curry!",
        "What stamina from the Year 10 cross-country team last night!",
        "Good sex education lessons start with consent.",
    ],
)
def test_everyday_words_near_sexual_phrases_are_not_sx101(text: str) -> None:
    assert spans(text, "SX101") == []
    assert spans(text, "SX102") == []
