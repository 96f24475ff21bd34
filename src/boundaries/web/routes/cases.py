"""Incidents and cases: reporting, evidence, the investigation workflow, bundles (sections
6, 11, 12).
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
