"""Security of the web app: who may use which route, CSRF, escaping, headers, and privacy.

The authorisation matrix is a hand-written table of every route and who may use it, checked
against the app's real routes (so a new route must be added here) and then requested as every
kind of person: anonymous, each school role in Meadowbank, each trust role of Westvale (its
trust), a teacher of another school in the same trust and a teacher in another trust.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from html.parser import HTMLParser

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import Engine, MetaData, String, Text, cast, func, select
from starlette.routing import Mount, Route

from boundaries.accounts.api_tokens import issue_api_token
from boundaries.accounts.sessions import start_session
from boundaries.store import Person, SavedDraft, School, SchoolRole, TrustRoleKind
from boundaries.web.auth import SESSION_COOKIE
from boundaries.web.state import AppState
from tests.authz import (
    ACTORS,
    ANONYMOUS,
    BROOKSIDE_TEACHER,
    EVERYONE,
    HILLCREST_TEACHER,
    KNOWS_MEADOWBANK,
    MEADOWBANK_STAFF,
    SEES_MEADOWBANK_PEOPLE,
    SIGNED_IN,
    USES_MEADOWBANK,
    WESTVALE_OFFICERS,
    Rule,
    area_routes,
)
from tests.databases import empty_database
from tests.web_support import PASSWORD, World, build_world, csrf_from

CLEAN_POST = "Looking forward to seeing everyone at the summer fair on Saturday!"
ROUTES: dict[str, Rule] = {
    # Sign-in and its neighbours are for everyone; a signed-in visitor is sent on from the form.
    "GET /sign-in": Rule(EVERYONE, frozenset({200, 303})),
    # No e-mail or password: the form is refused as incomplete, without touching the limits.
    "POST /sign-in": Rule(EVERYONE, frozenset({400})),
    "POST /sign-out": Rule(EVERYONE, frozenset({303})),
    "GET /forgot-password": Rule(EVERYONE, frozenset({200})),
    "POST /forgot-password": Rule(
        EVERYONE, frozenset({200}), form={"email": "nobody@nowhere.example.org"}
    ),
    "GET /reset-password": Rule(EVERYONE, frozenset({400})),
    "POST /reset-password": Rule(
        EVERYONE,
        frozenset({400}),
        form={
            "token": "nope",
            "password": "a long new passphrase",
            "confirm": "a long new passphrase",
        },
    ),
    "POST /sign-in/oidc/{provider}": Rule(EVERYONE, frozenset({404})),
    "GET /sign-in/oidc/{provider}/callback": Rule(EVERYONE, frozenset({400})),
    "GET /healthz": Rule(EVERYONE, frozenset({200})),
    "GET /api/v1/openapi.json": Rule(EVERYONE, frozenset({200})),
    # The start page lists one's schools, or goes straight to the only one.
    "GET /": Rule(SIGNED_IN, frozenset({200, 303})),
    "GET /schools/{school_id}/check": Rule(USES_MEADOWBANK, frozenset({200})),
    "POST /schools/{school_id}/check": Rule(
        USES_MEADOWBANK, frozenset({200}), form={"text": CLEAN_POST}
    ),
    "POST /schools/{school_id}/drafts": Rule(
        USES_MEADOWBANK, frozenset({303}), form={"text": CLEAN_POST}
    ),
    "GET /schools/{school_id}/drafts": Rule(USES_MEADOWBANK, frozenset({200})),
    "POST /schools/{school_id}/drafts/{draft_id}/delete": Rule(USES_MEADOWBANK, frozenset({303})),
    "GET /schools/{school_id}/policy": Rule(USES_MEADOWBANK, frozenset({200})),
    "GET /schools/{school_id}/people": Rule(SEES_MEADOWBANK_PEOPLE, frozenset({200})),
    "GET /api/v1/me": Rule(SIGNED_IN, frozenset({200})),
    "POST /api/v1/schools/{school_id}/check": Rule(
        USES_MEADOWBANK, frozenset({200}), json={"text": CLEAN_POST}
    ),
    "GET /api/v1/schools/{school_id}/policy": Rule(USES_MEADOWBANK, frozenset({200})),
    # Each later capability keeps its rows in tests/authz_rules/<area>.py.
    **area_routes(),
}
POST_ROUTES = sorted(key for key in ROUTES if key.startswith("POST "))


# -- the site under test -------------------------------------------------------------------------
class Site:
    """One world and its app, with a signed-in client per actor made on first use."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.app: FastAPI = world.app()
        self._clients: dict[str, TestClient] = {}
        self._csrf: dict[str, str] = {}
        self._spares: list[TestClient] = []
        self.draft_id = self._save_draft("line_manager", "A draft the line manager kept.")
        with self.state.sessions() as session:
            school = session.get(School, world.meadowbank)
            assert school is not None
            self.trust_id = school.trust_id

    @property
    def state(self) -> AppState:
        state: AppState = self.app.state.boundaries
        return state

    @property
    def engine(self) -> Engine:
        return self.state.engine

    def email(self, actor: str) -> str:
        if actor == HILLCREST_TEACHER:
            return self.world.hillcrest_teacher
        if actor == BROOKSIDE_TEACHER:
            return self.world.brookside_teacher
        return self.world.by_role[actor]

    def person_id(self, actor: str) -> int:
        with self.state.sessions() as session:
            return session.scalars(select(Person.id).where(Person.email == self.email(actor))).one()

    def _save_draft(self, actor: str, text: str) -> int:
        with self.state.sessions() as session:
            draft = SavedDraft(
                person_id=self.person_id(actor),
                school_id=self.world.meadowbank,
                text=text,
                verdict="clear",
            )
            session.add(draft)
            session.commit()
            return draft.id

    def client(self, actor: str) -> TestClient:
        """The actor's client: signed in on first use, then reused."""
        if actor not in self._clients:
            client, self._csrf[actor] = self.new_client(actor)
            self._clients[actor] = client
        return self._clients[actor]

    def csrf(self, actor: str) -> str:
        self.client(actor)
        return self._csrf[actor]

    def new_client(
        self, actor: str, *, raise_server_exceptions: bool = True
    ) -> tuple[TestClient, str]:
        """A client with a session of its own, and the CSRF token of its forms.

        The session is started as the sign-in form starts one, but directly: checking the
        password is the slow part, and what these tests are about is what a session may do.
        """
        client = TestClient(
            self.app,
            base_url="https://testserver",
            raise_server_exceptions=raise_server_exceptions,
        )
        if actor != ANONYMOUS:
            with self.state.sessions() as session:
                person = session.get(Person, self.person_id(actor))
                assert person is not None
                token = start_session(session, person, self.state.session_limits, "password")
                session.commit()
            client.cookies.set(SESSION_COOKIE, token)
        self._spares.append(client)
        return client, csrf_from(client.get("/forgot-password").text)

    def close(self) -> None:
        for client in self._spares:
            client.close()
        self.engine.dispose()


