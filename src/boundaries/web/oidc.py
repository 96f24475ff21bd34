"""Signing in with OpenID Connect (Microsoft Entra ID, Google Workspace and the like).

The flow is the authorisation code flow with PKCE (S256), a ``state`` against cross-site request
forgery and a ``nonce`` against replayed ID tokens. :class:`OidcClient` is free of any web
framework: the app calls :meth:`OidcClient.start`, keeps the :class:`OidcPending` it gets (in a
short-lived signed cookie), redirects to the URL, and on the callback hands the query parameters
and the pending record to :meth:`OidcClient.finish`, which gives an :class:`OidcIdentity` or
raises :class:`OidcError` with a message fit to show the person signing in.

The code exchange uses Authlib's ``AsyncOAuth2Client``; the ID token is checked with ``joserfc``
(Authlib's own ``authlib.jose`` is deprecated in favour of it since Authlib 1.6).
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
import re
import secrets
import ssl
import time
import warnings
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any
from urllib.parse import quote, urlsplit

# Imported before the block below: it sets an "always" filter that would trump ours there.
import authlib.deprecate  # type: ignore[import-untyped, unused-ignore]  # noqa: F401
import httpx
from joserfc import jws, jwt
from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from boundaries.web.settings import OidcProvider

with warnings.catch_warnings():
    # Authlib 1.9 prefers the "httpx2" package and warns when it falls back to httpx, which is
    # what Boundaries uses; the warning is about Authlib's future, not about this code.
    warnings.filterwarnings("ignore", message=".*httpx module is deprecated.*")
    from authlib.integrations.httpx_client import (  # type: ignore[import-untyped, unused-ignore]
        AsyncOAuth2Client,
        OAuthError,
    )

__all__ = ["OidcClient", "OidcError", "OidcIdentity", "OidcPending"]

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 10.0
# The discovery document and keys change rarely; an hour keeps a restart-free app current.
CACHE_SECONDS = 3600.0
# Asymmetric algorithms only: "none" and the HMAC family (keyed with the client secret) are never
# accepted, so a leaked secret or a forged header cannot mint an ID token.
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_ADDRESS = re.compile(r"^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+$")
_ERROR_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_PENDING_MAX_LENGTH = 512


class OidcError(Exception):
    """A sign-in that cannot go on. The message is safe to show: no secrets, no tokens."""


@dataclass(frozen=True)
class OidcIdentity:
    """Who the provider says signed in. ``email`` is lower-cased and, where the provider says so,
    verified; the app still has to find a person in Boundaries with that address."""

    issuer: str
    subject: str
    email: str
    name: str | None


@dataclass(frozen=True)
class OidcPending:
    """What the app keeps between the redirect to the provider and the callback."""

    provider: str
    state: str
    nonce: str
    code_verifier: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> OidcPending:
        expired = OidcError("The sign-in was interrupted or took too long. Please try again.")
        try:
            data = json.loads(raw)
        except (TypeError, ValueError) as error:
            raise expired from error
        names = {f.name for f in fields(cls)}
        if not isinstance(data, dict) or set(data) != names:
            raise expired
        for value in data.values():
            if not isinstance(value, str) or not 0 < len(value) <= _PENDING_MAX_LENGTH:
                raise expired
        return cls(**data)


@dataclass(frozen=True)
class _Discovery:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    token_auth_method: str
    algorithms: tuple[str, ...]


class _LentTransport(httpx.AsyncBaseTransport):
    """Lends the caller's transport to short-lived clients without letting them close it."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        return None


def _encode_client_secret_basic(
    client: Any, method: str, uri: str, headers: dict[str, str], body: str
) -> tuple[str, dict[str, str], str]:
    # RFC 6749, section 2.3.1: the id and secret are form-encoded before base64. Authlib sends
    # them raw, which a strict provider misreads when a secret holds "+", "%" or ":".
    pair = f"{quote(client.client_id, safe='')}:{quote(client.client_secret, safe='')}"
    headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    return uri, headers, body


