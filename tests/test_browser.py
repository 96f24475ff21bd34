"""The web app in a real browser (Debian's chromium, driven by Playwright), as staff use it:
at desktop width and on a 390×844 phone, by mouse and by keyboard, checked with axe-core.

One browser per module and a fresh context (cookies, storage) per test. A failing test leaves
a full-page screenshot and the page's HTML in test-results/browser/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser_fixtures import (
    assert_no_sideways_scroll,
    check_url,
    sign_in,
    tab_until,
    type_draft,
    wait_for_result,
)
from tests.browser_support import (
    LiveServer,
    LiveServers,
    Watch,
    axe_violations,
    check_vendored_axe,
    describe_violations,
    serve_axe,
)
from tests.web_support import PASSWORD

DRAFT = "Lovely trip with Olly Hargreaves today"
# Three findings of two severities, so that every kind of badge and mark is on the page.
RICH_DRAFT = "Lovely trip with Olly Hargreaves today! Call me on 07700 900461 for the photos"
HOSTILE = "<script>alert('script')</script><img src=x onerror=\"alert('img')\"> Olly Hargreaves"


# -- the main journey ----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_teacher_checks_a_draft_reads_the_clause_and_signs_out(
    page: Page, servers: LiveServers, kind: str, watch: Watch
) -> None:
    server = servers.get(kind)
    school = server.world.meadowbank
    sign_in(page, server)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check a post before you publish it")

    expected = server.expected(DRAFT)
    assert expected.verdict == "breach", "naming a pupil in full must be a breach"
    finding = next(f for f in expected.findings if f.evidence == "Olly Hargreaves")
    title = server.state.pack.clause(finding.clause).title
    type_draft(page, DRAFT)
    wait_for_result(page, expected)

    results = page.locator("#results")
    expect(results.locator("#verdict")).to_have_class(re.compile(r"\bverdict-breach\b"))
    expect(results.locator("#verdict h2")).to_have_text("Do not post this as it is")
    mark = results.locator(".draft-highlighted mark")
    expect(mark.filter(has_text="Olly Hargreaves")).to_have_count(1)
    assert mark.first.evaluate("m => m.firstChild.textContent") == "Olly Hargreaves"
    link = results.locator(".finding .clause-link").first
    expect(link).to_have_text(f"Clause {finding.clause}: {title}")
    expect(link).to_have_text(re.compile(r"^Clause 6\.\d+: \w"))
    expect(results.locator(".finding .fix").first).to_contain_text(finding.fix)
    expect(results.locator("#redacted")).to_have_value("Lovely trip with [PUPIL] today")

    link.click()
    policy_url = f"{server.url}/schools/{school}/policy"
    expect(page).to_have_url(f"{policy_url}#clause-{finding.clause}")
    clause = page.locator(f'[id="clause-{finding.clause}"]')
    expect(clause).to_be_focused()
    expect(clause).to_be_in_viewport()
    expect(clause.get_by_role("heading")).to_contain_text(title)

    page.get_by_role("button", name=re.compile(r"^Sign out")).click()
    expect(page).to_have_url(f"{server.url}/sign-in?signed_out=1")
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    # Back (to the policy page) and the check page's address both lead to sign-in now.
    page.go_back()
    # (The browser keeps the fragment across the redirect.)
    expect(page).to_have_url(
        f"{server.url}/sign-in?next=%2Fschools%2F{school}%2Fpolicy#clause-{finding.clause}"
    )
    page.goto(check_url(server))
    expect(page).to_have_url(f"{server.url}/sign-in?next=%2Fschools%2F{school}%2Fcheck")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert watch.csp_complaints() == []


# -- markup in drafts, and the Content Security Policy -------------------------------------------
def test_markup_in_a_draft_is_shown_as_text_and_never_run(
    page: Page, server: LiveServer, watch: Watch
) -> None:
    sign_in(page, server)
    expected = server.expected(HOSTILE)
    type_draft(page, HOSTILE)
    wait_for_result(page, expected)

    highlighted = page.locator("#results .draft-highlighted")
    expect(highlighted).to_contain_text("<script>alert('script')</script><img src=x onerror=")
    expect(page.locator("#results script, #results img")).to_have_count(0)

    # Saved, it is shown again on the drafts page: still as text.
    page.get_by_role("button", name="Save this draft").click()
    expect(page).to_have_url(f"{server.url}/schools/{server.world.meadowbank}/drafts?saved=1")
    expect(page.locator(".draft-text").first).to_have_text(HOSTILE)
    expect(page.locator("main script, main img")).to_have_count(0)

    assert watch.dialogs == [], "markup in a draft ran as script"
    assert watch.csp_complaints() == [], "the CSP blocked something the pages need"


@pytest.mark.parametrize("viewport", ["desktop"])
def test_a_csp_violation_would_be_noticed(page: Page, server: LiveServer, watch: Watch) -> None:
    # The CSP assertions above are only worth something if a violation reaches the watch.
    page.goto(f"{server.url}/sign-in")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            """() => { const s = document.createElement("script");
                       s.textContent = "window.inlineRan = true"; document.head.append(s); }"""
        )
    assert page.evaluate("() => window.inlineRan === true") is False
    assert watch.csp_complaints() != []


# -- keyboard only -------------------------------------------------------------------------------
def test_sign_in_and_the_check_page_work_by_keyboard_alone(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/sign-in")
    assert tab_until(page, "button: Sign in") == [
        "a: Skip to main content",
        "a: Boundaries",
        "input#email",
        "input#password",
        "button: Sign in",
    ]

    page.reload()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # shown when focused, not left off-screen
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("E-mail address")).to_be_focused()

    page.keyboard.type(server.world.by_role["staff_teacher"])
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(check_url(server))

    order = tab_until(page, "button: Check")
    assert order[0] == "a: Skip to main content"
    assert order[-1] == "button: Check", f"Tab never reached the Check button: {order}"
    assert "textarea#draft" in order, f"Tab never reached the draft: {order}"
    assert order.index("textarea#draft") < order.index("button: Check")


# -- phones --------------------------------------------------------------------------------------
@pytest.mark.parametrize("viewport", ["phone"])
def test_no_page_scrolls_sideways_on_a_phone(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/sign-in")
    assert_no_sideways_scroll(page, "sign-in")

    sign_in(page, server)
    # A long unbroken address must wrap rather than push the page wider than the screen.
    draft = RICH_DRAFT + " at https://example.org/galleries/2026/summer-term/a-day-at-the-seaside"
    type_draft(page, draft)
    wait_for_result(page, server.expected(draft))
    assert_no_sideways_scroll(page, "check, with results")

    page.get_by_role("button", name="Save this draft").click()
    expect(page.get_by_text("Your draft has been saved.")).to_be_visible()
    assert_no_sideways_scroll(page, "saved drafts")

    # The policy quotes long web addresses of its own (clause 13.2).
    page.goto(f"{server.url}/schools/{server.world.meadowbank}/policy")
    assert_no_sideways_scroll(page, "policy")


# -- accessibility -------------------------------------------------------------------------------
def test_the_pages_meet_wcag_2_1_aa(page: Page, server: LiveServer) -> None:
    check_vendored_axe()
    serve_axe(page, server.url)
    problems: list[str] = []

    def audit(where: str) -> None:
        violations = axe_violations(page, server.url)
        if violations:
            problems.append(describe_violations(where, violations))

    page.goto(f"{server.url}/sign-in")
    audit("sign-in")
    page.get_by_label("E-mail address").fill(server.world.by_role["volunteer"])
    page.get_by_label("Password", exact=True).fill("not the password at all")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit("sign-in, after a wrong password")

    sign_in(page, server)
    expected = server.expected(RICH_DRAFT)
    assert {str(f.severity) for f in expected.findings} == {"breach", "review"}
    type_draft(page, RICH_DRAFT)
    wait_for_result(page, expected)
    audit("check, with results")

    page.get_by_role("button", name="Save this draft").click()
    expect(page.get_by_text("Your draft has been saved.")).to_be_visible()
    audit("saved drafts")

    page.goto(f"{server.url}/schools/{server.world.meadowbank}/policy")
    audit("policy")

    assert not problems, "\n\n".join(problems)