def fill(template: str, site: Site, school_id: int, rule: Rule | None = None) -> str:
    values: dict[str, object] = {
        "school_id": school_id,
        "draft_id": site.draft_id,
        "provider": "nope",
        "trust_id": site.trust_id,
    }
    if rule is not None and rule.params is not None:
        values.update(rule.params(site))
    return template.format(**values)


def send(site: Site, actor: str, route: str, school_id: int | None = None) -> httpx.Response:
    """Send ``route`` as ``actor``, with the actor's valid CSRF token on a POST."""
    method, template = route.split(" ", 1)
    rule = ROUTES[route]
    path = fill(template, site, site.world.meadowbank if school_id is None else school_id, rule)
    if route == "POST /sign-out":
        client, token = site.new_client(actor)  # signing out ends the session: not the cached one
    else:
        client, token = site.client(actor), site.csrf(actor)
    if method == "GET":
        return client.get(path, follow_redirects=False)
    if rule.json is not None:
        return client.post(path, json=rule.json, headers={"X-CSRF-Token": token})
    return client.post(path, data={**rule.form, "csrf_token": token}, follow_redirects=False)


def assert_refused(response: httpx.Response, actor: str, route: str) -> None:
    """Refusal as each kind of visitor should see it."""
    method, template = route.split(" ", 1)
    if actor == ANONYMOUS:
        if template.startswith("/api/"):
            assert response.status_code == 401, response.text
        elif method == "GET":
            # Pages send the visitor to sign in, and back here afterwards.
            assert response.status_code == 303, response.text
            assert response.headers["location"].startswith("/sign-in?next=")
        else:
            # A form post cannot be replayed after sign-in: the page says the session ended.
            assert response.status_code == 401, response.text
    elif ROUTES[route].refused is not None:
        expected = ROUTES[route].refused(actor)  # type: ignore[misc]
        assert response.status_code == expected, (expected, response.text)
    elif actor in KNOWS_MEADOWBANK:
        assert response.status_code == 403, response.text
    else:
        # Another school's business is not even confirmed to exist.
        assert response.status_code == 404, response.text


