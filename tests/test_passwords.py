"""PW101: work log-ins and passwords shared (policy 7.3)."""

from __future__ import annotations

import pytest

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.passwords import PasswordDetector
from boundaries.screening.normalise import Document

REPORT, CERTAIN = 0.5, 0.75


def found(text: str) -> list[tuple[str, float]]:
    detector = PasswordDetector(ScreeningContext())
    return [
        (text[s.start : s.end], s.score)
        for s in detector.detect(Document(text))
        if s.score >= REPORT
    ]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("The SIMS password is Tiger123 if anyone needs to do the register", "Tiger123"),
        ("login: jsmith pw: Summer24! for Arbor, cheers", "Summer24!"),
        ("Password for Google Classroom = 'maths4life'", "maths4life"),
        ("CPOMS passcode is still Brookfield2024 btw", "Brookfield2024"),
        ("The school wifi password is Brookfield2024", "Brookfield2024"),
        ("Teams password: Kestrel#9", "Kestrel#9"),
    ],
)
def test_a_work_password_given_in_a_post_is_a_pw101_breach_on_the_secret(
    text: str, secret: str
) -> None:
    [(evidence, score)] = found(text)
    assert evidence == secret
    assert score >= CERTAIN


def test_a_password_given_without_saying_what_for_is_for_review() -> None:
    [(evidence, score)] = found("my password is Tiger")
    assert evidence == "Tiger"
    assert REPORT <= score < CERTAIN


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("here's my SIMS login, have fun covering 5B", "here's my SIMS login"),
        ("Just log in as me on Teams and set the quiz", "log in as me"),
        ("Off sick, so use my account to do the register", "use my account"),
        ("Happy to lend you my Arbor log-in for the reports", "lend you my Arbor log-in"),
    ],
)
def test_handing_over_a_work_account_is_pw101(text: str, evidence: str) -> None:
    [(got, score)] = found(text)
    assert got == evidence
    assert score >= CERTAIN


def test_a_handed_over_login_takes_in_the_credentials_that_follow() -> None:
    text = "Supply teacher in tomorrow, just use my SIMS login: kmallory / Brookfield24! ta"
    [(evidence, _)] = found(text)
    assert evidence == "use my SIMS login: kmallory / Brookfield24!"


@pytest.mark.parametrize(
    "text",
    [
        "The café wifi password is coffee123, lovely spot on holiday",
        "Gorgeous villa in Crete! wifi password: sunshine2024",
        "Shared my Netflix password with my sister, don't tell anyone",
        "use my Netflix account, I never watch it",
        "Never share your password with anyone!",
        "I would never give anyone my Arbor password",
        "My password is wrong again, IT please help",
        "Forgot my SIMS password again!",
        "password reset for CPOMS done",
        "the most common password is 123456, don't use it kids",
        "A password like Tiger123 is far too easy to guess",
        "Can I borrow your login for a sec?",
        "Password-protected files only please",
        "The password is on the board in the staffroom",
        "My password is changing tomorrow so expect emails",
        "Loved the film Passengers, 10/10",
    ],
)
def test_holiday_wifi_personal_accounts_and_esafety_advice_are_not_pw101(text: str) -> None:
    assert found(text) == []


# -- passwords given as hints, left out, or for a door ------------------------------------------

BROOKFIELD = ScreeningContext.coerce(
    {"school": {"name": "Brookfield Primary School", "aliases": ["Brookfield"]}}
)


