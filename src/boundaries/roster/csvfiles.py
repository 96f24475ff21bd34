"""Reading CSV reports as SIMS, Arbor, Bromcom and Excel write them.

The quirks handled: a UTF-8 byte-order mark (Excel's "CSV UTF-8"), Windows-1252 text (Excel's
plain "CSV" on a UK PC), UTF-16 (Excel's "Unicode text", tab-separated), semicolons or tabs for
commas, captions with trailing spaces, ``?`` in empty cells, ``="0123"`` cells, empty trailing
columns and blank lines. Line numbers are as a spreadsheet shows them: the header is line 1.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

from boundaries.roster.fields import clean_cell
from boundaries.roster.presets import Captions, normalise_caption
from boundaries.roster.records import InputFile, Origin, RawRow, RowError

# Large enough for any real cell, small enough that a runaway quote cannot eat the file.
csv.field_size_limit(1_000_000)


@dataclass
class CsvTable:
    """A file's header and rows, each row with the line it starts on."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    header_line: int = 1


class CsvUnreadable(ValueError):
    """The file is not CSV text we can read (the message says why)."""


def decode(data: bytes) -> str:
    """The text of a file: UTF-16 or UTF-8 by their byte-order marks, UTF-8, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" is Windows-1252 on a UK PC; every byte decodes, so this is last.
        return data.decode("cp1252", errors="replace")


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_table(file: InputFile) -> CsvTable:
    """Header and data rows of a CSV file; blank lines and empty rows are left out."""
    text = decode(file.data)
    if "\x00" in text:
        raise CsvUnreadable("it is not a CSV file (it holds binary data; save it as CSV)")
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise CsvUnreadable("it is empty")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    header: list[str] | None = None
    header_line = 1
    rows: list[tuple[int, list[str]]] = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise CsvUnreadable(f"line {start} cannot be read as CSV ({exc})") from None
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header, header_line = cells, start  # blank lines above it still count
            continue
        rows.append((start, cells))
    assert header is not None
    while header and not header[-1].strip():
        header.pop()
    return CsvTable(header=header, rows=rows, header_line=header_line)


def locate_columns(
    header: list[str], captions: Captions
) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """For each field, the index and caption of its column; and any captions given twice."""
    positions: dict[str, int] = {}
    seen: dict[str, int] = {}
    twice: list[str] = []
    for index, caption in enumerate(header):
        key = normalise_caption(caption)
        if not key:
            continue
        if key in seen:
            twice.append(caption.strip())
        else:
            seen[key] = index
    found_captions: dict[str, str] = {}
    for name, options in captions.items():
        for option in options:
            column = seen.get(normalise_caption(option))
            if column is not None:
                positions[name] = column
                found_captions[name] = header[column].strip()
                break
    return positions, found_captions, twice


@dataclass
class CsvRows:
    """A CSV file read under our field names."""

    rows: list[RawRow]
    errors: list[RowError]
    captions: dict[str, str]  # field to the caption it was found under
    header_line: int = 1
    lines: int = 0  # data rows in the file, including any refused
    unreadable: bool = False


def csv_rows(file: InputFile, captions: Captions) -> CsvRows:
    """The rows of a CSV file under our field names, with the problems found."""
    try:
        table = read_table(file)
    except CsvUnreadable as exc:
        error = RowError(file.name, 1, None, f"The file cannot be read: {exc}.")
        return CsvRows([], [error], {}, unreadable=True)
    positions, found, twice = locate_columns(table.header, captions)
    errors: list[RowError] = []
    used = set(positions.values())
    for caption in twice:
        if any(normalise_caption(table.header[i]) == normalise_caption(caption) for i in used):
            errors.append(
                RowError(
                    file.name, table.header_line, caption, "This column appears twice; keep one."
                )
            )
    rows: list[RawRow] = []
    width = len(table.header)
    for line, cells in table.rows:
        origin = Origin(file.name, line)
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            errors.append(
                origin.error(
                    None,
                    f"The row has {len(cells)} values but the header has {width} columns "
                    "(a comma inside a value needs quotes).",
                )
            )
            continue
        values = {
            name: clean_cell(cells[index]) if index < len(cells) else None
            for name, index in positions.items()
        }
        rows.append(RawRow(origin, values, found))
    return CsvRows(rows, errors, found, table.header_line, len(table.rows))
