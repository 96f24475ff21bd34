"""PD101-PD106: personal data made public (policy 6.6, 6.9, 5.3.3, 7.5)."""

from __future__ import annotations

import json

import phonenumbers
import pytest

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.personal_data import PersonalDataDetector
from boundaries.screening.normalise import Document
from tests.conftest import shared_file

REPORT = 0.5  # the pack's report threshold: below it a span is dropped

AUTHOR = ScreeningContext.coerce(
    {
        "school": {"name": "Brookfield Primary School", "aliases": ["Brookfield"]},
        "author": {
            "name": "Kirsty Mallory",
            "personal_phone": "07700 900417",
            "personal_email": "kirsty.mallory84@gmail.com",
        },
    }
)


def found(text: str, context: ScreeningContext | None = None) -> list[tuple[str, str, float]]:
    """(rule, evidence, score) for every reported span."""
    detector = PersonalDataDetector(context or ScreeningContext())
    return [
        (s.rule, text[s.start : s.end], s.score)
        for s in detector.detect(Document(text))
        if s.score >= REPORT
    ]


def rules(text: str, context: ScreeningContext | None = None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for rule, evidence, _ in found(text, context):
        out.setdefault(rule, []).append(evidence)
    return out


# -- PD101: phone numbers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Lost dog! Please ring my neighbour Sue on 07700 900461.", "07700 900461"),
        ("Call Dave on 07911 123456 if you want the tickets", "07911 123456"),
        ("Mum's new mobile: 07700900123", "07700900123"),
        ("Text him on +44 7700 900 123 about the car", "+44 7700 900 123"),
        ("Tel 01632 960123 for the plumber, he's great", "01632 960123"),
        ("Our builder: 020 7946 0018, really reasonable", "020 7946 0018"),
        ("Can someone call me at (555) 123-4567? I have questions", "(555) 123-4567"),
        ("They're not answering at 780-999-2181", "780-999-2181"),
        ("Phone: 0490 75 40 81", "0490 75 40 81"),
        ("Fax: 345-899-3560x4587", "345-899-3560x4587"),
        ("My cousin in Zurich is on +41 44 668 18 00", "+41 44 668 18 00"),
    ],
)
def test_phone_numbers_uk_and_international_are_pd101(text: str, number: str) -> None:
    assert rules(text).get("PD101") == [number]


def test_a_uk_mobile_number_with_call_context_is_confident() -> None:
    [(_, _, score)] = found("Call Dave on 07911 123456 tonight")
    assert score >= 0.9


@pytest.mark.parametrize(
    "text",
    [
        "Tickets are £12.50 each, or £1,250 for the whole table",
        "Back in 2024 we did this too, and in 1999",
        "Home time is 3.30pm, club runs 9.30-11.30 on Saturdays",
        "What a match! We won 3-1 and then 21-14 in the second game",
        "Your order 12345678 has shipped, order number 07700 900123",
        "Invoice ref 01432 760000 is overdue apparently",
        "See you on 12/03/2024 for the trip, back on 15.03.2024",
        "Year 6 are in room 14 today, Year 10 in room 2.11",
        "Great read: ISBN 978-0-14-103614-4, highly recommend",
        "Season 2023-2024 was our best yet",
        "Raised 1,234,567 pence! That's 12345 pounds",
        "His social security number is 853-37-1694",
        "Card ending 4007 0707 5369 0781 was declined",
    ],
)
def test_prices_years_times_scores_refs_dates_and_isbns_are_not_phone_numbers(text: str) -> None:
    assert "PD101" not in rules(text)


def test_a_school_office_number_is_not_someones_personal_number() -> None:
    assert "PD101" not in rules("Parents, please ring the school office on 01432 760000.")


def test_helplines_and_freephone_numbers_are_not_personal() -> None:
    assert "PD101" not in rules("Struggling? Call Samaritans free on 116 123 or 0800 1111 anytime")


def test_the_authors_own_number_made_public_is_still_pd101_with_its_own_reason() -> None:
    text = "Lost my phone at the match! If found please ring 07700 900417"
    detector = PersonalDataDetector(AUTHOR)
    [span] = [s for s in detector.detect(Document(text)) if s.rule == "PD101"]
    assert text[span.start : span.end] == "07700 900417"
    assert "your own" in span.reason


def test_the_authors_own_number_offered_to_parents_is_left_to_oc101() -> None:
    text = "Year 6 parents, any worries just text me on +44 7700 900417!"
    assert "PD101" not in rules(text, AUTHOR)


