"""Reading Wonde API responses saved as JSON: students, leavers, employees and contacts.

What is known (``shared/formats/real-input-formats.md`` §6b): ``forename`` and ``surname`` are
the preferred names and ``legal_*`` are often null; dates are objects
``{"date": "2011-05-09 00:00:00.000000", "timezone_type": 3, "timezone": "Europe/London"}``;
includes are wrapped in ``{"data": ...}``; responses are paged (``meta.pagination.next``), and
leavers come from their own ``students-leaver`` endpoint.

Assumptions where Wonde's documentation was not to hand: employees carry
``contact_details.data.emails.{work,email,primary}`` and
``employment_details.data.{staff_code, teaching_staff, job_title, employment_start_date,
employment_end_date}``; contacts carry ``students.data[]`` (or students carry
``contacts.data[]``), each link with a ``relationship`` object holding ``relationship`` and
``parental_responsibility``.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

from boundaries.roster.records import InputFile, Kind, Origin, RawRow, RowError

_LONDON = ZoneInfo("Europe/London")
_ENDPOINTS = ("students-leaver", "students", "employees", "contacts")


@dataclass
class _Page:
    file: InputFile
    records: list[Any]
    endpoint: str | None
    number: int | None
    has_next: bool


def _dig(record: Any, *path: str) -> Any:
    """``record[a]["data"][b]...``: Wonde wraps every include in ``{"data": ...}``."""
    value = record
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
        if isinstance(value, dict) and set(value) == {"data"}:
            value = value["data"]
    return value


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value).strip()
    return text or None


def wonde_date(value: Any) -> str | None:
    """A Wonde date object as ISO 8601 text, read on the London calendar.

    A birth date sent as UTC midnight-minus-an-hour in summer time is still the London date;
    anything that is not a date object is passed on as text for the date check to refuse.
    """
    if value is None:
        return None
    if isinstance(value, dict):
        raw = value.get("date")
        if not isinstance(raw, str):
            return _text(raw)
        zone_name = value.get("timezone")
        try:
            moment = datetime.fromisoformat(raw.strip())
        except ValueError:
            return raw
        if isinstance(zone_name, str) and zone_name and zone_name != "Europe/London":
            # An unknown zone leaves the wall-clock date, the best there is.
            with contextlib.suppress(KeyError, ValueError):
                moment = moment.replace(tzinfo=ZoneInfo(zone_name)).astimezone(_LONDON)
        return moment.date().isoformat()
    return _text(value)


def _endpoint(url: Any) -> str | None:
    if not isinstance(url, str):
        return None
    path = urlparse(url).path.rstrip("/")
    last = path.rsplit("/", 1)[-1]
    return last if last in _ENDPOINTS else None


def _page_param(url: Any) -> int | None:
    if not isinstance(url, str):
        return None
    values = parse_qs(urlparse(url).query).get("page")
    if values and values[0].isdigit():
        return int(values[0])
    return None


def _read_page(file: InputFile) -> _Page | RowError:
    try:
        data = json.loads(file.data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return RowError(file.name, 1, None, f"The file is not JSON we can read ({exc}).", "record")
    if isinstance(data, list):
        return _Page(file, data, None, None, False)
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        return RowError(
            file.name,
            1,
            None,
            'The file is not a Wonde response: it should hold {"data": [...]}.',
            "record",
        )
    pagination = _dig(data, "meta", "pagination") or {}
    following = pagination.get("next") if isinstance(pagination, dict) else None
    previous = pagination.get("previous") if isinstance(pagination, dict) else None
    number: int | None = None
    if isinstance(pagination, dict) and isinstance(pagination.get("current_page"), int):
        number = pagination["current_page"]
    elif (after := _page_param(following)) is not None:
        number = after - 1
    elif (before := _page_param(previous)) is not None:
        number = before + 1
    elif not following and not previous:
        number = 1
    return _Page(
        file,
        data["data"],
        _endpoint(following) or _endpoint(previous),
        number,
        bool(following),
    )


def _check_pages(pages: list[_Page]) -> list[RowError]:
    """Every page of each paged list must be here: a missing page would make its pupils look
    like leavers in a full import."""
    errors: list[RowError] = []
    chains: dict[str, list[_Page]] = {}
    for page in pages:
        if page.number is None:
            continue
        chains.setdefault(page.endpoint or "", []).append(page)
    for endpoint, chain in chains.items():
        label = f"the {endpoint} list" if endpoint else "the list"
        numbers: dict[int, _Page] = {}
        for page in chain:
            assert page.number is not None
            if page.number in numbers:
                errors.append(
                    RowError(
                        page.file.name,
                        1,
                        None,
                        f"Page {page.number} of {label} was given twice "
                        f"(also as {numbers[page.number].file.name}).",
                        "record",
                    )
                )
            numbers[page.number] = page
        last = max(numbers)
        for number in range(1, last + 1):
            if number not in numbers:
                errors.append(
                    RowError(
                        numbers[last].file.name,
                        1,
                        None,
                        f"Page {number} of {label} is missing; give every page.",
                        "record",
                    )
                )
        if numbers[last].has_next:
            errors.append(
                RowError(
                    numbers[last].file.name,
                    1,
                    None,
                    f"Page {last} of {label} says there is a page {last + 1}, which is missing.",
                    "record",
                )
            )
    return errors


def _pupil(record: dict[str, Any]) -> dict[str, str | None]:
    education = _dig(record, "education_details") or {}
    year = _dig(record, "year") or {}
    return {
        "mis_id": _text(record.get("id")),
        "legal_forename": _text(record.get("legal_forename")),
        "legal_surname": _text(record.get("legal_surname")),
        "preferred_forename": _text(record.get("forename")),
        "preferred_surname": _text(record.get("surname")),
        "date_of_birth": wonde_date(record.get("date_of_birth")),
        "upn": _text(education.get("upn")) if isinstance(education, dict) else None,
        "admission_number": (
            _text(education.get("admission_number")) if isinstance(education, dict) else None
        ),
        "admission_date": (
            wonde_date(education.get("admission_date")) if isinstance(education, dict) else None
        ),
        "leaving_date": (
            wonde_date(education.get("leaving_date")) if isinstance(education, dict) else None
        ),
        "year_group": (
            (_text(year.get("code")) or _text(year.get("name"))) if isinstance(year, dict) else None
        ),
    }


_PUPIL_CAPTIONS = {
    "mis_id": "id",
    "legal_forename": "legal_forename",
    "legal_surname": "legal_surname",
    "preferred_forename": "forename",
    "preferred_surname": "surname",
    "date_of_birth": "date_of_birth",
    "upn": "education_details.upn",
    "admission_number": "education_details.admission_number",
    "admission_date": "education_details.admission_date",
    "leaving_date": "education_details.leaving_date",
    "year_group": "year.code",
}


def _email(record: dict[str, Any]) -> str | None:
    emails = _dig(record, "contact_details", "emails")
    if isinstance(emails, dict):
        for key in ("work", "email", "primary", "home"):
            if found := _text(emails.get(key)):
                return found
    return _text(record.get("email"))


def _employee(record: dict[str, Any]) -> dict[str, str | None]:
    employment = _dig(record, "employment_details") or {}
    if not isinstance(employment, dict):
        employment = {}
    teaching = employment.get("teaching_staff")
    role = None if teaching is None else ("teacher" if teaching in (True, 1, "1") else "support")
    return {
        "mis_id": _text(record.get("id")),
        "title": _text(record.get("title")),
        "forename": _text(record.get("forename")),
        "surname": _text(record.get("surname")),
        "legal_forename": _text(record.get("legal_forename")),
        "legal_surname": _text(record.get("legal_surname")),
        "email": _email(record),
        "staff_code": _text(employment.get("staff_code")),
        "job_title": _text(employment.get("job_title")) or _text(employment.get("role")),
        "role": role,
        "start_date": wonde_date(employment.get("employment_start_date")),
        "leaving_date": wonde_date(employment.get("employment_end_date")),
    }


_EMPLOYEE_CAPTIONS = {
    "mis_id": "id",
    "title": "title",
    "forename": "forename",
    "surname": "surname",
    "legal_forename": "legal_forename",
    "legal_surname": "legal_surname",
    "email": "contact_details.emails",
    "staff_code": "employment_details.staff_code",
    "job_title": "employment_details.job_title",
    "role": "employment_details.teaching_staff",
    "start_date": "employment_details.employment_start_date",
    "leaving_date": "employment_details.employment_end_date",
}


def _link_values(link: dict[str, Any]) -> tuple[str | None, str | None]:
    relation = link.get("relationship")
    if isinstance(relation, dict):
        return _text(relation.get("relationship")), _text(relation.get("parental_responsibility"))
    return _text(relation), _text(link.get("parental_responsibility"))


def _contact_rows(record: dict[str, Any]) -> list[dict[str, str | None]]:
    """One row per contact-pupil link, from a contact with its students or a student with its
    contacts."""
    rows: list[dict[str, str | None]] = []
    students = _dig(record, "students")
    if isinstance(students, list):
        contact = record
        for student in students:
            if isinstance(student, dict):
                rows.append(_contact_link(contact, student, student))
        return rows
    contacts = _dig(record, "contacts")
    if isinstance(contacts, list):
        for contact in contacts:
            if isinstance(contact, dict):
                rows.append(_contact_link(contact, record, contact))
    return rows


def _contact_link(
    contact: dict[str, Any], student: dict[str, Any], link: dict[str, Any]
) -> dict[str, str | None]:
    relationship, responsibility = _link_values(link)
    education = _dig(student, "education_details")
    return {
        "mis_id": _text(contact.get("id")),
        "title": _text(contact.get("title")),
        "forename": _text(contact.get("forename")) or _text(contact.get("legal_forename")),
        "surname": _text(contact.get("surname")) or _text(contact.get("legal_surname")),
        "email": _email(contact),
        "relationship": relationship,
        "parental_responsibility": responsibility,
        "pupil_mis_id": _text(student.get("id")),
        "pupil_upn": _text(education.get("upn")) if isinstance(education, dict) else None,
        "pupil_admission_number": None,
    }


_CONTACT_CAPTIONS = {
    "mis_id": "id",
    "title": "title",
    "forename": "forename",
    "surname": "surname",
    "email": "contact_details.emails",
    "relationship": "relationship.relationship",
    "parental_responsibility": "relationship.parental_responsibility",
    "pupil_mis_id": "students.id",
    "pupil_upn": "students.education_details.upn",
}


def wonde_rows(files: list[InputFile], kind: Kind) -> tuple[list[RawRow], list[RowError]]:
    """The rows of saved Wonde responses (several pages, and leavers, in any order)."""
    pages: list[_Page] = []
    errors: list[RowError] = []
    for file in files:
        page = _read_page(file)
        if isinstance(page, RowError):
            errors.append(page)
        else:
            pages.append(page)
    errors += _check_pages(pages)
    rows: list[RawRow] = []
    for page in pages:
        for position, record in enumerate(page.records, start=1):
            origin = Origin(page.file.name, position, "record")
            if not isinstance(record, dict):
                errors.append(origin.error(None, "The record is not a JSON object."))
                continue
            if kind is Kind.PUPILS:
                rows.append(RawRow(origin, _pupil(record), _PUPIL_CAPTIONS))
            elif kind is Kind.STAFF:
                rows.append(RawRow(origin, _employee(record), _EMPLOYEE_CAPTIONS))
            else:
                rows.extend(
                    RawRow(origin, values, _CONTACT_CAPTIONS) for values in _contact_rows(record)
                )
    return rows, errors
