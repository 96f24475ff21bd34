"""Subject access: the ZIP holds every category of what the school and the account hold about
one person, in JSON with ISO 8601 dates and a readable PDF, and nothing about anyone else, no
other school's data and no secret (password hash, token or its digest).

The world is the governors' report's (tests/test_governors_report.py) with one person's
account history added: Aisha Pemberton, a teacher at Meadowbank. People are invented.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from boundaries.accounts.api_tokens import issue_api_token
from boundaries.accounts.reset import issue_reset_token
from boundaries.accounts.sessions import SessionLimits, start_session
from boundaries.reports.pdf import subject_access_pdf
from boundaries.reports.subject_access import NotInSchool, collect, to_zip
from boundaries.store import (
    AcknowledgementReminder,
    ApiToken,
    Credential,
    Declaration,
    DeclarationEvent,
    DeclarationStatus,
    ExternalIdentity,
    NetworkDevice,
    PasswordReset,
    Person,
    PolicyEdition,
    ReminderKind,
    SavedDraft,
    SignInAttempt,
    StaffRecord,
    WebSession,
    create_db_engine,
    session_factory,
)
from tests.databases import empty_database
from tests.test_cli import run
from tests.test_governors_report import TODAY, Seeded, Web, pdf_pages, seed, web_for

CATEGORIES = {
    "person",
    "memberships",
    "trust_roles",
    "staff_records",
    "acknowledgements",
    "acknowledgement_reminders",
    "declarations",
    "devices",
    "network_devices",
    "training",
    "saved_drafts",
    "policy_editions",
    "sign_in_attempts",
    "sessions",
    "password_resets",
    "api_tokens",
    "external_identities",
}
# A stand-in for an argon2 hash: what matters is that it never leaves the database.
FAKE_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g"
HER_DRAFT = "Lovely afternoon at the pond-dipping club, well done everyone!"
HER_OTHER_SCHOOL_DRAFT = "A draft she kept at Hillcrest, which Meadowbank does not hold."
HIS_DRAFT = "Callum's own draft about the cake sale."


@dataclass
class History:
    seeded: Seeded
    secrets: list[str]  # tokens and digests that must never be exported


def add_history(seeded: Seeded) -> History:
    """Aisha's account history, and some of Callum's, which must not leak into hers."""
    engine = create_db_engine(seeded.url)
    secrets: list[str] = [FAKE_HASH]
    aisha_id, callum_id = seeded.people["teacher1"], seeded.people["teacher2"]
    try:
        with session_factory(engine)() as s:
            aisha = s.get(Person, aisha_id)
            callum = s.get(Person, callum_id)
            assert aisha is not None and callum is not None
            limits = SessionLimits(timedelta(hours=8), timedelta(hours=1))
            for who in (aisha, callum):
                s.add(Credential(person_id=who.id, password_hash=FAKE_HASH))
                secrets.append(issue_api_token(s, who, f"{who.name.split()[0]}'s laptop"))
                secrets.append(start_session(s, who, limits, "password"))
                secrets.append(issue_reset_token(s, who, timedelta(hours=1)))
                s.add(SignInAttempt(email=who.email, client="192.0.2.10", succeeded=True))
            s.add(SignInAttempt(email=aisha.email, client="198.51.100.7", succeeded=False))
            s.add(
                ExternalIdentity(
                    person_id=aisha.id, issuer="https://login.example.org/t1", subject="aisha-7f3c"
                )
            )
            s.add(
                ExternalIdentity(
                    person_id=callum.id,
                    issuer="https://login.example.org/t1",
                    subject="callum-19ab",
                )
            )
            s.add(
                SavedDraft(
                    person_id=aisha.id, school_id=seeded.meadowbank, text=HER_DRAFT, verdict="clear"
                )
            )
            s.add(
                SavedDraft(
                    person_id=aisha.id,
                    school_id=seeded.hillcrest,
                    text=HER_OTHER_SCHOOL_DRAFT,
                    verdict="clear",
                )
            )
            s.add(
                SavedDraft(
                    person_id=callum.id,
                    school_id=seeded.meadowbank,
                    text=HIS_DRAFT,
                    verdict="clear",
                )
            )
            s.add(
                StaffRecord(
                    school_id=seeded.meadowbank,
                    person_id=aisha.id,
                    mis_id="SIMS-4411",
                    staff_code="APE",
                    job_title="Class teacher, Year 4",
                    start_date=date(2019, 9, 1),
                    line_manager_id=seeded.people["manager"],
                )
            )
            s.add(
                NetworkDevice(
                    school_id=seeded.meadowbank,
                    hostname="MB-Y4-LAPTOP-02",
                    mac="00:1a:2b:3c:4d:5e",
                    ip="10.20.4.52",
                    person_id=aisha.id,
                )
            )
            current = s.scalars(
                select(PolicyEdition).where(PolicyEdition.version == "2026.1")
            ).one()
            current.uploaded_by_id = seeded.people["head"]  # the head's doing, not hers
            manager_email = seeded.emails["manager"]
            s.add_all(
                [
                    AcknowledgementReminder(
                        edition_id=current.id,
                        person_id=aisha.id,
                        kind=ReminderKind.REMINDER,
                        sent_to=aisha.email,
                    ),
                    AcknowledgementReminder(
                        edition_id=current.id,
                        person_id=aisha.id,
                        kind=ReminderKind.ESCALATION,
                        sent_to=manager_email,
                    ),
                ]
            )
            declaration = s.scalars(
                select(Declaration).where(Declaration.person_id == aisha.id)
            ).one()
            s.add_all(
                [
                    DeclarationEvent(
                        declaration_id=declaration.id,
                        actor_id=aisha.id,
                        action="submitted",
                        status=DeclarationStatus.PENDING,
                    ),
                    DeclarationEvent(
                        declaration_id=declaration.id,
                        actor_id=seeded.people["head"],
                        action="commented",
                        status=DeclarationStatus.PENDING,
                        note="Please say which platform you message on.",
                    ),
                ]
            )
            s.commit()
            secrets += list(s.scalars(select(ApiToken.token_digest)))
            secrets += list(s.scalars(select(WebSession.token_digest)))
            secrets += list(s.scalars(select(PasswordReset.token_digest)))
    finally:
        engine.dispose()
    return History(seeded, secrets)


NOW = datetime(2026, 11, 25, 14, 5, tzinfo=UTC)


@dataclass
class Exported:
    history: History
    files: dict[str, bytes]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def exported(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Exported]:
    """Aisha's export, made once per database."""
    databases = empty_database(request.param, tmp_path_factory.mktemp("sar"), prefix="sar")
    url = next(databases)
    try:
        history = add_history(seed(url, TODAY))
        yield Exported(history, files_of(export_zip(history)))
    finally:
        next(databases, None)