def test_a_phone_number_written_in_fullwidth_digits_maps_back_to_the_original() -> None:
    text = "ring me on ０７７００ ９００１２３ later"
    [(rule, evidence, _)] = found(text)
    assert (rule, evidence) == ("PD101", "０７７００ ９００１２３")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        (
            "Can someone ring my auntie Jean? She's on oh one six three two, nine six oh, eight "
            "eight one",
            "oh one six three two, nine six oh, eight eight one",
        ),
        (
            "new mobile for my sister: zero seven seven double zero nine double zero three two one",
            "zero seven seven double zero nine double zero three two one",
        ),
        (
            "Dad's number is 07700 nine double oh five five two",
            "07700 nine double oh five five two",
        ),
    ],
)
def test_a_phone_number_written_in_words_is_pd101(text: str, number: str) -> None:
    [(rule, evidence, score)] = found(text)
    assert (rule, evidence) == ("PD101", number)
    assert score >= 0.75


@pytest.mark.parametrize(
    "text",
    [
        "I've got one two three four five six seven reasons to love half term",
        "We won eight nil, then seven one, then nine nought on Saturday!",
        "Zero chance I'm doing the 5k, one two three four, I declare a thumb war",
    ],
)
def test_counting_and_scores_in_words_are_not_phone_numbers(text: str) -> None:
    assert "PD101" not in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "Carvery Sunday? The Kings Head, ring 01632 960555 to reserve",
        "Panto tickets on 01632 960700, box office opens at 10",
        "Quiz night at The Fox and Hounds, book a table on 01632 960310",
    ],
)
def test_a_venues_booking_line_is_not_personal_data(text: str) -> None:
    assert "PD101" not in rules(text)


def test_a_neighbours_home_landline_is_still_pd101() -> None:
    text = "Pat next door is selling her piano, give her a ring at home on 01632 960432"
    assert rules(text) == {"PD101": ["01632 960432"]}


# -- PD102: e-mail addresses ----------------------------------------------------------------


def test_an_email_address_is_pd102() -> None:
    text = "Anyone selling tickets? Email my friend Dan at dan.hughes77@gmail.com."
    assert rules(text) == {"PD102": ["dan.hughes77@gmail.com"]}


def test_an_email_address_spelt_out_is_pd102() -> None:
    text = "drop Jo a line: jo dot smith at gmail dot com"
    assert rules(text) == {"PD102": ["jo dot smith at gmail dot com"]}


def test_a_twitter_handle_is_not_an_email_address() -> None:
    assert rules("Follow @jo_smith and @BrookfieldPE for updates!") == {}


def test_role_and_school_addresses_are_not_personal_data() -> None:
    text = "Questions to office@brookfield.sch.uk or enquiries@villagehall.org.uk please"
    assert "PD102" not in rules(text, AUTHOR)


def test_the_authors_own_email_made_public_is_pd102_for_review() -> None:
    text = "New email, it's kirsty.mallory84@gmail.com, update your contacts!"
    assert rules(text, AUTHOR) == {"PD102": ["kirsty.mallory84@gmail.com"]}


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "Anyone after a cleaner? Tracy's brilliant, her email's tracy.m77 at example dot co "
            "dot uk",
            "tracy.m77 at example dot co dot uk",
        ),
        (
            "My mate Joe does wedding photos, contact him: joe_photos99 @ example.com",
            "joe_photos99 @ example.com",
        ),
        ("cousin's CV is ready, write to r.hale[@]example[.]org", "r.hale[@]example[.]org"),
        ("send them to my brother directly, his gmail is sam.okafor91", "sam.okafor91"),
    ],
)
def test_an_email_address_with_its_at_and_dots_disguised_is_pd102(text: str, address: str) -> None:
    assert rules(text) == {"PD102": [address]}


@pytest.mark.parametrize(
    "text",
    [
        "I was at bbc dot co dot uk all morning reading the news",
        "look us up at facebook dot com slash brookfieldpta",
        "My gmail is full again, so annoying",
        "Meet @ the Plough at 7, bring cash",
    ],
)
def test_web_sites_and_words_after_at_are_not_email_addresses(text: str) -> None:
    assert "PD102" not in rules(text)


def test_someone_elses_address_offered_to_families_is_pd102_not_the_authors() -> None:
    text = (
        "Priya tutors GCSE maths, brilliant with families. You can reach her at "
        "priya.t22@example.com"
    )
    assert rules(text, AUTHOR) == {"PD102": ["priya.t22@example.com"]}


# -- PD103: addresses and postcodes ---------------------------------------------------------


