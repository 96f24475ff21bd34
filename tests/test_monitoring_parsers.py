"""Proxy and filter logs: each format's quirks (Squid native, Apache/Squid combined,
e2guardian's formats, Smoothwall's CSV export), detection, gzip, streaming in chunks,
malformed lines counted and sampled but never fatal, and the mapping of user names and client
addresses to the people and devices in the registers (on SQLite and PostgreSQL).
Fixture files are in tests/fixtures/proxy (invented people and addresses)."""

from __future__ import annotations

import gzip
import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
from sqlalchemy.orm import Session

from boundaries.monitoring import dataset
from boundaries.monitoring.identities import DeviceRef, Identities, PersonRef
from boundaries.monitoring.ingest import ingest_logs
from boundaries.monitoring.parsers import (
    ParseError,
    combined,
    detect,
    e2guardian,
    host_of_url,
    line_parser,
    smoothwall,
    squid,
)
from boundaries.store import (
    Base,
    Membership,
    NetworkDevice,
    Person,
    PersonKind,
    School,
    SchoolRole,
    Trust,
    create_db_engine,
)
from boundaries.store.models import TrustKind

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "proxy"
LONDON = ZoneInfo("Europe/London")


def events(folder: Path) -> list[dict[str, object]]:
    files = [str(f) for f in dataset.event_files(folder)]
    cursor = duckdb.execute(
        "SELECT * FROM read_parquet(?) WHERE ts IS NOT NULL ORDER BY ts, url", [files]
    )
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# -- Squid native ---------------------------------------------------------------------------------
def test_a_squid_line_with_a_padded_elapsed_time_is_split_on_runs_of_spaces() -> None:
    line = (
        "1066037222.352  19475 12.83.179.11 TCP_MISS/200 12387 GET "
        "http://espanol.geocities.com/x.html - DIRECT/1.2.3.4 text/html"
    )
    record = squid.parse(line)
    assert record.at == datetime(2003, 10, 13, 9, 27, 2, 352000, tzinfo=UTC)
    assert (record.elapsed_ms, record.client, record.status, record.bytes) == (
        19475,
        "12.83.179.11",
        200,
        12387,
    )
    assert (record.method, record.result, record.user, record.mime) == (
        "GET",
        "TCP_MISS",
        None,
        "text/html",
    )


def test_an_https_connect_line_names_its_host_without_the_port() -> None:
    record = squid.parse(
        "1729879108.361   2812 172.17.0.1 TCP_TUNNEL/200 5435 CONNECT example.com:443 - "
        "HIER_DIRECT/93.184.215.14 -"
    )
    assert record.url == "example.com:443"
    assert host_of_url(record.url) == "example.com"
    assert record.mime is None


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://WWW.Example.ORG./a?b", "www.example.org"),
        ("https://user:pw@mail.example.org:8443/", "mail.example.org"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("www.example.org/path", "www.example.org"),
        ("/just/a/path", None),
    ],
)
def test_the_host_of_a_url_is_lower_case_without_port_or_brackets(
    url: str, host: str | None
) -> None:
    assert host_of_url(url) == host


def test_squid_denials_are_blocked_but_a_password_challenge_is_not() -> None:
    base = "1795000000.000      0 10.0.0.1 {} 3901 GET http://a.example/ - HIER_NONE/- text/html"
    assert squid.parse(base.format("TCP_DENIED/403")).blocked
    assert squid.parse(base.format("TCP_DENIED_REPLY/403")).blocked
    assert not squid.parse(base.format("TCP_DENIED/407")).blocked
    assert not squid.parse(base.format("TCP_MISS/403")).blocked


def test_mime_headers_appended_by_log_mime_hdrs_are_ignored() -> None:
    record = squid.parse(
        "1795000000.000     77 10.0.0.1 TCP_MISS/200 2048 GET http://a.example/ - "
        "DIRECT/1.2.3.4 text/html [Host: a.example\\r\\n] [HTTP/1.1 200 OK\\r\\n]"
    )
    assert record.mime == "text/html"


@pytest.mark.parametrize(
    "line",
    [
        "1795000000.123 this is not a squid line",
        "garbage,with,commas",
        "1795000000.000 12 10.0.0.1 TCP_MISS 20 GET http://a.example/ - DIRECT/- -",
    ],
)
def test_a_line_that_is_not_squid_native_is_refused(line: str) -> None:
    with pytest.raises(ParseError):
        squid.parse(line)


