"""Audit my connections in a real browser (issue 6): a teacher uploads a Facebook export, sees
the pupil found with the reason and the next steps without leaving the page, and shares the
summary; the headteacher reads it. Without JavaScript the same form still works. The pages are
checked with axe-core for WCAG 2.1 AA."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser_fixtures import assert_no_sideways_scroll, sign_in
from tests.browser_support import (
    LiveServer,
    Watch,
    axe_violations,
    check_vendored_axe,
    describe_violations,
    serve_axe,
)
from tests.test_connections_web import facebook_zip
from tests.web_support import PASSWORD

EXPORT = {
    "name": "facebook-staffmember-25112026.zip",
    "mimeType": "application/zip",
    "buffer": facebook_zip(["Olly Hargreaves", "Gwen Thackeray", "Zoë Marchetti"]),
}


def test_a_teacher_audits_an_export_sees_the_pupil_and_shares_the_summary(
    page: Page, server: LiveServer, watch: Watch, viewport: str
) -> None:
    check_vendored_axe()
    serve_axe(page, server.url)
    sign_in(page, server, "staff_teacher")
    page.get_by_role("link", name="Audit my connections").click()
    address = f"{server.url}/schools/{server.world.meadowbank}/connections"
    expect(page).to_have_url(address)
    expect(page.locator("#privacy")).to_contain_text("Your export is not stored.")
    expect(page.locator("#audit-progress")).to_be_hidden()
    violations = axe_violations(page, server.url)
    assert not violations, describe_violations("connections page", violations)

    page.get_by_label("Your data download").set_input_files(files=[EXPORT])
    page.get_by_role("button", name="Audit my connections").click()
    findings = page.locator("#audit-findings .finding")
    expect(findings).to_have_count(1)
    expect(findings.first).to_contain_text("Pupil: not declared")
    expect(findings.first).to_contain_text("Olly (Oliver) Hargreaves")
    expect(findings.first).to_contain_text("Current pupil")
    expect(findings.first).to_contain_text("Remove them as a friend on Facebook.")
    expect(
        findings.first.get_by_role("link", name="Declare your relationship with Olly")
    ).to_have_attribute(
        "href",
        f"/schools/{server.world.meadowbank}/declarations/new?q=Olly%20Hargreaves",
    )
    expect(page).to_have_url(address)  # HTMX swapped the results in: no new page
    expect(page.get_by_text("3 connections checked from Facebook")).to_be_visible()
    if viewport == "phone":
        assert_no_sideways_scroll(page, "connections, with results")
    violations = axe_violations(page, server.url)
    assert not violations, describe_violations("connections page with results", violations)

    page.get_by_label("A note for the headteacher (optional)").fill(f"Removed ({viewport}).")
    page.get_by_role("button", name="Share the summary with the headteacher").click()
    expect(page.locator("#shared-notice")).to_contain_text("Your summary has been shared")
    assert watch.csp_complaints() == [], "the CSP blocked something the page needs"


def test_the_headteacher_reads_the_shared_summaries(
    page: Page, server: LiveServer, viewport: str
) -> None:
    check_vendored_axe()
    serve_axe(page, server.url)
    sign_in(page, server, "dsl")
    page.goto(f"{server.url}/schools/{server.world.meadowbank}/connections")
    page.get_by_label("Your data download").set_input_files(files=[EXPORT])
    page.get_by_role("button", name="Audit my connections").click()
    page.get_by_role("button", name="Share the summary with the headteacher").click()
    expect(page.locator("#shared-notice")).to_be_visible()
    page.get_by_role("link", name="Summaries shared with you by staff").click()
    latest = page.locator("section.card").first
    expect(latest).to_contain_text("Meadowbank Dsl")
    expect(latest.get_by_role("table")).to_contain_text("Olly (Oliver) Hargreaves")
    expect(latest).not_to_contain_text("Thackeray")  # never the connections themselves
    if viewport == "phone":
        assert_no_sideways_scroll(page, "shared summaries")
    violations = axe_violations(page, server.url)
    assert not violations, describe_violations("shared summaries", violations)


def test_without_javascript_the_upload_still_gives_the_results(
    browser: Browser, server: LiveServer
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    try:
        page = context.new_page()
        page.goto(f"{server.url}/sign-in")
        page.get_by_label("E-mail address").fill(server.world.by_role["staff_support"])
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.goto(f"{server.url}/schools/{server.world.meadowbank}/connections")
        page.get_by_label("Your data download").set_input_files(files=[EXPORT])
        page.get_by_role("button", name="Audit my connections").click()
        expect(page).to_have_url(
            f"{server.url}/schools/{server.world.meadowbank}/connections/audit"
        )
        expect(page.locator("#audit-findings")).to_contain_text("Olly (Oliver) Hargreaves")
    finally:
        context.close()
