"""Read an uploaded export in memory, defending against hostile ZIP files.

Nothing is ever extracted to disk: member names are only strings we compare, so a name such as
``../../etc/passwd`` is harmless. Decompression is capped while it happens, because the sizes a
ZIP declares can lie.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from boundaries.connections.model import ExportError

MIB = 1024 * 1024


@dataclass(frozen=True)
class ExportLimits:
    """How much an upload may hold before we refuse it."""

    max_upload_bytes: int = 1024 * MIB  # the ZIP as uploaded
    max_entries: int = 200_000  # members, nested ZIPs included
    max_declared_total: int = 8 * 1024 * MIB  # what all members say they expand to
    max_ratio: float = 100.0  # expansion ratio beyond which a member is a bomb ...
    ratio_floor: int = 1 * MIB  # ... once it expands past this size
    max_member_bytes: int = 256 * MIB  # one file we actually read
    max_read_total: int = 512 * MIB  # everything we actually read
    max_nested_zips: int = 20


DEFAULT_LIMITS = ExportLimits()

_CHUNK = 64 * 1024


class MemberTooLarge(Exception):
    """One member is larger than we will read; the rest of the export can still be read."""


class MemberUnreadable(Exception):
    """One member is damaged, encrypted or compressed in a way we cannot read."""


def clean_name(name: str) -> str:
    """A member name as a tidy relative path, for matching and for messages."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    cleaned = "/".join(parts)
    # Control characters in a name would garble messages shown to the user.
    return re.sub(r"[\x00-\x1f\x7f]", "?", cleaned)


def is_noise(path: str) -> bool:
    """Files a Mac adds when someone re-zips a folder: never platform data."""
    parts = path.split("/")
    return "__MACOSX" in parts or parts[-1].startswith("._") or parts[-1] == ".DS_Store"


class _Budget:
    """Bytes read so far across the whole upload."""

    def __init__(self, limits: ExportLimits) -> None:
        self.limits = limits
        self.read_total = 0
        self.declared_total = 0
        self.entries = 0
        self.nested = 0


@dataclass
class Member:
    """A file inside the upload, read only when asked."""

    path: str  # cleaned path; nested ZIPs appear as "outer.zip/inner/path"
    _zip: zipfile.ZipFile | None
    _info: zipfile.ZipInfo | None
    _data: bytes | None
    _budget: _Budget

    def read(self) -> bytes:
        if self._data is not None:
            return self._data
        assert self._zip is not None and self._info is not None
        return _read_member(self._zip, self._info, self.path, self._budget)


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, budget: _Budget) -> bytes:
    limits = budget.limits
    if info.flag_bits & 0x1:
        raise MemberUnreadable(f"{path} is protected by a password, so we cannot open it.")
    if info.file_size > limits.max_member_bytes:
        raise MemberTooLarge(f"{path} is too large to read ({info.file_size // MIB} MB).")
    out = bytearray()
    try:
        with zf.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                out += chunk
                budget.read_total += len(chunk)
                # The declared size can lie, so count what actually comes out.
                if len(out) > limits.max_member_bytes:
                    raise MemberTooLarge(f"{path} is too large to read.")
                if budget.read_total > limits.max_read_total:
                    raise ExportError(_too_big_message())
    except NotImplementedError as exc:
        raise MemberUnreadable(
            f"{path} is compressed in a way we cannot read ({exc}). Upload the ZIP file exactly "
            "as the platform gave it to you."
        ) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise MemberUnreadable(
            f"{path} is damaged inside the ZIP file and cannot be read."
        ) from exc
    return bytes(out)


def _too_big_message() -> str:
    return (
        "This download expands to far more data than a list of friends or followers needs, so "
        "we stopped reading it. If it is really from the platform, ask for your connections or "
        "followers only, without photos, videos or messages, and upload that."
    )


def _bomb_message(path: str) -> str:
    return (
        f"{path} expands to many times its packed size, which is how harmful ZIP files "
        "(ZIP bombs) behave, so we stopped. Upload the ZIP file exactly as the platform gave it "
        "to you."
    )


def _check_infos(infos: list[zipfile.ZipInfo], prefix: str, budget: _Budget) -> None:
    limits = budget.limits
    budget.entries += len(infos)
    if budget.entries > limits.max_entries:
        raise ExportError(
            f"This ZIP file holds more than {limits.max_entries:,} files, far more than any "
            "platform's download, so we stopped."
        )
    for info in infos:
        budget.declared_total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            raise ExportError(_bomb_message(prefix + clean_name(info.filename)))
    if budget.declared_total > limits.max_declared_total:
        raise ExportError(_too_big_message())