def test_duckdb_reads_squid_lines_exactly_as_the_python_parser_does(tmp_path: Path) -> None:
    ingest_logs([FIXTURES / "squid_access.log"], tmp_path)
    stored = events(tmp_path)
    expected = []
    for line in (FIXTURES / "squid_access.log").read_text().splitlines():
        try:
            expected.append(squid.parse(line))
        except ParseError:
            continue
    expected.sort(key=lambda r: (r.at, r.url))
    assert len(stored) == len(expected) == 7
    for row, record in zip(stored, expected, strict=True):
        assert row["ts"] == record.at.replace(tzinfo=None)
        assert (row["client"], row["url"], row["host"], row["method"]) == (
            record.client,
            record.url,
            host_of_url(record.url),
            record.method,
        )
        assert (row["status"], row["bytes"], row["elapsed_ms"], row["result"]) == (
            record.status,
            record.bytes,
            record.elapsed_ms,
            record.result,
        )
        assert (row["user_name"], row["blocked"], row["mime"]) == (
            record.user,
            record.blocked,
            record.mime,
        )


# -- Apache / Squid combined ---------------------------------------------------------------------
def test_a_combined_line_is_read_with_its_time_zone_offset() -> None:
    record = combined.parse(
        '10.20.3.7 - - [23/Nov/2026:11:02:00 +0100] "GET http://www.youtube.com/watch?v=abc '
        'HTTP/1.1" 200 5120 "-" "Mozilla/5.0"'
    )
    assert record.at.astimezone(UTC) == datetime(2026, 11, 23, 10, 2, tzinfo=UTC)
    assert (record.url, record.status, record.bytes, record.user) == (
        "http://www.youtube.com/watch?v=abc",
        200,
        5120,
        None,
    )


def test_squids_combined_tail_says_when_the_proxy_refused() -> None:
    line = (
        '10.20.1.22 - tbrennan [23/Nov/2026:10:01:13 +0000] "CONNECT www.reddit.com:443 '
        'HTTP/1.1" 403 3901 "-" "Mozilla/5.0 (X11; Linux x86_64)" TCP_DENIED:HIER_NONE'
    )
    record = combined.parse(line)
    assert record.blocked and record.user == "tbrennan" and record.result == "TCP_DENIED"
    plain = line.replace(" TCP_DENIED:HIER_NONE", "")
    assert not combined.parse(plain).blocked  # a bare 403 may be the site's own


@pytest.mark.parametrize(
    "line",
    [
        '10.0.0.1 - - [23/Nov/2026:10:02:00 +0000] "-" 408 0 "-" "-"',
        '10.0.0.1 - - [31/Nov/2026:10:02:00 +0000] "GET http://a.example/ HTTP/1.1" 200 1',
        "not a log line",
    ],
)
def test_a_combined_line_without_a_request_or_a_real_time_is_malformed(line: str) -> None:
    with pytest.raises(ParseError):
        combined.parse(line)


# -- e2guardian -----------------------------------------------------------------------------------
def test_e2guardian_format_8_denied_lines_are_blocked_with_their_category() -> None:
    line = (FIXTURES / "e2guardian_format8.log").read_text().splitlines()[0]
    assert e2guardian.sniff(line) == "protex"
    record = e2guardian.parse(line, "protex", LONDON)
    assert record.blocked
    assert (record.user, record.client, record.url, record.status) == (
        "jsmith",
        "10.20.5.23",
        "http://www.facebook.com/",
        403,
    )
    assert record.provider_category == "social_networks"
    assert record.result == "*DENIED* Blocked site: facebook.com"
    assert record.elapsed_ms == 12


def test_e2guardian_trusted_lines_are_allowed_and_keep_the_client_host() -> None:
    line = (FIXTURES / "e2guardian_format8.log").read_text().splitlines()[2]
    record = e2guardian.parse(line, "protex", LONDON)
    assert not record.blocked
    assert record.client_host == "mb-lib-04.meadowbank.local"
    assert record.url == "www.tumblr.com:443" and record.method == "CONNECT"


