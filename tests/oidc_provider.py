"""A small but real OpenID Connect provider for tests, served on loopback.

``LoopbackOidcProvider`` runs an ASGI app under uvicorn in a background thread on 127.0.0.1 at a
free port. It does discovery, JWKS, an authorisation endpoint that approves the configured user
at once, and a token endpoint that checks the client's secret, the code (single use, bound to the
client and redirect URI) and the PKCE S256 verifier. Its ID tokens are RS256, signed with keys
made at start. ``faults`` make it misbehave in the ways a test needs.

It imports no pytest, so any test (the web routes', say) can use it::

    with LoopbackOidcProvider() as provider:
        settings = provider.settings()
        ...
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import re
import secrets
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote_plus, urlencode

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from joserfc import jwt
from joserfc.jwk import RSAKey
from pydantic import SecretStr

from boundaries.web.settings import OidcProvider

CLIENT_ID = "boundaries-loopback"
# Holds the characters that RFC 6749's form-encoding of a Basic header exists for.
CLIENT_SECRET = "loopback-secret+with%odd:chars/~"
REDIRECT_URI = "https://boundaries.example/sign-in/oidc/loopback/callback"
_VERIFIER = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")
_START_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class OidcUser:
    """The invented person the provider signs in. ``None`` leaves a claim out of the ID token."""

    subject: str = "loopback-subject-0001"
    email: str | None = "A.Teacher@Oakfield.example"
    email_verified: bool | str | None = True
    name: str | None = "Alex Teacher"
    preferred_username: str | None = None


@dataclass(frozen=True)
class OidcFaults:
    """Ways to make the provider misbehave. The defaults behave."""

    wrong_audience: bool = False
    wrong_issuer: bool = False
    wrong_nonce: bool = False
    expired: bool = False
    # Shifts the provider's clock (iat and exp) by this many seconds, for leeway tests.
    clock_offset_seconds: int = 0
    # Signed with a key that was never published, under the published key's id.
    bad_signature: bool = False
    # Signed properly, then the payload swapped for one naming someone else.
    tampered: bool = False
    # alg "none", no signature at all.
    unsigned: bool = False
    # Redirects back with this OAuth error instead of a code.
    authorize_error: str | None = None
    token_endpoint_auth_methods: tuple[str, ...] = ("client_secret_basic", "client_secret_post")
    # Discovery and the token endpoint wait this long before answering, for timeout tests.
    slow_seconds: float = 0.0
    # Merged into the ID token's claims last (to set "aud" to a list, add "azp", and so on).
    extra_claims: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Grant:
    client_id: str
    redirect_uri: str
    nonce: str | None
    code_challenge: str
    scope: str
    user: OidcUser
    expires_at: float


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _new_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


class LoopbackOidcProvider:
    """An OpenID Connect provider on 127.0.0.1. Use as a context manager, or start() and stop().

    ``hits`` counts requests per endpoint ("discovery", "jwks", "authorize", "token");
    ``token_errors`` lists the OAuth errors the token endpoint gave; ``client_auth_methods``
    lists how the client authenticated at each token request.
    """

    def __init__(
        self,
        *,
        client_id: str = CLIENT_ID,
        client_secret: str = CLIENT_SECRET,
        redirect_uris: tuple[str, ...] = (REDIRECT_URI,),
        user: OidcUser | None = None,
        faults: OidcFaults | None = None,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = redirect_uris
        self.user = user or OidcUser()
        self.faults = faults or OidcFaults()
        self.hits: Counter[str] = Counter()
        self.token_errors: list[str] = []
        self.client_auth_methods: list[str] = []
        self._codes: dict[str, _Grant] = {}
        self._key_count = 0
        self._signing_key: RSAKey | None = None
        self._published: list[RSAKey] = []
        self._stray_key: RSAKey | None = None
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None

    # -- life cycle ---------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the loopback OIDC provider has not been started")
        return self._port

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def server_metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def start(self) -> LoopbackOidcProvider:
        if self._thread is not None:
            raise RuntimeError("the loopback OIDC provider is already running")
        self.rotate_keys()
        self._stray_key = _new_key("never-published")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self._socket = sock
        self._port = sock.getsockname()[1]
        config = uvicorn.Config(
            self._app(),
            log_config=None,  # leave the test run's logging alone
            log_level="warning",
            access_log=False,
            lifespan="off",
            loop="asyncio",
            http="h11",
            ws="none",
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="loopback-oidc", daemon=True
        )
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + _START_TIMEOUT_SECONDS
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the loopback OIDC provider did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        server, thread, sock = self._server, self._thread, self._socket
        self._server = self._thread = self._socket = None
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(timeout=_START_TIMEOUT_SECONDS)
            if thread.is_alive():
                raise RuntimeError("the loopback OIDC provider did not stop")
        if sock is not None:
            sock.close()

    def __enter__(self) -> LoopbackOidcProvider:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- test controls ------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the default user, no faults and zero counts (keys and codes stay)."""
        self.user = OidcUser()
        self.faults = OidcFaults()
        self.hits.clear()
        self.token_errors.clear()
        self.client_auth_methods.clear()

    def rotate_keys(self) -> str:
        """Signs with a new key from now on; the JWKS keeps the previous one too. Returns the
        new key id."""
        self._key_count += 1
        kid = f"loopback-{self._key_count}-{secrets.token_hex(4)}"
        key = _new_key(kid)
        self._published = [key, *self._published[:1]]
        self._signing_key = key
        return kid

    def settings(self, **overrides: Any) -> OidcProvider:
        """Boundaries' settings for a provider pointed at this one."""
        values: dict[str, Any] = {
            "name": "loopback",
            "label": "Loopback ID",
            "server_metadata_url": self.server_metadata_url,
            "client_id": self.client_id,
            "client_secret": SecretStr(self.client_secret),
        }
        values.update(overrides)
        return OidcProvider(**values)

    def _current_kid(self) -> str:
        assert self._signing_key is not None
        return str(self._signing_key.kid)

    # -- the app ------------------------------------------------------------------------------

    def _app(self) -> FastAPI:
        app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
        # Every endpoint is async: sync ones would run in AnyIO worker threads, which outlive
        # stop() for a moment and would look like a leak.

        @app.get("/.well-known/openid-configuration")
        async def discovery() -> dict[str, Any]:
            self.hits["discovery"] += 1
            await asyncio.sleep(self.faults.slow_seconds)
            issuer = self.issuer
            return {
                "issuer": issuer,
                "authorization_endpoint": f"{issuer}/authorize",
                "token_endpoint": f"{issuer}/token",
                "jwks_uri": f"{issuer}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile"],
                "token_endpoint_auth_methods_supported": list(
                    self.faults.token_endpoint_auth_methods
                ),
                "code_challenge_methods_supported": ["S256"],
                "claims_supported": ["sub", "email", "email_verified", "name"],
            }

        @app.get("/jwks")
        async def jwks() -> dict[str, Any]:
            self.hits["jwks"] += 1
            return {"keys": [key.as_dict(private=False) for key in self._published]}

        @app.get("/authorize")
        async def authorize(request: Request) -> Response:
            self.hits["authorize"] += 1
            return self._authorize(dict(request.query_params))

        @app.post("/token")
        async def token(request: Request) -> Response:
            self.hits["token"] += 1
            await asyncio.sleep(self.faults.slow_seconds)
            form = await request.form()
            fields = {k: v for k, v in form.items() if isinstance(v, str)}
            return self._token(request.headers.get("authorization"), fields)

        return app

    def _authorize(self, query: dict[str, str]) -> Response:
        # Without a known client and a registered redirect URI, the error is shown here and
        # never sent on (RFC 6749, 4.1.2.1).
        if query.get("client_id") != self.client_id:
            return PlainTextResponse("unknown client", status_code=400)
        redirect_uri = query.get("redirect_uri", "")
        if redirect_uri not in self.redirect_uris:
            return PlainTextResponse("redirect URI not registered", status_code=400)
        state = query.get("state")

        def back(params: dict[str, str]) -> Response:
            if state is not None:
                params["state"] = state
            joiner = "&" if "?" in redirect_uri else "?"
            return RedirectResponse(redirect_uri + joiner + urlencode(params), status_code=302)

        if query.get("response_type") != "code":
            return back({"error": "unsupported_response_type"})
        scope = query.get("scope", "")
        if "openid" not in scope.split():
            return back({"error": "invalid_scope"})
        challenge = query.get("code_challenge", "")
        if query.get("code_challenge_method") != "S256" or not challenge:
            return back({"error": "invalid_request", "error_description": "PKCE S256 needed"})
        if self.faults.authorize_error is not None:
            return back(
                {
                    "error": self.faults.authorize_error,
                    "error_description": "AADSTS65004: User declined to consent to access the app.",
                }
            )
        code = secrets.token_urlsafe(32)
        self._codes[code] = _Grant(
            client_id=self.client_id,
            redirect_uri=redirect_uri,
            nonce=query.get("nonce"),
            code_challenge=challenge,
            scope=scope,
            user=self.user,
            expires_at=time.time() + 60,
        )
        return back({"code": code})

    def _token(self, authorization: str | None, form: dict[str, str]) -> Response:
        def refuse(error: str, status: int = 400) -> Response:
            self.token_errors.append(error)
            return JSONResponse({"error": error}, status_code=status)

        client_id, client_secret, method = _client_credentials(authorization, form)
        if method is None:
            return refuse("invalid_client", 401)
        self.client_auth_methods.append(method)
        if method not in self.faults.token_endpoint_auth_methods:
            return refuse("invalid_client", 401)
        if client_id != self.client_id or not hmac.compare_digest(
            client_secret.encode(), self.client_secret.encode()
        ):
            return refuse("invalid_client", 401)
        if form.get("grant_type") != "authorization_code":
            return refuse("unsupported_grant_type")
        # Codes are single use: taken out before any other check, so a failed try spends it.
        grant = self._codes.pop(form.get("code", ""), None)
        if grant is None or grant.expires_at < time.time():
            return refuse("invalid_grant")
        if grant.client_id != client_id or grant.redirect_uri != form.get("redirect_uri"):
            return refuse("invalid_grant")
        verifier = form.get("code_verifier", "")
        if not _VERIFIER.match(verifier):
            return refuse("invalid_grant")
        challenge = _b64url(hashlib.sha256(verifier.encode("ascii")).digest())
        if not hmac.compare_digest(challenge, grant.code_challenge):
            return refuse("invalid_grant")
        return JSONResponse(
            {
                "access_token": secrets.token_urlsafe(32),
                "token_type": "Bearer",
                "expires_in": 3600,
                "scope": grant.scope,
                "id_token": self._id_token(grant),
            },
            headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
        )

    def _id_token(self, grant: _Grant) -> str:
        faults, user = self.faults, grant.user
        now = int(time.time()) + faults.clock_offset_seconds
        if faults.expired:
            now -= 3600
        claims: dict[str, Any] = {
            "iss": "https://impostor.example" if faults.wrong_issuer else self.issuer,
            "sub": user.subject,
            "aud": "some-other-client" if faults.wrong_audience else grant.client_id,
            "iat": now,
            "exp": now + 300,
            "auth_time": now,
        }
        if grant.nonce is not None:
            claims["nonce"] = "not-the-nonce-you-sent" if faults.wrong_nonce else grant.nonce
        for claim, value in (
            ("email", user.email),
            ("email_verified", user.email_verified),
            ("name", user.name),
            ("preferred_username", user.preferred_username),
        ):
            if value is not None:
                claims[claim] = value
        claims.update(faults.extra_claims)

        if faults.unsigned:
            header = _b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
            return f"{header}.{_b64url(json.dumps(claims).encode())}."
        key = self._stray_key if faults.bad_signature else self._signing_key
        assert key is not None
        header_fields = {"alg": "RS256", "kid": self._current_kid()}
        token = jwt.encode(header_fields, claims, key, algorithms=["RS256"])
        if faults.tampered:
            forged = {**claims, "email": "head.teacher@oakfield.example", "sub": "someone-else"}
            head, _, signature = token.split(".")
            token = f"{head}.{_b64url(json.dumps(forged).encode())}.{signature}"
        return token


def _client_credentials(
    authorization: str | None, form: dict[str, str]
) -> tuple[str, str, str | None]:
    """The client's id, secret and how it sent them; method None when unreadable or sent twice."""
    in_form = "client_secret" in form
    if authorization is not None and authorization.lower().startswith("basic "):
        if in_form:
            return "", "", None
        try:
            pair = base64.b64decode(authorization[6:].strip(), validate=True).decode()
        except ValueError:
            return "", "", None
        raw_id, colon, raw_secret = pair.partition(":")
        if not colon:
            return "", "", None
        # RFC 6749, 2.3.1: both halves are form-encoded before base64.
        return unquote_plus(raw_id), unquote_plus(raw_secret), "client_secret_basic"
    if in_form:
        return form.get("client_id", ""), form["client_secret"], "client_secret_post"
    return "", "", None


def with_faults(provider: LoopbackOidcProvider, **changes: Any) -> None:
    """Sets some faults on ``provider``, keeping the others."""
    provider.faults = replace(provider.faults, **changes)
