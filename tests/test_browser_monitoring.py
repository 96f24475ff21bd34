"""Monitoring in the browser, at desktop and phone sizes: with an authorisation the headteacher
loads a log and gets the reports (table, chart, CSV download); without one, or under one that
does not name the role, nothing runs and the page says why; every page meets WCAG 2.1 AA (axe)
and needs no sideways scrolling on a phone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from boundaries.store import MonitoringAuthorisation, MonitoringPurpose
from tests.browser_fixtures import assert_no_sideways_scroll, sign_in
from tests.browser_support import (
    LiveServer,
    axe_violations,
    check_vendored_axe,
    describe_violations,
    serve_axe,
)
from tests.test_monitoring_web import squid_log


@pytest.fixture(scope="module", autouse=True)
def data_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The live server keeps datasets in ./data/monitoring: here, a folder of this module's."""
    folder = tmp_path_factory.mktemp("browser-monitoring")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        yield folder


class Audit:
    def __init__(self, page: Page, server: LiveServer) -> None:
        check_vendored_axe()
        serve_axe(page, server.url)
        self.page, self.server, self.problems = page, server, list[str]()

    def __call__(self, where: str) -> None:
        violations = axe_violations(self.page, self.server.url)
        if violations:
            self.problems.append(describe_violations(where, violations))
        assert_no_sideways_scroll(self.page, where)


def test_with_an_authorisation_the_headteacher_loads_a_log_and_gets_the_reports(
    page: Page, server: LiveServer
) -> None:
    audit = Audit(page, server)
    sign_in(page, server, "headteacher")
    page.goto(f"{server.url}/schools/{server.world.meadowbank}/monitoring")
    expect(page.get_by_role("heading", name="No authorisation, no report")).to_be_visible()
    audit("monitoring, nothing authorised")

    page.get_by_role("link", name="Record an authorisation").click()
    audit("authorisation form")
    page.get_by_role("button", name="Record the authorisation").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    audit("authorisation form, with errors")

    page.get_by_label("Unauthorised use may be taking place").check()
    page.get_by_label("Why monitoring is needed").fill("Laptops used for social networking.")
    page.get_by_label("Everyone and every device at the school").check()
    page.get_by_label("First day the logs may cover").fill("01/11/2026")
    page.get_by_label("Last day the logs may cover").fill("20/11/2026")
    page.get_by_label("The authorisation expires after").fill("31/12/2099")
    page.get_by_label("Yes, staff were told").check()
    page.get_by_label("How staff were told").fill("Acceptable use policy")
    expect(page.get_by_label("Headteacher", exact=True)).to_be_checked()
    page.get_by_role("button", name="Record the authorisation").click()
    expect(page.get_by_text("The authorisation has been recorded.")).to_be_visible()
    audit("authorisation")

    page.get_by_label("Log files").set_input_files(
        files=[{"name": "access.log", "mimeType": "text/plain", "buffer": squid_log()}]
    )
    page.get_by_role("button", name="Load the logs").click()
    expect(
        page.get_by_text("The logs have been loaded: 5 requests read from 6 lines.")
    ).to_be_visible()
    audit("loaded logs")

    page.get_by_label("Report", exact=True).select_option("people")
    page.get_by_role("button", name="Run the report").click()
    table = page.locator("#report-table")
    expect(table).to_contain_text("Meadowbank Staff Teacher")
    expect(page.locator("svg.chart")).to_be_visible()
    audit("people report")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    saved = download.value
    assert saved.suggested_filename.endswith(".csv")
    assert Path(saved.path()).read_text().startswith("person,")

    page.get_by_label("Report", exact=True).select_option("timeline")
    page.get_by_text("Filters and settings", exact=True).click()
    page.get_by_label("Moment of interest (date), for the timeline").fill("10/11/2026")
    page.get_by_label("Moment of interest (time)").fill("10:16")
    page.get_by_role("button", name="Run the report").click()
    expect(page.locator("#report-table")).to_contain_text("www.facebook.com:443")
    audit("timeline")

    # Revoked, nothing more runs; the next run of this test starts with nothing in force.
    page.get_by_role("link", name="authorisation", exact=False).first.click()
    page.get_by_label("Why it is being revoked").fill("Concern resolved.")
    page.get_by_role("button", name="Revoke authorisation").click()
    expect(page.get_by_text("nothing more runs under it")).to_be_visible()
    expect(page.get_by_role("button", name="Load the logs")).to_have_count(0)
    audit("revoked authorisation")
    assert not audit.problems, "\n\n".join(audit.problems)


def test_a_role_the_authorisation_does_not_name_can_run_nothing(
    page: Page, server: LiveServer
) -> None:
    with server.state.sessions() as session:
        made = MonitoringAuthorisation(
            school_id=server.world.meadowbank,
            authorised_by_name="Meadowbank Headteacher",
            purpose=MonitoringPurpose.PROTECT_THE_SYSTEM,
            reason="Checking the filter.",
            whole_school=True,
            roles_json=json.dumps(["headteacher"]),
            period_start=date(2026, 11, 1),
            period_end=date(2026, 11, 20),
            expires_on=date(2099, 12, 31),
        )
        session.add(made)
        session.commit()
        authorisation = made.id
    audit = Audit(page, server)
    sign_in(page, server, "dsl")
    page.goto(f"{server.url}/schools/{server.world.meadowbank}/monitoring")
    expect(
        page.get_by_role("heading", name="Monitoring at Meadowbank Primary School")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Record an authorisation")).to_have_count(0)
    audit("monitoring, as the DSL")
    page.get_by_role("link", name=f"Authorisation {authorisation}", exact=True).click()
    expect(page.get_by_text("does not name your role")).to_be_visible()
    expect(page.get_by_role("button", name="Load the logs")).to_have_count(0)
    audit("an authorisation that does not name the DSL")
    assert not audit.problems, "\n\n".join(audit.problems)


def test_the_filtering_page_records_a_decision_and_offers_the_exports(
    page: Page, server: LiveServer
) -> None:
    audit = Audit(page, server)
    sign_in(page, server, "it_admin")
    page.goto(f"{server.url}/schools/{server.world.meadowbank}/filtering")
    audit("filtering")
    page.get_by_label("Site").fill("https://www.tiktok.com/")
    page.get_by_label("Block it").check()
    page.get_by_label("Reason").fill("Not needed for work")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The decision has been recorded.")).to_be_visible()
    expect(page.get_by_role("region", name="Decisions in force")).to_contain_text("www.tiktok.com")
    audit("filtering, with a decision")
    with page.expect_download() as download:
        page.get_by_role("link", name="Squid configuration fragment").click()
    assert "dstdomain .www.tiktok.com" in Path(download.value.path()).read_text()
    assert not audit.problems, "\n\n".join(audit.problems)
