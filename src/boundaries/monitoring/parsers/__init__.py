"""Proxy and filter log formats: one module each, and :func:`detect` to tell them apart."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import tzinfo

from boundaries.monitoring.parsers import combined, e2guardian, smoothwall, squid
from boundaries.monitoring.parsers.record import LogRecord, ParseError, host_of_url

__all__ = [
    "FORMATS",
    "LineParser",
    "LogRecord",
    "ParseError",
    "detect",
    "host_of_url",
    "line_parser",
]

# Names accepted for a file's format; e2guardian's variants are detected within its name.
FORMATS = ("squid", "combined", "e2guardian", "smoothwall")
SNIFF_LINES = 20

LineParser = Callable[[str], LogRecord | None]


def detect(lines: Iterable[str]) -> str | None:
    """The format most of the first non-blank lines are in, or None."""
    sample = [line for line in lines if line.strip()][:SNIFF_LINES]
    if not sample:
        return None
    if smoothwall.sniff_header(sample[0]):
        return "smoothwall"
    votes: Counter[str] = Counter()
    for line in sample:
        if squid.sniff(line):
            votes["squid"] += 1
        elif combined.sniff(line):
            votes["combined"] += 1
        elif e2guardian.sniff(line):
            votes["e2guardian"] += 1
    if not votes:
        return None
    return votes.most_common(1)[0][0]


def line_parser(
    log_format: str,
    zone: tzinfo,
    smoothwall_columns: Mapping[str, str] | None = None,
) -> LineParser:
    """A function reading one line of a file in ``log_format`` (None for a line that holds no
    request, such as a header); it raises :class:`ParseError` for a malformed line."""
    if log_format == "squid":
        return squid.parse
    if log_format == "combined":
        return combined.parse
    if log_format == "e2guardian":
        variant: list[str] = []

        def parse_e2(line: str) -> LogRecord:
            # The variant is fixed by the file's first good line.
            if not variant:
                found = e2guardian.sniff(line)
                if found is None:
                    raise ParseError("not an e2guardian log line")
                variant.append(found)
            return e2guardian.parse(line, variant[0], zone)

        return parse_e2
    if log_format == "smoothwall":
        return smoothwall.SmoothwallReader(zone, smoothwall_columns).parse
    raise ValueError(f"Unknown log format {log_format!r}: use one of {', '.join(FORMATS)}.")
