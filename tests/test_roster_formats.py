"""Reading MIS exports: SIMS, Bromcom and Arbor CSV, mapping files, Wonde JSON; every row checked.

No database here: these tests read the fixture files in tests/fixtures/mis (invented people,
written the way each system writes) and check what comes out, problems included.
"""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import pytest

from boundaries.roster.fields import (
    FieldProblem,
    clean_cell,
    parse_date,
    parse_email,
    parse_upn,
    parse_year_group,
    parse_yes_no,
)
from boundaries.roster.formats import ParsedImport, read_files
from boundaries.roster.presets import (
    MappingError,
    load_mapping,
    parse_mapping,
    role_from_text,
)
from boundaries.roster.records import InputFile, Kind, Source
from boundaries.store import SchoolRole

FIXTURES = Path(__file__).parent / "fixtures" / "mis"
TODAY = date(2026, 11, 25)


def files(*names: str) -> list[InputFile]:
    return [InputFile(name, (FIXTURES / name).read_bytes()) for name in names]


def read(
    names: tuple[str, ...] | list[InputFile], kind: Kind, source: Source, **options: object
) -> ParsedImport:
    inputs = files(*names) if isinstance(names, tuple) else names
    return read_files(inputs, kind, source, today=TODAY, **options)  # type: ignore[arg-type]


# -- SIMS ---------------------------------------------------------------------------------------
def test_a_sims_report_is_read_despite_its_bom_trailing_spaces_and_question_marks() -> None:
    parsed = read(("sims_pupils.csv",), Kind.PUPILS, Source.SIMS)
    assert parsed.errors == []
    assert parsed.rows == 10  # the empty row Excel left at the end is not a pupil
    by_name = {p.legal_forename: p for p in parsed.pupils}
    olly = by_name["Oliver"]
    assert (olly.preferred_forename, olly.surname, olly.date_of_birth) == (
        "Olly",
        "Hargreaves",
        date(2016, 3, 14),
    )
    assert olly.upn == "T873210116008"
    assert olly.year_group == "Year 6"
    # 06/06/2079 is SIMS's "no end date".
    assert olly.leaving_date is None
    # "?" is an empty cell: Grace has no preferred name, Soren no UPN, Isla no admission date.
    assert by_name["Grace"].preferred_forename is None
    assert by_name["Soren"].upn is None
    assert by_name["Isla"].admission_date is None
    assert by_name["Soren"].year_group == "Nursery"
    assert by_name["Isla"].year_group == "Reception"


def test_admission_numbers_keep_their_leading_zeros_even_behind_an_excel_formula() -> None:
    parsed = read(("sims_pupils.csv",), Kind.PUPILS, Source.SIMS)
    numbers = {p.legal_forename: p.admission_number for p in parsed.pupils}
    assert numbers["Oliver"] == "001021"
    assert numbers["Haruto"] == "001028"  # written ="001028" so that Excel kept the zeros
    # Without a person id column, SIMS's Adno is also the MIS id that re-imports match on.
    assert {p.mis_id for p in parsed.pupils} == set(numbers.values())


def test_a_preferred_name_the_same_as_the_legal_one_is_not_kept_twice() -> None:
    parsed = read(("sims_staff.csv",), Kind.STAFF, Source.SIMS)
    assert parsed.errors == []
    text = (FIXTURES / "sims_pupils.csv").read_text(encoding="utf-8-sig")
    same = text.replace("Hargreaves,Oliver,Olly,", "Hargreaves,Oliver,Oliver,")
    pupils = read([InputFile("same.csv", same.encode())], Kind.PUPILS, Source.SIMS).pupils
    assert next(p for p in pupils if p.surname == "Hargreaves").preferred_forename is None


def test_every_problem_is_reported_with_its_line_and_column() -> None:
    parsed = read(("sims_pupils_errors.csv",), Kind.PUPILS, Source.SIMS)
    found = {(e.row, e.field) for e in parsed.errors}
    assert found == {
        (2, "UPN"),  # wrong check letter
        (3, "Legal Surname"),  # missing (a "?")
        (3, "DOB"),  # 31/02/2017
        (4, "DOB"),  # a two-digit year
        (5, "Year"),  # "Q"
        (7, None),  # an unquoted comma: one value too many
        (8, "UPN"),  # the UPN of line 6 again
    }
    messages = {e.row: e.describe() for e in parsed.errors if e.field in ("UPN", None)}
    assert messages[2] == (
        "sims_pupils_errors.csv, line 2, UPN: UPN “A873210120011” has the wrong check letter."
    )
    assert "also on line 6" in messages[8]
    assert "header has 9 columns" in messages[7]
    assert all(e.unit == "line" for e in parsed.errors)
    # Only sound rows become pupils (a repeat is refused later, with the whole import).
    assert [p.legal_forename for p in parsed.pupils] == ["Tegan", "Juno"]


