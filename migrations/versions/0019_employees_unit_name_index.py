"""employees: index the dossiers by unit, then folded name, so that the list of a subtree in
name order (the employee list's default) gathers its people and their sort key from the index
alone instead of reading every dossier of the subtree

Revision ID: 0019_employees_unit_name_index
Revises: 0018_reports_headcount_counts
Create Date: 2026-11-24 06:00:00
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0019_employees_unit_name_index"
down_revision = "0018_reports_headcount_counts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_employees_unit_name", "employees", ["unit_id", "search_name"])


def downgrade():
    op.drop_index("ix_employees_unit_name", table_name="employees")
