"""Random tokens and the digests under which they are stored."""

from __future__ import annotations

import hashlib
import secrets as _secrets


def new_token() -> str:
    """A fresh unguessable token (256 bits, URL-safe)."""
    return _secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """The SHA-256 hex digest a token is stored under; the token itself is never stored."""
    return hashlib.sha256(token.encode()).hexdigest()
