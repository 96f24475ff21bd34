"""Staff devices (7.5): each member of staff keeps a record of their phone's IMEI.

The IMEI is checked with python-stdnum (length and the Luhn check digit) and kept in its
15-digit form; an IMEISV (16 digits, with a software version instead of a check digit) is
refused, because it changes with software updates and cannot be checked. One IMEI is recorded
once across the whole installation: a phone belongs to one person. A lost, stolen or retired
phone keeps its record, with the date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import phonenumbers
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from stdnum import imei as stdnum_imei
from stdnum import luhn

from boundaries.registers.training import people_covered
from boundaries.store import DeviceStatus, Person, StaffDevice

MAX_MAKE = 100
STATUS_LABELS = {
    DeviceStatus.IN_USE: "In use",
    DeviceStatus.LOST: "Lost",
    DeviceStatus.STOLEN: "Stolen",
    DeviceStatus.RETIRED: "No longer used",
}
# Statuses that need the day it happened: a lost or stolen phone is reported with its date.
DATED = frozenset({DeviceStatus.LOST, DeviceStatus.STOLEN, DeviceStatus.RETIRED})
IMEI_HINT = "Dial *#06# on the phone to see its IMEI: 15 digits."


class InvalidDevice(ValueError):
    """Device details that cannot be recorded: a message per form field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class DeviceRow:
    """A device with the person it belongs to."""

    device: StaffDevice
    person: Person


def normalise_imei(text: str) -> str:
    """The 15-digit IMEI in ``text`` (spaces and dashes allowed), or :class:`InvalidDevice`
    with a message that says what is wrong."""
    compact: str = stdnum_imei.compact(text)
    if not compact:
        raise InvalidDevice({"imei": f"Enter the phone's IMEI. {IMEI_HINT}"})
    if not compact.isdigit():
        raise InvalidDevice(
            {"imei": f"An IMEI is made of digits only (spaces and dashes are fine). {IMEI_HINT}"}
        )
    if len(compact) == 16:
        raise InvalidDevice(
            {
                "imei": "That is an IMEISV (16 digits, ending in a software version), not the "
                f"IMEI. {IMEI_HINT}"
            }
        )
    if len(compact) == 14:
        raise InvalidDevice(
            {"imei": f"That has 14 digits: the IMEI has 15, the last a check digit. {IMEI_HINT}"}
        )
    if len(compact) != 15:
        raise InvalidDevice(
            {"imei": f"An IMEI has 15 digits; that has {len(compact)}. {IMEI_HINT}"}
        )
    if not stdnum_imei.is_valid(compact):
        raise InvalidDevice(
            {
                "imei": "That IMEI's check digit does not match: a digit has probably been "
                "mistyped. Check it against *#06#."
            }
        )
    return compact


def imei_with_check_digit(first_fourteen: str) -> str:
    """The full IMEI for 14 digits (used to make valid examples)."""
    return first_fourteen + str(luhn.calc_check_digit(first_fourteen))


def shown_imei(imei: str) -> str:
    """The IMEI grouped as phones show it: ``35-209900-176148-1``."""
    return str(stdnum_imei.format(imei))


def normalise_phone_number(text: str | None) -> str | None:
    """A phone number in E.164 (``+447700900123``), UK numbers written in the national form
    allowed; blank is ``None``."""
    value = (text or "").strip()
    if not value:
        return None
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        number = None
    # "Possible" (the right length for its country) rather than "valid": Ofcom's drama range
    # (07700 900xxx), which examples and tests must use, is not a valid number, only a possible one.
    possible = phonenumbers.ValidationResult.IS_POSSIBLE
    if number is None or phonenumbers.is_possible_number_with_reason(number) != possible:
        raise InvalidDevice(
            {"phone_number": "Enter a phone number, like 07700 900123, or leave it blank."}
        )
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def shown_phone_number(number: str | None) -> str:
    """A stored number as people write it: national form for UK numbers."""
    if not number:
        return ""
    try:
        parsed = phonenumbers.parse(number, "GB")
    except phonenumbers.NumberParseException:
        return number
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code == 44
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return str(phonenumbers.format_number(parsed, fmt))


def _short(value: str | None, key: str, label: str, errors: dict[str, str]) -> str | None:
    text = " ".join((value or "").split())
    if len(text) > MAX_MAKE:
        errors[key] = f"The {label} must be {MAX_MAKE} characters or fewer."
    return text or None


