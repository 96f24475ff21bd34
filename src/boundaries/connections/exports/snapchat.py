"""Snapchat "My Data": ``json/friends.json``.

One object of named lists ("Friends", "Friend Requests Sent", ...) whose entries carry a user
name, a display name (sometimes empty) and timestamps written as text ending in " UTC".
"""

from __future__ import annotations

from boundaries.connections.exports.common import (
    FileResult,
    UnreadableFile,
    dict_entries,
    from_text,
    norm_key,
    pick,
    pick_text,
)
from boundaries.connections.model import Connection, ConnectionKind, Platform

# Blocked, deleted, ignored and hidden people are not links the member of staff keeps, so they
# are left out; shortcuts are groups of friends already listed.
LISTS: dict[str, ConnectionKind] = {
    "friends": ConnectionKind.FRIEND,
    "friendrequestssent": ConnectionKind.REQUEST_SENT,
    "pendingrequests": ConnectionKind.REQUEST_RECEIVED,
    "friendrequestsreceived": ConnectionKind.REQUEST_RECEIVED,
}
KNOWN_LISTS = frozenset(
    {
        *LISTS,
        "blockedusers",
        "deletedfriends",
        "hiddenfriendsuggestions",
        "ignoredsnapchatters",
        "shortcuts",
    }
)

EXPECTED = (
    'Snapchat\'s friends.json, an object with lists such as "Friends" whose entries have a '
    '"Username" and a "Display Name"'
)


def is_snapchat_document(doc: object) -> bool:
    if not isinstance(doc, dict):
        return False
    keys = {norm_key(str(k)) for k in doc}
    if "Friends" in doc or len(keys & KNOWN_LISTS) >= 2:
        return True
    return any(
        "username" in {norm_key(str(k)) for k in entry}
        for value in doc.values()
        for entry in dict_entries(value)
    )


def read_document(path: str, doc: object) -> FileResult:
    if not isinstance(doc, dict):
        raise UnreadableFile(f"We could not read {path}: we expected {EXPECTED}.")
    result = FileResult(Platform.SNAPCHAT)
    found = False
    for key, value in doc.items():
        kind = LISTS.get(norm_key(str(key)))
        if kind is None:
            continue
        found = True
        for entry in dict_entries(value):
            handle = pick_text(entry, "Username", "User Name").lstrip("@")
            name = pick_text(entry, "Display Name", "DisplayName")
            if not handle and not name:
                continue
            source = pick_text(entry, "Source")
            result.connections.append(
                Connection(
                    platform=Platform.SNAPCHAT,
                    kind=kind,
                    name=name,
                    handle=handle,
                    url=f"https://www.snapchat.com/add/{handle}" if handle else "",
                    since=from_text(pick(entry, "Creation Timestamp", "Last Modified Timestamp")),
                    source_file=path,
                    extra=(("source", source),) if source else (),
                )
            )
    if not found:
        raise UnreadableFile(f"We could not read {path}: we expected {EXPECTED}.")
    return result
