"""From the files handed in to checked records: CSV through a preset or mapping, or Wonde JSON.

This is the one entry point the importer uses: :func:`read_files` reads every file of one
import, checks every row and returns the records with every problem found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from boundaries.roster.csvfiles import csv_rows
from boundaries.roster.presets import ColumnMapping, captions_for
from boundaries.roster.records import (
    ContactIn,
    InputFile,
    Kind,
    PupilIn,
    RawRow,
    RowError,
    Source,
    StaffIn,
)
from boundaries.roster.validate import (
    check_contacts,
    check_pupils,
    check_staff,
    missing_columns,
)
from boundaries.roster.wonde import wonde_rows
from boundaries.store import SchoolRole


@dataclass
class ParsedImport:
    """Everything read from one import's files."""

    kind: Kind
    source: Source
    rows: int = 0
    pupils: list[PupilIn] = field(default_factory=list)
    staff: list[StaffIn] = field(default_factory=list)
    contacts: list[ContactIn] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_files(
    files: Sequence[InputFile],
    kind: Kind,
    source: Source,
    *,
    mapping: ColumnMapping | None = None,
    default_role: SchoolRole = SchoolRole.STAFF_SUPPORT,
    today: date,
) -> ParsedImport:
    """Read and check every file; raises ``MappingError`` if the mapping cannot serve ``kind``.

    The same field may come from different captions in different files (a SIMS report edited by
    hand), so columns are found file by file.
    """
    parsed = ParsedImport(kind=kind, source=source)
    rows: list[RawRow] = []
    if source is Source.WONDE:
        rows, parsed.errors = wonde_rows(list(files), kind)
    else:
        captions = captions_for(source, kind, mapping)
        for file in files:
            read = csv_rows(file, captions)
            parsed.errors += read.errors
            parsed.rows += read.lines
            if not read.unreadable:
                parsed.errors += missing_columns(
                    kind, read.captions, captions, file.name, read.header_line
                )
            rows += read.rows
    if source is Source.WONDE:
        parsed.rows = len(rows)
    formats = mapping.date_formats if mapping else ()
    if kind is Kind.PUPILS:
        parsed.pupils, problems = check_pupils(rows, formats, today)
    elif kind is Kind.STAFF:
        roles = mapping.roles if mapping else {}
        parsed.staff, problems = check_staff(rows, formats, roles, default_role)
    else:
        parsed.contacts, problems = check_contacts(rows, formats)
    parsed.errors += problems
    parsed.errors.sort(key=lambda e: (e.file, e.row))
    return parsed
