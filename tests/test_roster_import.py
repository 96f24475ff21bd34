"""Importing rosters into the store, on SQLite and PostgreSQL: all or nothing, idempotent,
updates, leavers, past pupils kept until 18 and then anonymised, staff accounts and leavers.

The helpers here (a small world without passwords, fixture files, one-call imports) are shared
by the other roster tests.
"""

from __future__ import annotations

import atexit
import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from boundaries.accounts.sessions import SessionLimits, find_session, start_session
from boundaries.roster.importer import ImportOptions, ImportResult, import_roster
from boundaries.roster.invites import invite_staff
from boundaries.roster.presets import load_mapping
from boundaries.roster.records import InputFile, Kind, Source
from boundaries.roster.retention import ANONYMISED, anonymise_past_pupils
from boundaries.roster.scope import parents_in_scope
from boundaries.store import (
    Contact,
    Declaration,
    DeclarationEvent,
    DeclarationStatus,
    DeclarationSubject,
    Membership,
    PasswordReset,
    Person,
    PersonKind,
    Pupil,
    PupilContact,
    RosterImport,
    School,
    SchoolRole,
    StaffRecord,
    Trust,
    TrustKind,
    create_db_engine,
    session_factory,
    upgrade,
)
from tests.databases import db_url

__all__ = ["db_url"]  # the fixture, imported so that pytest finds it here

FIXTURES = Path(__file__).parent / "fixtures" / "mis"
TODAY = date(2026, 11, 25)
LIMITS = SessionLimits(lifetime=timedelta(hours=8), idle=timedelta(hours=1))


def fixture_files(*names: str) -> list[InputFile]:
    return [InputFile(name, (FIXTURES / name).read_bytes()) for name in names]


@dataclass
class Store:
    """A migrated database with one trust and two schools (no passwords: nobody signs in)."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    meadowbank: int
    hillcrest: int
    headteacher: int  # a person already known before any import

    def run(
        self,
        school_id: int,
        names: tuple[str, ...] | list[InputFile],
        kind: Kind,
        source: Source,
        **options: Any,
    ) -> ImportResult:
        """Import files into a school and commit."""
        inputs = fixture_files(*names) if isinstance(names, tuple) else names
        options.setdefault("today", TODAY)
        with self.sessions() as session:
            school = session.get(School, school_id)
            assert school is not None
            result = import_roster(session, school, inputs, ImportOptions(kind, source, **options))
            session.commit()
        return result

    def count(self, model: type[Any], **where: object) -> int:
        with self.sessions() as session:
            query = select(func.count()).select_from(model)
            for name, value in where.items():
                query = query.where(getattr(model, name) == value)
            return int(session.scalar(query) or 0)

    def pupils(self, school_id: int) -> dict[str, Pupil]:
        with self.sessions() as session:
            rows = session.scalars(select(Pupil).where(Pupil.school_id == school_id)).all()
        return {f"{p.legal_forename} {p.surname}": p for p in rows}

    def person(self, email: str) -> Person:
        with self.sessions() as session:
            return session.scalars(select(Person).where(Person.email == email)).one()

    def roles(self, email: str, school_id: int) -> set[SchoolRole]:
        with self.sessions() as session:
            return set(
                session.scalars(
                    select(Membership.role)
                    .join(Person, Person.id == Membership.person_id)
                    .where(Person.email == email, Membership.school_id == school_id)
                )
            )

    def record(self, email: str, school_id: int) -> StaffRecord:
        with self.sessions() as session:
            return session.scalars(
                select(StaffRecord)
                .join(Person, Person.id == StaffRecord.person_id)
                .where(Person.email == email, StaffRecord.school_id == school_id)
            ).one()


_SQLITE_TEMPLATE: list[Path] = []


def _migrate(url: str) -> None:
    """Migrate ``url``; a SQLite file is copied from one migrated once per run (much quicker)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        upgrade(url)
        return
    if not _SQLITE_TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="roster-template-"))
        atexit.register(shutil.rmtree, folder, True)
        upgrade(f"sqlite:///{folder / 'template.sqlite3'}")
        _SQLITE_TEMPLATE.append(folder / "template.sqlite3")
    shutil.copyfile(_SQLITE_TEMPLATE[0], parsed.database)


