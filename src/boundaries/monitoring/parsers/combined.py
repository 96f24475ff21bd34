"""Apache/NCSA combined and common log lines, and Squid's ``combined``/``common`` formats,
which append `` TCP_MISS:HIER_DIRECT`` (result code and hierarchy):

``client ident user [02/Feb/2016:17:44:13 +0000] "GET url HTTP/1.1" status bytes "ref" "agent"``

Only Squid's result code says that the proxy refused a request (``TCP_DENIED``); a bare 403
may come from the site itself, so it is not counted as blocked.
"""

from __future__ import annotations

import re
from datetime import datetime

from boundaries.monitoring.parsers.record import LogRecord, ParseError, dash, number

FORMAT = "combined"
_LINE = re.compile(
    r'^(\S+) (\S+) (\S+) \[([^\]]+)\] "([^"]*)" (\d{3}|-) (\d+|-)'
    r'(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?(?: ([A-Z_]+):([A-Z_]+))?\s*$'
)


def sniff(line: str) -> bool:
    return _LINE.match(line) is not None


def parse(line: str) -> LogRecord:
    match = _LINE.match(line)
    if match is None:
        raise ParseError("not an Apache combined or common log line")
    client, _ident, user, when, request, status, size, _ref, _agent, code, _hier = match.groups()
    try:
        at = datetime.strptime(when, "%d/%b/%Y:%H:%M:%S %z")
    except ValueError:
        raise ParseError(f"the time is not like 02/Feb/2016:17:44:13 +0000: {when!r}") from None
    parts = request.split()
    if len(parts) not in (2, 3):
        raise ParseError("the request is not “METHOD URL PROTOCOL”")
    status_code = number(status, "status")
    return LogRecord(
        at=at,
        client=client,
        url=parts[1],
        method=parts[0].upper(),
        status=status_code,
        bytes=number(size, "bytes"),
        user=dash(user),
        result=code,
        blocked=code is not None and "DENIED" in code and status_code != 407,
    )