def test_e2guardian_format_1_reads_messages_and_categories_that_hold_spaces() -> None:
    line = (FIXTURES / "e2guardian_format1.log").read_text().splitlines()[0]
    assert e2guardian.sniff(line) == "spaced"
    record = e2guardian.parse(line, "spaced", LONDON)
    assert record.blocked and record.status == 403
    assert record.provider_category == "Social Networking"
    assert record.result == "*DENIED* Blocked site: snapchat.com"
    assert record.client_host == "mb-lab-12"
    allowed = e2guardian.parse(
        (FIXTURES / "e2guardian_format1.log").read_text().splitlines()[1], "spaced", LONDON
    )
    assert not allowed.blocked and allowed.result is None and allowed.bytes == 18211


def test_e2guardian_local_times_are_on_the_school_clock() -> None:
    summer = (
        "2026.07.01 09:00:00\t-\t10.0.0.1\thttp://a.example/\t\tGET\t1\t0\t-\t1\t200\ttext/html"
    )
    record = e2guardian.parse(summer, "tab", LONDON)
    assert record.at.astimezone(UTC) == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)  # BST


def test_e2guardian_csv_fields_are_quoted_and_may_hold_commas() -> None:
    line = (FIXTURES / "e2guardian_format2.csv").read_text().splitlines()[0]
    assert e2guardian.sniff(line) == "csv"
    record = e2guardian.parse(line, "csv", LONDON)
    assert record.blocked and record.provider_category == "Video, Streaming"


# -- Smoothwall -----------------------------------------------------------------------------------
def test_smoothwall_columns_are_found_by_their_header_names_in_any_order() -> None:
    reader = smoothwall.SmoothwallReader(LONDON)
    assert reader.parse("Action;URL;Source IP;User name;Date/Time;Code") is None
    record = reader.parse(
        "Blocked;https://www.instagram.com/;10.0.0.9;jsmith;2026-07-01 09:00:00;403"
    )
    assert record is not None and record.blocked
    assert record.at.astimezone(UTC) == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    assert (record.client, record.user) == ("10.0.0.9", "jsmith")


def test_smoothwall_columns_can_be_named_when_the_header_is_unusual() -> None:
    reader = smoothwall.SmoothwallReader(LONDON, {"When": "time", "Site visited": "url"})
    assert reader.parse("When,Site visited,Who") is None
    record = reader.parse("23/11/2026 09:00:00,www.bbc.co.uk/news,x")
    assert record is not None and host_of_url(record.url) == "www.bbc.co.uk"
    assert not record.blocked


def test_a_smoothwall_header_without_time_and_url_is_refused() -> None:
    with pytest.raises(ParseError):
        smoothwall.SmoothwallReader(LONDON).parse("Name,Colour,Size")


# -- detection, gzip and the ingest ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("squid_access.log", "squid"),
        ("combined.log", "combined"),
        ("e2guardian_format8.log", "e2guardian"),
        ("e2guardian_format1.log", "e2guardian"),
        ("e2guardian_format2.csv", "e2guardian"),
        ("smoothwall_export.csv", "smoothwall"),
    ],
)
def test_each_files_format_is_detected_from_its_first_lines(name: str, expected: str) -> None:
    assert detect((FIXTURES / name).read_text().splitlines()) == expected


def test_malformed_lines_are_counted_and_sampled_and_never_stop_the_run(tmp_path: Path) -> None:
    summary = ingest_logs(sorted(FIXTURES.iterdir()), tmp_path / "data")
    assert summary.files == sorted(p.name for p in FIXTURES.iterdir())
    assert summary.lines == summary.parsed + summary.malformed
    assert summary.malformed == 9
    assert summary.formats == {"combined": 4, "e2guardian": 7, "smoothwall": 3, "squid": 10}
    where = {(s.file, s.line_no) for s in summary.malformed_samples}
    assert ("squid_access.log", 5) in where and ("squid_access.log", 9) in where
    assert ("squid_access.log.1.gz", 4) in where
    assert ("combined.log", 7) in where and ("smoothwall_export.csv", 5) in where
    assert summary.first_at == datetime(2026, 11, 23, 9, 15, 2, tzinfo=UTC)
    assert len(events(tmp_path / "data")) == summary.parsed