def export_zip(history: History, person: str = "teacher1") -> bytes:
    seeded = history.seeded
    engine = create_db_engine(seeded.url)
    try:
        with session_factory(engine)() as session:
            export = collect(session, seeded.meadowbank, seeded.people[person], NOW)
            return to_zip(export, subject_access_pdf(export))
    finally:
        engine.dispose()


def files_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def records(files: dict[str, bytes], category: str) -> list[dict[str, object]]:
    document = json.loads(files[f"{category}.json"])
    assert document["category"] == category
    found: list[dict[str, object]] = document["records"]
    return found


def test_the_zip_has_every_category_as_json_and_a_pdf_summary(exported: Exported) -> None:
    files, history = exported.files, exported.history
    assert set(files) == {f"{c}.json" for c in CATEGORIES} | {"README.txt", "summary.pdf"}
    (person,) = records(files, "person")
    assert person["name"] == "Aisha Pemberton"
    assert person["email"] == history.seeded.emails["teacher1"]
    assert person["has_password"] is True
    assert [r["role"] for r in records(files, "memberships")] == ["staff_teacher"]
    (staff,) = records(files, "staff_records")
    assert (staff["mis_id"], staff["start_date"]) == ("SIMS-4411", "2019-09-01")
    assert [r["edition"] for r in records(files, "acknowledgements")] == ["2026.1"]
    reminders = records(files, "acknowledgement_reminders")
    assert [r["sent_to"] for r in reminders] == [person["email"], "your line manager"]
    (declaration,) = records(files, "declarations")
    assert declaration["status"] == "pending"
    history_steps = declaration["history"]
    assert isinstance(history_steps, list)
    assert [(e["action"], e["by"]) for e in history_steps] == [
        ("submitted", "you"),
        ("commented", "the school"),
    ]
    (device,) = records(files, "devices")
    assert device["status"] == "in_use" and len(str(device["imei"])) == 15
    assert [r["hostname"] for r in records(files, "network_devices")] == ["MB-Y4-LAPTOP-02"]
    assert [r["course"] for r in records(files, "training")] == [
        "Safe to Learn: cyberbullying guidance"
    ]
    assert [r["text"] for r in records(files, "saved_drafts")] == [HER_DRAFT]
    assert records(files, "policy_editions") == []  # the head uploaded it, not she
    attempts = records(files, "sign_in_attempts")
    assert sorted(str(r["client"]) for r in attempts) == ["192.0.2.10", "198.51.100.7"]
    assert [r["method"] for r in records(files, "sessions")] == ["password"]
    assert len(records(files, "password_resets")) == 1
    assert [r["name"] for r in records(files, "api_tokens")] == ["Aisha's laptop"]
    assert [r["subject"] for r in records(files, "external_identities")] == ["aisha-7f3c"]


