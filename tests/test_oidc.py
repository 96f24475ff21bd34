"""OpenID Connect sign-in, end to end over real HTTP against a provider on loopback."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from pydantic import SecretStr

from boundaries.web.oidc import OidcClient, OidcError, OidcIdentity, OidcPending
from boundaries.web.settings import OidcProvider
from tests.oidc_provider import (
    CLIENT_SECRET,
    REDIRECT_URI,
    LoopbackOidcProvider,
    OidcUser,
    with_faults,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def running_provider() -> Iterator[LoopbackOidcProvider]:
    with LoopbackOidcProvider() as provider:
        yield provider


@pytest.fixture
def provider(running_provider: LoopbackOidcProvider) -> Iterator[LoopbackOidcProvider]:
    # One server for the module keeps the suite fast; each test starts from a behaving provider.
    running_provider.reset()
    yield running_provider
    running_provider.reset()


def client_for(provider: LoopbackOidcProvider, **overrides: Any) -> OidcClient:
    return OidcClient(provider.settings(**overrides), REDIRECT_URI)


async def authorise(url: str) -> dict[str, str]:
    """What the browser would bring back to the callback: the redirect's query parameters."""
    # Plain HTTP on loopback: no certificates to load, which keeps each call quick.
    async with httpx.AsyncClient(follow_redirects=False, timeout=5, verify=False) as browser:
        response = await browser.get(url)
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT_URI + "?")
    return dict(parse_qsl(urlsplit(location).query))


async def sign_in(client: OidcClient) -> OidcIdentity:
    url, pending = await client.start()
    params = await authorise(url)
    return await client.finish(params, pending)


async def refusal(client: OidcClient) -> str:
    with pytest.raises(OidcError) as caught:
        await sign_in(client)
    return str(caught.value)


# -- the flow that works ----------------------------------------------------------------------


async def test_a_teacher_signs_in_and_gets_their_identity(
    provider: LoopbackOidcProvider,
) -> None:
    identity = await sign_in(client_for(provider))
    assert identity == OidcIdentity(
        issuer=provider.issuer,
        subject="loopback-subject-0001",
        email="a.teacher@oakfield.example",
        name="Alex Teacher",
    )
    assert provider.token_errors == []


async def test_the_authorisation_url_asks_for_the_code_flow_with_pkce_state_and_nonce(
    provider: LoopbackOidcProvider,
) -> None:
    client = client_for(provider)
    url, pending = await client.start()
    assert url.startswith(f"{provider.issuer}/authorize?")
    query = dict(parse_qsl(urlsplit(url).query))
    verifier_hash = hashlib.sha256(pending.code_verifier.encode()).digest()
    assert query == {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid email profile",
        "state": pending.state,
        "nonce": pending.nonce,
        "code_challenge": base64.urlsafe_b64encode(verifier_hash).rstrip(b"=").decode(),
        "code_challenge_method": "S256",
    }
    assert 43 <= len(pending.code_verifier) <= 128
    assert pending.provider == "loopback"
    _, again = await client.start()
    assert {again.state, again.nonce, again.code_verifier}.isdisjoint(
        {pending.state, pending.nonce, pending.code_verifier}
    )


async def test_the_discovery_document_is_fetched_once_per_client(
    provider: LoopbackOidcProvider,
) -> None:
    client = client_for(provider)
    await sign_in(client)
    await sign_in(client)
    assert provider.hits["discovery"] == 1
    assert provider.hits["jwks"] == 1


async def test_an_entra_style_token_with_only_preferred_username_signs_in(
    provider: LoopbackOidcProvider,
) -> None:
    provider.user = OidcUser(
        subject="entra-pairwise-subject",
        email=None,
        email_verified=None,
        name="Bea Teacher",
        preferred_username="B.Teacher@Oakfield.example",
    )
    identity = await sign_in(client_for(provider))
    assert identity.email == "b.teacher@oakfield.example"
    assert identity.subject == "entra-pairwise-subject"


async def test_a_google_style_string_true_counts_as_verified(
    provider: LoopbackOidcProvider,
) -> None:
    provider.user = dataclasses.replace(provider.user, email_verified="true")
    assert (await sign_in(client_for(provider))).email == "a.teacher@oakfield.example"


async def test_small_clock_differences_are_tolerated_within_the_leeway(
    provider: LoopbackOidcProvider,
) -> None:
    with_faults(provider, clock_offset_seconds=30)
    assert (await sign_in(client_for(provider))).subject == "loopback-subject-0001"


async def test_client_secret_post_is_used_when_it_is_the_only_method_offered(
    provider: LoopbackOidcProvider,
) -> None:
    with_faults(provider, token_endpoint_auth_methods=("client_secret_post",))
    await sign_in(client_for(provider))
    assert provider.client_auth_methods == ["client_secret_post"]


