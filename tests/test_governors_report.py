"""The governors' report: its figures from a seeded database (SQLite and PostgreSQL), the SVG
charts, the CSV, the PDF rendered to PNG and read back, the web pages and the CLI.

Every row is seeded here, directly in the store, with dates relative to the report's day, so
each expected figure below can be checked by reading the seed. People are invented.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from stdnum import luhn

from boundaries.accounts.sessions import start_session
from boundaries.policy import PolicyPack, bundled_pack_path, load_pack
from boundaries.reports import charts
from boundaries.reports.exports import school_csv, trust_csv
from boundaries.reports.governors import (
    ROLE_GROUPS,
    Completion,
    SchoolReport,
    group_of,
    school_report,
    trust_report,
    uk_today,
)
from boundaries.reports.pdf import school_report_pdf, trust_report_pdf
from boundaries.store import (
    Acknowledgement,
    Declaration,
    DeclarationStatus,
    DeclarationSubject,
    DeviceStatus,
    Membership,
    Person,
    PersonKind,
    PolicyEdition,
    School,
    SchoolRole,
    StaffDevice,
    TrainingKind,
    TrainingRecord,
    Trust,
    TrustKind,
    TrustRole,
    TrustRoleKind,
    create_db_engine,
    session_factory,
    upgrade,
)
from boundaries.web.app import create_app
from boundaries.web.auth import SESSION_COOKIE
from boundaries.web.settings import WebSettings
from tests.databases import empty_database
from tests.test_cli import run
from tests.web_support import SECRET_KEY

SVG = "{http://www.w3.org/2000/svg}"
STL = "Safe to Learn: cyberbullying guidance"
BRIEFING = "Online safety briefing"
_serial = iter(range(10_000, 99_999))


def imei() -> str:
    """A fresh, valid IMEI (14 digits and a Luhn check digit)."""
    body = f"3520990{next(_serial):07d}"
    return body + luhn.calc_check_digit(body)


@dataclass
class Seeded:
    url: str
    today: date
    westvale: int = 0
    eastmoor: int = 0
    meadowbank: int = 0
    hillcrest: int = 0
    brookside: int = 0
    people: dict[str, int] = field(default_factory=dict)  # nickname -> person id
    emails: dict[str, str] = field(default_factory=dict)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 30), tzinfo=UTC)


def seed(url: str, today: date) -> Seeded:
    """Meadowbank (Westvale) with everyone its figures need; Hillcrest (Westvale) with no
    published edition; Brookside (Eastmoor) whose edition keeps its review date in the pack."""
    upgrade(url)
    engine = create_db_engine(url)
    out = Seeded(url, today)

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    try:
        with session_factory(engine)() as s:
            westvale = Trust(name="Westvale Learning Trust", kind=TrustKind.ACADEMY_TRUST)
            eastmoor = Trust(name="Eastmoor Council", kind=TrustKind.COUNCIL)
            s.add_all([westvale, eastmoor])
            s.flush()
            meadowbank = School(
                trust_id=westvale.id,
                name="Meadowbank Primary School",
                urn="900101",
                local_authority="Westvale",
            )
            hillcrest = School(
                trust_id=westvale.id,
                name="Hillcrest Academy",
                urn="900102",
                local_authority="Westvale",
            )
            brookside = School(
                trust_id=eastmoor.id,
                name="Brookside School",
                urn="900201",
                local_authority="Eastmoor",
            )
            s.add_all([meadowbank, hillcrest, brookside])
            s.flush()
            out.westvale, out.eastmoor = westvale.id, eastmoor.id
            out.meadowbank, out.hillcrest, out.brookside = meadowbank.id, hillcrest.id, brookside.id

            def person(
                nick: str,
                name: str,
                school: School | None,
                *roles: SchoolRole,
                kind: PersonKind = PersonKind.STAFF,
                disabled: bool = False,
            ) -> Person:
                email = f"{name.lower().replace(' ', '.')}@example.org"
                p = Person(
                    name=name,
                    email=email,
                    kind=kind,
                    disabled_at=_at(ago(3)) if disabled else None,
                )
                s.add(p)
                s.flush()
                for role in roles:
                    assert school is not None
                    s.add(Membership(person_id=p.id, school_id=school.id, role=role))
                out.people[nick] = p.id
                out.emails[nick] = email
                return p

            R = SchoolRole
            t1 = person("teacher1", "Aisha Pemberton", meadowbank, R.STAFF_TEACHER)
            t2 = person("teacher2", "Callum Fairweather", meadowbank, R.STAFF_TEACHER)
            manager = person(
                "manager", "Deborah Lisle", meadowbank, R.STAFF_TEACHER, R.LINE_MANAGER
            )
            head = person("head", "Edwin Thackray", meadowbank, R.HEADTEACHER)
            support = person("support", "Fern Oakhurst", meadowbank, R.STAFF_SUPPORT)
            hr = person("hr", "Gideon Marchbank", meadowbank, R.HR)
            supply = person("supply", "Hollie Brackwell", meadowbank, R.SUPPLY)
            governor = person(
                "governor", "Ivor Penhallow", meadowbank, R.GOVERNOR, kind=PersonKind.GOVERNOR
            )
            staff_governor = person(
                "staff_governor", "Jasmine Quarrie", meadowbank, R.STAFF_TEACHER, R.GOVERNOR
            )
            person(
                "contractor", "Kit Lowther", meadowbank, R.CONTRACTOR, kind=PersonKind.CONTRACTOR
            )
            volunteer = person(
                "volunteer", "Lorna Fenwick", meadowbank, R.VOLUNTEER, kind=PersonKind.VOLUNTEER
            )
            leaver = person("leaver", "Magnus Tregear", meadowbank, R.STAFF_TEACHER, disabled=True)
            hillcrest_teacher = person(
                "hillcrest_teacher", "Harriet Quayle", hillcrest, R.STAFF_TEACHER
            )
            person("brookside_teacher", "Bilal Ormsby", brookside, R.STAFF_TEACHER)
            officer = person("trust_admin", "Nadia Westbrook", None, kind=PersonKind.TRUST_OFFICER)
            s.add(
                TrustRole(
                    person_id=officer.id, trust_id=westvale.id, role=TrustRoleKind.TRUST_ADMIN
                )
            )
            s.flush()

            # Editions: an old one, the current one (its review date passed), a newer draft.
            old = PolicyEdition(
                school_id=meadowbank.id,
                version="2025.1",
                pack_yaml="not read",
                sha256="a" * 64,
                review_date=ago(90),
                published_at=_at(ago(400)),
            )
            current = PolicyEdition(
                school_id=meadowbank.id,
                version="2026.1",
                pack_yaml="not read",
                sha256="b" * 64,
                review_date=ago(24),
                published_at=_at(ago(60)),
            )
            draft = PolicyEdition(
                school_id=meadowbank.id,
                version="2027.1",
                pack_yaml="not read",
                sha256="c" * 64,
                review_date=today + timedelta(days=300),
            )
            hillcrest_draft = PolicyEdition(
                school_id=hillcrest.id, version="H1", pack_yaml="not read", sha256="d" * 64
            )
            pack_text = bundled_pack_path().read_text(encoding="utf-8")
            review_in_pack = (today + timedelta(days=200)).isoformat()
            brookside_edition = PolicyEdition(
                school_id=brookside.id,
                version="B1",
                pack_yaml=re.sub(
                    r"^review_date:.*$", f"review_date: {review_in_pack}", pack_text, flags=re.M
                ),
                sha256="e" * 64,
                review_date=None,
                published_at=_at(ago(10)),
            )
            s.add_all([old, current, draft, hillcrest_draft, brookside_edition])
            s.flush()
            for p in (t1, manager, head, hr, governor, staff_governor, volunteer, leaver, officer):
                s.add(
                    Acknowledgement(
                        edition_id=current.id, person_id=p.id, acknowledged_at=_at(ago(30))
                    )
                )
            for p in (t2, support):  # the old edition only: they owe the current one
                s.add(
                    Acknowledgement(
                        edition_id=old.id, person_id=p.id, acknowledged_at=_at(ago(380))
                    )
                )
            s.add(Acknowledgement(edition_id=draft.id, person_id=supply.id))

            # Declarations: two awaiting a decision, two decided; Hillcrest's is not Meadowbank's.
            for who, status, days in (
                (t1, DeclarationStatus.PENDING, 55),
                (support, DeclarationStatus.PENDING, 5),
                (t2, DeclarationStatus.ACCEPTED, 80),
                (manager, DeclarationStatus.WITHDRAWN, 70),
                (hillcrest_teacher, DeclarationStatus.PENDING, 200),
            ):
                s.add(
                    Declaration(
                        school_id=hillcrest.id if who is hillcrest_teacher else meadowbank.id,
                        person_id=who.id,
                        subject=DeclarationSubject.PARENT,
                        subject_name="Rowena Ashdown",
                        platform="Facebook",
                        nature="Friends since university",
                        reason="We were at university together before her son joined the school.",
                        status=status,
                        created_at=_at(ago(days)),
                        updated_at=_at(ago(days)),
                    )
                )

            # Training: three overdue records for two people, three not yet due, one done.
            def training(
                who: Person,
                course: str,
                due: date | None,
                done: date | None = None,
                school: School = meadowbank,
            ) -> None:
                kind = TrainingKind.READING if course == STL else TrainingKind.SESSION
                s.add(
                    TrainingRecord(
                        school_id=school.id,
                        person_id=who.id,
                        course=course,
                        kind=kind,
                        due_date=due,
                        completed_on=done,
                    )
                )

            training(t1, STL, ago(55))
            training(t2, STL, ago(55))
            training(t2, BRIEFING, ago(24))
            training(support, STL, today + timedelta(days=36))
            training(hr, STL, ago(55), done=ago(56))
            training(head, BRIEFING, None)
            training(volunteer, STL, today)  # due today: not yet overdue
            training(leaver, STL, ago(55))  # a leaver's: not counted
            training(hillcrest_teacher, STL, ago(55), school=hillcrest)

            # Devices: of eight staff, only the first teacher and the head have a phone in use.
            def device(who: Person, status: DeviceStatus, school: School = meadowbank) -> None:
                s.add(
                    StaffDevice(
                        school_id=school.id,
                        person_id=who.id,
                        imei=imei(),
                        make="Fairphone",
                        model="5",
                        status=status,
                    )
                )

            device(t1, DeviceStatus.IN_USE)
            device(t2, DeviceStatus.LOST)
            device(head, DeviceStatus.RETIRED)
            device(head, DeviceStatus.IN_USE)
            device(support, DeviceStatus.STOLEN)
            device(hr, DeviceStatus.IN_USE, school=hillcrest)  # another school's register
            device(volunteer, DeviceStatus.IN_USE)  # not staff
            s.commit()
    finally:
        engine.dispose()
    return out


TODAY = date(2026, 11, 25)
EXPECTED_GROUPS = {
    # key: (acknowledged, people)
    "teachers": (2, 3),  # teacher1 and the staff governor; teacher2 read only the old edition
    "support_staff": (1, 2),  # HR has, support has not
    "supply": (0, 1),  # acknowledged the unpublished draft only
    "governors": (1, 1),
    "contractors": (0, 1),
    "volunteers": (1, 1),
    "leaders": (2, 2),  # the line manager (also a teacher) and the head
}


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Seeded]:
    databases = empty_database(request.param, tmp_path, prefix="reports")
    url = next(databases)
    try:
        yield seed(url, TODAY)
    finally:
        next(databases, None)


@pytest.fixture(scope="module")
def fixed(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    """The same world on SQLite alone, for what does not depend on the database (files, PDF)."""
    return seed(f"sqlite:///{tmp_path_factory.mktemp('reports') / 'store.sqlite3'}", TODAY)


def report_for(
    seeded: Seeded, school_id: int, fallback_pack: PolicyPack | None = None
) -> SchoolReport:
    engine = create_db_engine(seeded.url)
    try:
        with session_factory(engine)() as session:
            return school_report(session, school_id, seeded.today, fallback_pack=fallback_pack)
    finally:
        engine.dispose()


# -- the figures ---------------------------------------------------------------------------------
def test_every_school_role_falls_in_exactly_one_reported_group() -> None:
    for role in SchoolRole:
        assert group_of([role]).roles >= {role}
    assert group_of([SchoolRole.STAFF_TEACHER, SchoolRole.LINE_MANAGER]).key == "leaders"
    assert group_of([SchoolRole.GOVERNOR, SchoolRole.STAFF_TEACHER]).key == "teachers"
    assert [g.key for g in ROLE_GROUPS] == [
        "teachers",
        "support_staff",
        "supply",
        "governors",
        "contractors",
        "volunteers",
        "leaders",
    ]


def test_the_figures_are_read_from_the_registers(seeded: Seeded) -> None:
    report = report_for(seeded, seeded.meadowbank)
    assert report.school_name == "Meadowbank Primary School"
    assert report.trust_name == "Westvale Learning Trust"
    # The newest published edition is current; the unpublished draft is not.
    assert report.policy.version == "2026.1"
    assert report.policy.review_date == TODAY - timedelta(days=24)
    assert report.policy.review_passed
    assert {g.key: (g.acknowledged, g.people) for g in report.groups} == EXPECTED_GROUPS
    # The leaver and the trust officer acknowledged too, but are not counted.
    assert (report.acknowledgements.acknowledged, report.acknowledgements.people) == (7, 11)
    assert report.acknowledgements.percent == 63.6
    assert report.declarations_open == 2
    assert report.declarations_total == 4
    assert report.oldest_open_declaration == TODAY - timedelta(days=55)
    assert report.training_overdue == 3
    assert report.people_with_overdue_training == 2
    assert [(c.course, c.overdue) for c in report.overdue_by_course] == [(STL, 2), (BRIEFING, 1)]
    assert report.training_not_yet_due == 3
    assert report.training_completed == 1
    assert report.staff == 8
    assert report.devices_unrecorded == 6
    assert report.devices_lost_or_stolen == 2


def test_a_school_without_a_published_edition_uses_the_fallback_pack(seeded: Seeded) -> None:
    pack = load_pack().model_copy(update={"review_date": TODAY - timedelta(days=1)})
    report = report_for(seeded, seeded.hillcrest, fallback_pack=pack)
    assert not report.policy.in_boundaries
    assert report.policy.review_date == TODAY - timedelta(days=1)
    assert report.policy.review_passed
    assert (report.acknowledgements.acknowledged, report.acknowledgements.people) == (0, 1)
    assert report.declarations_open == 1
    assert report.training_overdue == 1
    # With the bundled pack, which sets no review date, nothing has passed.
    bundled = report_for(seeded, seeded.hillcrest)
    assert bundled.policy.review_date is None and not bundled.policy.review_passed


def test_an_edition_without_its_own_review_date_takes_the_packs(seeded: Seeded) -> None:
    report = report_for(seeded, seeded.brookside)
    assert report.policy.version == "B1"
    assert report.policy.review_date == TODAY + timedelta(days=200)
    assert not report.policy.review_passed


def test_the_trust_report_has_every_school_of_the_trust_and_no_other(seeded: Seeded) -> None:
    engine = create_db_engine(seeded.url)
    try:
        with session_factory(engine)() as session:
            report = trust_report(session, seeded.westvale, TODAY)
            with pytest.raises(LookupError):
                trust_report(session, 999_999, TODAY)
    finally:
        engine.dispose()
    assert [s.school_name for s in report.schools] == [
        "Hillcrest Academy",
        "Meadowbank Primary School",
    ]
    totals = report.totals
    assert (totals.acknowledged, totals.people) == (7, 12)
    assert totals.declarations_open == 3
    assert totals.training_overdue == 4
    assert (totals.devices_unrecorded, totals.staff) == (7, 9)
    assert totals.reviews_passed == 1
    assert totals.schools_without_edition == 1


# -- the charts ----------------------------------------------------------------------------------
def _meadowbank_groups() -> list[Completion]:
    return [
        Completion(key, next(g.label for g in ROLE_GROUPS if g.key == key), done, people)
        for key, (done, people) in EXPECTED_GROUPS.items()
    ]


def test_the_completion_chart_is_an_accessible_svg_with_one_bar_per_group() -> None:
    svg = ET.fromstring(str(charts.completion_chart(_meadowbank_groups(), chart_id="c1")))
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Policy acknowledgements by group"
    # The description states every figure for a screen reader.
    assert desc.text is not None
    assert "Teachers: 2 of 3 (66.7%)" in desc.text and "Contractors: 0 of 1 (0%)" in desc.text
    bars = svg.findall(f".//{SVG}g[@class='bar']")
    assert [bar.get("data-key") for bar in bars] == list(EXPECTED_GROUPS)
    for bar in bars:
        done, people = EXPECTED_GROUPS[bar.get("data-key", "")]
        track = bar.find(f"{SVG}rect[@class='track']")
        fill = bar.find(f"{SVG}rect[@class='fill']")
        assert track is not None
        if done == 0:
            assert fill is None
        else:
            assert fill is not None
            share = float(fill.get("width", "0")) / float(track.get("width", "1"))
            assert share == pytest.approx(done / people, abs=0.01)
            # A hatch, not a colour alone, so the bar survives a greyscale printer.
            assert fill.get("fill", "").startswith("url(#")
        # Each bar says its figures in words.
        texts = ["".join(t.itertext()) for t in bar.findall(f"{SVG}text")]
        assert f"{done} of {people}" in texts[-1]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_chart_text_and_bars_meet_wcag_contrast_on_white() -> None:
    for colour, needed in ((charts.INK, 4.5), (charts.GRID, 4.5), (charts.BAR_INK, 3.0)):
        ratio = 1.05 / (_luminance(colour) + 0.05)
        assert ratio >= needed, (colour, ratio)


def test_chart_labels_are_escaped_and_ids_checked() -> None:
    bars = [charts.Bar("x", "<script>alert(1)</script> & Co", 1, 2)]
    svg = str(charts.bar_chart(bars, chart_id="c2", title="T <b>", description="D"))
    parsed = ET.fromstring(svg)  # still well-formed XML
    assert "<script>" not in svg
    assert parsed.find(f"{SVG}title") is not None
    with pytest.raises(ValueError):
        charts.bar_chart(bars, chart_id='x" onload="alert(1)', title="T", description="D")


def test_the_schools_chart_has_one_bar_per_school(fixed: Seeded) -> None:
    engine = create_db_engine(fixed.url)
    try:
        with session_factory(engine)() as session:
            report = trust_report(session, fixed.westvale, TODAY)
    finally:
        engine.dispose()
    svg = ET.fromstring(str(charts.schools_chart(report.schools)))
    labels = [
        "".join(bar.findall(f"{SVG}text")[0].itertext())
        for bar in svg.findall(f".//{SVG}g[@class='bar']")
    ]
    assert labels == ["Hillcrest Academy", "Meadowbank Primary School"]


# -- CSV -----------------------------------------------------------------------------------------
def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")  # for Excel
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_school_csv_has_the_header_and_one_row_of_figures(fixed: Seeded) -> None:
    text = school_csv(report_for(fixed, fixed.meadowbank))
    header = next(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert header[:11] == [
        "school",
        "urn",
        "report_date",
        "edition_in_boundaries",
        "policy_version",
        "policy_published_on",
        "policy_review_date",
        "policy_review_passed",
        "people",
        "acknowledged",
        "acknowledged_percent",
    ]
    assert header[-4:] == [
        "people_with_overdue_training",
        "staff",
        "devices_unrecorded",
        "devices_lost_or_stolen",
    ]
    (row,) = read_csv(text)
    assert row["school"] == "Meadowbank Primary School"
    assert row["report_date"] == "2026-11-25"
    assert row["policy_published_on"] == (TODAY - timedelta(days=60)).isoformat()
    assert row["policy_review_passed"] == "yes"
    assert (row["people"], row["acknowledged"], row["acknowledged_percent"]) == ("11", "7", "63.6")
    for key, (done, people) in EXPECTED_GROUPS.items():
        assert (row[f"{key}_acknowledged"], row[f"{key}_people"]) == (str(done), str(people))
    assert row["declarations_open"] == "2"
    assert row["oldest_open_declaration"] == (TODAY - timedelta(days=55)).isoformat()
    assert (row["training_overdue"], row["devices_unrecorded"]) == ("3", "6")


def test_the_trust_csv_has_a_row_per_school_and_the_totals(fixed: Seeded) -> None:
    engine = create_db_engine(fixed.url)
    try:
        with session_factory(engine)() as session:
            report = trust_report(session, fixed.westvale, TODAY)
    finally:
        engine.dispose()
    rows = read_csv(trust_csv(report))
    assert [r["school"] for r in rows] == [
        "Hillcrest Academy",
        "Meadowbank Primary School",
        "All schools",
    ]
    hillcrest, meadowbank, totals = rows
    assert hillcrest["edition_in_boundaries"] == "no"
    assert (hillcrest["acknowledged"], hillcrest["acknowledged_percent"]) == ("0", "0.0")
    for column in ("people", "acknowledged", "teachers_people", "declarations_open", "staff"):
        assert int(totals[column]) == int(hillcrest[column]) + int(meadowbank[column]), column


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example","x")', "+1", "-2", "@SUM(A1)"])
def test_a_formula_in_a_school_name_is_not_a_formula_in_the_csv(fixed: Seeded, name: str) -> None:
    report = dataclasses.replace(report_for(fixed, fixed.hillcrest), school_name=name)
    (row,) = read_csv(school_csv(report))
    assert row["school"] == "'" + name


# -- the PDF -------------------------------------------------------------------------------------
def pdf_pages(pdf: bytes, folder: Path, name: str) -> list[tuple[str, Image.Image]]:
    """Each page's text and its rendering (saved as PNG under ``folder``)."""
    assert pdf.startswith(b"%PDF-")
    document = pdfium.PdfDocument(pdf)
    pages: list[tuple[str, Image.Image]] = []
    try:
        for number in range(len(document)):
            page = document[number]
            width, height = page.get_size()
            assert (round(width), round(height)) == (595, 842)  # A4 in points
            textpage = page.get_textpage()
            text = " ".join(textpage.get_text_range().split())
            image = page.render(scale=1).to_pil()
            image.save(folder / f"{name}-{number + 1}.png")
            pages.append((text, image))
            textpage.close()
            page.close()
    finally:
        document.close()
    return pages


