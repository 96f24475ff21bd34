"""Lawful monitoring: authorisations, proxy logs, reports and filtering decisions (sections
5, 12).
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