async def test_client_secret_basic_form_encodes_an_awkward_secret(
    provider: LoopbackOidcProvider,
) -> None:
    # The provider decodes the Basic header as RFC 6749 says; the secret holds "+", "%" and ":".
    assert {"+", "%", ":"} <= set(CLIENT_SECRET)
    with_faults(provider, token_endpoint_auth_methods=("client_secret_basic",))
    await sign_in(client_for(provider))
    assert provider.client_auth_methods == ["client_secret_basic"]
    assert provider.token_errors == []


async def test_a_new_signing_key_is_found_by_fetching_the_keys_again(
    provider: LoopbackOidcProvider,
) -> None:
    client = client_for(provider)
    await sign_in(client)
    assert provider.hits["jwks"] == 1
    provider.rotate_keys()
    assert (await sign_in(client)).email == "a.teacher@oakfield.example"
    assert provider.hits["jwks"] == 2
    await sign_in(client)
    assert provider.hits["jwks"] == 2


# -- what is refused --------------------------------------------------------------------------


async def test_a_state_that_does_not_match_is_refused_before_the_code_is_used(
    provider: LoopbackOidcProvider,
) -> None:
    client = client_for(provider)
    url, pending = await client.start()
    params = await authorise(url)
    forged = {**params, "state": "a-state-from-someone-else"}
    with pytest.raises(OidcError, match="did not match"):
        await client.finish(forged, pending)
    with pytest.raises(OidcError, match="did not match"):
        await client.finish({"code": params["code"]}, pending)
    assert provider.hits["token"] == 0


async def test_a_pending_sign_in_for_another_provider_is_refused(
    provider: LoopbackOidcProvider,
) -> None:
    client = client_for(provider)
    url, pending = await client.start()
    params = await authorise(url)
    with pytest.raises(OidcError, match="different provider"):
        await client.finish(params, dataclasses.replace(pending, provider="google"))
    assert provider.hits["token"] == 0


async def test_a_wrong_nonce_is_refused(provider: LoopbackOidcProvider) -> None:
    with_faults(provider, wrong_nonce=True)
    assert "could not be verified" in await refusal(client_for(provider))


async def test_a_token_for_another_audience_is_refused(provider: LoopbackOidcProvider) -> None:
    with_faults(provider, wrong_audience=True)
    assert "could not be verified" in await refusal(client_for(provider))


async def test_a_token_from_another_issuer_is_refused(provider: LoopbackOidcProvider) -> None:
    with_faults(provider, wrong_issuer=True)
    assert "could not be verified" in await refusal(client_for(provider))


async def test_several_audiences_are_refused_unless_azp_names_this_client(
    provider: LoopbackOidcProvider,
) -> None:
    audiences = [provider.client_id, "another-app"]
    with_faults(provider, extra_claims={"aud": audiences})
    assert "could not be verified" in await refusal(client_for(provider))
    with_faults(provider, extra_claims={"aud": audiences, "azp": provider.client_id})
    assert (await sign_in(client_for(provider))).subject == "loopback-subject-0001"


async def test_an_expired_token_is_refused(provider: LoopbackOidcProvider) -> None:
    with_faults(provider, expired=True)
    assert "has expired" in await refusal(client_for(provider))


async def test_a_token_issued_in_the_future_beyond_the_leeway_is_refused(
    provider: LoopbackOidcProvider,
) -> None:
    with_faults(provider, clock_offset_seconds=600)
    assert "could not be verified" in await refusal(client_for(provider))


async def test_a_token_signed_with_an_unpublished_key_is_refused(
    provider: LoopbackOidcProvider,
) -> None:
    with_faults(provider, bad_signature=True)
    assert "could not be verified" in await refusal(client_for(provider))


async def test_a_token_altered_after_signing_is_refused(provider: LoopbackOidcProvider) -> None:
    with_faults(provider, tampered=True)
    assert "could not be verified" in await refusal(client_for(provider))


async def test_an_unsigned_token_is_refused(provider: LoopbackOidcProvider) -> None:
    with_faults(provider, unsigned=True)
    assert "could not be verified" in await refusal(client_for(provider))


async def test_an_unverified_email_is_refused(provider: LoopbackOidcProvider) -> None:
    provider.user = dataclasses.replace(provider.user, email_verified=False)
    assert "has not been verified" in await refusal(client_for(provider))


async def test_a_token_without_an_email_address_is_refused(
    provider: LoopbackOidcProvider,
) -> None:
    provider.user = OidcUser(email=None, email_verified=None, preferred_username="ateacher")
    assert "did not give an e-mail address" in await refusal(client_for(provider))


async def test_an_email_outside_the_allowed_domains_is_refused(
    provider: LoopbackOidcProvider,
) -> None:
    client = client_for(provider, allowed_domains=("elmwood.example",))
    message = await refusal(client)
    assert message == (
        "Accounts at oakfield.example cannot sign in here. Please use your school account."
    )


async def test_allowed_domains_are_compared_without_regard_to_case(
    provider: LoopbackOidcProvider,
) -> None:
    client = client_for(provider, allowed_domains=("elmwood.example", "OAKFIELD.Example"))
    assert (await sign_in(client)).email == "a.teacher@oakfield.example"