def test_a_file_without_a_required_column_is_refused_at_its_header() -> None:
    text = "Adno,Legal Forename,Legal Surname\r\n001,Ada,Quill\r\n"
    parsed = read([InputFile("short.csv", text.encode())], Kind.PUPILS, Source.SIMS)
    assert [(e.row, e.message) for e in parsed.errors if e.field is None] == [
        (1, "No column gives the date of birth (looked for: DOB, Date of Birth).")
    ]


def test_a_column_given_twice_is_refused() -> None:
    text = "Legal Forename,Legal Surname,DOB,dob \r\nAda,Quill,01/02/2016,02/02/2016\r\n"
    parsed = read([InputFile("twice.csv", text.encode())], Kind.PUPILS, Source.SIMS)
    assert [(e.row, e.field) for e in parsed.errors] == [(1, "dob")]


def test_an_excel_unicode_text_file_is_read() -> None:
    # Excel's "Unicode Text": UTF-16 with a byte-order mark, tab-separated.
    text = (FIXTURES / "sims_pupils.csv").read_text(encoding="utf-8-sig").replace(",", "\t")
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    parsed = read([InputFile("pupils.txt", data)], Kind.PUPILS, Source.SIMS)
    assert parsed.errors == []
    assert len(parsed.pupils) == 10


# -- Bromcom and Arbor ---------------------------------------------------------------------------
def test_a_bromcom_export_gives_legal_names_and_keeps_admission_numbers_as_text() -> None:
    parsed = read(("bromcom_pupils.csv",), Kind.PUPILS, Source.BROMCOM)
    assert parsed.errors == []
    enzo = next(p for p in parsed.pupils if p.surname == "Marchetti")
    assert (enzo.legal_forename, enzo.preferred_forename, enzo.admission_number) == (
        "Lorenzo",
        "Enzo",
        "004101",
    )
    assert enzo.year_group == "Year 7"
    assert enzo.leaving_date is None


def test_an_arbor_export_is_read_with_its_assumed_captions() -> None:
    parsed = read(("arbor_pupils.csv",), Kind.PUPILS, Source.ARBOR)
    assert parsed.errors == []
    ben = next(p for p in parsed.pupils if p.surname == "Sauer")
    assert (ben.mis_id, ben.legal_forename, ben.preferred_forename) == (
        "STU-10443",
        "Benedikt",
        "Ben",
    )
    assert ben.admission_number == "02216"
    assert ben.admission_date == date(2024, 9, 5)


# -- mapping files ------------------------------------------------------------------------------
def test_another_mis_is_read_through_its_mapping_file() -> None:
    mapping = load_mapping(FIXTURES / "other_mis.yaml")
    parsed = read(("other_mis_pupils.csv",), Kind.PUPILS, Source.MAPPING, mapping=mapping)
    assert parsed.errors == []
    names = [(p.legal_forename, p.surname, p.date_of_birth) for p in parsed.pupils]
    # Windows-1252 text, semicolons and dates written 09.09.2016.
    assert names == [
        ("Zoë", "Ashworth", date(2016, 9, 9)),
        ("Rhiannon", "Pryce-Jones", date(2018, 1, 23)),
        ("Matías", "Echeverría", date(2019, 12, 12)),
    ]
    assert parsed.pupils[1].preferred_forename == "Rhi"
    assert parsed.pupils[0].mis_id == "P-0001"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("columns: {shoe_size: Shoe}", "'shoe_size' is not a field we import"),
        ("kind: pupils\ncolumns: {email: E-mail}", "'email' is not a field we import"),
        ("kind: teachers\ncolumns: {}", "kind should be pupils, staff or contacts"),
        ("columns: {upn: 12}", "should be text or a list of text"),
        ("roles: {Head: headteacher}", "leadership roles are given by hand"),
        ("- a list", "should be a YAML mapping"),
        ("columns: [", "is not valid YAML"),
    ],
)
def test_a_mapping_file_that_cannot_be_used_says_why(text: str, problem: str) -> None:
    with pytest.raises(MappingError, match=problem):
        parse_mapping(text, "test.yaml")


