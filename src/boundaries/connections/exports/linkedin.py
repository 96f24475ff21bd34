"""LinkedIn ``Connections.csv``, from "Get a copy of your data".

A block of notes comes before the header, so the header row is found by looking for
``First Name`` and ``Last Name`` rather than skipped by count; fed straight to a CSV reader the
file would silently give no rows.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import unquote, urlparse

from boundaries.connections.exports.common import (
    FileResult,
    UnreadableFile,
    decode_text,
    from_text,
    norm_key,
)
from boundaries.connections.model import Connection, ConnectionKind, Platform

FILE_NAME = "connections.csv"
HEADER_SEARCH_ROWS = 30
NO_NAME = "LinkedIn connections with no name (hidden or closed accounts)"

EXPECTED = (
    "LinkedIn's Connections.csv, with a header row naming the columns "
    "First Name, Last Name, URL, Email Address, Company, Position and Connected On"
)


def read_file(path: str, data: bytes) -> FileResult:
    text = decode_text(data)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise UnreadableFile(f"We could not read {path}: we expected {EXPECTED}.") from exc
    header_at = _header_row(rows)
    if header_at is None:
        raise UnreadableFile(f"We could not find the header row in {path}: we expected {EXPECTED}.")
    columns = {norm_key(name): i for i, name in reversed(list(enumerate(rows[header_at])))}
    result = FileResult(Platform.LINKEDIN)
    seen: set[str] = set()
    nameless = 0
    for row in rows[header_at + 1 :]:
        if not any(cell.strip() for cell in row):
            continue

        def cell(*names: str, row: list[str] = row) -> str:
            for name in names:
                at = columns.get(norm_key(name))
                if at is not None and at < len(row):
                    return row[at].strip()
            return ""

        name = " ".join(p for p in (cell("First Name"), cell("Last Name")) if p)
        url = cell("URL", "Profile URL")
        if not name and not url:
            nameless += 1
            continue
        key = _url_key(url)
        if key and key in seen:  # the same person exported twice with address variants
            continue
        seen.add(key)
        extra = tuple(
            (label, value)
            for label, value in (
                ("company", cell("Company")),
                ("position", cell("Position")),
                ("email", cell("Email Address", "Email")),
            )
            if value
        )
        result.connections.append(
            Connection(
                platform=Platform.LINKEDIN,
                kind=ConnectionKind.CONNECTION,
                name=name,
                handle=_slug(url),
                url=url,
                since=from_text(cell("Connected On")),
                source_file=path,
                extra=extra,
            )
        )
    if nameless:
        result.unmatchable[NO_NAME] = nameless
    return result


def _header_row(rows: list[list[str]]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = {norm_key(cell) for cell in row}
        if "firstname" in keys and "lastname" in keys:
            return index
    return None


def _slug(url: str) -> str:
    """The part after /in/ in a profile address ("priya-patel-1a2b3c"), which often holds a name."""
    parts = [p for p in urlparse(url).path.split("/") if p]
    if len(parts) >= 2 and parts[0].lower() in ("in", "pub"):
        return unquote(parts[1])
    return ""


def _url_key(url: str) -> str:
    if not url:
        return ""
    parsed = urlparse(url.strip().lower())
    return parsed.netloc.removeprefix("www.") + parsed.path.rstrip("/")
