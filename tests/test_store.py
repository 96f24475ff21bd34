"""The store: migrations, the refusal of an unmigrated database, and schools kept apart.

Every test runs against SQLite (a file under tmp_path) and PostgreSQL (127.0.0.1:5432, database
``test``, each test in a fresh schema that is dropped afterwards). When PostgreSQL cannot be
reached its tests skip, naming the URL, or fail when ``CI`` is set.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from boundaries.cli import app
from boundaries.store import (
    Base,
    Membership,
    NotMigratedError,
    Person,
    PersonKind,
    School,
    SchoolRole,
    Trust,
    TrustKind,
    TrustRole,
    TrustRoleKind,
    create_db_engine,
    current_revision,
    database_url,
    head_revision,
    is_up_to_date,
    people_in_school,
    require_migrated,
    session_factory,
    upgrade,
)
from tests.databases import POSTGRES_URL, db_url

__all__ = ["db_url"]  # the fixture, imported so that pytest finds it here

TABLES = {"trust", "school", "person", "membership", "trust_role", "alembic_version"}


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on a database migrated to the newest revision."""
    upgrade(db_url)
    engine = create_db_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as session:
        yield session


def _trust_with_two_schools(session: Session) -> tuple[Trust, School, School]:
    trust = Trust(name="Westvale Learning Trust", kind=TrustKind.ACADEMY_TRUST)
    meadowbank = School(
        trust=trust, name="Meadowbank Primary School", urn="900001", local_authority="Westvale"
    )
    hillcrest = School(
        trust=trust, name="Hillcrest Academy", urn="900002", local_authority="Westvale"
    )
    session.add_all([trust, meadowbank, hillcrest])
    session.flush()
    return trust, meadowbank, hillcrest


def _person(name: str, email: str, kind: PersonKind = PersonKind.STAFF) -> Person:
    return Person(name=name, email=email, kind=kind)


# -- migrations -----------------------------------------------------------------------------------


def test_migrations_upgrade_an_empty_database_to_head(db_url: str) -> None:
    assert current_revision(db_url) is None
    assert not is_up_to_date(db_url)
    upgrade(db_url)
    assert current_revision(db_url) == head_revision()
    assert is_up_to_date(db_url)
    engine = create_db_engine(db_url)
    try:
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()


def test_upgrading_twice_changes_nothing(db_url: str) -> None:
    upgrade(db_url)
    upgrade(db_url)
    assert is_up_to_date(db_url)


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_an_unmigrated_database_is_refused_with_a_clear_message(db_url: str) -> None:
    engine = create_db_engine(db_url)
    try:
        with pytest.raises(NotMigratedError) as caught:
            require_migrated(engine)
    finally:
        engine.dispose()
    message = str(caught.value)
    assert message.startswith("the database at ")
    assert "is not migrated" in message
    assert "run `boundaries db upgrade`" in message


def test_a_migrated_database_is_accepted(engine: Engine) -> None:
    require_migrated(engine)


def test_the_refusal_names_the_database_but_never_its_password(db_url: str) -> None:
    if db_url.startswith("postgresql"):  # trust authentication ignores the password
        db_url = db_url.replace("postgres@", "postgres:hunter2@", 1)
    engine = create_db_engine(db_url)
    try:
        with pytest.raises(NotMigratedError) as caught:
            require_migrated(engine)
    finally:
        engine.dispose()
    message = str(caught.value)
    assert "hunter2" not in message
    assert engine.url.render_as_string(hide_password=True) in message


# -- schools kept apart ---------------------------------------------------------------------------


def test_a_schools_people_never_include_another_schools_people(session: Session) -> None:
    _, meadowbank, hillcrest = _trust_with_two_schools(session)
    priya = _person("Priya Raman", "p.raman@meadowbank.example")
    tom = _person("Tom Ashworth", "t.ashworth@hillcrest.example")
    session.add_all(
        [
            priya,
            tom,
            Membership(person=priya, school=meadowbank, role=SchoolRole.STAFF_TEACHER),
            Membership(person=tom, school=hillcrest, role=SchoolRole.HEADTEACHER),
        ]
    )
    session.commit()

    assert [p.name for p, _ in people_in_school(session, meadowbank.id)] == ["Priya Raman"]
    assert [p.name for p, _ in people_in_school(session, hillcrest.id)] == ["Tom Ashworth"]


def test_a_schools_people_show_only_the_roles_held_in_that_school(session: Session) -> None:
    _, meadowbank, hillcrest = _trust_with_two_schools(session)
    sam = _person("Sam Okafor", "s.okafor@trust.example")
    session.add_all(
        [
            sam,
            Membership(person=sam, school=meadowbank, role=SchoolRole.DSL),
            Membership(person=sam, school=meadowbank, role=SchoolRole.STAFF_TEACHER),
            Membership(person=sam, school=hillcrest, role=SchoolRole.GOVERNOR),
        ]
    )
    session.commit()

    ((person, roles),) = people_in_school(session, meadowbank.id)
    assert person.id == sam.id
    assert sorted(roles) == [SchoolRole.DSL, SchoolRole.STAFF_TEACHER]
    ((_, roles),) = people_in_school(session, hillcrest.id)
    assert roles == [SchoolRole.GOVERNOR]