def test_a_home_address_with_postcode_is_one_pd103_span() -> None:
    text = (
        "Party at ours Saturday from 7, it's 14 Hollybush Lane, Leominster HR6 8AB. Bring a bottle!"
    )
    [(rule, evidence, score)] = found(text)
    assert (rule, evidence) == ("PD103", "14 Hollybush Lane, Leominster HR6 8AB")
    assert score >= 0.85


def test_a_flat_and_street_address_is_pd103() -> None:
    text = "She's moved to Flat 2, 37 Mill Road now"
    assert rules(text) == {"PD103": ["Flat 2, 37 Mill Road"]}


def test_a_uk_postcode_alone_is_pd103() -> None:
    assert rules("The new house is in SW1A 1AA, can't wait!") == {"PD103": ["SW1A 1AA"]}


def test_a_venues_postcode_is_not_personal_data() -> None:
    text = "Sports day at Hereford Leisure Centre, HR4 9AB, from 10am"
    assert "PD103" not in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "Year 6 Church Road trip was brilliant",
        "We won 3 Premier League titles in a row",
        "I scored 2 Great goals today",
        "Lovely ride along the canal to 3rd Street Cafe",
        "Room 14 and Room 15 are being painted",
    ],
)
def test_numbers_before_capitalised_words_are_not_addresses(text: str) -> None:
    assert "PD103" not in rules(text)


def test_postcode_letters_in_impossible_positions_are_not_postcodes() -> None:
    assert "PD103" not in rules("Codes QV1 1AA and AB1 1CI are not real postcodes")


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("the parcel went to 12 willow road instead of next door, ffs", "12 willow road"),
        ("round at mine tonight, 8 beech grove, bring crisps", "8 beech grove"),
    ],
)
def test_a_street_address_typed_in_lower_case_is_pd103(text: str, address: str) -> None:
    assert rules(text) == {"PD103": [address]}


@pytest.mark.parametrize(
    "text",
    [
        "we walked 3 long miles down the lane",
        "it's a 5 minute walk from the 2 main roads",
        "a 20 mile drive to the coast then 2 side streets",
        "the 4 bus lane is closed again",
        "Dinner at The Crown, 3 Market Street, lovely as always",
        "Lunch @ The Fox & Hounds, 22 Church Lane. Beautiful garden",
    ],
)
def test_distances_and_named_venues_are_not_home_addresses(text: str) -> None:
    assert "PD103" not in rules(text)


def test_a_named_house_introduced_as_a_home_is_still_an_address() -> None:
    text = "She lives at The Old Rectory, 4 Church Lane now"
    assert rules(text) == {"PD103": ["4 Church Lane"]}


# -- PD104: dates of birth ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("My little nephew Alfie was born on 3 March 2019!", "3 March 2019"),
        ("DOB: 03/04/2015", "03/04/2015"),
        ("her birthday is 3/4/2015 so she's the youngest", "3/4/2015"),
        ("d.o.b. 12.05.1988 if anyone needs it for the form", "12.05.1988"),
        ("Date of birth - 21st June 1990", "21st June 1990"),
        ("Born in Hereford on the 4th of July 2016", "4th of July 2016"),
    ],
)
def test_a_date_given_as_a_date_of_birth_is_pd104(text: str, date: str) -> None:
    assert rules(text) == {"PD104": [date]}


@pytest.mark.parametrize(
    "text",
    [
        "See you on 12/03/2024 for the trip",
        "Jack's birthday party is on 12/03/2024, can't wait",
        "Happy birthday! See you Saturday 3rd March",
        "My first-born starts school on 3 September 2024",
        "It's my birthday on 3rd March!",
    ],
)
def test_dates_without_birth_context_are_not_dates_of_birth(text: str) -> None:
    assert "PD104" not in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "Our puppy Bramble was born on 4 April 2024 and she's already chewed everything",
        "Kittens born 14/05/2025, ready for new homes next month",
        "Happy birthday to Dame Judi Dench, born 9 December 1934!",
        "Roald Dahl was born on 13 September 1916, happy Roald Dahl Day everyone",
        "Happy birthday to the King, born 14 November 1948!",
        "Elvis was born on 8 January 1935 in Tupelo, Mississippi",
    ],
)
def test_a_pets_or_a_public_figures_date_of_birth_is_not_personal_data(text: str) -> None:
    assert "PD104" not in rules(text)


def test_a_relatives_date_of_birth_is_still_pd104() -> None:
    assert rules("My nan was born on 2 March 1941 and still does the crossword in pen") == {
        "PD104": ["2 March 1941"]
    }


# -- PD105: National Insurance numbers ------------------------------------------------------


