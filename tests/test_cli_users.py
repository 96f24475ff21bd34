"""The command line for running the app and managing people: serve, users add/password/token."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from boundaries.accounts.api_tokens import person_for_api_token
from boundaries.accounts.passwords import check_password
from boundaries.store import Membership, Person, SchoolRole, create_db_engine, session_factory
from tests.test_cli import run
from tests.web_support import SECRET_KEY, World, build_world


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    world = build_world(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", world.url)
    monkeypatch.setenv("BOUNDARIES_SECRET_KEY", SECRET_KEY)
    return world


def test_serve_refuses_an_unmigrated_database_with_exit_64(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    code, _, err = run(capsys, "serve", "--port", "18999")
    assert code == 64
    assert "not migrated" in err and "boundaries db upgrade" in err


def test_serve_refuses_invalid_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOUNDARIES_SECURE_COOKIES", "sometimes")
    code, _, err = run(capsys, "serve")
    assert code == 64
    assert "settings are not valid" in err


def test_users_add_gives_roles_in_a_school(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "users",
        "add",
        "Zara.Quinlan@Meadowbank.example.org",
        "--name",
        "Zara Quinlan",
        "--school",
        "900101",
        "--role",
        "staff_teacher",
        "--role",
        "dsl",
    )
    assert code == 0, out
    engine = create_db_engine(world.url)
    with session_factory(engine)() as session:
        person = session.execute(
            select(Person).where(Person.email == "zara.quinlan@meadowbank.example.org")
        ).scalar_one()
        roles = set(
            session.scalars(select(Membership.role).where(Membership.person_id == person.id))
        )
    engine.dispose()
    assert roles == {SchoolRole.STAFF_TEACHER, SchoolRole.DSL}


def test_users_add_refuses_an_unknown_role_or_school(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        "users",
        "add",
        "a@example.org",
        "--name",
        "A",
        "--school",
        "900101",
        "--role",
        "janitor",
    )
    assert code == 64 and "staff_teacher" in err
    code, _, err = run(
        capsys,
        "users",
        "add",
        "a@example.org",
        "--name",
        "A",
        "--school",
        "123456",
        "--role",
        "staff_teacher",
    )
    assert code == 64 and "no school has the URN 123456" in err


def test_users_password_sets_a_new_password(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import typer

    monkeypatch.setattr(typer, "prompt", lambda *a, **k: "a much better passphrase")
    code, out, _ = run(capsys, "users", "password", world.hillcrest_teacher)
    assert code == 0, out
    engine = create_db_engine(world.url)
    with session_factory(engine)() as session:
        person = session.execute(
            select(Person).where(Person.email == world.hillcrest_teacher)
        ).scalar_one()
        assert check_password(session, person, "a much better passphrase")
    engine.dispose()


def test_users_password_refuses_a_weak_one(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import typer

    monkeypatch.setattr(typer, "prompt", lambda *a, **k: "short")
    code, _, err = run(capsys, "users", "password", world.hillcrest_teacher)
    assert code == 64 and "at least 12" in err


def test_users_token_makes_a_token_the_api_accepts(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "users", "token", world.by_role["staff_teacher"], "--name", "script")
    assert code == 0
    token = out.strip()
    engine = create_db_engine(world.url)
    with session_factory(engine)() as session:
        assert person_for_api_token(session, token) is not None
    engine.dispose()
    client = TestClient(world.app(), base_url="https://testserver")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["email"] == world.by_role["staff_teacher"]


def test_users_commands_name_an_unknown_person(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "users", "token", "nobody@example.org")
    assert code == 64 and "nobody@example.org" in err
