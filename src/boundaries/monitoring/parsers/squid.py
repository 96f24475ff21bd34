"""Squid's native access.log (``logformat squid``, the default; e2guardian's format 3 too):

``time.ms elapsed client code/status bytes method URL user hierarchy/peer type``

The elapsed time is right-aligned, so fields are separated by runs of spaces. HTTPS without
SSL bumping is logged as ``CONNECT host:443``. ``log_mime_hdrs on`` appends bracketed header
fields, which are ignored. Large files are read by DuckDB with :data:`LINE_PATTERN` (see
``ingest``); this module reads the same lines in Python for detection and small samples.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from boundaries.monitoring.parsers.record import LogRecord, ParseError, dash

FORMAT = "squid"
# Groups: seconds, milliseconds, elapsed, client, result code, status, bytes, method, URL,
# user, hierarchy/peer, MIME type. Squid pads only the elapsed time (``%6tr``); every other
# field is followed by one space. RE2 and Python's re read the pattern alike: DuckDB checks
# each line against it and then splits the line on spaces (see ``ingest``).
LINE_PATTERN = (
    r"^(\d{9,11})(?:\.(\d{1,6}))? +(-?\d+) (\S+) ([A-Za-z_]+)/(\d{1,3}) (\d+)"
    r" ([A-Za-z_-]+) (\S+) (\S+) (\S+)(?: ([^ \[]\S*))?(?: .*)?$"
)
GROUPS = (
    "sec",
    "frac",
    "elapsed",
    "client",
    "code",
    "status",
    "bytes",
    "method",
    "url",
    "user",
    "hier",
    "mime",
)
_LINE = re.compile(LINE_PATTERN)


def is_blocked(code: str, status: int) -> bool:
    """Squid's own denials (``TCP_DENIED/403``, ``TCP_DENIED_REPLY/403``); a 407 is the
    proxy asking for a password, not a block."""
    return "DENIED" in code.upper() and status != 407


def sniff(line: str) -> bool:
    return _LINE.match(line) is not None


def parse(line: str) -> LogRecord:
    match = _LINE.match(line.rstrip("\r\n"))
    if match is None:
        raise ParseError("not a Squid native log line")
    sec, frac, elapsed, client, code, status, size, method, url, user, _hier, mime = match.groups()
    micros = int((frac or "0").ljust(6, "0"))
    at = datetime.fromtimestamp(int(sec), UTC).replace(microsecond=micros)
    status_code = int(status)
    return LogRecord(
        at=at,
        client=client,
        url=url,
        method=method.upper(),
        status=status_code,
        bytes=int(size),
        elapsed_ms=int(elapsed),
        user=dash(user),
        result=code,
        blocked=is_blocked(code, status_code),
        mime=dash(mime or ""),
    )
