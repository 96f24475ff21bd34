"""Browser fixtures and page helpers shared by every browser test module (registered as a
pytest plugin in ``tests/conftest.py``): one chromium per module, a fresh context per test at
desktop and phone sizes, the live app on SQLite or PostgreSQL, and a screenshot on failure.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from boundaries.screening.result import Result
from tests.browser_support import (
    LiveServer,
    LiveServers,
    Watch,
    has_failed,
    keep_failure_reports,
    launch_chromium,
    save_failure_artefacts,
)
from tests.web_support import PASSWORD

VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}
# Waits that include a round trip to the app (the live check is debounced by 400 ms).
SERVER_WAIT_MS = 15_000


# -- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser(pytestconfig: pytest.Config) -> Iterator[Browser]:
    keep_failure_reports(pytestconfig)  # so that a failing test leaves a screenshot
    # CI's two cores also run PostgreSQL and the app: give assertions room before they fail.
    expect.set_options(timeout=SERVER_WAIT_MS)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServers]:
    servers = LiveServers(tmp_path_factory)
    try:
        yield servers
    finally:
        servers.close()


@pytest.fixture
def server(servers: LiveServers) -> LiveServer:
    return servers.get("sqlite")


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(
    browser: Browser, viewport: str, watch: Watch, request: pytest.FixtureRequest
) -> Iterator[Page]:
    context = browser.new_context(
        **VIEWPORTS[viewport], locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(SERVER_WAIT_MS)
    page = context.new_page()
    watch.attach(page)
    try:
        yield page
        if has_failed(request.node):
            try:
                save_failure_artefacts(page, request.node.name)
            except PlaywrightError as exc:  # a crashed page: the failure itself matters more
                warnings.warn(f"no screenshot of {request.node.name}: {exc}", stacklevel=1)
    finally:
        context.close()


# -- helpers -------------------------------------------------------------------------------------
def check_url(server: LiveServer) -> str:
    return f"{server.url}/schools/{server.world.meadowbank}/check"


def sign_in(page: Page, server: LiveServer, role: str = "staff_teacher") -> None:
    """Sign in as Meadowbank's ``role`` and land on the school's check page."""
    page.goto(f"{server.url}/sign-in")
    page.get_by_label("E-mail address").fill(server.world.by_role[role])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(check_url(server))


def type_draft(page: Page, text: str) -> None:
    """Type the draft key by key, as a person does, so that the debounced live check runs."""
    page.get_by_label("Your draft post").click()
    page.keyboard.type(text)


def wait_for_result(page: Page, expected: Result) -> None:
    """Wait until the live check has answered for the whole draft (not a half-typed one)."""
    expect(page.locator("#results #redacted")).to_have_value(expected.redacted)


def focused(page: Page) -> str:
    """What has keyboard focus: ``tag#id``, or ``tag: text`` for elements without an id."""
    description: str = page.evaluate(
        """() => {
            const e = document.activeElement;
            if (!e || e === document.body) { return "body"; }
            const tag = e.tagName.toLowerCase();
            return e.id ? `${tag}#${e.id}` : `${tag}: ${e.textContent.trim()}`;
        }"""
    )
    return description


def tab_until(page: Page, target: str, limit: int = 20) -> list[str]:
    """Press Tab until ``target`` has focus (at most ``limit`` times); what had focus, in order."""
    order: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        order.append(focused(page))
        if order[-1] == target:
            break
    return order


def assert_no_sideways_scroll(page: Page, where: str) -> None:
    # With phone emulation, content wider than the screen widens the layout viewport and
    # window.innerWidth grows with it; the root element's clientWidth stays at the screen's.
    scroll_width, inner_width, client_width = page.evaluate(
        """() => [document.scrollingElement.scrollWidth, window.innerWidth,
                  document.documentElement.clientWidth]"""
    )
    width = min(inner_width, client_width)
    assert scroll_width <= width, (
        f"{where}: the page is {scroll_width}px wide on a {width}px wide screen, "
        "so a phone user must scroll sideways"
    )
