"""Read the data downloads social media platforms give their users, in memory only.

``read_export`` takes the ZIP file exactly as the platform handed it over (or one of its
connection files on its own) and returns the people in it. Nothing is written to disk or stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from boundaries.connections.exports import notes, x
from boundaries.connections.exports.archive import (
    DEFAULT_LIMITS,
    ExportLimits,
    MemberTooLarge,
    MemberUnreadable,
    OpenedUpload,
    open_upload,
)
from boundaries.connections.exports.common import FileResult, UnreadableFile
from boundaries.connections.exports.detect import platform_hint, route_for
from boundaries.connections.exports.x import FOLLOWERS_LABEL, FOLLOWING_LABEL
from boundaries.connections.model import (
    Connection,
    ExportError,
    ExportReading,
    FileProblem,
    Platform,
)

__all__ = ["DEFAULT_LIMITS", "ExportLimits", "read_export"]


def read_export(
    data: bytes | BinaryIO | Path,
    filename: str = "",
    *,
    limits: ExportLimits = DEFAULT_LIMITS,
) -> ExportReading:
    """Everything we can read from one upload; raises ExportError when nothing usable is in it."""
    label = filename or _name_of(data) or "The upload"
    opened = open_upload(data, label, limits)
    try:
        return _read_members(opened, label)
    finally:
        opened.close()


def _read_members(opened: OpenedUpload, label: str) -> ExportReading:
    problems = [FileProblem(file, message) for file, message in opened.problems]
    results: list[FileResult] = []
    seen_platforms: set[Platform] = set()
    html_platforms: list[Platform] = []
    hint: Platform | None = None
    for member in opened.members:
        route = route_for(member.path)
        if route is None:
            hint = hint or platform_hint(member.path)
            continue
        if route.platform is not None:
            seen_platforms.add(route.platform)
        if route.read is None:
            if route.platform is not None and route.platform not in html_platforms:
                html_platforms.append(route.platform)
            continue
        try:
            result = route.read(member.path, member.read())
        except (UnreadableFile, MemberTooLarge, MemberUnreadable) as exc:
            problems.append(FileProblem(member.path, str(exc)))
            continue
        seen_platforms.add(result.platform)
        results.append(result)
    if not results and html_platforms:
        # Only the HTML download: an audit of nothing would read as "no pupils found".
        raise ExportError(" ".join(notes.html_export(p) for p in html_platforms))
    if not results:
        # Nothing read at all: an empty result would look like "no pupils found".
        if not opened.was_zip and not seen_platforms:
            raise ExportError(
                f"{label} is not a ZIP file, or it is incomplete or damaged. Upload the ZIP file "
                "exactly as the platform gave it to you."
            )
        if problems:
            raise ExportError(" ".join(p.message for p in problems))
        if hint is not None:
            raise ExportError(notes.missing_connections(hint, label))
        raise ExportError(notes.nothing_recognised(label))
    return _assemble(results, seen_platforms, html_platforms, problems)


def _assemble(
    results: list[FileResult],
    seen_platforms: set[Platform],
    html_platforms: list[Platform],
    problems: list[FileProblem],
) -> ExportReading:
    reading = ExportReading(
        platforms=[p for p in Platform if p in seen_platforms],
        connections=_without_duplicates(c for r in results for c in r.connections),
        unmatchable={},
        problems=problems,
        notes=[],
    )
    read_platforms = {r.platform for r in results}
    for result in results:
        for label, count in result.unmatchable.items():
            reading.unmatchable[label] = reading.unmatchable.get(label, 0) + count
    for platform in html_platforms:
        if platform not in read_platforms:
            reading.notes.append(notes.html_export(platform))
    if Platform.X in read_platforms:
        reading.notes.append(
            x.note(
                reading.unmatchable.get(FOLLOWERS_LABEL), reading.unmatchable.get(FOLLOWING_LABEL)
            )
        )
    for platform in (Platform.INSTAGRAM, Platform.TIKTOK):
        if any(c.platform is platform and not c.name for c in reading.connections):
            reading.notes.append(notes.names_only_user_names(platform))
    return reading


def _without_duplicates(connections: Iterable[Connection]) -> list[Connection]:
    """Drop repeats: the same account listed twice, or one file read from two copies.

    Two Facebook friends may share a name, so name-only entries are dropped only when the same
    name and time come from a different file.
    """
    kept: list[Connection] = []
    by_handle: set[tuple[Platform, str, str]] = set()
    by_name: dict[tuple[Platform, str, str, object], str] = {}
    for item in connections:
        if item.handle:
            key = (item.platform, str(item.kind), item.handle.lower())
            if key in by_handle:
                continue
            by_handle.add(key)
        else:
            name_key = (item.platform, str(item.kind), item.name, item.since)
            first_file = by_name.setdefault(name_key, item.source_file)
            if first_file != item.source_file:
                continue
        kept.append(item)
    return kept


def _name_of(data: bytes | BinaryIO | Path) -> str:
    if isinstance(data, Path):
        return data.name
    name = getattr(data, "name", "")
    return Path(name).name if isinstance(name, str) else ""
