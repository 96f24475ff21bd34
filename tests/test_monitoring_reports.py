"""The monitoring reports: what each shows on the fixture logs, the filters, CSV and JSON, and
that DuckDB and Apache Spark (local, one session for the module) give identical tables for
every report kind, since the queries are written once and transpiled."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from boundaries.monitoring.categories import Categories
from boundaries.monitoring.engines import spark_engine
from boundaries.monitoring.identities import DeviceRef, Identities, PersonRef
from boundaries.monitoring.ingest import ingest_logs, refresh_lookups
from boundaries.monitoring.reports import ReportFilters, ReportKind, ReportTable, run_report

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "proxy"
OKAFOR = PersonRef(1, "a.okafor@meadowbank.example.org", "Adaeze Okafor")
BRENNAN = PersonRef(2, "tbrennan@meadowbank.example.org", "Tom Brennan")
SMITH = PersonRef(3, "jsmith@meadowbank.example.org", "Jamie Smith")


def identities() -> Identities:
    return Identities(
        devices=[
            DeviceRef(10, "mb-staff-07", None, "10.20.3.7", False, OKAFOR),
            DeviceRef(11, "mb-lib-04", None, "10.20.5.24", True, BRENNAN),
            DeviceRef(12, "mb-lab-12", None, None, False, None),
        ],
        people=[OKAFOR, BRENNAN, SMITH],
    )


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = spark_engine.session(
        "local[1]", {"spark.sql.shuffle.partitions": "1", "spark.default.parallelism": "1"}
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("monitoring") / "data"
    ingest_logs(sorted(FIXTURES.iterdir()), folder, identities=identities())
    return folder


def report(logs: Path, kind: ReportKind, **filters: Any) -> ReportTable:
    return run_report(logs, kind, ReportFilters(**filters))


def column(table: ReportTable, name: str) -> list[Any]:
    index = table.columns.index(name)
    return [row[index] for row in table.rows]


# -- the same tables on both engines -------------------------------------------------------------
@pytest.mark.parametrize("kind", list(ReportKind))
def test_duckdb_and_spark_give_identical_tables(spark: Any, logs: Path, kind: ReportKind) -> None:
    on_duckdb = run_report(logs, kind)
    on_spark = run_report(logs, kind, engine="spark")
    assert on_duckdb.rows, "an empty table proves nothing"
    assert on_spark == on_duckdb


def test_duckdb_and_spark_agree_under_every_filter(spark: Any, logs: Path) -> None:
    filters = ReportFilters(
        start=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
        end=datetime(2026, 11, 23, 11, 0, tzinfo=UTC),
        people=("jsmith", "Adaeze Okafor", "O'Brien"),
        categories=("social_networking",),
        moment=datetime(2026, 11, 23, 10, 0),
        window_minutes=45,
        limit=3,
    )
    for kind in ReportKind:
        assert run_report(logs, kind, filters, engine="spark") == run_report(logs, kind, filters)


def test_an_empty_dataset_gives_empty_tables_on_both_engines(spark: Any, tmp_path: Path) -> None:
    for kind in (ReportKind.PEOPLE, ReportKind.TIMELINE):
        on_duckdb = run_report(tmp_path, kind)
        assert on_duckdb.rows == []
        assert run_report(tmp_path, kind, engine="spark") == on_duckdb


def test_an_unknown_engine_is_refused(logs: Path) -> None:
    with pytest.raises(ValueError, match="Unknown engine"):
        run_report(logs, ReportKind.PEOPLE, engine="oracle")


# -- what the reports say --------------------------------------------------------------------------
def test_people_are_found_by_user_name_and_by_their_own_device(logs: Path) -> None:
    table = report(logs, ReportKind.PEOPLE)
    requests = dict(zip(column(table, "person"), column(table, "requests"), strict=True))
    # Okafor: her laptop (10.20.3.7) in three logs, twice with her e-mail address as user.
    assert requests[OKAFOR.email] == 4
    assert requests[SMITH.email] == 6  # e2guardian and Smoothwall lines as "jsmith"
    assert requests[BRENNAN.email] == 4  # by user name only: his library PC is shared
    assert sum(requests.values()) == 24


def test_a_shared_device_is_listed_but_not_attributed(logs: Path) -> None:
    table = report(logs, ReportKind.DEVICES, devices=("mb-lib-04",))
    assert table.rows and column(table, "person") == [None]
    assert column(table, "registered") == [True]


def test_social_networking_counts_only_weekday_working_hours_on_the_school_clock(
    logs: Path,
) -> None:
    table = report(logs, ReportKind.SOCIAL_IN_WORKING_HOURS)
    domains = set(column(table, "domain"))
    assert "digitalspy.com" not in domains  # 19:02, after work
    assert {"facebook.com", "tiktok.com", "instagram.com"} <= domains
    late = report(logs, ReportKind.SOCIAL_IN_WORKING_HOURS, working_hours=(18, 20))
    assert column(late, "domain") == ["digitalspy.com"]


def test_blocked_attempts_include_squid_denials_and_not_password_challenges(logs: Path) -> None:
    table = report(logs, ReportKind.BLOCKED)
    domains = column(table, "domain")
    assert "tiktok.com" in domains and "snapchat.com" in domains
    assert "example.org" not in domains  # TCP_DENIED/407
    assert sum(column(table, "attempts")) == 7


def test_hours_lists_every_hour_of_the_day(logs: Path) -> None:
    table = report(logs, ReportKind.HOURS)
    assert column(table, "hour") == list(range(24))
    assert sum(column(table, "requests")) == 24
    assert dict(zip(column(table, "hour"), column(table, "requests"), strict=True))[19] == 1


def test_the_timeline_shows_the_window_around_a_moment_in_order(logs: Path) -> None:
    table = report(
        logs, ReportKind.TIMELINE, moment=datetime(2026, 11, 23, 9, 16, 10), window_minutes=1
    )
    times = column(table, "ts")
    assert times == sorted(times) and len(times) == 2
    assert column(table, "domain") == ["tiktok.com", "example.org"]


def test_filters_narrow_by_category_domain_client_and_blocked(logs: Path) -> None:
    social = report(logs, ReportKind.TOP_DOMAINS, categories=("social_networking",))
    assert set(column(social, "social")) == {True}
    one = report(logs, ReportKind.TIMELINE, domains=("BBC.co.uk",), clients=("10.20.1.15",))
    assert column(one, "url") == ["http://www.bbc.co.uk/news"]
    refused = report(logs, ReportKind.TIMELINE, blocked=True)
    assert set(column(refused, "blocked")) == {True} and len(refused.rows) == 7
    quoted = report(logs, ReportKind.PEOPLE, people=("O'Brien; DROP TABLE events",))
    assert quoted.rows == []


def test_the_row_limit_keeps_the_top_rows(logs: Path) -> None:
    table = report(logs, ReportKind.TOP_DOMAINS, limit=2)
    assert column(table, "domain") == ["bbc.co.uk", "facebook.com"]


def test_reports_export_as_csv_and_json(logs: Path) -> None:
    table = report(logs, ReportKind.TIMELINE, limit=2)
    lines = table.to_csv().splitlines()
    assert lines[0].split(",")[:3] == ["ts", "local_ts", "person"]
    assert lines[1].startswith("2026-11-23T09:15:02,")
    data = json.loads(table.to_json())
    assert data["kind"] == "timeline" and data["columns"] == table.columns
    assert data["rows"][0][0] == "2026-11-23T09:15:02"


def test_url_lists_and_new_categories_apply_without_reading_the_logs_again(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "data"
    ingest_logs([FIXTURES / "squid_access.log"], folder)
    before = report(folder, ReportKind.CATEGORIES)
    assert None in column(before, "category")
    lists = tmp_path / "lists"
    (lists / "news").mkdir(parents=True)
    (lists / "news" / "urls").write_text("www.bbc.co.uk/news\n")
    refresh_lookups(folder, identities(), Categories.load_ut1(lists))
    timeline = report(folder, ReportKind.TIMELINE, domains=("bbc.co.uk",))
    assert column(timeline, "category") == ["news"]
