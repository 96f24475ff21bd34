"""Single sign-on through the app: a school's OpenID Connect provider (run on loopback) signs
staff in, but only people Boundaries already knows, from allowed domains, with a fresh session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from boundaries.store import ExternalIdentity, Person, create_db_engine, session_factory
from tests.databases import empty_database
from tests.oidc_provider import LoopbackOidcProvider, OidcUser
from tests.web_support import World, build_world, csrf_from

CALLBACK = "https://testserver/sign-in/oidc/loopback/callback"


@pytest.fixture(scope="module")
def provider() -> Iterator[LoopbackOidcProvider]:
    with LoopbackOidcProvider(redirect_uris=(CALLBACK,)) as running:
        yield running


@pytest.fixture(params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    for url in empty_database(request.param, tmp_path, prefix="test_oidc"):
        yield build_world(url)


def _client(world: World, provider: LoopbackOidcProvider, **overrides: object) -> TestClient:
    settings = {"oidc": (provider.settings(**overrides),)}
    return TestClient(world.app(**settings), base_url="https://testserver")


def _sign_in_with_provider(
    client: TestClient, provider: LoopbackOidcProvider, user: OidcUser
) -> httpx.Response:
    provider.user = user
    page = client.get("/sign-in")
    assert "Sign in with Loopback ID" in page.text
    started = client.post(
        "/sign-in/oidc/loopback", data={"csrf_token": csrf_from(page.text)}, follow_redirects=False
    )
    assert started.status_code == 303
    assert started.headers["location"].startswith(provider.issuer)
    # The browser's trip to the provider, over real HTTP to the loopback server.
    at_provider = httpx.get(started.headers["location"], follow_redirects=False, timeout=5)
    assert at_provider.status_code in (302, 303)
    back = urlsplit(at_provider.headers["location"])
    return client.get(f"{back.path}?{back.query}", follow_redirects=False)


def test_a_known_person_signs_in_with_the_schools_provider(
    world: World, provider: LoopbackOidcProvider
) -> None:
    client = _client(world, provider)
    planted = "planted-session-token-value-000000000000"
    client.cookies.set("bnd_session", planted, domain="testserver.local")
    user = OidcUser(subject="entra-0001", email=world.hillcrest_teacher.upper())
    response = _sign_in_with_provider(client, provider, user)
    assert response.status_code == 303, response.text
    assert any(
        c.startswith("bnd_session=") and planted not in c
        for c in response.headers.get_list("set-cookie")
    )
    home = client.get("/", follow_redirects=False)
    assert home.headers["location"] == f"/schools/{world.hillcrest}/check"
    engine = create_db_engine(world.url)
    with session_factory(engine)() as session:
        link = session.scalars(select(ExternalIdentity)).one()
        person = session.get(Person, link.person_id)
        assert person is not None and person.email == world.hillcrest_teacher
        assert (link.issuer, link.subject) == (provider.issuer, "entra-0001")
    engine.dispose()


def test_the_identity_is_linked_so_a_later_email_change_still_signs_in(
    world: World, provider: LoopbackOidcProvider
) -> None:
    client = _client(world, provider)
    first = _sign_in_with_provider(
        client, provider, OidcUser(subject="entra-0002", email=world.brookside_teacher)
    )
    assert first.status_code == 303
    client.cookies.clear()
    renamed = OidcUser(subject="entra-0002", email="b.ormsby.new@brookside.example.org")
    again = _sign_in_with_provider(client, provider, renamed)
    assert again.status_code == 303
    assert (
        client.get("/", follow_redirects=False)
        .headers["location"]
        .endswith(f"/schools/{world.brookside}/check")
    )


def test_someone_unknown_to_boundaries_is_not_signed_in(
    world: World, provider: LoopbackOidcProvider
) -> None:
    client = _client(world, provider)
    response = _sign_in_with_provider(
        client, provider, OidcUser(subject="x-1", email="stranger@meadowbank.example.org")
    )
    assert response.status_code == 400
    assert "is not registered with Boundaries" in response.text
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/sign-in")


def test_a_domain_outside_the_allowed_list_is_refused(
    world: World, provider: LoopbackOidcProvider
) -> None:
    client = _client(world, provider, allowed_domains=("westvale.example.org",))
    response = _sign_in_with_provider(
        client, provider, OidcUser(subject="x-2", email=world.hillcrest_teacher)
    )
    assert response.status_code == 400
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/sign-in")


def test_a_callback_without_the_browsers_pending_state_is_refused(
    world: World, provider: LoopbackOidcProvider
) -> None:
    client = _client(world, provider)
    response = client.get("/sign-in/oidc/loopback/callback?code=abc&state=def")
    assert response.status_code == 400
    assert "Please try again" in response.text


def test_a_forged_pending_cookie_is_refused(world: World, provider: LoopbackOidcProvider) -> None:
    client = _client(world, provider)
    client.cookies.set("bnd_oidc", "eyJmb28iOiAiYmFyIn0.0000", domain="testserver.local")
    response = client.get("/sign-in/oidc/loopback/callback?code=abc&state=def")
    assert response.status_code == 400


def test_starting_single_sign_on_needs_the_csrf_token(
    world: World, provider: LoopbackOidcProvider
) -> None:
    client = _client(world, provider)
    client.get("/sign-in")
    assert client.post("/sign-in/oidc/loopback", follow_redirects=False).status_code == 403


def test_an_unknown_provider_name_is_not_found(
    world: World, provider: LoopbackOidcProvider
) -> None:
    client = _client(world, provider)
    token = csrf_from(client.get("/sign-in").text)
    response = client.post("/sign-in/oidc/nope", data={"csrf_token": token})
    assert response.status_code == 404