def make_store(url: str) -> Store:
    """Migrate ``url`` and add trust Westvale with Meadowbank (URN 900101, with two pupils
    entered by hand before any import) and Hillcrest (900102), and Meadowbank's headteacher."""
    _migrate(url)
    engine = create_db_engine(url)
    sessions = session_factory(engine)
    with sessions() as session:
        trust = Trust(name="Westvale Learning Trust", kind=TrustKind.ACADEMY_TRUST)
        meadowbank = School(
            trust=trust, name="Meadowbank Primary School", urn="900101", local_authority="Westvale"
        )
        hillcrest = School(
            trust=trust, name="Hillcrest Academy", urn="900102", local_authority="Westvale"
        )
        head = Person(
            name="Meadowbank Headteacher",
            email="headteacher@meadowbank.example.org",
            kind=PersonKind.STAFF,
        )
        session.add_all([trust, meadowbank, hillcrest, head])
        session.flush()
        session.add(Membership(person_id=head.id, school_id=meadowbank.id, role="headteacher"))
        session.add_all(
            [
                Pupil(
                    school_id=meadowbank.id,
                    legal_forename="Oliver",
                    surname="Hargreaves",
                    preferred_forename="Olly",
                    date_of_birth=date(2016, 3, 14),
                    year_group="Year 4",
                ),
                Pupil(
                    school_id=meadowbank.id,
                    legal_forename="Grace",
                    surname="Whitfield",
                    date_of_birth=date(2017, 9, 2),
                    year_group="Year 3",
                ),
            ]
        )
        session.commit()
        store = Store(url, engine, sessions, meadowbank.id, hillcrest.id, head.id)
    return store


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    made = make_store(db_url)
    yield made
    made.engine.dispose()


# -- pupils -------------------------------------------------------------------------------------
def test_a_sims_report_is_imported_and_matches_pupils_already_on_the_roster(store: Store) -> None:
    result = store.run(store.meadowbank, ("sims_pupils.csv",), Kind.PUPILS, Source.SIMS, full=True)
    assert result.ok and result.applied
    # Oliver and Grace were entered by hand: matched by legal name and birth date, not doubled.
    assert (result.rows, result.created, result.updated, result.unchanged) == (10, 7, 2, 0)
    assert result.skipped == 1  # Valentina left in 2019 and is 18: nothing to keep (6.8)
    pupils = store.pupils(store.meadowbank)
    assert len(pupils) == 9
    assert "Valentina Castellano" not in pupils
    olly = pupils["Oliver Hargreaves"]
    assert (olly.upn, olly.mis_id, olly.admission_number, olly.year_group) == (
        "T873210116008",
        "001021",
        "001021",
        "Year 6",
    )
    assert olly.leaving_date is None  # 06/06/2079
    assert pupils["Ciaran Brennan"].leaving_date == date(2024, 7, 22)
    assert pupils["Haruto Nakamura-Hughes"].admission_number == "001028"
    log = _only(store, RosterImport)
    assert (log.kind, log.source, log.applied, log.created, log.updated) == (
        "pupils",
        "sims",
        True,
        7,
        2,
    )
    assert len(log.file_sha256) == 64


def test_importing_the_same_file_again_changes_nothing(store: Store) -> None:
    store.run(store.meadowbank, ("sims_pupils.csv",), Kind.PUPILS, Source.SIMS, full=True)
    before = {name: (p.id, p.updated_at) for name, p in store.pupils(store.meadowbank).items()}
    again = store.run(store.meadowbank, ("sims_pupils.csv",), Kind.PUPILS, Source.SIMS, full=True)
    assert (again.created, again.updated, again.unchanged, again.left) == (0, 0, 9, 0)
    after = {name: (p.id, p.updated_at) for name, p in store.pupils(store.meadowbank).items()}
    assert after == before


