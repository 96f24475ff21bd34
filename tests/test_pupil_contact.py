"""PC101-PC104: contact with pupils outside professional boundaries, and the audience cues."""

from __future__ import annotations

import pytest

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Span
from boundaries.screening.detectors.pupil_contact import PupilContactDetector
from boundaries.screening.normalise import Document
from boundaries.screening.workplace import Kind, find_audience
from tests.conftest import reported, reported_evidence

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
    return reported(DETECTOR, text, rule)


def _evidence(text: str, rule: str) -> list[str]:
    return reported_evidence(DETECTOR, text, rule)


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


# --- families beyond the first phrasings --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule", "evidence"),
    [
        # friend requests, either way
        ("Sent a follow request to one of my Year 6s", "PC101", "Sent a follow request"),
        ("Year 6 leavers, I'm on insta now, come find me", "PC101", "I'm on insta"),
        (
            "Accepted a friend request from a girl in my class tonight",
            "PC101",
            "Accepted a friend request",
        ),
        # outings with a place or time outside school
        (
            "Year 5, fancy a game of footie at the park this Saturday? I'll be there at 10",
            "PC101",
            "fancy a game of",
        ),
        (
            "Taking my three best spellers to the cinema on Sunday, just me and them",
            "PC101",
            "just me and them",
        ),
        # private channels: a group of one's own, a personal address
        (
            "Year 6, I've set up a Snapchat group for our class",
            "PC102",
            "set up a Snapchat group",
        ),
        (
            "Kids, send your homework to kmallory84@hotmail.co.uk instead of Seesaw",
            "PC102",
            "send your homework to kmallory84@hotmail",
        ),
        # secrets from home and from the school
        (
            "Year 3, not a word to your mums and dads about the sweets",
            "PC103",
            "not a word to your mums",
        ),
        (
            "What happens at forest school stays at forest school, Year 2",
            "PC103",
            "What happens at forest school stays at",
        ),
        ("Shh, no telling anyone at home, class?", "PC103", "no telling anyone at home"),
        ("6B, don't tell Mr Bell I let you have extra golden time!", "PC103", "don't tell Mr Bell"),
    ],
)
def test_friend_requests_outings_private_groups_and_secrets_are_reported(
    text: str, rule: str, evidence: str
) -> None:
    assert evidence in _evidence(text, rule)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("A couple of my Year 6 girls looked so grown up at the disco", "so grown up"),
        (
            "Swimming with Y4 today, some of those girls are developing early 👀",
            "developing early 👀",
        ),
        ("One of my Year 2 boys is getting podgier every week", "getting podgier"),
        ("School netball match tonight, legs in those short skirts", "legs in those short skirts"),
        ("That boy in Year 6 is going to be a heartthrob", "heartthrob"),
        ("Some of my Year 5 girls were rocking better outfits than me", "rocking better outfits"),
        ("Amy Smith looked so pretty at the disco", "pretty"),
    ],
)
def test_remarks_on_pupils_bodies_growth_and_looks_are_pc104(text: str, evidence: str) -> None:
    assert evidence in _evidence(text, "PC104")


@pytest.mark.parametrize(
    "text",
    [
        "Year 4, I'll be at the park gate at 9 for the trip, bring a packed lunch",
        "My treat, Year 6: ice lollies for everyone on the last day!",
        "Year 6, fancy a game of rounders at lunch?",
        "Year 6, I'll be at the cinema with my family on Saturday, say hi if you see me",
        "Cinema trip with my own kids this Saturday, just me and them",
        "Year 3 parents, any worries text me on the school phone",
        "Year 2, pinky promise you'll read every night this week!",
        "Year 5 were so hot on sports day, it was 28 degrees",
        "Year 6 were so hot after PE, windows wide open",
        "Year 5 are so fit after doing the daily mile all term!",
        "Reception's little legs were so tired after the walk to the farm",
        "Year 2 have well developed phonics skills this year",
        "Year 6 filled out their transition forms today",
        "Year 5 looked smart in their PE shorts for the photo",
        "A couple of my Year 6 girls read beautifully in assembly",
    ],
)
def test_school_outings_parents_weather_and_praise_of_work_are_not_reported(text: str) -> None:
    assert [s for s in DETECTOR.detect(Document(text)) if s.score >= 0.5] == []


