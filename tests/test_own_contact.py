"""OC101/OC102: the author's own phone number or e-mail offered to pupils or parents (7.2, 7.4,
8.3, 8.6)."""

from __future__ import annotations

import pytest

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.own_contact import OwnContactDetector
from boundaries.screening.detectors.personal_data import PersonalDataDetector
from boundaries.screening.normalise import Document

REPORT, CERTAIN = 0.5, 0.75  # the pack's thresholds: reported, and reported as a breach

AUTHOR = ScreeningContext.coerce(
    {
        "school": {"name": "Brookfield Primary School", "aliases": ["Brookfield"]},
        "author": {
            "name": "Kirsty Mallory",
            "personal_phone": "07700 900417",
            "personal_email": "Kirsty.Mallory84@gmail.com",
        },
    }
)
UNKNOWN = ScreeningContext.coerce({"school": {"name": "Brookfield Primary School"}})


def found(text: str, context: ScreeningContext) -> list[tuple[str, str, float]]:
    detector = OwnContactDetector(context)
    return [
        (s.rule, text[s.start : s.end], s.score)
        for s in detector.detect(Document(text))
        if s.score >= REPORT
    ]


def personal_data(text: str, context: ScreeningContext) -> list[str]:
    detector = PersonalDataDetector(context)
    return [s.rule for s in detector.detect(Document(text)) if s.score >= REPORT]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        (
            "Year 6 parents, any worries about the residential text me on 07700 900417!",
            "07700 900417",
        ),
        ("Mums and dads: my number is +44 7700 900417 for the trip", "+44 7700 900417"),
        ("Kids, homework questions? Ring me, 07700900417", "07700900417"),
        ("Parents of 4B, call me on 07700-900-417 any time", "07700-900-417"),
    ],
)
def test_the_authors_own_number_offered_to_pupils_or_parents_is_an_oc101_breach(
    text: str, number: str
) -> None:
    [(rule, evidence, score)] = found(text, AUTHOR)
    assert (rule, evidence) == ("OC101", number)
    assert score >= CERTAIN


def test_an_oc101_number_is_not_reported_again_as_pd101() -> None:
    text = "Year 6 parents, any worries text me on 07700 900417!"
    assert personal_data(text, AUTHOR) == []


def test_a_number_offered_in_the_first_person_to_parents_is_oc101_when_the_author_is_unknown() -> (
    None
):
    text = "Parents, text me on 07700 900123 if the coach is running late"
    [(rule, evidence, score)] = found(text, UNKNOWN)
    assert (rule, evidence) == ("OC101", "07700 900123")
    assert score >= CERTAIN
    assert personal_data(text, UNKNOWN) == []


def test_a_different_number_offered_in_the_first_person_is_for_review_only() -> None:
    [(_, _, score)] = found("Parents, text me on 07700 900999 tonight", AUTHOR)
    assert REPORT <= score < CERTAIN


def test_the_authors_own_number_without_pupils_or_parents_is_not_oc101() -> None:
    text = "Lost my phone at the match! If found please ring 07700 900417"
    assert found(text, AUTHOR) == []
    assert personal_data(text, AUTHOR) == ["PD101"]


def test_a_number_given_to_the_authors_own_mum_is_not_oc101() -> None:
    assert found("Mum, text me on my new number 07700 900123", UNKNOWN) == []


@pytest.mark.parametrize(
    "text",
    [
        "Parents, please ring the school office on 01432 760000 with any questions",
        "Year 6 parents: on the trip you can text me on the trip mobile 07700 900999",
        "Parents, call the school on 01432 760000 if your child is off sick",
        "Parents, Childline is 0800 1111 if your child needs to talk to someone",
    ],
)
def test_a_school_office_or_trip_number_offered_to_parents_is_not_a_breach(text: str) -> None:
    assert found(text, UNKNOWN) == []
    assert found(text, AUTHOR) == []


def test_someone_elses_number_given_to_parents_is_not_the_authors_own() -> None:
    text = "Parents, the coach company's number is 01432 555123 if you need it"
    assert found(text, UNKNOWN) == []