def test_a_later_full_import_updates_pupils_and_marks_those_missing_as_left(store: Store) -> None:
    store.run(store.meadowbank, ("sims_pupils.csv",), Kind.PUPILS, Source.SIMS, full=True)
    later = store.run(
        store.meadowbank, ("sims_pupils_later.csv",), Kind.PUPILS, Source.SIMS, full=True
    )
    # Isla's preferred name, Tobiloba's leaving date; Soren and Haruto are not in the report.
    assert (later.created, later.updated, later.unchanged, later.left) == (0, 2, 5, 3)
    pupils = store.pupils(store.meadowbank)
    assert len(pupils) == 9  # nobody doubled, nobody deleted
    assert pupils["Isla Fairweather"].preferred_forename == "Izzy"
    assert pupils["Tobiloba Adeyemi"].leaving_date == date(2026, 11, 14)
    assert pupils["Soren Lindqvist"].leaving_date == TODAY
    assert pupils["Haruto Nakamura-Hughes"].leaving_date == TODAY
    assert pupils["Oliver Hargreaves"].leaving_date is None


def test_a_partial_import_adds_and_updates_but_marks_nobody_as_left(store: Store) -> None:
    store.run(store.meadowbank, ("sims_pupils.csv",), Kind.PUPILS, Source.SIMS)
    later = store.run(store.meadowbank, ("sims_pupils_later.csv",), Kind.PUPILS, Source.SIMS)
    assert later.left == 1  # only Tobiloba, whose leaving date the file gives
    assert store.pupils(store.meadowbank)["Soren Lindqvist"].leaving_date is None


def test_an_import_with_any_error_changes_nothing_and_is_logged(store: Store) -> None:
    store.run(store.meadowbank, ("sims_pupils.csv",), Kind.PUPILS, Source.SIMS)
    before = store.pupils(store.meadowbank)
    mixed = fixture_files("sims_pupils_later.csv", "sims_pupils_errors.csv")
    result = store.run(store.meadowbank, mixed, Kind.PUPILS, Source.SIMS, full=True)
    assert not result.applied
    assert {(e.file, e.row) for e in result.errors} >= {
        ("sims_pupils_errors.csv", 2),
        ("sims_pupils_errors.csv", 8),
    }
    after = store.pupils(store.meadowbank)
    assert {n: (p.updated_at, p.leaving_date) for n, p in after.items()} == {
        n: (p.updated_at, p.leaving_date) for n, p in before.items()
    }
    with store.sessions() as session:
        log = session.scalars(select(RosterImport).order_by(RosterImport.id.desc())).first()
    assert log is not None and not log.applied
    logged = json.loads(log.errors_json or "{}")
    assert logged["total"] == len(result.errors)
    assert {"file": "sims_pupils_errors.csv", "row": 2, "unit": "line", "field": "UPN"}.items() <= (
        logged["errors"][0].items()
    )


def test_a_dry_run_counts_the_changes_and_writes_nothing(store: Store) -> None:
    result = store.run(
        store.meadowbank, ("sims_pupils.csv",), Kind.PUPILS, Source.SIMS, full=True, dry_run=True
    )
    assert (result.created, result.updated, result.skipped) == (7, 2, 1)
    assert not result.applied and result.import_id is None
    assert store.count(Pupil) == 2
    assert store.count(RosterImport) == 0


def test_a_upn_that_belongs_to_another_pupil_is_refused(store: Store) -> None:
    store.run(store.meadowbank, ("sims_pupils.csv",), Kind.PUPILS, Source.SIMS)
    header = "Adno,UPN,Legal Surname,Legal Forename,DOB,Year\r\n"
    # A new pupil given Olly's UPN: someone else entirely, not Olly renamed.
    new = header + "009001,T873210116008,Ng,Mai,01/01/2017,5\r\n"
    # Grace (Adno 001022) given Olly's UPN: two pupils cannot share one.
    moved = header + "001022,T873210116008,Whitfield,Grace,02/09/2017,4\r\n"
    for text, message in (
        (new, "belongs to Oliver Hargreaves on the roster"),
        (moved, "belongs to another pupil on the roster (Oliver Hargreaves)"),
    ):
        result = store.run(
            store.meadowbank, [InputFile("new.csv", text.encode())], Kind.PUPILS, Source.SIMS
        )
        assert [(e.row, e.field) for e in result.errors] == [(2, "UPN")]
        assert message in result.errors[0].message
    assert store.count(Pupil, surname="Ng") == 0
    assert store.pupils(store.meadowbank)["Grace Whitfield"].upn == "C873210121003"


