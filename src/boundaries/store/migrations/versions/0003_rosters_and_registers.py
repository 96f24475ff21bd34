"""Rosters from the MIS and the registers.

Pupils gain MIS ids; parents and carers, staff records, policy editions, acknowledgements and
their quiz and reminders, declarations and their history, staff devices, training records,
network devices and the import log; people can be disabled.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 16:04:42
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("mis_id", sa.String(length=64), nullable=True),
        sa.Column("title", sa.String(length=20), nullable=True),
        sa.Column("forename", sa.String(length=100), nullable=True),
        sa.Column("surname", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_contact_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
        sa.UniqueConstraint("school_id", "mis_id", name=op.f("uq_contact_school_id_mis_id")),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_school_id"), ["school_id"], unique=False)

    op.create_table(
        "network_device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("hostname", sa.String(length=255), nullable=False),
        sa.Column("mac", sa.String(length=17), nullable=True),
        sa.Column("ip", sa.String(length=45), nullable=True),
        sa.Column("kind", sa.String(length=50), nullable=True),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_network_device_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_network_device_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_device")),
        sa.UniqueConstraint(
            "school_id", "hostname", name=op.f("uq_network_device_school_id_hostname")
        ),
    )
    with op.batch_alter_table("network_device", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_network_device_ip"), ["ip"], unique=False)
        batch_op.create_index(batch_op.f("ix_network_device_mac"), ["mac"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_network_device_school_id"), ["school_id"], unique=False
        )

    op.create_table(
        "policy_edition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=50), nullable=True),
        sa.Column("pack_yaml", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["person.id"],
            name=op.f("fk_policy_edition_published_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_policy_edition_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["person.id"],
            name=op.f("fk_policy_edition_uploaded_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_edition")),
    )
    with op.batch_alter_table("policy_edition", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_policy_edition_school_id"), ["school_id"], unique=False
        )

    op.create_table(
        "roster_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("left", sa.Integer(), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("errors_json", sa.Text(), nullable=True),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by_id"],
            ["person.id"],
            name=op.f("fk_roster_import_imported_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_roster_import_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_import")),
    )
    with op.batch_alter_table("roster_import", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roster_import_school_id"), ["school_id"], unique=False)

    op.create_table(
        "staff_device",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("imei", sa.String(length=16), nullable=False),
        sa.Column("make", sa.String(length=100), nullable=True),
        sa.Column("model", sa.String(length=100), nullable=True),
        sa.Column("phone_number", sa.String(length=32), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "in_use",
                "lost",
                "stolen",
                "retired",
                name="device_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("status_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_staff_device_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_staff_device_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_device")),
        sa.UniqueConstraint("imei", name=op.f("uq_staff_device_imei")),
    )
    with op.batch_alter_table("staff_device", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_device_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_device_school_id"), ["school_id"], unique=False)

    op.create_table(
        "staff_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("mis_id", sa.String(length=64), nullable=True),
        sa.Column("staff_code", sa.String(length=16), nullable=True),
        sa.Column("job_title", sa.String(length=200), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("leaving_date", sa.Date(), nullable=True),
        sa.Column("line_manager_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_manager_id"],
            ["person.id"],
            name=op.f("fk_staff_record_line_manager_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_staff_record_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_staff_record_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_record")),
        sa.UniqueConstraint("school_id", "mis_id", name=op.f("uq_staff_record_school_id_mis_id")),
        sa.UniqueConstraint(
            "school_id", "person_id", name=op.f("uq_staff_record_school_id_person_id")
        ),
    )
    with op.batch_alter_table("staff_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_record_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_record_school_id"), ["school_id"], unique=False)

    op.create_table(
        "training_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("course", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "session",
                "reading",
                name="training_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_training_record_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_training_record_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_record")),
    )
    with op.batch_alter_table("training_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_record_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_training_record_school_id"), ["school_id"], unique=False
        )

    op.create_table(
        "acknowledgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("quiz_score", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["edition_id"],
            ["policy_edition.id"],
            name=op.f("fk_acknowledgement_edition_id_policy_edition"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_acknowledgement_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acknowledgement")),
        sa.UniqueConstraint(
            "edition_id", "person_id", name=op.f("uq_acknowledgement_edition_id_person_id")
        ),
    )
    with op.batch_alter_table("acknowledgement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_acknowledgement_edition_id"), ["edition_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_acknowledgement_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "acknowledgement_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "reminder",
                "escalation",
                name="reminder_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("sent_to", sa.String(length=320), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["edition_id"],
            ["policy_edition.id"],
            name=op.f("fk_acknowledgement_reminder_edition_id_policy_edition"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_acknowledgement_reminder_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acknowledgement_reminder")),
    )
    with op.batch_alter_table("acknowledgement_reminder", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_acknowledgement_reminder_edition_id"), ["edition_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_acknowledgement_reminder_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "declaration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "subject",
            sa.Enum(
                "pupil",
                "past_pupil",
                "parent",
                "other",
                name="declaration_subject",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("pupil_id", sa.Integer(), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("subject_name", sa.String(length=200), nullable=False),
        sa.Column("platform", sa.String(length=100), nullable=False),
        sa.Column("nature", sa.String(length=200), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "accepted",
                "accepted_with_conditions",
                "not_accepted",
                "withdrawn",
                name="declaration_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_declaration_contact_id_contact"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_declaration_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
            name=op.f("fk_declaration_pupil_id_pupil"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_declaration_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration")),
    )
    with op.batch_alter_table("declaration", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_declaration_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_declaration_school_id"), ["school_id"], unique=False)

    op.create_table(
        "pupil_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("relationship", sa.String(length=50), nullable=True),
        sa.Column("parental_responsibility", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_pupil_contact_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
            name=op.f("fk_pupil_contact_pupil_id_pupil"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pupil_contact")),
        sa.UniqueConstraint(
            "pupil_id", "contact_id", name=op.f("uq_pupil_contact_pupil_id_contact_id")
        ),
    )
    with op.batch_alter_table("pupil_contact", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pupil_contact_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pupil_contact_pupil_id"), ["pupil_id"], unique=False)

    op.create_table(
        "quiz_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("clause_id", sa.String(length=16), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("choices_json", sa.Text(), nullable=False),
        sa.Column("answer", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["edition_id"],
            ["policy_edition.id"],
            name=op.f("fk_quiz_question_edition_id_policy_edition"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_question")),
    )
    with op.batch_alter_table("quiz_question", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quiz_question_edition_id"), ["edition_id"], unique=False
        )

    op.create_table(
        "declaration_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "accepted",
                "accepted_with_conditions",
                "not_accepted",
                "withdrawn",
                name="declaration_event_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["person.id"],
            name=op.f("fk_declaration_event_actor_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_declaration_event_declaration_id_declaration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_event")),
    )
    with op.batch_alter_table("declaration_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_declaration_event_declaration_id"), ["declaration_id"], unique=False
        )

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mis_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("admission_number", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))
        # Existing pupils take the time of the upgrade; the default is dropped straight after.
        batch_op.add_column(
            sa.Column(
                "updated_at",
                sa.DateTime(timezone=True),
                nullable=False,
                server_default=sa.func.current_timestamp(),
            )
        )
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.alter_column("updated_at", server_default=None)
        batch_op.create_unique_constraint(
            batch_op.f("uq_pupil_school_id_mis_id"), ["school_id", "mis_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("pupil", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_pupil_school_id_mis_id"), type_="unique")
        batch_op.drop_column("updated_at")
        batch_op.drop_column("anonymised_at")
        batch_op.drop_column("admission_number")
        batch_op.drop_column("mis_id")

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("disabled_at")

    with op.batch_alter_table("declaration_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declaration_event_declaration_id"))

    op.drop_table("declaration_event")
    with op.batch_alter_table("quiz_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_question_edition_id"))

    op.drop_table("quiz_question")
    with op.batch_alter_table("pupil_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pupil_contact_pupil_id"))
        batch_op.drop_index(batch_op.f("ix_pupil_contact_contact_id"))

    op.drop_table("pupil_contact")
    with op.batch_alter_table("declaration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declaration_school_id"))
        batch_op.drop_index(batch_op.f("ix_declaration_person_id"))

    op.drop_table("declaration")
    with op.batch_alter_table("acknowledgement_reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_acknowledgement_reminder_person_id"))
        batch_op.drop_index(batch_op.f("ix_acknowledgement_reminder_edition_id"))

    op.drop_table("acknowledgement_reminder")
    with op.batch_alter_table("acknowledgement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_acknowledgement_person_id"))
        batch_op.drop_index(batch_op.f("ix_acknowledgement_edition_id"))

    op.drop_table("acknowledgement")
    with op.batch_alter_table("training_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_record_school_id"))
        batch_op.drop_index(batch_op.f("ix_training_record_person_id"))

    op.drop_table("training_record")
    with op.batch_alter_table("staff_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_record_school_id"))
        batch_op.drop_index(batch_op.f("ix_staff_record_person_id"))

    op.drop_table("staff_record")
    with op.batch_alter_table("staff_device", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_device_school_id"))
        batch_op.drop_index(batch_op.f("ix_staff_device_person_id"))

    op.drop_table("staff_device")
    with op.batch_alter_table("roster_import", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roster_import_school_id"))

    op.drop_table("roster_import")
    with op.batch_alter_table("policy_edition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_edition_school_id"))

    op.drop_table("policy_edition")
    with op.batch_alter_table("network_device", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_device_school_id"))
        batch_op.drop_index(batch_op.f("ix_network_device_mac"))
        batch_op.drop_index(batch_op.f("ix_network_device_ip"))

    op.drop_table("network_device")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_school_id"))

    op.drop_table("contact")
