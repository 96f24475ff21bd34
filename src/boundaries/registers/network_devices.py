"""Network devices: the school's computers and other devices, so that monitoring can map a log
line (an IP address, a MAC address or a host name) to a device and to the person who uses it.

The list comes as a CSV file from the school's IT (an asset register or a DHCP reservation
export), one device a row: host name, MAC, IP, kind, location, the e-mail address of the person
it is assigned to, and whether it is shared. MAC addresses are accepted in the notations the
usual tools write (``AA-BB-CC-DD-EE-FF`` from Windows, ``aabb.ccdd.eeff`` from Cisco, ``0:1b:…``
from macOS, bare hex) and kept as ``aa:bb:cc:dd:ee:ff``; IP addresses (IPv4 or IPv6) are checked
with :mod:`ipaddress`. Every row is checked, errors name their row, and the import applies all
or nothing. Re-importing updates devices by host name and never duplicates them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import ipaddress
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boundaries.store import Membership, NetworkDevice, Person, RosterImport
from boundaries.store.models import utc_now

Progress = Callable[[int, int], None]  # (rows done, rows in all)

MAX_KIND = 50
MAX_LOCATION = 200
MAX_ROWS = 100_000
# Header captions seen in asset registers and DHCP exports, compared without case, spaces or
# punctuation; each maps to our column.
HEADER_ALIASES: dict[str, str] = {
    "hostname": "hostname",
    "host": "hostname",
    "computername": "hostname",
    "devicename": "hostname",
    "name": "hostname",
    "mac": "mac",
    "macaddress": "mac",
    "physicaladdress": "mac",
    "ip": "ip",
    "ipaddress": "ip",
    "ipv4address": "ip",
    "ipv6address": "ip",
    "kind": "kind",
    "type": "kind",
    "devicetype": "kind",
    "location": "location",
    "room": "location",
    "assigneduseremail": "email",
    "assignedto": "email",
    "assigneduser": "email",
    "useremail": "email",
    "email": "email",
    "user": "email",
    "shared": "shared",
}
REQUIRED_COLUMNS = ("hostname", "mac", "ip")
COLUMN_LABELS = {
    "hostname": "hostname",
    "mac": "mac",
    "ip": "ip",
    "kind": "kind",
    "location": "location",
    "email": "assigned user e-mail",
    "shared": "shared",
}
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0", ""})
_HEX = "0123456789abcdef"
_SEPARATED_MAC = re.compile(r"[0-9a-f]{1,2}([:-])(?:[0-9a-f]{1,2}\1){4}[0-9a-f]{1,2}")
_GROUPED_MAC = re.compile(r"([0-9a-f]{4})([.-])([0-9a-f]{4})\2([0-9a-f]{4})")
_HOST_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")


class InvalidValue(ValueError):
    """A value that is not a MAC address, IP address or host name; the message says why."""


@dataclass(frozen=True)
class RowError:
    """A problem with one row (``row`` counts the header as row 1, as a spreadsheet does)."""

    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "the file"
        column = f", {COLUMN_LABELS.get(self.column, self.column)}" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass(frozen=True)
class DeviceRow:
    """One checked row of the file."""

    row: int
    hostname: str
    mac: str | None
    ip: str | None
    kind: str | None
    location: str | None
    person_id: int | None
    shared: bool


@dataclass
class ImportReport:
    """What an import found and did (or, for a dry run, would do)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    applied: bool = False
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class DeviceMatch:
    """A device found for a log line, with the person it is assigned to (if any)."""

    device_id: int
    hostname: str
    mac: str | None
    ip: str | None
    kind: str | None
    location: str | None
    shared: bool
    person_id: int | None
    person_name: str | None
    person_email: str | None
    matched_on: str  # "mac", "ip" or "hostname"


