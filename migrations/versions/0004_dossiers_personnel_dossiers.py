"""personnel dossiers

Revision ID: 0004_dossiers
Revises: 0003_code_lists
Create Date: 2026-11-23 11:18:14.439375

"""
from alembic import op
import sqlalchemy as sa

import hrms.core.db  # noqa: F401 - custom column types used by autogenerate


# revision identifiers, used by Alembic.
revision = '0004_dossiers'
down_revision = '0003_code_lists'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('employees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('search_name', sa.String(length=200), nullable=False),
    sa.Column('other_names', sa.String(length=200), nullable=True),
    sa.Column('sex', sa.String(length=6), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('birth_year_only', sa.Boolean(), nullable=False),
    sa.Column('place_of_birth', sa.String(length=255), nullable=True),
    sa.Column('hometown', sa.String(length=255), nullable=True),
    sa.Column('ethnicity_code', sa.String(length=2), nullable=True),
    sa.Column('religion_code', sa.String(length=10), nullable=True),
    sa.Column('permanent_address', sa.String(length=500), nullable=True),
    sa.Column('current_address', sa.String(length=500), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('national_id', sa.String(length=12), nullable=False),
    sa.Column('national_id_issued_on', sa.Date(), nullable=True),
    sa.Column('social_insurance_number', sa.String(length=10), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('occupation_before', sa.String(length=255), nullable=True),
    sa.Column('recruited_on', sa.Date(), nullable=True),
    sa.Column('recruiting_agency', sa.String(length=255), nullable=True),
    sa.Column('position_title', sa.String(length=255), nullable=True),
    sa.Column('main_work', sa.String(length=500), nullable=True),
    sa.Column('rank_code', sa.String(length=20), nullable=True),
    sa.Column('salary_step', sa.Integer(), nullable=True),
    sa.Column('salary_coefficient', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('salary_since', sa.Date(), nullable=True),
    sa.Column('position_allowance', sa.Numeric(precision=4, scale=2), nullable=True),
    sa.Column('other_allowances', sa.String(length=255), nullable=True),
    sa.Column('general_education', sa.String(length=10), nullable=True),
    sa.Column('qualification_code', sa.String(length=20), nullable=True),
    sa.Column('qualification_major', sa.String(length=255), nullable=True),
    sa.Column('political_theory_code', sa.String(length=20), nullable=True),
    sa.Column('state_management_code', sa.String(length=30), nullable=True),
    sa.Column('foreign_languages', sa.String(length=255), nullable=True),
    sa.Column('it_level_code', sa.String(length=20), nullable=True),
    sa.Column('party_joined_on', sa.Date(), nullable=True),
    sa.Column('party_official_on', sa.Date(), nullable=True),
    sa.Column('mass_organisation', sa.String(length=255), nullable=True),
    sa.Column('mass_organisation_joined_on', sa.Date(), nullable=True),
    sa.Column('enlisted_on', sa.Date(), nullable=True),
    sa.Column('discharged_on', sa.Date(), nullable=True),
    sa.Column('military_rank', sa.String(length=100), nullable=True),
    sa.Column('honorary_title', sa.String(length=255), nullable=True),
    sa.Column('strengths', sa.String(length=500), nullable=True),
    sa.Column('health_status', sa.String(length=100), nullable=True),
    sa.Column('height_cm', sa.Integer(), nullable=True),
    sa.Column('weight_kg', sa.Integer(), nullable=True),
    sa.Column('blood_group', sa.String(length=3), nullable=True),
    sa.Column('war_invalid_grade', sa.String(length=50), nullable=True),
    sa.Column('policy_family', sa.String(length=255), nullable=True),
    sa.Column('history_detention', sa.Text(), nullable=True),
    sa.Column('history_former_regime', sa.Text(), nullable=True),
    sa.Column('foreign_relations', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('can_bo', 'cong_chuc', 'vien_chuc', 'contract')", name=op.f('ck_employees_kind')),
    sa.CheckConstraint("sex IN ('male', 'female')", name=op.f('ck_employees_sex')),
    sa.CheckConstraint("status IN ('working', 'on_leave', 'transferred_out', 'retired', 'resigned', 'deceased')", name=op.f('ck_employees_status')),
    sa.CheckConstraint('height_cm IS NULL OR height_cm BETWEEN 50 AND 250', name=op.f('ck_employees_height')),
    sa.CheckConstraint('length(national_id) = 12', name=op.f('ck_employees_national_id_length')),
    sa.CheckConstraint('weight_kg IS NULL OR weight_kg BETWEEN 20 AND 300', name=op.f('ck_employees_weight')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_employees_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employees')),
    sa.UniqueConstraint('national_id', name=op.f('uq_employees_national_id')),
    sa.UniqueConstraint('social_insurance_number', name=op.f('uq_employees_social_insurance_number'))
    )
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employees_date_of_birth'), ['date_of_birth'], unique=False)
        batch_op.create_index(batch_op.f('ix_employees_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_employees_rank_code'), ['rank_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_employees_search_name'), ['search_name'], unique=False)
        batch_op.create_index('ix_employees_unit_status', ['unit_id', 'status'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('rank_code', sa.String(length=20), nullable=True),
    sa.Column('salary_step', sa.Integer(), nullable=True),
    sa.Column('salary_coefficient', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('allowance_coefficient', sa.Numeric(precision=4, scale=2), nullable=True),
    sa.Column('title', sa.String(length=255), nullable=True),
    sa.Column('note', sa.String(length=1000), nullable=True),
    sa.CheckConstraint("kind IN ('recruitment', 'rank_placement', 'salary_step', 'allowance', 'transfer_in', 'transfer_out', 'appointment', 'rotation', 'secondment', 'reward', 'discipline', 'leave', 'return_from_leave', 'retirement', 'resignation', 'death')", name=op.f('ck_decisions_kind')),
    sa.CheckConstraint('salary_step IS NULL OR salary_step BETWEEN 1 AND 20', name=op.f('ck_decisions_step')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_decisions_employee_id_employees')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['decisions.id'], name=op.f('fk_decisions_supersedes_id_decisions')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_decisions_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_decisions_supersedes_id'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index('ix_decisions_employee_effective', ['employee_id', 'effective_on'], unique=False)

    op.create_table('family_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=10), nullable=False),
    sa.Column('relation', sa.String(length=50), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('hometown', sa.String(length=255), nullable=True),
    sa.Column('occupation', sa.String(length=255), nullable=True),
    sa.Column('workplace', sa.String(length=255), nullable=True),
    sa.Column('residence', sa.String(length=255), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.CheckConstraint("side IN ('own', 'spouse')", name=op.f('ck_family_members_side')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_family_members_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_family_members'))
    )
    with op.batch_alter_table('family_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_members_employee_id'), ['employee_id'], unique=False)

    op.create_table('training_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('school', sa.String(length=255), nullable=False),
    sa.Column('major', sa.String(length=255), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('mode', sa.String(length=100), nullable=True),
    sa.Column('degree', sa.String(length=255), nullable=True),
    sa.CheckConstraint('ended_on IS NULL OR ended_on >= started_on', name=op.f('ck_training_records_range')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_training_records_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_records'))
    )
    with op.batch_alter_table('training_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_records_employee_id'), ['employee_id'], unique=False)

    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('object_version', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_entries_subject'), ['subject'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('employee_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_employee_id'), ['employee_id'])
        batch_op.create_foreign_key(batch_op.f('fk_users_employee_id_employees'), 'employees', ['employee_id'], ['id'])



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_employee_id_employees'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_users_employee_id'), type_='unique')
        batch_op.drop_column('employee_id')

    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_subject'))
        batch_op.drop_column('object_version')
        batch_op.drop_column('subject')
    if op.get_bind().dialect.name == "sqlite":
        # SQLite rebuilds the table to drop columns, which drops its triggers: restore them
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER IF NOT EXISTS audit_entries_no_{event.lower()} BEFORE {event} "
                "ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END"
            )

    with op.batch_alter_table('training_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_records_employee_id'))

    op.drop_table('training_records')
    with op.batch_alter_table('family_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_members_employee_id'))

    op.drop_table('family_members')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_decisions_employee_effective')

    op.drop_table('decisions')
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.drop_index('ix_employees_unit_status')
        batch_op.drop_index(batch_op.f('ix_employees_search_name'))
        batch_op.drop_index(batch_op.f('ix_employees_rank_code'))
        batch_op.drop_index(batch_op.f('ix_employees_kind'))
        batch_op.drop_index(batch_op.f('ix_employees_date_of_birth'))

    op.drop_table('employees')
