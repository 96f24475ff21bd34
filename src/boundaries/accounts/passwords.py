"""Password hashing with argon2id (argon2-cffi's RFC 9106 low-memory profile)."""

from __future__ import annotations

import contextlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.orm import Session

from boundaries.store import Credential, Person
from boundaries.store.models import utc_now

_HASHER = PasswordHasher()
# Verified against when the e-mail is unknown, so that a wrong address takes as long to refuse
# as a wrong password and the timing does not reveal who has an account.
_DUMMY_HASH = _HASHER.hash("not a real password, only for equal timing")


class PasswordTooWeak(ValueError):
    """The new password does not meet the rules; the message says which."""


def password_problem(password: str, min_length: int) -> str | None:
    """Why ``password`` is not acceptable, or ``None``.

    Follows NCSC guidance: length over complexity rules, and no upper limit below 128.
    """
    if len(password) < min_length:
        return f"Use at least {min_length} characters."
    if len(password) > 128:
        return "Use at most 128 characters."
    if password.strip() == "" or len(set(password)) < 4:
        return "Use a password with more variety than that."
    return None


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _HASHER.hash(password)


def set_password(session: Session, person: Person, password: str, min_length: int = 12) -> None:
    """Give ``person`` a new local password (validated, hashed); the caller commits."""
    problem = password_problem(password, min_length)
    if problem is not None:
        raise PasswordTooWeak(problem)
    credential = session.get(Credential, person.id)
    if credential is None:
        session.add(Credential(person_id=person.id, password_hash=hash_password(password)))
    else:
        credential.password_hash = hash_password(password)
        credential.changed_at = utc_now()


def check_password(session: Session, person: Person | None, password: str) -> bool:
    """Whether ``password`` is right for ``person``; rehashes when the parameters have moved on."""
    credential = session.get(Credential, person.id) if person is not None else None
    if credential is None:
        with contextlib.suppress(VerificationError):
            _HASHER.verify(_DUMMY_HASH, password)
        return False
    try:
        _HASHER.verify(credential.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if _HASHER.check_needs_rehash(credential.password_hash):
        credential.password_hash = hash_password(password)
    return True