def assert_allowed(response: httpx.Response, route: str) -> None:
    rule = ROUTES[route]
    assert response.status_code in rule.ok, (response.status_code, response.text[:500])
    if response.status_code in (301, 302, 303, 307, 308):
        assert not response.headers["location"].startswith("/sign-in?next=")


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("web-security")
    site = Site(build_world(f"sqlite:///{folder / 'store.sqlite3'}"))
    yield site
    site.close()


@pytest.fixture(scope="module")
def postgresql_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    databases = empty_database("postgresql", tmp_path_factory.mktemp("web-security-pg"))
    url = next(databases)
    try:
        site = Site(build_world(url))
        yield site
        site.close()
    finally:
        next(databases, None)  # drops the schema


@pytest.fixture
def site(sqlite_site: Site) -> Site:
    return sqlite_site


# -- 1. the authorisation matrix -----------------------------------------------------------------
def app_routes(app: FastAPI) -> set[str]:
    """Every "METHOD /path" the app serves (HEAD is GET without a body), static files aside."""
    found: set[str] = set()
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Mount) and context.path == "/static":
            continue
        assert isinstance(route, APIRoute | Route), f"unexpected kind of route: {route!r}"
        assert context.path is not None and context.methods
        found.update(f"{method} {context.path}" for method in context.methods - {"HEAD"})
    return found


def test_the_matrix_covers_exactly_the_apps_routes(site: Site) -> None:
    assert app_routes(site.app) == set(ROUTES)


def test_the_matrix_covers_every_school_and_trust_role() -> None:
    assert {str(role) for role in SchoolRole} == MEADOWBANK_STAFF
    assert {str(role) for role in TrustRoleKind} == WESTVALE_OFFICERS


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_each_route_admits_only_the_people_its_rule_names(
    site: Site, route: str, actor: str
) -> None:
    response = send(site, actor, route)
    if actor in ROUTES[route].allowed:
        assert_allowed(response, route)
    else:
        assert_refused(response, actor, route)


# A few refusals, and one admission, across schools and trusts on both databases.
SUBSET = [
    (HILLCREST_TEACHER, "GET /schools/{school_id}/check", "meadowbank", 404),
    (HILLCREST_TEACHER, "POST /api/v1/schools/{school_id}/check", "meadowbank", 404),
    ("headteacher", "GET /schools/{school_id}/drafts", "hillcrest", 404),
    (BROOKSIDE_TEACHER, "GET /api/v1/schools/{school_id}/policy", "meadowbank", 404),
    ("trust_admin", "GET /schools/{school_id}/people", "brookside", 404),
    ("trust_safeguarding", "GET /api/v1/schools/{school_id}/policy", "brookside", 404),
    ("staff_teacher", "GET /schools/{school_id}/people", "meadowbank", 403),
    (ANONYMOUS, "POST /api/v1/schools/{school_id}/check", "meadowbank", 401),
    (ANONYMOUS, "GET /schools/{school_id}/drafts", "meadowbank", 303),
    ("trust_hr", "GET /schools/{school_id}/people", "hillcrest", 200),
]


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
@pytest.mark.parametrize(("actor", "route", "school", "status"), SUBSET)
def test_schools_are_kept_apart_on_every_database(
    request: pytest.FixtureRequest, kind: str, actor: str, route: str, school: str, status: int
) -> None:
    site: Site = request.getfixturevalue(f"{kind}_site")
    response = send(site, actor, route, getattr(site.world, school))
    assert response.status_code == status, response.text[:500]


