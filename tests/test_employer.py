"""EM101 (criticism of the employer) and VE101 (venting about work), and the shared workplace
cues they stand on."""

from __future__ import annotations

import pytest

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Span
from boundaries.screening.detectors.employer import EmployerDetector, sentiment
from boundaries.screening.normalise import Document
from boundaries.screening.workplace import Kind, find_workplace
from tests.conftest import reported, reported_evidence

CONTEXT = ScreeningContext.coerce(
    {
        "school": {
            "name": "Brookfield Primary School",
            "aliases": ["Brookfield"],
            "local_authority": "Northshire Council",
            "staff": ["Mrs Janet Okafor", "Mr Marcus Bell"],
        },
        "author": {"name": "Kirsty Mallory"},
        "confidential_terms": ["Project Heron"],
        "pupils": [{"forename": "Amy", "surname": "Smith", "year_group": "Year 4"}],
    }
)
DETECTOR = EmployerDetector(CONTEXT)


def _found(text: str, rule: str) -> list[Span]:
    return reported(DETECTOR, text, rule)


def _evidence(text: str, rule: str) -> list[str]:
    return reported_evidence(DETECTOR, text, rule)


# --- EM101 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        (
            "Brookfield's SLT couldn't organise a piss-up in a brewery",
            "SLT couldn't organise a piss-up in a brewery",
        ),
        ("our head is clueless", "our head is clueless"),
        ("The governors are spineless, they nod along", "The governors are spineless"),
        ("Northshire Council are incompetent as usual", "Northshire Council are incompetent"),
        ("Brookfield is being run into the ground", "Brookfield is being run into the ground"),
        ("Trust payroll can't even pay us on time", "Trust payroll can't even pay"),
        ("HR have lost my form AGAIN", "HR have lost my form AGAIN"),
        ("I hate our new head", "hate our new head"),
    ],
)
def test_criticism_of_the_school_its_leaders_or_governors_is_em101(
    text: str, evidence: str
) -> None:
    assert evidence in _evidence(text, "EM101")


def test_a_criticism_found_in_the_original_text_maps_back_exactly() -> None:
    text = "Honestly SLT are a joke."
    (span,) = _found(text, "EM101")
    assert text[span.start : span.end] == "SLT are a joke"
    assert "SLT" in span.reason


@pytest.mark.parametrize(
    "text",
    [
        "the kids were killing it at sports day",
        "the kids were crazy excited for the disco!",
        "Traffic was a nightmare on the way to work this morning",
        "Terrible weather for the match, ref was useless",
        "So sorry to hear our head is leaving, she'll be missed",
        "The DfE's new framework is a mess",
        "Ofsted's new framework is a joke",
        "Great trip to the zoo with Year 5! So proud of them",
        "I felt so stupid when the head walked in mid-song",
        "Our head is brilliant, not clueless like some",
        "My head is killing me today",
        "Our head's husband passed away last night, devastated for her",
        "The kids hate the new lunch menu lol",
        "I'm useless at maths, luckily our TA is a whizz",
        "Our head said the new Ofsted framework is a joke",
        "Time management is terrible this week, must do better",
        "The school run was a nightmare today",
        "Loving my new job at Brookfield, the team are amazing!",
    ],
)
def test_negativity_not_aimed_at_the_employer_is_not_em101(text: str) -> None:
    assert _found(text, "EM101") == []


def test_insults_aimed_at_parents_or_pupils_are_harassment_not_em101() -> None:
    # HA101 covers them; EM101 is criticism of the employer itself.
    assert _found("The parents at this school are so entitled", "EM101") == []
    assert _found("Year 9 were absolute animals today", "EM101") == []


def test_criticism_of_the_council_is_reported_with_less_certainty() -> None:
    (council,) = _found("The council are useless", "EM101")
    (head,) = _found("The headteacher is useless", "EM101")
    assert council.score < head.score


