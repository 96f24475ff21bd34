"""Harassment and hate: HA101 insults aimed at someone, HA102 hate speech, HA103 threats."""

from __future__ import annotations

import pytest

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Span
from boundaries.screening.detectors.harassment import HarassmentDetector
from tests.conftest import reported, reported_evidence

CONTEXT = ScreeningContext.coerce(
    {
        "school": {"name": "Oakfield Primary", "staff": ["Dave Jones", "Sarah Patel"]},
        "author": {"name": "Amy Smith"},
        "pupils": [{"forename": "Grace", "surname": "Hill", "year_group": "4"}],
    }
)
DETECTOR = HarassmentDetector(CONTEXT)


def spans(text: str, rule: str) -> list[Span]:
    return reported(DETECTOR, text, rule)


def evidence(text: str, rule: str) -> list[str]:
    return reported_evidence(DETECTOR, text, rule)


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
        ("that supply teacher was a waste of space", "supply teacher was a waste of space"),
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
        "He's an idiot in that film, but such a good actor",  # nobody is named: who is "he"?
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
    assert "supply we had in today was a brain-dead slug" in evidence(text, "HA101")


def test_a_role_inside_a_clause_is_not_the_subject() -> None:
    assert evidence("The trip to the zoo with the kids was a nightmare", "HA101") == []


def test_go_back_to_your_own_country_is_ha102() -> None:
    assert evidence("Go back to your own country", "HA102") == ["Go back to your own country"]


# -- HA101: families beyond "you" and school roles ------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        # Strangers count: a thief, a driver, a referee, a neighbour, politicians.
        ("Whoever pinched the raffle prizes is a gutless coward", "Whoever"),
        ("The man in the chip shop was a rude oaf", "man in the chip shop was a rude oaf"),
        ("Linesmen in this league are blind idiots", "Linesmen in this league are blind idiots"),
        ("The bloke next door's a brainless slob", "bloke next door's a brainless slob"),
        ("MPs are spineless liars", "MPs are spineless liars"),
        # Free adjectives between the article and the noun.
        ("Mrs Patel is a grumpy old trout", "Mrs Patel is a grumpy old trout"),
        ("The council are a pack of hyenas", "council are a pack of hyenas"),
        # "some of our ...", "most of the ...": still the subject.
        ("Most of the governors are clueless", "governors are clueless"),
        ("Some of the dads at the gate are absolute thugs", "dads at the gate are absolute thugs"),
        # "our head" is the headteacher, not a body part.
        ("Our head is an incompetent dinosaur", "head is an incompetent"),
        # Superlatives, and comparisons reached through "has".
        ("Dave Jones is the rudest, most arrogant man here", "Dave Jones is the rudest"),
        ("The supply has the brains of a stale crumpet", "supply has the brains of a"),
        # "the idiot who ...": the insult names the person.
        ("Some moron has reversed into my car", "moron"),
        # "a nightmare of a woman": the target after the insult.
        ("Total nightmare of a man at the tip today", "nightmare of a man"),
        # Coordinated insults.
        ("That plumber is a cowboy and a crook", "plumber is a cowboy"),
        # "Y5" is read from the original text.
        ("Y6 were vile on the coach", "Y6 were vile"),
        # The people noun is the insult; a collective before the noun.
        ("The governor who shouted at me is a sad little man", "governor who shouted at me"),
        ("The HR team are a shower of incompetents", "HR team are a shower of incompetents"),
        ("Honestly, Dave Jones is a drunk", "Dave Jones is a drunk"),
    ],
)
def test_an_insult_aimed_at_anyone_at_all_is_ha101(text: str, span: str) -> None:
    found = evidence(text, "HA101")
    assert any(span in e for e in found), found


@pytest.mark.parametrize(
    "text",
    [
        "The man at the garage was brilliant, fixed it in an hour",
        "My neighbour's fat cat sat on my car again",
        "Mr Twit's beard is disgusting and my two love it",
        "Little Miss Bossy costume for World Book Day",
        "The ref was a joke today, three penalties waved away",  # a verdict, said of a stranger
        "The clown who did the balloons was brilliant",
        "This cottage has the charm of a fairy tale",
        "The kids think I'm a dinosaur because I don't know the dances",
        "Early bird catches the worm, people",
        "He's an absolute animal on the pitch, what a game",
        "Our old dog is a lazy lump but we love him",
        "Half of the staff are off with flu, send soup",
        "Thick fog on the bypass this morning, take care",
    ],
)
def test_everyday_words_near_people_are_not_ha101(text: str) -> None:
    assert evidence(text, "HA101") == []


