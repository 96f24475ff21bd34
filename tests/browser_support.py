"""Helpers for the browser tests: the app served live on loopback, Debian's chromium, axe-core,
and a screenshot of the page when a browser test fails.

``tests/test_browser.py`` installs :func:`keep_failure_reports` from its browser fixture.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Generator, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Playwright

from boundaries.cases.vault import LocalVault
from boundaries.screening.api import screen
from boundaries.screening.result import Result
from boundaries.store import School
from boundaries.web.app import create_app
from boundaries.web.state import AppState
from tests.conftest import ROOT
from tests.databases import empty_database
from tests.web_support import World, build_world

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTEFACTS = ROOT / "test-results" / "browser"
VENDOR = Path(__file__).resolve().parent / "vendor"
AXE = VENDOR / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Where the page loads axe from: a made-up path on the app's own origin that the test answers
# itself (page.route), so that axe arrives under the app's real CSP (script-src 'self').
AXE_PATH = "/__browser-tests__/axe.min.js"


# -- the live server -----------------------------------------------------------------------------
@dataclass
class LiveServer:
    """The app for ``world``, served by uvicorn on ``url`` from a background thread."""

    world: World
    app: FastAPI
    url: str

    @property
    def state(self) -> AppState:
        state: AppState = self.app.state.boundaries
        return state

    def expected(self, text: str, school_id: int | None = None) -> Result:
        """What the engine finds in ``text`` in the school's context (Meadowbank by default):
        the page must show exactly this."""
        with self.state.sessions() as db:
            school = db.get(School, school_id or self.world.meadowbank)
            assert school is not None
            context = self.state.contexts.get(db, school)
        return screen(text, context, pack=self.state.pack)


@contextmanager
def live_server(world: World, **overrides: object) -> Iterator[LiveServer]:
    """Serve the app for ``world`` on 127.0.0.1 and a free port until the block ends."""
    # Bind first (port 0: the kernel picks a free one) and hand uvicorn the socket, so no other
    # process can take the port between choosing it and listening on it.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        # Plain HTTP to loopback: "auto" leaves the Secure flag off, so the browser keeps cookies.
        settings = world.settings(base_url=url, secure_cookies="auto", **overrides)
        app = create_app(settings)
        # Evidence uploaded in a browser test goes to a throwaway vault, not ./data/evidence.
        evidence_dir = Path(tempfile.mkdtemp(prefix="browser-evidence-"))
        app.state.evidence_vault = (LocalVault(evidence_dir), 50 * 1024 * 1024)
        served = LiveServer(world, app, url)
        try:
            # The engine loads its models on first use; do it now so that no page waits for it.
            served.expected("Warming up with Olly Hargreaves")
            config = uvicorn.Config(
                app,
                log_level="warning",
                access_log=False,
                lifespan="off",
                proxy_headers=True,
                forwarded_allow_ips=",".join(settings.trusted_proxies),
                server_header=False,
                timeout_graceful_shutdown=3,
            )
            server = uvicorn.Server(config)
            thread = threading.Thread(
                target=server.run, kwargs={"sockets": [sock]}, name="live-server", daemon=True
            )
            thread.start()
            try:
                deadline = time.monotonic() + 20
                while not server.started:
                    if not thread.is_alive():
                        raise RuntimeError("the live server stopped before it started")
                    if time.monotonic() > deadline:
                        raise RuntimeError("the live server did not start within 20 s")
                    time.sleep(0.02)
                yield served
            finally:
                server.should_exit = True
                thread.join(timeout=10)
        finally:
            served.state.engine.dispose()
            shutil.rmtree(evidence_dir, ignore_errors=True)


class LiveServers:
    """One live server per database kind, made on first use and stopped with the module."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self._tmp = tmp_path_factory
        self._stack = ExitStack()
        self._servers: dict[str, LiveServer] = {}

    def get(self, kind: str) -> LiveServer:
        """The server on a ``kind`` database ("sqlite" or "postgresql"; PostgreSQL skips when
        it cannot be reached, or fails in CI, as every storage test does)."""
        if kind not in self._servers:
            url = self._stack.enter_context(
                contextmanager(empty_database)(kind, self._tmp.mktemp(kind), "browser")
            )
            self._servers[kind] = self._stack.enter_context(live_server(build_world(url)))
        return self._servers[kind]

    def close(self) -> None:
        self._stack.close()


