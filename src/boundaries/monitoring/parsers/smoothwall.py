"""Smoothwall's web filter log, as its "Export → CSV" button writes it, and similar exports
(Lightspeed's activity log). The exact header text is not documented, so columns are found by
name (compared without case, spaces or punctuation) and may be given explicitly; the first
line of the file is the header. Times without an offset are in the school's local time.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo

from boundaries.monitoring.parsers.record import LogRecord, ParseError, dash, number

FORMAT = "smoothwall"
ALIASES: dict[str, str] = {
    "time": "time",
    "datetime": "time",
    "timestamp": "time",
    "date": "time",
    "dateandtime": "time",
    "username": "user",
    "user": "user",
    "sourceip": "client",
    "clientip": "client",
    "ipaddress": "client",
    "ip": "client",
    "sourceaddress": "client",
    "computer": "client_host",
    "hostname": "client_host",
    "group": "group",
    "code": "status",
    "status": "status",
    "httpstatus": "status",
    "statuscode": "status",
    "url": "url",
    "destination": "url",
    "domain": "url",
    "site": "url",
    "categories": "category",
    "category": "category",
    "action": "action",
    "result": "action",
    "blocked": "action",
    "method": "method",
    "bytes": "bytes",
    "size": "bytes",
    "reason": "reason",
}
REQUIRED = ("time", "url")
# Actions that mean the filter stopped the request (Lightspeed writes "Redirected" when it
# sends the browser to its block page).
_BLOCKING = frozenset({"blocked", "block", "denied", "deny", "redirected", "refused", "yes"})
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%d-%m-%Y %H:%M:%S",
    "%d %b %Y %H:%M:%S",
)
_EPOCH = re.compile(r"\d{9,11}(?:\.\d{1,6})?")


def _key(caption: str) -> str:
    return re.sub(r"[^a-z0-9]", "", caption.strip().lower())


def columns_from_header(
    header: list[str], overrides: Mapping[str, str] | None = None
) -> dict[str, int] | None:
    """Our column name → position, from the header captions; None if it is not a header
    with at least a time and a URL column. ``overrides`` maps captions to our names."""
    extra = {_key(k): v for k, v in (overrides or {}).items()}
    columns: dict[str, int] = {}
    for index, caption in enumerate(header):
        key = extra.get(_key(caption)) or ALIASES.get(_key(caption))
        if key is not None and key not in columns:
            columns[key] = index
    return columns if all(c in columns for c in REQUIRED) else None


def sniff_header(line: str) -> bool:
    if "," not in line and ";" not in line:
        return False
    return columns_from_header(next(csv.reader([line], delimiter=_delimiter(line)), [])) is not None


def _delimiter(line: str) -> str:
    return ";" if line.count(";") > line.count(",") else ","


def parse_time(text: str, zone: tzinfo) -> datetime:
    value = text.strip()
    if _EPOCH.fullmatch(value):
        sec, _, frac = value.partition(".")
        return datetime.fromtimestamp(int(sec), UTC).replace(microsecond=int(frac.ljust(6, "0")))
    try:
        found = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return found if found.tzinfo else found.replace(tzinfo=zone)
    except ValueError:
        pass
    for pattern in _TIME_FORMATS:
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=zone)
        except ValueError:
            continue
    raise ParseError(f"the time is in no known form: {value[:40]!r}")


class SmoothwallReader:
    """Reads one export: the header first, then one request a line."""

    def __init__(self, zone: tzinfo, overrides: Mapping[str, str] | None = None) -> None:
        self.zone = zone
        self.overrides = overrides
        self.columns: dict[str, int] | None = None
        self.delimiter = ","

    def parse(self, line: str) -> LogRecord | None:
        """The line's request; None for the header."""
        if self.columns is None:
            self.delimiter = _delimiter(line)
            header = next(csv.reader([line], delimiter=self.delimiter), [])
            self.columns = columns_from_header(header, self.overrides)
            if self.columns is None:
                raise ParseError("the header names no time and URL columns")
            return None
        fields = next(csv.reader([line], delimiter=self.delimiter), [])
        columns = self.columns

        def cell(name: str) -> str:
            index = columns.get(name)
            return fields[index].strip() if index is not None and index < len(fields) else ""

        if len(fields) < len(columns) // 2 + 1:
            raise ParseError(f"{len(fields)} fields under a header of {len(columns)} known ones")
        url = cell("url")
        if not url:
            raise ParseError("the URL is empty")
        action = cell("action")
        status = number(cell("status"), "status")
        blocked = action.lower() in _BLOCKING if action else status == 403
        return LogRecord(
            at=parse_time(cell("time"), self.zone),
            client=cell("client") or "-",
            url=url,
            method=dash(cell("method")),
            status=status,
            bytes=number(cell("bytes"), "bytes"),
            user=dash(cell("user")),
            result=dash(action) or dash(cell("reason")),
            blocked=blocked,
            client_host=dash(cell("client_host")),
            provider_category=dash(cell("category")),
        )