def test_dates_in_the_json_are_iso_8601_in_utc(exported: Exported) -> None:
    files = exported.files
    (person,) = records(files, "person")
    created = datetime.fromisoformat(str(person["created_at"]))
    assert created.utcoffset() == timedelta(0)
    assert json.loads(files["person.json"])["generated_at"] == "2026-11-25T14:05:00+00:00"
    (training,) = records(files, "training")
    assert date.fromisoformat(str(training["due_date"])) == TODAY - timedelta(days=55)


def test_the_export_holds_no_secret_and_nobody_elses_data(exported: Exported) -> None:
    files, history = exported.files, exported.history
    texts = {name: data.decode("utf-8") for name, data in files.items() if name != "summary.pdf"}
    everything = "\n".join(texts.values())
    for secret in history.secrets:
        assert secret not in everything
    assert "$argon2" not in everything and "password_hash" not in everything
    assert "digest" not in everything
    # Nobody else: no other person's name or e-mail address, no draft of theirs, no other
    # school's data.
    for nick, email in history.seeded.emails.items():
        if nick == "teacher1":
            continue
        assert email not in everything, nick
    for name in ("Callum Fairweather", "Deborah Lisle", "Edwin Thackray", "Nadia Westbrook"):
        assert name not in everything
    assert HIS_DRAFT not in everything and "callum-19ab" not in everything
    assert HER_OTHER_SCHOOL_DRAFT not in everything
    assert "Hillcrest" not in everything


def test_the_pdf_summary_is_readable(exported: Exported, tmp_path: Path) -> None:
    files, history = exported.files, exported.history
    pages = pdf_pages(files["summary.pdf"], tmp_path, "summary")
    whole = " ".join(text for text, _ in pages)
    for heading in (
        "Subject access request",
        "Aisha Pemberton",
        "Meadowbank Primary School",
        "Declarations",
        "Devices",
        "Training",
        "Saved drafts",
        "API tokens",
        "Sign-in attempts",
        "25/11/2026",
        HER_DRAFT,
    ):
        assert heading in whole, heading
    for number, (text, image) in enumerate(pages, start=1):
        assert "Aisha Pemberton" in text and f"Page {number} of {len(pages)}" in text
        grey = image.convert("L").histogram()
        assert sum(grey[:200]) > 0.005 * image.width * image.height
    for secret in history.secrets:
        assert secret not in whole
    assert "Callum" not in whole and "Edwin Thackray" not in whole


