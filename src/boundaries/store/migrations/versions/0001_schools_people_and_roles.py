"""Trusts, schools, people, and the roles people hold per school and per trust.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 14:49:32
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRUST_KINDS = ("council", "academy_trust")
PERSON_KINDS = ("staff", "governor", "contractor", "volunteer", "trust_officer")
SCHOOL_ROLES = (
    "staff_teacher",
    "staff_support",
    "supply",
    "governor",
    "contractor",
    "volunteer",
    "line_manager",
    "headteacher",
    "dsl",
    "hr",
    "it_admin",
)
TRUST_ROLES = ("trust_admin", "trust_safeguarding", "trust_hr")


def _one_of(column: str, values: Sequence[str], name: str) -> sa.CheckConstraint:
    allowed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=name)


def _created_at() -> sa.Column[datetime]:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_person"),
        sa.UniqueConstraint("email", name="uq_person_email"),
        _one_of("kind", PERSON_KINDS, "ck_person_person_kind"),
    )
    op.create_table(
        "trust",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_trust"),
        sa.UniqueConstraint("name", name="uq_trust_name"),
        _one_of("kind", TRUST_KINDS, "ck_trust_trust_kind"),
    )
    op.create_table(
        "school",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trust_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("urn", sa.String(length=16), nullable=False),
        sa.Column("local_authority", sa.String(length=200), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["trust_id"], ["trust.id"], name="fk_school_trust_id_trust", ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_school"),
        sa.UniqueConstraint("urn", name="uq_school_urn"),
    )
    op.create_index("ix_school_trust_id", "school", ["trust_id"])
    op.create_table(
        "trust_role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("trust_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name="fk_trust_role_person_id_person", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["trust_id"], ["trust.id"], name="fk_trust_role_trust_id_trust", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_trust_role"),
        sa.UniqueConstraint(
            "person_id", "trust_id", "role", name="uq_trust_role_person_id_trust_id_role"
        ),
        _one_of("role", TRUST_ROLES, "ck_trust_role_trust_role_kind"),
    )
    op.create_index("ix_trust_role_person_id", "trust_role", ["person_id"])
    op.create_index("ix_trust_role_trust_id", "trust_role", ["trust_id"])
    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name="fk_membership_person_id_person", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name="fk_membership_school_id_school", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_membership"),
        sa.UniqueConstraint(
            "person_id", "school_id", "role", name="uq_membership_person_id_school_id_role"
        ),
        _one_of("role", SCHOOL_ROLES, "ck_membership_school_role"),
    )
    op.create_index("ix_membership_person_id", "membership", ["person_id"])
    op.create_index("ix_membership_school_id", "membership", ["school_id"])


def downgrade() -> None:
    op.drop_table("membership")
    op.drop_table("trust_role")
    op.drop_table("school")
    op.drop_table("trust")
    op.drop_table("person")
