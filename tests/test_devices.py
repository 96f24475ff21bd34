"""Staff phones (7.5): IMEI checks with python-stdnum, one IMEI once across the installation,
lost and stolen with a date, who has no phone recorded; the pages and the CLI. On SQLite and
PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from itertools import count

import pytest
from sqlalchemy import select
from stdnum import luhn

from boundaries.registers import devices as dev
from boundaries.store import DeviceStatus, Person, StaffDevice, StaffRecord
from tests.test_cli import run
from tests.test_declarations import Registers, registers_for

TODAY = date(2026, 3, 2)
# Type Allocation Codes in the shape real ones have (8 digits); the serials are made up.
TACS = ("35209900", "35875602", "01326300", "86769004")
_serials = count(100001)


def valid_imei(tac: str = "35209900") -> str:
    """A fresh valid IMEI, its check digit computed with stdnum's Luhn."""
    body = f"{tac}{next(_serials):06d}"
    return body + str(luhn.calc_check_digit(body))


def wrong_check_digit(imei: str) -> str:
    return imei[:-1] + str((int(imei[-1]) + 1) % 10)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Registers]:
    yield from registers_for(request, tmp_path_factory, "devices")


# -- the IMEI ------------------------------------------------------------------------------------
@pytest.mark.parametrize("tac", TACS)
def test_a_valid_imei_is_kept_as_its_15_digits_whether_typed_with_spaces_or_dashes(
    tac: str,
) -> None:
    imei = valid_imei(tac)
    spaced = f"{imei[:2]} {imei[2:8]} {imei[8:14]} {imei[14]}"
    dashed = f"{imei[:2]}-{imei[2:8]}-{imei[8:14]}-{imei[14]}"
    assert dev.normalise_imei(imei) == imei
    assert dev.normalise_imei(f"  {spaced} ") == imei
    assert dev.normalise_imei(dashed) == imei
    assert dev.shown_imei(imei) == dashed


@pytest.mark.parametrize("tac", TACS)
def test_a_wrong_check_digit_is_refused(tac: str) -> None:
    with pytest.raises(dev.InvalidDevice) as refused:
        dev.normalise_imei(wrong_check_digit(valid_imei(tac)))
    assert "check digit does not match" in refused.value.errors["imei"]


def test_an_imeisv_is_refused_and_the_message_says_what_it_is() -> None:
    imeisv = valid_imei()[:14] + "23"  # 14 digits and a two-digit software version
    with pytest.raises(dev.InvalidDevice) as refused:
        dev.normalise_imei(imeisv)
    assert "IMEISV" in refused.value.errors["imei"]
    assert "*#06#" in refused.value.errors["imei"]


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Enter the phone's IMEI"),
        ("35209900100001", "14 digits"),
        ("3520990010", "that has 10"),
        ("35209900A000015", "digits only"),
        ("352099/001000015", "digits only"),
    ],
)
def test_an_imei_of_the_wrong_shape_is_refused_with_a_clear_message(typed: str, says: str) -> None:
    with pytest.raises(dev.InvalidDevice) as refused:
        dev.normalise_imei(typed)
    assert says in refused.value.errors["imei"]


def test_a_uk_phone_number_is_kept_in_e164_and_shown_as_people_write_it() -> None:
    assert dev.normalise_phone_number("07700 900123") == "+447700900123"
    assert dev.normalise_phone_number(" ") is None
    assert dev.shown_phone_number("+447700900123") == "07700 900123"
    with pytest.raises(dev.InvalidDevice):
        dev.normalise_phone_number("12345")


# -- the register --------------------------------------------------------------------------------
def _record(site: Registers, role: str, imei: str, school: int | None = None) -> int:
    with site.sessions() as session:
        device = dev.record_device(
            session, school or site.school, site.person_id(role), imei=imei, make="Apple"
        )
        session.commit()
        return device.id


def test_the_same_imei_cannot_be_recorded_twice_even_by_another_school(site: Registers) -> None:
    imei = valid_imei()
    _record(site, "staff_support", imei)
    with site.sessions() as session:
        with pytest.raises(dev.InvalidDevice) as refused:
            dev.record_device(
                session,
                site.world.hillcrest,
                site.person_id("hillcrest_teacher"),
                imei=f"{imei[:2]} {imei[2:]}",
            )
        assert "already recorded" in refused.value.errors["imei"]
        assert "Meadowbank" not in refused.value.errors["imei"]  # whose it is stays unsaid
        count_stored = session.scalars(select(StaffDevice.id).where(StaffDevice.imei == imei))
        assert len(count_stored.all()) == 1


