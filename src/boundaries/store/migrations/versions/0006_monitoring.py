"""Lawful monitoring: authorisations, log datasets, report runs, filtering decisions.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 18:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "filtering_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("action", _enum("filtering_action", "allow", "block"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_name", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_name", sa.String(length=200), nullable=False),
        sa.Column("revoked_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["person.id"],
            name=op.f("fk_filtering_decision_decided_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_filtering_decision_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["filtering_decision.id"],
            name=op.f("fk_filtering_decision_superseded_by_id_filtering_decision"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_filtering_decision")),
    )
    with op.batch_alter_table("filtering_decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_filtering_decision_domain"), ["domain"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_filtering_decision_school_id"), ["school_id"], unique=False
        )

    op.create_table(
        "monitoring_authorisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("authorised_by_id", sa.Integer(), nullable=True),
        sa.Column("authorised_by_name", sa.String(length=200), nullable=False),
        sa.Column(
            "purpose",
            _enum(
                "monitoring_purpose",
                "unauthorised_use",
                "regulatory_compliance",
                "standards_of_service",
                "prevent_or_detect_crime",
                "protect_the_system",
                "messages_when_away",
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("whole_school", sa.Boolean(), nullable=False),
        sa.Column("people_json", sa.Text(), nullable=False),
        sa.Column("devices_json", sa.Text(), nullable=False),
        sa.Column("roles_json", sa.Text(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("staff_told", sa.Boolean(), nullable=False),
        sa.Column("staff_told_how", sa.Text(), nullable=False),
        sa.Column("staff_told_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authorised_by_id"],
            ["person.id"],
            name=op.f("fk_monitoring_authorisation_authorised_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["person.id"],
            name=op.f("fk_monitoring_authorisation_revoked_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_monitoring_authorisation_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_authorisation")),
    )
    with op.batch_alter_table("monitoring_authorisation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_authorisation_school_id"), ["school_id"], unique=False
        )

    op.create_table(
        "log_dataset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("authorisation_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_by_name", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("files_json", sa.Text(), nullable=False),
        sa.Column("folder", sa.String(length=500), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("parsed", sa.Integer(), nullable=False),
        sa.Column("malformed", sa.Integer(), nullable=False),
        sa.Column("malformed_samples_json", sa.Text(), nullable=False),
        sa.Column("formats_json", sa.Text(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["authorisation_id"],
            ["monitoring_authorisation.id"],
            name=op.f("fk_log_dataset_authorisation_id_monitoring_authorisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_log_dataset_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["person.id"],
            name=op.f("fk_log_dataset_uploaded_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_dataset")),
    )
    with op.batch_alter_table("log_dataset", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_log_dataset_authorisation_id"), ["authorisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_log_dataset_school_id"), ["school_id"], unique=False)

    op.create_table(
        "monitoring_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("authorisation_id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=True),
        sa.Column("run_by_id", sa.Integer(), nullable=True),
        sa.Column("run_by_name", sa.String(length=200), nullable=False),
        sa.Column("run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("report", sa.String(length=40), nullable=False),
        sa.Column("filters_json", sa.Text(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["authorisation_id"],
            ["monitoring_authorisation.id"],
            name=op.f("fk_monitoring_run_authorisation_id_monitoring_authorisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["log_dataset.id"],
            name=op.f("fk_monitoring_run_dataset_id_log_dataset"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["run_by_id"],
            ["person.id"],
            name=op.f("fk_monitoring_run_run_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_monitoring_run_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_run")),
    )
    with op.batch_alter_table("monitoring_run", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_monitoring_run_authorisation_id"), ["authorisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_monitoring_run_school_id"), ["school_id"], unique=False
        )


def downgrade() -> None:
    for table, indexes in (
        ("monitoring_run", ("ix_monitoring_run_school_id", "ix_monitoring_run_authorisation_id")),
        ("log_dataset", ("ix_log_dataset_school_id", "ix_log_dataset_authorisation_id")),
        ("monitoring_authorisation", ("ix_monitoring_authorisation_school_id",)),
        ("filtering_decision", ("ix_filtering_decision_school_id", "ix_filtering_decision_domain")),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(batch_op.f(index))
        op.drop_table(table)
