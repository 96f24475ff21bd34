"""Network devices: MAC, IP and host-name checks, the CSV import (row-numbered errors, all or
nothing, idempotent on host name), the lookup monitoring will use, the page and the CLI. On
SQLite and PostgreSQL; the files are in tests/fixtures/network (see its README).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from boundaries.registers import network_devices as net
from boundaries.store import NetworkDevice, RosterImport
from tests.test_cli import run
from tests.test_declarations import Registers, registers_for

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "network"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Registers]:
    yield from registers_for(request, tmp_path_factory, "network")


@pytest.fixture
def clean(site: Registers) -> Iterator[Registers]:
    """The site with no network devices and no import log, before and after the test."""

    def wipe() -> None:
        with site.sessions() as session:
            session.execute(delete(NetworkDevice))
            session.execute(delete(RosterImport).where(RosterImport.kind == "network_devices"))
            session.commit()

    wipe()
    yield site
    wipe()


def _devices(site: Registers, school: int | None = None) -> dict[str, NetworkDevice]:
    with site.sessions() as session:
        return {
            d.hostname: d
            for d in session.scalars(
                select(NetworkDevice).where(NetworkDevice.school_id == (school or site.school))
            )
        }


def _import(site: Registers, data: bytes, *, dry_run: bool = False) -> net.ImportReport:
    with site.sessions() as session:
        report = net.import_network_devices(
            session, site.school, data, imported_by_id=site.person_id("it_admin"), dry_run=dry_run
        )
        session.commit()
        return report


# -- values --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "written",
    [
        "00:00:5e:00:53:01",
        "00-00-5E-00-53-01",  # Windows (ipconfig, getmac)
        "0000.5e00.5301",  # Cisco
        "0000-5e00-5301",  # HP and H3C
        "00005E005301",  # bare hex
        "0:0:5e:0:53:1",  # macOS leaves out leading zeros
        " 00:00:5E:00:53:01 ",
    ],
)
def test_a_mac_address_in_any_common_notation_is_kept_as_six_lower_case_pairs(
    written: str,
) -> None:
    assert net.normalise_mac(written) == "00:00:5e:00:53:01"


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("00:00:5e:00:53", "not a MAC address"),
        ("00:00:5e:00:53:zz", "not a MAC address"),
        ("00:00-5e:00-53:01", "not a MAC address"),  # mixed separators
        ("00:00:5e:00:53:01:02", "not a MAC address"),
        ("000:00:5e:00:53:01", "not a MAC address"),
        ("00:00:00:00:00:00", "not a device's"),
        ("ff:ff:ff:ff:ff:ff", "multicast or broadcast"),
        ("01:00:5e:00:00:fb", "multicast or broadcast"),
    ],
)
def test_a_mac_address_that_is_not_one_devices_is_refused(written: str, says: str) -> None:
    with pytest.raises(net.InvalidValue) as refused:
        net.normalise_mac(written)
    assert says in str(refused.value)


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("192.0.2.11", "192.0.2.11"),
        ("2001:DB8:0:0:0:0:0:15", "2001:db8::15"),
        (" 2001:db8::15 ", "2001:db8::15"),
    ],
)
def test_ipv4_and_ipv6_addresses_are_kept_in_canonical_form(written: str, kept: str) -> None:
    assert net.normalise_ip(written) == kept


@pytest.mark.parametrize("written", ["192.0.2.256", "192.0.2", "192.0.02.1", "2001:db8::g", "-"])
def test_an_address_that_is_not_ipv4_or_ipv6_is_refused(written: str) -> None:
    with pytest.raises(net.InvalidValue):
        net.normalise_ip(written)


def test_host_names_are_lower_case_without_a_trailing_dot_and_may_use_underscores() -> None:
    assert (
        net.normalise_hostname("MB-Office-01.Meadowbank.Local.") == "mb-office-01.meadowbank.local"
    )
    assert net.normalise_hostname("MB_OFFICE_01") == "mb_office_01"
    for bad in ("", "-leading", "has space", "a..b", "x" * 64, "bad!"):
        with pytest.raises(net.InvalidValue):
            net.normalise_hostname(bad)


# -- the import ----------------------------------------------------------------------------------
def test_a_list_imports_with_every_notation_normalised(clean: Registers) -> None:
    report = _import(clean, fixture("devices.csv"))
    assert (report.ok, report.applied, report.rows, report.created) == (True, True, 7, 7)
    devices = _devices(clean)
    assert set(devices) == {
        "mb-office-01",
        "mb-staffroom-01",
        "mb-lap-014.meadowbank.local",
        "mb-lap-015",
        "mb-ipad-07",
        "mb-printer-02",
        "mb-head-01",
    }
    assert [devices[h].mac for h in sorted(devices)] == [
        "00:00:5e:00:53:06",
        "00:00:5e:00:53:05",
        "00:00:5e:00:53:03",
        "00:00:5e:00:53:04",
        "00:00:5e:00:53:01",
        None,
        "00:00:5e:00:53:02",
    ]
    laptop = devices["mb-lap-015"]
    assert (laptop.ip, laptop.kind, laptop.location, laptop.shared) == (
        "2001:db8:10::15",
        "laptop",
        "Year 3 classroom",
        False,
    )
    assert laptop.person_id == clean.person_id("staff_support")
    assert devices["mb-staffroom-01"].shared is True
    assert devices["mb-staffroom-01"].person_id is None
    assert devices["mb-ipad-07"].ip is None


def test_importing_the_same_list_again_changes_nothing_and_a_later_list_updates_by_host_name(
    clean: Registers,
) -> None:
    _import(clean, fixture("devices.csv"))
    first_ids = {h: d.id for h, d in _devices(clean).items()}
    again = _import(clean, fixture("devices.csv"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
    later = _import(clean, fixture("devices-updated.csv"))
    assert (later.created, later.updated, later.unchanged) == (1, 1, 6)
    devices = _devices(clean)
    assert len(devices) == 8
    assert {h: devices[h].id for h in first_ids} == first_ids  # updated in place, never doubled
    assert devices["mb-lap-014.meadowbank.local"].location == "Year 5 classroom"
    assert devices["mb-lap-016"].person_id == clean.person_id("line_manager")


def test_every_error_is_reported_with_its_row_and_nothing_is_imported(clean: Registers) -> None:
    report = _import(clean, fixture("devices-errors.csv"))
    assert not report.ok and not report.applied
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "mac"),
        (4, "ip"),
        (5, "email"),
        (6, "shared"),
        (7, "hostname"),  # MB-OFFICE-01 is mb-office-01 of row 2
        (8, "hostname"),  # no host name
        (9, "mac"),  # the MAC of row 4, whose IP is wrong but whose MAC is taken all the same
        (10, "hostname"),
        (11, "mac"),
    ]
    messages = {e.row: str(e) for e in report.errors}
    assert (
        messages[3]
        == "row 3, mac: “00:00:5e:00:53:zz” is not a MAC address: write it like aa:bb:cc:dd:ee:ff."
    )
    assert messages[7] == "row 7, hostname: mb-office-01 is also on row 2."
    assert "nobody at this school has the address nobody@meadowbank.example.org" in messages[5]
    assert _devices(clean) == {}
    with clean.sessions() as session:
        logged = session.scalars(
            select(RosterImport).where(RosterImport.kind == "network_devices")
        ).one()
        assert (logged.applied, logged.rows) == (False, 10)
        assert len(json.loads(logged.errors_json or "[]")) == 9


def test_the_import_reports_its_progress_row_by_row(clean: Registers) -> None:
    seen: list[tuple[int, int]] = []
    with clean.sessions() as session:
        net.import_network_devices(
            session,
            clean.school,
            fixture("devices.csv"),
            dry_run=True,
            progress=lambda done, total: seen.append((done, total)),
        )
    assert seen == [(n, 7) for n in range(1, 8)]


def test_a_dry_run_checks_everything_and_writes_nothing(clean: Registers) -> None:
    report = _import(clean, fixture("devices.csv"), dry_run=True)
    assert (report.ok, report.applied, report.created) == (True, False, 7)
    assert _devices(clean) == {}
    with clean.sessions() as session:
        assert session.scalars(select(RosterImport.id)).first() is None


def test_an_excel_file_in_windows_1252_with_its_own_captions_imports(clean: Registers) -> None:
    report = _import(clean, fixture("devices-excel.csv"))
    assert report.ok, [str(e) for e in report.errors]
    assert report.notes == ["The column “Purchased” is not used."]
    devices = _devices(clean)
    assert devices["mb-hall-pc"].location == "Hall – stage left"
    assert devices["mb-hall-pc"].shared is True
    assert devices["mb-dsl-lap"].location == "Mrs O’Neill’s office"
    assert devices["mb-dsl-lap"].person_id == clean.person_id("dsl")


def test_a_mac_held_by_a_device_not_in_the_file_cannot_be_taken_but_can_move_with_it(
    clean: Registers,
) -> None:
    _import(clean, fixture("devices.csv"))
    header = "hostname,mac,ip,kind,location,assigned user e-mail,shared\n"
    taking = header + "mb-lap-030,00:00:5e:00:53:01,192.0.2.130,laptop,Year 1,,no\n"
    report = _import(clean, taking.encode())
    assert [(e.row, e.column) for e in report.errors] == [(2, "mac")]
    assert "already recorded for mb-office-01" in report.errors[0].message
    moving = taking + "mb-office-01,00:00:5e:00:53:31,192.0.2.11,desktop,School office,,no\n"
    report = _import(clean, moving.encode())
    assert report.ok, [str(e) for e in report.errors]
    devices = _devices(clean)
    assert devices["mb-lap-030"].mac == "00:00:5e:00:53:01"
    assert devices["mb-office-01"].mac == "00:00:5e:00:53:31"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "The file is empty."),
        (b"hostname,ip\nmb-1,192.0.2.1\n", "The header must name the columns mac."),
        (b"hostname,mac,ip,host\n", "Two columns mean hostname"),
    ],
)
def test_a_file_without_the_columns_it_needs_is_refused_whole(
    clean: Registers, content: bytes, says: str
) -> None:
    report = _import(clean, content)
    assert not report.ok
    assert says in str(report.errors[0])


def test_a_person_of_another_school_cannot_be_assigned_a_device(clean: Registers) -> None:
    data = (
        "hostname,mac,ip,assigned user e-mail\n"
        f"mb-lap-040,00:00:5e:00:53:40,192.0.2.140,{clean.world.hillcrest_teacher}\n"
    )
    report = _import(clean, data.encode())
    assert [(e.row, e.column) for e in report.errors] == [(2, "email")]


# -- the lookup ----------------------------------------------------------------------------------
def test_a_log_lines_mac_ip_or_host_name_finds_the_device_and_its_person(
    clean: Registers,
) -> None:
    _import(clean, fixture("devices.csv"))
    with clean.sessions() as session:
        by_mac = net.lookup_device(session, clean.school, mac="00-00-5E-00-53-03")
        by_ip = net.lookup_device(session, clean.school, ip="2001:db8:10:0::15")
        by_short_name = net.lookup_device(session, clean.school, hostname="MB-LAP-014")
        by_full_name = net.lookup_device(
            session, clean.school, hostname="mb-lap-015.meadowbank.local"
        )
        shared = net.lookup_device(session, clean.school, ip="198.51.100.20")
        # A MAC names one card: it wins over an IP that points elsewhere.
        both = net.lookup_device(session, clean.school, ip="192.0.2.11", mac="0000.5e00.5303")
        junk = net.lookup_device(session, clean.school, ip="-", mac="-", hostname="-")
        unknown = net.lookup_device(session, clean.school, ip="192.0.2.99")
        elsewhere = net.lookup_device(session, clean.world.hillcrest, mac="00:00:5e:00:53:03")
    assert by_mac is not None and by_mac.hostname == "mb-lap-014.meadowbank.local"
    assert (by_mac.person_email, by_mac.matched_on) == (clean.email("staff_teacher"), "mac")
    assert by_ip is not None and (by_ip.hostname, by_ip.matched_on) == ("mb-lap-015", "ip")
    assert by_short_name is not None and by_short_name.hostname == "mb-lap-014.meadowbank.local"
    assert by_full_name is not None and by_full_name.hostname == "mb-lap-015"
    assert shared is not None and (shared.shared, shared.person_id) == (True, None)
    assert both is not None and (both.hostname, both.matched_on) == (
        "mb-lap-014.meadowbank.local",
        "mac",
    )
    assert junk is None and unknown is None and elsewhere is None


# -- the page ------------------------------------------------------------------------------------
def _upload(
    site: Registers, role: str, name: str, data: bytes, dry_run: bool = False
) -> tuple[int, str]:
    client, token = site.client(role)
    form = {"csrf_token": token, **({"dry_run": "1"} if dry_run else {})}
    response = client.post(
        f"/schools/{site.school}/network-devices/import",
        data=form,
        files={"file": (name, data, "text/csv")},
    )
    return response.status_code, response.text


def test_the_page_imports_a_file_and_lists_the_devices(clean: Registers) -> None:
    status, page = _upload(clean, "it_admin", "devices.csv", fixture("devices.csv"), dry_run=True)
    assert status == 200 and "Importing it would add 7" in page
    assert _devices(clean) == {}
    status, page = _upload(clean, "it_admin", "devices.csv", fixture("devices.csv"))
    assert status == 200 and "Imported: 7 added, 0 updated, 0 unchanged." in page
    listing = clean.get("headteacher", f"/schools/{clean.school}/network-devices")[1]
    assert "mb-lap-014.meadowbank.local" in listing and "00:00:5e:00:53:03" in listing
    assert "Meadowbank Staff Teacher" in listing


def test_the_page_shows_each_problem_with_its_row_and_imports_nothing(clean: Registers) -> None:
    status, page = _upload(clean, "hr", "devices-errors.csv", fixture("devices-errors.csv"))
    assert status == 400
    assert "The file was not imported: 9 problems" in page
    assert "<td>4</td><td>ip</td><td>“192.0.2.256” is not an IPv4 or IPv6 address.</td>" in page
    assert _devices(clean) == {}


def test_the_page_asks_for_a_file_and_is_only_for_whoever_keeps_the_registers(
    clean: Registers,
) -> None:
    client, token = clean.client("it_admin")
    response = client.post(
        f"/schools/{clean.school}/network-devices/import", data={"csrf_token": token}
    )
    assert response.status_code == 400 and "Choose the CSV file" in response.text
    assert _upload(clean, "staff_teacher", "d.csv", fixture("devices.csv"))[0] == 403
    assert clean.get("dsl", f"/schools/{clean.school}/network-devices")[0] == 403
    assert _devices(clean) == {}


# -- the command line ----------------------------------------------------------------------------
def test_the_cli_checks_then_imports_then_lists(
    clean: Registers, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", clean.world.url)
    path = str(FIXTURES / "devices.csv")
    code, out, _ = run(
        capsys, "registers", "network", "import", path, "--school", "900101", "--dry-run"
    )
    assert code == 0 and "Would add 7" in out and "Nothing has been changed" in out
    assert _devices(clean) == {}
    code, out, _ = run(capsys, "registers", "network", "import", path, "--school", "900101")
    assert code == 0 and "Added 7, updated 0, 0 unchanged (7 rows)." in out
    code, out, _ = run(capsys, "registers", "network", "import", path, "--school", "900101")
    assert code == 0 and "Added 0, updated 0, 7 unchanged" in out
    code, out, _ = run(
        capsys, "registers", "network", "list", "--school", "900101", "--format", "json"
    )
    assert code == 0
    assert {row["hostname"] for row in json.loads(out)} == set(_devices(clean))


def test_the_cli_lists_row_numbered_errors_and_exits_1(
    clean: Registers, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", clean.world.url)
    path = str(FIXTURES / "devices-errors.csv")
    code, _, err = run(capsys, "registers", "network", "import", path, "--school", "900101")
    assert code == 1
    assert "row 4, ip: “192.0.2.256” is not an IPv4 or IPv6 address." in err
    assert "Not imported: 9 problems in 10 rows; nothing has changed." in err
    assert _devices(clean) == {}


def test_the_cli_refuses_a_missing_file_with_exit_64(
    site: Registers, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", site.world.url)
    code, _, err = run(
        capsys, "registers", "network", "import", "/nonexistent/devices.csv", "--school", "900101"
    )
    assert code == 64 and "cannot read" in err