def test_losing_the_race_for_an_imei_is_the_same_clear_refusal_and_the_session_survives(
    site: Registers, monkeypatch: pytest.MonkeyPatch
) -> None:
    imei = valid_imei()
    _record(site, "staff_support", imei)
    # As if another request recorded it between our check and our insert.
    monkeypatch.setattr(dev, "imei_recorded", lambda _session, _imei: False)
    with site.sessions() as session:
        with pytest.raises(dev.InvalidDevice) as refused:
            dev.record_device(session, site.school, site.person_id("staff_teacher"), imei=imei)
        assert "already recorded" in refused.value.errors["imei"]
        other = valid_imei()
        dev.record_device(session, site.school, site.person_id("staff_teacher"), imei=other)
        session.commit()
    with site.sessions() as session:
        assert session.scalars(select(StaffDevice.id).where(StaffDevice.imei == other)).one()


def test_every_problem_with_a_phone_is_reported_at_once(site: Registers) -> None:
    with site.sessions() as session, pytest.raises(dev.InvalidDevice) as refused:
        dev.record_device(
            session,
            site.school,
            site.person_id("staff_teacher"),
            imei="123",
            make="M" * 101,
            phone_number="not a number",
        )
    assert set(refused.value.errors) == {"imei", "make", "phone_number"}


def test_a_lost_or_stolen_phone_needs_a_date_not_in_the_future_and_keeps_its_record(
    site: Registers,
) -> None:
    device_id = _record(site, "staff_teacher", valid_imei())
    with site.sessions() as session:
        device = session.get(StaffDevice, device_id)
        assert device is not None
        with pytest.raises(dev.InvalidDevice) as no_date:
            dev.set_device_status(session, device, DeviceStatus.STOLEN, None, today=TODAY)
        assert set(no_date.value.errors) == {"status_date"}
        with pytest.raises(dev.InvalidDevice):
            dev.set_device_status(session, device, DeviceStatus.LOST, date(2026, 3, 3), today=TODAY)
        dev.set_device_status(session, device, DeviceStatus.STOLEN, date(2026, 2, 27), today=TODAY)
        session.commit()
    with site.sessions() as session:
        device = session.get(StaffDevice, device_id)
        assert device is not None
        assert (device.status, device.status_date) == (DeviceStatus.STOLEN, date(2026, 2, 27))
        dev.set_device_status(session, device, DeviceStatus.IN_USE, None, today=TODAY)
        assert (device.status, device.status_date) == (DeviceStatus.IN_USE, None)


def test_people_without_a_phone_in_use_are_listed_but_not_leavers_or_disabled_accounts(
    site: Registers,
) -> None:
    volunteer, governor, contractor = (
        site.person_id(r) for r in ("volunteer", "governor", "contractor")
    )
    with site.sessions() as session:
        missing = {p.id for p in dev.people_without_device(session, site.school, TODAY)}
    assert {volunteer, governor, contractor} <= missing
    device_id = _record(site, "volunteer", valid_imei())
    with site.sessions() as session:
        person = session.get(Person, governor)
        assert person is not None
        person.disabled_at = datetime(2026, 1, 1, tzinfo=UTC)
        session.add(
            StaffRecord(school_id=site.school, person_id=contractor, leaving_date=date(2026, 2, 1))
        )
        session.commit()
    try:
        with site.sessions() as session:
            missing = {p.id for p in dev.people_without_device(session, site.school, TODAY)}
            assert volunteer not in missing and governor not in missing
            assert contractor not in missing
            device = session.get(StaffDevice, device_id)
            assert device is not None
            dev.set_device_status(session, device, DeviceStatus.LOST, TODAY, today=TODAY)
            session.commit()
            missing = {p.id for p in dev.people_without_device(session, site.school, TODAY)}
            assert volunteer in missing  # a lost phone is not a phone in use
    finally:
        with site.sessions() as session:
            person = session.get(Person, governor)
            assert person is not None
            person.disabled_at = None
            for record in session.scalars(
                select(StaffRecord).where(StaffRecord.person_id == contractor)
            ):
                session.delete(record)
            session.commit()


# -- the pages -----------------------------------------------------------------------------------
def test_a_teacher_records_their_phone_and_marks_it_stolen(site: Registers) -> None:
    imei = valid_imei("35875602")
    base = f"/schools/{site.school}/devices"
    status, _, location = site.post(
        "it_admin",
        base,
        {"imei": f"{imei[:8]} {imei[8:]}", "make": "Samsung", "model": "Galaxy A54"},
    )
    assert (status, location) == (303, f"{base}?done=added")
    page = site.get("it_admin", base)[1]
    assert dev.shown_imei(imei) in page and "Galaxy A54" in page
    with site.sessions() as session:
        device = session.scalars(select(StaffDevice).where(StaffDevice.imei == imei)).one()
    status, _, location = site.post(
        "it_admin",
        f"{base}/{device.id}/status",
        {"status": "stolen", "status_date": "27/02/2026"},
    )
    assert (status, location) == (303, f"{base}?done=updated")
    page = site.get("it_admin", base)[1]
    assert "Stolen" in page and "27/02/2026" in page


