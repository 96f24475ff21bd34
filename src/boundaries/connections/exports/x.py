"""X (Twitter) archive: ``data/follower.js`` and ``data/following.js``.

Each file is JavaScript: ``window.YTD.follower.part0 = [ ... ]``. Entries hold a numeric account
id and a link, never a name or handle, so they can be counted but not matched to pupils.
"""

from __future__ import annotations

import json
import re

from boundaries.connections.exports.common import (
    FileResult,
    UnreadableFile,
    decode_text,
    dict_entries,
    plural,
)
from boundaries.connections.model import Platform

FILE = re.compile(r"^(follower|following)([-.]?part\d+)?\.js$")

FOLLOWERS_LABEL = "X followers (numeric account ids only)"
FOLLOWING_LABEL = "X accounts you follow (numeric account ids only)"


def kind_of(basename: str) -> str | None:
    """``follower`` or ``following`` for X's file names, else None."""
    match = FILE.match(basename)
    return match.group(1) if match else None


def read_file(path: str, data: bytes, which: str) -> FileResult:
    """Count the account ids in one X file."""
    text = decode_text(data).strip()
    expected = (
        f"X's list of {'followers' if which == 'follower' else 'accounts you follow'} "
        f'(a JavaScript file beginning "window.YTD.{which}.part0 = " and then a list)'
    )
    if "=" in text and not text.startswith("["):
        # Strip the assignment whatever the variable is called; old archives begin "= [ {".
        text = text[text.index("=") + 1 :].strip()
    if not text:
        return _result(which, set())
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise UnreadableFile(f"We could not read {path}: we expected {expected}.") from exc
    if not isinstance(doc, list):
        raise UnreadableFile(f"We could not read {path}: we expected {expected}.")
    ids: set[str] = set()
    for entry in dict_entries(doc):
        inner = entry.get(which)
        if not isinstance(inner, dict):
            inner = entry
        account = inner.get("accountId")
        if isinstance(account, (str, int)) and not isinstance(account, bool):
            ids.add(str(account))
    return _result(which, ids)


def _result(which: str, ids: set[str]) -> FileResult:
    label = FOLLOWERS_LABEL if which == "follower" else FOLLOWING_LABEL
    result = FileResult(Platform.X)
    result.unmatchable[label] = len(ids)
    return result


def note(followers: int | None, following: int | None) -> str:
    """Plain words for the member of staff about X's numbers (None: that file was not there)."""
    counted = []
    if followers is not None:
        counted.append(plural(followers, "follower", "followers"))
    if following is not None:
        counted.append(plural(following, "account you follow", "accounts you follow"))
    return (
        "X's archive lists your followers and the accounts you follow by numeric account number "
        "only, without names or user names, so Boundaries cannot match them to pupils. We counted "
        f"{' and '.join(counted)}. Check your followers and following lists yourself in X."
    )
