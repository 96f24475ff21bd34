"""The evidence vault: content-addressed (SHA-256), write-once storage for original files.

An original is stored under its own SHA-256, so its address is its proof: reading it back and
hashing it again shows whether it is the file that was given. Nothing is ever overwritten; a
second upload of the same bytes finds them already there. Only retention deletes a blob, and
only once no evidence row points at it any more.

Locally (the default) a blob lives at ``<root>/ab/cd/<sha256>``. An upload is streamed into a
temporary file inside the vault's own ``.incoming`` folder (the same file system), hashed as it
goes, flushed to disk, made read-only and then *linked* to its final name: ``link`` is atomic
and fails rather than replace an existing file, so a crash leaves at most a temporary file,
never a partial blob at a content address.

Optionally blobs live in S3-compatible storage (bucket, prefix, endpoint URL). S3 cannot hash
before the name is chosen, so the upload is first spooled and hashed locally, then sent with
its SHA-256 checksum (S3 checks it on arrival) and only when no object has that name yet.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, Protocol

from pydantic_settings import BaseSettings, SettingsConfigDict

CHUNK = 1024 * 1024
DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024  # a screen recording is out of scope; a long PDF is not
_HEX = frozenset("0123456789abcdef")


class VaultError(Exception):
    """Something the vault could not do, in words for the person who asked."""


class TooLarge(VaultError):
    """The upload went over the size cap; nothing was kept."""


class Empty(VaultError):
    """The upload had no bytes at all."""


class BlobMissing(VaultError):
    """No blob is stored under that address."""


def is_sha256(value: str) -> bool:
    """Whether ``value`` is a lower-case hexadecimal SHA-256 (the only address the vault takes)."""
    return len(value) == 64 and set(value) <= _HEX


def _check_address(sha256: str) -> str:
    if not is_sha256(sha256):
        raise VaultError(f"{sha256[:80]!r} is not a SHA-256 address")
    return sha256


@dataclass(frozen=True)
class StoredBlob:
    """What a put stored: the address, the size, and whether the bytes were new to the vault."""

    sha256: str
    size: int
    new: bool


BlobState = Literal["ok", "missing", "altered"]


@dataclass(frozen=True)
class BlobCheck:
    """What reading a blob back found."""

    sha256: str
    state: BlobState
    actual_sha256: str | None = None

    @property
    def ok(self) -> bool:
        return self.state == "ok"


class Vault(Protocol):
    """Where originals and previews are kept."""

    def put_stream(self, chunks: Iterable[bytes], *, max_size: int) -> StoredBlob:
        """Store the bytes (hashing them as they stream); refuse more than ``max_size``."""
        ...

    def exists(self, sha256: str) -> bool: ...

    def open_chunks(self, sha256: str) -> Iterator[bytes]:
        """The blob's bytes, chunk by chunk; raises :class:`BlobMissing`."""
        ...

    def verify(self, sha256: str) -> BlobCheck:
        """Read the blob back and hash it again."""
        ...

    def delete(self, sha256: str) -> bool:
        """Remove a blob (retention only); False when it was already gone."""
        ...

    def describe(self) -> str:
        """Where blobs are kept and what protects them, for people and logs."""
        ...


def read_all(vault: Vault, sha256: str) -> bytes:
    """A whole blob in memory (previews and small files only)."""
    return b"".join(vault.open_chunks(sha256))


def put_bytes(vault: Vault, data: bytes, *, max_size: int = DEFAULT_MAX_UPLOAD) -> StoredBlob:
    return vault.put_stream([data], max_size=max_size)


def file_chunks(handle: IO[bytes], size: int = CHUNK) -> Iterator[bytes]:
    """A file's bytes in chunks, from where it stands now."""
    while chunk := handle.read(size):
        yield chunk


