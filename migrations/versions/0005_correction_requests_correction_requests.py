"""correction requests

Revision ID: 0005_correction_requests
Revises: 0004_dossiers
Create Date: 2026-11-23 11:35:55.377552

"""
from alembic import op
import sqlalchemy as sa

import hrms.core.db  # noqa: F401 - custom column types used by autogenerate


# revision identifiers, used by Alembic.
revision = '0005_correction_requests'
down_revision = '0004_dossiers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('correction_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=60), nullable=False),
    sa.Column('current_value', sa.Text(), nullable=True),
    sa.Column('requested_value', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', hrms.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected', 'withdrawn')", name=op.f('ck_correction_requests_status')),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_correction_requests_decided_by_users')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_correction_requests_employee_id_employees')),
    sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name=op.f('fk_correction_requests_requested_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_correction_requests'))
    )
    with op.batch_alter_table('correction_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_correction_requests_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index('ix_correction_requests_status_employee', ['status', 'employee_id'], unique=False)



def downgrade():
    with op.batch_alter_table('correction_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_correction_requests_status_employee')
        batch_op.drop_index(batch_op.f('ix_correction_requests_employee_id'))

    op.drop_table('correction_requests')