# -- values ------------------------------------------------------------------------------------
def normalise_mac(text: str) -> str:
    """``aa:bb:cc:dd:ee:ff`` from any common notation; :class:`InvalidValue` otherwise."""
    value = text.strip().lower()
    octets: list[str] | None = None
    separated = _SEPARATED_MAC.fullmatch(value)
    grouped = _GROUPED_MAC.fullmatch(value)
    if separated:
        octets = [part.rjust(2, "0") for part in re.split(r"[:-]", value)]
    elif grouped:
        joined = grouped.group(1) + grouped.group(3) + grouped.group(4)
        octets = [joined[i : i + 2] for i in range(0, 12, 2)]
    elif len(value) == 12 and all(c in _HEX for c in value):
        octets = [value[i : i + 2] for i in range(0, 12, 2)]
    if octets is None:
        raise InvalidValue(
            f"“{text.strip()}” is not a MAC address: write it like aa:bb:cc:dd:ee:ff."
        )
    if set("".join(octets)) == {"0"}:
        raise InvalidValue("00:00:00:00:00:00 is not a device's MAC address.")
    if int(octets[0], 16) & 1:
        # The group bit: multicast and broadcast addresses never belong to one device.
        raise InvalidValue(
            f"{':'.join(octets)} is a multicast or broadcast address, not a device's."
        )
    return ":".join(octets)


def normalise_ip(text: str) -> str:
    """An IPv4 or IPv6 address in its canonical form; :class:`InvalidValue` otherwise."""
    value = text.strip()
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        raise InvalidValue(f"“{value}” is not an IPv4 or IPv6 address.") from None
    return str(address)


def normalise_hostname(text: str) -> str:
    """A host name in lower case without a trailing dot; :class:`InvalidValue` otherwise.

    Underscores are allowed because Windows (NetBIOS) names use them.
    """
    value = text.strip().lower().removesuffix(".")
    if not value:
        raise InvalidValue("Enter the device's host name.")
    if len(value) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in value.split(".")):
        raise InvalidValue(
            f"“{text.strip()}” is not a host name: use letters, digits and hyphens, "
            "with dots between the parts."
        )
    return value


def _shared(text: str) -> bool:
    value = text.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise InvalidValue(f"“{text.strip()}” should be yes or no.")


# -- reading the file ---------------------------------------------------------------------------
def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without Excel's byte-order mark), else Windows-1252,
    which is what Excel on Windows writes for "CSV"."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _header_key(caption: str) -> str:
    return re.sub(r"[^a-z0-9]", "", caption.strip().lower())


def _dialect(text: str) -> str:
    first = text.split("\n", 1)[0]
    if "," not in first:
        for delimiter in (";", "\t"):
            if delimiter in first:
                return delimiter
    return ","


def _school_people(session: Session, school_id: int) -> dict[str, int]:
    return {
        email: person_id
        for person_id, email in session.execute(
            select(Person.id, Person.email)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.school_id == school_id)
        )
    }


