"""positions and staffing: competency dictionary, framework catalogue, position plans,
placements and competency assessments

Revision ID: 0008_positions
Revises: 0007_name_keys
Create Date: 2026-11-23 12:42:35.955129

Seeds the competency dictionary (the 7 general competencies of the December 2025 draft framework
with level descriptors written for this project, plus starter professional and leadership
competencies; all in force from 01/01/2026) and a starter catalogue of positions of a provincial
department, read from positions/data/starter_frameworks_2026-11.json. Administrators change both
afterwards through the application (new versions, never edits of old ones).

Decisions gain the kind "position_placement", written by the staffing pages.
"""
import datetime as dt
import json
from importlib import resources

from alembic import op
import sqlalchemy as sa

import hrms.core.db  # noqa: F401 - custom column types used by autogenerate


# revision identifiers, used by Alembic.
revision = '0008_positions'
down_revision = '0007_name_keys'
branch_labels = None
depends_on = None

SEED_FILE = "starter_frameworks_2026-11.json"
SEED_EFFECTIVE_FROM = dt.date(2026, 1, 1)
KINDS_BEFORE = (
    "recruitment", "rank_placement", "salary_step", "allowance", "transfer_in", "transfer_out",
    "appointment", "rotation", "secondment", "reward", "discipline", "leave", "return_from_leave",
    "retirement", "resignation", "death",
)
KINDS_AFTER = (
    "recruitment", "rank_placement", "salary_step", "allowance", "transfer_in", "transfer_out",
    "appointment", "position_placement", "rotation", "secondment", "reward", "discipline", "leave",
    "return_from_leave", "retirement", "resignation", "death",
)


def _set_decision_kinds(kinds):
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_decisions_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_decisions_kind'), "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"
        )


