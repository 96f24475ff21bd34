"""Odd input gets a clear refusal, never a server error, on SQLite and PostgreSQL alike; secrets
stay out of the logs."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from boundaries.web.app import _HIDE_RESET_TOKENS
from tests.databases import empty_database
from tests.web_support import World, build_world, csrf_from, sign_in


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("robust")
    for url in empty_database(request.param, folder, prefix="test_robust"):
        yield build_world(url)


def _client(world: World) -> TestClient:
    return TestClient(world.app(), base_url="https://testserver", raise_server_exceptions=False)


def test_a_nul_character_in_the_email_is_refused_not_a_server_error(world: World) -> None:
    client = _client(world)
    token = csrf_from(client.get("/sign-in").text)
    for path in ("/sign-in", "/forgot-password"):
        response = client.post(
            path, data={"email": "a\x00@b.example", "password": "x", "csrf_token": token}
        )
        assert response.status_code == 400, (path, response.status_code)


def test_a_saved_draft_with_a_nul_character_is_kept_without_it(world: World) -> None:
    client = _client(world)
    token = sign_in(client, world.by_role["volunteer"])
    response = client.post(
        f"/schools/{world.meadowbank}/drafts",
        data={"text": "hello\x00there", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "hellothere" in client.get(f"/schools/{world.meadowbank}/drafts").text


def test_a_csrf_token_with_non_ascii_characters_is_refused_not_a_server_error(
    world: World,
) -> None:
    client = _client(world)
    client.get("/sign-in")
    form = client.post(
        "/sign-in", data={"email": "a@b.example", "password": "x", "csrf_token": "é"}
    )
    header = client.post(
        "/api/v1/schools/1/check", json={"text": "hi"}, headers={"x-csrf-token": b"\xe9"}
    )
    assert form.status_code == 403
    assert header.status_code in (401, 403)


def test_a_forged_sso_cookie_with_odd_characters_is_refused_not_a_server_error(
    world: World,
) -> None:
    client = _client(world)
    response = client.get("/sign-in/oidc/x/callback", headers={"cookie": b"bnd_oidc=abc.\xe9"})
    assert response.status_code == 400


def test_a_missing_draft_is_not_called_too_long(world: World) -> None:
    client = _client(world)
    token = sign_in(client, world.by_role["governor"])
    response = client.post(f"/schools/{world.meadowbank}/drafts", data={"csrf_token": token})
    assert response.status_code == 400
    assert "too long" not in response.text and "text" in response.text


def test_reset_tokens_are_hidden_in_the_access_log() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/reset-password?token=SECRET-TOKEN&x=1", "1.1", 200),
        None,
    )
    _HIDE_RESET_TOKENS.filter(record)
    assert "SECRET-TOKEN" not in record.getMessage()
    assert "token=[hidden]&x=1" in record.getMessage()


def test_workers_starting_together_share_one_whole_secret_key(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    from boundaries.web.settings import _stored_secret_key

    monkeypatch.chdir(str(tmp_path))
    monkeypatch.delenv("BOUNDARIES_SECRET_KEY", raising=False)
    with multiprocessing.get_context("fork").Pool(4) as pool:
        keys = pool.starmap(_stored_secret_key, [()] * 8)
    assert len(set(keys)) == 1 and len(keys[0]) >= 32


def test_a_body_over_the_servers_cap_is_refused_before_any_route_reads_it(world: World) -> None:
    client = TestClient(
        world.app(max_request_mb=1), base_url="https://testserver", raise_server_exceptions=False
    )
    sign_in(client, world.by_role["staff_teacher"])
    token = csrf_from(client.get(f"/schools/{world.meadowbank}/check").text)
    big = b"x" * (1024 * 1024 + 1)
    declared = client.post(
        f"/schools/{world.meadowbank}/check",
        content=big,
        headers={"content-type": "application/x-www-form-urlencoded", "x-csrf-token": token},
    )
    assert declared.status_code == 413
    assert declared.headers["x-frame-options"] == "DENY"  # security headers on refusals too

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(3):
            yield b"x" * (512 * 1024)

    chunked = client.post(
        f"/schools/{world.meadowbank}/check",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded", "x-csrf-token": token},
    )
    assert chunked.status_code == 413
    small = client.post(
        f"/schools/{world.meadowbank}/check",
        data={"draft": "A lovely day", "csrf_token": token},
    )
    assert small.status_code == 200