async def test_an_error_from_the_provider_becomes_a_friendly_message(
    provider: LoopbackOidcProvider,
) -> None:
    with_faults(provider, authorize_error="access_denied")
    message = await refusal(client_for(provider))
    assert message.startswith("Signing in with Loopback ID was cancelled or refused.")
    # The provider's own description is for the log, not for the page.
    assert "AADSTS" not in message
    assert provider.hits["token"] == 0


async def test_an_unknown_error_from_the_provider_gives_a_general_message(
    provider: LoopbackOidcProvider,
) -> None:
    with_faults(provider, authorize_error="<script>alert(1)</script>")
    message = await refusal(client_for(provider))
    assert message.startswith("Loopback ID could not sign you in.")
    assert "<script>" not in message


async def test_an_unreachable_provider_gives_a_clear_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port now: the connection is refused at once.
    settings = OidcProvider(
        name="loopback",
        label="Loopback ID",
        server_metadata_url=f"http://127.0.0.1:{port}/.well-known/openid-configuration",
        client_id="boundaries-loopback",
        client_secret=SecretStr(CLIENT_SECRET),
    )
    with pytest.raises(OidcError) as caught:
        await OidcClient(settings, REDIRECT_URI).start()
    assert str(caught.value) == "Loopback ID could not be reached. Please try again later."


async def test_a_provider_that_does_not_answer_in_time_gives_a_clear_error(
    provider: LoopbackOidcProvider,
) -> None:
    client = OidcClient(provider.settings(), REDIRECT_URI, timeout_seconds=0.1)
    with_faults(provider, slow_seconds=0.5)
    with pytest.raises(OidcError, match="could not be reached"):
        await client.start()
    with_faults(provider, slow_seconds=0.0)
    url, pending = await client.start()
    params = await authorise(url)
    with_faults(provider, slow_seconds=0.5)
    with pytest.raises(OidcError, match="could not be reached"):
        await client.finish(params, pending)


async def test_a_provider_that_is_not_https_is_refused(provider: LoopbackOidcProvider) -> None:
    client = client_for(provider, server_metadata_url="http://login.example/.well-known/x")
    with pytest.raises(OidcError, match="cannot use"):
        await client.start()
    assert provider.hits["discovery"] == 0


async def test_a_wrong_pkce_verifier_is_refused_by_the_provider(
    provider: LoopbackOidcProvider,
) -> None:
    client = client_for(provider)
    url, pending = await client.start()
    params = await authorise(url)
    wrong = dataclasses.replace(pending, code_verifier="x" * 64)
    with pytest.raises(OidcError, match="did not accept the sign-in"):
        await client.finish(params, wrong)
    assert provider.token_errors == ["invalid_grant"]


async def test_a_code_can_be_used_only_once(provider: LoopbackOidcProvider) -> None:
    client = client_for(provider)
    url, pending = await client.start()
    params = await authorise(url)
    await client.finish(params, pending)
    with pytest.raises(OidcError, match="did not accept the sign-in"):
        await client.finish(params, pending)
    assert provider.token_errors == ["invalid_grant"]


async def test_a_wrong_client_secret_is_refused_and_not_shown(
    provider: LoopbackOidcProvider,
) -> None:
    client = client_for(provider, client_secret="not-the-secret")
    message = await refusal(client)
    assert "did not accept the sign-in" in message
    assert "not-the-secret" not in message
    assert provider.token_errors == ["invalid_client"]


# -- the pending record -----------------------------------------------------------------------


def test_a_pending_sign_in_survives_a_round_trip_through_json() -> None:
    pending = OidcPending(provider="loopback", state="s", nonce="n", code_verifier="v" * 43)
    assert OidcPending.from_json(pending.to_json()) == pending


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "not json",
        "[]",
        '{"provider": "loopback"}',
        '{"provider": "x", "state": "s", "nonce": "n", "code_verifier": 5}',
        '{"provider": "x", "state": "", "nonce": "n", "code_verifier": "v"}',
        '{"provider": "x", "state": "s", "nonce": "n", "code_verifier": "v", "extra": "e"}',
    ],
)
def test_a_junk_pending_sign_in_is_refused(raw: str) -> None:
    with pytest.raises(OidcError, match="Please try again"):
        OidcPending.from_json(raw)


# -- the provider itself ----------------------------------------------------------------------


def test_the_loopback_provider_starts_and_stops_quickly_and_leaves_nothing_behind() -> None:
    threads_before = set(threading.enumerate())
    began = time.monotonic()
    provider = LoopbackOidcProvider().start()
    port = provider.port
    response = httpx.get(provider.server_metadata_url, timeout=5)
    assert response.json()["issuer"] == provider.issuer
    provider.stop()
    elapsed = time.monotonic() - began
    # Usually well under half a second; the bound leaves room for a busy CI machine.
    assert elapsed < 3, f"start and stop took {elapsed:.2f} s"
    assert set(threading.enumerate()) <= threads_before
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.connect(("127.0.0.1", port))
