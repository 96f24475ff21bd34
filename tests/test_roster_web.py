"""The roster pages: preview then apply, problems by row, the import log, pupils and staff on
the roster, invitations by e-mail through a real SMTP server (aiosmtpd on loopback), leavers
shut out, and the roster feeding the check of a post.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select

from boundaries.accounts.sessions import start_session
from boundaries.roster.records import InputFile
from boundaries.roster.retention import anonymise_past_pupils
from boundaries.roster.uploads import load_pending, pending_root, purge_expired, save_pending
from boundaries.store import Person, Pupil, RosterImport
from boundaries.web.auth import SESSION_COOKIE
from boundaries.web.state import AppState
from tests.mail_support import Mailbox, mailbox, smtp_server
from tests.web_support import World, build_world, csrf_from

FIXTURES = Path(__file__).parent / "fixtures" / "mis"
NEW_PASSWORD = "a long and unguessable first password"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    folder = tmp_path_factory.mktemp("roster-web")
    return build_world(f"sqlite:///{folder / 'store.sqlite3'}")


@pytest.fixture(scope="module")
def app(world: World, smtp_server: Mailbox) -> Iterator[FastAPI]:
    smtp = {"host": "127.0.0.1", "port": smtp_server.port, "starttls": False, "timeout_seconds": 5}
    made = world.app(smtp=smtp)
    yield made
    made.state.boundaries.engine.dispose()


def state_of(app: FastAPI) -> AppState:
    state: AppState = app.state.boundaries
    return state


def signed_in(app: FastAPI, world: World, role: str) -> tuple[TestClient, str]:
    """A client with a session for the world's person in ``role``, and its CSRF token.

    The session is started directly: the password check is slow and not what is tested here.
    """
    state = state_of(app)
    with state.sessions() as session:
        person = session.scalars(select(Person).where(Person.email == world.by_role[role])).one()
        token = start_session(session, person, state.session_limits, "password")
        session.commit()
    client = TestClient(app, base_url="https://testserver")
    client.cookies.set(SESSION_COOKIE, token)
    return client, csrf_from(client.get("/forgot-password").text)


def preview(
    client: TestClient,
    csrf: str,
    school_id: int,
    names: list[str],
    kind: str,
    source: str,
    *,
    full: bool = False,
    mapping: str | None = None,
) -> Response:
    form = {"csrf_token": csrf, "kind": kind, "source": source}
    if full:
        form["full"] = "1"
    files = [("files", (name, (FIXTURES / name).read_bytes(), "text/csv")) for name in names]
    if mapping:
        files.append(("mapping", (mapping, (FIXTURES / mapping).read_bytes(), "text/yaml")))
    return client.post(f"/schools/{school_id}/roster/preview", data=form, files=files)


def token_in(page: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', page)
    assert match, "the preview offers no apply button"
    return match.group(1)


def apply(client: TestClient, csrf: str, school_id: int, token: str) -> Response:
    return client.post(
        f"/schools/{school_id}/roster/apply",
        data={"csrf_token": csrf, "token": token},
        follow_redirects=False,
    )


def pupil_count(app: FastAPI, school_id: int) -> int:
    with state_of(app).sessions() as session:
        return int(
            session.scalar(select(func.count(Pupil.id)).where(Pupil.school_id == school_id)) or 0
        )


def import_pupils(app: FastAPI, world: World) -> None:
    """Meadowbank's SIMS pupils, through the pages (idempotent: any test may call it)."""
    client, csrf = signed_in(app, world, "headteacher")
    page = preview(client, csrf, world.meadowbank, ["sims_pupils.csv"], "pupils", "sims")
    assert page.status_code == 200, page.text
    assert apply(client, csrf, world.meadowbank, token_in(page.text)).status_code == 303


# -- importing ----------------------------------------------------------------------------------
def test_a_preview_shows_the_changes_and_only_apply_makes_them(app: FastAPI, world: World) -> None:
    client, csrf = signed_in(app, world, "hr")
    before = pupil_count(app, world.meadowbank)
    page = preview(client, csrf, world.meadowbank, ["sims_pupils.csv"], "pupils", "sims")
    assert page.status_code == 200, page.text
    text = page.text
    assert "Pupils from SIMS report (CSV)" in text
    assert "Apply these changes" in text
    assert pupil_count(app, world.meadowbank) == before  # a preview writes nothing
    applied = apply(client, csrf, world.meadowbank, token_in(text))
    assert applied.status_code == 303
    assert re.fullmatch(
        rf"/schools/{world.meadowbank}/roster/imports/\d+\?applied=1", applied.headers["location"]
    )
    detail = client.get(applied.headers["location"])
    assert "The import has been applied." in detail.text
    assert "Meadowbank Hr" in detail.text  # who imported it
    assert pupil_count(app, world.meadowbank) == 9
    history = client.get(f"/schools/{world.meadowbank}/roster")
    assert "Imported" in history.text and "Pupils (sims)" in history.text


