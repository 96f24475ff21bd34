"""The one shape every log format is read into, and what a parser raises on a bad line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

METHODS = frozenset(
    {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE", "PROPFIND"}
)


class ParseError(ValueError):
    """A line that is not in the format its file is in; the message says why."""


@dataclass(slots=True)
class LogRecord:
    """One request, whatever log it came from. ``at`` is aware (any zone)."""

    at: datetime
    client: str
    url: str
    method: str | None = None
    status: int | None = None
    bytes: int | None = None
    elapsed_ms: int | None = None
    user: str | None = None
    result: str | None = None  # Squid's result code, e2guardian's message, a filter's action
    blocked: bool = False
    client_host: str | None = None
    provider_category: str | None = None
    mime: str | None = None


def host_of_url(url: str) -> str | None:
    """The host a URL (``http://host:port/path``), a ``CONNECT host:port`` target or a
    scheme-less ``host/path`` points at, in lower case without brackets or trailing dot.

    ``ingest`` does the same steps in DuckDB's SQL for Squid files (``HOST_SQL``), so every
    format agrees on what a line's host is; keep the two in step."""
    rest = url.split("://", 1)[1] if "://" in url else url
    authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rsplit("@", 1)[-1]
    if authority.startswith("["):
        host = authority[1:].split("]", 1)[0]
    else:
        host = authority.split(":", 1)[0]
    return host.rstrip(".").lower() or None


# The same steps as :func:`host_of_url`, for DuckDB, over a column named ``url``.
HOST_SQL = """nullif(lower(rtrim(CASE WHEN starts_with(authority, '[')
        THEN split_part(substr(authority, 2), ']', 1)
        ELSE split_part(authority, ':', 1) END, '.')), '')"""
AUTHORITY_SQL = """split_part(split_part(split_part(split_part(
        CASE WHEN contains(url, '://') THEN substr(url, strpos(url, '://') + 3) ELSE url END,
        '/', 1), '?', 1), '#', 1), '@', -1)"""


def dash(value: str) -> str | None:
    """Logs write ``-`` (or nothing) for an empty field."""
    value = value.strip()
    return None if value in ("", "-") else value


def number(value: str, field: str) -> int | None:
    value = value.strip()
    if value in ("", "-"):
        return None
    try:
        return int(value)
    except ValueError:
        raise ParseError(f"{field} is not a number: {value[:40]!r}") from None
