"""Shared fixtures. The shared data folder sits beside the clone (``../shared``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def shared_file(relative: str) -> Path:
    """A file from ../shared, or a skip that names the missing file. In CI, where shared/ is
    always beside the clone, a missing file fails instead: a quality gate must not go quiet."""
    path = SHARED / relative
    if not path.exists():
        message = f"needs {path} (the shared data folder beside the clone)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path
