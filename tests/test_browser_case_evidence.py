"""The evidence pages in a real browser: the reporter's upload page (empty, with an error, with
evidence) and the page a handler sees when an upload is refused, checked with axe-core (WCAG 2.1
AA), and the reporter's page on a phone for sideways scrolling."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from boundaries.cases.vault import LocalVault
from boundaries.store import Case, CaseCategory, Person
from tests.browser_fixtures import assert_no_sideways_scroll, sign_in
from tests.browser_support import (
    LiveServer,
    axe_violations,
    check_vendored_axe,
    describe_violations,
    serve_axe,
)
from tests.case_evidence_support import SAVED_EMAIL


def _case(server: LiveServer, role: str, vault_folder: Path) -> int:
    # Keep this module's uploads out of the working directory's data folder.
    if getattr(server.app.state, "evidence_vault", None) is None:
        server.app.state.evidence_vault = (LocalVault(vault_folder), 5 * 1024 * 1024)
    with server.state.sessions() as session:
        email = server.world.by_role[role]
        person_id = session.scalars(select(Person.id).where(Person.email == email)).one()
        case = Case(
            school_id=server.world.meadowbank,
            category=CaseCategory.CYBERBULLYING,
            reporter_id=person_id,
            summary="Messages from an anonymous account about me.",
        )
        session.add(case)
        session.commit()
        return case.id


@pytest.mark.parametrize("viewport", ["desktop"])
def test_the_evidence_pages_meet_wcag_2_1_aa(
    page: Page, server: LiveServer, tmp_path: Path
) -> None:
    check_vendored_axe()
    serve_axe(page, server.url)
    school = server.world.meadowbank
    case_id = _case(server, "governor", tmp_path / "vault")
    problems: list[str] = []

    def audit(where: str) -> None:
        violations = axe_violations(page, server.url)
        if violations:
            problems.append(describe_violations(where, violations))

    sign_in(page, server, "governor")
    page.goto(f"{server.url}/schools/{school}/concerns/{case_id}/evidence")
    audit("the reporter's evidence page")
    page.get_by_role("button", name="Add the evidence").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose the file to add")
    audit("the reporter's evidence page, with an error")
    saved = tmp_path / "threat.eml"
    saved.write_bytes(SAVED_EMAIL)
    page.get_by_label("File").set_input_files(str(saved))
    page.get_by_label("Date it was captured (optional)").fill("25/11/2026")
    page.get_by_label("Time it was captured (optional)").fill("14:05")
    page.get_by_role("button", name="Add the evidence").click()
    expect(page.get_by_role("status")).to_contain_text("The evidence has been added")
    expect(page.get_by_role("cell", name="threat.eml")).to_be_visible()
    audit("the reporter's evidence page, with evidence")

    page.context.clear_cookies()
    sign_in(page, server, "hr")
    page.goto(f"{server.url}/schools/{school}/cases/{case_id}")
    renamed = tmp_path / "holiday.png"
    renamed.write_bytes(b"MZ" + bytes(400))  # a program dressed as a picture
    page.locator("#file").set_input_files(str(renamed))
    page.locator("#file").evaluate("input => input.form.submit()")
    expect(page.get_by_role("alert")).to_contain_text("Windows program")
    audit("a refused upload")
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("viewport", ["phone"])
def test_the_evidence_page_does_not_scroll_sideways_on_a_phone(
    page: Page, server: LiveServer, tmp_path: Path
) -> None:
    case_id = _case(server, "volunteer", tmp_path / "vault")
    sign_in(page, server, "volunteer")
    page.goto(f"{server.url}/schools/{server.world.meadowbank}/concerns/{case_id}/evidence")
    assert_no_sideways_scroll(page, "the reporter's evidence page")
