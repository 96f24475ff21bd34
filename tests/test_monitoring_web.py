"""The monitoring and filtering pages: with an authorisation the headteacher loads a log and gets
every report, with its chart and its CSV, JSON and PDF downloads; without one, or under one that
is revoked, out of scope or silent about the caller's role, nothing runs and the page says why.
Every load, run and refusal lands in the school's monitoring audit chain.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boundaries.accounts.sessions import start_session
from boundaries.audit import verify_chain
from boundaries.monitoring.authorisations import chain_for
from boundaries.monitoring.reports import ReportKind
from boundaries.store import (
    AuditEntry,
    LogDataset,
    MonitoringRun,
    NetworkDevice,
    Person,
    create_db_engine,
    session_factory,
)
from boundaries.web.auth import SESSION_COOKIE
from tests.web_support import World, build_world, csrf_from

# Squid native lines (logformat squid) in November 2026: padded elapsed times, CONNECT for
# HTTPS, a denial, proxy user names with and without a Windows domain, and one broken line.
T0 = datetime(2026, 11, 10, 10, 15, tzinfo=UTC).timestamp()
SQUID_LINES = [
    f"{T0:.3f}    245 10.20.0.57 TCP_TUNNEL/200 5120 CONNECT www.facebook.com:443 "
    "staff.teacher HIER_DIRECT/157.240.1.35 -",
    f"{T0 + 60:.3f}   1312 10.20.0.57 TCP_MISS/200 20480 GET http://www.bbc.co.uk/news "
    "staff.teacher HIER_DIRECT/151.101.0.81 text/html",
    f"{T0 + 120:.3f}     12 10.20.0.57 TCP_DENIED/403 3900 CONNECT www.tiktok.com:443 "
    "MEADOWBANK\\staff.teacher HIER_NONE/- text/html",
    f"{T0 + 3600:.3f}     88 10.20.0.91 TCP_TUNNEL/200 900 CONNECT www.instagram.com:443 "
    "dsl HIER_DIRECT/157.240.1.174 -",
    f"{T0 + 3700:.3f}     40 10.20.0.91 TCP_HIT/200 536 GET "
    "http://intranet.meadowbank.example/x.gif - NONE/- image/gif",
    "this line is not from Squid at all",
]


def squid_log() -> bytes:
    return ("\n".join(SQUID_LINES) + "\n").encode()


@dataclass
class Site:
    world: World
    client: TestClient
    sessions: Session
    csrf: dict[str, str]
    clients: dict[str, TestClient]
    data: Path

    @property
    def school(self) -> int:
        return self.world.meadowbank

    def as_(self, role: str) -> tuple[TestClient, str]:
        """A client signed in as ``role``: the session is started as the sign-in form starts
        one, but directly (the form is tested elsewhere; passwords are slow to check)."""
        if role not in self.clients:
            app = self.client.app
            state = app.state.boundaries  # type: ignore[attr-defined]
            client = TestClient(app, base_url="https://testserver")
            with state.sessions() as db:
                person = db.scalars(
                    select(Person).where(Person.email == self.world.by_role[role])
                ).one()
                token = start_session(db, person, state.session_limits, "password")
                db.commit()
            client.cookies.set(SESSION_COOKIE, token)
            self.csrf[role] = csrf_from(client.get("/forgot-password").text)
            self.clients[role] = client
        return self.clients[role], self.csrf[role]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("monitoring-web")
    with pytest.MonkeyPatch.context() as patch:
        # Datasets go to ./data/monitoring: here, the test's own folder.
        patch.chdir(folder)
        world = build_world(f"sqlite:///{folder / 'store.sqlite3'}")
        engine = create_db_engine(world.url)
        with session_factory(engine)() as session:
            teacher = session.scalars(
                select(Person).where(Person.email == world.by_role["staff_teacher"])
            ).one()
            session.add(
                NetworkDevice(
                    school_id=world.meadowbank,
                    hostname="MB-LAP-07",
                    ip="10.20.0.57",
                    person_id=teacher.id,
                )
            )
            session.commit()
        app = world.app()
        with (
            TestClient(app, base_url="https://testserver") as client,
            session_factory(engine)() as db,
        ):
            made = Site(world, client, db, {}, {}, folder / "data")
            try:
                yield made
            finally:
                for other in made.clients.values():
                    other.close()
        engine.dispose()


def authorise(site: Site, **changes: str | list[str]) -> int:
    client, token = site.as_("headteacher")
    form: dict[str, str | list[str]] = {
        "purpose": "unauthorised_use",
        "reason": "Reports of social networking in lessons on school laptops.",
        "whole_school": "1",
        "period_start": "01/11/2026",
        "period_end": "20/11/2026",
        "expires_on": "31/12/2099",
        "staff_told": "1",
        "staff_told_how": "Acceptable use policy, September briefing",
        "staff_told_on": "03/09/2026",
        "roles": ["headteacher", "trust_hr"],
        "csrf_token": token,
    }
    form.update(changes)
    response = client.post(
        f"/schools/{site.school}/monitoring/authorisations", data=form, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].split("/")[-1].split("?")[0])


def load(
    site: Site,
    authorisation: int,
    role: str = "headteacher",
    data: bytes | None = None,
    name: str = "access.log",
) -> object:
    client, token = site.as_(role)
    return client.post(
        f"/schools/{site.school}/monitoring/authorisations/{authorisation}/logs",
        data={"csrf_token": token},
        files=[("files", (name, data if data is not None else squid_log(), "text/plain"))],
        follow_redirects=False,
    )


def report(site: Site, dataset: int, role: str = "headteacher", **form: str | list[str]):  # type: ignore[no-untyped-def]
    client, token = site.as_(role)
    return client.post(
        f"/schools/{site.school}/monitoring/datasets/{dataset}/report",
        data={"kind": "people", "output": "html", **form, "csrf_token": token},
        follow_redirects=False,
    )


def runs_count(site: Site) -> int:
    site.sessions.expire_all()
    return site.sessions.scalar(select(func.count()).select_from(MonitoringRun)) or 0


@pytest.fixture(scope="module")
def dataset(site: Site) -> int:
    authorisation = authorise(site)
    response = load(site, authorisation, data=gzip.compress(squid_log()), name="access.log.1.gz")
    assert response.status_code == 303, response.text  # type: ignore[attr-defined]
    return int(response.headers["location"].split("/")[-1].split("?")[0])  # type: ignore[attr-defined]


# -- no authorisation, no report -----------------------------------------------------------------
def test_without_an_authorisation_the_page_says_no_report_can_run(site: Site) -> None:
    # Nobody has authorised monitoring at Hillcrest, where Westvale's administrator may run it.
    client, _ = site.as_("trust_admin")
    page = client.get(f"/schools/{site.world.hillcrest}/monitoring")
    assert page.status_code == 200
    assert "No authorisation, no report" in page.text
    assert "Only the headteacher can record one" in page.text
    assert "Load the logs" not in page.text


def test_the_headteacher_records_an_authorisation_in_the_audit_chain(site: Site) -> None:
    made = authorise(site, purpose="prevent_or_detect_crime")
    client, _ = site.as_("headteacher")
    page = client.get(f"/schools/{site.school}/monitoring/authorisations/{made}")
    assert "To prevent or detect crime" in page.text
    assert "Headteacher, Trust or council HR" in page.text
    site.sessions.expire_all()
    entry = site.sessions.scalars(
        select(AuditEntry)
        .where(AuditEntry.chain == chain_for(site.school), AuditEntry.subject_id == made)
        .order_by(AuditEntry.seq)
    ).first()
    assert entry is not None and entry.action == "authorisation.recorded"


def test_an_incomplete_authorisation_comes_back_with_its_errors(site: Site) -> None:
    client, token = site.as_("headteacher")
    response = client.post(
        f"/schools/{site.school}/monitoring/authorisations",
        data={"reason": "", "period_start": "31/02/2026", "csrf_token": token},
    )
    assert response.status_code == 400
    assert "Choose the purpose" in response.text
    assert "is not a real date" in response.text
    assert "Name at least one role" in response.text


def test_with_an_authorisation_the_headteacher_loads_a_log_and_sees_what_was_read(
    site: Site, dataset: int
) -> None:
    client, _ = site.as_("headteacher")
    page = client.get(f"/schools/{site.school}/monitoring/datasets/{dataset}?done=loaded")
    assert page.status_code == 200
    site.sessions.expire_all()
    loaded = site.sessions.get(LogDataset, dataset)
    assert loaded is not None
    assert (loaded.lines, loaded.parsed, loaded.malformed) == (6, 5, 1)
    assert "this line is not from Squid at all" in page.text
    assert json.loads(loaded.files_json)[0]["name"] == "access.log.1.gz"
    # The dataset is kept in the data folder; the raw upload is not.
    root = site.data / "monitoring"
    assert (root / loaded.folder / "events").is_dir()
    assert not any((root / "incoming").glob("*/*"))


@pytest.mark.parametrize("kind", list(ReportKind))
def test_every_report_runs_in_the_browser_and_is_recorded(
    site: Site, dataset: int, kind: ReportKind
) -> None:
    before = runs_count(site)
    extra = {"moment": "10/11/2026", "moment_time": "10:16"} if kind is ReportKind.TIMELINE else {}
    response = report(site, dataset, kind=kind.value, **extra)
    assert response.status_code == 200, response.text
    assert 'id="report-table"' in response.text
    assert runs_count(site) == before + 1


def test_the_people_report_names_the_teacher_with_a_chart(site: Site, dataset: int) -> None:
    response = report(site, dataset, kind="people")
    assert "Meadowbank Staff Teacher" in response.text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in response.text


def test_a_filter_narrows_the_report(site: Site, dataset: int) -> None:
    response = report(site, dataset, kind="top_domains", domains="facebook.com")
    assert "facebook.com" in response.text
    assert "bbc.co.uk" not in response.text.split('id="report-table"')[1]


@pytest.mark.parametrize(
    ("output", "media", "check"),
    [
        ("csv", "text/csv", lambda body: body.decode().splitlines()[0].startswith("person")),
        ("json", "application/json", lambda body: json.loads(body)["kind"] == "people"),
        ("pdf", "application/pdf", lambda body: body.startswith(b"%PDF-")),
    ],
)
def test_reports_download_as_csv_json_and_pdf(
    site: Site, dataset: int, output: str, media: str, check: object
) -> None:
    before = runs_count(site)
    response = report(site, dataset, kind="people", output=output)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert "attachment" in response.headers["content-disposition"]
    assert check(response.content)  # type: ignore[operator]
    assert runs_count(site) == before + 1
    site.sessions.expire_all()
    last = site.sessions.scalars(select(MonitoringRun).order_by(MonitoringRun.id.desc())).first()
    assert last is not None and last.format == output and last.report == "people"


def test_a_role_the_authorisation_does_not_name_can_neither_load_nor_run(
    site: Site, dataset: int
) -> None:
    authorisation = authorise(site, roles=["headteacher"])
    before = runs_count(site)
    refused = load(site, authorisation, role="dsl")
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert "does not name your role" in refused.text  # type: ignore[attr-defined]
    response = report(site, dataset, role="dsl")
    assert response.status_code == 403
    assert "No authorisation, no report" in response.text
    assert runs_count(site) == before
    site.sessions.expire_all()
    refusals = site.sessions.scalars(
        select(AuditEntry).where(
            AuditEntry.chain == chain_for(site.school), AuditEntry.action == "monitoring.refused"
        )
    ).all()
    assert len(refusals) >= 2


def test_a_trust_officer_runs_reports_only_when_their_role_is_named(
    site: Site, dataset: int
) -> None:
    assert report(site, dataset, role="trust_hr").status_code == 200
    assert report(site, dataset, role="trust_admin").status_code == 403


def test_a_report_outside_the_authorised_period_is_refused(site: Site, dataset: int) -> None:
    response = report(site, dataset, start="25/10/2026")
    assert response.status_code == 403
    assert "covers 01/11/2026 to 20/11/2026 only" in response.text


def test_a_revoked_authorisation_runs_nothing(site: Site) -> None:
    authorisation = authorise(site)
    loaded = load(site, authorisation)
    assert loaded.status_code == 303  # type: ignore[attr-defined]
    dataset = int(loaded.headers["location"].split("/")[-1].split("?")[0])  # type: ignore[attr-defined]
    client, token = site.as_("headteacher")
    revoked = client.post(
        f"/schools/{site.school}/monitoring/authorisations/{authorisation}/revoke",
        data={"reason": "Concern resolved", "csrf_token": token},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    response = report(site, dataset)
    assert response.status_code == 403 and "was revoked on" in response.text
    assert load(site, authorisation).status_code == 403  # type: ignore[attr-defined]


def test_every_load_and_run_keeps_the_chain_whole(site: Site, dataset: int) -> None:
    site.sessions.expire_all()
    report_ = verify_chain(site.sessions, chain_for(site.school))
    assert report_.ok
    actions = set(
        site.sessions.scalars(
            select(AuditEntry.action).where(AuditEntry.chain == chain_for(site.school))
        )
    )
    assert {"authorisation.recorded", "monitoring.load", "monitoring.report"} <= actions


def test_an_upload_over_the_cap_is_refused(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    from boundaries.web.routes import monitoring as routes

    monkeypatch.setattr(routes, "MAX_UPLOAD", 100)
    authorisation = authorise(site)
    response = load(site, authorisation)
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert "boundaries monitoring load" in response.text  # type: ignore[attr-defined]


# -- filtering -----------------------------------------------------------------------------------
def test_it_records_a_block_and_exports_it_for_squid(site: Site) -> None:
    client, token = site.as_("it_admin")
    response = client.post(
        f"/schools/{site.school}/filtering",
        data={
            "domain": "https://www.tiktok.com/",
            "action": "block",
            "reason": "Not needed",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(f"/schools/{site.school}/filtering")
    assert "www.tiktok.com" in page.text and "Meadowbank It Admin" in page.text
    exported = client.get(f"/schools/{site.school}/filtering/export?format=squid")
    assert "acl boundaries_blocked dstdomain .www.tiktok.com" in exported.text
    assert "by Meadowbank It Admin. Reason: Not needed" in exported.text
    plain = client.get(f"/schools/{site.school}/filtering/export?format=blocked")
    assert "www.tiktok.com\n" in plain.text


def test_a_decision_without_a_reason_comes_back_with_the_error(site: Site) -> None:
    client, token = site.as_("headteacher")
    response = client.post(
        f"/schools/{site.school}/filtering",
        data={"domain": "example.com", "action": "allow", "reason": "", "csrf_token": token},
    )
    assert response.status_code == 400
    assert "filtering standard asks for the reason" in response.text
    assert csrf_from(response.text)


# -- charts --------------------------------------------------------------------------------------
def test_a_chart_labels_people_by_name_states_every_figure_and_carries_no_style() -> None:
    from boundaries.monitoring.charts import report_chart
    from boundaries.monitoring.reports import ReportTable

    table = ReportTable(
        ReportKind.PEOPLE,
        ["person", "person_name", "requests"],
        [("a@x.example", "Ada Lovelace", 40), ("b@x.example", None, 10), (None, None, 5)],
    )
    chart = str(report_chart(table, "Requests per person", chart_id="people"))
    assert (
        '<desc id="people-desc">Requests per person. Ada Lovelace: 40; b@x.example: 10; ' in chart
    )
    assert "(unknown): 5." in chart
    assert "style" not in chart
    # Bars are scaled to the largest: a quarter of the width for a quarter of the requests.
    assert 'width="300.0"' in chart and 'width="75.0"' in chart


def test_a_timeline_has_no_chart() -> None:
    from boundaries.monitoring.charts import report_chart
    from boundaries.monitoring.reports import ReportTable

    table = ReportTable(ReportKind.TIMELINE, ["url", "requests"], [("http://a/", 1)])
    assert report_chart(table, "Timeline") is None


def test_the_pages_carry_no_inline_style_or_script_for_the_policy_to_block(
    site: Site, dataset: int
) -> None:
    client, _ = site.as_("headteacher")
    site.sessions.expire_all()
    loaded = site.sessions.get(LogDataset, dataset)
    assert loaded is not None
    pages = [
        client.get(f"/schools/{site.school}/monitoring").text,
        client.get(f"/schools/{site.school}/monitoring/authorisations/new").text,
        client.get(
            f"/schools/{site.school}/monitoring/authorisations/{loaded.authorisation_id}"
        ).text,
        report(site, dataset, kind="hours").text,
        client.get(f"/schools/{site.school}/filtering").text,
    ]
    for html in pages:
        assert "<html" in html
        assert " style=" not in html and "<style" not in html
        assert "<script>" not in html and " onclick=" not in html
