"""Who a log line belongs to: user names and client addresses mapped to the people and
devices in the school's registers.

Addresses follow :func:`boundaries.registers.network_devices.lookup_device`'s rules (MAC, then
IP, then host name, a host name matching by its first part when exactly one device has that
first part), held in memory because a log is mapped one distinct address at a time, thousands
of them. A device marked shared says nothing about who used it. User names are matched to the
school's people by e-mail address or by its local part (``jsmith`` for ``jsmith@school.org``),
after dropping a Windows domain (``SCHOOL\\jsmith``); a local part two people share matches
neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.registers.network_devices import (
    InvalidValue,
    normalise_hostname,
    normalise_ip,
    normalise_mac,
)
from boundaries.store import Membership, NetworkDevice, Person


@dataclass(frozen=True)
class PersonRef:
    person_id: int
    email: str
    name: str


@dataclass(frozen=True)
class DeviceRef:
    device_id: int
    hostname: str
    mac: str | None
    ip: str | None
    shared: bool
    person: PersonRef | None


class Identities:
    """Lookups from log values to people and devices."""

    def __init__(self, devices: Iterable[DeviceRef] = (), people: Iterable[PersonRef] = ()):
        self._by_mac: dict[str, DeviceRef] = {}
        self._by_ip: dict[str, DeviceRef] = {}
        self._by_host: dict[str, DeviceRef] = {}
        short: dict[str, list[DeviceRef]] = {}
        for device in devices:
            if device.mac:
                self._by_mac.setdefault(device.mac, device)
            if device.ip:
                self._by_ip.setdefault(device.ip, device)
            self._by_host.setdefault(device.hostname, device)
            short.setdefault(device.hostname.split(".", 1)[0], []).append(device)
        self._by_short = {name: found[0] for name, found in short.items() if len(found) == 1}
        self._by_email: dict[str, PersonRef] = {}
        locals_: dict[str, list[PersonRef]] = {}
        for person in people:
            email = person.email.strip().lower()
            self._by_email[email] = person
            locals_.setdefault(email.split("@", 1)[0], []).append(person)
        self._by_local = {
            name: found[0]
            for name, found in locals_.items()
            if len({p.person_id for p in found}) == 1
        }

    @classmethod
    def empty(cls) -> Identities:
        """Maps nothing: every line stays anonymous."""
        return cls()

    @classmethod
    def from_session(cls, session: Session, school_id: int) -> Identities:
        """The school's network devices and members."""
        people: dict[int, PersonRef] = {}
        for person_id, email, name in session.execute(
            select(Person.id, Person.email, Person.name)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.school_id == school_id)
        ):
            people[person_id] = PersonRef(person_id, email, name)
        devices: list[DeviceRef] = []
        for device, person in session.execute(
            select(NetworkDevice, Person)
            .outerjoin(Person, Person.id == NetworkDevice.person_id)
            .where(NetworkDevice.school_id == school_id)
            .order_by(NetworkDevice.id)
        ):
            owner = PersonRef(person.id, person.email, person.name) if person else None
            devices.append(
                DeviceRef(device.id, device.hostname, device.mac, device.ip, device.shared, owner)
            )
        return cls(devices, people.values())

    def device_for(self, address: str | None) -> DeviceRef | None:
        """The device a log's client field (MAC, IP or host name) names, if registered."""
        if not address:
            return None
        for index, normalise in ((self._by_mac, normalise_mac), (self._by_ip, normalise_ip)):
            try:
                found = index.get(normalise(address))
            except InvalidValue:
                continue
            if found is not None:
                return found
        try:
            name = normalise_hostname(address)
        except InvalidValue:
            return None
        return self._by_host.get(name) or self._by_short.get(name.split(".", 1)[0])

    def person_for_user(self, user: str | None) -> PersonRef | None:
        """The person a log's user name belongs to, if exactly one person fits."""
        if not user:
            return None
        name = unquote(user).strip().lower()
        if name in ("", "-"):
            return None
        name = name.rsplit("\\", 1)[-1]
        if "@" in name:
            found = self._by_email.get(name)
            if found is not None:
                return found
            name = name.split("@", 1)[0]
        return self._by_local.get(name)

    def person_for_device(self, device: DeviceRef | None) -> PersonRef | None:
        """The person a device is assigned to, unless it is shared."""
        if device is None or device.shared:
            return None
        return device.person
