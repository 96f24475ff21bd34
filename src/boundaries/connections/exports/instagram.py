"""Instagram's data download (JSON): followers and the accounts you follow.

Followers are a bare list split 10,000 to a file (``followers_1.json``, ...); ``following.json``
wraps its list in ``relationships_following``. Entries hold a user name only, in ``value``, or
(2024 onwards) in ``title`` with the address in ``href``.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlparse

from boundaries.connections.exports.common import (
    FileResult,
    UnreadableFile,
    dict_entries,
    from_text,
    from_unix,
    pick,
    pick_text,
)
from boundaries.connections.exports.mojibake import repair_text
from boundaries.connections.model import Connection, ConnectionKind, Platform

KEYS: dict[str, ConnectionKind] = {
    "relationships_followers": ConnectionKind.FOLLOWER,
    "relationships_following": ConnectionKind.FOLLOWING,
    "relationships_follow_requests_sent": ConnectionKind.REQUEST_SENT,
    "relationships_follow_requests_received": ConnectionKind.REQUEST_RECEIVED,
    # Threads, whose accounts are Instagram accounts, in your_instagram_activity/threads/.
    "text_post_app_text_post_app_followers": ConnectionKind.FOLLOWER,
    "text_post_app_text_post_app_following": ConnectionKind.FOLLOWING,
    "text_post_app_text_post_app_follow_requests_sent": ConnectionKind.REQUEST_SENT,
}

FOLLOWERS_FILE = re.compile(r"^followers(_\d+)?\.json$")
FILE_KINDS: dict[str, ConnectionKind] = {
    "pending_follow_requests.json": ConnectionKind.REQUEST_SENT,
    "follow_requests_you've_received.json": ConnectionKind.REQUEST_RECEIVED,
    "follow_requests_you_ve_received.json": ConnectionKind.REQUEST_RECEIVED,
}

EXPECTED = (
    "Instagram's list of followers or accounts you follow (JSON entries with "
    '"string_list_data", or a "relationships_following" list)'
)

_HANDLE = re.compile(r"^[A-Za-z0-9._]{1,30}$")


def is_instagram_document(doc: object) -> bool:
    if isinstance(doc, dict):
        if any(str(k).startswith(("relationships_", "text_post_app_")) for k in doc):
            return True
        # The 2019-2020 connections.json: {"followers": {"user": "2019-...Z"}, ...}
        return any(isinstance(doc.get(k), dict) for k in ("followers", "following"))
    entries = dict_entries(doc)
    return bool(entries) and any("string_list_data" in e for e in entries)


def read_document(path: str, doc: object, filename_kind: ConnectionKind | None) -> FileResult:
    result = FileResult(Platform.INSTAGRAM)
    found = False
    if isinstance(doc, list):
        found = True
        _read_entries(path, doc, filename_kind or ConnectionKind.FOLLOWER, result)
    elif isinstance(doc, dict):
        for key, value in doc.items():
            kind = KEYS.get(str(key))
            if kind is not None and isinstance(value, list):
                found = True
                _read_entries(path, value, kind, result)
        for key, kind in (
            ("followers", ConnectionKind.FOLLOWER),
            ("following", ConnectionKind.FOLLOWING),
        ):
            legacy = doc.get(key)
            if isinstance(legacy, dict):
                found = True
                _read_legacy(path, legacy, kind, result)
    if not found:
        raise UnreadableFile(f"We could not read {path}: we expected {EXPECTED}.")
    return result


def _read_entries(path: str, items: list[object], kind: ConnectionKind, result: FileResult) -> None:
    for entry in dict_entries(items):
        strings = dict_entries(entry.get("string_list_data"))
        first = strings[0] if strings else {}
        href = pick_text(first, "href") or pick_text(entry, "href")
        handle = username(pick_text(first, "value"), pick_text(entry, "title"), href)
        if not handle:
            continue
        result.connections.append(
            Connection(
                platform=Platform.INSTAGRAM,
                kind=kind,
                name="",
                handle=handle,
                url=f"https://www.instagram.com/{handle}",
                since=from_unix(pick(first, "timestamp") or pick(entry, "timestamp")),
                source_file=path,
            )
        )


def _read_legacy(
    path: str, users: dict[str, object], kind: ConnectionKind, result: FileResult
) -> None:
    for user, stamp in users.items():
        handle = username(str(user), "", "")
        if handle:
            result.connections.append(
                Connection(
                    platform=Platform.INSTAGRAM,
                    kind=kind,
                    name="",
                    handle=handle,
                    url=f"https://www.instagram.com/{handle}",
                    since=from_text(stamp),
                    source_file=path,
                )
            )


def username(value: str, title: str, href: str) -> str:
    """The user name: ``value``, else ``title``, else the last part of the address, lower-cased."""
    for candidate in (value, title):
        candidate = repair_text(candidate.strip().lstrip("@"))
        if candidate and _HANDLE.match(candidate):
            return candidate.lower()
    if href:
        # The 2025 addresses read /_u/name?igsh=..., so take the last part of the path.
        segments = [s for s in urlparse(href.strip()).path.split("/") if s]
        if segments:
            last = unquote(segments[-1]).lstrip("@")
            if _HANDLE.match(last):
                return last.lower()
    return ""