def read_devices(
    session: Session, school_id: int, text: str, progress: Progress | None = None
) -> tuple[list[DeviceRow], ImportReport]:
    """Check every row of the CSV ``text``; the rows that passed and a report of the rest."""
    report = ImportReport()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text))
    try:
        header = next(reader)
    except StopIteration:
        report.errors.append(RowError(0, None, "The file is empty."))
        return [], report
    except csv.Error as exc:
        report.errors.append(RowError(1, None, f"The header cannot be read as CSV: {exc}."))
        return [], report
    columns: dict[str, int] = {}
    for index, caption in enumerate(header):
        key = HEADER_ALIASES.get(_header_key(caption))
        if key is None:
            if caption.strip():
                report.notes.append(f"The column “{caption.strip()}” is not used.")
            continue
        if key in columns:
            report.errors.append(
                RowError(1, key, f"Two columns mean {COLUMN_LABELS[key]}: keep one.")
            )
        columns[key] = index
    missing = [COLUMN_LABELS[c] for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        report.errors.append(
            RowError(1, None, "The header must name the columns " + ", ".join(missing) + ".")
        )
    if report.errors:
        return [], report
    try:
        raw_rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        report.errors.append(RowError(reader.line_num, None, f"This row cannot be read: {exc}."))
        return [], report
    if len(raw_rows) > MAX_ROWS:
        report.errors.append(RowError(0, None, f"The file has more than {MAX_ROWS:,} rows."))
        return [], report
    people = _school_people(session, school_id)
    rows: list[DeviceRow] = []
    # Host names, MACs and IPs already seen, with their row: checked even on rows with other
    # errors, so that one round of corrections finds every problem.
    seen: dict[str, dict[str, int]] = {"hostname": {}, "mac": {}, "ip": {}}
    total = len(raw_rows)
    for done, (line, values) in enumerate(raw_rows, start=1):
        if any(v.strip() for v in values):
            checked, keys = _check_row(line, values, columns, people, report)
            for key, value in keys.items():
                first = seen[key].setdefault(value, line)
                if first != line:
                    report.errors.append(RowError(line, key, f"{value} is also on row {first}."))
                    checked = None
            if checked is not None:
                rows.append(checked)
            report.rows += 1
        if progress is not None:
            progress(done, total)
    return rows, report


def _check_row(
    line: int,
    values: list[str],
    columns: dict[str, int],
    people: dict[str, int],
    report: ImportReport,
) -> tuple[DeviceRow | None, dict[str, str]]:
    def cell(key: str) -> str:
        index = columns.get(key)
        return values[index].strip() if index is not None and index < len(values) else ""

    errors: list[RowError] = []

    def checked(key: str, check: Callable[[str], str]) -> str | None:
        raw = cell(key)
        if not raw and key != "hostname":
            return None
        try:
            return check(raw)
        except InvalidValue as exc:
            errors.append(RowError(line, key, str(exc)))
            return None

    hostname = checked("hostname", normalise_hostname)
    mac = checked("mac", normalise_mac)
    ip = checked("ip", normalise_ip)
    kind = cell("kind") or None
    if kind and len(kind) > MAX_KIND:
        errors.append(RowError(line, "kind", f"must be {MAX_KIND} characters or fewer."))
    location = cell("location") or None
    if location and len(location) > MAX_LOCATION:
        errors.append(RowError(line, "location", f"must be {MAX_LOCATION} characters or fewer."))
    email = cell("email").lower()
    person_id = None
    if email:
        person_id = people.get(email)
        if person_id is None:
            errors.append(
                RowError(line, "email", f"nobody at this school has the address {email}.")
            )
    shared = False
    try:
        shared = _shared(cell("shared"))
    except InvalidValue as exc:
        errors.append(RowError(line, "shared", str(exc)))
    keys = {k: v for k, v in (("hostname", hostname), ("mac", mac), ("ip", ip)) if v is not None}
    if errors or hostname is None:
        report.errors.extend(errors)
        return None, keys
    return DeviceRow(line, hostname, mac, ip, kind, location, person_id, shared), keys


def _check_against_store(
    session: Session, school_id: int, rows: list[DeviceRow], report: ImportReport
) -> dict[str, NetworkDevice]:
    existing = {
        d.hostname: d
        for d in session.scalars(select(NetworkDevice).where(NetworkDevice.school_id == school_id))
    }
    in_file = {row.hostname for row in rows}
    # MACs and IPs held by devices this file does not mention: a row may not take them.
    held: dict[str, dict[str, str]] = {"mac": {}, "ip": {}}
    for hostname, device in existing.items():
        if hostname in in_file:
            continue
        for key in ("mac", "ip"):
            value = getattr(device, key)
            if value:
                held[key][value] = hostname
    for row in rows:
        for key in ("mac", "ip"):
            value = getattr(row, key)
            if value and value in held[key]:
                report.errors.append(
                    RowError(
                        row.row,
                        key,
                        f"{value} is already recorded for {held[key][value]}; add that device "
                        "to this file with its new address, or change it first.",
                    )
                )
    return existing


# -- importing ----------------------------------------------------------------------------------
def import_network_devices(
    session: Session,
    school_id: int,
    data: bytes,
    *,
    imported_by_id: int | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check the CSV ``data`` and, if every row is right and this is not a dry run, add or
    update the school's devices. A failed import changes no device; it is logged either way
    (a dry run is not). The caller commits."""
    rows, report = read_devices(session, school_id, decode(data), progress)
    existing: dict[str, NetworkDevice] = {}
    if not report.errors:
        existing = _check_against_store(session, school_id, rows, report)
    if report.errors:
        report.errors.sort(key=lambda e: e.row)
        if not dry_run:
            _log(session, school_id, data, report, imported_by_id)
        return report
    now = utc_now()
    for row in rows:
        values = {
            "mac": row.mac,
            "ip": row.ip,
            "kind": row.kind,
            "location": row.location,
            "person_id": row.person_id,
            "shared": row.shared,
        }
        device = existing.get(row.hostname)
        if device is None:
            report.created += 1
            if not dry_run:
                session.add(
                    NetworkDevice(
                        school_id=school_id,
                        hostname=row.hostname,
                        created_at=now,
                        updated_at=now,
                        **values,
                    )
                )
        elif any(getattr(device, key) != value for key, value in values.items()):
            report.updated += 1
            if not dry_run:
                for key, value in values.items():
                    setattr(device, key, value)
                device.updated_at = now
        else:
            report.unchanged += 1
    if not dry_run:
        session.flush()
        report.applied = True
        _log(session, school_id, data, report, imported_by_id)
    return report


def _log(
    session: Session,
    school_id: int,
    data: bytes,
    report: ImportReport,
    imported_by_id: int | None,
) -> None:
    session.add(
        RosterImport(
            school_id=school_id,
            kind="network_devices",
            source="csv",
            file_sha256=hashlib.sha256(data).hexdigest(),
            rows=report.rows,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            applied=report.applied,
            errors_json=json.dumps([asdict(e) for e in report.errors]) if report.errors else None,
            imported_by_id=imported_by_id,
            at=utc_now(),
        )
    )
    session.flush()


# -- reading the register -----------------------------------------------------------------------
def school_network_devices(
    session: Session, school_id: int
) -> list[tuple[NetworkDevice, Person | None]]:
    """The school's devices by host name, with the person each is assigned to."""
    return [
        (device, person)
        for device, person in session.execute(
            select(NetworkDevice, Person)
            .outerjoin(Person, Person.id == NetworkDevice.person_id)
            .where(NetworkDevice.school_id == school_id)
            .order_by(NetworkDevice.hostname)
        )
    ]


def lookup_device(
    session: Session,
    school_id: int,
    ip: str | None = None,
    mac: str | None = None,
    hostname: str | None = None,
) -> DeviceMatch | None:
    """The school's device for a log line's MAC, IP or host name, tried in that order (a MAC
    names one network card; an IP may be reassigned; a host name may be shortened).

    A value that cannot be read (log files hold ``-`` and worse) matches nothing. A host name
    matches in full, or by its first part when exactly one device has that first part, since
    logs write both ``mb-office-01`` and ``mb-office-01.meadowbank.local``.
    """
    attempts: list[tuple[str, str | None, Callable[[str], str]]] = [
        ("mac", mac, normalise_mac),
        ("ip", ip, normalise_ip),
    ]
    for key, raw, normalise in attempts:
        if not raw:
            continue
        try:
            value = normalise(raw)
        except InvalidValue:
            continue
        column = NetworkDevice.mac if key == "mac" else NetworkDevice.ip
        device = session.scalars(
            select(NetworkDevice).where(NetworkDevice.school_id == school_id, column == value)
        ).first()
        if device is not None:
            return _match(session, device, key)
    if hostname:
        try:
            name = normalise_hostname(hostname)
        except InvalidValue:
            return None
        device = session.scalars(
            select(NetworkDevice).where(
                NetworkDevice.school_id == school_id, NetworkDevice.hostname == name
            )
        ).first()
        if device is None:
            short = name.split(".", 1)[0]
            candidates = session.scalars(
                select(NetworkDevice).where(
                    NetworkDevice.school_id == school_id,
                    (NetworkDevice.hostname == short)
                    | NetworkDevice.hostname.startswith(short + ".", autoescape=True),
                )
            ).all()
            device = candidates[0] if len(candidates) == 1 else None
        if device is not None:
            return _match(session, device, "hostname")
    return None


def _match(session: Session, device: NetworkDevice, matched_on: str) -> DeviceMatch:
    person = session.get(Person, device.person_id) if device.person_id is not None else None
    return DeviceMatch(
        device_id=device.id,
        hostname=device.hostname,
        mac=device.mac,
        ip=device.ip,
        kind=device.kind,
        location=device.location,
        shared=device.shared,
        person_id=person.id if person else None,
        person_name=person.name if person else None,
        person_email=person.email if person else None,
        matched_on=matched_on,
    )


def count_devices(session: Session, school_id: int) -> int:
    """How many network devices the school has recorded."""
    return int(
        session.scalar(
            select(func.count(NetworkDevice.id)).where(NetworkDevice.school_id == school_id)
        )
        or 0
    )
