"""Uploads waiting between a preview and its apply (the web import's two steps).

The preview checks the files and shows what would change; the files wait here, under a random
token bound to the school and the person, until that person applies them (or an hour passes).
They hold personal data, so the folder is private to the app's user and emptied as it goes.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from boundaries.roster.records import InputFile

PENDING_FOR_SECONDS = 3600
_now = time.time  # the clock, replaceable in tests
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


@dataclass(frozen=True)
class PendingUpload:
    """A checked upload, waiting to be applied."""

    token: str
    school_id: int
    person_id: int
    kind: str
    source: str
    full: bool
    default_role: str
    files: list[InputFile]
    mapping: bytes | None


def pending_root() -> Path:
    """Where pending uploads wait: a folder of this user's under the system's temporary folder.

    A folder someone else made there first (on a shared machine) is refused, not used.
    """
    root = Path(tempfile.gettempdir()) / f"boundaries-roster-uploads-{os.getuid()}"
    root.mkdir(mode=0o700, exist_ok=True)
    status = root.lstat()
    if not stat.S_ISDIR(status.st_mode) or status.st_uid != os.getuid() or status.st_mode & 0o077:
        raise RuntimeError(f"{root} is not a private folder of this user's; remove it")
    return root


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def save_pending(
    *,
    school_id: int,
    person_id: int,
    kind: str,
    source: str,
    full: bool,
    default_role: str,
    files: list[InputFile],
    mapping: bytes | None,
) -> str:
    """Keep an upload for its apply; returns the token that names it."""
    purge_expired()
    token = secrets.token_urlsafe(32)
    folder = pending_root() / token
    folder.mkdir(mode=0o700)
    for index, file in enumerate(files):
        _write_private(folder / f"{index}.data", file.data)
    if mapping is not None:
        _write_private(folder / "mapping.yaml", mapping)
    meta = {
        "school_id": school_id,
        "person_id": person_id,
        "kind": kind,
        "source": source,
        "full": full,
        "default_role": default_role,
        "names": [file.name for file in files],
        "saved": _now(),
    }
    _write_private(folder / "meta.json", json.dumps(meta).encode())
    return token


def load_pending(token: str, school_id: int, person_id: int) -> PendingUpload | None:
    """The upload saved under ``token`` by this person for this school, if it is still there."""
    if not _TOKEN.fullmatch(token):
        return None
    folder = pending_root() / token
    try:
        meta = json.loads((folder / "meta.json").read_bytes())
    except (OSError, ValueError):
        return None
    if (
        meta.get("school_id") != school_id
        or meta.get("person_id") != person_id
        or _now() - float(meta.get("saved", 0)) > PENDING_FOR_SECONDS
    ):
        return None
    try:
        files = [
            InputFile(str(name), (folder / f"{index}.data").read_bytes())
            for index, name in enumerate(meta["names"])
        ]
        mapping_path = folder / "mapping.yaml"
        mapping = mapping_path.read_bytes() if mapping_path.exists() else None
    except OSError:
        return None
    return PendingUpload(
        token=token,
        school_id=school_id,
        person_id=person_id,
        kind=str(meta["kind"]),
        source=str(meta["source"]),
        full=bool(meta["full"]),
        default_role=str(meta.get("default_role", "staff_support")),
        files=files,
        mapping=mapping,
    )


def discard_pending(token: str) -> None:
    """Remove an upload (after it is applied)."""
    if _TOKEN.fullmatch(token):
        shutil.rmtree(pending_root() / token, ignore_errors=True)


def purge_expired(now: float | None = None) -> int:
    """Remove uploads older than an hour; returns how many went."""
    now = now or _now()
    removed = 0
    for folder in pending_root().iterdir():
        try:
            saved = json.loads((folder / "meta.json").read_bytes()).get("saved", 0)
        except (OSError, ValueError):
            saved = folder.stat().st_mtime if folder.exists() else 0
        if now - float(saved) > PENDING_FOR_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
