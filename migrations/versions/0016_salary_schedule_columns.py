"""salary: the raise and retirement schedule kept on the dossier (next raise date and kind,
retirement date), indexed for the lists' date ranges, filled for the existing dossiers

Revision ID: 0016_salary_schedule_columns
Revises: 0015_salary_raise_batches
Create Date: 2026-11-23 22:40:00

The existing rows are filled through the rule code itself (hrms.salary.schedule, the same
computation that keeps the columns exact afterwards), in batches. It reads the rule tables, the
decisions and the annual ratings through the application's models as they are when this
revision is written; a later revision that changes those tables must keep this one runnable
(or replace the fill by its own).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

# revision identifiers, used by Alembic.
revision = "0016_salary_schedule_columns"
down_revision = "0015_salary_raise_batches"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_raise_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("next_raise_kind", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("retires_on", sa.Date(), nullable=True))
        batch_op.create_index("ix_employees_next_raise", ["next_raise_on", "status"], unique=False)
        batch_op.create_index("ix_employees_retires", ["retires_on", "status"], unique=False)

    from hrms.salary.schedule import refresh_everyone

    session = Session(bind=op.get_bind())
    try:
        refresh_everyone(session)
    finally:
        session.close()


def downgrade():
    with op.batch_alter_table("employees", schema=None) as batch_op:
        batch_op.drop_index("ix_employees_retires")
        batch_op.drop_index("ix_employees_next_raise")
        batch_op.drop_column("retires_on")
        batch_op.drop_column("next_raise_kind")
        batch_op.drop_column("next_raise_on")