def test_vader_is_corrected_for_british_idioms() -> None:
    assert sentiment("the kids were killing it") > 0
    assert sentiment("what a shambles") < 0


# --- VE101 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("another 60-hour week, I can't take this place anymore", "can't take this place"),
        ("so sick of this job", "sick of this job"),
        ("worst day ever at work, kids were feral, SLT useless", "worst day ever"),
        ("Marking till midnight again. FML.", "Marking till midnight"),
        ("Cried in the car before work again. #burnout", "Cried in the car"),
        ("Safeguarding is breaking me this term", "is breaking me"),
        ("fück this marking, i'm going to bed", "fück this marking"),
        ("Another 60 hour week.", "Another 60 hour week"),
    ],
)
def test_venting_about_work_is_ve101(text: str, evidence: str) -> None:
    assert evidence in _evidence(text, "VE101")


@pytest.mark.parametrize(
    "text",
    [
        "Worst day ever, the car broke down and then it rained",
        "So fed up with this rain, the dog needs a walk",
        "Exhausted after sports day but so proud of the kids, what a day!",
        "Knackered after parents' evening, but lovely to see everyone",
        "Not fed up at all, loving work this term",
        "INSET day tomorrow, an actual lunch break!",
        "Nightmare at the dentist today, root canal",
    ],
)
def test_frustration_that_is_not_about_work_or_is_upbeat_is_not_ve101(text: str) -> None:
    assert _found(text, "VE101") == []


def test_a_pupils_name_makes_frustration_about_work() -> None:
    assert _found("Amy Smith has been an absolute nightmare ALL week. I'm done.", "VE101")


# --- the shared workplace cues ------------------------------------------------------------------


def test_workplace_cues_find_the_school_by_alias_in_any_case_and_possessive() -> None:
    text = "brookfield's SLT met the governors and Northshire Council"
    kinds = {(text[c.start : c.end], c.kind) for c in find_workplace(Document(text), CONTEXT)}
    assert ("brookfield", Kind.SCHOOL) in kinds
    assert ("SLT", Kind.MANAGEMENT) in kinds
    assert ("the governors", Kind.GOVERNORS) in kinds
    assert ("Northshire Council", Kind.COUNCIL) in kinds


def test_workplace_cues_read_roles_with_their_determiner() -> None:
    text = "A TA in Year 2 told our caretaker and one of the dads"
    people = [text[c.start : c.end] for c in find_workplace(Document(text), CONTEXT) if c.person]
    assert "A TA in Year 2" in people
    assert "our caretaker" in people
    assert "one of the dads" in people


@pytest.mark.parametrize(
    "text", ["I banged my head on the cupboard", "the head of the river race", "ta very much x"]
)
def test_body_parts_and_thanks_are_not_workplace_people(text: str) -> None:
    assert not [c for c in find_workplace(Document(text), CONTEXT) if c.person]


# --- EM101: families beyond the criticism word list --------------------------------------------


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        # incompetence idioms, with any filler
        ("Our head couldn't plan her way out of a wet paper bag", "way out of a wet paper bag"),
        ("SLT couldn't run a tombola in a village hall", "couldn't run a tombola in a village"),
        ("The governors wouldn't know good teaching if it bit them", "if it bit them"),
        ("SLT haven't the foggiest how a Year 3 classroom works", "haven't the foggiest"),
        # what the employer cares about
        ("The trust only cares about league tables", "only cares about league tables"),
        ("Northshire Council clearly don't care about small schools", "care about small schools"),
        # complaints that repeat
        ("HR have got my contract wrong for the second time", "wrong for the second time"),
        ("HR lost my maternity form. Again.", "lost my maternity form. Again"),
        ("Payroll have underpaid me again, shambles", "underpaid me again"),
        # the leadership as a whole
        ("SLT are a bunch of yes-men for the trust", "yes-men"),
        ("Our governors rubber-stamp whatever the head wants", "rubber-stamp"),
        ("Our head has done nothing about it, as usual", "done nothing"),
    ],
)
def test_idioms_of_incompetence_indifference_and_repeated_failure_are_em101(
    text: str, evidence: str
) -> None:
    assert any(evidence in e for e in _evidence(text, "EM101"))