def test_a_year_group_followed_by_parents_addresses_the_parents() -> None:
    (cue,) = find_audience(Document("Year 3 parents, text me"), CONTEXT)
    assert cue.kind is Kind.PARENTS


@pytest.mark.parametrize(
    ("text", "rule", "evidence"),
    [
        (
            "Posted under a student's video: wicked moves, follow me back x",
            "PC101",
            "follow me back",
        ),
        ("Hi class, I've launched a YouTube channel, hit subscribe!", "PC101", "hit subscribe"),
        (
            "Any of my Year 5s fancy going bowling with me on Saturday?",
            "PC101",
            "going bowling with me",
        ),
        (
            "my wonderful class, if you ever need a chat my inbox is always open",
            "PC102",
            "my inbox is always open",
        ),
        (
            "Girls in the netball squad, I've set up a group chat for us tonight",
            "PC102",
            "I've set up a group chat",
        ),
        (
            "Kids, instead of Seesaw just send the photos to me on WhatsApp",
            "PC102",
            "send the photos to me on WhatsApp",
        ),
        (
            "Year 6, you won't tell your parents about the film, will you?",
            "PC103",
            "won't tell your parents",
        ),
        (
            "@amy.s.plays saw your stream earlier, don't want your mum finding out I was on",
            "PC103",
            "don't want your mum finding out",
        ),
        (
            "Year 5s, put disappearing messages on when we chat",
            "PC103",
            "put disappearing messages",
        ),
        ("Year 3, after our chat please wipe your chat history", "PC103", "wipe your chat history"),
        (
            "Year 4, if your mum asks where the sweets came from, just say a friend",
            "PC103",
            "if your mum asks where the sweets came from, just say",
        ),
    ],
)
def test_friending_private_chats_and_hiding_things_from_home_are_reported(
    text: str, rule: str, evidence: str
) -> None:
    assert evidence in _evidence(text, rule)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Left on a pupil's selfie: you look so much older now", "look so much older"),
        ("a few of my Year 6 girls could pass for 18 these days", "could pass for 18"),
        ("the Year 5 swimmers have such womanly figures already", "womanly figures"),
        ("my class showing off their hot bods at the pool 🔥", "hot bods"),
        ("Year 6 girls at the disco serving looks, I can't 😍", "serving looks"),
        ("That little one in the front row of my class is the cutest", "cutest"),
    ],
)
def test_remarks_on_how_pupils_look_or_are_growing_up_are_pc104(text: str, evidence: str) -> None:
    assert evidence in _evidence(text, "PC104")


@pytest.mark.parametrize(
    "text",
    [
        "Parents of 4B: message me if the reading books don't come home",
        "Boys in the school football team, training moves to Thursday, bring boots",
        "My lovely class did a brilliant assembly today, so proud of them",
        "Year 2, go find me a long stick for the den in forest school",
        "Year 6, clear the history on the class iPads before you log off",
        "Year 6 e-safety lesson on why disappearing messages are risky",
        "Year 5 are coming to the theatre with me on the school trip next week",
        "Year 6 wrote really well developed characters in their stories",
        "Year 5 scored some stunners in the match against Oakfield",
        "Year 3 wrote stories about keeping a secret from a dragon",
        "Year 4, you gave the school garden a proper makeover today",
    ],
)
def test_lookalike_phrasings_without_a_boundary_crossed_are_not_reported(text: str) -> None:
    assert not [s for s in DETECTOR.detect(Document(text)) if s.score >= 0.5]


@pytest.mark.parametrize(
    "text",
    [
        "Year 2, don't show your mums the Mother's Day cards until Sunday!",
        "Year 6, keep the surprise a secret from your families until Friday",
        "Year 6 are going swimming with me and Mr Patel on Saturday for the gala",
    ],
)
def test_surprises_for_home_and_staffed_school_events_are_not_reported(text: str) -> None:
    assert not [s for s in DETECTOR.detect(Document(text)) if s.score >= 0.5]


def test_mocking_one_pupils_size_at_the_daily_mile_is_pc104() -> None:
    text = "One of my podgier lads actually finished the daily mile today"
    assert _evidence(text, "PC104") == ["podgier"]


def test_a_runner_praised_at_the_daily_mile_is_not_pc104() -> None:
    assert not _found("One of my lads ran the daily mile in record time today", "PC104")
