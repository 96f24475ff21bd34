"""Connections audit: summaries a member of staff chose to share.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 18:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "connection_summary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("person_name", sa.String(length=200), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("platforms", sa.String(length=200), nullable=False),
        sa.Column("connections_checked", sa.Integer(), nullable=False),
        sa.Column("not_declared", sa.Integer(), nullable=False),
        sa.Column("not_accepted", sa.Integer(), nullable=False),
        sa.Column("declared", sa.Integer(), nullable=False),
        sa.Column("caution", sa.Integer(), nullable=False),
        sa.Column("out_of_scope", sa.Integer(), nullable=False),
        sa.Column("unmatchable", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_connection_summary_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_connection_summary_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connection_summary")),
    )
    with op.batch_alter_table("connection_summary", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_connection_summary_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_connection_summary_school_id"), ["school_id"], unique=False
        )

    op.create_table(
        "connection_summary_pupil",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("summary_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("strength", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
            name=op.f("fk_connection_summary_pupil_pupil_id_pupil"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["summary_id"],
            ["connection_summary.id"],
            name=op.f("fk_connection_summary_pupil_summary_id_connection_summary"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connection_summary_pupil")),
    )
    with op.batch_alter_table("connection_summary_pupil", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_connection_summary_pupil_summary_id"), ["summary_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("connection_summary_pupil", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_connection_summary_pupil_summary_id"))
    op.drop_table("connection_summary_pupil")
    with op.batch_alter_table("connection_summary", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_connection_summary_school_id"))
        batch_op.drop_index(batch_op.f("ix_connection_summary_person_id"))
    op.drop_table("connection_summary")