# -- the browser ---------------------------------------------------------------------------------
def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's chromium, headless. Missing: skip, naming `make chromium`; in CI, fail."""
    if not CHROMIUM.exists():
        message = f"the browser tests need {CHROMIUM}: run `make chromium` to install it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


@dataclass
class Watch:
    """What a page did that a person would notice or a developer should: dialogs and errors."""

    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console_errors.append(f"page error: {error}"))

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def csp_complaints(self) -> list[str]:
        return [e for e in self.console_errors if "content security policy" in e.lower()]


# -- axe-core ------------------------------------------------------------------------------------
def _axe_sha256_from_readme() -> str:
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    match = re.search(r"`axe\.min\.js` SHA-256 \| `([0-9a-f]{64})`", readme)
    assert match, "tests/vendor/README.md does not give the SHA-256 of axe.min.js"
    return match.group(1)


def check_vendored_axe() -> None:
    """Refuse a vendored axe.min.js that is not the one the README records."""
    actual = hashlib.sha256(AXE.read_bytes()).hexdigest()
    expected = _axe_sha256_from_readme()
    assert actual == expected, f"{AXE} has SHA-256 {actual}, the README records {expected}"


def serve_axe(page: Page, base_url: str) -> None:
    """Answer AXE_PATH on the app's origin with the vendored axe-core, for this page only."""
    page.route(
        base_url + AXE_PATH,
        lambda route: route.fulfill(path=AXE, content_type="text/javascript; charset=utf-8"),
    )


def axe_violations(page: Page, base_url: str) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page as it is now; its violations."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(url=base_url + AXE_PATH)
    violations: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html,
                                          summary: n.failureSummary}))}));
        }""",
        WCAG_21_AA,
    )
    return violations


def describe_violations(where: str, violations: list[dict[str, Any]]) -> str:
    """The violations as a person would want to read them in a failed test."""
    lines = [f"{where}: {len(violations)} accessibility violation(s)"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}  <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:160]}")
            for detail in (node["summary"] or "").splitlines():
                lines.append(f"      {detail}")
    return "\n".join(lines)


# -- screenshots of failed tests -----------------------------------------------------------------
_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


class _FailureReports:
    """A pytest plugin that keeps each phase's report on its test, so that a fixture can tell
    in its teardown whether the test failed (the recipe in pytest's documentation)."""

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        item.stash.setdefault(_REPORTS, {})[report.when] = report
        return report


def keep_failure_reports(config: pytest.Config) -> None:
    """Install the plugin above (once). Registered from a fixture rather than named in
    ``pytest_plugins``, so that it reaches only the runs that have browser tests in them."""
    name = "boundaries-browser-failure-reports"
    if not config.pluginmanager.has_plugin(name):
        config.pluginmanager.register(_FailureReports(), name)


def has_failed(item: pytest.Item) -> bool:
    """Whether the setup or the body of ``item`` has failed (asked from fixture teardown)."""
    reports = item.stash.get(_REPORTS, {})
    return any(r.failed for r in reports.values())


def save_failure_artefacts(page: Page, test_name: str) -> Path:
    """A full-page PNG and the page's HTML under test-results/browser/, named after the test."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.\[\]-]+", "_", test_name)
    png = ARTEFACTS / f"{stem}.png"
    page.screenshot(path=png, full_page=True)
    (ARTEFACTS / f"{stem}.html").write_text(page.content(), encoding="utf-8")
    return png