def test_pupils_match_on_upn_or_name_and_birth_date_when_the_mis_id_changes(store: Store) -> None:
    store.run(store.meadowbank, ("sims_pupils.csv",), Kind.PUPILS, Source.SIMS)
    ids = {name: p.id for name, p in store.pupils(store.meadowbank).items()}
    # The school moved to a system with its own ids: the UPNs still say who is who.
    text = (FIXTURES / "sims_pupils.csv").read_text(encoding="utf-8-sig")
    text = re.sub(r"(?m)^(\d{6}),", r"NEW-\1,", text)
    result = store.run(
        store.meadowbank, [InputFile("moved.csv", text.encode())], Kind.PUPILS, Source.SIMS
    )
    assert (result.created, result.updated) == (0, 8)  # Haruto's ="001028" is unchanged
    pupils = store.pupils(store.meadowbank)
    assert {name: p.id for name, p in pupils.items()} == ids
    # Soren has no UPN: found by legal name and date of birth.
    assert pupils["Soren Lindqvist"].mis_id == "NEW-001026"
    assert pupils["Oliver Hargreaves"].mis_id == "NEW-001021"


def test_a_full_import_of_only_leavers_is_refused(store: Store) -> None:
    result = store.run(
        store.hillcrest, ("wonde_students_leavers.json",), Kind.PUPILS, Source.WONDE, full=True
    )
    assert "Every pupil in these files has left" in result.errors[0].message
    assert not result.applied


def test_a_full_import_of_an_empty_file_is_refused(store: Store) -> None:
    header = (FIXTURES / "sims_pupils.csv").read_bytes().splitlines()[0] + b"\r\n"
    result = store.run(
        store.meadowbank, [InputFile("empty.csv", header)], Kind.PUPILS, Source.SIMS, full=True
    )
    assert "lists nobody" in result.errors[0].message
    assert store.count(Pupil, school_id=store.meadowbank) == 2


def test_other_systems_import_too(store: Store) -> None:
    bromcom = store.run(store.hillcrest, ("bromcom_pupils.csv",), Kind.PUPILS, Source.BROMCOM)
    assert bromcom.created == 5
    arbor = store.run(store.hillcrest, ("arbor_pupils.csv",), Kind.PUPILS, Source.ARBOR)
    assert arbor.created == 4
    mapping = load_mapping(FIXTURES / "other_mis.yaml")
    other = store.run(
        store.hillcrest, ("other_mis_pupils.csv",), Kind.PUPILS, Source.MAPPING, mapping=mapping
    )
    assert other.created == 3
    pupils = store.pupils(store.hillcrest)
    assert len(pupils) == 12
    assert pupils["Zofia Kowalczyk"].preferred_forename == "Zosia"
    assert pupils["Benedikt Sauer"].mis_id == "STU-10443"
    assert pupils["Matías Echeverría"].date_of_birth == date(2019, 12, 12)


def test_wonde_pages_and_leavers_import_together_and_again_change_nothing(store: Store) -> None:
    names = (
        "wonde_students_page1.json",
        "wonde_students_page2.json",
        "wonde_students_leavers.json",
    )
    first = store.run(store.hillcrest, names, Kind.PUPILS, Source.WONDE, full=True)
    assert (first.created, first.skipped) == (4, 1)  # Delphine left in 2023 and is 19
    pupils = store.pupils(store.hillcrest)
    assert pupils["Priya Raman"].date_of_birth == date(2012, 5, 9)
    assert pupils["Christopher Ashdown-Vale"].preferred_forename == "Kit"
    assert pupils["Rory Pennington"].leaving_date == date(2025, 7, 18)
    again = store.run(store.hillcrest, names, Kind.PUPILS, Source.WONDE, full=True)
    assert (again.created, again.updated, again.unchanged, again.left) == (0, 0, 4, 0)
    missing = store.run(store.hillcrest, names[1:], Kind.PUPILS, Source.WONDE, full=True)
    assert not missing.applied and "Page 1" in missing.errors[0].message