class OidcClient:
    """Signs people in with one configured OpenID Connect provider.

    One instance per provider is meant to live as long as the app: it caches the provider's
    discovery document and signing keys. Each HTTP call uses a fresh client, so an instance is
    safe to share between event loops (the app's and a test's).
    """

    def __init__(
        self,
        provider: OidcProvider,
        redirect_uri: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        leeway_seconds: int = 60,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self.provider = provider
        self.redirect_uri = redirect_uri
        self._transport = _LentTransport(transport) if transport is not None else None
        self._leeway = leeway_seconds
        self._timeout = httpx.Timeout(timeout_seconds)
        self._discovery: tuple[_Discovery, float] | None = None
        self._jwks: tuple[str, KeySet, float] | None = None
        self._ssl_context: ssl.SSLContext | None = None

    # -- the two steps ------------------------------------------------------------------------

    async def start(self) -> tuple[str, OidcPending]:
        """The provider's authorisation URL to send the person to, and what to keep meanwhile."""
        meta = await self._metadata()
        pending = OidcPending(
            provider=self.provider.name,
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            # 64 characters, inside PKCE's 43 to 128.
            code_verifier=secrets.token_urlsafe(48),
        )
        async with self._oauth_client(meta) as oauth:
            url, _ = oauth.create_authorization_url(
                meta.authorization_endpoint,
                state=pending.state,
                code_verifier=pending.code_verifier,
                nonce=pending.nonce,
            )
        return str(url), pending

    async def finish(self, params: Mapping[str, str], pending: OidcPending) -> OidcIdentity:
        """Checks the callback, exchanges the code and checks the ID token."""
        if pending.provider != self.provider.name:
            raise OidcError("The sign-in was started with a different provider. Please try again.")
        returned_state = params.get("state", "")
        if not hmac.compare_digest(returned_state.encode(), pending.state.encode()):
            raise OidcError(
                "The sign-in response did not match the sign-in that was started here. "
                "Please try again."
            )
        if "error" in params:
            raise self._provider_refusal(params)
        code = params.get("code", "")
        if not code:
            raise OidcError(f"{self.provider.label} did not send a sign-in code. Please try again.")

        meta = await self._metadata()
        id_token = await self._exchange(meta, code, pending)
        claims = await self._verified_claims(meta, id_token, pending)
        return self._identity(meta, claims)

    # -- the provider's answer ----------------------------------------------------------------

    def _provider_refusal(self, params: Mapping[str, str]) -> OidcError:
        error = params.get("error", "")
        code = error if _ERROR_CODE.match(error) else "unreadable"
        # The description may help an administrator (Entra's AADSTS codes) but is the provider's
        # free text, so it goes to the log, shortened, never to the page.
        description = params.get("error_description", "")[:300].replace("\n", " ")
        logger.warning(
            "OIDC provider %s refused sign-in: %s (%s)", self.provider.name, code, description
        )
        label = self.provider.label
        if code == "access_denied":
            return OidcError(
                f"Signing in with {label} was cancelled or refused. If you did not cancel it, "
                "please ask your school's IT administrator whether your account may use Boundaries."
            )
        if code in {"login_required", "consent_required", "interaction_required"}:
            return OidcError(
                f"{label} needs you to sign in or give consent first. Please try again."
            )
        if code in {"temporarily_unavailable", "server_error"}:
            return OidcError(
                f"{label} is having difficulties at the moment. Please try again in a few minutes."
            )
        return OidcError(
            f"{label} could not sign you in. Please try again, or ask your school's IT "
            "administrator."
        )

    async def _exchange(self, meta: _Discovery, code: str, pending: OidcPending) -> str:
        label = self.provider.label
        try:
            async with self._oauth_client(meta) as oauth:
                token = await oauth.fetch_token(
                    meta.token_endpoint,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=pending.code_verifier,
                )
        except OAuthError as error:
            logger.warning(
                "OIDC provider %s refused the code exchange: %s",
                self.provider.name,
                getattr(error, "error", "unknown"),
            )
            raise OidcError(
                f"{label} did not accept the sign-in. Please try signing in again."
            ) from error
        except httpx.TransportError as error:
            raise OidcError(f"{label} could not be reached. Please try again later.") from error
        except (httpx.HTTPError, ValueError) as error:
            logger.warning(
                "OIDC provider %s gave a bad token response: %s", self.provider.name, error
            )
            raise OidcError(
                f"{label} did not accept the sign-in. Please try signing in again."
            ) from error
        id_token = token.get("id_token") if isinstance(token, Mapping) else None
        if not isinstance(id_token, str) or not id_token:
            raise OidcError(f"{label} did not send an ID token. Please try signing in again.")
        return id_token

    async def _verified_claims(
        self, meta: _Discovery, id_token: str, pending: OidcPending
    ) -> dict[str, Any]:
        unverifiable = OidcError(
            f"The sign-in response from {self.provider.label} could not be verified. "
            "Please try signing in again."
        )
        # Extra header fields (Entra's "x5t", for one) are no reason to refuse a token.
        registry = JWSRegistry(algorithms=list(meta.algorithms), strict_check_header=False)
        try:
            header = jws.extract_compact(id_token.encode(), registry=registry).headers()
        except (JoseError, ValueError) as error:
            raise unverifiable from error
        if header.get("alg") not in meta.algorithms:
            logger.warning("OIDC ID token with algorithm %r refused", header.get("alg"))
            raise unverifiable
        kid = header.get("kid")
        keys = await self._keys(meta, kid if isinstance(kid, str) else None)
        try:
            token = jwt.decode(id_token, keys, registry=registry)
            jwt.JWTClaimsRegistry(
                leeway=self._leeway,
                iss={"essential": True, "value": meta.issuer},
                aud={"essential": True, "value": self.provider.client_id},
                sub={"essential": True},
                exp={"essential": True},
                iat={"essential": True},
            ).validate(token.claims)
        except ExpiredTokenError as error:
            raise OidcError(
                f"The sign-in response from {self.provider.label} has expired. "
                "Please try signing in again."
            ) from error
        except (JoseError, ValueError) as error:
            logger.warning("OIDC ID token refused: %s", error)
            raise unverifiable from error
        claims = token.claims

        nonce = claims.get("nonce")
        if not isinstance(nonce, str) or not hmac.compare_digest(
            nonce.encode(), pending.nonce.encode()
        ):
            logger.warning("OIDC ID token refused: the nonce does not match")
            raise unverifiable
        # OpenID Connect Core 3.1.3.7: with several audiences, "azp" must name this client.
        audience = claims["aud"]
        azp = claims.get("azp")
        several = isinstance(audience, list) and len(audience) > 1
        if (several or azp is not None) and azp != self.provider.client_id:
            logger.warning("OIDC ID token refused: azp does not name this client")
            raise unverifiable
        return claims

    def _identity(self, meta: _Discovery, claims: Mapping[str, Any]) -> OidcIdentity:
        label = self.provider.label
        # Google gives "email"; Entra ID often gives only "preferred_username" (the sign-in name,
        # an address in a school tenant).
        address = _address(claims.get("email")) or _address(claims.get("preferred_username"))
        if address is None:
            raise OidcError(
                f"{label} did not give an e-mail address for your account, "
                "so you cannot sign in with it."
            )
        if "email_verified" in claims and not _is_true(claims["email_verified"]):
            raise OidcError(
                f"Your e-mail address has not been verified by {label}, "
                "so it cannot be used to sign in."
            )
        domain = address.rpartition("@")[2]
        allowed = {d.strip().lstrip("@").rstrip(".").lower() for d in self.provider.allowed_domains}
        if allowed and domain not in allowed:
            raise OidcError(
                f"Accounts at {domain} cannot sign in here. Please use your school account."
            )
        name = claims.get("name")
        return OidcIdentity(
            issuer=meta.issuer,
            subject=str(claims["sub"]),
            email=address,
            name=(name.strip() or None) if isinstance(name, str) else None,
        )

    # -- discovery and keys -------------------------------------------------------------------

    async def _metadata(self) -> _Discovery:
        cached = self._discovery
        if cached is not None and time.monotonic() - cached[1] < CACHE_SECONDS:
            return cached[0]
        _check_endpoint(self.provider.server_metadata_url, self.provider.label)
        doc = await self._get_json(self.provider.server_metadata_url)
        meta = self._parse_discovery(doc)
        self._discovery = (meta, time.monotonic())
        return meta

    def _parse_discovery(self, doc: Mapping[str, Any]) -> _Discovery:
        label = self.provider.label
        broken = OidcError(f"{label} gave sign-in settings that Boundaries cannot use.")
        values: dict[str, str] = {}
        for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
            value = doc.get(key)
            if not isinstance(value, str) or not value:
                logger.warning("OIDC discovery for %s lacks %s", self.provider.name, key)
                raise broken
            values[key] = value
        if "{" in values["issuer"]:
            # Entra's "common" and "organizations" documents name no single issuer.
            logger.warning(
                "OIDC provider %s uses a multi-tenant discovery document; configure the "
                "school's own tenant instead",
                self.provider.name,
            )
            raise broken
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            _check_endpoint(values[key], label)

        methods = doc.get("token_endpoint_auth_methods_supported")
        # client_secret_post is preferred where offered: it avoids the Basic-header encoding that
        # providers read differently. Without the field, Basic is the default (Discovery 1.0, 3).
        if not isinstance(methods, list):
            method = "client_secret_basic"
        elif "client_secret_post" in methods:
            method = "client_secret_post"
        elif "client_secret_basic" in methods:
            method = "client_secret_basic"
        else:
            logger.warning("OIDC provider %s offers no client-secret method", self.provider.name)
            raise broken

        advertised = doc.get("id_token_signing_alg_values_supported")
        algorithms = tuple(
            a for a in SIGNING_ALGORITHMS if isinstance(advertised, list) and a in advertised
        ) or ("RS256",)
        return _Discovery(
            issuer=values["issuer"],
            authorization_endpoint=values["authorization_endpoint"],
            token_endpoint=values["token_endpoint"],
            jwks_uri=values["jwks_uri"],
            token_auth_method=method,
            algorithms=algorithms,
        )

    async def _keys(self, meta: _Discovery, kid: str | None) -> KeySet:
        cached = self._jwks
        if (
            cached is not None
            and cached[0] == meta.jwks_uri
            and time.monotonic() - cached[2] < CACHE_SECONDS
        ):
            keys = cached[1]
            if kid is None or any(key.kid == kid for key in keys):
                return keys
            # An unknown key id usually means the provider has rotated its keys: fetch once more.
        return await self._fetch_keys(meta)

    async def _fetch_keys(self, meta: _Discovery) -> KeySet:
        doc = await self._get_json(meta.jwks_uri)
        try:
            keys = KeySet.import_key_set(doc)  # type: ignore[arg-type]
        except (JoseError, ValueError, KeyError, TypeError) as error:
            logger.warning("OIDC provider %s gave unusable keys: %s", self.provider.name, error)
            raise OidcError(
                f"{self.provider.label} gave sign-in settings that Boundaries cannot use."
            ) from error
        self._jwks = (meta.jwks_uri, keys, time.monotonic())
        return keys

    # -- HTTP -----------------------------------------------------------------------------------

    async def _get_json(self, url: str) -> dict[str, Any]:
        unreachable = OidcError(
            f"{self.provider.label} could not be reached. Please try again later."
        )
        try:
            async with httpx.AsyncClient(
                headers={"Accept": "application/json"}, **self._http_options()
            ) as http:
                response = await http.get(url)
                response.raise_for_status()
                data = response.json()
        except (httpx.HTTPError, ValueError) as error:
            logger.warning("OIDC fetch of %s failed: %s", url, error)
            raise unreachable from error
        if not isinstance(data, dict):
            logger.warning("OIDC fetch of %s gave no JSON object", url)
            raise unreachable
        return data

    def _http_options(self) -> dict[str, Any]:
        if self._transport is not None:
            return {"transport": self._transport, "timeout": self._timeout}
        if self._ssl_context is None:
            # Made once: building one per request (as httpx does by default) costs tens of ms.
            self._ssl_context = httpx.create_ssl_context()
        return {"verify": self._ssl_context, "timeout": self._timeout}

    def _oauth_client(self, meta: _Discovery) -> Any:
        oauth = AsyncOAuth2Client(
            client_id=self.provider.client_id,
            client_secret=self.provider.client_secret.get_secret_value(),
            token_endpoint_auth_method=meta.token_auth_method,
            scope=self.provider.scope,
            redirect_uri=self.redirect_uri,
            code_challenge_method="S256",
            **self._http_options(),
        )
        oauth.register_client_auth_method(("client_secret_basic", _encode_client_secret_basic))
        return oauth


def _check_endpoint(url: str, label: str) -> None:
    """Only HTTPS, except on this machine (a provider that tests run on loopback)."""
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS):
        return
    logger.warning("OIDC endpoint %s refused: not HTTPS", url)
    raise OidcError(f"{label} gave sign-in settings that Boundaries cannot use.")


def _address(value: object) -> str | None:
    if isinstance(value, str) and len(value) <= 254 and _ADDRESS.match(value.strip()):
        return value.strip().lower()
    return None


def _is_true(value: object) -> bool:
    # Some Google tokens have carried the string "true" rather than the JSON boolean.
    return value is True or (isinstance(value, str) and value.lower() == "true")
