"""Shared fixtures. The shared data folder sits beside the clone (``../shared``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from boundaries.policy import load_pack
from boundaries.screening.detectors.base import Detector, Span
from boundaries.screening.normalise import Document

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

# Fixtures for every module: the browser ones (browser, servers, server, viewport, watch, page)
# and `db_url` (SQLite and PostgreSQL).
pytest_plugins = ["tests.databases", "tests.browser_fixtures"]


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


# The score at which the engine reports a span: detector tests assert what a user would see.
REPORT = load_pack().thresholds.report


def reported(detector: Detector, text: str, rule: str | None = None) -> list[Span]:
    """The spans of ``detector`` on ``text`` (of one rule, if given) that the engine reports."""
    return [
        s
        for s in detector.detect(Document(text))
        if (rule is None or s.rule == rule) and s.score >= REPORT
    ]


def reported_evidence(detector: Detector, text: str, rule: str | None = None) -> list[str]:
    """The text under each reported span."""
    return [text[s.start : s.end] for s in reported(detector, text, rule)]