def ink(image: Image.Image) -> float:
    """The share of a page's pixels that are not near-white."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return sum(histogram[:200]) / (grey.width * grey.height)


def test_the_school_pdf_has_the_headings_on_printed_a4_pages(fixed: Seeded, tmp_path: Path) -> None:
    report = report_for(fixed, fixed.meadowbank)
    pages = pdf_pages(school_report_pdf(report), tmp_path, "school")
    assert len(pages) >= 1
    whole = " ".join(text for text, _ in pages)
    for heading in (
        "Governors' report",
        "Policy acknowledgements",
        "Declarations",
        "Training",
        "Devices",
        "25/11/2026",
    ):
        assert heading in whole, heading
    for number, (text, image) in enumerate(pages, start=1):
        # Every page is headed with the school and the date, and numbered.
        assert "Meadowbank Primary School" in text
        assert "25/11/2026" in text
        assert f"Page {number} of {len(pages)}" in text
        assert (tmp_path / f"school-{number}.png").stat().st_size > 0
        assert ink(image) > 0.01, f"page {number} is blank"
    first_text, first_image = pages[0]
    assert "7 of 11 people have acknowledged the current edition (63.6%)" in first_text
    assert "passed" in first_text  # the review date has gone by
    # The chart is drawn: a dark hatch fills part of the first page.
    dark = sum(first_image.convert("L").histogram()[:80])
    assert dark > 2_000


def test_the_trust_pdf_lists_its_schools(fixed: Seeded, tmp_path: Path) -> None:
    engine = create_db_engine(fixed.url)
    try:
        with session_factory(engine)() as session:
            report = trust_report(session, fixed.westvale, TODAY)
    finally:
        engine.dispose()
    pages = pdf_pages(trust_report_pdf(report), tmp_path, "trust")
    whole = " ".join(text for text, _ in pages)
    assert "Governors' report" in whole and "Westvale Learning Trust" in whole
    assert "Hillcrest Academy" in whole and "Meadowbank Primary School" in whole
    assert "Brookside" not in whole
    assert all(ink(image) > 0.01 for _, image in pages)


# -- the web pages -------------------------------------------------------------------------------
@dataclass
class Web:
    seeded: Seeded
    app: FastAPI
    clients: dict[str, TestClient] = field(default_factory=dict)

    def client(self, nick: str) -> TestClient:
        """A client signed in as ``nick`` (the session is started directly: no password)."""
        if nick not in self.clients:
            state = self.app.state.boundaries
            client = TestClient(self.app, base_url="https://testserver")
            with state.sessions() as session:
                person = session.get(Person, self.seeded.people[nick])
                assert person is not None
                token = start_session(session, person, state.session_limits, "password")
                session.commit()
            client.cookies.set(SESSION_COOKIE, token)
            self.clients[nick] = client
        return self.clients[nick]

    def close(self) -> None:
        for client in self.clients.values():
            client.close()
        self.app.state.boundaries.engine.dispose()


def web_for(seeded: Seeded) -> Web:
    settings = WebSettings(
        database_url=seeded.url, secret_key=SECRET_KEY, base_url="https://testserver"
    )  # type: ignore[call-arg]
    return Web(seeded, create_app(settings))


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    folder = tmp_path_factory.mktemp("reports-web")
    site = web_for(seed(f"sqlite:///{folder / 'store.sqlite3'}", uk_today()))
    yield site
    site.close()


def test_the_school_page_shows_the_figures_as_a_chart_and_a_table(web: Web) -> None:
    page = web.client("head").get(f"/schools/{web.seeded.meadowbank}/reports/governors")
    assert page.status_code == 200
    html = page.text
    for heading in (
        "Governors' report",
        "Policy acknowledgements",
        "Declarations",
        "Training",
        "Devices",
    ):
        assert heading.replace("'", "&#39;") in html or heading in html, heading
    assert 'role="img"' in html and '<title id="completion-title">' in html
    assert "<caption>Acknowledgements by group</caption>" in html
    assert "7 of 11 people have acknowledged the current edition (63.6%)" in html
    assert uk_today().strftime("%d/%m/%Y") in html
    assert f"/schools/{web.seeded.meadowbank}/reports/governors.pdf" in html
    assert "/trusts/" not in html  # the head has no trust role: no link to the trust's report


def test_the_school_csv_and_pdf_are_downloads_named_with_the_date(web: Web) -> None:
    client = web.client("governor")
    base = f"/schools/{web.seeded.meadowbank}/reports/governors"
    today = uk_today().isoformat()
    csv_response = client.get(base + ".csv")
    assert csv_response.status_code == 200
    assert csv_response.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        csv_response.headers["content-disposition"]
        == f'attachment; filename="governors-report-900101-{today}.csv"'
    )
    (row,) = read_csv(csv_response.content.decode("utf-8"))
    assert (row["people"], row["acknowledged"]) == ("11", "7")
    pdf_response = client.get(base + ".pdf")
    assert pdf_response.status_code == 200
    assert pdf_response.headers["content-type"] == "application/pdf"
    assert pdf_response.headers["content-disposition"].endswith(f'-{today}.pdf"')
    assert pdf_response.content.startswith(b"%PDF-")


def test_a_teacher_may_not_read_the_governors_report(web: Web) -> None:
    response = web.client("teacher1").get(f"/schools/{web.seeded.meadowbank}/reports/governors")
    assert response.status_code == 403


def test_the_trust_page_lists_every_school_of_the_trust_and_no_other(web: Web) -> None:
    client = web.client("trust_admin")
    page = client.get(f"/trusts/{web.seeded.westvale}/reports/governors")
    assert page.status_code == 200
    assert "Hillcrest Academy" in page.text and "Meadowbank Primary School" in page.text
    assert "Brookside" not in page.text
    assert f'href="/schools/{web.seeded.meadowbank}/reports/governors"' in page.text
    csv_response = client.get(f"/trusts/{web.seeded.westvale}/reports/governors.csv")
    filename = f"governors-report-westvale-learning-trust-{uk_today().isoformat()}.csv"
    assert csv_response.headers["content-disposition"] == f'attachment; filename="{filename}"'
    assert [r["school"] for r in read_csv(csv_response.content.decode())][-1] == "All schools"
    pdf = client.get(f"/trusts/{web.seeded.westvale}/reports/governors.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    # The officer's school pages link back to the trust's report.
    school_page = client.get(f"/schools/{web.seeded.meadowbank}/reports/governors")
    assert f"/trusts/{web.seeded.westvale}/reports/governors" in school_page.text


@pytest.mark.parametrize("nick", ["head", "hillcrest_teacher", "brookside_teacher"])
def test_the_trust_page_is_not_found_for_anyone_without_a_trust_role(web: Web, nick: str) -> None:
    client = web.client(nick)
    for suffix in ("", ".csv", ".pdf"):
        assert (
            client.get(f"/trusts/{web.seeded.westvale}/reports/governors{suffix}").status_code
            == 404
        )


def test_another_trusts_page_and_an_impossible_id_are_not_found(web: Web) -> None:
    client = web.client("trust_admin")
    assert client.get(f"/trusts/{web.seeded.eastmoor}/reports/governors").status_code == 404
    assert client.get(f"/trusts/{2**40}/reports/governors").status_code == 404
    assert client.get(f"/schools/{web.seeded.brookside}/reports/governors").status_code == 404


class _Elements(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize(
    ("nick", "path"),
    [
        ("head", "/schools/{meadowbank}/reports/governors"),
        ("trust_admin", "/trusts/{westvale}/reports/governors"),
        ("hr", "/schools/{meadowbank}/subject-access"),
    ],
)
def test_report_pages_carry_no_inline_style_or_script_for_the_csp_to_block(
    web: Web, nick: str, path: str
) -> None:
    page = web.client(nick).get(
        path.format(meadowbank=web.seeded.meadowbank, westvale=web.seeded.westvale)
    )
    assert page.status_code == 200
    elements = _Elements(page.text).found
    assert [tag for tag, attrs in elements if tag == "style" or "style" in attrs] == []
    assert [tag for tag, attrs in elements if tag == "script" and "src" not in attrs] == []
    assert [(tag, name) for tag, attrs in elements for name in attrs if name.startswith("on")] == []
    # The report's own style sheet comes from the app's origin.
    if "reports" in path:
        assert ("link", {"rel": "stylesheet", "href": "/static/report.css"}) in elements
        assert web.client(nick).get("/static/report.css").status_code == 200


# -- the CLI -------------------------------------------------------------------------------------
@pytest.fixture
def cli_db(web: Web, monkeypatch: pytest.MonkeyPatch) -> Seeded:
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", web.seeded.url)
    return web.seeded


def test_the_cli_prints_the_school_report_as_text(
    cli_db: Seeded, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "reports", "governors", "--school", "900101")
    assert code == 0
    assert out.startswith("Governors' report: Meadowbank Primary School (URN 900101)")
    assert "Policy acknowledgements: 7 of 11 (63.6%)" in out
    assert re.search(r"Teachers\s+3\s+2\s+66\.7%", out)
    assert "Awaiting a decision: 2" in out
    assert "Staff with no phone recorded: 6" in out


def test_the_cli_writes_csv_and_pdf_files(
    cli_db: Seeded, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "report.csv"
    code, _, _ = run(
        capsys,
        "reports",
        "governors",
        "--school",
        "900101",
        "--format",
        "csv",
        "--output",
        str(target),
    )
    assert code == 0
    (row,) = read_csv(target.read_text(encoding="utf-8"))
    assert row["acknowledged"] == "7"
    pdf = tmp_path / "report.pdf"
    code, _, _ = run(
        capsys,
        "reports",
        "governors",
        "--trust",
        "westvale learning trust",
        "--format",
        "pdf",
        "-o",
        str(pdf),
    )
    assert code == 0
    text = " ".join(t for t, _ in pdf_pages(pdf.read_bytes(), tmp_path, "cli"))
    assert "Hillcrest Academy" in text and "Brookside" not in text


def test_the_cli_prints_a_trust_report_and_csv_to_stdout(
    cli_db: Seeded, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "reports", "governors", "--trust", "Westvale Learning Trust")
    assert code == 0
    assert "Hillcrest Academy" in out and "Meadowbank Primary School" in out
    assert "All schools" in out and "Brookside" not in out
    code, out, _ = run(
        capsys, "reports", "governors", "--trust", "Eastmoor Council", "--format", "csv"
    )
    assert code == 0
    assert [r["school"] for r in csv.DictReader(io.StringIO(out))] == [
        "Brookside School",
        "All schools",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--school", "999999"], "no school has the URN 999999"),
        (["--trust", "Nowhere Trust"], "no trust is called Nowhere Trust"),
        ([], "give either --school URN or --trust NAME"),
        (["--school", "900101", "--trust", "Eastmoor Council"], "give either"),
        (["--school", "900101", "--format", "pdf"], "--format pdf needs --output"),
    ],
)
def test_the_cli_refuses_bad_requests_with_exit_64(
    cli_db: Seeded, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, "reports", "governors", *argv)
    assert code == 64
    assert message in " ".join(err.split())
