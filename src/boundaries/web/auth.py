"""Who is asking: session cookies, API tokens, CSRF tokens, and the route guards built on them.

Pages use a server-side session (cookie ``bnd_session``); the JSON API also takes personal
tokens (``Authorization: Bearer``). Every form and every cookie-authenticated change carries a
CSRF token bound to the session, or, before sign-in, to a random pre-session cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from boundaries.accounts.api_tokens import person_for_api_token
from boundaries.accounts.secrets import digest, new_token
from boundaries.accounts.sessions import find_session
from boundaries.store import School
from boundaries.web.access import Permission, Principal, load_principal
from boundaries.web.state import app_state

SESSION_COOKIE = "bnd_session"
PRE_SESSION_COOKIE = "bnd_pre"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The largest row id the store can hold (INTEGER columns, 32 bits in PostgreSQL): a larger number
# in a URL would make the query itself fail, a server error, rather than find nothing.
MAX_ROW_ID = 2**31 - 1


class SignInRequired(Exception):
    """Raised by a guard when nobody is signed in; pages redirect, the API answers 401."""


class Forbidden(Exception):
    """The signed-in person may not do this here (403)."""


class NotFound(Exception):
    """There is nothing here for this person (404): other schools are not even confirmed."""


class CsrfRejected(Exception):
    """A change arrived without a valid CSRF token or from another site (403)."""


@dataclass
class Visitor:
    """The person behind a request, if any, and what their CSRF token is bound to."""

    principal: Principal | None
    session_token: str | None
    binding: str  # "s:<session digest>" or "p:<pre-session token>" or "bearer"
    via_bearer: bool = False


def get_db(request: Request) -> Iterator[Session]:
    """A database session for one request."""
    with app_state(request).sessions() as session:
        yield session


Db = Annotated[Session, Depends(get_db)]


def client_address(request: Request) -> str:
    """The client's address (uvicorn's proxy-headers middleware has already applied trust)."""
    host = request.client.host if request.client else ""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host[:64] or "unknown"


def queue_cookie(request: Request, name: str, value: str, *, max_age: int | None = None) -> None:
    """Ask the security middleware to set a cookie on whatever response this request ends with."""
    pending: list[tuple[str, str, int | None]] = request.scope.setdefault("state", {}).setdefault(
        "boundaries_cookies", []
    )
    pending.append((name, value, max_age))


def get_visitor(request: Request, db: Db) -> Visitor:
    """Resolve the visitor once per request: bearer token, session cookie, or anonymous."""
    cached: Visitor | None = getattr(request.state, "visitor", None)
    if cached is not None:
        return cached
    state = app_state(request)
    visitor: Visitor | None = None
    authorisation = request.headers.get("authorization", "")
    if authorisation.lower().startswith("bearer ") and request.url.path.startswith("/api/"):
        person_id = person_for_api_token(db, authorisation[7:].strip())
        principal = load_principal(db, person_id) if person_id is not None else None
        visitor = Visitor(principal, None, "bearer", via_bearer=True)
    if visitor is None:
        token = request.cookies.get(SESSION_COOKIE, "")
        live = find_session(db, token, state.session_limits) if token else None
        principal = load_principal(db, live.person_id) if live is not None else None
        if live is not None and principal is not None:
            visitor = Visitor(principal, token, "s:" + live.token_digest)
    if visitor is None:
        pre = request.cookies.get(PRE_SESSION_COOKIE, "")
        if not (20 <= len(pre) <= 64):
            pre = new_token()
            queue_cookie(request, PRE_SESSION_COOKIE, pre)
        visitor = Visitor(None, None, "p:" + digest(pre))
    request.state.visitor = visitor
    return visitor


CurrentVisitor = Annotated[Visitor, Depends(get_visitor)]


def csrf_token(request: Request, visitor: Visitor) -> str:
    """The CSRF token for this visitor's forms: an HMAC of what it is bound to."""
    key = app_state(request).signing_key
    return hmac.new(key, b"csrf|" + visitor.binding.encode(), hashlib.sha256).hexdigest()


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:  # not every client sends one; the token check still applies
        return True
    own = f"{request.url.scheme}://{request.url.netloc}"
    return origin in (own, app_state(request).settings.base_url)


async def csrf_protect(request: Request, visitor: CurrentVisitor) -> None:
    """Refuse a state-changing request that lacks this visitor's CSRF token or comes from afar.

    Applied to every route; bearer-token API calls are exempt because no browser sends them
    on its own.
    """
    if request.method in SAFE_METHODS or visitor.via_bearer:
        return
    if not _same_origin(request):
        raise CsrfRejected()
    sent = request.headers.get(CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if sent is None and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    expected = csrf_token(request, visitor).encode()
    # Compared as bytes: compare_digest refuses str with non-ASCII characters (a 500, not a 403).
    if not sent or not hmac.compare_digest(sent.encode("utf-8", "replace"), expected):
        raise CsrfRejected()


def signed_in(visitor: CurrentVisitor) -> Principal:
    """Guard: someone must be signed in."""
    if visitor.principal is None:
        raise SignInRequired()
    return visitor.principal


SignedIn = Annotated[Principal, Depends(signed_in)]


@dataclass(frozen=True)
class SchoolScope:
    """A school the signed-in person may act in, with the permission that let them in."""

    school: School
    principal: Principal
    permission: Permission


def in_school(permission: Permission) -> Callable[..., SchoolScope]:
    """Guard for ``/schools/{school_id}/...`` routes: signed in, and granted ``permission`` there.

    A school that is none of the person's business is "not found", not "forbidden", so that
    nobody can learn which school ids exist.
    """

    def guard(school_id: int, principal: SignedIn, db: Db) -> SchoolScope:
        school = db.get(School, school_id) if 0 < school_id <= MAX_ROW_ID else None
        if school is None or not principal.knows(school):
            raise NotFound()
        if not principal.may(permission, school):
            raise Forbidden()
        return SchoolScope(school, principal, permission)

    guard.permission = permission  # type: ignore[attr-defined]
    return guard
