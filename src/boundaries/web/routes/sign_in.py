"""Sign-in, sign-out, password reset, and single sign-on with OpenID Connect."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from datetime import timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from boundaries.accounts.limits import record_attempt, seconds_until_allowed
from boundaries.accounts.passwords import PasswordTooWeak, check_password
from boundaries.accounts.reset import (
    ResetTokenInvalid,
    complete_reset,
    issue_reset_token,
    reset_token_is_live,
)
from boundaries.accounts.sessions import end_session, start_session
from boundaries.store import Credential, ExternalIdentity, PasswordReset, Person
from boundaries.store.models import utc_now
from boundaries.web.auth import (
    PRE_SESSION_COOKIE,
    SESSION_COOKIE,
    CurrentVisitor,
    Db,
    client_address,
    queue_cookie,
)
from boundaries.web.oidc import OidcError, OidcIdentity, OidcPending
from boundaries.web.state import AppState, app_state
from boundaries.web.templating import Pages

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
pages = Pages()

OIDC_COOKIE = "bnd_oidc"
_RESETS_PER_HOUR = 3
# PostgreSQL refuses NUL in text: refuse it at the form rather than fail on the insert.
_NO_NUL = r"^[^\x00]*$"


def safe_next(target: str | None) -> str:
    """Where to go after sign-in: only a path on this site, never another site (open redirect).

    Browsers read a backslash as a slash and drop tabs and newlines, so a target with either is
    refused outright rather than trusted to be quoted on the way out.
    """
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or not target.isprintable()
    ):
        return "/"
    return target


def _begin_session(request: Request, db: Session, person: Person, method: str) -> None:
    """Start a fresh session (rotating any old one) and queue its cookie."""
    state = app_state(request)
    token = start_session(
        db,
        person,
        state.session_limits,
        method,
        replacing=request.cookies.get(SESSION_COOKIE) or None,
    )
    db.commit()
    lifetime = int(state.session_limits.lifetime.total_seconds())
    queue_cookie(request, SESSION_COOKIE, token, max_age=lifetime)
    queue_cookie(request, PRE_SESSION_COOKIE, "", max_age=0)


def _find_person(db: Session, email: str) -> Person | None:
    return db.execute(
        select(Person).where(Person.email == email.strip().lower())
    ).scalar_one_or_none()


@router.get("/sign-in")
def sign_in_form(request: Request, visitor: CurrentVisitor, next: str | None = None) -> Response:
    if visitor.principal is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return pages.render(request, "sign_in.html", _sign_in_context(request, next))


def _sign_in_context(request: Request, next: str | None, **extra: object) -> dict[str, object]:
    providers = [(c.provider.name, c.provider.label) for c in app_state(request).oidc.values()]
    return {"next": safe_next(next), "providers": providers, **extra}


@router.post("/sign-in")
def sign_in(
    request: Request,
    visitor: CurrentVisitor,
    db: Db,
    email: Annotated[str, Form(max_length=320, pattern=_NO_NUL)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    state = app_state(request)
    client = client_address(request)
    # Recorded as a failure before the limit is checked and long before the slow password
    # check, so that guesses sent at the same moment count against each other.
    attempt = record_attempt(db, email, client, False)
    db.commit()
    wait = seconds_until_allowed(db, email, client, state.sign_in_limits, excluding=attempt.id)
    if wait is not None:
        db.delete(attempt)  # a refused attempt is no guess, and must not prolong the hold
        db.commit()
        minutes = max(1, round(wait / 60))
        response = pages.render(
            request,
            "sign_in.html",
            _sign_in_context(
                request,
                next,
                error=f"Too many attempts. Please wait about {minutes} minute"
                f"{'s' if minutes != 1 else ''} and try again.",
                email=email,
            ),
            status=429,
        )
        response.headers["Retry-After"] = str(wait)
        return response
    person = _find_person(db, email)
    ok = check_password(db, person, password) and person is not None
    # A disabled account (a leaver) is refused with the same answer as a wrong password.
    ok = ok and person is not None and person.disabled_at is None
    attempt.succeeded = ok
    db.commit()
    if not ok or person is None:
        return pages.render(
            request,
            "sign_in.html",
            _sign_in_context(
                request,
                next,
                error="That e-mail address and password do not match an account.",
                email=email,
            ),
            status=401,
        )
    _begin_session(request, db, person, "password")
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/sign-out")
def sign_out(request: Request, visitor: CurrentVisitor, db: Db) -> Response:
    if visitor.session_token:
        end_session(db, visitor.session_token)
        db.commit()
    queue_cookie(request, SESSION_COOKIE, "", max_age=0)
    return RedirectResponse("/sign-in?signed_out=1", status_code=303)


# -- password reset ------------------------------------------------------------------------------
@router.get("/forgot-password")
def forgot_form(request: Request, visitor: CurrentVisitor) -> Response:
    return pages.render(request, "forgot_password.html", {})


def _send_reset(state: AppState, to: str, link: str, minutes: int) -> None:
    body = (
        "Someone asked to reset the password of your Boundaries account.\n\n"
        f"To choose a new password, open this link within {minutes} minutes:\n\n{link}\n\n"
        "If it was not you, ignore this message: your password has not changed.\n"
    )
    try:
        state.mailer.send(to, "Reset your Boundaries password", body)
    except Exception:  # the visitor is not told either way, so a failure is only logged
        log.exception("Could not send a password reset e-mail")


@router.post("/forgot-password")
def forgot(
    request: Request,
    visitor: CurrentVisitor,
    db: Db,
    background: BackgroundTasks,
    email: Annotated[str, Form(max_length=320, pattern=_NO_NUL)],
) -> Response:
    state = app_state(request)
    person = _find_person(db, email)
    # Only local accounts can be reset; people who sign in with the school's own provider
    # must not be able to make a second way in.
    if person is not None and db.get(Credential, person.id) is not None:
        recent = db.scalars(
            select(PasswordReset.token_digest).where(
                PasswordReset.person_id == person.id,
                PasswordReset.created_at > utc_now() - timedelta(hours=1),
            )
        ).all()
        if len(recent) < _RESETS_PER_HOUR:
            minutes = int(state.settings.password_reset_minutes)
            token = issue_reset_token(db, person, timedelta(minutes=minutes))
            db.commit()
            link = f"{state.settings.base_url}/reset-password?token={quote(token)}"
            background.add_task(_send_reset, state, person.email, link, minutes)
    # The same answer whether or not the address is known, so it reveals nothing.
    return pages.render(request, "forgot_password.html", {"sent": True})


@router.get("/reset-password")
def reset_form(request: Request, visitor: CurrentVisitor, db: Db, token: str = "") -> Response:
    live = reset_token_is_live(db, token)
    minimum = app_state(request).settings.password_min_length
    return pages.render(
        request,
        "reset_password.html",
        {"token": token, "invalid": not live, "min_length": minimum},
        200 if live else 400,
    )


@router.post("/reset-password")
def reset(
    request: Request,
    visitor: CurrentVisitor,
    db: Db,
    token: Annotated[str, Form(max_length=128)],
    password: Annotated[str, Form(max_length=256)],
    confirm: Annotated[str, Form(max_length=256)],
) -> Response:
    state = app_state(request)
    if password != confirm:
        return pages.render(
            request,
            "reset_password.html",
            {"token": token, "error": "The two passwords are not the same."},
            400,
        )
    try:
        complete_reset(db, token, password, state.settings.password_min_length)
    except ResetTokenInvalid as exc:
        db.rollback()
        return pages.render(
            request,
            "reset_password.html",
            {"token": token, "invalid": True, "error": str(exc)},
            400,
        )
    except PasswordTooWeak as exc:
        db.rollback()
        return pages.render(
            request, "reset_password.html", {"token": token, "error": str(exc)}, 400
        )
    db.commit()
    return RedirectResponse("/sign-in?reset=1", status_code=303)


# -- single sign-on ------------------------------------------------------------------------------
def _seal(key: bytes, payload: str) -> str:
    body = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    mac = hmac.new(key, b"oidc|" + body.encode(), hashlib.sha256).hexdigest()
    return f"{body}.{mac}"


def _unseal(key: bytes, sealed: str) -> str | None:
    body, _, mac = sealed.rpartition(".")
    expected = hmac.new(key, b"oidc|" + body.encode(), hashlib.sha256).hexdigest()
    if not body or not hmac.compare_digest(mac.encode("utf-8", "replace"), expected.encode()):
        return None
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()


@router.post("/sign-in/oidc/{provider}")
async def oidc_start(request: Request, provider: str, visitor: CurrentVisitor) -> Response:
    state = app_state(request)
    client = state.oidc.get(provider)
    if client is None:
        return pages.render(
            request,
            "sign_in.html",
            _sign_in_context(request, None, error="That sign-in option is not set up here."),
            404,
        )
    try:
        url, pending = await client.start()
    except OidcError as exc:
        return pages.render(
            request, "sign_in.html", _sign_in_context(request, None, error=str(exc)), 502
        )
    queue_cookie(request, OIDC_COOKIE, _seal(state.signing_key, pending.to_json()), max_age=600)
    return RedirectResponse(url, status_code=303)


@router.get("/sign-in/oidc/{provider}/callback")
async def oidc_callback(request: Request, provider: str, visitor: CurrentVisitor) -> Response:
    state = app_state(request)
    client = state.oidc.get(provider)
    sealed = request.cookies.get(OIDC_COOKIE, "")
    raw = _unseal(state.signing_key, sealed) if sealed else None
    queue_cookie(request, OIDC_COOKIE, "", max_age=0)
    error: str | None = None
    identity: OidcIdentity | None = None
    if client is None:
        error = "That sign-in option is not set up here."
    elif raw is None:
        error = "The sign-in took too long or was started elsewhere. Please try again."
    else:
        try:
            pending = OidcPending.from_json(raw)
            if pending.provider != provider:
                raise OidcError("The sign-in was started with another provider. Please try again.")
            identity = await client.finish(dict(request.query_params), pending)
        except OidcError as exc:
            error = str(exc)
    if identity is not None:
        signed = await run_in_threadpool(_sign_in_identity, request, provider, identity)
        if signed:
            return RedirectResponse("/", status_code=303)
        error = (
            f"{identity.email} is not registered with Boundaries. Ask your school's "
            "administrator to add you."
        )
    return pages.render(request, "sign_in.html", _sign_in_context(request, None, error=error), 400)


def _sign_in_identity(request: Request, provider: str, identity: OidcIdentity) -> bool:
    """Sign in the person an identity belongs to, linking it on first use; False if unknown."""
    with app_state(request).sessions() as db:
        link = db.execute(
            select(ExternalIdentity).where(
                ExternalIdentity.issuer == identity.issuer,
                ExternalIdentity.subject == identity.subject,
            )
        ).scalar_one_or_none()
        person = db.get(Person, link.person_id) if link is not None else None
        if person is None:
            person = _find_person(db, identity.email)
            if person is None:
                return False
            db.add(
                ExternalIdentity(
                    person_id=person.id, issuer=identity.issuer, subject=identity.subject
                )
            )
        if person.disabled_at is not None:  # a leaver's account stays shut, however they come
            return False
        record_attempt(db, identity.email, client_address(request), True)
        _begin_session(request, db, person, f"oidc:{provider}")
        return True
