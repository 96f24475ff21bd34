"""What kind of file an upload is, from its content: the name and the browser's claim are not
trusted (a renamed program is still a program).

Accepted as evidence: screenshots (PNG, JPEG), PDF, saved e-mails (``.eml``, RFC 822), saved
web pages (HTML, and MHTML, which is a ``multipart/related`` message), and message exports
(JSON, CSV, plain text, as WhatsApp, Messenger, Teams and phones produce them). Anything else
is refused with a message that says what it looks like and what would be accepted.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass

HEAD_BYTES = 64 * 1024  # enough to see any of the formats below for what it is

ACCEPTED = (
    "PNG or JPEG screenshots, PDF, saved e-mails (.eml), saved web pages (HTML or MHTML) "
    "and message exports (JSON, CSV or plain text)"
)


class Refused(ValueError):
    """The file is not a kind of evidence Boundaries keeps; the message says why."""


@dataclass(frozen=True)
class Sniffed:
    """What the content says the file is."""

    media_type: str
    label: str  # for people: "PNG image", "Saved e-mail"
    extension: str  # the usual extension, for file names in bundles

    @property
    def is_image(self) -> bool:
        return self.media_type in ("image/png", "image/jpeg")


PNG = Sniffed("image/png", "PNG image", "png")
JPEG = Sniffed("image/jpeg", "JPEG image", "jpg")
PDF = Sniffed("application/pdf", "PDF document", "pdf")
EML = Sniffed("message/rfc822", "Saved e-mail", "eml")
MHTML = Sniffed("multipart/related", "Saved web page (MHTML)", "mhtml")
HTML = Sniffed("text/html", "Saved web page (HTML)", "html")
JSON = Sniffed("application/json", "Message export (JSON)", "json")
CSV = Sniffed("text/csv", "Message export (CSV)", "csv")
TEXT = Sniffed("text/plain", "Message export (text)", "txt")
ALL = (PNG, JPEG, PDF, EML, MHTML, HTML, JSON, CSV, TEXT)
BY_MEDIA_TYPE = {kind.media_type: kind for kind in ALL}

# Kinds people commonly try that are not accepted, named so the refusal can say what it saw.
_KNOWN_OTHERS: tuple[tuple[bytes, int, str], ...] = (
    (b"GIF87a", 0, "a GIF image"),
    (b"GIF89a", 0, "a GIF image"),
    (b"PK\x03\x04", 0, "a ZIP archive (or a Word, Excel or PowerPoint file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "an old Microsoft Office file"),
    (b"MZ", 0, "a Windows program"),
    (b"\x7fELF", 0, "a program"),
    (b"Rar!", 0, "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7-Zip archive"),
    (b"\x1f\x8b", 0, "a compressed (gzip) file"),
    (b"ftypheic", 4, "a HEIC photo"),
    (b"ftypheix", 4, "a HEIC photo"),
    (b"ftypmif1", 4, "a HEIC photo"),
    (b"ftyp", 4, "a video"),
    (b"ID3", 0, "an audio file"),
    (b"OggS", 0, "an audio or video file"),
    (b"BM", 0, "a BMP image"),
    (b"II*\x00", 0, "a TIFF image"),
    (b"MM\x00*", 0, "a TIFF image"),
)

_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]?")
_CONTINUATION = re.compile(rb"^[ \t]+\S")
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta[\s>])",
    re.IGNORECASE | re.DOTALL,
)
# Headers every e-mail carries at least two of; an MHTML file carries From/Subject/MIME-Version.
_MAIL_HEADERS = frozenset(
    {b"from", b"to", b"subject", b"date", b"message-id", b"received", b"return-path", b"cc"}
)


def sniff(head: bytes, *, complete: bool) -> Sniffed:
    """The kind of file whose first bytes are ``head``; ``complete`` says ``head`` is the whole
    file (then JSON is parsed whole rather than recognised by its start).

    Raises :class:`Refused` for anything that is not accepted.
    """
    if not head:
        raise Refused("The file is empty.")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    # Readers accept a PDF header anywhere in the first kilobyte (some writers put junk first).
    if b"%PDF-" in head[:1024]:
        return PDF
    for magic, offset, what in _KNOWN_OTHERS:
        if head[offset : offset + len(magic)] == magic:
            raise Refused(f"This file looks like {what}, which is not accepted. {_accepts()}")
    text = _as_text(head, complete=complete)
    if text is None:
        raise Refused(f"This file is not a kind of evidence Boundaries keeps. {_accepts()}")
    body = head.lstrip(b"\xef\xbb\xbf")
    headers = _rfc822_headers(body)
    if headers is not None:
        content_type = headers.get(b"content-type", b"").lower()
        if content_type.startswith(b"multipart/related"):
            return MHTML
        if len(_MAIL_HEADERS & headers.keys()) >= 2:
            return EML
    if _HTML_START.match(body[:4096]):
        return HTML
    stripped = text.lstrip()
    if stripped[:1] in ("{", "[") and (not complete or _parses_as_json(text)):
        return JSON
    if _looks_like_csv(text, complete=complete):
        return CSV
    if stripped:
        return TEXT
    raise Refused("The file holds nothing but blank space.")


def _accepts() -> str:
    return f"Evidence can be {ACCEPTED}."


def _as_text(head: bytes, *, complete: bool) -> str | None:
    """The bytes as UTF-8 text, or None when they are not text (NULs, invalid bytes)."""
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The head may end part-way through a character; only the very end may be cut.
        if complete or exc.start < len(head) - 3:
            return None
        text = head[: exc.start].decode("utf-8")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(2, len(text) // 200):
        return None
    return text.removeprefix("\ufeff")


def _rfc822_headers(body: bytes) -> dict[bytes, bytes] | None:
    """The header block of an RFC 822 message at the start of ``body``, or None when the start
    is not one (every line a header or a folded continuation, then a blank line)."""
    headers: dict[bytes, bytes] = {}
    last: bytes | None = None
    lines = body.split(b"\n")
    for index, raw in enumerate(lines):
        line = raw.rstrip(b"\r")
        if not line:
            return headers if headers and index > 0 else None
        if _CONTINUATION.match(line) and last is not None:
            headers[last] += b" " + line.strip()
            continue
        if not _HEADER_LINE.match(line):
            return None
        name, _, value = line.partition(b":")
        last = name.strip().lower()
        headers[last] = value.strip()
        if index > 500:
            return None
    return None


def _parses_as_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _looks_like_csv(text: str, *, complete: bool) -> bool:
    """At least two lines that split into the same number (two or more) of fields."""
    lines = text.splitlines()
    if not complete and len(lines) > 1:
        lines = lines[:-1]  # the last line of a head may be cut short
    lines = [line for line in lines[:50] if line.strip()]
    if len(lines) < 2:
        return False
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",;\t|")
    except csv.Error:
        return False
    rows = list(csv.reader(lines, dialect))
    widths = {len(row) for row in rows}
    return len(widths) == 1 and widths.pop() >= 2
