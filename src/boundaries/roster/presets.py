"""Which column holds which field: presets for SIMS, Arbor and Bromcom, and mapping files.

Headers are matched without regard to case or spacing (SIMS leaves trailing spaces on its
captions). Each field lists the captions it may come under, most specific first; one column may
feed two fields (SIMS's Adno is both the admission number and, without a person id, the MIS id).

What is known of each system's captions is in ``shared/formats/real-input-formats.md`` §6:

* SIMS: report captions are the SIMS field names (Legal Surname, Preferred Forename, DOB, Adno,
  Date of Leaving...; staff: Preferred Surname, Title Code, Staff Code, Work Email, Role Text).
* Bromcom: Last Name and First Name are the legal names, Admission Number and UPN as written in
  its import templates; the preferred-name and staff captions are assumptions.
* Arbor: no export sample is public. Its custom reports use human captions; the ones here
  (Legal First Name, Preferred First Name, Start Date, Arbor Student ID...) are assumptions, and
  a school whose report differs uses a mapping file.
* Contacts: no caption list is published for any of the three; these are assumptions too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from boundaries.roster.records import Kind, Source
from boundaries.store import SchoolRole

Captions = dict[str, tuple[str, ...]]

PUPIL_FIELDS = (
    "mis_id",
    "legal_forename",
    "legal_surname",
    "preferred_forename",
    "preferred_surname",
    "date_of_birth",
    "year_group",
    "upn",
    "admission_number",
    "admission_date",
    "leaving_date",
)
STAFF_FIELDS = (
    "mis_id",
    "staff_code",
    "title",
    "forename",
    "surname",
    "legal_forename",
    "legal_surname",
    "email",
    "job_title",
    "role",
    "start_date",
    "leaving_date",
    "line_manager",
)
CONTACT_FIELDS = (
    "mis_id",
    "title",
    "forename",
    "surname",
    "email",
    "relationship",
    "parental_responsibility",
    "pupil_mis_id",
    "pupil_upn",
    "pupil_admission_number",
)
FIELDS: Mapping[Kind, tuple[str, ...]] = {
    Kind.PUPILS: PUPIL_FIELDS,
    Kind.STAFF: STAFF_FIELDS,
    Kind.CONTACTS: CONTACT_FIELDS,
}

# The roles an import may give. Leadership roles (headteacher, DSL, HR, IT) grant powers over
# other people, so they are given by hand, never by whoever can upload a spreadsheet.
IMPORTED_ROLES = frozenset({SchoolRole.STAFF_TEACHER, SchoolRole.STAFF_SUPPORT, SchoolRole.SUPPLY})

_SIMS: Mapping[Kind, Captions] = {
    Kind.PUPILS: {
        "mis_id": ("Person ID", "Adno"),
        "legal_forename": ("Legal Forename",),
        "legal_surname": ("Legal Surname",),
        "preferred_forename": ("Preferred Forename", "Forename"),
        "preferred_surname": ("Preferred Surname", "Surname"),
        "date_of_birth": ("DOB", "Date of Birth"),
        "year_group": ("Year", "Year Group", "NC Year Actual", "Year taught in Code"),
        "upn": ("UPN",),
        "admission_number": ("Adno", "Admission Number"),
        "admission_date": ("Date of Admission", "Admission Date"),
        "leaving_date": ("Date of Leaving", "Leaving Date"),
    },
    Kind.STAFF: {
        "mis_id": ("Person ID", "Staff Code"),
        "staff_code": ("Staff Code",),
        "title": ("Title Code", "Title"),
        "forename": ("Preferred Forename", "Forename"),
        "surname": ("Preferred Surname", "Surname"),
        "legal_forename": ("Legal Forename",),
        "legal_surname": ("Legal Surname",),
        "email": ("Work Email", "Work E-mail", "Email"),
        "job_title": ("Role Text", "Job Title", "Post"),
        "role": ("Boundaries Role", "Staff Category", "Role", "Role Text"),
        "start_date": ("Employment Start Date", "Start Date"),
        "leaving_date": ("Employment End Date", "End Date", "Date of Leaving"),
        "line_manager": ("Line Manager Email", "Line Manager Staff Code", "Line Manager"),
    },
    Kind.CONTACTS: {
        "mis_id": ("Contact Person ID", "Contact ID"),
        "title": ("Contact Title",),
        "forename": ("Contact Forename", "Contact Preferred Forename"),
        "surname": ("Contact Surname", "Contact Preferred Surname"),
        "email": ("Contact Email", "Contact Email Address"),
        "relationship": ("Relationship", "Contact Relationship"),
        "parental_responsibility": ("Parental Responsibility", "Parental Resp"),
        "pupil_mis_id": ("Adno",),
        "pupil_upn": ("UPN",),
        "pupil_admission_number": ("Adno",),
    },
}

_BROMCOM: Mapping[Kind, Captions] = {
    Kind.PUPILS: {
        "mis_id": ("Student ID", "Admission Number"),
        "legal_forename": ("First Name", "Legal First Name"),
        "legal_surname": ("Last Name", "Legal Last Name"),
        "preferred_forename": ("Preferred First Name", "Preferred Name"),
        "preferred_surname": ("Preferred Last Name",),
        "date_of_birth": ("Date of Birth", "DOB"),
        "year_group": ("Year Group", "Year"),
        "upn": ("UPN",),
        "admission_number": ("Admission Number", "Admission No"),
        "admission_date": ("Admission Date", "Date of Admission"),
        "leaving_date": ("Leaving Date", "Date of Leaving"),
    },
    Kind.STAFF: {
        "mis_id": ("Staff ID", "Staff Code"),
        "staff_code": ("Staff Code", "Initials"),
        "title": ("Title",),
        "forename": ("Preferred First Name", "First Name"),
        "surname": ("Preferred Last Name", "Last Name"),
        "legal_forename": ("Legal First Name", "First Name"),
        "legal_surname": ("Legal Last Name", "Last Name"),
        "email": ("Work Email", "Email Address", "Email"),
        "job_title": ("Job Title", "Role"),
        "role": ("Boundaries Role", "Staff Type", "Role", "Job Title"),
        "start_date": ("Start Date", "Employment Start Date"),
        "leaving_date": ("Leaving Date", "End Date"),
        "line_manager": ("Line Manager Email", "Line Manager"),
    },
    Kind.CONTACTS: {
        "mis_id": ("Contact ID",),
        "title": ("Contact Title",),
        "forename": ("Contact First Name", "Contact Forename"),
        "surname": ("Contact Last Name", "Contact Surname"),
        "email": ("Contact Email", "Contact Email Address"),
        "relationship": ("Relationship", "Relationship to Student"),
        "parental_responsibility": ("Parental Responsibility",),
        "pupil_mis_id": ("Student ID",),
        "pupil_upn": ("UPN",),
        "pupil_admission_number": ("Admission Number",),
    },
}

_ARBOR: Mapping[Kind, Captions] = {
    Kind.PUPILS: {
        "mis_id": ("Arbor Student ID", "Student ID"),
        "legal_forename": ("Legal First Name",),
        "legal_surname": ("Legal Last Name",),
        "preferred_forename": ("Preferred First Name", "First Name"),
        "preferred_surname": ("Preferred Last Name", "Last Name"),
        "date_of_birth": ("Date of Birth", "DOB"),
        "year_group": ("Year Group", "Year"),
        "upn": ("UPN",),
        "admission_number": ("Admission Number",),
        "admission_date": ("Start Date", "Enrolment Start Date", "Admission Date"),
        "leaving_date": ("End Date", "Enrolment End Date", "Leaving Date"),
    },
    Kind.STAFF: {
        "mis_id": ("Arbor Staff ID", "Staff ID"),
        "staff_code": ("Staff Code", "Initials"),
        "title": ("Title",),
        "forename": ("Preferred First Name", "First Name"),
        "surname": ("Preferred Last Name", "Last Name"),
        "legal_forename": ("Legal First Name",),
        "legal_surname": ("Legal Last Name",),
        "email": ("Work Email", "Email"),
        "job_title": ("Job Title", "Position"),
        "role": ("Boundaries Role", "Staff Type", "Role", "Job Title"),
        "start_date": ("Start Date", "Employment Start Date"),
        "leaving_date": ("End Date", "Employment End Date", "Leaving Date"),
        "line_manager": ("Line Manager Email", "Line Manager"),
    },
    Kind.CONTACTS: {
        "mis_id": ("Guardian ID", "Contact ID"),
        "title": ("Guardian Title", "Contact Title"),
        "forename": ("Guardian First Name", "Contact First Name"),
        "surname": ("Guardian Last Name", "Contact Last Name"),
        "email": ("Guardian Email", "Contact Email"),
        "relationship": ("Relationship",),
        "parental_responsibility": ("Has Parental Responsibility", "Parental Responsibility"),
        "pupil_mis_id": ("Arbor Student ID", "Student ID"),
        "pupil_upn": ("UPN",),
        "pupil_admission_number": ("Admission Number",),
    },
}

PRESETS: Mapping[Source, Mapping[Kind, Captions]] = {
    Source.SIMS: _SIMS,
    Source.BROMCOM: _BROMCOM,
    Source.ARBOR: _ARBOR,
}


class MappingError(ValueError):
    """A mapping file that cannot be used; the message says what to change."""


@dataclass(frozen=True)
class ColumnMapping:
    """What a mapping file says: captions per field, date formats, and staff roles by name."""

    columns: Captions = field(default_factory=dict)
    date_formats: tuple[str, ...] = ()
    roles: Mapping[str, SchoolRole] = field(default_factory=dict)
    kind: Kind | None = None


def normalise_caption(caption: str) -> str:
    """A header cell as compared: no BOM, no case, single spaces (SIMS pads its captions)."""
    text = unicodedata.normalize("NFKC", caption).replace("\ufeff", "")
    return " ".join(text.lower().split())


def role_key(text: str) -> str:
    """A role name as compared in a mapping file: lower case, single spaces."""
    return " ".join(text.lower().split())


def load_mapping(path: Path) -> ColumnMapping:
    """Read a mapping file; raises :class:`MappingError` on anything unusable."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise MappingError(f"cannot read the mapping file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise MappingError(f"the mapping file {path} is not UTF-8 text") from None
    return parse_mapping(text, path.name)