def test_a_trust_role_gives_no_membership_of_any_school(session: Session) -> None:
    trust, meadowbank, _ = _trust_with_two_schools(session)
    officer = _person("Gill Hart", "g.hart@westvale.example", PersonKind.TRUST_OFFICER)
    session.add_all(
        [officer, TrustRole(person=officer, trust=trust, role=TrustRoleKind.TRUST_SAFEGUARDING)]
    )
    session.commit()
    assert people_in_school(session, meadowbank.id) == []


def test_a_person_can_hold_different_roles_in_two_schools_of_one_trust(session: Session) -> None:
    _, meadowbank, hillcrest = _trust_with_two_schools(session)
    alex = _person("Alex Morgan", "a.morgan@trust.example", PersonKind.STAFF)
    session.add_all(
        [
            alex,
            Membership(person=alex, school=meadowbank, role=SchoolRole.STAFF_SUPPORT),
            Membership(person=alex, school=hillcrest, role=SchoolRole.LINE_MANAGER),
        ]
    )
    session.commit()
    session.expunge_all()

    rows = session.execute(
        select(School.name, Membership.role)
        .join(Membership.school)
        .join(Membership.person)
        .where(Person.email == "a.morgan@trust.example")
        .order_by(School.name)
    ).all()
    assert [tuple(row) for row in rows] == [
        ("Hillcrest Academy", SchoolRole.LINE_MANAGER),
        ("Meadowbank Primary School", SchoolRole.STAFF_SUPPORT),
    ]


def test_the_same_role_twice_in_one_school_is_refused(session: Session) -> None:
    _, meadowbank, _ = _trust_with_two_schools(session)
    jo = _person("Jo Bell", "j.bell@meadowbank.example")
    session.add_all(
        [
            jo,
            Membership(person=jo, school=meadowbank, role=SchoolRole.VOLUNTEER),
            Membership(person=jo, school=meadowbank, role=SchoolRole.VOLUNTEER),
        ]
    )
    with pytest.raises(IntegrityError):
        session.commit()


# -- people ---------------------------------------------------------------------------------------


def test_email_addresses_are_unique(session: Session) -> None:
    session.add(_person("Laura Pennington", "laura@example.com"))
    session.commit()
    session.add(_person("Laura Penn", "laura@example.com"))
    with pytest.raises(IntegrityError):
        session.commit()


def test_email_addresses_are_unique_whatever_their_case(session: Session) -> None:
    session.add(_person("Laura Pennington", "laura@example.com"))
    session.commit()
    session.add(_person("Laura Penn", " Laura@Example.COM "))
    with pytest.raises(IntegrityError):
        session.commit()


def test_a_membership_needs_a_real_school(session: Session) -> None:
    kim = _person("Kim Lee", "k.lee@example.com")
    session.add(kim)
    session.flush()
    session.add(Membership(person_id=kim.id, school_id=999_999, role=SchoolRole.SUPPLY))
    with pytest.raises(IntegrityError):
        session.commit()


def test_timestamps_come_back_in_utc(session: Session) -> None:
    person = _person("Ruth Cole", "r.cole@example.com")
    session.add(person)
    session.commit()
    session.expunge_all()
    stored = session.scalars(select(Person)).one()
    assert stored.created_at.tzinfo is not None
    assert stored.created_at.utcoffset() == UTC.utcoffset(None)


def test_an_unknown_role_is_refused_by_the_database(session: Session) -> None:
    _, meadowbank, _ = _trust_with_two_schools(session)
    person = _person("Ed Price", "e.price@example.com")
    session.add(person)
    session.flush()
    with pytest.raises(IntegrityError):
        session.execute(
            text(
                "INSERT INTO membership (person_id, school_id, role, created_at) "
                "VALUES (:p, :s, 'caretaker', CURRENT_TIMESTAMP)"
            ),
            {"p": person.id, "s": meadowbank.id},
        )


# -- settings and the command ---------------------------------------------------------------------


def test_the_default_database_is_a_sqlite_file_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BOUNDARIES_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    assert database_url() == f"sqlite:///{tmp_path / 'data' / 'boundaries.sqlite3'}"
    assert (tmp_path / "data").is_dir()


def test_the_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", POSTGRES_URL)
    assert database_url() == POSTGRES_URL


def test_db_upgrade_and_status_commands(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    runner = CliRunner()
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", db_url)
    before = runner.invoke(app, ["db", "status"])
    assert before.exit_code == 1
    assert "run `boundaries db upgrade`" in before.output
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert "up to date" in upgraded.output
    after = runner.invoke(app, ["db", "status"])
    assert after.exit_code == 0
    assert head_revision() in after.output
