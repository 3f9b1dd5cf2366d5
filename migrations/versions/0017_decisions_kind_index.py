"""employees: index the decisions by kind (then person), so that "has a decision of this kind"
conditions (the retirement list's retirement decided) stay an index lookup at province scale

Revision ID: 0017_decisions_kind_index
Revises: 0016_salary_schedule_columns
Create Date: 2026-11-24 00:00:00
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0017_decisions_kind_index"
down_revision = "0016_salary_schedule_columns"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_decisions_kind_employee", "decisions", ["kind", "employee_id"])


def downgrade():
    op.drop_index("ix_decisions_kind_employee", table_name="decisions")