def test_a_mapping_for_one_kind_is_refused_for_another() -> None:
    mapping = load_mapping(FIXTURES / "other_mis.yaml")
    with pytest.raises(MappingError, match="is for pupils, not staff"):
        read(("sims_staff.csv",), Kind.STAFF, Source.MAPPING, mapping=mapping)


# -- staff and contacts -------------------------------------------------------------------------
def test_sims_staff_come_with_roles_by_their_role_text_and_a_line_manager() -> None:
    parsed = read(("sims_staff.csv",), Kind.STAFF, Source.SIMS)
    assert parsed.errors == []
    staff = {m.surname: m for m in parsed.staff}
    assert staff["Kapoor"].email == "r.kapoor@meadowbank.example.org"  # lower case
    assert staff["Kapoor"].role is SchoolRole.STAFF_TEACHER
    assert staff["Forsyth"].role is SchoolRole.STAFF_SUPPORT  # a teaching assistant
    assert staff["Whyte"].role is SchoolRole.STAFF_SUPPORT
    assert staff["Brannigan"].role is SchoolRole.SUPPLY
    assert staff["Forsyth"].line_manager == "r.kapoor@meadowbank.example.org"
    assert staff["Kapoor"].staff_code == "RKA"
    assert staff["Kapoor"].start_date == date(2021, 9, 1)
    assert staff["Kapoor"].leaving_date is None


def test_a_staff_row_without_a_valid_email_is_an_error_on_that_row() -> None:
    text = (FIXTURES / "sims_staff.csv").read_text(encoding="utf-8-sig")
    text = text.replace("e.forsyth@meadowbank.example.org", "e.forsyth at meadowbank")
    parsed = read([InputFile("staff.csv", text.encode())], Kind.STAFF, Source.SIMS)
    assert [(e.row, e.field) for e in parsed.errors] == [(4, "Work Email")]


def test_bromcom_and_arbor_staff_reports_are_read_with_their_assumed_captions() -> None:
    bromcom = (
        "Staff ID,Title,First Name,Last Name,Preferred First Name,Email Address,Job Title,"
        "Start Date,Leaving Date\r\n"
        "0417,Mrs,Philippa,Ormerod,Pippa,P.Ormerod@brookside.example.org,Teacher of Music,"
        "01/09/2019,\r\n"
    )
    arbor = (
        "Arbor Staff ID,Title,Legal First Name,First Name,Last Name,Work Email,Staff Type,"
        "Line Manager Email\r\n"
        "STF-88,Mr,Lancelot,Lance,Pybus,l.pybus@brookside.example.org,Support,"
        "p.ormerod@brookside.example.org\r\n"
    )
    first = read([InputFile("b.csv", bromcom.encode())], Kind.STAFF, Source.BROMCOM)
    second = read([InputFile("a.csv", arbor.encode())], Kind.STAFF, Source.ARBOR)
    assert first.errors == [] and second.errors == []
    pippa, lance = first.staff[0], second.staff[0]
    assert (pippa.name, pippa.email, pippa.mis_id, pippa.role) == (
        "Pippa Ormerod",
        "p.ormerod@brookside.example.org",
        "0417",
        SchoolRole.STAFF_TEACHER,
    )
    assert (lance.name, lance.role, lance.line_manager) == (
        "Lance Pybus",
        SchoolRole.STAFF_SUPPORT,
        "p.ormerod@brookside.example.org",
    )


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Class Teacher", SchoolRole.STAFF_TEACHER),
        ("Assistant Headteacher", SchoolRole.STAFF_TEACHER),
        ("Teaching Assistant", SchoolRole.STAFF_SUPPORT),
        ("HLTA", SchoolRole.STAFF_SUPPORT),
        ("Supply Teacher", SchoolRole.SUPPLY),
        ("Site Manager", SchoolRole.STAFF_SUPPORT),
        (None, SchoolRole.STAFF_SUPPORT),
    ],
)
def test_a_role_text_gives_teacher_support_or_supply(text: str | None, role: SchoolRole) -> None:
    assert role_from_text(text, {}, SchoolRole.STAFF_SUPPORT) is role


