"""What an import reads and checks: the files, their rows, and the problems found in them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from boundaries.store import SchoolRole


class Kind(enum.StrEnum):
    """What a file lists."""

    PUPILS = "pupils"
    STAFF = "staff"
    CONTACTS = "contacts"


class Source(enum.StrEnum):
    """Which system wrote the file, which decides how its columns are named."""

    SIMS = "sims"
    ARBOR = "arbor"
    BROMCOM = "bromcom"
    WONDE = "wonde"
    MAPPING = "mapping"


@dataclass(frozen=True)
class InputFile:
    """One file handed to an import: its name (for messages) and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class RowError:
    """A problem with one row (or with a whole file, at its header), in words to act on.

    ``row`` is the line of a CSV file as a spreadsheet numbers it (the header is line 1), or
    the position of a record in a JSON file (``unit`` says which).
    """

    file: str
    row: int
    field: str | None
    message: str
    unit: str = "line"

    def describe(self) -> str:
        where = f"{self.file}, {self.unit} {self.row}"
        if self.field:
            where += f", {self.field}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "row": self.row,
            "unit": self.unit,
            "field": self.field,
            "message": self.message,
        }


@dataclass(frozen=True)
class Origin:
    """Where a row came from, for messages."""

    file: str
    row: int
    unit: str = "line"

    def error(self, field: str | None, message: str) -> RowError:
        return RowError(self.file, self.row, field, message, self.unit)


@dataclass
class RawRow:
    """One row as read: text values under our field names, and the caption each came from."""

    origin: Origin
    values: dict[str, str | None]
    captions: dict[str, str]

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def caption(self, name: str) -> str:
        return self.captions.get(name, name)


@dataclass
class PupilIn:
    """A pupil as the file gives them, checked."""

    origin: Origin
    legal_forename: str
    surname: str
    preferred_forename: str | None
    date_of_birth: date
    upn: str | None = None
    mis_id: str | None = None
    admission_number: str | None = None
    year_group: str | None = None
    admission_date: date | None = None
    leaving_date: date | None = None
    # The fields the file has a column for (an update leaves the others as they were), and
    # the caption each came under, for messages.
    given: frozenset[str] = frozenset()
    captions: dict[str, str] = field(default_factory=dict)


@dataclass
class StaffIn:
    """A member of staff as the file gives them, checked."""

    origin: Origin
    forename: str
    surname: str
    email: str
    role: SchoolRole
    title: str | None = None
    mis_id: str | None = None
    staff_code: str | None = None
    job_title: str | None = None
    start_date: date | None = None
    leaving_date: date | None = None
    line_manager: str | None = None  # an e-mail address or a staff code, resolved later
    given: frozenset[str] = frozenset()
    captions: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"


@dataclass(frozen=True)
class PupilRef:
    """How a contact row names its pupil: the MIS id, UPN or admission number."""

    mis_id: str | None
    upn: str | None
    admission_number: str | None

    def describe(self) -> str:
        for label, value in (
            ("MIS id", self.mis_id),
            ("UPN", self.upn),
            ("admission number", self.admission_number),
        ):
            if value:
                return f"{label} {value}"
        return "no pupil"


@dataclass
class ContactLinkIn:
    """A contact's link to one pupil."""

    origin: Origin
    pupil: PupilRef
    relationship: str | None
    parental_responsibility: bool


@dataclass
class ContactIn:
    """A parent or carer as the file gives them, with every pupil they are linked to."""

    origin: Origin
    key: str  # the MIS's id, or one made from the name and e-mail when the file has none
    title: str | None
    forename: str | None
    surname: str | None
    email: str | None
    links: list[ContactLinkIn] = field(default_factory=list)
    given: frozenset[str] = frozenset()