def _spool(chunks: Iterable[bytes], handle: IO[bytes], max_size: int) -> tuple[str, int]:
    """Copy ``chunks`` into ``handle``, hashing as they pass; stop at once past the cap."""
    digest = hashlib.sha256()
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > max_size:
            raise TooLarge(f"the file is larger than the limit of {_megabytes(max_size)}")
        digest.update(chunk)
        handle.write(chunk)
    if size == 0:
        raise Empty("the file is empty")
    return digest.hexdigest(), size


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


# -- local folder --------------------------------------------------------------------------------
class LocalVault:
    """Blobs in a folder: ``<root>/ab/cd/<sha256>``, read-only, linked into place atomically."""

    INCOMING = ".incoming"

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str) -> Path:
        _check_address(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    @property
    def incoming(self) -> Path:
        return self.root / self.INCOMING

    def put_stream(self, chunks: Iterable[bytes], *, max_size: int) -> StoredBlob:
        self.incoming.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=self.incoming, prefix="upload-")
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as handle:
                sha256, size = _spool(chunks, handle, max_size)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, stat.S_IRUSR | stat.S_IRGRP)
            final = self.path_of(sha256)
            final.parent.mkdir(parents=True, exist_ok=True)
            try:
                # link, not rename: atomic, and it refuses to replace a blob already stored.
                os.link(temp, final)
                new = True
            except FileExistsError:
                new = False
            _fsync_dir(final.parent)
            return StoredBlob(sha256, size, new)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def open_chunks(self, sha256: str) -> Iterator[bytes]:
        path = self.path_of(sha256)
        try:
            handle = path.open("rb")
        except FileNotFoundError as exc:
            raise BlobMissing(f"no stored file has the SHA-256 {sha256}") from exc
        return _closing_chunks(handle)

    def verify(self, sha256: str) -> BlobCheck:
        path = self.path_of(sha256)
        digest = hashlib.sha256()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
        except FileNotFoundError:
            return BlobCheck(sha256, "missing")
        actual = digest.hexdigest()
        return BlobCheck(sha256, "ok" if actual == sha256 else "altered", actual)

    def delete(self, sha256: str) -> bool:
        try:
            self.path_of(sha256).unlink()
        except FileNotFoundError:
            return False
        return True

    def abandoned_uploads(self) -> list[Path]:
        """Temporary files left by uploads that never finished (a crash, a lost connection)."""
        if not self.incoming.is_dir():
            return []
        return sorted(p for p in self.incoming.iterdir() if p.is_file())

    def sweep_abandoned(self, older_than_seconds: float = 86_400) -> int:
        """Remove temporary files of uploads abandoned over a day ago; how many went.

        They were never at a content address and no row points at them: an upload still
        streaming keeps writing to its file, so a day untouched means nobody will finish it.
        """
        cutoff = time.time() - older_than_seconds
        removed = 0
        for path in self.abandoned_uploads():
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
        return removed

    def describe(self) -> str:
        return f"local folder {self.root} (read-only files, never overwritten)"


def _closing_chunks(handle: IO[bytes]) -> Iterator[bytes]:
    with handle:
        yield from file_chunks(handle)


def _fsync_dir(path: Path) -> None:
    # The new directory entry must reach the disk too, or a power cut could lose the link.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- S3-compatible storage -----------------------------------------------------------------------