def test_a_mapping_file_names_roles_the_words_would_not() -> None:
    mapping = parse_mapping("kind: staff\nroles: {Site Manager: staff_teacher}")
    assert role_from_text("site  manager", mapping.roles, SchoolRole.STAFF_SUPPORT) is (
        SchoolRole.STAFF_TEACHER
    )


def test_sims_contacts_are_joined_into_one_contact_per_parent_with_each_child() -> None:
    parsed = read(("sims_contacts.csv",), Kind.CONTACTS, Source.SIMS)
    assert parsed.errors == []
    assert len(parsed.contacts) == 8
    helena = next(c for c in parsed.contacts if c.forename == "Helena")
    assert helena.email == "helena.hargreaves@example.net"
    assert [(ln.pupil.upn, ln.relationship, ln.parental_responsibility) for ln in helena.links] == [
        ("T873210116008", "Mother", True)
    ]
    bisi = next(c for c in parsed.contacts if c.forename == "Bisi")
    assert bisi.links[0].parental_responsibility is False
    assert bisi.email is None


# -- Wonde --------------------------------------------------------------------------------------
WONDE_PUPILS = (
    "wonde_students_page2.json",
    "wonde_students_page1.json",
    "wonde_students_leavers.json",
)


def test_wonde_pages_in_any_order_and_leavers_are_read_together() -> None:
    parsed = read(WONDE_PUPILS, Kind.PUPILS, Source.WONDE)
    assert parsed.errors == []
    pupils = {p.mis_id: p for p in parsed.pupils}
    assert set(pupils) == {
        "A1503912347",
        "A2094811276",
        "A3318820045",
        "A0981277310",
        "A0877712204",
    }
    kit = pupils["A1503912347"]
    # forename and surname are the preferred names; legal_* the legal ones.
    assert (kit.legal_forename, kit.preferred_forename, kit.surname) == (
        "Christopher",
        "Kit",
        "Ashdown-Vale",
    )
    assert (kit.upn, kit.admission_number, kit.year_group) == ("L873410323101", "000412", "Year 9")
    priya = pupils["A2094811276"]
    # Legal names null: the preferred ones stand in. Born at 23:00 UTC on 8 May, which is
    # midnight on 9 May in London.
    assert (priya.legal_forename, priya.preferred_forename) == ("Priya", None)
    assert priya.date_of_birth == date(2012, 5, 9)
    assert pupils["A0981277310"].leaving_date == date(2025, 7, 18)
    assert pupils["A0981277310"].year_group is None
    assert [
        e.unit for e in read(("wonde_students_page1.json",), Kind.PUPILS, Source.WONDE).errors
    ] == ["record"]


def test_a_missing_wonde_page_is_an_error() -> None:
    parsed = read(("wonde_students_page1.json",), Kind.PUPILS, Source.WONDE)
    assert [e.message for e in parsed.errors] == [
        "Page 1 of the students list says there is a page 2, which is missing."
    ]
    parsed = read(("wonde_students_page2.json",), Kind.PUPILS, Source.WONDE)
    assert [e.message for e in parsed.errors] == [
        "Page 1 of the students list is missing; give every page."
    ]
    twice = files("wonde_students_page1.json", "wonde_students_page2.json")
    twice.append(InputFile("again.json", twice[0].data))
    parsed = read(twice, Kind.PUPILS, Source.WONDE)
    assert {e.file for e in parsed.errors} == {"again.json"}
    assert "Page 1 of the students list was given twice" in parsed.errors[0].message
    # Its records are repeats too: the same UPNs and MIS ids as page 1's.
    assert sum("is also on" in e.message for e in parsed.errors) == 4


def test_a_file_that_is_not_a_wonde_response_is_an_error() -> None:
    parsed = read(
        [InputFile("a.json", b"{not json"), InputFile("b.json", b'{"students": []}')],
        Kind.PUPILS,
        Source.WONDE,
    )
    assert [(e.file, e.unit) for e in parsed.errors] == [("a.json", "record"), ("b.json", "record")]
    assert "not a Wonde response" in parsed.errors[1].message