def _open_zip(source: BinaryIO | Path | bytes, label: str) -> zipfile.ZipFile:
    try:
        if isinstance(source, bytes):
            return zipfile.ZipFile(io.BytesIO(source))
        return zipfile.ZipFile(source)
    except zipfile.BadZipFile as exc:
        raise ExportError(
            f"{label} is not a ZIP file, or it is incomplete or damaged. Upload the ZIP file "
            "exactly as the platform gave it to you."
        ) from exc
    except (OSError, EOFError, ValueError) as exc:
        raise ExportError(f"{label} could not be opened as a ZIP file.") from exc


def _members(
    zf: zipfile.ZipFile,
    prefix: str,
    depth: int,
    budget: _Budget,
    problems: list[tuple[str, str]],
) -> Iterator[Member]:
    infos = [i for i in zf.infolist() if not i.is_dir()]
    _check_infos(infos, prefix, budget)
    for info in infos:
        path = prefix + clean_name(info.filename)
        if not path or is_noise(path):
            continue
        if path.lower().endswith(".zip"):
            yield from _nested(zf, info, path, depth, budget, problems)
            continue
        yield Member(path, zf, info, None, budget)


def _nested(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    path: str,
    depth: int,
    budget: _Budget,
    problems: list[tuple[str, str]],
) -> Iterator[Member]:
    # People sometimes zip the platform's ZIP again; one level is worth opening, more is not.
    if depth >= 1:
        problems.append(
            (
                path,
                f"{path} is a ZIP file inside a ZIP file inside your upload; we "
                "only open one level. Upload the platform's ZIP file itself.",
            )
        )
        return
    budget.nested += 1
    if budget.nested > budget.limits.max_nested_zips:
        problems.append((path, f"{path} was not opened: the upload holds too many ZIP files."))
        return
    try:
        data = _read_member(zf, info, path, budget)
    except (MemberTooLarge, MemberUnreadable) as exc:
        problems.append((path, str(exc)))
        return
    try:
        inner = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        problems.append((path, f"{path} is named like a ZIP file but is not one we can open."))
        return
    yield from _members(inner, path + "/", depth + 1, budget, problems)


@dataclass
class OpenedUpload:
    """The members of an upload, plus problems found while opening it."""

    members: list[Member]
    problems: list[tuple[str, str]]  # (file, message)
    was_zip: bool
    archive: zipfile.ZipFile | None = None

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()


def _size_of(data: BinaryIO) -> int | None:
    try:
        here = data.tell()
        end = data.seek(0, io.SEEK_END)
        data.seek(here)
        return end - here
    except (OSError, AttributeError, ValueError):
        return None


def open_upload(
    data: bytes | BinaryIO | Path, label: str, limits: ExportLimits = DEFAULT_LIMITS
) -> OpenedUpload:
    """List the files of an upload; a single file that is not a ZIP counts as one member."""
    budget = _Budget(limits)
    source: BinaryIO | Path | bytes
    if isinstance(data, Path):
        size: int | None = data.stat().st_size
        source = data
    elif isinstance(data, (bytes, bytearray, memoryview)):
        source = bytes(data)
        size = len(source)
    else:
        size = _size_of(data)
        source = data if size is not None else data.read(limits.max_upload_bytes + 1)
        if isinstance(source, bytes):
            size = len(source)
    if size == 0:
        raise ExportError(f"{label} is empty. Upload the ZIP file the platform gave you.")
    if size is not None and size > limits.max_upload_bytes:
        raise ExportError(
            f"{label} is larger than {limits.max_upload_bytes // MIB} MB. Ask the platform for "
            "your connections or followers only, without photos, videos or messages."
        )
    if not _looks_like_zip(source):
        if size is not None and size > limits.max_member_bytes:
            raise ExportError(f"{label} is not a ZIP file.")
        head = _whole(source, limits)
        # A single platform file (say Connections.csv) uploaded on its own.
        member = Member(clean_name(label) or "upload", None, None, head, budget)
        return OpenedUpload([member], [], was_zip=False)
    zf = _open_zip(source, label)
    problems: list[tuple[str, str]] = []
    try:
        members = list(_members(zf, "", 0, budget, problems))
    except BaseException:
        zf.close()
        raise
    return OpenedUpload(members, problems, was_zip=True, archive=zf)


def _looks_like_zip(source: BinaryIO | Path | bytes) -> bool:
    if isinstance(source, bytes):
        return zipfile.is_zipfile(io.BytesIO(source))
    if isinstance(source, Path):
        return zipfile.is_zipfile(source)
    here = source.tell()
    try:
        return zipfile.is_zipfile(source)
    finally:
        source.seek(here)


def _whole(source: BinaryIO | Path | bytes, limits: ExportLimits) -> bytes:
    if isinstance(source, bytes):
        return source
    if isinstance(source, Path):
        return source.read_bytes()
    return source.read(limits.max_upload_bytes + 1)
