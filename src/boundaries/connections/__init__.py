"""Audit a member of staff's social media connections for pupils (policy 6.8, 9.1)."""

from boundaries.connections.exports import read_export
from boundaries.connections.model import (
    Connection,
    ConnectionKind,
    ExportError,
    ExportReading,
    FileProblem,
    Platform,
)

__all__ = [
    "Connection",
    "ConnectionKind",
    "ExportError",
    "ExportReading",
    "FileProblem",
    "Platform",
    "read_export",
]
