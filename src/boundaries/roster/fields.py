"""Reading one value from an MIS export: dates, UPNs, year groups, e-mail addresses, yes/no.

Each reader takes the text as the file gave it and returns the value, or raises
:class:`FieldProblem` with a sentence for the person who will fix the MIS record.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from stdnum.exceptions import InvalidComponent, ValidationError
from stdnum.gb import upn as stdnum_upn

# SIMS writes 06/06/2079 where a record has no end date (the Assembly API shows it too); some
# other systems use the last day of 9999. Either means "no date".
NO_END_DATES = frozenset({date(2079, 6, 6), date(9999, 12, 31)})
# What SIMS and Excel put in a cell that has nothing in it.
PLACEHOLDERS = frozenset({"?", "-", "n/a", "#n/a", "null"})

_DMY = re.compile(
    r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?")
_WORDY = re.compile(r"(\d{1,2})[ \-]([A-Za-z]{3,9})[ \-](\d{2,4})")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_EMAIL = re.compile(
    r"[^@\s<>(),;:\"\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+"
)
_YEAR_NUMBER = re.compile(r"(?:nc\s*)?(?:year|yr|y)?\s*(\d{1,2})")
_RECEPTION = frozenset({"r", "rec", "reception", "yr", "year r", "y r", "fs2", "f2", "yrec"})
_NURSERY = frozenset({"n", "n1", "n2", "nursery", "nursery 1", "nursery 2", "fs1", "f1", "yn"})
_YES = frozenset({"y", "yes", "true", "t", "1"})
_NO = frozenset({"n", "no", "false", "f", "0"})


class FieldProblem(ValueError):
    """A value that cannot be used; the message says why, in a sentence."""


def clean_cell(value: str | None) -> str | None:
    """A cell's text with spaces trimmed, Excel's ``="0123"`` undone, and placeholders as none."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", value).replace("\u00a0", " ").strip()
    # Excel users keep leading zeros by writing ="000123"; the quotes are not part of the value.
    if len(text) >= 3 and text.startswith('="') and text.endswith('"'):
        text = text[2:-1].strip()
    if not text or text.lower() in PLACEHOLDERS:
        return None
    return text


def parse_date(value: str, formats: tuple[str, ...] = ()) -> date | None:
    """A date written the UK way (25/11/2026, 25-Nov-2026) or as ISO 8601 (2026-11-25).

    ``formats`` (strptime patterns from a mapping file) are tried first. The no-end-date
    sentinels give ``None``. Two-digit years are refused: 01/02/03 could be three centuries.
    """
    text = value.strip()
    found: date | None = None
    for pattern in formats:
        try:
            found = datetime.strptime(text, pattern).date()
            break
        except ValueError:
            continue
    if found is None:
        found = _builtin_date(text)
    return None if found in NO_END_DATES else found


def _builtin_date(text: str) -> date:
    day: int
    month: int
    year_text: str
    if match := _ISO.fullmatch(text):
        return _make_date(int(match[1]), int(match[2]), int(match[3]), text)
    if match := _DMY.fullmatch(text):
        day, month, year_text = int(match[1]), int(match[2]), match[3]
    elif match := _WORDY.fullmatch(text):
        month_number = _MONTHS.get(match[2].lower())
        if month_number is None:
            raise FieldProblem(f"“{text}” is not a date: write it as DD/MM/YYYY.")
        day, month, year_text = int(match[1]), month_number, match[3]
    else:
        raise FieldProblem(f"“{text}” is not a date: write it as DD/MM/YYYY.")
    if len(year_text) != 4:
        raise FieldProblem(f"“{text}” has a two-digit year: write the year in full (DD/MM/YYYY).")
    return _make_date(int(year_text), month, day, text)


def _make_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise FieldProblem(
            f"“{text}” is not a real date (the day or month is out of range; "
            "dates are read as DD/MM/YYYY)."
        ) from None


def parse_upn(value: str) -> str:
    """A UPN in capitals, with its check letter verified (python-stdnum).

    python-stdnum also checks the local-authority number against the 2011 list; authorities
    made since (such as the Northamptonshire ones of 2021) issue real UPNs, so an unknown
    authority is accepted when the check letter is right.
    """
    number = stdnum_upn.compact(value)
    try:
        return str(stdnum_upn.validate(number))
    except InvalidComponent:
        if stdnum_upn.calc_check_digit(number[1:]) == number[0]:
            return number
        raise FieldProblem(f"UPN “{value}” has the wrong check letter.") from None
    except ValidationError:
        if len(number) != 13:
            raise FieldProblem(f"UPN “{value}” should be 13 characters long.") from None
        if not number[1:12].isdigit():
            raise FieldProblem(
                f"UPN “{value}” should be a letter followed by 11 digits and a last digit or "
                "letter."
            ) from None
        raise FieldProblem(f"UPN “{value}” has the wrong check letter.") from None


def parse_year_group(value: str) -> str:
    """A year group as screening names it: "Nursery", "Reception" or "Year 1" to "Year 14"."""
    key = " ".join(value.lower().replace("-", " ").split())
    if key in _RECEPTION:
        return "Reception"
    if key in _NURSERY:
        return "Nursery"
    match = _YEAR_NUMBER.fullmatch(key)
    if match is not None and 1 <= int(match[1]) <= 14:
        return f"Year {int(match[1])}"
    raise FieldProblem(f"“{value}” is not a year group we know: use N, R or a number from 1 to 14.")


def parse_email(value: str) -> str:
    """An e-mail address in lower case; the first of several separated by ``;`` or ``,``."""
    first = re.split(r"[;,]", value.strip())[0].strip()
    if len(first) > 320 or not _EMAIL.fullmatch(first):
        raise FieldProblem(f"“{value}” is not an e-mail address.")
    return first.lower()


def parse_yes_no(value: str) -> bool:
    """Yes or no, as MIS exports write it (Yes/No, Y/N, True/False, 1/0)."""
    key = value.strip().lower()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise FieldProblem(f"“{value}” should be Yes or No.")


def limit(value: str, length: int) -> str:
    """``value`` if it fits a column of ``length`` characters."""
    if len(value) > length:
        raise FieldProblem(f"“{value[:40]}…” is longer than {length} characters.")
    return value