def imei_recorded(session: Session, imei: str) -> bool:
    """Whether this IMEI is recorded anywhere in the installation."""
    return session.scalar(select(StaffDevice.id).where(StaffDevice.imei == imei)) is not None


def record_device(
    session: Session,
    school_id: int,
    person_id: int,
    *,
    imei: str,
    make: str | None = None,
    model: str | None = None,
    phone_number: str | None = None,
) -> StaffDevice:
    """Record a phone for a person in a school. Every problem is reported at once."""
    errors: dict[str, str] = {}
    number = ""
    try:
        number = normalise_imei(imei)
    except InvalidDevice as invalid:
        errors.update(invalid.errors)
    cleaned_make = _short(make, "make", "make", errors)
    cleaned_model = _short(model, "model", "model", errors)
    phone: str | None = None
    try:
        phone = normalise_phone_number(phone_number)
    except InvalidDevice as invalid:
        errors.update(invalid.errors)
    # Whose phone it is stays unsaid: it may be someone in another school.
    duplicate = (
        "That IMEI is already recorded. If the phone has changed hands, ask whoever keeps "
        "the register of devices."
    )
    if number and "imei" not in errors and imei_recorded(session, number):
        errors["imei"] = duplicate
    if errors:
        raise InvalidDevice(errors)
    device = StaffDevice(
        school_id=school_id,
        person_id=person_id,
        imei=number,
        make=cleaned_make,
        model=cleaned_model,
        phone_number=phone,
        status=DeviceStatus.IN_USE,
    )
    try:
        # A savepoint, so that losing a race with another request for the same IMEI (the unique
        # constraint) is the same clear message, and the caller's transaction survives.
        with session.begin_nested():
            session.add(device)
            session.flush()
    except IntegrityError:
        raise InvalidDevice({"imei": duplicate}) from None
    return device


def set_device_status(
    session: Session,
    device: StaffDevice,
    status: DeviceStatus,
    on: date | None,
    *,
    today: date | None = None,
) -> None:
    """Mark a phone lost, stolen or no longer used (with the day), or back in use (found)."""
    today = today or date.today()
    if status in DATED:
        if on is None:
            raise InvalidDevice({"status_date": "Enter the date it happened."})
        if on > today:
            raise InvalidDevice({"status_date": "The date cannot be in the future."})
        device.status_date = on
    else:
        device.status_date = None
    device.status = status
    session.flush()


def device_for(
    session: Session, school_id: int, device_id: int, person_id: int, *, manager: bool
) -> StaffDevice | None:
    """A device this person may change: their own, or any in the school if they keep the
    register. Anything else is ``None``, as if it did not exist."""
    device = session.get(StaffDevice, device_id)
    if device is None or device.school_id != school_id:
        return None
    if device.person_id != person_id and not manager:
        return None
    return device


def own_devices(session: Session, school_id: int, person_id: int) -> list[StaffDevice]:
    """One person's phones in one school, in use first, newest first."""
    devices = session.scalars(
        select(StaffDevice)
        .where(StaffDevice.school_id == school_id, StaffDevice.person_id == person_id)
        .order_by(StaffDevice.created_at.desc(), StaffDevice.id.desc())
    ).all()
    return sorted(devices, key=lambda d: d.status != DeviceStatus.IN_USE)


def school_devices(session: Session, school_id: int) -> list[DeviceRow]:
    """Every phone recorded in the school, by person."""
    return [
        DeviceRow(device, person)
        for device, person in session.execute(
            select(StaffDevice, Person)
            .join(Person, Person.id == StaffDevice.person_id)
            .where(StaffDevice.school_id == school_id)
            .order_by(Person.name, Person.id, StaffDevice.created_at, StaffDevice.id)
        )
    ]


def people_without_device(
    session: Session, school_id: int, today: date | None = None
) -> list[Person]:
    """Everyone the policy covers in the school (2.1) with no phone in use recorded.

    A phone recorded in any school counts: the IMEI can be recorded only once, so someone who
    works in two schools records it in one of them.
    """
    people = people_covered(session, school_id, None, today or date.today())
    with_phone = set(
        session.scalars(
            select(StaffDevice.person_id).where(
                StaffDevice.person_id.in_([p.id for p in people]),
                StaffDevice.status == DeviceStatus.IN_USE,
            )
        )
    )
    return [person for person in people if person.id not in with_phone]