@pytest.mark.parametrize(
    "text",
    [
        "The governors, in their infinite wisdom, have scrapped the breakfast club",
        "Our head is never actually on site. Must be nice.",
        "Love how SLT announce a 'wellbeing initiative' the same week they add three meetings 🙄",
        "Brilliant leadership from our SLT this week... NOT",
        "The trust's version of 'listening to staff' is a survey nobody reads",
        "Another genius idea from our head: marking in three colours 🙄",
        "HR lost my expenses form. Brilliant.",
        "So our head has decided staff can't use the car park now. Genius.",
    ],
)
def test_sarcasm_about_the_employer_is_em101(text: str) -> None:
    assert _found(text, "EM101")


@pytest.mark.parametrize(
    "text",
    [
        "What does our business manager actually do all day?",
        "Who at the trust thought this was a good idea?",
        "How is our head still in a job?",
        "Why does SLT think another data drop will help anyone?",
    ],
)
def test_mocking_questions_about_the_employer_are_em101(text: str) -> None:
    assert _found(text, "EM101")


def test_an_allegation_against_the_schools_leaders_is_also_em101_but_not_against_a_parent() -> None:
    assert _found("The head's been cooking the attendance figures to please the trust", "EM101")
    assert _found("Kelly Marsh is always drunk at pick-up", "EM101") == []


@pytest.mark.parametrize(
    "text",
    [
        "Love how our head remembers every child's name, such a lovely touch 😊",
        "Thanks a lot to the governors for the lovely Christmas lunch!",
        "Our head is a genius on the ukulele, assembly was brilliant",
        "The trust has decided to give every school a new library, amazing news",
        "Funny how the kids always remember the one thing you say in passing 😂",
        "Our head read 'The Gruffalo' in assembly and did all the voices",
        "Our head is never in a bad mood, love her",
        "What does our head actually do on a Saturday? Parkrun! 🏃",
        "The DfE only cares about league tables",
        "The government's idea of 'support' is a leaflet 🙄",
        "The council have once again failed to empty our bins 🙄",
        "Northshire Council's gritters were out early, nice one 👏",
        "Our head turned a blind eye to the silly string on the last day 😂 legend",
        "Brookfield Primary teacher here: grammar tests do nothing but put kids off writing",
        "Waterloo Road this week: the head fiddling the books, proper soap drama",
        "the trust between us is what makes our team work",
        "Why does our head always have the best biscuits? 😂",
        "Our head was lying down in the sick bay with a migraine, poor thing",
    ],
)
def test_sincere_praise_other_bodies_and_fiction_are_not_em101(text: str) -> None:
    assert _found(text, "EM101") == []


# --- VE101: families ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Running on fumes and it's only Wednesday #teacherlife",
        "Another Sunday of planning. I've got nothing left to give.",
        "Crawling to half term, honestly barely holding it together",
        "Marking until 1am again. Teaching is slowly breaking me.",
        "40 reports still to write and zero energy",
        "I am so tired of this job, honestly",
        "Sunday night and the dread has set in. Back to work tomorrow",
        "Seriously thinking of jacking it all in. Teaching has broken me.",
        "Cried in my classroom at lunch. Nobody noticed.",
        "Counting down to home time since 8.45 😩 #teacherproblems",
        "Overworked, underpaid and over it. Year 3 teacher.",
        "Counting down to Friday since Monday, work is relentless",
    ],
)
def test_exhaustion_dread_quitting_and_workload_are_ve101(text: str) -> None:
    assert _found(text, "VE101")


