"""Audit my connections: a platform export checked against the pupil roster (6.8, 9.1)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