def test_an_unknown_person_is_insulted_at_a_slightly_lower_score() -> None:
    found = spans("The driver who cut me up is a brainless moron", "HA101")
    assert found
    assert all(0.75 <= span.score < 0.85 for span in found)


# -- HA102: demeaning generalisations without slur words ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # An identity word before any people noun, and an exclusion.
        "Lesbian teachers have no business running the RSE lessons",
        "Muslim parents need to integrate or go home",
        # Denying a capacity.
        "Men just don't have the brains for early years",
        "Women are too emotional to run a school",
        # Tropes and dehumanising claims.
        "Jews control the banks",
        "Immigrants are a drain on the NHS",
        "The autistic kids are just badly brought up",
        # The question form of exclusion.
        "Why should trans teachers be allowed near our children?",
        # A stereotype hinted at, beside a named group (same or next sentence).
        "Gypsy families have moved onto the field. Hide your bikes.",
        # A pronoun or "the rest" pointing back to the group.
        "Don't get me started on the refugees. They are parasites, all of them.",
        # "I'm not racist but ..." widens the reach of the predicate.
        "I'm not racist but Somalis round here are all criminals if you ask me",
        "Polish people are filthy",
        "Muslim families never want to join in with anything",
        "Half these Eastern Europeans are on the take",
    ],
)
def test_a_demeaning_generalisation_about_a_group_is_ha102(text: str) -> None:
    assert spans(text, "HA102"), text


@pytest.mark.parametrize(
    "text",
    [
        "Gay couples should be allowed to adopt, obviously",
        "Why should disabled people have to fight for every adjustment?",
        "Our SEN kids had a brilliant time at forest school",
        "Two of our SEN kids need to go to a special school, the EHCP wait is awful",
        "The SEN kids are taking over the garden project and it looks amazing",
        "Travellers to Spain are warned about pickpockets, lock up your valuables",
        "Lock up your bikes, there's been a spate of thefts near the station",
        "Another Polish family joined Year 4 this week, welcome Zofia!",
        "Women just don't have the time to do everything, we need better childcare",
        "The refugee kids in Year 5 are making amazing progress with their English",
        "Muslims around the world start Ramadan today",
        # Asked, then answered back.
        "Immigrants are on the take? No, they pay more in tax than they take out",
        "Not being funny but the new Greggs is amazing",
        "The gays and lesbians group at the council is running a Pride picnic",
        # A passing state of a class, not a claim about a kind of person.
        "The SEN kids came back from forest school. They are filthy!",
        "The Polish kids are filthy after football",
    ],
)
def test_fair_mentions_of_groups_are_not_ha102(text: str) -> None:
    assert spans(text, "HA102") == [], text


# -- HA103: damage, conditional injury, wishes of harm, incitement ---------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Someone should key that dad's car", "key that dad's car"),
        ("I'm putting his windows in if he parks there again", "putting his windows in"),
        ("Do that once more and you won't know what hit you", "won't know what hit you"),
        ("He'd better not come near me or he'll be eating through a straw", "eating through"),
        ("Hope you die in a ditch, Sharon", "Hope you die"),
        ("I'll make her life a misery", "make her life a misery"),
        ("That governor wants putting down", "governor wants putting down"),
        ("Someone should give that dad a good kicking", "dad a good kicking"),
        ("The caretaker better watch himself", "better watch himself"),
    ],
)
def test_threats_of_damage_injury_and_harm_are_ha103(text: str, span: str) -> None:
    found = evidence(text, "HA103")
    assert any(span in e for e in found), found


@pytest.mark.parametrize(
    "text",
    [
        "Someone keyed my car in the car park, CCTV didn't catch it",
        "I'll key in the code when I get there",
        "After his knee op he won't be walking for a while",
        "If he falls off that wall again he won't be walking for a while, careful",
        "Do that again and you'll get a gold star",
        "Watch your back when lifting the PE mats, bend your knees",
        "Sleep with one eye open on residential, the kids never sleep",
        "Our old dog needs putting down, heartbroken",
        "Drop dead gorgeous dress for the wedding",
        "I'll kill him if he's eaten my leftovers again 😂",
        "Have fun at the fete everyone! Field Lane, NR6 3QD",
        "Better watch yourself, the ice by the gate is lethal",
    ],
)
def test_everyday_phrases_are_not_ha103(text: str) -> None:
    assert evidence(text, "HA103") == [], text


def test_posting_someones_details_with_a_grievance_and_an_invitation_is_ha103() -> None:
    text = (
        "Here's the mum who has been spreading lies about me. Jo Bloggs, "
        "4 Elm Close, NR1 2AB. You know what to do."
    )
    assert evidence(text, "HA103") == ["You know what to do"]
    assert evidence(text.replace("spreading lies about me", "so kind to me"), "HA103") == []


