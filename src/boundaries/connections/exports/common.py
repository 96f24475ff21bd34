"""Shared pieces for the platform readers: results, errors, JSON and time helpers."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from boundaries.connections.model import Connection, Platform


class UnreadableFile(Exception):
    """A file we recognised but could not read; the message says what we expected."""


@dataclass
class FileResult:
    """What one file inside the export yielded."""

    platform: Platform
    connections: list[Connection] = field(default_factory=list)
    unmatchable: dict[str, int] = field(default_factory=dict)


def decode_text(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel and older Windows tools save CSV files this way; it never fails on real text.
        return data.decode("cp1252", errors="replace")


def load_json(path: str, data: bytes, expected: str) -> object:
    try:
        return json.loads(decode_text(data))
    except (ValueError, RecursionError) as exc:
        raise UnreadableFile(f"{path} is not valid JSON; we expected {expected}.") from exc


_NOT_KEY_CHARS = re.compile(r"[^a-z0-9]")


@lru_cache(maxsize=4096)
def norm_key(key: str) -> str:
    """Keys compared without case, spaces or underscores ("Display Name" == "display_name")."""
    return _NOT_KEY_CHARS.sub("", key.lower())


@lru_cache(maxsize=1024)
def _wanted(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(norm_key(n) for n in names)


def pick(entry: dict[str, object], *names: str) -> object:
    """The first of several possible spellings of a key in an entry."""
    for name in names:  # the usual spelling first: cheap
        value = entry.get(name)
        if value is not None and value != "":
            return value
    wanted = _wanted(names)
    for key, value in entry.items():
        if norm_key(str(key)) in wanted and value is not None and value != "":
            return value
    return None


def pick_text(entry: dict[str, object], *names: str) -> str:
    value = pick(entry, *names)
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value).strip()
    return ""


def from_unix(value: object) -> datetime | None:
    """Unix seconds (or milliseconds) as aware UTC; None for missing or silly values."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    if seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


_STAMP_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d %b %Y",
    "%d %B %Y",
    "%m/%d/%Y",
    "%m/%d/%y",
)


def from_text(value: object) -> datetime | None:
    """A date or time written as text, read as UTC unless it says otherwise."""
    if not isinstance(value, str):
        return from_unix(value) if isinstance(value, (int, float)) else None
    text = value.strip()
    text = re.sub(r"\s*(UTC|GMT|Z)$", "", text)
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
        for fmt in _STAMP_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def dict_entries(value: object) -> list[dict[str, object]]:
    """The dictionaries in a list, ignoring anything else; [] for null."""
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, dict)]


def plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"
