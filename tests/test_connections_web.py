"""The "Audit my connections" pages: upload an export, see each pupil found with what to do,
nothing stored unless a summary is shared, and the headteacher's list of shared summaries.

Exports are built the way the platforms write them (Facebook's ``friends_v2`` with its UTF-8
bytes escaped as Latin-1, Snapchat's ``json/friends.json``). Everyone in them is invented.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from boundaries.accounts.sessions import start_session
from boundaries.connections.sharing import (
    Summary,
    SummaryPupil,
    seal,
    share,
    shared_summaries,
)
from boundaries.store import (
    ConnectionSummary,
    ConnectionSummaryPupil,
    Contact,
    Declaration,
    DeclarationStatus,
    DeclarationSubject,
    Person,
    Pupil,
    PupilContact,
    School,
    create_db_engine,
    session_factory,
    upgrade,
)
from boundaries.web.auth import SESSION_COOKIE
from tests import connections_fixtures as fx
from tests.web_support import World, build_world, csrf_from


def _facebook_escaped(text: str) -> str:
    """A string as Facebook writes it: each UTF-8 byte as a \\u00XX escape."""
    return "".join(c if c.isascii() else "".join(f"\\u00{b:02x}" for b in c.encode()) for c in text)


def facebook_zip(names: list[str]) -> bytes:
    """A 2023-era Facebook "Download Your Information" ZIP with these friends."""
    entries = ",\n    ".join(
        f'{{ "name": "{_facebook_escaped(name)}", "timestamp": {1694523600 + i} }}'
        for i, name in enumerate(names)
    )
    document = f'{{\n  "friends_v2": [\n    {entries}\n  ]\n}}'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        root = "facebook-staffmember-25112026-AbCdEf"
        archive.writestr(f"{root}/connections/friends/your_friends.json", document)
        archive.writestr(f"{root}/index.html", "<html></html>")
    return buffer.getvalue()


def snapchat_zip(friends: list[tuple[str, str]]) -> bytes:
    document = {
        "Friends": [
            {
                "Username": handle,
                "Display Name": name,
                "Creation Timestamp": "2025-02-21 18:40:50 UTC",
                "Last Modified Timestamp": "2025-02-21 18:40:50 UTC",
                "Source": "Added by Username",
            }
            for name, handle in friends
        ],
        "Friend Requests Sent": [],
        "Blocked Users": [],
        "Deleted Friends": [],
        "Pending Requests": [],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("json/friends.json", json.dumps(document))
    return buffer.getvalue()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("connections-web")
    made = build_world(f"sqlite:///{folder / 'store.sqlite3'}")
    engine = create_db_engine(made.url)
    with session_factory(engine)() as session:
        oliver = session.scalars(select(Pupil).where(Pupil.surname == "Hargreaves")).one()
        session.add_all(
            [
                # Left last summer and still under 18: still covered (6.8).
                Pupil(
                    school_id=made.meadowbank,
                    legal_forename="Siân",
                    surname="Pemberton",
                    date_of_birth=date(2010, 1, 9),
                    leaving_date=date(2025, 7, 18),
                    year_group="Year 11",
                ),
                Contact(
                    school_id=made.meadowbank, mis_id="C-1", forename="Marcia", surname="Hargreaves"
                ),
            ]
        )
        session.flush()
        contact = session.scalars(select(Contact).where(Contact.mis_id == "C-1")).one()
        session.add(PupilContact(pupil_id=oliver.id, contact_id=contact.id, relationship="Mother"))
        session.commit()
    engine.dispose()
    return made


@pytest.fixture(scope="module")
def app(world: World) -> Iterator[FastAPI]:
    made = world.app()
    yield made
    made.state.boundaries.engine.dispose()


def signed_in(app: FastAPI, world: World, role: str) -> tuple[TestClient, str]:
    """A client with a session for the world's person in ``role`` (no slow password check)."""
    state = app.state.boundaries
    with state.sessions() as session:
        person = session.scalars(select(Person).where(Person.email == world.by_role[role])).one()
        token = start_session(session, person, state.session_limits, "password")
        session.commit()
    client = TestClient(app, base_url="https://testserver")
    client.cookies.set(SESSION_COOKIE, token)
    return client, csrf_from(client.get("/forgot-password").text)


