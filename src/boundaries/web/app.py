"""The FastAPI application: ``create_app()`` builds it from settings and refuses an unmigrated
database before it serves anything."""

from __future__ import annotations

import gc
import logging
import re
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from boundaries.mail import mailer_for
from boundaries.policy import load_pack
from boundaries.screening.context import ScreeningContext
from boundaries.screening.engine import Screener
from boundaries.store import create_db_engine, require_migrated, session_factory
from boundaries.web.auth import CsrfRejected, Forbidden, NotFound, SignInRequired, csrf_protect
from boundaries.web.body_limit import BodyLimitMiddleware
from boundaries.web.middleware import SecurityMiddleware
from boundaries.web.oidc import OidcClient
from boundaries.web.routes import (
    api,
    case_evidence,
    cases,
    connections,
    images,
    monitoring,
    policy_editions,
    registers,
    reports,
    roster,
    schools,
    sign_in,
)
from boundaries.web.settings import WebSettings, load_settings
from boundaries.web.state import AppState
from boundaries.web.templating import STATIC_DIR, Pages, ensure_visitor

log = logging.getLogger(__name__)
_RESET_TOKEN = re.compile(r"([?&]token=)[^&\s]*")


class _HideResetTokens(logging.Filter):
    """Keeps password-reset tokens out of the access log: a reset link is a key to the account."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) > 2 and isinstance(args[2], str):
            record.args = (*args[:2], _RESET_TOKEN.sub(r"\1[hidden]", args[2]), *args[3:])
        return True


_HIDE_RESET_TOKENS = _HideResetTokens()
_pages = Pages()


def create_app(settings: WebSettings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """The web app. Raises :class:`boundaries.store.NotMigratedError` on an unmigrated database."""
    settings = settings or load_settings()
    engine = engine or create_db_engine(settings.database_url)
    require_migrated(engine)
    logging.getLogger("uvicorn.access").addFilter(_HIDE_RESET_TOKENS)  # added once however often
    state = AppState(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        pack=load_pack(settings.policy_file),
        signing_key=settings.signing_key(),
        mailer=mailer_for(settings),
    )
    # The first screener loads the word lists (seconds): do it before serving, not in the first
    # checks, which would each load them again. Then keep that heap out of every collection.
    Screener(state.pack, ScreeningContext())
    gc.collect()
    gc.freeze()
    for provider in settings.oidc:
        redirect = f"{settings.base_url}/sign-in/oidc/{provider.name}/callback"
        state.oidc[provider.name] = OidcClient(provider, redirect)

    app = FastAPI(
        title="Boundaries",
        summary="Check social media posts against the school's policy.",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # Swagger UI would load scripts from a CDN, which the CSP forbids
        redoc_url=None,
        dependencies=[Depends(csrf_protect)],
    )
    app.state.boundaries = state
    # Added first, so that it sits inside the security headers: the 413 carries them too.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_mb * 1024 * 1024)
    app.add_middleware(SecurityMiddleware, secure_cookies=settings.secure_cookies)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(sign_in.router)
    app.include_router(schools.router)
    app.include_router(api.router)
    app.include_router(roster.router)
    app.include_router(policy_editions.router)
    app.include_router(registers.router)
    app.include_router(reports.router)
    app.include_router(cases.router)
    app.include_router(case_evidence.router)
    app.include_router(monitoring.router)
    app.include_router(connections.router)
    app.include_router(images.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    _install_error_pages(app)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, title: str, detail: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": detail}, status_code=status)
    ensure_visitor(request)
    return _pages.render(request, "error.html", {"title": title, "detail": detail}, status)


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def sign_in_required(request: Request, _exc: SignInRequired) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {"detail": "Sign in, or send a valid API token."},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = "/sign-in?next=" + quote(
            request.url.path + (f"?{request.url.query}" if request.url.query else ""), safe=""
        )
        if request.headers.get("hx-request") == "true":
            # HTMX swaps responses in place; tell it to load the sign-in page instead.
            return Response(status_code=401, headers={"HX-Redirect": target})
        if request.method in ("GET", "HEAD"):
            return RedirectResponse(target, status_code=303)
        return _error(request, 401, "Please sign in", "Your session has ended. Please sign in.")

    @app.exception_handler(NotFound)
    async def not_found(request: Request, _exc: NotFound) -> Response:
        return _error(request, 404, "Not found", "There is nothing here for you.")

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, _exc: Forbidden) -> Response:
        return _error(
            request, 403, "Not allowed", "Your role in this school does not include this page."
        )

    @app.exception_handler(CsrfRejected)
    async def csrf_rejected(request: Request, _exc: CsrfRejected) -> Response:
        return _error(
            request,
            403,
            "Please try again",
            "This form has expired or came from another site. Reload the page and try again.",
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        titles = {404: "Not found", 405: "Not allowed"}
        detail = str(exc.detail) if exc.status_code != 404 else "There is no such page."
        response = _error(request, exc.status_code, titles.get(exc.status_code, "Error"), detail)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": jsonable_errors(exc)}, status_code=422)
        return _error(request, 400, "Something was wrong with the form", _describe_form_errors(exc))


def jsonable_errors(exc: RequestValidationError) -> list[dict[str, object]]:
    """Validation errors without the submitted input echoed back (it may be a private draft)."""
    return [
        {"loc": list(error.get("loc", ())), "msg": error.get("msg", ""), "type": error.get("type")}
        for error in exc.errors()
    ]


def _describe_form_errors(exc: RequestValidationError) -> str:
    if any(
        error.get("type") == "string_too_long" and tuple(error.get("loc", ()))[-1:] == ("text",)
        for error in exc.errors()
    ):
        return "The draft is too long to check: keep it to 10,000 characters or fewer."
    fields = sorted({str(error.get("loc", ("", ""))[-1]) for error in exc.errors()})
    return "Please check these fields and try again: " + ", ".join(fields) + "."
