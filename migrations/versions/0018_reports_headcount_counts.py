"""reports: the maintained headcount aggregate of the statistics (per unit subtree, dimension
and value), filled from the existing dossiers; employees indexed by recruitment and Party dates
(the people the aggregate does not count as they are on an earlier date)

Revision ID: 0018_reports_headcount_counts
Revises: 0017_decisions_kind_index
Create Date: 2026-11-24 02:00:00

The rows are filled through the application's code (hrms.reports.headcount.rebuild, the same
computation the flushes keep exact afterwards). It reads the employees and units through the
application's models as they are when this revision is written; a later revision that changes
the columns it reads must keep this one runnable (or replace the fill by its own).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018_reports_headcount_counts"
down_revision = "0017_decisions_kind_index"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "headcount_counts",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("women", sa.Integer(), nullable=False),
        sa.Column("party", sa.Integer(), nullable=False),
        sa.Column("minority", sa.Integer(), nullable=False),
        sa.CheckConstraint("count >= 0", name=op.f("ck_headcount_counts_count_not_negative")),
        sa.CheckConstraint(
            "women <= count AND party <= count AND minority <= count",
            name=op.f("ck_headcount_counts_parts_within_count"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["units.id"],
            name=op.f("fk_headcount_counts_unit_id_units"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("unit_id", "dimension", "value", name=op.f("pk_headcount_counts")),
    )
    op.create_index("ix_employees_recruited_on", "employees", ["recruited_on"])
    op.create_index("ix_employees_party_joined_on", "employees", ["party_joined_on"])

    from hrms.reports.headcount import rebuild

    rebuild(op.get_bind())


def downgrade():
    op.drop_index("ix_employees_party_joined_on", table_name="employees")
    op.drop_index("ix_employees_recruited_on", table_name="employees")
    op.drop_table("headcount_counts")
