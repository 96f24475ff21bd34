"""What the screening knows about the author's world: the school, the author, pupils, parents.

Every key is optional. The context is immutable and hashable, so the compiled form of a roster
(automata, name tables) is built once per context and reused for every post.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator


class ContextError(ValueError):
    """A context or roster that cannot be used, with a message saying where and why."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


class School(_Frozen):
    name: str | None = None
    aliases: tuple[str, ...] = ()
    local_authority: str | None = None
    staff: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every name the school goes by, longest first."""
        names = [n for n in (self.name, *self.aliases) if n]
        return tuple(sorted(set(names), key=len, reverse=True))


class Author(_Frozen):
    name: str | None = None
    personal_phone: str | None = None
    personal_email: str | None = None


class Pupil(_Frozen):
    forename: str = Field(min_length=1)
    surname: str | None = None
    preferred_name: str | None = None
    date_of_birth: dt.date | None = None
    year_group: str | None = None

    _blank = field_validator(
        "surname", "preferred_name", "date_of_birth", "year_group", mode="before"
    )(_blank_to_none)

    @property
    def display(self) -> str:
        return " ".join(p for p in (self.preferred_name or self.forename, self.surname) if p)


class Parent(_Frozen):
    name: str = Field(min_length=1)
    children: tuple[str, ...] = ()


class ScreeningContext(_Frozen):
    school: School = School()
    author: Author = Author()
    pupils: tuple[Pupil, ...] = ()
    parents: tuple[Parent, ...] = ()
    confidential_terms: tuple[str, ...] = ()
    _hash: int | None = PrivateAttr(default=None)

    def __hash__(self) -> int:
        # Screeners are cached per context: hashing a 3,000-pupil roster on every screen() call
        # would cost more than screening the post, so the hash is kept (the context is frozen).
        if self._hash is None:
            self._hash = hash((self.school, self.author, self.pupils, self.parents,
                               self.confidential_terms))  # fmt: skip
        return self._hash

    def __eq__(self, other: object) -> bool:
        # pydantic's == also compares private attributes, so a hashed context never equalled a
        # fresh copy of itself; compare the fields, hashes first (cached, so cheap).
        if self is other:
            return True
        if not isinstance(other, ScreeningContext):
            return NotImplemented
        return hash(self) == hash(other) and self._fields() == other._fields()

    def _fields(self) -> tuple[object, ...]:
        return (self.school, self.author, self.pupils, self.parents, self.confidential_terms)

    @classmethod
    def coerce(cls, value: ScreeningContext | dict[str, Any] | None) -> ScreeningContext:
        """Accept a context, a dict in the JSON layout, or None (an empty context)."""
        if value is None:
            return EMPTY_CONTEXT
        if isinstance(value, ScreeningContext):
            return value
        if not isinstance(value, dict):
            raise ContextError("the context must be a JSON object")
        try:
            return cls.model_validate(value)
        except ValidationError as exc:
            raise ContextError(_describe(exc)) from None

    @classmethod
    def from_json_file(cls, path: str | Path) -> ScreeningContext:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ContextError(f"cannot read the context file {path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise ContextError(f"the context file {path} is not UTF-8 text") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ContextError(
                f"the context file {path} is not valid JSON: {exc.msg} (line {exc.lineno})"
            ) from None
        try:
            return cls.coerce(data)
        except ContextError as exc:
            raise ContextError(f"the context file {path} is not valid: {exc}") from None

    def with_pupils(self, pupils: tuple[Pupil, ...]) -> ScreeningContext:
        # Validated anew, not model_copy: a copy would carry this context's cached hash.
        return ScreeningContext.model_validate({**dict(self), "pupils": self.pupils + pupils})


EMPTY_CONTEXT = ScreeningContext()

PUPIL_FIELDS = tuple(Pupil.model_fields)


def read_pupils_csv(path: str | Path) -> tuple[Pupil, ...]:
    """Pupils from a CSV whose header uses the context's pupil field names.

    Columns other than those fields are ignored; every row is checked and all problems are
    reported together with their row numbers (the header is row 1).
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ContextError(f"cannot read the pupils file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ContextError(f"the pupils file {path} is not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise ContextError(f"the pupils file {path} has the column {', '.join(repeated)} twice")
    if "forename" not in header:
        raise ContextError(
            f"the pupils file {path} needs a header row with at least 'forename'; "
            f"the fields are {', '.join(PUPIL_FIELDS)}"
        )
    pupils: list[Pupil] = []
    problems: list[str] = []
    for row_number, row in enumerate(reader, start=2):
        values = {k.strip(): v for k, v in row.items() if k and k.strip() in PUPIL_FIELDS}
        if not any((v or "").strip() for v in values.values()):
            continue  # a blank line
        try:
            pupils.append(Pupil.model_validate(values))
        except ValidationError as exc:
            problems.append(f"row {row_number}: {_describe(exc)}")
    if problems:
        raise ContextError(f"the pupils file {path} has errors:\n  " + "\n  ".join(problems))
    return tuple(pupils)


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        parts.append(f"{loc}: {err['msg']}" if loc else err["msg"])
    return "; ".join(parts)