# -- past pupils (6.8) --------------------------------------------------------------------------
def test_a_past_pupil_is_kept_until_18_then_anonymised_with_the_id_kept(store: Store) -> None:
    store.run(store.meadowbank, ("sims_pupils.csv",), Kind.PUPILS, Source.SIMS)
    store.run(store.meadowbank, ("sims_contacts.csv",), Kind.CONTACTS, Source.SIMS)
    ciaran = store.pupils(store.meadowbank)["Ciaran Brennan"]  # born 05/10/2012, left 2024
    with store.sessions() as session:
        teacher = session.scalars(
            select(Membership.person_id).where(Membership.school_id == store.meadowbank)
        ).first()
        assert teacher is not None
        declared = Declaration(
            school_id=store.meadowbank,
            person_id=teacher,
            subject=DeclarationSubject.PAST_PUPIL,
            pupil_id=ciaran.id,
            subject_name="Ciaran Brennan",
            platform="Instagram",
            nature="family friend",
            reason="His mother is my cousin.",
        )
        session.add(declared)
        session.flush()
        session.add(
            DeclarationEvent(
                declaration_id=declared.id,
                actor_id=teacher,
                action="amended",
                status=DeclarationStatus.PENDING,
                note="Changed: who was Ciaran B.",
            )
        )
        session.commit()
        declaration_id = declared.id
    with store.sessions() as session:
        day_before = anonymise_past_pupils(session, store.meadowbank, date(2030, 10, 4))
        session.commit()
    assert (day_before.pupils, day_before.contacts) == (0, 0)
    with store.sessions() as session:
        birthday = anonymise_past_pupils(session, store.meadowbank, date(2030, 10, 5))
        session.commit()
    assert (birthday.pupils, birthday.contacts) == (1, 1)
    with store.sessions() as session:
        kept = session.get(Pupil, ciaran.id)
        assert kept is not None
        assert (kept.legal_forename, kept.surname, kept.preferred_forename) == (
            ANONYMISED,
            ANONYMISED,
            None,
        )
        assert (kept.date_of_birth, kept.upn, kept.mis_id, kept.admission_number) == (
            None,
            None,
            None,
            None,
        )
        assert kept.anonymised_at is not None
        assert kept.leaving_date == date(2024, 7, 22)
        mother = session.scalars(
            select(Contact).join(PupilContact).where(PupilContact.pupil_id == ciaran.id)
        ).one()
        assert (mother.forename, mother.surname, mother.email) == (None, None, None)
        assert mother.anonymised_at is not None
        # A declaration about him keeps its history but no longer names him.
        about = session.get(Declaration, declaration_id)
        assert about is not None and about.subject_name == ANONYMISED
        notes = session.scalars(
            select(DeclarationEvent.note).where(DeclarationEvent.declaration_id == declaration_id)
        ).all()
        assert notes and not any("Ciaran" in (note or "") for note in notes)
        # Pupils on roll, and their parents, are untouched.
        assert session.scalar(select(func.count()).where(Pupil.anonymised_at.is_not(None))) == 1
        assert session.scalar(select(func.count()).where(Contact.anonymised_at.is_not(None))) == 1


def test_a_re_import_after_anonymising_adds_nobody_back(store: Store) -> None:
    store.run(store.meadowbank, ("sims_pupils.csv",), Kind.PUPILS, Source.SIMS)
    # Years later, the same report (Ciaran is now 18): the import anonymises him at its end.
    later = store.run(
        store.meadowbank, ("sims_pupils.csv",), Kind.PUPILS, Source.SIMS, today=date(2031, 1, 5)
    )
    assert later.anonymised_pupils == 1
    again = store.run(
        store.meadowbank, ("sims_pupils.csv",), Kind.PUPILS, Source.SIMS, today=date(2031, 1, 6)
    )
    assert again.created == 0 and again.skipped == 2
    assert store.count(Pupil, school_id=store.meadowbank) == 9