def parse_mapping(text: str, name: str = "mapping file") -> ColumnMapping:
    """A mapping from the YAML text of a mapping file.

    ::

        kind: pupils                 # optional: refuses the file for another kind
        columns:                     # our field: the column's caption (or a list of captions)
          legal_forename: Given name
          legal_surname: Family name
          date_of_birth: [Born, Date of birth]
        date_formats: ["%d.%m.%Y"]   # optional, tried before DD/MM/YYYY and ISO 8601
        roles:                       # staff only: a role column's values and the role each gives
          Class teacher: staff_teacher
          Cover supervisor: staff_support
    """
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MappingError(f"{name} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise MappingError(f"{name} should be a YAML mapping with a 'columns' section")
    unknown = set(data) - {"kind", "columns", "date_formats", "roles"}
    if unknown:
        raise MappingError(f"{name} has sections we do not know: {', '.join(sorted(unknown))}")
    kind: Kind | None = None
    if data.get("kind") is not None:
        try:
            kind = Kind(str(data["kind"]))
        except ValueError:
            raise MappingError(
                f"{name}: kind should be pupils, staff or contacts, not {data['kind']!r}"
            ) from None
    columns = _columns(data.get("columns") or {}, kind, name)
    formats = data.get("date_formats") or []
    if isinstance(formats, str):
        formats = [formats]
    if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
        raise MappingError(f"{name}: date_formats should be a list of strptime patterns")
    roles = _roles(data.get("roles") or {}, name)
    return ColumnMapping(columns=columns, date_formats=tuple(formats), roles=roles, kind=kind)


def _columns(raw: Any, kind: Kind | None, name: str) -> Captions:
    if not isinstance(raw, dict):
        raise MappingError(f"{name}: columns should map each field to a column caption")
    known = set(FIELDS[kind]) if kind else {f for fields in FIELDS.values() for f in fields}
    columns: Captions = {}
    for key, value in raw.items():
        if key not in known:
            raise MappingError(
                f"{name}: {key!r} is not a field we import; the fields are "
                + ", ".join(sorted(known))
            )
        captions = [value] if isinstance(value, str) else value
        if (
            not isinstance(captions, list)
            or not captions
            or not all(isinstance(c, str) and c.strip() for c in captions)
        ):
            raise MappingError(f"{name}: the caption for {key} should be text or a list of text")
        columns[str(key)] = tuple(captions)
    return columns


def _roles(raw: Any, name: str) -> dict[str, SchoolRole]:
    if not isinstance(raw, dict):
        raise MappingError(f"{name}: roles should map each role name in the file to a role")
    allowed = ", ".join(sorted(r.value for r in IMPORTED_ROLES))
    roles: dict[str, SchoolRole] = {}
    for key, value in raw.items():
        try:
            role = SchoolRole(str(value))
        except ValueError:
            role = None
        if role not in IMPORTED_ROLES:
            raise MappingError(
                f"{name}: an import can give only these roles: {allowed} (not {value!r}); "
                "leadership roles are given by hand"
            )
        assert role is not None
        roles[role_key(str(key))] = role
    return roles


def captions_for(source: Source, kind: Kind, mapping: ColumnMapping | None) -> Captions:
    """The captions to look for: the system's preset with the mapping file's columns on top."""
    if source is Source.MAPPING:
        if mapping is None:
            raise MappingError("the mapping format needs a mapping file (--mapping)")
        base: Captions = {}
    else:
        base = dict(PRESETS[source][kind]) if source in PRESETS else {}
    if mapping is not None:
        if mapping.kind is not None and mapping.kind is not kind:
            raise MappingError(f"the mapping file is for {mapping.kind}, not {kind}")
        base.update(mapping.columns)
    return base


# The words of a role or job title that say teaching or support, for files without a mapping.
_SUPPLY = re.compile(r"\bsupply\b")
_SUPPORT = re.compile(
    r"\b(?:teaching assistants?|classroom assistants?|ta|hlta|lsa|support|cover supervisor)\b"
)
_TEACHER = re.compile(
    r"\b(?:teachers?|teaching|lecturer|head of|headteacher|head teacher|principal|senco"
    r"|deputy head|assistant head|tutor)\b"
)


def role_from_text(
    text: str | None, explicit: Mapping[str, SchoolRole], default: SchoolRole
) -> SchoolRole:
    """The role a staff member's role or job text gives: the mapping file's entry for it, else
    supply, support or teacher by its words, else ``default``."""
    if not text:
        return default
    key = role_key(text)
    if key in explicit:
        return explicit[key]
    if key in ("teacher", "staff_teacher", "teaching"):
        return SchoolRole.STAFF_TEACHER
    if key in ("support", "staff_support", "non-teaching", "non teaching"):
        return SchoolRole.STAFF_SUPPORT
    if _SUPPLY.search(key):
        return SchoolRole.SUPPLY
    # "Teaching Assistant" names teaching but is a support role: support words are read first.
    if _SUPPORT.search(key):
        return SchoolRole.STAFF_SUPPORT
    if _TEACHER.search(key):
        return SchoolRole.STAFF_TEACHER
    return default