def test_wonde_employees_are_teachers_or_support_by_their_teaching_flag() -> None:
    parsed = read(("wonde_employees.json",), Kind.STAFF, Source.WONDE)
    assert parsed.errors == []
    staff = {m.surname: m for m in parsed.staff}
    assert staff["Quill"].role is SchoolRole.STAFF_TEACHER
    assert staff["Farrant"].role is SchoolRole.STAFF_SUPPORT
    assert (staff["Quill"].email, staff["Quill"].staff_code, staff["Quill"].mis_id) == (
        "h.quill@hillcrest.example.org",
        "HQU",
        "A5511092834",
    )
    assert staff["Amadi"].leaving_date == date(2025, 8, 31)


def test_wonde_contacts_bring_each_link_with_relationship_and_responsibility() -> None:
    parsed = read(("wonde_contacts.json",), Kind.CONTACTS, Source.WONDE)
    assert parsed.errors == []
    tobias = next(c for c in parsed.contacts if c.forename == "Tobias")
    assert tobias.key == "B7712034004"
    assert tobias.email is None
    assert [
        (ln.pupil.mis_id, ln.relationship, ln.parental_responsibility) for ln in tobias.links
    ] == [
        ("A3318820045", "Step-father", False),
        ("A1503912347", "Other relative", False),
    ]


# -- single values ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25/11/2026", date(2026, 11, 25)),
        ("5/9/2021", date(2021, 9, 5)),
        ("25-11-2026", date(2026, 11, 25)),
        ("25/11/2026 00:00", date(2026, 11, 25)),
        ("2026-11-25", date(2026, 11, 25)),
        ("2026-11-25 00:00:00.000000", date(2026, 11, 25)),
        ("25-Nov-2026", date(2026, 11, 25)),
        ("25 November 2026", date(2026, 11, 25)),
        ("06/06/2079", None),
        ("31/12/9999", None),
    ],
)
def test_dates_are_read_the_uk_way(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("11/25/2026", "not a real date"),
        ("25/11/26", "two-digit year"),
        ("yesterday", "is not a date"),
        ("31 Febtober 2026", "is not a date"),
    ],
)
def test_a_date_that_cannot_be_read_says_why(text: str, problem: str) -> None:
    with pytest.raises(FieldProblem, match=problem):
        parse_date(text)


def test_upns_are_checked_by_their_check_letter() -> None:
    assert parse_upn("t873210116008") == "T873210116008"
    assert parse_upn("T 8732 1011 6008") == "T873210116008"
    # A temporary UPN ends in a letter.
    temporary = "873210116" + "00A"
    from stdnum.gb import upn as stdnum_upn

    assert parse_upn(stdnum_upn.calc_check_digit(temporary) + temporary).endswith("00A")
    # An authority made after python-stdnum's 2011 list is accepted when the letter is right.
    newer = "941" + "2001" + "24" + "001"
    assert parse_upn(stdnum_upn.calc_check_digit(newer) + newer) == (
        stdnum_upn.calc_check_digit(newer) + newer
    )
    for bad, problem in (
        ("A873210116008", "wrong check letter"),
        ("T87321011600", "13 characters"),
        ("T8732101160X8", "11 digits"),
        ("A941200124001", "wrong check letter"),
    ):
        with pytest.raises(FieldProblem, match=problem):
            parse_upn(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("R", "Reception"),
        ("Rec", "Reception"),
        ("N1", "Nursery"),
        ("7", "Year 7"),
        ("07", "Year 7"),
        ("Year 10", "Year 10"),
        ("Yr 3", "Year 3"),
        ("Y6", "Year 6"),
        ("NC Year 12", "Year 12"),
    ],
)
def test_year_groups_are_named_as_screening_names_them(text: str, expected: str) -> None:
    assert parse_year_group(text) == expected


@pytest.mark.parametrize("text", ["Q", "Year 15", "0", "X"])
def test_an_unknown_year_group_is_refused(text: str) -> None:
    with pytest.raises(FieldProblem):
        parse_year_group(text)


def test_small_readers() -> None:
    assert clean_cell("  ? ") is None
    assert clean_cell('="007"') == "007"
    assert clean_cell("N/A") is None
    assert parse_email(" A.B@Example.org; c@example.org") == "a.b@example.org"
    with pytest.raises(FieldProblem):
        parse_email("a.b@example")
    assert parse_yes_no("Yes") is True
    assert parse_yes_no("F") is False
    with pytest.raises(FieldProblem):
        parse_yes_no("perhaps")