def test_only_people_with_a_role_in_the_school_can_be_exported(exported: Exported) -> None:
    seeded = exported.history.seeded
    engine = create_db_engine(seeded.url)
    try:
        with session_factory(engine)() as session:
            for person_id in (
                seeded.people["brookside_teacher"],
                seeded.people["trust_admin"],
                999_999,
            ):
                with pytest.raises(NotInSchool):
                    collect(session, seeded.meadowbank, person_id, NOW)
            with pytest.raises(NotInSchool):
                collect(session, 999_999, seeded.people["teacher1"], NOW)
    finally:
        engine.dispose()


# -- the web route and the CLI -------------------------------------------------------------------
@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    folder = tmp_path_factory.mktemp("sar-web")
    seeded = add_history(seed(f"sqlite:///{folder / 'store.sqlite3'}", TODAY)).seeded
    site = web_for(seeded)
    yield site
    site.close()


def zip_path(web: Web, person: str, school: int | None = None) -> str:
    school_id = web.seeded.meadowbank if school is None else school
    return f"/schools/{school_id}/people/{web.seeded.people[person]}/subject-access.zip"


def test_hr_downloads_the_zip_from_the_web(web: Web) -> None:
    response = web.client("hr").get(zip_path(web, "teacher1"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="subject-access-person-')
    assert disposition.endswith('.zip"')
    assert response.headers["cache-control"] == "no-store"
    files = files_of(response.content)
    assert set(files) >= {f"{c}.json" for c in CATEGORIES}
    assert [r["text"] for r in records(files, "saved_drafts")] == [HER_DRAFT]


def test_the_subject_access_page_lists_the_schools_people(web: Web) -> None:
    page = web.client("head").get(f"/schools/{web.seeded.meadowbank}/subject-access")
    assert page.status_code == 200
    assert zip_path(web, "teacher1") in page.text
    assert "Bilal Ormsby" not in page.text  # Brookside's


@pytest.mark.parametrize(
    ("person", "school"),
    [("brookside_teacher", None), ("trust_admin", None), ("teacher1", "brookside")],
)
def test_someone_outside_the_school_is_not_found(web: Web, person: str, school: str | None) -> None:
    school_id = getattr(web.seeded, school) if school else None
    response = web.client("hr").get(zip_path(web, person, school_id))
    assert response.status_code == 404


def test_impossible_person_ids_are_not_found(web: Web) -> None:
    client = web.client("hr")
    for number in (0, 999_999, 2**31, 2**63):
        path = f"/schools/{web.seeded.meadowbank}/people/{number}/subject-access.zip"
        assert client.get(path).status_code == 404, number


def test_a_teacher_or_governor_may_not_export_anyone(web: Web) -> None:
    for nick in ("teacher2", "governor"):
        assert web.client(nick).get(zip_path(web, "teacher1")).status_code == 403


def test_the_cli_writes_the_zip(
    web: Web, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", web.seeded.url)
    target = tmp_path / "aisha.zip"
    email = web.seeded.emails["teacher1"].upper()  # e-mail addresses match in any case
    code, out, _ = run(
        capsys, "reports", "subject-access", email, "--school", "900101", "--output", str(target)
    )
    assert code == 0, out
    assert f"Wrote {target}" in out
    files = files_of(target.read_bytes())
    assert set(files) == {f"{c}.json" for c in CATEGORIES} | {"README.txt", "summary.pdf"}
    assert records(files, "person")[0]["name"] == "Aisha Pemberton"


@pytest.mark.parametrize(
    ("email", "urn", "message"),
    [
        ("nobody@example.org", "900101", "nobody has the e-mail address nobody@example.org"),
        ("bilal.ormsby@example.org", "900101", "has no role in Meadowbank Primary School"),
        ("aisha.pemberton@example.org", "999999", "no school has the URN 999999"),
    ],
)
def test_the_cli_refuses_an_unknown_person_or_school(
    web: Web,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    email: str,
    urn: str,
    message: str,
) -> None:
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", web.seeded.url)
    target = tmp_path / "out.zip"
    code, _, err = run(
        capsys, "reports", "subject-access", email, "--school", urn, "-o", str(target)
    )
    assert code == 64
    assert message in " ".join(err.split())
    assert not target.exists()
