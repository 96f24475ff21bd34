"""Which files in an export hold connections, and which reader understands each of them.

Paths change between eras and ZIPs gain wrapper folders, so files are recognised by their own
names (and, where several platforms share a name such as ``friends.json``, by their content).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from boundaries.connections.exports import facebook, instagram, linkedin, snapchat, tiktok, x
from boundaries.connections.exports.common import FileResult, UnreadableFile, load_json
from boundaries.connections.model import ConnectionKind, Platform

Reader = Callable[[str, bytes], FileResult]


@dataclass(frozen=True)
class Route:
    """How to read one recognised file."""

    platform: Platform | None  # None until the content says (shared names)
    read: Reader | None  # None for an HTML export file, which we do not read
    html: bool = False


def _facebook(kind: ConnectionKind) -> Reader:
    def read(path: str, data: bytes) -> FileResult:
        doc = load_json(path, data, facebook.EXPECTED)
        return facebook.read_document(path, doc, kind)

    return read


def _instagram(kind: ConnectionKind | None) -> Reader:
    def read(path: str, data: bytes) -> FileResult:
        doc = load_json(path, data, instagram.EXPECTED)
        return instagram.read_document(path, doc, kind)

    return read


def _shared(kind: ConnectionKind | None) -> Reader:
    expected = "a list of friends or followers from Facebook, Instagram or Snapchat"

    def read(path: str, data: bytes) -> FileResult:
        doc = load_json(path, data, expected)
        if facebook.is_facebook_document(doc):
            return facebook.read_document(path, doc, kind)
        if snapchat.is_snapchat_document(doc):
            return snapchat.read_document(path, doc)
        if instagram.is_instagram_document(doc):
            return instagram.read_document(path, doc, kind)
        raise UnreadableFile(f"We could not read {path}: we expected {expected}.")

    return read


def _tiktok(path: str, data: bytes) -> FileResult:
    return tiktok.read_document(path, load_json(path, data, tiktok.EXPECTED))


def _tiktok_text(kind: ConnectionKind) -> Reader:
    return lambda path, data: tiktok.read_text_file(path, data, kind)


def _x(which: str) -> Reader:
    return lambda path, data: x.read_file(path, data, which)


_SHARED_NAMES = {**facebook.SHARED_KINDS, "connections.json": None}
_FACEBOOK_HTML = frozenset(name.removesuffix(".json") + ".html" for name in facebook.FILE_KINDS) | {
    "friends.html"
}
_INSTAGRAM_HTML = re.compile(r"^(followers(_\d+)?|following|pending_follow_requests)\.html$")


def route_for(path: str) -> Route | None:
    """The reader for a file inside an export, or None when it holds no connections."""
    parts = path.lower().split("/")
    name = parts[-1]
    if name in facebook.FILE_KINDS:
        return Route(Platform.FACEBOOK, _facebook(facebook.FILE_KINDS[name]))
    if instagram.FOLLOWERS_FILE.match(name) and name != "followers.json":
        return Route(Platform.INSTAGRAM, _instagram(ConnectionKind.FOLLOWER))
    if name in instagram.FILE_KINDS:
        return Route(Platform.INSTAGRAM, _instagram(instagram.FILE_KINDS[name]))
    if name in _SHARED_NAMES:
        return Route(None, _shared(_SHARED_NAMES[name]))
    if name in tiktok.FILE_NAMES:
        return Route(Platform.TIKTOK, _tiktok)
    tiktok_text = tiktok.text_kind(name)
    if tiktok_text is not None:
        return Route(Platform.TIKTOK, _tiktok_text(tiktok_text))
    which = x.kind_of(name)
    if which is not None:
        return Route(Platform.X, _x(which))
    if name == linkedin.FILE_NAME:
        return Route(Platform.LINKEDIN, linkedin.read_file)
    return _html_route(parts)


def _html_route(parts: list[str]) -> Route | None:
    name = parts[-1]
    folders = parts[:-1]
    if name == "friends.html" and "html" in folders:
        return Route(Platform.SNAPCHAT, None, html=True)
    if _INSTAGRAM_HTML.match(name):
        # Instagram keeps these in followers_and_following/; Facebook in connections/followers/.
        if "followers_and_following" in folders or name.startswith("followers_"):
            return Route(Platform.INSTAGRAM, None, html=True)
        return Route(Platform.FACEBOOK, None, html=True)
    if name in _FACEBOOK_HTML:
        return Route(Platform.FACEBOOK, None, html=True)
    return None


# Signs of a platform's download that lacks the connections files, for a helpful message.
_HINTS: tuple[tuple[re.Pattern[str], Platform], ...] = (
    (re.compile(r"(^|/)(your_facebook_activity|facebook-[^/]*)(/|$)"), Platform.FACEBOOK),
    (re.compile(r"(^|/)(your_instagram_activity|instagram-[^/]*)(/|$)"), Platform.INSTAGRAM),
    (re.compile(r"(^|/)data/(account|tweets?)\.js$|your archive\.html$"), Platform.X),
    (re.compile(r"(^|/)(profile|positions|education)\.csv$"), Platform.LINKEDIN),
    (re.compile(r"(^|/)json/(account|snap_history|chat_history)\.json$"), Platform.SNAPCHAT),
)


def platform_hint(path: str) -> Platform | None:
    lowered = path.lower()
    for pattern, platform in _HINTS:
        if pattern.search(lowered):
            return platform
    return None
