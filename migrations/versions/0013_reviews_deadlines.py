"""reviews: closing a period, late scoring and late annual ratings

Revision ID: 0013_reviews_deadlines
Revises: 0012_salary_rules
Create Date: 2026-11-23 19:00:00

A closed period records when and by whom it was closed (every review finalised, read-only
since). A review scored after the period's scoring deadline, and an annual rating finalised after
the scheme's annual deadline, are marked late (allowed, but shown as such).
"""
from alembic import op
import sqlalchemy as sa

import hrms.core.db  # noqa: F401 - custom column types used by autogenerate


# revision identifiers, used by Alembic.
revision = '0013_reviews_deadlines'
down_revision = '0012_salary_rules'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('review_periods', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', hrms.core.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('closed_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_review_periods_closed_by_users'), 'users', ['closed_by'], ['id'])

    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scored_late', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('annual_ratings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('finalised_late', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('annual_ratings', schema=None) as batch_op:
        batch_op.drop_column('finalised_late')

    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_column('scored_late')

    with op.batch_alter_table('review_periods', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_review_periods_closed_by_users'), type_='foreignkey')
        batch_op.drop_column('closed_by')
        batch_op.drop_column('closed_at')
