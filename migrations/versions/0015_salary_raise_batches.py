"""salary: draft raise batches (the raise list's ticked rows until confirmed or discarded)

Revision ID: 0015_salary_raise_batches
Revises: 0014_reports_age_bands
Create Date: 2026-11-23 19:40:00
"""

import sqlalchemy as sa
from alembic import op

import hrms.core.db

# revision identifiers, used by Alembic.
revision = "0015_salary_raise_batches"
down_revision = "0014_reports_age_bands"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "raise_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("number_suffix", sa.String(length=40), nullable=False),
        sa.Column("first_number", sa.Integer(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", hrms.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", hrms.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", hrms.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("first_number >= 1", name=op.f("ck_raise_batches_first_number")),
        sa.CheckConstraint(
            "state IN ('draft', 'confirmed', 'discarded')", name=op.f("ck_raise_batches_state")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["users.id"], name=op.f("fk_raise_batches_closed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_raise_batches_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_raise_batches_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_raise_batches")),
    )
    with op.batch_alter_table("raise_batches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_raise_batches_unit_id"), ["unit_id"], unique=False)
    op.create_table(
        "raise_batch_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("rank_code", sa.String(length=20), nullable=False),
        sa.Column("from_step", sa.Integer(), nullable=False),
        sa.Column("from_since", sa.Date(), nullable=True),
        sa.Column("salary_step", sa.Integer(), nullable=False),
        sa.Column("salary_coefficient", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("seniority_percent", sa.Integer(), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('step', 'seniority')", name=op.f("ck_raise_batch_items_kind")),
        sa.CheckConstraint("salary_step BETWEEN 1 AND 20", name=op.f("ck_raise_batch_items_step")),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["raise_batches.id"],
            name=op.f("fk_raise_batch_items_batch_id_raise_batches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_raise_batch_items_decision_id_decisions"),
        ),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name=op.f("fk_raise_batch_items_employee_id_employees"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_raise_batch_items")),
        sa.UniqueConstraint("batch_id", "employee_id", name="uq_raise_batch_items_person"),
    )
    with op.batch_alter_table("raise_batch_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_raise_batch_items_employee_id"), ["employee_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("raise_batch_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_raise_batch_items_employee_id"))
    op.drop_table("raise_batch_items")
    with op.batch_alter_table("raise_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_raise_batches_unit_id"))
    op.drop_table("raise_batches")