def audit(client: TestClient, csrf: str, school_id: int, data: bytes, *, htmx: bool = False) -> str:
    response = client.post(
        f"/schools/{school_id}/connections/audit",
        data={"csrf_token": csrf},
        files={"export": ("facebook-export.zip", data, "application/zip")},
        headers={"HX-Request": "true"} if htmx else {},
    )
    assert response.status_code == 200, response.text
    return response.text


def summaries(app: FastAPI) -> int:
    with app.state.boundaries.sessions() as session:
        return int(session.scalar(select(func.count(ConnectionSummary.id))) or 0)


def test_the_page_says_the_export_is_not_stored_unless_a_summary_is_shared(
    app: FastAPI, world: World
) -> None:
    client, _ = signed_in(app, world, "staff_teacher")
    page = client.get(f"/schools/{world.meadowbank}/connections").text
    assert "Your export is not stored." in page
    assert "unless you choose to share a summary with the headteacher" in page
    assert 'enctype="multipart/form-data"' in page  # works without JavaScript
    assert 'hx-post="/schools/' in page and 'id="audit-progress"' in page


def test_a_pupil_among_facebook_friends_is_shown_with_status_reason_and_next_steps(
    app: FastAPI, world: World
) -> None:
    client, csrf = signed_in(app, world, "staff_teacher")
    before = summaries(app)
    page = audit(
        client,
        csrf,
        world.meadowbank,
        facebook_zip(["Olly Hargreaves", "Sian Pemberton", "Keziah Abernethy", "Dominic Yeats"]),
    )
    findings = page[page.index('id="audit-findings"') :]
    assert "Olly (Oliver) Hargreaves" in findings
    assert "Current pupil" in findings
    assert "Siân Pemberton" in findings and "Left, under 18" in findings
    assert "Pupil: not declared" in findings
    assert "Remove them as a friend on Facebook." in findings
    assert "The name “Olly Hargreaves” matches the preferred name and the surname." in findings
    declare = f'href="/schools/{world.meadowbank}/declarations/new?q=Olly%20Hargreaves"'
    assert declare in findings
    # The link's search finds the pupil on the declarations form.
    assert "Olly (Oliver) Hargreaves" in client.get(declare[6:-1]).text
    # Brookside's pupil is another school's business; an unrelated friend is nobody.
    assert "Abernethy" not in findings and "Yeats" not in findings
    assert "4 connections checked from Facebook" in page
    assert summaries(app) == before  # an audit alone stores nothing


def test_a_parent_at_the_school_is_a_caution_not_a_breach(app: FastAPI, world: World) -> None:
    client, csrf = signed_in(app, world, "staff_support")
    page = audit(client, csrf, world.meadowbank, facebook_zip(["Marcia Hargreaves"]))
    assert "Caution: parent or carer" in page
    assert "Parent or carer of Olly (Oliver) Hargreaves" in page
    assert "Pupil: not declared" not in page
    assert "(6.18)" in page


def test_a_declared_relationship_shows_as_declared(app: FastAPI, world: World) -> None:
    client, csrf = signed_in(app, world, "line_manager")
    state = app.state.boundaries
    with state.sessions() as session:
        person = session.scalars(
            select(Person).where(Person.email == world.by_role["line_manager"])
        ).one()
        grace = session.scalars(select(Pupil).where(Pupil.surname == "Whitfield")).one()
        session.add(
            Declaration(
                school_id=world.meadowbank,
                person_id=person.id,
                subject=DeclarationSubject.PUPIL,
                pupil_id=grace.id,
                subject_name="Grace Whitfield",
                platform="Facebook",
                nature="family friends",
                reason="Her mother is my sister's oldest friend.",
                status=DeclarationStatus.ACCEPTED,
            )
        )
        session.commit()
    page = audit(client, csrf, world.meadowbank, facebook_zip(["Grace Whitfield"]))
    assert "Declared (accepted)" in page or "declared (accepted)" in page
    assert "Pupil: not declared" not in page


