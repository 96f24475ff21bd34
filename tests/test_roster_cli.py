"""`boundaries roster`: import (exit 0 done, 1 problems and nothing changed, 64 usage), dry
runs, JSON for scripts, anonymise, and invitations sent through a real SMTP server."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from boundaries.store import Pupil, RosterImport, StaffRecord
from tests.test_cli import run
from tests.test_roster_import import FIXTURES, Store, make_store
from tests.test_roster_web import Mailbox, mailbox, smtp_server
from tests.web_support import SECRET_KEY

__all__ = ["mailbox", "smtp_server"]  # fixtures, imported so that pytest finds them here


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    made = make_store(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", made.url)
    monkeypatch.setenv("BOUNDARIES_SECRET_KEY", SECRET_KEY)
    monkeypatch.delenv("BOUNDARIES_CONFIG", raising=False)
    return made


def roster(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run(capsys, "roster", *argv)


def test_an_import_prints_its_counts_and_a_second_run_changes_nothing(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["import", str(FIXTURES / "sims_pupils.csv"), "--school", "900101", "--kind", "pupils"]
    code, out, _ = roster(capsys, *args, "--format", "sims", "--full")
    assert code == 0, out
    assert re.search(r"New\s*│\s*7", out) and re.search(r"Updated\s*│\s*2", out)
    assert "Past pupils already 18, not kept" in out and "Imported." in out
    code, out, _ = roster(capsys, *args, "--format", "sims", "--full", "--output", "json")
    assert code == 0
    result = json.loads(out)
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 9)
    assert result["applied"] is True and result["errors"] == []
    assert store.count(Pupil, school_id=store.meadowbank) == 9
    assert store.count(RosterImport) == 2


def test_an_import_with_problems_exits_1_lists_them_by_line_and_changes_nothing(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = roster(
        capsys,
        "import",
        str(FIXTURES / "sims_pupils_errors.csv"),
        "--school",
        "900101",
        "--kind",
        "pupils",
        "--format",
        "sims",
    )
    assert code == 1
    assert "Problem: sims_pupils_errors.csv, line 2, UPN: UPN “A873210120011” has the wrong" in out
    assert "line 4, DOB" in out and "line 8, UPN" in out
    assert "Nothing was changed: fix the 7 problems above" in out
    assert store.count(Pupil) == 2
    with store.sessions() as session:
        log = session.scalars(select(RosterImport)).one()
    assert not log.applied


def test_a_dry_run_changes_nothing(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = roster(
        capsys,
        "import",
        str(FIXTURES / "sims_staff.csv"),
        "--school",
        "900101",
        "--kind",
        "staff",
        "--format",
        "sims",
        "--dry-run",
        "--output",
        "json",
    )
    assert code == 0
    assert json.loads(out)["created"] == 5
    assert store.count(StaffRecord) == 0 and store.count(RosterImport) == 0


def test_wonde_pages_can_be_given_as_a_folder(
    store: Store, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "wonde"
    folder.mkdir()
    for name in ("wonde_students_page1.json", "wonde_students_page2.json"):
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    code, out, _ = roster(
        capsys,
        "import",
        str(folder),
        str(FIXTURES / "wonde_students_leavers.json"),
        "--school",
        "900102",
        "--kind",
        "pupils",
        "--format",
        "wonde",
        "--full",
        "--output",
        "json",
    )
    assert code == 0, out
    assert json.loads(out)["created"] == 4
    (folder / "wonde_students_page2.json").unlink()
    code, out, _ = roster(
        capsys, "import", str(folder), "--school", "900102", "--kind", "pupils", "--format", "wonde"
    )
    assert code == 1 and "page 2, which is missing" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--school", "999999", "--kind", "pupils", "--format", "sims"], "no school has the URN"),
        (["--school", "900101", "--kind", "pupils", "--format", "mapping"], "needs a mapping"),
        (["--school", "900101", "--kind", "pupils", "--format", "excel"], "--format"),
        (
            [
                "--school",
                "900101",
                "--kind",
                "staff",
                "--format",
                "mapping",
                "--mapping",
                str(FIXTURES / "other_mis.yaml"),
            ],
            "is for pupils, not staff",
        ),
    ],
)
def test_a_usage_problem_exits_64(
    store: Store, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = roster(capsys, "import", str(FIXTURES / "sims_pupils.csv"), *argv)
    assert code == 64
    assert message in err
    assert store.count(RosterImport) == 0


def test_anonymise_removes_past_pupils_who_are_18(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    # A past pupil who left in 2020 and turned 18 in 2024, put straight into the store.
    with store.sessions() as session:
        session.add(
            Pupil(
                school_id=store.meadowbank,
                legal_forename="Perpetua",
                surname="Oakhampton",
                date_of_birth=date(2006, 2, 1),
                leaving_date=date(2020, 7, 17),
            )
        )
        session.commit()
    code, out, _ = roster(capsys, "anonymise", "--school", "900101")
    assert code == 0
    assert out.strip() == (
        "1 past pupil and 0 parents or carers anonymised at Meadowbank Primary School."
    )
    assert "Perpetua Oakhampton" not in store.pupils(store.meadowbank)


def test_invite_emails_staff_through_the_configured_smtp_server(
    store: Store,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    mailbox: Mailbox,
) -> None:
    monkeypatch.setenv("BOUNDARIES_SMTP__HOST", "127.0.0.1")
    monkeypatch.setenv("BOUNDARIES_SMTP__PORT", str(mailbox.port))
    monkeypatch.setenv("BOUNDARIES_SMTP__STARTTLS", "false")
    monkeypatch.setenv("BOUNDARIES_BASE_URL", "https://boundaries.example.org")
    store.run(store.meadowbank, ("sims_staff.csv",), *_staff())
    code, out, _ = roster(capsys, "invite", "--school", "900101", "--output", "json")
    assert code == 0
    invited = json.loads(out)["invited"]
    # Nobody in this store has a password yet, the headteacher included.
    assert len(invited) == 5 and len(mailbox.messages) == 5
    body = mailbox.body_to("t.brannigan@meadowbank.example.org")
    assert "https://boundaries.example.org/reset-password?token=" in body
    mailbox.clear()
    code, out, _ = roster(capsys, "invite", "--school", "900101")
    assert code == 0 and mailbox.messages == []
    assert "0 invited, 5 already invited in the last 7 days" in out


def test_an_invitation_that_cannot_be_sent_is_tried_again_next_time(
    store: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing listens on this port: every send fails.
    monkeypatch.setenv("BOUNDARIES_SMTP__HOST", "127.0.0.1")
    monkeypatch.setenv("BOUNDARIES_SMTP__PORT", "9")
    monkeypatch.setenv("BOUNDARIES_SMTP__STARTTLS", "false")
    monkeypatch.setenv("BOUNDARIES_SMTP__TIMEOUT_SECONDS", "2")
    store.run(store.meadowbank, ("sims_staff.csv",), *_staff())
    code, out, _ = roster(capsys, "invite", "--school", "900101", "--output", "json")
    assert code == 1
    assert len(json.loads(out)["failed"]) == 5
    code, out, _ = roster(capsys, "invite", "--school", "900101", "--output", "json")
    assert json.loads(out)["recently_invited"] == []


def _staff() -> tuple[object, object]:
    from boundaries.roster.records import Kind, Source

    return Kind.STAFF, Source.SIMS