def test_a_preview_lists_every_problem_by_row_and_offers_no_apply(
    app: FastAPI, world: World
) -> None:
    client, csrf = signed_in(app, world, "it_admin")
    page = preview(client, csrf, world.meadowbank, ["sims_pupils_errors.csv"], "pupils", "sims")
    assert page.status_code == 400
    assert "7 problems found. Nothing has been changed" in page.text
    assert re.search(r"<td>line 2</td><td>UPN</td><td>UPN “A873210120011” has the wrong", page.text)
    assert "<td>line 8</td><td>UPN</td>" in page.text
    assert 'name="token"' not in page.text


def test_the_form_says_what_is_missing(app: FastAPI, world: World) -> None:
    client, csrf = signed_in(app, world, "headteacher")
    page = client.post(
        f"/schools/{world.meadowbank}/roster/preview",
        data={"csrf_token": csrf, "kind": "pupils", "source": "mapping"},
        files=[("files", ("p.csv", b"a,b\r\n", "text/csv"))],
    )
    assert page.status_code == 400
    assert "Another MIS needs a mapping file" in page.text


def test_a_mapping_file_can_be_uploaded_with_its_export(app: FastAPI, world: World) -> None:
    client, csrf = signed_in(app, world, "trust_admin")
    page = preview(
        client,
        csrf,
        world.hillcrest,
        ["other_mis_pupils.csv"],
        "pupils",
        "mapping",
        mapping="other_mis.yaml",
    )
    assert page.status_code == 200, page.text
    assert apply(client, csrf, world.hillcrest, token_in(page.text)).status_code == 303
    listing = client.get(f"/schools/{world.hillcrest}/roster/pupils")
    assert "Zoë Ashworth" in listing.text and "Rhi Pryce-Jones" in listing.text


def test_a_preview_is_applied_once_and_only_by_the_person_who_made_it(
    app: FastAPI, world: World
) -> None:
    hr, hr_csrf = signed_in(app, world, "hr")
    it, it_csrf = signed_in(app, world, "it_admin")
    page = preview(hr, hr_csrf, world.meadowbank, ["sims_pupils.csv"], "pupils", "sims")
    token = token_in(page.text)
    refused = apply(it, it_csrf, world.meadowbank, token)
    assert refused.status_code == 400 and "has expired or was already applied" in refused.text
    assert apply(hr, hr_csrf, world.meadowbank, token).status_code == 303
    assert apply(hr, hr_csrf, world.meadowbank, token).status_code == 400


def test_an_import_from_another_school_is_not_found(app: FastAPI, world: World) -> None:
    with state_of(app).sessions() as session:
        record = RosterImport(
            school_id=world.brookside, kind="pupils", source="arbor", file_sha256="1" * 64
        )
        session.add(record)
        session.commit()
        other = record.id
    client, _ = signed_in(app, world, "headteacher")
    assert client.get(f"/schools/{world.meadowbank}/roster/imports/{other}").status_code == 404


# -- the roster and screening -------------------------------------------------------------------
def test_an_imported_pupil_is_caught_when_a_post_is_checked(app: FastAPI, world: World) -> None:
    import_pupils(app, world)
    client, csrf = signed_in(app, world, "staff_teacher")
    page = client.post(
        f"/schools/{world.meadowbank}/check",
        data={"csrf_token": csrf, "text": "So proud of Mara Pemberton-Clarke in Year 6 today!"},
    )
    assert "matches a pupil on the roster" in page.text
    assert "Pemberton-Clarke" in page.text


def test_the_pupils_list_shows_who_is_on_roll_who_left_and_who_is_anonymised(
    app: FastAPI, world: World
) -> None:
    import_pupils(app, world)
    client, _ = signed_in(app, world, "headteacher")
    listing = client.get(f"/schools/{world.meadowbank}/roster/pupils").text
    assert re.search(r"Mara Pemberton-Clarke.*?On roll", listing, re.S)
    assert "Left 22/07/2024" in listing  # Ciaran
    left = client.get(f"/schools/{world.meadowbank}/roster/pupils?status=left").text
    assert "Ciaran Brennan" in left and "Pemberton-Clarke" not in left
    # Years later Ciaran is 18: anonymised, his record kept.
    with state_of(app).sessions() as session:
        anonymise_past_pupils(session, world.meadowbank, date(2031, 1, 1))
        session.commit()
    state_of(app).contexts.forget(world.meadowbank)
    gone = client.get(f"/schools/{world.meadowbank}/roster/pupils?status=anonymised").text
    assert "Anonymised record" in gone and "Ciaran" not in gone


