"""Image screening on the self-check page: photos and screenshots before they are posted (6.15)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
