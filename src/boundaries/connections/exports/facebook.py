"""Facebook "Download Your Information" (JSON): friends, requests, followers, following.

Every era keeps the list under a wrapper key (``friends``, ``friends_v2``, ``sent_requests_v2``,
...); entries are ``{name, timestamp}``, names in mojibake. Matching is by name alone.
"""

from __future__ import annotations

from boundaries.connections.exports.common import (
    FileResult,
    UnreadableFile,
    dict_entries,
    from_unix,
    pick,
    pick_text,
)
from boundaries.connections.exports.mojibake import repair_text
from boundaries.connections.model import Connection, ConnectionKind, Platform

# Wrapper keys across the eras. Rejected requests and removed friends are left out on purpose:
# they are not current links.
KEYS: dict[str, ConnectionKind] = {
    "friends_v2": ConnectionKind.FRIEND,
    "friends": ConnectionKind.FRIEND,
    "sent_requests_v2": ConnectionKind.REQUEST_SENT,
    "sent_requests": ConnectionKind.REQUEST_SENT,
    "received_requests_v2": ConnectionKind.REQUEST_RECEIVED,
    "received_requests": ConnectionKind.REQUEST_RECEIVED,
    "followers_v3": ConnectionKind.FOLLOWER,
    "followers_v2": ConnectionKind.FOLLOWER,
    "followers": ConnectionKind.FOLLOWER,
    "following_v3": ConnectionKind.FOLLOWING,
    "following_v2": ConnectionKind.FOLLOWING,
    "following": ConnectionKind.FOLLOWING,
    "pages_followed_v2": ConnectionKind.FOLLOWING,  # entries name the page or profile in "title"
}
IGNORED_KEYS = frozenset({"rejected_requests_v2", "deleted_friends_v2", "deleted_friends"})

# File names that can only be Facebook's, with the kind to assume for a bare list.
FILE_KINDS: dict[str, ConnectionKind] = {
    "your_friends.json": ConnectionKind.FRIEND,
    "sent_friend_requests.json": ConnectionKind.REQUEST_SENT,
    "friend_requests_sent.json": ConnectionKind.REQUEST_SENT,
    "received_friend_requests.json": ConnectionKind.REQUEST_RECEIVED,
    "friend_requests_received.json": ConnectionKind.REQUEST_RECEIVED,
    "who_you've_followed.json": ConnectionKind.FOLLOWING,
    "who_you_ve_followed.json": ConnectionKind.FOLLOWING,
    "who_youve_followed.json": ConnectionKind.FOLLOWING,
    "who_you_follow.json": ConnectionKind.FOLLOWING,
    "people_who_followed_you.json": ConnectionKind.FOLLOWER,
    "people_who_follow_you.json": ConnectionKind.FOLLOWER,
    "pages_and_profiles_you_follow.json": ConnectionKind.FOLLOWING,
}
# Shared with other platforms; decided by content.
SHARED_KINDS: dict[str, ConnectionKind] = {
    "friends.json": ConnectionKind.FRIEND,
    "followers.json": ConnectionKind.FOLLOWER,
    "following.json": ConnectionKind.FOLLOWING,
}

EXPECTED = (
    "Facebook's list of friends, friend requests or followers (JSON with a key such as "
    '"friends_v2" holding entries with a "name")'
)

NO_NAME = "Facebook entries with no name"


def is_facebook_document(doc: object) -> bool:
    """True when parsed JSON has Facebook's shape (name entries under a known key)."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            if key in IGNORED_KEYS:
                return True
            if key in KEYS and isinstance(value, list):
                entries = dict_entries(value)
                return not entries or any(_has_name_shape(e) for e in entries)
        return False
    entries = dict_entries(doc)
    return bool(entries) and all("name" in e for e in entries)


def _has_name_shape(entry: dict[str, object]) -> bool:
    return "name" in entry or "label_values" in entry or "string_list_data" in entry


def read_document(path: str, doc: object, filename_kind: ConnectionKind | None) -> FileResult:
    """Connections from one parsed Facebook file."""
    result = FileResult(Platform.FACEBOOK)
    lists: list[tuple[ConnectionKind, list[dict[str, object]]]] = []
    if isinstance(doc, dict):
        if any(key in IGNORED_KEYS for key in doc):
            return result
        for key, kind in KEYS.items():
            if isinstance(doc.get(key), list):
                lists.append((kind, dict_entries(doc[key])))
    elif isinstance(doc, list) and filename_kind is not None:
        # Hand-made or very old files: a bare list, kind taken from the file name.
        lists.append((filename_kind, dict_entries(doc)))
    if not lists:
        raise UnreadableFile(f"We could not read {path}: we expected {EXPECTED}.")
    nameless = 0
    for kind, entries in lists:
        for entry in entries:
            name = repair_text(_name(entry))
            if not name:
                nameless += 1
                continue
            result.connections.append(
                Connection(
                    platform=Platform.FACEBOOK,
                    kind=kind,
                    name=name,
                    since=from_unix(_timestamp(entry)),
                    source_file=path,
                )
            )
    if nameless:
        result.unmatchable[NO_NAME] = nameless
    return result


def _name(entry: dict[str, object]) -> str:
    name = pick_text(entry, "name")
    if name:
        return name
    # Newer layouts borrow Instagram's shape or a list of labelled values.
    for item in dict_entries(entry.get("string_list_data")):
        value = pick_text(item, "value")
        if value:
            return value
    for item in dict_entries(entry.get("label_values")):
        if str(item.get("label", "")).strip().lower() == "name":
            return pick_text(item, "value")
    return pick_text(entry, "title")


def _timestamp(entry: dict[str, object]) -> object:
    stamp = pick(entry, "timestamp")
    if stamp is not None:
        return stamp
    for item in dict_entries(entry.get("string_list_data")):
        return pick(item, "timestamp")
    return None
