"""What a platform export yields: connections, problems and notes for the member of staff."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Platform(StrEnum):
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    X = "x"
    LINKEDIN = "linkedin"
    TIKTOK = "tiktok"
    SNAPCHAT = "snapchat"


class ConnectionKind(StrEnum):
    FRIEND = "friend"
    FOLLOWER = "follower"
    FOLLOWING = "following"
    REQUEST_SENT = "request_sent"
    REQUEST_RECEIVED = "request_received"
    CONNECTION = "connection"  # LinkedIn's mutual link


@dataclass(frozen=True, slots=True)
class Connection:
    """One person linked to the member of staff on one platform."""

    platform: Platform
    kind: ConnectionKind
    name: str  # display name as the platform gives it, mojibake repaired; "" if none
    handle: str = ""  # user name without "@"; "" if none
    url: str = ""  # profile address if given
    since: datetime | None = None  # aware UTC when the export gives a time
    source_file: str = ""  # path inside the ZIP
    extra: tuple[tuple[str, str], ...] = ()  # e.g. LinkedIn's company and position


@dataclass(frozen=True)
class FileProblem:
    """A file inside the export that could not be read; the rest is still read."""

    file: str  # path inside the ZIP (or the upload's name)
    message: str  # names the file and what was expected


@dataclass
class ExportReading:
    """Everything read from one upload."""

    platforms: list[Platform] = field(default_factory=list)
    connections: list[Connection] = field(default_factory=list)
    # Counted but impossible to match by name, e.g. X's numeric account ids.
    unmatchable: dict[str, int] = field(default_factory=dict)
    problems: list[FileProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class ExportError(ValueError):
    """The whole upload is unusable; the message is meant for the member of staff."""