def test_samples_stop_at_the_limit_but_the_count_does_not(tmp_path: Path) -> None:
    log = tmp_path / "noise.log"
    good = (FIXTURES / "squid_access.log").read_text().splitlines()[0]
    log.write_text("\n".join([good] + [f"noise {n}" for n in range(50)]) + "\n")
    summary = ingest_logs([log], tmp_path / "data", sample_limit=5)
    assert summary.malformed == 50 and summary.parsed == 1
    assert [s.line_no for s in summary.malformed_samples] == [2, 3, 4, 5, 6]


def test_a_gzip_file_is_read_whatever_its_name(tmp_path: Path) -> None:
    hidden = tmp_path / "access.log"  # gzip content, plain name
    with gzip.open(hidden, "wb") as out:
        out.write((FIXTURES / "combined.log").read_bytes())
    plain = ingest_logs([FIXTURES / "combined.log"], tmp_path / "a")
    zipped = ingest_logs([hidden], tmp_path / "b")
    assert (zipped.parsed, zipped.malformed) == (plain.parsed, plain.malformed) == (4, 3)


def test_a_file_in_no_known_format_is_all_malformed_and_stores_nothing(tmp_path: Path) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("Dear diary\nnothing to see\n")
    summary = ingest_logs([odd], tmp_path / "data")
    assert (summary.lines, summary.parsed, summary.malformed) == (2, 0, 2)
    assert dataset.event_files(tmp_path / "data") == []


def test_python_formats_are_written_in_chunks_of_rows(tmp_path: Path) -> None:
    source = tmp_path / "combined.log"
    lines = (FIXTURES / "combined.log").read_text().splitlines()[:3]
    source.write_text("\n".join(lines * 5) + "\n")
    seen: list[int] = []
    summary = ingest_logs([source], tmp_path / "data", chunk_lines=4, progress=seen.append)
    assert summary.parsed == 15
    assert len(dataset.event_files(tmp_path / "data")) == 4  # 4 + 4 + 4 + 3
    assert seen == sorted(seen) and seen[-1] == 15


def test_a_given_format_skips_detection(tmp_path: Path) -> None:
    copy = tmp_path / "export.txt"
    shutil.copy(FIXTURES / "smoothwall_export.csv", copy)
    summary = ingest_logs([copy], tmp_path / "data", log_format="smoothwall")
    assert summary.formats == {"smoothwall": 3}
    with pytest.raises(ValueError, match="Unknown log format"):
        ingest_logs([copy], tmp_path / "data", log_format="sarg")


def test_local_hour_and_weekday_follow_the_school_clock_across_summer_time(
    tmp_path: Path,
) -> None:
    log = tmp_path / "summer.log"
    at = datetime(2026, 7, 3, 7, 30, tzinfo=UTC)  # Friday 08:30 in London
    log.write_text(
        f"{at.timestamp():.3f}     10 10.0.0.1 TCP_MISS/200 10 GET http://a.example/ - "
        "HIER_DIRECT/1.2.3.4 text/html\n"
    )
    ingest_logs([log], tmp_path / "data")
    (row,) = events(tmp_path / "data")
    assert row["ts"] == datetime(2026, 7, 3, 7, 30)
    assert row["local_ts"] == datetime(2026, 7, 3, 8, 30)
    assert (row["hour"], row["weekday"]) == (8, 5)


def test_parsers_reject_unknown_format_names() -> None:
    with pytest.raises(ValueError, match="Unknown log format"):
        line_parser("sarg", LONDON)


def test_an_aware_time_in_any_zone_is_stored_in_utc(tmp_path: Path) -> None:
    log = tmp_path / "tz.log"
    when = datetime(2026, 11, 23, 12, 0, tzinfo=timezone(timedelta(hours=-5)))
    stamp = when.strftime("%d/%b/%Y:%H:%M:%S %z")
    log.write_text(f'10.0.0.1 - - [{stamp}] "GET http://a.example/ HTTP/1.1" 200 1\n')
    ingest_logs([log], tmp_path / "data")
    assert events(tmp_path / "data")[0]["ts"] == datetime(2026, 11, 23, 17, 0)


# -- people and devices ---------------------------------------------------------------------------
OKAFOR = PersonRef(1, "a.okafor@meadowbank.example.org", "Adaeze Okafor")
BRENNAN = PersonRef(2, "t.brennan@meadowbank.example.org", "Tom Brennan")
BRENNAN_TWIN = PersonRef(3, "t.brennan@hillcrest.example.org", "Tess Brennan")