# -- contacts -----------------------------------------------------------------------------------
def test_contacts_are_linked_to_their_children_and_a_full_import_removes_old_links(
    store: Store,
) -> None:
    store.run(store.meadowbank, ("sims_pupils.csv",), Kind.PUPILS, Source.SIMS)
    first = store.run(
        store.meadowbank, ("sims_contacts.csv",), Kind.CONTACTS, Source.SIMS, full=True
    )
    # Ignacio's child left years ago and is not on the roster: his row is noted and left out.
    assert (first.created, first.skipped) == (7, 1)
    assert any("000987" in warning for warning in first.warnings)
    assert store.count(PupilContact) == 7
    again = store.run(
        store.meadowbank, ("sims_contacts.csv",), Kind.CONTACTS, Source.SIMS, full=True
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
    # Owen Hargreaves is no longer a contact of Olly's.
    text = (FIXTURES / "sims_contacts.csv").read_text(encoding="utf-8-sig")
    text = "\r\n".join(line for line in text.splitlines() if ",Owen," not in line)
    fewer = store.run(
        store.meadowbank,
        [InputFile("contacts.csv", text.encode())],
        Kind.CONTACTS,
        Source.SIMS,
        full=True,
    )
    assert fewer.left == 1
    assert store.count(PupilContact) == 6
    assert store.count(Contact) == 7  # the contact itself is kept
    with store.sessions() as session:
        parents = {p.name: p.children for p in parents_in_scope(session, store.meadowbank, TODAY)}
    assert parents["Helena Hargreaves"] == ("Oliver Hargreaves",)
    assert "Owen Hargreaves" not in parents


def test_wonde_contacts_import_with_their_links(store: Store) -> None:
    pages = ("wonde_students_page1.json", "wonde_students_page2.json")
    store.run(store.hillcrest, pages, Kind.PUPILS, Source.WONDE)
    result = store.run(store.hillcrest, ("wonde_contacts.json",), Kind.CONTACTS, Source.WONDE)
    assert (result.created, result.rows) == (4, 5)
    with store.sessions() as session:
        links = session.execute(
            select(
                Contact.forename,
                Pupil.legal_forename,
                PupilContact.relationship,
                PupilContact.parental_responsibility,
            )
            .join(PupilContact, PupilContact.contact_id == Contact.id)
            .join(Pupil, Pupil.id == PupilContact.pupil_id)
            .order_by(Contact.forename, Pupil.legal_forename)
        ).all()
    assert [tuple(link) for link in links] == [
        ("Anand", "Priya", "Father", True),
        ("Gillian", "Christopher", "Mother", True),
        ("Meera", "Priya", "Mother", True),
        ("Tobias", "Beatrix", "Step-father", False),
        ("Tobias", "Christopher", "Other relative", False),
    ]


def test_contacts_before_any_pupils_are_refused(store: Store) -> None:
    result = store.run(store.hillcrest, ("wonde_contacts.json",), Kind.CONTACTS, Source.WONDE)
    assert "import the pupils first" in result.errors[0].message
    assert store.count(Contact) == 0


# -- staff --------------------------------------------------------------------------------------
def test_staff_become_people_with_roles_records_and_line_managers(store: Store) -> None:
    result = store.run(store.meadowbank, ("sims_staff.csv",), Kind.STAFF, Source.SIMS, full=True)
    assert (result.created, result.updated) == (5, 0)
    kapoor = store.person("r.kapoor@meadowbank.example.org")
    assert (kapoor.name, kapoor.kind, kapoor.disabled_at) == ("Rohan Kapoor", "staff", None)
    assert store.roles("r.kapoor@meadowbank.example.org", store.meadowbank) == {
        SchoolRole.STAFF_TEACHER
    }
    assert store.roles("e.forsyth@meadowbank.example.org", store.meadowbank) == {
        SchoolRole.STAFF_SUPPORT
    }
    assert store.roles("t.brannigan@meadowbank.example.org", store.meadowbank) == {
        SchoolRole.SUPPLY
    }
    # The headteacher was known already: matched by e-mail, given a record, roles added to.
    assert store.roles("headteacher@meadowbank.example.org", store.meadowbank) == {
        SchoolRole.HEADTEACHER,
        SchoolRole.STAFF_TEACHER,
    }
    assert store.count(Person) == 5
    forsyth = store.record("e.forsyth@meadowbank.example.org", store.meadowbank)
    assert forsyth.line_manager_id == kapoor.id
    assert (forsyth.staff_code, forsyth.job_title, forsyth.start_date) == (
        "EFO",
        "Teaching Assistant",
        date(2022, 1, 6),
    )
    assert store.record("r.kapoor@meadowbank.example.org", store.meadowbank).line_manager_id == (
        store.headteacher
    )
    again = store.run(store.meadowbank, ("sims_staff.csv",), Kind.STAFF, Source.SIMS, full=True)
    assert (again.created, again.updated, again.unchanged, again.left) == (0, 0, 5, 0)
    assert store.count(StaffRecord) == 5 and store.count(Membership) == 6


def test_leavers_accounts_are_disabled_never_deleted_and_their_sessions_end(store: Store) -> None:
    store.run(store.meadowbank, ("sims_staff.csv",), Kind.STAFF, Source.SIMS, full=True)
    with store.sessions() as session:
        forsyth = session.scalars(
            select(Person).where(Person.email == "e.forsyth@meadowbank.example.org")
        ).one()
        token = start_session(session, forsyth, LIMITS, "password")
        session.commit()
    later = store.run(
        store.meadowbank, ("sims_staff_later.csv",), Kind.STAFF, Source.SIMS, full=True
    )
    # Eilidh is not in the report; Gwenllian's leaving date has passed.
    assert later.left == 2
    for email in ("e.forsyth@meadowbank.example.org", "g.whyte@meadowbank.example.org"):
        assert isinstance(store.person(email).disabled_at, datetime)
    assert store.record("e.forsyth@meadowbank.example.org", store.meadowbank).leaving_date == TODAY
    assert store.record("g.whyte@meadowbank.example.org", store.meadowbank).leaving_date == (
        date(2026, 10, 31)
    )
    assert store.person("r.kapoor@meadowbank.example.org").disabled_at is None
    assert store.count(Person) == 5  # nobody deleted
    with store.sessions() as session:
        assert find_session(session, token, LIMITS) is None
    # Kapoor is now an assistant head; Brannigan's line manager is given by staff code.
    kapoor = store.record("r.kapoor@meadowbank.example.org", store.meadowbank)
    assert kapoor.job_title == "Assistant Headteacher"
    brannigan = store.record("t.brannigan@meadowbank.example.org", store.meadowbank)
    assert brannigan.line_manager_id == kapoor.person_id
    again = store.run(
        store.meadowbank, ("sims_staff_later.csv",), Kind.STAFF, Source.SIMS, full=True
    )
    assert (again.updated, again.left) == (0, 0)


def test_a_leaver_still_working_at_another_school_keeps_the_account(store: Store) -> None:
    store.run(store.meadowbank, ("sims_staff.csv",), Kind.STAFF, Source.SIMS)
    # Eilidh also works at Hillcrest.
    text = (
        "Staff Code,Preferred Forename,Preferred Surname,Work Email,Role Text\r\n"
        "EFO,Eilidh,Forsyth,e.forsyth@meadowbank.example.org,Teaching Assistant\r\n"
    )
    store.run(store.hillcrest, [InputFile("h.csv", text.encode())], Kind.STAFF, Source.SIMS)
    store.run(store.meadowbank, ("sims_staff_later.csv",), Kind.STAFF, Source.SIMS, full=True)
    assert store.person("e.forsyth@meadowbank.example.org").disabled_at is None
    assert store.roles("e.forsyth@meadowbank.example.org", store.meadowbank) == set()
    assert store.roles("e.forsyth@meadowbank.example.org", store.hillcrest) == {
        SchoolRole.STAFF_SUPPORT
    }


def test_an_unknown_line_manager_is_an_error_on_that_row(store: Store) -> None:
    # Eilidh's line manager (line 4) is someone the school does not have.
    text = (
        (FIXTURES / "sims_staff.csv")
        .read_text(encoding="utf-8-sig")
        .replace("2079,r.kapoor@meadowbank.example.org", "2079,nobody@meadowbank.example.org")
    )
    result = store.run(
        store.meadowbank, [InputFile("staff.csv", text.encode())], Kind.STAFF, Source.SIMS
    )
    assert [(e.row, e.field) for e in result.errors] == [(4, "Line Manager Email")]
    assert store.count(StaffRecord) == 0


def test_an_import_never_changes_the_email_an_account_signs_in_with(store: Store) -> None:
    store.run(store.meadowbank, ("sims_staff.csv",), Kind.STAFF, Source.SIMS)
    text = (
        (FIXTURES / "sims_staff.csv")
        .read_text(encoding="utf-8-sig")
        .replace("g.whyte@meadowbank", "gwen.whyte@meadowbank")
    )
    result = store.run(
        store.meadowbank, [InputFile("staff.csv", text.encode())], Kind.STAFF, Source.SIMS
    )
    # Matched by staff code (the MIS id), not by the new address: noted, not applied.
    assert result.created == 0
    assert any("gwen.whyte@meadowbank.example.org" in warning for warning in result.warnings)
    assert store.person("g.whyte@meadowbank.example.org").disabled_at is None


def test_wonde_employees_import_and_leavers_never_imported_are_skipped(store: Store) -> None:
    result = store.run(store.hillcrest, ("wonde_employees.json",), Kind.STAFF, Source.WONDE)
    assert (result.created, result.skipped) == (2, 1)
    assert store.roles("h.quill@hillcrest.example.org", store.hillcrest) == {
        SchoolRole.STAFF_TEACHER
    }
    assert store.record("d.farrant@hillcrest.example.org", store.hillcrest).mis_id == "A5511092835"


def _only(store: Store, model: type[Any]) -> Any:
    with store.sessions() as session:
        return session.scalars(select(model)).one()


def test_progress_is_reported_stage_by_stage(store: Store) -> None:
    seen: list[tuple[str, int, int]] = []
    with store.sessions() as session:
        school = session.get(School, store.meadowbank)
        assert school is not None
        import_roster(
            session,
            school,
            fixture_files("sims_pupils.csv"),
            ImportOptions(Kind.PUPILS, Source.SIMS, today=TODAY),
            progress=lambda stage, done, total: seen.append((stage, done, total)),
        )
        session.commit()
    assert [stage for stage, _, _ in seen] == [
        "Reading",
        "Checking pupils",
        "Saving",
        "Saving",
    ]
    assert seen[1][1:] == (10, 10)  # the last row of ten


class _Outbox:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append((to, body))


def test_staff_of_a_single_sign_on_domain_get_a_sign_in_link_not_a_password(store: Store) -> None:
    store.run(store.hillcrest, ("wonde_employees.json",), Kind.STAFF, Source.WONDE)
    outbox = _Outbox()
    with store.sessions() as session:
        school = session.get(School, store.hillcrest)
        assert school is not None
        result = invite_staff(
            session,
            school,
            outbox,
            "https://boundaries.example.org",
            sso_domains=["hillcrest.example.org"],
        )
        again = invite_staff(
            session,
            school,
            outbox,
            "https://boundaries.example.org",
            sso_domains=["hillcrest.example.org"],
        )
    assert sorted(result.invited) == [
        "d.farrant@hillcrest.example.org",
        "h.quill@hillcrest.example.org",
    ]
    assert len(again.recently_invited) == 2 and len(outbox.sent) == 2
    for _, body in outbox.sent:
        assert "https://boundaries.example.org/sign-in\n" in body
        assert "reset-password" not in body
    # The record of the invitation is a spent token: it cannot set a password.
    with store.sessions() as session:
        assert (
            session.scalars(select(PasswordReset).where(PasswordReset.used_at.is_(None))).all()
            == []
        )
