"""Shared fixtures. The shared data folder sits beside the clone (``../shared``)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def shared_file(relative: str) -> Path:
    """A file from ../shared, or a skip that names the missing file."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"needs {path} (the shared data folder beside the clone)")
    return path