# -- OC102: e-mail --------------------------------------------------------------------------


def test_the_authors_own_email_offered_to_pupils_is_an_oc102_breach() -> None:
    text = "Kids, if Google Classroom is down send your homework to kirsty.mallory84@gmail.com."
    [(rule, evidence, score)] = found(text, AUTHOR)
    assert (rule, evidence) == ("OC102", "kirsty.mallory84@gmail.com")
    assert score >= CERTAIN
    assert personal_data(text, AUTHOR) == []


def test_a_personal_email_offered_to_pupils_is_oc102_when_the_author_is_unknown() -> None:
    text = "my personal email is jsmith1984@gmail.com, kids can send homework there"
    [(rule, evidence, score)] = found(text, UNKNOWN)
    assert (rule, evidence) == ("OC102", "jsmith1984@gmail.com")
    assert score >= CERTAIN


def test_an_email_spelt_out_to_parents_is_still_oc102() -> None:
    text = "Parents, email me at jo dot smith at hotmail dot co dot uk with any questions"
    [(rule, evidence, _)] = found(text, UNKNOWN)
    assert (rule, evidence) == ("OC102", "jo dot smith at hotmail dot co dot uk")


@pytest.mark.parametrize(
    "text",
    [
        "Parents can email me at k.mallory@brookfield.sch.uk with any questions",
        "Year 6, send your homework to kmallory@brookfieldprimary.co.uk please",
        "Parents, email office@brookfield-academy.org for the trip forms",
    ],
)
def test_a_school_email_address_offered_to_parents_is_not_a_breach(text: str) -> None:
    assert found(text, UNKNOWN) == []
    assert found(text, AUTHOR) == []


def test_the_authors_email_shared_with_friends_is_not_oc102() -> None:
    text = "New email everyone! It's kirsty.mallory84@gmail.com, update your contacts"
    assert found(text, AUTHOR) == []
    assert personal_data(text, AUTHOR) == ["PD102"]


# -- disguised values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        (
            "Mums and dads, over the holidays I'm on oh seven seven oh oh, nine oh oh, four one "
            "seven",
            "oh seven seven oh oh, nine oh oh, four one seven",
        ),
        (
            "Year 3 parents, text me: zero seven seven double zero nine double zero four one seven",
            "zero seven seven double zero nine double zero four one seven",
        ),
    ],
)
def test_the_authors_number_written_in_words_to_parents_is_oc101(text: str, number: str) -> None:
    [(rule, evidence, score)] = found(text, AUTHOR)
    assert (rule, evidence) == ("OC101", number)
    assert score >= CERTAIN


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        (
            "Kids in my class, email me your stories at kirsty . mallory84 @ gmail . com",
            "kirsty . mallory84 @ gmail . com",
        ),
        (
            "Year 3 families, my gmail is kirstymallory84 if the school one bounces",
            "kirstymallory84",
        ),
        (
            "Parents: kirsty.mallory84[@]gmail[.]com for anything about the trip",
            "kirsty.mallory84[@]gmail[.]com",
        ),
    ],
)
def test_the_authors_email_disguised_for_parents_or_pupils_is_oc102(
    text: str, evidence: str
) -> None:
    [(rule, got, score)] = found(text, AUTHOR)
    assert (rule, got) == ("OC102", evidence)
    assert score >= CERTAIN


def test_someone_elses_address_recommended_to_families_is_not_the_authors() -> None:
    text = (
        "Oli is a brilliant tutor and great with families, you can reach him at oli.t86@example.com"
    )
    assert found(text, AUTHOR) == []
    assert personal_data(text, AUTHOR) == ["PD102"]


def test_my_number_spelt_with_doubled_noughts_and_commas_to_parents_is_oc101() -> None:
    text = (
        "Class 3 mums and dads, text me on oh seven seven double oh, nine double oh four one seven"
    )
    [(rule, evidence, score)] = found(text, AUTHOR)
    assert (rule, evidence) == (
        "OC101",
        "oh seven seven double oh, nine double oh four one seven",
    )
    assert score >= CERTAIN
