"""name search keys

Revision ID: 0007_name_keys
Revises: 0006_attachments
Create Date: 2026-11-23 12:05:30.841158

"""
from alembic import op
import sqlalchemy as sa

import hrms.core.db  # noqa: F401 - custom column types used by autogenerate


# revision identifiers, used by Alembic.
revision = '0007_name_keys'
down_revision = '0006_attachments'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('employee_name_keys',
    sa.Column('key', sa.String(length=200).with_variant(sa.String(length=200, collation='C'), 'postgresql'), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_employee_name_keys_employee_id_employees'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', 'employee_id', name=op.f('pk_employee_name_keys'))
    )
    with op.batch_alter_table('employee_name_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employee_name_keys_employee_id'), ['employee_id'], unique=False)

    _index_existing_names()



def _index_existing_names():
    """Keys for the dossiers already stored: each folded name from every word on."""
    from hrms.core.text import fold

    bind = op.get_bind()
    employees = sa.table(
        "employees", sa.column("id"), sa.column("full_name"), sa.column("other_names")
    )
    keys_table = sa.table("employee_name_keys", sa.column("key"), sa.column("employee_id"))
    rows = []
    for employee_id, full_name, other_names in bind.execute(
        sa.select(employees.c.id, employees.c.full_name, employees.c.other_names)
    ):
        keys = set()
        for name in (full_name, other_names):
            words = fold(name or "").split()
            keys.update(" ".join(words[start:])[:200] for start in range(len(words)))
        rows.extend({"key": key, "employee_id": employee_id} for key in sorted(keys))
    if rows:
        op.bulk_insert(keys_table, rows)


def downgrade():
    with op.batch_alter_table('employee_name_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employee_name_keys_employee_id'))

    op.drop_table('employee_name_keys')