@pytest.mark.parametrize(
    "text",
    [
        "Running on empty, need to fill the car before the school run",
        "Counting down to Friday — girls' weekend in York! 🥂",
        "I dread Sunday nights since Line of Duty ended",
        "Nothing left in the tank after that spin class 💪",
        "Tiling the kitchen splashback, this job is killing me 😂 #DIY",
        "Parents' evening tonight, send wine! 🍷",
        "I give up trying to keep the classroom tidy 😂",
        "Seriously thinking of treating myself to a new coat, thinking of you all in the rain",
    ],
)
def test_tiredness_outside_work_and_light_jokes_are_not_ve101(text: str) -> None:
    assert _found(text, "VE101") == []


def test_the_phrase_matcher_finds_whole_words_plurals_stems_capitals_and_symbols() -> None:
    from boundaries.screening.workplace import PhraseMatcher

    matcher = PhraseMatcher(
        [
            ("head", "head", False, True),
            ("embezzl*", "stem", False, True),
            ("TA", "ta", True, True),
            ("can't stand", "cant", False, False),
            ("#ad", "ad", False, False),
            ("half term", "holiday", False, False),
        ]
    )
    text = "Ahead of half-term the heads embezzled; TA not ta; can’t stand it #ad #add"
    found = {(text[h.start : h.end], h.value) for h in matcher.find(text, text.lower())}
    assert found == {
        ("half-term", "holiday"),
        ("heads", "head"),
        ("embezzl", "stem"),
        ("TA", "ta"),
        ("can’t stand", "cant"),
        ("#ad", "ad"),
    }


# -- VE101: looking for a way out, a job gone sour, dread and a toxic staffroom -----------------


@pytest.mark.parametrize(
    "text",
    [
        "Third application this month for jobs outside teaching. Enough.",
        "I used to love teaching. Now I sit in the car park for ten minutes before I can go in.",
        "Why am I still doing displays at 9pm for a job that doesn't value me?",
        "The staffroom is toxic and everyone is walking on eggshells.",
        "Can't face another week in that place. Sunday night dread is real.",
        "Year 5 have broken me this week, honestly don't know why I bother.",
        "Parents' evening moved into the holidays so that's my half term ruined.",
    ],
)
def test_new_phrasings_of_work_venting_are_ve101(text: str) -> None:
    assert _found(text, "VE101")


@pytest.mark.parametrize(
    "text",
    [
        "Walking on eggshells around my toddler before his nap, wish me luck.",
        "My puppy has broken me today, three wees on the rug.",
        "Congratulations to my brother on his new career in nursing!",
        "Rain all weekend, the garden party is ruined.",
    ],
)
def test_venting_words_outside_work_are_not_ve101(text: str) -> None:
    assert _found(text, "VE101") == []


# -- EM101: a badly run school, slow HR, sarcastic praise for SLT -------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Brookfield is the worst-run place I have ever worked. No leadership whatsoever.",
        "Our head couldn't run a bath, let alone a school.",
        "Northshire HR take months to answer a single email.",
        "Thanks SLT for the new behaviour policy on the last day of term. Truly visionary 👏",
    ],
)
def test_new_phrasings_of_criticising_the_employer_are_em101(text: str) -> None:
    assert _found(text, "EM101")


@pytest.mark.parametrize(
    "text",
    [
        "Best-run sports day we've ever had at Brookfield, well done everyone!",
        "Our head organised the whole trip herself, what a star.",
        "HR answered my email within the hour, brilliant service.",
    ],
)
def test_praise_of_the_employer_is_not_em101(text: str) -> None:
    assert _found(text, "EM101") == []


@pytest.mark.parametrize(
    "text",
    [
        "Payroll messed up my pay again this month and nobody will ring me back.",
        "Honestly the worst place I've ever worked, Brookfield has gone downhill.",
    ],
)
def test_the_employer_getting_my_pay_wrong_or_the_worst_workplace_is_ve101(text: str) -> None:
    assert _found(text, "VE101")


def test_sorting_a_pension_out_with_hr_is_not_ve101() -> None:
    text = "Finally sorted my pension paperwork with Northshire Council, thanks to the HR team!"
    assert _found(text, "VE101") == []
