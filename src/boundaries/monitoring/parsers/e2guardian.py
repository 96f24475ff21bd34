"""e2guardian (DansGuardian's successor) access logs, by its ``logfileformat`` setting:

- 1 (DansGuardian, space-separated), 2 (CSV, every field quoted) and 4 (tab-separated):
  ``when who from where what how size weight category filtergroupNo httpcode mimetype
  clienthost groupname useragent …`` with ``when`` as ``2024.03.27 10:15:01`` in local time;
- 5 to 8 ("Protex", tab-separated, 8 is the default): ``utime server user clientIP
  [clienthost] URL method code size mimetype useragent - duration - msgno what weight
  category groupname groupNo [searchterms flags]`` with ``utime`` as epoch seconds.milliseconds;
- 3 is Squid's native format, read by the Squid parser.

A block's ``what`` is ``*DENIED* Blocked site: …`` (an exception is ``*TRUSTED* …``).
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime, tzinfo

from boundaries.monitoring.parsers.record import METHODS, LogRecord, ParseError, dash, number

FORMAT = "e2guardian"
_WHEN = re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})")
_EPOCH = re.compile(r"\d{9,11}(?:\.\d{1,6})?")
# Format 1: the message and the category may hold spaces, so the line is anchored on the
# fields that cannot (the method, the sizes, the group number and the HTTP status).
_SPACED = re.compile(
    r"^(\d{4}\.\d{1,2}\.\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}) (\S+) (\S+) (\S+) ?(.*?) ?"
    r"\b(" + "|".join(sorted(METHODS)) + r") (-?\d+) (-?\d+) ?(.*?) ?(\d+) (\d{3}) ?(\S*)"
    r"(?: (\S*))?.*$"
)


def _local(text: str, zone: tzinfo) -> datetime:
    match = _WHEN.fullmatch(text.strip())
    if match is None:
        raise ParseError(f"the time is not like 2024.03.27 10:15:01: {text[:40]!r}")
    year, month, day, hour, minute, second = (int(g) for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:
        raise ParseError(f"the time is not a real time: {text[:40]!r}") from None


def _epoch(text: str) -> datetime:
    if not _EPOCH.fullmatch(text.strip()):
        raise ParseError(f"the time is not seconds since 1970: {text[:40]!r}")
    sec, _, frac = text.strip().partition(".")
    return datetime.fromtimestamp(int(sec), UTC).replace(microsecond=int(frac.ljust(6, "0")))


def _denied(what: str | None) -> bool:
    return what is not None and "DENIED" in what.upper()


def _record(
    at: datetime,
    user: str,
    client: str,
    url: str,
    what: str,
    method: str,
    size: str,
    category: str,
    code: str,
    mime: str,
    clienthost: str | None,
    elapsed: str | None = None,
) -> LogRecord:
    if method.upper() not in METHODS:
        raise ParseError(f"the method is not an HTTP method: {method[:20]!r}")
    if not url.strip():
        raise ParseError("the URL is empty")
    message = dash(what)
    return LogRecord(
        at=at,
        client=client.strip(),
        url=url.strip(),
        method=method.upper(),
        status=number(code, "HTTP status"),
        bytes=number(size, "size"),
        elapsed_ms=number(elapsed, "duration") if elapsed is not None else None,
        user=dash(user),
        result=message,
        blocked=_denied(message),
        client_host=dash(clienthost or ""),
        provider_category=dash(category),
        mime=dash(mime),
    )


def sniff(line: str) -> str | None:
    """The variant a line is in ("spaced", "csv", "tab" or "protex"), or None."""
    if "\t" in line:
        first = line.split("\t", 1)[0]
        if _EPOCH.fullmatch(first):
            return "protex"
        if _WHEN.fullmatch(first):
            return "tab"
        return None
    if line.startswith('"') and _WHEN.match(line[1:]):
        return "csv"
    if _SPACED.match(line):
        return "spaced"
    return None


def parse(line: str, variant: str, zone: tzinfo) -> LogRecord:
    if variant == "protex":
        return _parse_protex(line.rstrip("\r\n").split("\t"))
    if variant in ("tab", "csv"):
        fields = (
            next(csv.reader([line]), []) if variant == "csv" else line.rstrip("\r\n").split("\t")
        )
        if len(fields) < 12:
            raise ParseError(f"{len(fields)} fields where e2guardian writes at least 12")
        return _record(
            _local(fields[0], zone),
            fields[1],
            fields[2],
            fields[3],
            fields[4],
            fields[5],
            fields[6],
            fields[8],
            fields[10],
            fields[11],
            fields[12] if len(fields) > 12 else None,
        )
    match = _SPACED.match(line.rstrip("\r\n"))
    if match is None:
        raise ParseError("not an e2guardian log line")
    when, who, client, url, what, method, size, _weight, category, _group, code, mime, host = (
        match.groups()
    )
    return _record(
        _local(when, zone), who, client, url, what, method, size, category, code, mime, host
    )


def _parse_protex(fields: list[str]) -> LogRecord:
    # The client host name is optional: the URL sits before the method either way.
    if len(fields) > 6 and fields[5].upper() in METHODS:
        clienthost, rest = None, fields[4:]
    elif len(fields) > 7 and fields[6].upper() in METHODS:
        clienthost, rest = fields[4], fields[5:]
    else:
        raise ParseError("no HTTP method where e2guardian writes one")
    if len(rest) < 13:
        raise ParseError(f"{len(fields)} fields where e2guardian writes at least 17")
    url, method, code, size, mime = rest[0], rest[1], rest[2], rest[3], rest[4]
    elapsed, what, category = rest[7], rest[10], rest[12]
    return _record(
        _epoch(fields[0]),
        fields[2],
        fields[3],
        url,
        what,
        method,
        size,
        category,
        code,
        mime,
        clienthost,
        elapsed,
    )