def _seed_frameworks():
    seed = json.loads(resources.files("positions.data").joinpath(SEED_FILE).read_text("utf-8"))
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    competencies = sa.table(
        "competencies", sa.column("id", sa.Integer), sa.column("code", sa.String),
        sa.column("family", sa.String), sa.column("ordinal", sa.Integer),
        sa.column("active", sa.Boolean), sa.column("created_at", sa.DateTime),
        sa.column("updated_at", sa.DateTime),
    )
    versions = sa.table(
        "competency_versions", sa.column("competency_id", sa.Integer),
        sa.column("number", sa.Integer), sa.column("effective_from", sa.Date),
        sa.column("name", sa.String), sa.column("definition", sa.Text),
        *(sa.column(f"level_{n}", sa.Text) for n in range(1, 6)),
        sa.column("change_note", sa.String), sa.column("created_at", sa.DateTime),
        sa.column("updated_at", sa.DateTime),
    )
    framework = sa.table(
        "framework_positions", sa.column("id", sa.Integer), sa.column("code", sa.String),
        sa.column("grp", sa.String), sa.column("title", sa.String),
        sa.column("rank_codes", sa.String), sa.column("objective", sa.Text),
        sa.column("source", sa.String), sa.column("active", sa.Boolean),
        sa.column("created_at", sa.DateTime), sa.column("updated_at", sa.DateTime),
    )
    tasks = sa.table(
        "framework_tasks", sa.column("framework_position_id", sa.Integer),
        sa.column("ordinal", sa.Integer), sa.column("description", sa.Text),
        sa.column("output_name", sa.String), sa.column("unit_of_measure", sa.String),
    )
    requirements = sa.table(
        "framework_requirements", sa.column("framework_position_id", sa.Integer),
        sa.column("competency_id", sa.Integer), sa.column("level", sa.Integer),
    )
    bind = op.get_bind()
    competency_ids = {}
    for ordinal, item in enumerate(seed["competencies"], start=1):
        competency_ids[item["code"]] = bind.execute(
            competencies.insert().returning(competencies.c.id),
            {"code": item["code"], "family": item["family"], "ordinal": ordinal, "active": True,
             "created_at": now, "updated_at": now},
        ).scalar_one()
        bind.execute(versions.insert(), {
            "competency_id": competency_ids[item["code"]], "number": 1,
            "effective_from": SEED_EFFECTIVE_FROM, "name": item["name"],
            "definition": item["definition"],
            **{f"level_{n}": text for n, text in enumerate(item["levels"], start=1)},
            "change_note": None, "created_at": now, "updated_at": now,
        })
    for item in seed["framework_positions"]:
        position_id = bind.execute(
            framework.insert().returning(framework.c.id),
            {"code": item["code"], "grp": item["group"], "title": item["title"],
             "rank_codes": ",".join(item["rank_codes"]), "objective": item.get("objective"),
             "source": item.get("source"), "active": True, "created_at": now, "updated_at": now},
        ).scalar_one()
        for ordinal, task in enumerate(item["tasks"], start=1):
            bind.execute(tasks.insert(), {
                "framework_position_id": position_id, "ordinal": ordinal,
                "description": task["description"], "output_name": task.get("output_name"),
                "unit_of_measure": task.get("unit_of_measure"),
            })
        for requirement in item["requirements"]:
            bind.execute(requirements.insert(), {
                "framework_position_id": position_id,
                "competency_id": competency_ids[requirement["competency"]],
                "level": requirement["level"],
            })


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('competencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('family', sa.String(length=20), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("family IN ('general', 'professional', 'leadership')", name=op.f('ck_competencies_family')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competencies')),
    sa.UniqueConstraint('code', name=op.f('uq_competencies_code'))
    )
    with op.batch_alter_table('competencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competencies_family'), ['family'], unique=False)

    op.create_table('framework_positions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('grp', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('rank_codes', sa.String(length=200), nullable=False),
    sa.Column('objective', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("grp IN ('leadership', 'professional', 'shared_professional', 'support')", name=op.f('ck_framework_positions_grp')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_framework_positions')),
    sa.UniqueConstraint('code', name=op.f('uq_framework_positions_code'))
    )
    with op.batch_alter_table('framework_positions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_framework_positions_grp'), ['grp'], unique=False)

    op.create_table('competency_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competency_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('level_1', sa.Text(), nullable=False),
    sa.Column('level_2', sa.Text(), nullable=False),
    sa.Column('level_3', sa.Text(), nullable=False),
    sa.Column('level_4', sa.Text(), nullable=False),
    sa.Column('level_5', sa.Text(), nullable=False),
    sa.Column('change_note', sa.String(length=500), nullable=True),
    sa.Column('created_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['competency_id'], ['competencies.id'], name=op.f('fk_competency_versions_competency_id_competencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competency_versions')),
    sa.UniqueConstraint('competency_id', 'effective_from', name=op.f('uq_competency_versions_effective_from')),
    sa.UniqueConstraint('competency_id', 'number', name=op.f('uq_competency_versions_number'))
    )
    op.create_table('framework_requirements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_position_id', sa.Integer(), nullable=False),
    sa.Column('competency_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name=op.f('ck_framework_requirements_level')),
    sa.ForeignKeyConstraint(['competency_id'], ['competencies.id'], name=op.f('fk_framework_requirements_competency_id_competencies')),
    sa.ForeignKeyConstraint(['framework_position_id'], ['framework_positions.id'], name=op.f('fk_framework_requirements_framework_position_id_framework_positions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_framework_requirements')),
    sa.UniqueConstraint('framework_position_id', 'competency_id', name=op.f('uq_framework_requirements_framework_position_id'))
    )
    with op.batch_alter_table('framework_requirements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_framework_requirements_framework_position_id'), ['framework_position_id'], unique=False)

    op.create_table('framework_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_position_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('output_name', sa.String(length=255), nullable=True),
    sa.Column('unit_of_measure', sa.String(length=50), nullable=True),
    sa.ForeignKeyConstraint(['framework_position_id'], ['framework_positions.id'], name=op.f('fk_framework_tasks_framework_position_id_framework_positions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_framework_tasks'))
    )
    with op.batch_alter_table('framework_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_framework_tasks_framework_position_id'), ['framework_position_id'], unique=False)

    op.create_table('competency_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('competency_id', sa.Integer(), nullable=False),
    sa.Column('competency_version_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('assessed_by', sa.Integer(), nullable=False),
    sa.Column('created_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('head', 'self')", name=op.f('ck_competency_assessments_kind')),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name=op.f('ck_competency_assessments_level')),
    sa.ForeignKeyConstraint(['assessed_by'], ['users.id'], name=op.f('fk_competency_assessments_assessed_by_users')),
    sa.ForeignKeyConstraint(['competency_id'], ['competencies.id'], name=op.f('fk_competency_assessments_competency_id_competencies')),
    sa.ForeignKeyConstraint(['competency_version_id'], ['competency_versions.id'], name=op.f('fk_competency_assessments_competency_version_id_competency_versions')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_competency_assessments_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competency_assessments'))
    )
    with op.batch_alter_table('competency_assessments', schema=None) as batch_op:
        batch_op.create_index('ix_competency_assessments_lookup', ['employee_id', 'competency_id', 'kind', 'assessed_on'], unique=False)

    op.create_table('position_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('approval_number', sa.String(length=60), nullable=True),
    sa.Column('submitted_by', sa.Integer(), nullable=True),
    sa.Column('submitted_at', hrms.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', hrms.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_comment', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state != 'approved' OR effective_on IS NOT NULL", name=op.f('ck_position_plans_approved_has_effective_date')),
    sa.CheckConstraint("state IN ('draft', 'submitted', 'approved', 'returned')", name=op.f('ck_position_plans_state')),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_position_plans_decided_by_users')),
    sa.ForeignKeyConstraint(['previous_id'], ['position_plans.id'], name=op.f('fk_position_plans_previous_id_position_plans')),
    sa.ForeignKeyConstraint(['submitted_by'], ['users.id'], name=op.f('fk_position_plans_submitted_by_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_position_plans_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_position_plans')),
    sa.UniqueConstraint('unit_id', 'number', name=op.f('uq_position_plans_unit_id'))
    )
    with op.batch_alter_table('position_plans', schema=None) as batch_op:
        batch_op.create_index('ix_position_plans_unit_state', ['unit_id', 'state'], unique=False)

    op.create_table('unit_positions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('lineage_id', sa.Integer(), nullable=True),
    sa.Column('framework_position_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('grp', sa.String(length=30), nullable=False),
    sa.Column('rank_codes', sa.String(length=200), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=False),
    sa.Column('education_code', sa.String(length=20), nullable=True),
    sa.Column('objective', sa.Text(), nullable=True),
    sa.Column('evaluation_criteria', sa.Text(), nullable=True),
    sa.Column('internal_relations', sa.Text(), nullable=True),
    sa.Column('external_relations', sa.Text(), nullable=True),
    sa.Column('authority', sa.Text(), nullable=True),
    sa.Column('working_conditions', sa.Text(), nullable=True),
    sa.Column('qualifications', sa.Text(), nullable=True),
    sa.Column('experience', sa.Text(), nullable=True),
    sa.Column('qualities', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("grp IN ('leadership', 'professional', 'shared_professional', 'support')", name=op.f('ck_unit_positions_grp')),
    sa.CheckConstraint('headcount >= 0', name=op.f('ck_unit_positions_headcount')),
    sa.ForeignKeyConstraint(['framework_position_id'], ['framework_positions.id'], name=op.f('fk_unit_positions_framework_position_id_framework_positions')),
    sa.ForeignKeyConstraint(['plan_id'], ['position_plans.id'], name=op.f('fk_unit_positions_plan_id_position_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_positions')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_unit_positions_plan_id'))
    )
    with op.batch_alter_table('unit_positions', schema=None) as batch_op:
        batch_op.create_index('ix_unit_positions_lineage', ['lineage_id'], unique=False)

    op.create_table('placements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('lineage_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('main', sa.Boolean(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('ended_by_decision_id', sa.Integer(), nullable=True),
    sa.Column('created_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ended_on IS NULL OR ended_on >= started_on', name=op.f('ck_placements_dates')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_placements_decision_id_decisions')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_placements_employee_id_employees')),
    sa.ForeignKeyConstraint(['ended_by_decision_id'], ['decisions.id'], name=op.f('fk_placements_ended_by_decision_id_decisions')),
    sa.ForeignKeyConstraint(['position_id'], ['unit_positions.id'], name=op.f('fk_placements_position_id_unit_positions')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_placements_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placements'))
    )
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placements_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index('ix_placements_lineage_open', ['lineage_id', 'ended_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index('uq_placements_one_main', ['employee_id'], unique=True, sqlite_where=sa.text('main AND ended_on IS NULL'), postgresql_where=sa.text('main AND ended_on IS NULL'))

    op.create_table('position_rank_limits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('rank_code', sa.String(length=20), nullable=False),
    sa.Column('max_percent', sa.Integer(), nullable=False),
    sa.CheckConstraint('max_percent BETWEEN 0 AND 100', name=op.f('ck_position_rank_limits_percent')),
    sa.ForeignKeyConstraint(['position_id'], ['unit_positions.id'], name=op.f('fk_position_rank_limits_position_id_unit_positions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_position_rank_limits')),
    sa.UniqueConstraint('position_id', 'rank_code', name=op.f('uq_position_rank_limits_position_id'))
    )
    with op.batch_alter_table('position_rank_limits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_position_rank_limits_position_id'), ['position_id'], unique=False)

    op.create_table('position_requirements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('competency_id', sa.Integer(), nullable=False),
    sa.Column('competency_version_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name=op.f('ck_position_requirements_level')),
    sa.ForeignKeyConstraint(['competency_id'], ['competencies.id'], name=op.f('fk_position_requirements_competency_id_competencies')),
    sa.ForeignKeyConstraint(['competency_version_id'], ['competency_versions.id'], name=op.f('fk_position_requirements_competency_version_id_competency_versions')),
    sa.ForeignKeyConstraint(['position_id'], ['unit_positions.id'], name=op.f('fk_position_requirements_position_id_unit_positions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_position_requirements')),
    sa.UniqueConstraint('position_id', 'competency_id', name=op.f('uq_position_requirements_position_id'))
    )
    with op.batch_alter_table('position_requirements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_position_requirements_position_id'), ['position_id'], unique=False)

    op.create_table('position_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['position_id'], ['unit_positions.id'], name=op.f('fk_position_tasks_position_id_unit_positions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_position_tasks'))
    )
    with op.batch_alter_table('position_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_position_tasks_position_id'), ['position_id'], unique=False)

    op.create_table('position_outputs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('unit_of_measure', sa.String(length=50), nullable=False),
    sa.Column('conversion_factor', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('monthly_quantity', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.CheckConstraint('conversion_factor > 0', name=op.f('ck_position_outputs_conversion_factor')),
    sa.CheckConstraint('monthly_quantity IS NULL OR monthly_quantity >= 0', name=op.f('ck_position_outputs_quantity')),
    sa.ForeignKeyConstraint(['task_id'], ['position_tasks.id'], name=op.f('fk_position_outputs_task_id_position_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_position_outputs'))
    )
    with op.batch_alter_table('position_outputs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_position_outputs_task_id'), ['task_id'], unique=False)

    # ### end Alembic commands ###
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_employees_position_id_unit_positions'), 'unit_positions',
            ['position_id'], ['id'],
        )
    _set_decision_kinds(KINDS_AFTER)
    _seed_frameworks()


def downgrade():
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_employees_position_id_unit_positions'), type_='foreignkey'
        )
        batch_op.drop_column('position_id')
    op.execute("DELETE FROM placements")
    op.execute("DELETE FROM decisions WHERE kind = 'position_placement'")
    _set_decision_kinds(KINDS_BEFORE)
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('position_outputs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_position_outputs_task_id'))

    op.drop_table('position_outputs')
    with op.batch_alter_table('position_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_position_tasks_position_id'))

    op.drop_table('position_tasks')
    with op.batch_alter_table('position_requirements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_position_requirements_position_id'))

    op.drop_table('position_requirements')
    with op.batch_alter_table('position_rank_limits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_position_rank_limits_position_id'))

    op.drop_table('position_rank_limits')
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_index('uq_placements_one_main', sqlite_where=sa.text('main AND ended_on IS NULL'), postgresql_where=sa.text('main AND ended_on IS NULL'))
        batch_op.drop_index(batch_op.f('ix_placements_unit_id'))
        batch_op.drop_index('ix_placements_lineage_open')
        batch_op.drop_index(batch_op.f('ix_placements_employee_id'))

    op.drop_table('placements')
    with op.batch_alter_table('unit_positions', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_positions_lineage')

    op.drop_table('unit_positions')
    with op.batch_alter_table('position_plans', schema=None) as batch_op:
        batch_op.drop_index('ix_position_plans_unit_state')

    op.drop_table('position_plans')
    with op.batch_alter_table('competency_assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_competency_assessments_lookup')

    op.drop_table('competency_assessments')
    with op.batch_alter_table('framework_tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_framework_tasks_framework_position_id'))

    op.drop_table('framework_tasks')
    with op.batch_alter_table('framework_requirements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_framework_requirements_framework_position_id'))

    op.drop_table('framework_requirements')
    op.drop_table('competency_versions')
    with op.batch_alter_table('framework_positions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_framework_positions_grp'))

    op.drop_table('framework_positions')
    with op.batch_alter_table('competencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competencies_family'))

    op.drop_table('competencies')
    # ### end Alembic commands ###