def test_with_htmx_only_the_results_come_back(app: FastAPI, world: World) -> None:
    client, csrf = signed_in(app, world, "staff_teacher")
    page = audit(
        client, csrf, world.meadowbank, snapchat_zip([("", "olly.hargreaves09")]), htmx=True
    )
    assert "<html" not in page
    assert "Olly (Oliver) Hargreaves" in page
    assert "Snapchat, friend" in page


def test_an_export_that_cannot_be_read_says_what_was_expected(app: FastAPI, world: World) -> None:
    client, csrf = signed_in(app, world, "staff_teacher")
    response = client.post(
        f"/schools/{world.meadowbank}/connections/audit",
        data={"csrf_token": csrf},
        files={"export": ("notes.zip", b"this is not a zip file", "application/zip")},
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.text
    assert "notes.zip" in response.text


def test_an_html_download_is_refused_with_a_message_asking_for_the_json_one(
    app: FastAPI, world: World
) -> None:
    client, csrf = signed_in(app, world, "staff_teacher")
    response = client.post(
        f"/schools/{world.meadowbank}/connections/audit",
        data={"csrf_token": csrf},
        files={"export": ("facebook.zip", fx.zip_bytes(fx.facebook_html()), "application/zip")},
    )
    assert response.status_code == 400 and 'role="alert"' in response.text
    assert "Facebook&#39;s HTML download" in response.text and "JSON" in response.text
    assert 'id="audit-clear"' not in response.text


def test_an_export_with_nothing_matchable_by_name_is_not_shown_as_an_all_clear(
    app: FastAPI, world: World
) -> None:
    client, csrf = signed_in(app, world, "staff_teacher")
    page = audit(client, csrf, world.meadowbank, fx.zip_bytes(fx.x_archive()))
    assert 'id="audit-unchecked"' in page and 'id="audit-clear"' not in page
    assert "cannot match them to pupils" in page


def _seal_from(page: str) -> str:
    match = re.search(r'name="summary" value="([^"]+)"', page)
    assert match, "the results have no share form"
    return match.group(1)


def test_sharing_keeps_counts_and_pupils_never_the_connections(app: FastAPI, world: World) -> None:
    client, csrf = signed_in(app, world, "supply")
    page = audit(
        client,
        csrf,
        world.meadowbank,
        snapchat_zip([("Olly H", "olly.hargreaves09"), ("Tamsin Okonedo", "tamsin_o_art")]),
    )
    response = client.post(
        f"/schools/{world.meadowbank}/connections/share",
        data={"csrf_token": csrf, "summary": _seal_from(page), "note": "Removed him today."},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "Your summary has been shared" in client.get(response.headers["location"]).text
    with app.state.boundaries.sessions() as session:
        row = session.scalars(
            select(ConnectionSummary).order_by(ConnectionSummary.id.desc())
        ).first()
        assert row is not None
        assert (row.connections_checked, row.not_declared, row.platforms) == (2, 1, "Snapchat")
        pupils = session.scalars(
            select(ConnectionSummaryPupil).where(ConnectionSummaryPupil.summary_id == row.id)
        ).all()
        assert [(p.name, p.status, p.outcome) for p in pupils] == [
            ("Olly (Oliver) Hargreaves", "current", "not_declared")
        ]
        stored = " ".join(str(v) for v in (*row.__dict__.values(), *(p.__dict__ for p in pupils)))
    for connection_detail in ("olly.hargreaves09", "Olly H", "Tamsin", "tamsin_o_art"):
        assert connection_detail not in stored


def test_a_summary_cannot_be_shared_in_someone_elses_name_or_altered(
    app: FastAPI, world: World
) -> None:
    teacher, teacher_csrf = signed_in(app, world, "staff_teacher")
    sealed = _seal_from(
        audit(teacher, teacher_csrf, world.meadowbank, facebook_zip(["Olly Hargreaves"]))
    )
    before = summaries(app)
    other, other_csrf = signed_in(app, world, "staff_support")
    refused = other.post(
        f"/schools/{world.meadowbank}/connections/share",
        data={"csrf_token": other_csrf, "summary": sealed},
    )
    assert refused.status_code == 400
    body, _, mac = sealed.rpartition(".")
    altered = teacher.post(
        f"/schools/{world.meadowbank}/connections/share",
        data={"csrf_token": teacher_csrf, "summary": body[:-4] + "AAAA." + mac},
    )
    assert altered.status_code == 400
    assert summaries(app) == before


def test_the_headteacher_sees_shared_summaries_and_a_teacher_may_not(
    app: FastAPI, world: World
) -> None:
    client, csrf = signed_in(app, world, "volunteer")
    page = audit(client, csrf, world.meadowbank, facebook_zip(["Grace Whitfield"]))
    client.post(
        f"/schools/{world.meadowbank}/connections/share",
        data={"csrf_token": csrf, "summary": _seal_from(page)},
    )
    head, _ = signed_in(app, world, "headteacher")
    listing = head.get(f"/schools/{world.meadowbank}/connections/shared")
    assert listing.status_code == 200
    assert "Meadowbank Volunteer" in listing.text and "Grace Whitfield" in listing.text
    teacher, _ = signed_in(app, world, "staff_teacher")
    assert teacher.get(f"/schools/{world.meadowbank}/connections/shared").status_code == 403


# -- storage, on both databases ----------------------------------------------------------------
def test_shared_summaries_are_kept_per_school_newest_first(db_url: str) -> None:
    upgrade(db_url)
    engine = create_db_engine(db_url)
    try:
        with session_factory(engine)() as session:
            from boundaries.store import Trust, TrustKind

            trust = Trust(name="Fernleigh Trust", kind=TrustKind.ACADEMY_TRUST)
            one = School(trust=trust, name="Fernleigh Primary", urn="910001", local_authority="X")
            two = School(trust=trust, name="Fernleigh High", urn="910002", local_authority="X")
            session.add_all([trust, one, two])
            session.flush()
            summary = Summary(
                platforms=["Instagram"],
                connections_checked=812,
                counts={"not_declared": 1, "caution": 2},
                unmatchable=0,
                pupils=[SummaryPupil("Ruby Castellan", "current", "not_declared", "strong")],
            )
            share(session, one.id, None, "Pat Staffmember", summary)
            share(session, one.id, None, "Pat Staffmember", summary, "second")
            share(session, two.id, None, "Lee Elsewhere", summary)
            session.commit()
            found = shared_summaries(session, one.id)
            assert [s.summary.note for s in found] == ["second", None]
            assert found[0].summary.caution == 2 and found[0].summary.connections_checked == 812
            assert [p.name for p in found[0].pupils] == ["Ruby Castellan"]
            assert all(s.summary.person_name == "Pat Staffmember" for s in found)
    finally:
        engine.dispose()


def test_a_sealed_summary_expires_after_two_hours() -> None:
    from boundaries.connections.sharing import InvalidSummary, unseal

    summary = Summary(["Facebook"], 10, {}, 0, [])
    token = seal(summary, b"k" * 32, 1, 2, now=1_000_000.0)
    assert unseal(token, b"k" * 32, 1, 2, now=1_000_000.0 + 60) == summary
    with pytest.raises(InvalidSummary):
        unseal(token, b"k" * 32, 1, 2, now=1_000_000.0 + 3 * 3600)
    with pytest.raises(InvalidSummary):
        unseal(token, b"k" * 32, 3, 2, now=1_000_000.0)  # another school
