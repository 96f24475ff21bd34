"""TikTok "Download your data" (JSON): ``user_data.json`` or ``user_data_tiktok.json``.

The sections have been renamed several times ("Activity" > "Your Activity" > "Profile And
Settings"), and item keys changed case, so the lists are found by their own names, ``FansList``
and ``Following``, wherever they sit in the tree.
"""

from __future__ import annotations

import re

from boundaries.connections.exports.common import (
    FileResult,
    UnreadableFile,
    decode_text,
    dict_entries,
    from_text,
    norm_key,
    pick,
    pick_text,
)
from boundaries.connections.model import Connection, ConnectionKind, Platform

FILE_NAMES = frozenset({"user_data.json", "user_data_tiktok.json"})

LISTS: dict[str, ConnectionKind] = {
    "fanslist": ConnectionKind.FOLLOWER,
    "following": ConnectionKind.FOLLOWING,
    "followinglist": ConnectionKind.FOLLOWING,
}

EXPECTED = (
    'TikTok\'s data in JSON, with a list of followers ("FansList") or of accounts you follow '
    '("Following")'
)
_MAX_DEPTH = 8

# The TXT download (less well documented): "Follower.txt" or "Follower List.txt" holding blocks
# of "Date: ..." and "Username: ..." lines.
TEXT_FILE = re.compile(r"^(fans|follower|followers|following)( ?list)?\.txt$")
_TEXT_FIELD = re.compile(r"^\s*(date|user ?name)\s*:\s*(.*?)\s*$", re.IGNORECASE)


def text_kind(basename: str) -> ConnectionKind | None:
    match = TEXT_FILE.match(basename)
    if match is None:
        return None
    return ConnectionKind.FOLLOWING if match.group(1) == "following" else ConnectionKind.FOLLOWER


def read_text_file(path: str, data: bytes, kind: ConnectionKind) -> FileResult:
    """Followers or following from TikTok's TXT download."""
    result = FileResult(Platform.TIKTOK)
    date = ""
    recognised = False
    for line in decode_text(data).splitlines():
        field = _TEXT_FIELD.match(line)
        if field is None:
            continue
        recognised = True
        label, value = field.group(1).lower(), field.group(2)
        if label == "date":
            date = value
            continue
        handle = value.lstrip("@")
        if handle:
            result.connections.append(_connection(kind, handle, "", date, path))
        date = ""
    if not recognised:
        raise UnreadableFile(
            f'We could not read {path}: we expected TikTok\'s list in blocks of "Date:" and '
            '"Username:" lines.'
        )
    return result


def _connection(
    kind: ConnectionKind, handle: str, name: str, when: object, path: str
) -> Connection:
    return Connection(
        platform=Platform.TIKTOK,
        kind=kind,
        name=name,
        handle=handle,
        url=f"https://www.tiktok.com/@{handle}",
        since=from_text(when),
        source_file=path,
    )


def read_document(path: str, doc: object) -> FileResult:
    if not isinstance(doc, dict):
        raise UnreadableFile(f"We could not read {path}: we expected {EXPECTED}.")
    found: list[tuple[ConnectionKind, list[object] | None]] = []
    _collect(doc, 0, found)
    if not found:
        raise UnreadableFile(
            f"We found no followers or accounts you follow in {path}: we expected {EXPECTED}. "
            "When you ask TikTok for your data, include your profile and activity."
        )
    result = FileResult(Platform.TIKTOK)
    for kind, items in found:
        for entry in dict_entries(items):
            handle = pick_text(entry, "UserName", "Username", "uniqueId", "unique_id").lstrip("@")
            if not handle:
                continue
            name = pick_text(entry, "Nickname", "DisplayName")
            when = pick(entry, "Date", "Time")
            result.connections.append(_connection(kind, handle, name, when, path))
    return result


def _collect(
    node: dict[str, object], depth: int, found: list[tuple[ConnectionKind, list[object] | None]]
) -> None:
    if depth > _MAX_DEPTH:
        return
    for key, value in node.items():
        kind = LISTS.get(norm_key(str(key)))
        if kind is not None and (value is None or isinstance(value, list)):
            # A null list is what TikTok writes when there is nobody in it.
            found.append((kind, value))
        elif isinstance(value, dict):
            _collect(value, depth + 1, found)