def test_a_wrong_imei_is_shown_in_the_error_summary_and_kept_in_the_form(site: Registers) -> None:
    typed = wrong_check_digit(valid_imei())
    status, page, _ = site.post("staff_teacher", f"/schools/{site.school}/devices", {"imei": typed})
    assert status == 400
    assert "There is a problem" in page and 'href="#imei"' in page
    assert "check digit does not match" in page
    assert f'value="{typed}"' in page


def test_a_date_that_is_not_a_date_is_refused_for_that_phone(site: Registers) -> None:
    device_id = _record(site, "staff_teacher", valid_imei())
    status, page, _ = site.post(
        "staff_teacher",
        f"/schools/{site.school}/devices/{device_id}/status",
        {"status": "lost", "status_date": "yesterday"},
    )
    assert status == 400
    assert f'href="#status_date-{device_id}"' in page
    with site.sessions() as session:
        device = session.get(StaffDevice, device_id)
        assert device is not None and device.status == DeviceStatus.IN_USE


def test_nobody_else_changes_a_teachers_phone_but_whoever_keeps_the_register(
    site: Registers,
) -> None:
    device_id = _record(site, "staff_teacher", valid_imei())
    path = f"/schools/{site.school}/devices/{device_id}/status"
    form = {"status": "lost", "status_date": "01/03/2026"}
    for role in ("staff_support", "dsl", "line_manager"):
        assert site.post(role, path, form)[0] == 404, role
    assert site.post("hillcrest_teacher", path, form)[0] == 404
    with site.sessions() as session:
        device = session.get(StaffDevice, device_id)
        assert device is not None and device.status == DeviceStatus.IN_USE
    status, _, location = site.post("hr", path, {**form, "back": "register"})
    assert (status, location) == (303, f"/schools/{site.school}/devices/register?done=updated")


def test_the_register_shows_everyones_phones_and_who_has_none(site: Registers) -> None:
    imei = valid_imei()
    _record(site, "line_manager", imei)
    status, page = site.get("headteacher", f"/schools/{site.school}/devices/register")
    assert status == 200
    assert dev.shown_imei(imei) in page and "Meadowbank Line Manager" in page
    missing_section = page.split("No phone recorded", 1)[1].split("Phones recorded", 1)[0]
    assert "Meadowbank Dsl" in missing_section
    assert "Meadowbank Line Manager" not in missing_section
    assert site.get("staff_teacher", f"/schools/{site.school}/devices/register")[0] == 403
    # A teacher's own page shows only their own phones.
    assert (
        dev.shown_imei(imei) not in site.get("staff_teacher", f"/schools/{site.school}/devices")[1]
    )


def test_only_whoever_keeps_the_register_records_a_phone_for_someone_else(
    site: Registers,
) -> None:
    imei = valid_imei()
    dsl = site.person_id("dsl")
    form = {"imei": imei, "person_id": str(dsl), "back": "register"}
    assert site.post("staff_teacher", f"/schools/{site.school}/devices", form)[0] == 404
    status, _, location = site.post("it_admin", f"/schools/{site.school}/devices", form)
    assert (status, location) == (303, f"/schools/{site.school}/devices/register?done=added")
    with site.sessions() as session:
        device = session.scalars(select(StaffDevice).where(StaffDevice.imei == imei)).one()
        assert device.person_id == dsl
    stranger = {"imei": valid_imei(), "person_id": str(site.person_id("hillcrest_teacher"))}
    status, page, _ = site.post("it_admin", f"/schools/{site.school}/devices", stranger)
    assert status == 400 and "Choose who the phone belongs to." in page


# -- the command line ----------------------------------------------------------------------------
def test_the_cli_lists_the_schools_phones_as_csv_and_json(
    site: Registers, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    imei = valid_imei("01326300")
    device_id = _record(site, "hr", imei)
    with site.sessions() as session:
        device = session.get(StaffDevice, device_id)
        assert device is not None
        dev.set_device_status(session, device, DeviceStatus.LOST, date(2026, 2, 14))
        session.commit()
    monkeypatch.setenv("BOUNDARIES_DATABASE_URL", site.world.url)
    code, out, _ = run(capsys, "registers", "devices", "--school", "900101", "--format", "csv")
    assert code == 0
    rows = {row["imei"]: row for row in csv.DictReader(io.StringIO(out))}
    assert rows[imei]["email"] == "hr@meadowbank.example.org"
    assert (rows[imei]["status"], rows[imei]["status_date"]) == ("lost", "2026-02-14")
    code, out, _ = run(capsys, "registers", "devices", "--school", "900101", "--format", "json")
    assert code == 0
    assert {r["imei"] for r in json.loads(out)} == set(rows)
    code, out, _ = run(capsys, "registers", "devices", "--school", "900101")
    assert code == 0 and "14/02/2026" in out and "No phone in use recorded" in out
