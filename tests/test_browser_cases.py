"""Incidents and cases in a real browser (issue 5): a member of staff reports a concern and
attaches a screenshot; the headteacher takes the case to an outcome and exports the bundle.
The case pages are checked with axe-core (WCAG 2.1 AA) and on a phone for sideways scrolling.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

from tests.browser_fixtures import assert_no_sideways_scroll, sign_in
from tests.browser_support import (
    LiveServer,
    axe_violations,
    check_vendored_axe,
    describe_violations,
    serve_axe,
)

SUMMARY = (
    "A parody account posted an edited photo of me with the caption 'worst teacher at "
    "Meadowbank'. Several Year 6 pupils have liked it."
)
LONG_URL = "https://www.instagram.com/p/C7xQm2fLr9T/?igsh=MTc4MmM1YmI2Ng%3D%3D&utm_source=qr_code"


def _screenshot(folder: Path) -> Path:
    """A small PNG like a phone screenshot of a post (invented content)."""
    image = Image.new("RGB", (360, 640), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 360, 56), fill=(38, 38, 38))
    draw.text((12, 20), "meadowbank_parody", fill="white")
    draw.text((12, 420), "worst teacher at Meadowbank", fill="black")
    path = folder / "instagram-post-2026-11-24.png"
    image.save(path, format="PNG")
    return path


def _report(page: Page, server: LiveServer) -> None:
    """Fill in and send the report form, as the signed-in person."""
    page.get_by_role("link", name="Report a concern").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a concern")
    page.get_by_role("main").get_by_role("link", name="Report a concern").click()
    page.get_by_label("Cyberbullying against me").check()
    page.get_by_label("Date it happened or you saw it").fill("24/11/2026")
    page.get_by_label("Time (if you know it)").fill("20:15")
    page.get_by_label("Platform").fill("Instagram")
    page.get_by_label("Web address (URL)").fill(LONG_URL)
    page.get_by_label("The account it came from").fill("@meadowbank_parody")
    page.get_by_label("Describe what happened").fill(SUMMARY)
    page.locator("#party_name_1").fill("Unknown account holder")
    page.get_by_label("Your wishes").fill("Please have it taken down before anything else.")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("status")).to_contain_text("Your report has been sent.")


def _step(page: Page, label: str, reason: str, outcome: str | None = None) -> None:
    page.get_by_label(label, exact=True).check()
    if outcome is not None:
        page.get_by_label("Outcome (when recording the outcome)").select_option(label=outcome)
    page.locator("#reason").fill(reason)
    page.get_by_role("button", name="Record the step").click()
    expect(page.get_by_role("status")).to_have_text("The case's status has been changed.")


@pytest.mark.parametrize("viewport", ["desktop"])
def test_a_report_with_evidence_is_taken_to_an_outcome_and_exported(
    page: Page, server: LiveServer, tmp_path: Path
) -> None:
    school = server.world.meadowbank
    shot = _screenshot(tmp_path)
    digest = hashlib.sha256(shot.read_bytes()).hexdigest()

    # A member of staff who has never reported anything reports, and attaches the screenshot.
    sign_in(page, server, "staff_support")
    _report(page, server)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your report: Cyberbullying")
    expect(page.get_by_text("Received")).to_be_visible()
    case_id = int(re.findall(r"/concerns/(\d+)", page.url)[0])
    page.get_by_role("link", name="Add evidence to your report").click()
    page.get_by_label("File").set_input_files(str(shot))
    page.get_by_label("Date it was captured (optional)").fill("24/11/2026")
    page.get_by_label("Where it was (optional)").fill("Instagram, @meadowbank_parody")
    page.get_by_role("button", name="Add the evidence").click()
    expect(page.get_by_role("status")).to_contain_text("The evidence has been added")
    expect(page.get_by_role("cell", name=shot.name)).to_be_visible()
    # The case itself is not theirs to open.
    response = page.goto(f"{server.url}/schools/{school}/cases/{case_id}")
    assert response is not None and response.status == 404

    # The headteacher finds it, takes it to an outcome and exports the bundle.
    page.context.clear_cookies()
    sign_in(page, server, "headteacher")
    page.get_by_role("link", name="Cases", exact=True).first.click()
    page.get_by_role("link", name=f"Case {case_id}: Cyberbullying").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {case_id}: Cyberbullying")
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    expect(page.get_by_role("link", name=shot.name)).to_be_visible()
    expect(page.get_by_text(digest)).to_be_visible()
    _step(page, "Mark as triaged", "Pupils involved: the DSL will help.")
    _step(page, "Start the investigation", "Identify who runs the account.")
    _step(
        page,
        "Record the outcome",
        "Two pupils admitted running the account; it has been deleted.",
        outcome="Action against a pupil for a malicious claim",
    )
    expect(page.locator(".badge-review")).to_have_text(
        "Action against a pupil for a malicious claim"
    )
    expect(page.locator("#chronology")).to_be_visible()
    expect(page.get_by_text("Two pupils admitted running the account")).to_have_count(1)

    # Rendering the bundle takes a few seconds on a busy machine: allow for it.
    with page.expect_download(timeout=60_000) as pdf_download:
        page.get_by_role("link", name="Export the case bundle (PDF)").click(no_wait_after=True)
    pdf = Path(pdf_download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    with page.expect_download(timeout=60_000) as zip_download:
        page.get_by_role("link", name="Download the originals (ZIP with checksums)").click(
            no_wait_after=True
        )
    with zipfile.ZipFile(io.BytesIO(Path(zip_download.value.path()).read_bytes())) as bundle:
        contents = {name: bundle.read(name) for name in bundle.namelist()}
    assert any(hashlib.sha256(data).hexdigest() == digest for data in contents.values())
    manifests = [data.decode() for name, data in contents.items() if "sha256" in name.lower()]
    assert manifests and digest in manifests[0]


@pytest.mark.parametrize("viewport", ["desktop"])
def test_the_case_pages_meet_wcag_2_1_aa(page: Page, server: LiveServer) -> None:
    check_vendored_axe()
    serve_axe(page, server.url)
    school = server.world.meadowbank
    problems: list[str] = []

    def audit(where: str) -> None:
        violations = axe_violations(page, server.url)
        if violations:
            problems.append(describe_violations(where, violations))

    sign_in(page, server, "volunteer")
    page.goto(f"{server.url}/schools/{school}/concerns")
    audit("my reports")
    page.goto(f"{server.url}/schools/{school}/concerns/new")
    audit("report form")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit("report form, with errors")
    page.get_by_label("A message that may be from a pupil").check()
    page.get_by_label("Describe what happened").fill("A friend request from 'mrs_h_fan_2014'.")
    page.get_by_role("button", name="Send the report").click()
    audit("the reporter's report")
    case_id = int(re.findall(r"/concerns/(\d+)", page.url)[0])

    page.context.clear_cookies()
    sign_in(page, server, "dsl")
    page.goto(f"{server.url}/schools/{school}/cases")
    audit("case list")
    page.goto(f"{server.url}/schools/{school}/cases/{case_id}")
    audit("case page")
    page.locator("#reason").fill("")
    page.get_by_role("button", name="Record the step").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit("case page, with errors")
    page.goto(f"{server.url}/schools/{school}/cases/{case_id}/edit")
    audit("correction form")
    page.goto(f"{server.url}/schools/{school}/cases/low-level")
    page.get_by_label("The concern").fill("Accepted a pupil's follow request.")
    page.get_by_label("Their name, if they are not on the list").fill("Visiting Coach Ryle")
    page.get_by_role("button", name="Record the concern").click()
    expect(page.get_by_role("status")).to_have_text("The concern has been recorded.")
    audit("low-level concerns")
    page.goto(f"{server.url}/schools/{school}/cases/people/{_person_id(server, 'volunteer')}")
    audit("a person's chronology")
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("viewport", ["phone"])
def test_the_case_pages_do_not_scroll_sideways_on_a_phone(page: Page, server: LiveServer) -> None:
    school = server.world.meadowbank
    sign_in(page, server, "staff_teacher")
    page.goto(f"{server.url}/schools/{school}/concerns/new")
    assert_no_sideways_scroll(page, "report form")
    _report(page, server)
    assert_no_sideways_scroll(page, "the reporter's report, with a long web address")
    case_id = int(re.findall(r"/concerns/(\d+)", page.url)[0])
    page.context.clear_cookies()
    sign_in(page, server, "hr")
    page.goto(f"{server.url}/schools/{school}/cases/{case_id}")
    assert_no_sideways_scroll(page, "case page")
    page.goto(f"{server.url}/schools/{school}/cases")
    assert_no_sideways_scroll(page, "case list")


def _person_id(server: LiveServer, role: str) -> int:
    from sqlalchemy import select

    from boundaries.store import Person

    with server.state.sessions() as session:
        return session.scalars(
            select(Person.id).where(Person.email == server.world.by_role[role])
        ).one()
