"""Evidence on a case: uploads into the vault, originals, previews and the case bundle."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
