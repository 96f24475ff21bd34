"""Image screening: a school's badge and location for photos that identify it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 18:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "school_location",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("radius_m", sa.Float(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_school_location_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["person.id"],
            name=op.f("fk_school_location_updated_by_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("school_id", name=op.f("pk_school_location")),
    )
    op.create_table(
        "school_badge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_school_badge_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"],
            ["person.id"],
            name=op.f("fk_school_badge_uploaded_by_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_badge")),
    )
    with op.batch_alter_table("school_badge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_school_badge_school_id"), ["school_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("school_badge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_badge_school_id"))
    op.drop_table("school_badge")
    op.drop_table("school_location")