def test_an_anonymised_pupil_is_never_screened(app: FastAPI, world: World) -> None:
    import_pupils(app, world)
    with state_of(app).sessions() as session:
        anonymise_past_pupils(session, world.meadowbank, date(2031, 1, 1))
        session.commit()
    state_of(app).contexts.forget(world.meadowbank)
    client, csrf = signed_in(app, world, "staff_teacher")
    for text in ("Well done Anonymised Anonymised!", "Lovely to see Ciaran Brennan again!"):
        page = client.post(
            f"/schools/{world.meadowbank}/check", data={"csrf_token": csrf, "text": text}
        )
        assert "matches a pupil on the roster" not in page.text, text


# -- staff: invitations and leavers -------------------------------------------------------------
def test_staff_are_invited_choose_a_password_and_are_shut_out_when_they_leave(
    app: FastAPI, world: World, mailbox: Mailbox
) -> None:
    head, csrf = signed_in(app, world, "headteacher")
    page = preview(head, csrf, world.meadowbank, ["sims_staff.csv"], "staff", "sims", full=True)
    assert apply(head, csrf, world.meadowbank, token_in(page.text)).status_code == 303

    sent = head.post(
        f"/schools/{world.meadowbank}/roster/invite",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    # The headteacher already has a password; the four new staff are invited.
    assert sorted(to[0] for to, _ in mailbox.messages) == [
        "e.forsyth@meadowbank.example.org",
        "g.whyte@meadowbank.example.org",
        "r.kapoor@meadowbank.example.org",
        "t.brannigan@meadowbank.example.org",
    ]
    assert "4 invitations sent" in head.get(sent.headers["location"]).text
    body = mailbox.body_to("e.forsyth@meadowbank.example.org")
    assert "Meadowbank Primary School" in body and "within 7 days" in body
    link = re.search(r"https://testserver(/reset-password\?token=\S+)", body)
    assert link

    # Eilidh follows the link and chooses her first password, then signs in with it.
    eilidh = TestClient(app, base_url="https://testserver")
    form = eilidh.get(link.group(1))
    assert form.status_code == 200
    token = re.search(r'name="token" value="([^"]+)"', form.text)
    assert token
    chosen = eilidh.post(
        "/reset-password",
        data={
            "csrf_token": csrf_from(form.text),
            "token": token.group(1),
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
        follow_redirects=False,
    )
    assert chosen.status_code == 303
    signed = sign_in(eilidh, "e.forsyth@meadowbank.example.org")
    assert signed.status_code == 303
    assert eilidh.get("/api/v1/me").status_code == 200

    # Nobody is invited twice within a week (Eilidh now has a password anyway).
    mailbox.clear()
    again = head.post(
        f"/schools/{world.meadowbank}/roster/invite",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert mailbox.messages == []
    assert "0 invitations sent; 3 already invited" in head.get(again.headers["location"]).text

    # A term later Eilidh is not in the MIS report: her account is disabled, her session ends.
    later = preview(
        head, csrf, world.meadowbank, ["sims_staff_later.csv"], "staff", "sims", full=True
    )
    assert apply(head, csrf, world.meadowbank, token_in(later.text)).status_code == 303
    assert eilidh.get("/api/v1/me").status_code == 401
    assert sign_in(eilidh, "e.forsyth@meadowbank.example.org").status_code != 303
    staff_page = head.get(f"/schools/{world.meadowbank}/roster/staff").text
    assert re.search(r"Eilidh Forsyth.*?Disabled \d\d/\d\d/\d{4}", staff_page, re.S)
    assert re.search(r"Rohan Kapoor.*?No account yet", staff_page, re.S)
    with state_of(app).sessions() as session:
        assert (
            session.scalars(
                select(Person).where(Person.email == "e.forsyth@meadowbank.example.org")
            )
            .one()
            .disabled_at
            is not None
        )


def sign_in(client: TestClient, address: str) -> Response:
    token = csrf_from(client.get("/sign-in").text)
    return client.post(
        "/sign-in",
        data={"email": address, "password": NEW_PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )


def test_a_waiting_upload_is_kept_for_an_hour_for_its_owner_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = [InputFile("p.csv", b"Adno,DOB\r\n1,01/01/2016\r\n")]
    token = save_pending(
        school_id=7,
        person_id=3,
        kind="pupils",
        source="sims",
        full=True,
        default_role="staff_support",
        files=files,
        mapping=None,
    )
    folder = pending_root() / token
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    waiting = load_pending(token, 7, 3)
    assert waiting is not None and waiting.files == files and waiting.full
    assert load_pending(token, 8, 3) is None and load_pending(token, 7, 4) is None
    assert load_pending("../" + token, 7, 3) is None
    later = time.time() + 3601
    monkeypatch.setattr("boundaries.roster.uploads._now", lambda: later)
    assert load_pending(token, 7, 3) is None
    assert purge_expired(later) >= 1
    assert not folder.exists()


__all__ = ["mailbox", "smtp_server"]  # fixtures, imported so that pytest finds them here