# -- HA102: a place phrase between the group and its claim ------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        (
            "Honestly all the refugees round here are parasites.",
            "refugees round here are parasites",
        ),
        ("Muslims in this town are all criminals.", "Muslims in this town are all criminals"),
        ("The Romanians at our school are thieves.", "Romanians at our school are thieves"),
        ("Gay people around here are degenerates", "Gay people around here are degenerates"),
    ],
)
def test_a_place_phrase_between_group_and_claim_is_still_hate_speech(text: str, span: str) -> None:
    assert span in evidence(text, "HA102")


@pytest.mark.parametrize(
    "text",
    [
        "The refugees in Year 5 were brilliant in the play.",
        "Muslims in our town are marking Eid with a street party.",
        "All the girls in my netball team are lazy today, too hot.",
        "The Polish families at our school are fantastic.",
    ],
)
def test_a_place_phrase_with_a_kind_or_passing_remark_is_not_hate_speech(text: str) -> None:
    assert spans(text, "HA102") == []


@pytest.mark.parametrize(
    "text",
    [
        "Autistic kids drag the class down, they need to be somewhere else.",
        "Sikh parents are always the most aggressive on the gate.",
        "Women should never be headteachers, they're too emotional for it.",
        "Gypsies' kids are the ones causing trouble every time.",
        "Three new Somali families this term. This town is barely English any more.",
    ],
)
def test_stereotypes_and_exclusion_of_a_group_are_hate_speech(text: str) -> None:
    assert spans(text, "HA102")


@pytest.mark.parametrize(
    "text",
    [
        "The weather is barely British any more, thirty degrees in May.",
        "Our Polish families think they can win the quiz again this year!",
        "The girls were aggressive in the tackle but it was a fair match.",
    ],
)
def test_near_misses_of_stereotypes_are_not_hate_speech(text: str) -> None:
    assert spans(text, "HA102") == []


# -- HA103: promised injuries and conditional threats ----------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        (
            "Keep parking across my drive and see what happens to you.",
            "and see what happens to you",
        ),
        (
            "Say that to my face again and I'll punch him into next week.",
            "punch him into next week",
        ),
        (
            "Whoever keeps taking my stapler is getting a smack.",
            "Whoever keeps taking my stapler is getting a smack",
        ),
        ("Park in my space again and I'll break his legs.", "break his legs"),
        (
            "If I find out who keyed my car they'll be needing an ambulance.",
            "be needing an ambulance",
        ),
        (
            "Torch the trust's head office down with all of them inside.",
            "down with all of them inside",
        ),
    ],
)
def test_promised_injuries_and_conditional_threats_are_ha103(text: str, span: str) -> None:
    assert any(span in e for e in evidence(text, "HA103"))


@pytest.mark.parametrize(
    "text",
    [
        "Drop an egg in vinegar and see what happens.",
        "Let's see what happens to them in the final!",
        "Mind the ice on the car park or you'll break your neck.",
        "Next week the Year 2s are getting a treat for their attendance.",
        "When I find my reading glasses I'll need a coffee.",
    ],
)
def test_everyday_words_near_threat_phrases_are_not_ha103(text: str) -> None:
    assert spans(text, "HA103") == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Tom, you total plank, you've double-booked the hall again", "plank"),
        ("Our phase leader is a spineless, useless excuse for a manager.", "useless"),
    ],
)
def test_a_plank_or_a_list_of_insults_aimed_at_a_colleague_is_ha101(text: str, span: str) -> None:
    assert any(span in e for e in evidence(text, "HA101"))


@pytest.mark.parametrize(
    "text",
    [
        "Two minutes of plank every morning, you should try it!",
        "Measure the plank twice before you cut it, Year 6.",
        "Our phase leader is brilliant, so organised and kind.",
    ],
)
def test_planks_and_praise_for_a_phase_leader_are_not_ha101(text: str) -> None:
    assert spans(text, "HA101") == []


@pytest.mark.parametrize(
    "text",
    [
        "Why should we cater for refugees when our own kids go without?",
        "Muslims control the councils round here, wake up.",
    ],
)
def test_resentment_questions_and_conspiracies_about_a_group_are_ha102(text: str) -> None:
    assert spans(text, "HA102")


@pytest.mark.parametrize(
    "text",
    [
        "We bend over backwards for our SEN kids and it's worth every minute.",
        "Women run the PTA and thank goodness for that.",
        "Why should we cater for forty when only twenty replied?",
    ],
)
def test_going_the_extra_mile_and_running_the_pta_are_not_ha102(text: str) -> None:
    assert spans(text, "HA102") == []
