"""The store's tables: trusts, their schools, people, and the roles people hold.

One installation serves a council or an academy trust with many schools, kept strictly apart.
A person's roles are held per school (:class:`Membership`); roles across a whole trust are
held separately (:class:`TrustRole`) and are the only thing that reaches beyond one school.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import (
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    MetaData,
    String,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored and returned in UTC, always timezone-aware.

    Naive values are refused rather than guessed at; SQLite, which keeps no zone, gives back
    values that are marked as UTC on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware (UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """The declarative base for every table in the store."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    """A portable enum column: stored as its values in a string with a CHECK constraint."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class TrustKind(enum.StrEnum):
    """What kind of body runs the installation."""

    COUNCIL = "council"
    ACADEMY_TRUST = "academy_trust"


class PersonKind(enum.StrEnum):
    """How a person stands towards the schools (section 2 of the policy)."""

    STAFF = "staff"
    GOVERNOR = "governor"
    CONTRACTOR = "contractor"
    VOLUNTEER = "volunteer"
    TRUST_OFFICER = "trust_officer"


class SchoolRole(enum.StrEnum):
    """A role a person holds in one school."""

    STAFF_TEACHER = "staff_teacher"
    STAFF_SUPPORT = "staff_support"
    SUPPLY = "supply"
    GOVERNOR = "governor"
    CONTRACTOR = "contractor"
    VOLUNTEER = "volunteer"
    LINE_MANAGER = "line_manager"
    HEADTEACHER = "headteacher"
    DSL = "dsl"
    HR = "hr"
    IT_ADMIN = "it_admin"


class TrustRoleKind(enum.StrEnum):
    """A role a person holds across a whole trust or council."""

    TRUST_ADMIN = "trust_admin"
    TRUST_SAFEGUARDING = "trust_safeguarding"
    TRUST_HR = "trust_hr"


class Trust(Base):
    """A council or academy trust: the body one installation serves."""

    __tablename__ = "trust"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[TrustKind] = mapped_column(_enum(TrustKind, "trust_kind"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)

    schools: Mapped[list[School]] = relationship(back_populates="trust")
    roles: Mapped[list[TrustRole]] = relationship(back_populates="trust")

    def __repr__(self) -> str:
        return f"Trust(id={self.id!r}, name={self.name!r})"


class School(Base):
    """A school, belonging to one trust; its data is kept apart from every other school's."""

    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    trust_id: Mapped[int] = mapped_column(ForeignKey("trust.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    urn: Mapped[str] = mapped_column(String(16), unique=True)
    local_authority: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)

    trust: Mapped[Trust] = relationship(back_populates="schools")
    memberships: Mapped[list[Membership]] = relationship(back_populates="school")

    def __repr__(self) -> str:
        return f"School(id={self.id!r}, name={self.name!r}, urn={self.urn!r})"


class Person(Base):
    """Someone known to the installation; e-mail addresses are unique (compared in lower case)."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    kind: Mapped[PersonKind] = mapped_column(_enum(PersonKind, "person_kind"))
    # Set when the person's account is disabled (a leaver): they can no longer sign in, and
    # everything recorded about them is kept.
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)

    memberships: Mapped[list[Membership]] = relationship(back_populates="person")
    trust_roles: Mapped[list[TrustRole]] = relationship(back_populates="person")

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        return value.strip().lower()

    def __repr__(self) -> str:
        return f"Person(id={self.id!r}, name={self.name!r})"


class Membership(Base):
    """One role a person holds in one school."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("person_id", "school_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    role: Mapped[SchoolRole] = mapped_column(_enum(SchoolRole, "school_role"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)

    person: Mapped[Person] = relationship(back_populates="memberships")
    school: Mapped[School] = relationship(back_populates="memberships")

    def __repr__(self) -> str:
        return (
            f"Membership(person_id={self.person_id!r}, school_id={self.school_id!r}, "
            f"role={self.role!r})"
        )


class TrustRole(Base):
    """One role a person holds across a whole trust: the only grant that reaches past a school."""

    __tablename__ = "trust_role"
    __table_args__ = (UniqueConstraint("person_id", "trust_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    trust_id: Mapped[int] = mapped_column(ForeignKey("trust.id", ondelete="CASCADE"), index=True)
    role: Mapped[TrustRoleKind] = mapped_column(_enum(TrustRoleKind, "trust_role_kind"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)

    person: Mapped[Person] = relationship(back_populates="trust_roles")
    trust: Mapped[Trust] = relationship(back_populates="roles")

    def __repr__(self) -> str:
        return (
            f"TrustRole(person_id={self.person_id!r}, trust_id={self.trust_id!r}, "
            f"role={self.role!r})"
        )