def test_a_national_insurance_number_is_pd105() -> None:
    text = "Payroll form done, my NI number is JM 12 34 56 C if the office needs it"
    [(rule, evidence, score)] = found(text)
    assert (rule, evidence) == ("PD105", "JM 12 34 56 C")
    assert score >= 0.9


def test_a_valid_nino_without_context_is_still_pd105() -> None:
    assert rules("JM123456C lol") == {"PD105": ["JM123456C"]}


def test_hmrcs_specimen_prefix_given_as_an_ni_number_is_reported() -> None:
    assert rules("national insurance: QQ 12 34 56 C") == {"PD105": ["QQ 12 34 56 C"]}


@pytest.mark.parametrize(
    "text",
    ["Codes GB123456A and QQ123456C in the catalogue", "Flight BA 12 34 56 was delayed"],
)
def test_letter_and_digit_codes_that_break_the_prefix_rules_are_not_ninos(text: str) -> None:
    assert "PD105" not in rules(text)


# -- PD106: IMEI ------------------------------------------------------------------------------


def test_an_imei_with_a_correct_check_digit_is_pd106() -> None:
    text = "Phone nicked at the match, IMEI 35-209900-176148-1, keep an eye out on eBay!"
    [(rule, evidence, score)] = found(text)
    assert (rule, evidence) == ("PD106", "35-209900-176148-1")
    assert score >= 0.9


def test_a_15_digit_number_with_a_wrong_check_digit_and_no_context_is_not_an_imei() -> None:
    assert "PD106" not in rules("Reference 352099001761482 for your records")


def test_an_imei_is_not_also_reported_as_a_phone_number() -> None:
    assert set(rules("my phone's IMEI is 490154203237518")) == {"PD106"}


# -- Benchmark: the Presidio synthetic set ----------------------------------------------------


def _presidio_like_phones(text: str) -> list[tuple[int, int]]:
    """What Presidio's PhoneRecognizer finds: phonenumbers' matcher, its default regions
    ("UK" and "FE" are not region codes, so they add nothing) and leniency VALID."""
    spans = []
    for region in ("US", "UK", "DE", "FE", "IL", "IN", "CA", "BR"):
        for m in phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.VALID
        ):
            spans.append((m.start, m.end))
    return spans


def _recall(records: list[dict[str, object]], entity: str, finder: object) -> float:
    hit = total = 0
    for record in records:
        text = str(record["full_text"])
        mine = finder(text)  # type: ignore[operator]
        for span in record["spans"]:  # type: ignore[attr-defined]
            if span["entity_type"] != entity:
                continue
            total += 1
            s, e = span["start_position"], span["end_position"]
            hit += any(a < e and s < b for a, b in mine)
    return hit / total


def test_recall_on_presidios_synthetic_phones_and_emails_beats_its_recognizers() -> None:
    records = json.loads(
        shared_file("data/presidio-synth/synth_dataset_v2.json").read_text(encoding="utf-8")
    )
    detector = PersonalDataDetector(ScreeningContext())

    def ours(rule: str) -> object:
        def find(text: str) -> list[tuple[int, int]]:
            spans = detector.detect(Document(text))
            return [(s.start, s.end) for s in spans if s.rule == rule and s.score >= REPORT]

        return find

    phone_recall = _recall(records, "PHONE_NUMBER", ours("PD101"))
    assert phone_recall >= _recall(records, "PHONE_NUMBER", _presidio_like_phones)
    assert phone_recall >= 0.95
    assert _recall(records, "EMAIL_ADDRESS", ours("PD102")) >= 0.98


@pytest.mark.parametrize(
    ("text", "number"),
    [
        (
            "Gran's new number: oh seven seven double oh, nine double oh, one two three",
            "oh seven seven double oh, nine double oh, one two three",
        ),
        (
            "ring my brother on zero seven seven double zero, nine double zero four five six",
            "zero seven seven double zero, nine double zero four five six",
        ),
    ],
)
def test_a_doubled_digit_followed_by_a_comma_still_reads_as_a_phone_number(
    text: str, number: str
) -> None:
    assert rules(text) == {"PD101": [number]}


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "Lost a brown wallet? contact sam dot reid at example dot com",
            "sam dot reid at example dot com",
        ),
        (
            "To buy her cakes, write to priya dot shah at example dot org",
            "priya dot shah at example dot org",
        ),
    ],
)
def test_an_address_spelt_out_after_contact_or_write_to_is_pd102(text: str, address: str) -> None:
    assert rules(text) == {"PD102": [address]}


def test_a_web_site_spelt_out_without_a_contact_word_is_not_an_email() -> None:
    assert "PD102" not in rules("Have a look at bbc dot co dot uk for the weather")