def identities() -> Identities:
    return Identities(
        devices=[
            DeviceRef(
                10, "mb-staff-07.meadowbank.local", "00:1b:63:84:45:e6", "10.20.3.7", False, OKAFOR
            ),
            DeviceRef(11, "mb-lib-04", None, "10.20.5.24", True, BRENNAN),
        ],
        people=[OKAFOR, BRENNAN],
    )


@pytest.mark.parametrize(
    ("address", "hostname"),
    [
        ("10.20.3.7", "mb-staff-07.meadowbank.local"),
        ("00-1B-63-84-45-E6", "mb-staff-07.meadowbank.local"),
        ("MB-STAFF-07", "mb-staff-07.meadowbank.local"),
        ("mb-lib-04.meadowbank.local", "mb-lib-04"),
        ("10.20.9.9", None),
        ("-", None),
    ],
)
def test_a_client_address_maps_to_its_device_by_mac_ip_or_host_name(
    address: str, hostname: str | None
) -> None:
    device = identities().device_for(address)
    assert (device.hostname if device else None) == hostname


def test_a_shared_device_says_nothing_about_who_used_it() -> None:
    found = identities()
    assert found.person_for_device(found.device_for("10.20.3.7")) == OKAFOR
    assert found.person_for_device(found.device_for("10.20.5.24")) is None


@pytest.mark.parametrize(
    ("user", "person"),
    [
        ("a.okafor", OKAFOR),
        ("A.Okafor@Meadowbank.example.org", OKAFOR),
        ("MEADOWBANK\\a.okafor", OKAFOR),
        ("MEADOWBANK%5Ct.brennan", BRENNAN),
        ("a.okafor@elsewhere.example", OKAFOR),
        ("-", None),
        ("nobody", None),
    ],
)
def test_a_user_name_maps_to_a_person_by_e_mail_or_its_local_part(
    user: str, person: PersonRef | None
) -> None:
    assert identities().person_for_user(user) == person


def test_a_local_part_two_people_share_maps_to_neither() -> None:
    found = Identities(people=[BRENNAN, BRENNAN_TWIN])
    assert found.person_for_user("t.brennan") is None
    assert found.person_for_user("t.brennan@hillcrest.example.org") == BRENNAN_TWIN


def test_identities_come_from_the_schools_registers(db_url: str) -> None:
    engine = create_db_engine(db_url)
    Base.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            trust = Trust(name="Westvale", kind=TrustKind.COUNCIL)
            session.add(trust)
            session.flush()
            mine = School(trust_id=trust.id, name="Meadowbank", urn="900001", local_authority="X")
            other = School(trust_id=trust.id, name="Hillcrest", urn="900002", local_authority="X")
            session.add_all([mine, other])
            session.flush()
            okafor = Person(
                name="Adaeze Okafor", email="A.Okafor@meadowbank.example.org", kind=PersonKind.STAFF
            )
            outsider = Person(
                name="Olu Hale", email="o.hale@hillcrest.example.org", kind=PersonKind.STAFF
            )
            session.add_all([okafor, outsider])
            session.flush()
            session.add_all(
                [
                    Membership(
                        person_id=okafor.id, school_id=mine.id, role=SchoolRole.STAFF_TEACHER
                    ),
                    Membership(
                        person_id=outsider.id, school_id=other.id, role=SchoolRole.STAFF_TEACHER
                    ),
                    NetworkDevice(
                        school_id=mine.id,
                        hostname="mb-staff-07",
                        ip="10.20.3.7",
                        mac="00:1b:63:84:45:e6",
                        person_id=okafor.id,
                        shared=False,
                    ),
                    NetworkDevice(school_id=other.id, hostname="hc-staff-01", ip="10.30.0.1"),
                ]
            )
            session.commit()
            found = Identities.from_session(session, mine.id)
            device = found.device_for("10.20.3.7")
            assert device is not None and device.hostname == "mb-staff-07"
            assert found.person_for_device(device) == PersonRef(
                okafor.id, "a.okafor@meadowbank.example.org", "Adaeze Okafor"
            )
            assert found.person_for_user("a.okafor") is not None
            assert found.device_for("10.30.0.1") is None  # another school's device
            assert found.person_for_user("o.hale") is None  # another school's member
    finally:
        engine.dispose()
