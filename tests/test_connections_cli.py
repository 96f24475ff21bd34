"""`boundaries connections audit`: text and JSON, exit codes (0 nothing to do, 1 a pupil in scope
connected and not declared, 64 usage), a roster from a SIMS CSV or from the database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from boundaries.connections.roster_source import RosterFileError, pupils_from_csv
from boundaries.roster.records import InputFile
from boundaries.store import (
    Declaration,
    DeclarationStatus,
    DeclarationSubject,
    Person,
    Pupil,
)
from tests import connections_fixtures as fx
from tests.test_cli import run
from tests.test_connections_web import facebook_zip, snapchat_zip
from tests.test_roster_import import FIXTURES, Store, make_store
from tests.web_support import SECRET_KEY

SIMS_PUPILS = FIXTURES / "sims_pupils.csv"
TODAY = "2026-11-25"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "facebook-staffmember.zip"
    path.write_bytes(facebook_zip(["Chidi Okonkwo", "Ciaran Brennan", "Gwen Thackeray"]))
    return path


def audit(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run(capsys, "connections", "audit", *argv, "--today", TODAY)


def test_a_pupil_found_exits_1_and_says_who_why_and_what_to_do(
    export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = audit(capsys, str(export), "--pupils", str(SIMS_PUPILS))
    assert code == 1, out
    assert "Checked 3 connections from Facebook against 10 pupils" in out
    assert "Pupil: not declared · Chidi (Chidiebere) Okonkwo (current pupil)" in out
    assert "Ciaran Brennan (left, under 18)" in out
    assert "Why: The name “Chidi Okonkwo” matches the preferred name and the surname." in out
    assert "Next: Remove them as a friend on Facebook." in out
    assert "Thackeray" not in out
    assert "Nothing from the export was stored." in out


def test_json_output_is_only_json_with_each_finding(
    export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = audit(capsys, str(export), "--pupils", str(SIMS_PUPILS), "--format", "json")
    assert code == 1
    result = json.loads(out)
    assert result["connections_checked"] == 3 and result["platforms"] == ["facebook"]
    assert result["counts"]["not_declared"] == 2
    found = {f["person"]: f for f in result["findings"]}
    assert found["Ciaran Brennan"]["status"] == "left"
    assert found["Chidi (Chidiebere) Okonkwo"]["score"] == 1.0
    assert found["Chidi (Chidiebere) Okonkwo"]["reason"].startswith("The name")
    assert result["roster"]["pupils"] == 10


def test_declared_or_out_of_scope_people_need_nothing_and_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "snapchat.zip"
    path.write_bytes(
        snapchat_zip([("Chidi Okonkwo", "chidi_o_16"), ("Valentina Castellano", "val.c")])
    )
    code, out, _ = audit(
        capsys,
        str(path),
        "--pupils",
        str(SIMS_PUPILS),
        "--declared",
        "Chidi Okonkwo",
        "--format",
        "json",
    )
    assert code == 0, out
    outcomes = {f["person"]: f["outcome"] for f in json.loads(out)["findings"]}
    assert outcomes == {
        "Chidi (Chidiebere) Okonkwo": "declared",
        "Valentina Castellano": "out_of_scope",
    }


def test_parents_from_a_csv_file_are_a_caution(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parents = tmp_path / "contacts.csv"
    parents.write_text("Contact Forename,Contact Surname,Children\nNkem,Okonkwo,Chidi Okonkwo\n")
    path = tmp_path / "fb.zip"
    path.write_bytes(facebook_zip(["Nkem Okonkwo"]))
    code, out, _ = audit(capsys, str(path), "--pupils", str(SIMS_PUPILS), "--parents", str(parents))
    assert code == 0
    assert "Caution: parent or carer · Nkem Okonkwo (parent or carer of Chidi Okonkwo)" in out


def test_a_roster_from_the_database_with_the_staff_members_declarations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store: Store = make_store(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", store.url)
    monkeypatch.setenv("BOUNDARIES_SECRET_KEY", SECRET_KEY)
    monkeypatch.delenv("BOUNDARIES_CONFIG", raising=False)
    with store.sessions() as session:
        head = session.scalars(select(Person)).one()
        olly = session.scalars(select(Pupil).where(Pupil.surname == "Hargreaves")).one()
        session.add(
            Declaration(
                school_id=store.meadowbank,
                person_id=head.id,
                subject=DeclarationSubject.PUPIL,
                pupil_id=olly.id,
                subject_name="Olly Hargreaves",
                platform="Facebook",
                nature="my nephew",
                reason="He is my sister's son.",
                status=DeclarationStatus.NOT_ACCEPTED,
            )
        )
        session.commit()
    path = tmp_path / "fb.zip"
    path.write_bytes(facebook_zip(["Olly Hargreaves"]))
    args = [str(path), "--school", "900101", "--format", "json"]
    code, out, _ = audit(capsys, *args)
    assert code == 1
    assert json.loads(out)["findings"][0]["outcome"] == "not_declared"
    code, out, _ = audit(capsys, *args, "--staff", "headteacher@meadowbank.example.org")
    assert code == 1  # declared, but the headteacher did not accept it
    assert json.loads(out)["findings"][0]["outcome"] == "not_accepted"
    code, _, err = audit(capsys, *args, "--staff", "nobody@meadowbank.example.org")
    assert code == 64 and "nobody has the e-mail address" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "text"], "either --pupils FILE or --school URN"),
        (["--pupils", str(SIMS_PUPILS), "--school", "900101"], "either --pupils"),
        (["--pupils", str(FIXTURES / "sims_staff.csv")], "no column for the forename"),
        (["--pupils", str(SIMS_PUPILS), "--staff", "a@b.example"], "--staff goes with --school"),
    ],
)
def test_usage_errors_exit_64_with_one_clear_sentence(
    export: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = audit(capsys, str(export), *argv)
    assert code == 64
    assert message in err and out == ""


def test_an_export_that_cannot_be_read_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.zip"
    path.write_bytes(b"these are my notes, not an export")
    code, _, err = audit(capsys, str(path), "--pupils", str(SIMS_PUPILS))
    assert code == 64 and "Error:" in err and "notes.zip" in err


def test_an_html_download_is_refused_and_asks_for_the_json_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Read as an empty list, it would have said "no pupils found" and exited 0.
    path = tmp_path / "facebook-html.zip"
    path.write_bytes(fx.zip_bytes(fx.facebook_html()))
    code, out, err = audit(capsys, str(path), "--pupils", str(SIMS_PUPILS))
    assert code == 64 and out == ""
    assert "Facebook's HTML download" in err and "JSON" in err


def test_an_export_with_nothing_matchable_by_name_is_not_called_an_all_clear(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "twitter-2026-11-25-abc.zip"
    path.write_bytes(fx.zip_bytes(fx.x_archive()))
    code, out, _ = audit(capsys, str(path), "--pupils", str(SIMS_PUPILS))
    assert code == 0
    assert "No connection in this export could be checked by name." in out
    assert "No pupils or parents found" not in out
    assert "cannot match them to pupils" in out


def test_a_file_that_cannot_be_read_is_named_once_and_the_rest_is_audited(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {**fx.snapchat_export(), "json/followers_1.json": "[ not json"}
    path = tmp_path / "mydata.zip"
    path.write_bytes(fx.zip_bytes(files))
    code, out, _ = audit(capsys, str(path), "--pupils", str(SIMS_PUPILS))
    assert code == 0 and "Checked 3 connections from Instagram, Snapchat" in out
    [line] = [line for line in out.splitlines() if "followers_1.json" in line]
    assert line.count("followers_1.json") == 1 and "is not valid JSON" in line


def test_a_pupil_whose_date_cannot_be_read_is_still_checked_and_the_line_is_named() -> None:
    text = (
        "First Name;Surname;DOB\nAmy;Smith;01/02/2013\nCher;;01/01/2013\nZoë;O’Brien;2013-13-01\n"
    )
    read = pupils_from_csv(InputFile("year7.csv", text.encode("utf-8")))
    assert [(p.legal_forename, p.surname, p.date_of_birth) for p in read.pupils] == [
        ("Amy", "Smith", date(2013, 2, 1)),
        ("Zoë", "O’Brien", None),
    ]
    assert read.problems[0] == "year7.csv, line 3: the forename or surname is missing."
    assert read.problems[1].startswith("year7.csv, line 4: “2013-13-01” is not a real date")
    assert read.problems[1].endswith("still checked, as if the date of birth were not given.")


def test_a_pupils_file_without_name_columns_is_refused_naming_the_file_and_the_columns() -> None:
    with pytest.raises(RosterFileError) as refused:
        pupils_from_csv(InputFile("export.csv", b"Adno,Year\n001021,7\n"))
    assert str(refused.value) == (
        "export.csv has no column for the forename (Forename, Legal Forename or First Name) or "
        "the surname (Surname, Legal Surname or Last Name), nor one for a whole name (Name or "
        "Full Name)"
    )


def test_a_whole_name_column_is_split_keeping_middle_names_and_welsh_and_irish_surnames() -> None:
    text = (
        'Name,Year\nAmy Rose Smith,7\n"Ashworth, Peggy",8\nRhys ap Dafydd,9\n'
        "Niamh Ní Bhriain,9\nCher,7\n"
    )
    read = pupils_from_csv(InputFile("sims.csv", text.encode("utf-8")))
    assert [(p.legal_forename, p.surname) for p in read.pupils] == [
        ("Amy Rose", "Smith"),
        ("Peggy", "Ashworth"),
        ("Rhys", "ap Dafydd"),
        ("Niamh", "Ní Bhriain"),
    ]
    assert read.problems == ["sims.csv, line 6: the forename or surname is missing."]