def found_at(text: str, context: ScreeningContext) -> list[tuple[str, float]]:
    detector = PasswordDetector(context)
    return [(text[s.start : s.end], s.score) for s in detector.detect(Document(text))]


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        (
            "SIMS password is the caretaker's cat's name with a 7 on the end lol",
            "password is the caretaker's cat's name",
        ),
        ("For cover staff: the Arbor login's the usual one, ask anyone", "login's the usual one"),
        ("CPOMS password? same as the staff wifi", "password? same as "),
        (
            "Teams password is just Brookfield then the year, you'll work it out",
            "password is just Brookfield then the year",
        ),
    ],
)
def test_a_work_password_given_as_a_hint_is_pw101(text: str, evidence: str) -> None:
    [(got, score)] = found_at(text, BROOKFIELD)
    assert got == evidence
    assert score >= CERTAIN


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        (
            "I've stuck my SIMS login on the side of the monitor, help yourselves",
            "I've stuck my SIMS login on the side of the monitor",
        ),
        (
            "My Teams log-in is on a sticky note in the top drawer if you need it",
            "My Teams log-in is on a sticky note",
        ),
    ],
)
def test_a_work_login_left_out_for_others_is_pw101(text: str, evidence: str) -> None:
    [(got, score)] = found(text)
    assert got == evidence
    assert score >= CERTAIN


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("The keypad code for the staffroom is 2580, don't tell the kids", "2580"),
        ("Google Classroom login for anyone covering: y3class / Rainbow2026!", "Rainbow2026!"),
    ],
)
def test_a_work_door_code_or_a_login_for_whoever_asks_is_pw101(text: str, secret: str) -> None:
    [(got, score)] = found(text)
    assert got == secret
    assert score >= CERTAIN


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Anyone need the Arbor login? DM me and I'll send it over", "login? DM me"),
        (
            "message me for the CPOMS password, I'm off till Monday",
            "message me for the CPOMS password",
        ),
        (
            "Need to do the register? Text me and I'll send you my Arbor login",
            "Text me and I'll send you my Arbor login",
        ),
    ],
)
def test_a_work_login_offered_in_private_is_pw101(text: str, evidence: str) -> None:
    [(got, score)] = found(text)
    assert got == evidence
    assert score >= CERTAIN


def test_a_password_given_before_its_label_is_pw101() -> None:
    [(got, score)] = found("Kirsty123 is my password for literally everything at school lol")
    assert got == "Kirsty123"
    assert score >= CERTAIN


@pytest.mark.parametrize(
    "text",
    [
        "Forgot your SIMS password? Text me and I'll show you how to reset it",
        "text me if you forget your SIMS password",
        "DM me for the Netflix password lol",
        "Ask the office for the SIMS password, they'll set you up",
        "Tiger is my favourite animal, password or not",
    ],
)
def test_help_with_a_login_or_a_personal_account_offered_is_not_pw101(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "My Netflix password is my dog's name, don't judge me",
        "My password is on a post-it at home, terrible I know",
        "Never write your SIMS password on a sticky note!",
        "My bank details are on the fridge for the window cleaner",
        "The door code at our Airbnb is 4242",
        "is the SIMS password the same as last year?",
        "My SIMS password is the same as my bank one, oops",
        "send me your details for the trip",
    ],
)
def test_hints_and_notes_about_personal_accounts_or_questions_are_not_pw101(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Staffroom door code has changed, it's now 4417#", "4417#"),
        ("Anyone stuck at the photocopier? The code is 3390, it works for all of us", "3390"),
        ("Back gate keypad was reset to 2468 this morning", "2468"),
    ],
)
def test_a_door_gate_or_machine_code_given_as_digits_is_shared(text: str, secret: str) -> None:
    assert secret in [evidence for evidence, _ in found(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Log into Seesaw with my details while I'm off, the supply teacher needs it",
        "Just log on to SIMS using my account for the register today",
    ],
)
def test_logging_into_a_work_system_with_my_details_hands_the_account_over(text: str) -> None:
    assert found(text)


@pytest.mark.parametrize(
    "text",
    [
        "The dress code for the staff party is 1920s glamour",
        "Our holiday cottage key safe code is 2580, lovely place",
        "The school gate is 200 metres from the car park",
        "My alarm is now 0545 every school day, send help",
        "The new gate at the allotment cost 300 quid",
        "Discount code for the staff meal is 2024",
    ],
)
def test_dress_codes_distances_alarms_and_holiday_key_safes_are_not_passwords(text: str) -> None:
    assert not found(text)