# Numbers too large for an id column (INTEGER: 32 bits in PostgreSQL, 64 in SQLite). Each must be
# "not found", or for a draft silently nothing, and never a server error.
LARGE_IDS = (2**31, 2**63 - 1, 2**63, 10**30)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_an_id_too_large_for_the_database_is_not_found_rather_than_a_server_error(
    request: pytest.FixtureRequest, kind: str
) -> None:
    site: Site = request.getfixturevalue(f"{kind}_site")
    client, token = site.new_client("staff_teacher", raise_server_exceptions=False)
    school = site.world.meadowbank
    answers: dict[str, int] = {}
    for number in LARGE_IDS:
        answers[f"/schools/{number}/check"] = client.get(f"/schools/{number}/check").status_code
        answers[f"/api/v1/schools/{number}/policy"] = client.get(
            f"/api/v1/schools/{number}/policy"
        ).status_code
        answers[f"/schools/{school}/drafts/{number}/delete"] = client.post(
            f"/schools/{school}/drafts/{number}/delete",
            data={"csrf_token": token},
            follow_redirects=False,
        ).status_code
    expected = {path: 303 if path.endswith("/delete") else 404 for path in answers}
    assert answers == expected


# -- 2. saved drafts are private -----------------------------------------------------------------
def test_a_saved_draft_is_seen_and_deleted_only_by_its_author(site: Site) -> None:
    school = site.world.meadowbank
    text = f"Private draft {uuid.uuid4().hex} about the staff room kettle."
    author = site.client("staff_teacher")
    saved = author.post(
        f"/schools/{school}/drafts",
        data={"text": text, "csrf_token": site.csrf("staff_teacher")},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    with site.state.sessions() as session:
        draft_id = session.scalars(select(SavedDraft.id).where(SavedDraft.text == text)).one()

    for other in ("headteacher", "trust_admin", "dsl", "staff_support"):
        client = site.client(other)
        listing = client.get(f"/schools/{school}/drafts")
        assert listing.status_code == 200
        assert text not in listing.text
        deleted = client.post(
            f"/schools/{school}/drafts/{draft_id}/delete",
            data={"csrf_token": site.csrf(other)},
            follow_redirects=False,
        )
        assert deleted.status_code == 303  # silently nothing: the draft is not theirs
        with site.state.sessions() as session:
            assert session.get(SavedDraft, draft_id) is not None, f"{other} deleted the draft"

    assert text in author.get(f"/schools/{school}/drafts").text
    author.post(
        f"/schools/{school}/drafts/{draft_id}/delete",
        data={"csrf_token": site.csrf("staff_teacher")},
        follow_redirects=False,
    )
    with site.state.sessions() as session:
        assert session.get(SavedDraft, draft_id) is None


# -- 3. CSRF -------------------------------------------------------------------------------------
def forged_post(
    site: Site, actor: str, route: str, token: str | None, headers: dict[str, str] | None = None
) -> httpx.Response:
    """Post ``route`` as ``actor`` with ``token`` (or none) in place of the actor's own."""
    _, template = route.split(" ", 1)
    rule = ROUTES[route]
    client = site.client(actor)
    path = fill(template, site, site.world.meadowbank, rule)
    if rule.json is not None:
        sent = dict(headers or {})
        if token is not None:
            sent["X-CSRF-Token"] = token
        return client.post(path, json=rule.json, headers=sent)
    form = dict(rule.form)
    if token is not None:
        form["csrf_token"] = token
    return client.post(path, data=form, headers=headers, follow_redirects=False)


@pytest.mark.parametrize("token", ["missing", "garbage", "someone else's"])
@pytest.mark.parametrize("actor", [ANONYMOUS, "staff_teacher"])
@pytest.mark.parametrize("route", POST_ROUTES)
def test_every_post_refuses_a_missing_or_wrong_csrf_token(
    site: Site, route: str, actor: str, token: str
) -> None:
    other = "headteacher" if actor == ANONYMOUS else ANONYMOUS
    sent = {
        "missing": None,
        "garbage": "0" * 64,
        "someone else's": site.csrf(other),
    }[token]
    response = forged_post(site, actor, route, sent)
    assert response.status_code == 403, response.text[:500]
    if actor != ANONYMOUS:
        # Nothing happened: in particular, the forged sign-out did not end the session.
        assert site.client(actor).get("/api/v1/me").status_code == 200


@pytest.mark.parametrize("route", POST_ROUTES)
def test_a_post_from_another_site_is_refused_even_with_a_valid_token(
    site: Site, route: str
) -> None:
    response = forged_post(
        site,
        "staff_teacher",
        route,
        site.csrf("staff_teacher"),
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403, response.text[:500]


# -- 4. script in a post is inert ----------------------------------------------------------------
PAYLOADS = {
    "<script>alert(1)</script>": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<img src=x onerror=alert(1)>": "&lt;img src=x onerror=alert(1)&gt;",
    '<a href="javascript:alert(1)">prizes</a>': "&lt;a href=&#34;javascript:alert(1)&#34;&gt;",
}
# The pupil's name makes a finding, so that the results show the draft itself, highlighted.
HOSTILE_POST = "Well done Olly Hargreaves! " + " ".join(PAYLOADS)


class Elements(HTMLParser):
    """Every element a browser would build from a page, with its attributes."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def active_content(html: str) -> list[str]:
    """Whatever in the page would run script: inline scripts, handlers, javascript: links."""
    problems = []
    for tag, attrs in Elements(html).found:
        if tag == "script" and "src" not in attrs:
            problems.append("inline <script>")
        problems += [f"<{tag} {name}=...>" for name in attrs if name.startswith("on")]
        problems += [
            f"<{tag} {name}={value!r}>"
            for name, value in attrs.items()
            if name in ("href", "src", "action", "formaction")
            and value.strip().lower().startswith("javascript:")
        ]
        if tag == "img" and attrs.get("src") == "x":
            problems.append("the posted <img>")
    return problems


def assert_inert(html: str) -> None:
    assert active_content(html) == []
    for escaped in PAYLOADS.values():
        assert escaped in html


@pytest.mark.parametrize("htmx", [False, True], ids=["full page", "htmx fragment"])
def test_script_in_a_checked_post_is_shown_escaped(site: Site, htmx: bool) -> None:
    response = site.client("staff_teacher").post(
        f"/schools/{site.world.meadowbank}/check",
        data={"text": HOSTILE_POST, "csrf_token": site.csrf("staff_teacher")},
        headers={"HX-Request": "true"} if htmx else {},
    )
    assert response.status_code == 200
    assert ("<html" in response.text) is not htmx
    assert "Rule PU101" in response.text  # the results, with the highlighted draft, are there
    assert_inert(response.text)


def test_script_in_a_saved_draft_is_shown_escaped(site: Site) -> None:
    client = site.client("volunteer")
    school = site.world.meadowbank
    client.post(
        f"/schools/{school}/drafts",
        data={"text": HOSTILE_POST, "csrf_token": site.csrf("volunteer")},
    )
    assert_inert(client.get(f"/schools/{school}/drafts").text)


def test_script_in_the_sign_in_return_address_is_shown_escaped(site: Site) -> None:
    page = site.client(ANONYMOUS).get("/sign-in", params={"next": '/"><script>alert(1)</script>'})
    assert active_content(page.text) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


@pytest.mark.parametrize(
    ("actor", "path"),
    [
        (ANONYMOUS, "/sign-in"),
        (ANONYMOUS, "/forgot-password"),
        (ANONYMOUS, "/reset-password"),
        ("trust_admin", "/"),
        ("headteacher", "/schools/{school_id}/check"),
        ("headteacher", "/schools/{school_id}/policy"),
        ("headteacher", "/schools/{school_id}/drafts"),
        ("headteacher", "/schools/{school_id}/people"),
        ("staff_teacher", "/schools/{school_id}/nope"),
    ],
)
def test_pages_carry_no_inline_script_or_style_for_the_policy_to_block(
    site: Site, actor: str, path: str
) -> None:
    page = site.client(actor).get(fill(path, site, site.world.meadowbank))
    assert "<html" in page.text
    assert active_content(page.text) == []
    # The policy allows styles only from the app's own style sheet.
    assert [
        tag for tag, attrs in Elements(page.text).found if tag == "style" or "style" in attrs
    ] == []


# -- 5. security headers -------------------------------------------------------------------------
def csp_directives(response: httpx.Response) -> dict[str, list[str]]:
    policy = response.headers.get("content-security-policy", "")
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_security_headers(response: httpx.Response, *, https: bool = True) -> None:
    headers = response.headers
    csp = csp_directives(response)
    assert csp.get("script-src") == ["'self'"], headers.get("content-security-policy")
    assert csp.get("frame-ancestors") == ["'none'"]
    policy = headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert headers.get("x-frame-options") == "DENY"
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("referrer-policy") in ("same-origin", "no-referrer", "strict-origin")
    hsts = headers.get("strict-transport-security")
    if https:
        assert hsts is not None and "max-age=" in hsts
    else:
        assert hsts is None  # HSTS over plain HTTP is ignored at best, and says nothing true
    assert "server" not in headers


SAMPLES: dict[str, tuple[str, str, str]] = {
    # name: (actor, method, path)
    "page": ("headteacher", "GET", "/schools/{school_id}/check"),
    "sign-in page": (ANONYMOUS, "GET", "/sign-in"),
    "redirect": (ANONYMOUS, "GET", "/schools/{school_id}/check"),
    "api": ("headteacher", "GET", "/api/v1/me"),
    "api 401": (ANONYMOUS, "GET", "/api/v1/me"),
    "api 404": ("headteacher", "GET", "/api/v1/schools/999999/policy"),
    "openapi": (ANONYMOUS, "GET", "/api/v1/openapi.json"),
    "page 403": ("staff_teacher", "GET", "/schools/{school_id}/people"),
    "page 404": ("headteacher", "GET", "/no-such-page"),
    "page 405": ("headteacher", "GET", "/sign-out"),
    "csrf 403": ("headteacher", "POST", "/schools/{school_id}/check"),
    "static css": (ANONYMOUS, "GET", "/static/app.css"),
    "static script": (ANONYMOUS, "GET", "/static/vendor/htmx.min.js"),
    "static 404": (ANONYMOUS, "GET", "/static/nope.js"),
    "health": (ANONYMOUS, "GET", "/healthz"),
}


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_every_kind_of_response_carries_the_security_headers(site: Site, sample: str) -> None:
    actor, method, path = SAMPLES[sample]
    response = site.client(actor).request(
        method, fill(path, site, site.world.meadowbank), follow_redirects=False
    )
    assert_security_headers(response)


def test_a_server_error_carries_the_security_headers(site: Site) -> None:
    app = site.world.app()

    def explode() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/explode", explode)
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
        response = client.get("/explode")
    app.state.boundaries.engine.dispose()
    assert response.status_code == 500
    assert "a bug" not in response.text
    assert_security_headers(response)


def test_hsts_is_sent_over_https_only(site: Site) -> None:
    with TestClient(site.app, base_url="http://testserver") as plain:
        assert_security_headers(plain.get("/sign-in"), https=False)
    assert_security_headers(site.client(ANONYMOUS).get("/sign-in"), https=True)


def test_cookies_are_http_only_same_site_and_secure_over_https(site: Site) -> None:
    with TestClient(site.app, base_url="https://testserver") as client:
        form = client.get("/sign-in")
        signed = client.post(
            "/sign-in",
            data={
                "email": site.email("dsl"),
                "password": PASSWORD,
                "csrf_token": csrf_from(form.text),
            },
            follow_redirects=False,
        )
    assert signed.status_code == 303
    cookies = form.headers.get_list("set-cookie") + signed.headers.get_list("set-cookie")
    assert any(cookie.startswith(f"{SESSION_COOKIE}=") for cookie in cookies), cookies
    for cookie in cookies:
        flags = {flag.strip().lower() for flag in cookie.split(";")[1:]}
        assert {"httponly", "secure", "samesite=lax"} <= flags, cookie


def test_pages_with_findings_are_never_cached(site: Site) -> None:
    response = site.client("staff_teacher").post(
        f"/schools/{site.world.meadowbank}/check",
        data={"text": "Well done Olly Hargreaves!", "csrf_token": site.csrf("staff_teacher")},
    )
    assert "Rule PU101" in response.text
    assert response.headers.get("cache-control") == "no-store"
    assert_security_headers(response)


# -- 6. drafts are not stored unless asked -------------------------------------------------------
def rows_containing(engine: Engine, needle: str) -> dict[tuple[str, str], int]:
    """How many rows of each text column of every table contain ``needle``."""
    metadata = MetaData()
    metadata.reflect(engine)
    hits: dict[tuple[str, str], int] = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, String | Text):
                    continue
                count = connection.scalar(
                    select(func.count())
                    .select_from(table)
                    .where(cast(column, Text).contains(needle, autoescape=True))
                )
                if count:
                    hits[(table.name, column.name)] = count
    return hits


def test_checked_drafts_are_not_stored_until_saved(site: Site) -> None:
    marker = f"Quokka{uuid.uuid4().hex}"
    text = f"Well done Olly Hargreaves! My number is 07700 900 982. {marker}"
    school = site.world.meadowbank
    client, token = site.client("staff_teacher"), site.csrf("staff_teacher")
    with site.state.sessions() as session:
        teacher = session.scalars(
            select(Person).where(Person.email == site.email("staff_teacher"))
        ).one()
        bearer = issue_api_token(session, teacher, "privacy test")
        session.commit()

    checks = [
        client.post(f"/schools/{school}/check", data={"text": text, "csrf_token": token}),
        client.post(
            f"/schools/{school}/check",
            data={"text": text, "csrf_token": token},
            headers={"HX-Request": "true"},
        ),
        client.post(
            f"/api/v1/schools/{school}/check", json={"text": text}, headers={"X-CSRF-Token": token}
        ),
        client.post(
            f"/api/v1/schools/{school}/check",
            json={"text": text},
            headers={"Authorization": f"Bearer {bearer}"},
        ),
    ]
    assert [response.status_code for response in checks] == [200, 200, 200, 200]
    assert all(marker in response.text for response in checks)
    assert rows_containing(site.engine, marker) == {}

    saved = client.post(
        f"/schools/{school}/drafts",
        data={"text": text, "csrf_token": token},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert rows_containing(site.engine, marker) == {("saved_draft", "text"): 1}


# -- 7. the roster and confidential terms are not shown ------------------------------------------
SECRETS = ("Hargreaves", "Whitfield", "Olly", "Oliver", "Abernethy", "Keziah", "Kestrel")


def test_a_clean_post_reveals_nothing_of_the_roster_or_confidential_terms(site: Site) -> None:
    school = site.world.meadowbank
    client, token = site.client("headteacher"), site.csrf("headteacher")
    responses = {
        "check page": client.get(f"/schools/{school}/check"),
        "checked page": client.post(
            f"/schools/{school}/check", data={"text": CLEAN_POST, "csrf_token": token}
        ),
        "htmx fragment": client.post(
            f"/schools/{school}/check",
            data={"text": CLEAN_POST, "csrf_token": token},
            headers={"HX-Request": "true"},
        ),
        "api check": client.post(
            f"/api/v1/schools/{school}/check",
            json={"text": CLEAN_POST},
            headers={"X-CSRF-Token": token},
        ),
        "api policy": client.get(f"/api/v1/schools/{school}/policy"),
        "api me": client.get("/api/v1/me"),
        "policy page": client.get(f"/schools/{school}/policy"),
    }
    assert responses["api check"].json()["verdict"] == "clear"
    for name, response in responses.items():
        assert response.status_code == 200, name
        shown = [word for word in SECRETS if word.lower() in response.text.lower()]
        assert shown == [], f"the {name} shows {shown}"


# -- 8. validation errors do not echo the draft --------------------------------------------------
def test_a_rejected_draft_is_not_echoed_back(site: Site) -> None:
    marker = f"Pangolin{uuid.uuid4().hex}"
    too_long = (marker + " ") * (10_001 // (len(marker) + 1) + 1)
    assert len(too_long) > 10_000
    school = site.world.meadowbank
    client, token = site.client("staff_teacher"), site.csrf("staff_teacher")
    api = client.post(
        f"/api/v1/schools/{school}/check", json={"text": too_long}, headers={"X-CSRF-Token": token}
    )
    assert api.status_code == 422
    assert api.json()["detail"][0]["loc"] == ["body", "text"]
    page = client.post(f"/schools/{school}/check", data={"text": too_long, "csrf_token": token})
    assert page.status_code == 400
    for response in (api, page):
        assert marker not in response.text
    wrong_type = client.post(
        f"/api/v1/schools/{school}/check",
        json={"text": [marker]},
        headers={"X-CSRF-Token": token},
    )
    assert wrong_type.status_code == 422
    assert marker not in wrong_type.text