class S3Vault:
    """Blobs as objects ``<prefix><sha256>`` in an S3-compatible bucket."""

    def __init__(self, client: Any, bucket: str, prefix: str = "evidence/") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self._object_lock: bool | None = None

    def key_of(self, sha256: str) -> str:
        return f"{self.prefix}{_check_address(sha256)}"

    @property
    def object_lock(self) -> bool:
        """Whether the bucket has S3 Object Lock switched on (then versions cannot be removed
        before their retention date, whoever asks)."""
        if self._object_lock is None:
            try:
                found = self.client.get_object_lock_configuration(Bucket=self.bucket)
                config = found.get("ObjectLockConfiguration", {})
                self._object_lock = config.get("ObjectLockEnabled") == "Enabled"
            except Exception:  # no configuration, or a store without the feature
                self._object_lock = False
        return self._object_lock

    def put_stream(self, chunks: Iterable[bytes], *, max_size: int) -> StoredBlob:
        with tempfile.TemporaryFile() as spool:
            sha256, size = _spool(chunks, spool, max_size)
            if self.exists(sha256):
                return StoredBlob(sha256, size, False)
            spool.seek(0)
            self.client.put_object(
                Bucket=self.bucket,
                Key=self.key_of(sha256),
                Body=spool,
                ContentLength=size,
                ChecksumSHA256=base64.b64encode(bytes.fromhex(sha256)).decode(),
                ContentType="application/octet-stream",
            )
            return StoredBlob(sha256, size, True)

    def exists(self, sha256: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key_of(sha256))
        except Exception as exc:
            if _s3_not_found(exc):
                return False
            raise
        return True

    def open_chunks(self, sha256: str) -> Iterator[bytes]:
        try:
            found = self.client.get_object(Bucket=self.bucket, Key=self.key_of(sha256))
        except Exception as exc:
            if _s3_not_found(exc):
                raise BlobMissing(f"no stored file has the SHA-256 {sha256}") from exc
            raise
        body = found["Body"]
        return _closing_s3(body)

    def verify(self, sha256: str) -> BlobCheck:
        digest = hashlib.sha256()
        try:
            for chunk in self.open_chunks(sha256):
                digest.update(chunk)
        except BlobMissing:
            return BlobCheck(sha256, "missing")
        actual = digest.hexdigest()
        return BlobCheck(sha256, "ok" if actual == sha256 else "altered", actual)

    def delete(self, sha256: str) -> bool:
        if not self.exists(sha256):
            return False
        self.client.delete_object(Bucket=self.bucket, Key=self.key_of(sha256))
        return True

    def describe(self) -> str:
        lock = (
            "S3 Object Lock is on for this bucket"
            if self.object_lock
            else "no S3 Object Lock on this bucket: objects are protected by never being "
            "written twice"
        )
        return f"S3 bucket {self.bucket}, prefix {self.prefix!r} ({lock})"


def _closing_s3(body: Any) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(CHUNK)
    finally:
        body.close()


def _s3_not_found(exc: Exception) -> bool:
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return False
    code = str(response.get("Error", {}).get("Code", ""))
    return code in {"404", "NoSuchKey", "NotFound"}


# -- configuration -------------------------------------------------------------------------------
class EvidenceSettings(BaseSettings):
    """Where evidence is kept: ``BOUNDARIES_EVIDENCE_DIR`` (default ``data/evidence``), or an S3
    bucket with ``BOUNDARIES_EVIDENCE_S3_BUCKET`` (and ``_S3_PREFIX``, ``_S3_ENDPOINT_URL``;
    credentials come from the usual AWS variables or files)."""

    model_config = SettingsConfigDict(env_prefix="BOUNDARIES_EVIDENCE_", extra="ignore")

    dir: Path = Path("data") / "evidence"
    max_upload_mb: float = DEFAULT_MAX_UPLOAD / (1024 * 1024)
    s3_bucket: str | None = None
    s3_prefix: str = "evidence/"
    s3_endpoint_url: str | None = None

    @property
    def max_upload(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)


def vault_from_settings(settings: EvidenceSettings | None = None) -> Vault:
    """The vault the settings name: S3 when a bucket is given, else the local folder."""
    settings = settings or EvidenceSettings()
    if settings.s3_bucket:
        import boto3  # type: ignore[import-untyped]

        client = boto3.client("s3", endpoint_url=settings.s3_endpoint_url)
        return S3Vault(client, settings.s3_bucket, settings.s3_prefix)
    root = settings.dir if settings.dir.is_absolute() else Path.cwd() / settings.dir
    return LocalVault(root)
