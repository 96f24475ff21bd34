"""A small world for the web tests: two trusts, three schools, someone in every role.

Trust "Westvale" has Meadowbank (everyone, one per school role) and Hillcrest (one teacher);
trust "Eastmoor" has Brookside (one teacher). Trust officers of Westvale hold each trust role.
Everyone's password is :data:`PASSWORD`. All people are invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from fastapi import FastAPI
from fastapi.testclient import TestClient

from boundaries.accounts.passwords import hash_password
from boundaries.store import (
    ConfidentialTerm,
    Credential,
    Membership,
    Person,
    PersonKind,
    Pupil,
    School,
    SchoolRole,
    Trust,
    TrustKind,
    TrustRole,
    TrustRoleKind,
    create_db_engine,
    session_factory,
    upgrade,
)
from boundaries.web.app import create_app
from boundaries.web.settings import WebSettings

PASSWORD = "correct horse battery staple"


@cache
def _password_hash() -> str:
    # One argon2 hash for everyone in every world: each hash costs ~0.1 s of CPU, and a world
    # is built by most web test modules on both databases.
    return hash_password(PASSWORD)


SECRET_KEY = "test-secret-key-" + "k" * 32
_CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')

_KIND = {
    SchoolRole.GOVERNOR: PersonKind.GOVERNOR,
    SchoolRole.CONTRACTOR: PersonKind.CONTRACTOR,
    SchoolRole.VOLUNTEER: PersonKind.VOLUNTEER,
}


@dataclass
class World:
    """What :func:`build_world` made: database URL, school ids and everyone's e-mail by role."""

    url: str
    meadowbank: int = 0
    hillcrest: int = 0
    brookside: int = 0
    by_role: dict[str, str] = field(default_factory=dict)  # role name -> e-mail
    hillcrest_teacher: str = "harriet.quayle@hillcrest.example.org"
    brookside_teacher: str = "bilal.ormsby@brookside.example.org"

    def settings(self, **overrides: object) -> WebSettings:
        values: dict[str, object] = {
            "database_url": self.url,
            "secret_key": SECRET_KEY,
            "base_url": "https://testserver",
        }
        values.update(overrides)
        return WebSettings(**values)  # type: ignore[arg-type]

    def app(self, **overrides: object) -> FastAPI:
        return create_app(self.settings(**overrides))


def build_world(url: str) -> World:
    """Migrate the database at ``url`` and fill it with the world described above."""
    upgrade(url)
    engine = create_db_engine(url)
    world = World(url=url)
    try:
        with session_factory(engine)() as session:
            westvale = Trust(name="Westvale Learning Trust", kind=TrustKind.ACADEMY_TRUST)
            eastmoor = Trust(name="Eastmoor Council", kind=TrustKind.COUNCIL)
            meadowbank = School(
                trust=westvale,
                name="Meadowbank Primary School",
                urn="900101",
                local_authority="Westvale",
            )
            hillcrest = School(
                trust=westvale, name="Hillcrest Academy", urn="900102", local_authority="Westvale"
            )
            brookside = School(
                trust=eastmoor, name="Brookside School", urn="900201", local_authority="Eastmoor"
            )
            session.add_all([westvale, eastmoor, meadowbank, hillcrest, brookside])
            session.flush()
            world.meadowbank, world.hillcrest, world.brookside = (
                meadowbank.id,
                hillcrest.id,
                brookside.id,
            )
            people: list[Person] = []
            for role in SchoolRole:
                email = f"{role.value.replace('_', '.')}@meadowbank.example.org"
                person = Person(
                    name=f"Meadowbank {role.value.replace('_', ' ').title()}",
                    email=email,
                    kind=_KIND.get(role, PersonKind.STAFF),
                )
                session.add(person)
                session.flush()
                session.add(Membership(person_id=person.id, school_id=meadowbank.id, role=role))
                world.by_role[role.value] = email
                people.append(person)
            for trust_role in TrustRoleKind:
                email = f"{trust_role.value.replace('_', '.')}@westvale.example.org"
                person = Person(
                    name=f"Westvale {trust_role.value.replace('_', ' ').title()}",
                    email=email,
                    kind=PersonKind.TRUST_OFFICER,
                )
                session.add(person)
                session.flush()
                session.add(TrustRole(person_id=person.id, trust_id=westvale.id, role=trust_role))
                world.by_role[trust_role.value] = email
                people.append(person)
            for name, email, school in (
                ("Harriet Quayle", world.hillcrest_teacher, hillcrest),
                ("Bilal Ormsby", world.brookside_teacher, brookside),
            ):
                person = Person(name=name, email=email, kind=PersonKind.STAFF)
                session.add(person)
                session.flush()
                session.add(
                    Membership(
                        person_id=person.id, school_id=school.id, role=SchoolRole.STAFF_TEACHER
                    )
                )
                people.append(person)
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
                    Pupil(
                        school_id=brookside.id,
                        legal_forename="Keziah",
                        surname="Abernethy",
                        date_of_birth=date(2012, 5, 30),
                        year_group="Year 9",
                    ),
                    ConfidentialTerm(school_id=meadowbank.id, term="Project Kestrel"),
                ]
            )
            for person in people:
                session.add(Credential(person_id=person.id, password_hash=_password_hash()))
            session.commit()
    finally:
        engine.dispose()
    return world


def csrf_from(html: str) -> str:
    """The CSRF token in a page's forms."""
    match = _CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign ``client`` in; returns the CSRF token of the signed-in session."""
    token = csrf_from(client.get("/sign-in").text)
    response = client.post(
        "/sign-in",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = client.get("/", follow_redirects=True)
    return csrf_from(page.text)
