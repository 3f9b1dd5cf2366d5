"""salary: rule data (salary scales and their steps, ranks, base salary, position allowances,
pay rules, retirement-age roadmap) and the early-raise and seniority columns of the ledger

Revision ID: 0012_salary_rules
Revises: 0011_reviews
Create Date: 2026-11-23 19:05:00

Seeds hrms/salary/data/rules.json: the coefficient scales of Nghị định 204/2004 (table 2), the
ranks of the general administrative service and some equivalents, the base salary since 2013,
the position allowance example of Nghị định 07/2026, the raise and retirement numbers and the
retirement-age roadmap of Nghị định 135/2020. Administrators add later versions in the app.
"""
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from alembic import op
import sqlalchemy as sa

import hrms.core.db  # noqa: F401 - custom column types used by autogenerate


# revision identifiers, used by Alembic.
revision = '0012_salary_rules'
down_revision = '0011_reviews'
branch_labels = None
depends_on = None

SEED_FILE = Path(__file__).resolve().parents[2] / "hrms" / "salary" / "data" / "rules.json"


def upgrade():
    op.create_table('base_salaries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=0), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_base_salaries_amount')),
    sa.CheckConstraint('effective_to IS NULL OR effective_to >= effective_from', name=op.f('ck_base_salaries_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_base_salaries')),
    sa.UniqueConstraint('effective_from', name='uq_base_salaries_effective_from')
    )
    op.create_table('pay_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('failed_year_delay_months', sa.Integer(), nullable=False),
    sa.Column('reprimand_delay_months', sa.Integer(), nullable=False),
    sa.Column('demotion_delay_months', sa.Integer(), nullable=False),
    sa.Column('early_raise_max_months', sa.Integer(), nullable=False),
    sa.Column('early_raise_quota_percent', sa.Integer(), nullable=False),
    sa.Column('seniority_start_percent', sa.Integer(), nullable=False),
    sa.Column('seniority_yearly_percent', sa.Integer(), nullable=False),
    sa.Column('retirement_notice_months', sa.Integer(), nullable=False),
    sa.Column('retirement_early_raise_months', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('early_raise_max_months BETWEEN 0 AND 60 AND early_raise_quota_percent BETWEEN 0 AND 100', name=op.f('ck_pay_rules_early')),
    sa.CheckConstraint('failed_year_delay_months >= 0 AND reprimand_delay_months >= 0 AND demotion_delay_months >= 0', name=op.f('ck_pay_rules_delays')),
    sa.CheckConstraint('retirement_notice_months >= 0 AND retirement_early_raise_months >= 0', name=op.f('ck_pay_rules_retirement')),
    sa.CheckConstraint('seniority_start_percent >= 0 AND seniority_yearly_percent >= 0', name=op.f('ck_pay_rules_seniority')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pay_rules')),
    sa.UniqueConstraint('effective_from', name='uq_pay_rules_effective_from')
    )
    op.create_table('position_allowance_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('agency_level', sa.String(length=255), nullable=False),
    sa.Column('coefficient', sa.Numeric(precision=4, scale=2), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('coefficient > 0', name=op.f('ck_position_allowance_rates_coefficient')),
    sa.CheckConstraint('effective_to IS NULL OR effective_to >= effective_from', name=op.f('ck_position_allowance_rates_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_position_allowance_rates')),
    sa.UniqueConstraint('title', 'agency_level', 'effective_from', name='uq_position_allowance_rates_key')
    )
    op.create_table('ranks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('scale_code', sa.String(length=10), nullable=False),
    sa.Column('personnel_kind', sa.String(length=20), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('effective_to IS NULL OR effective_to >= effective_from', name=op.f('ck_ranks_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ranks')),
    sa.UniqueConstraint('code', 'effective_from', name='uq_ranks_code_effective')
    )
    with op.batch_alter_table('ranks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ranks_code'), ['code'], unique=False)

    op.create_table('retirement_ages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sex', sa.String(length=6), nullable=False),
    sa.Column('from_year', sa.Integer(), nullable=False),
    sa.Column('age_years', sa.Integer(), nullable=False),
    sa.Column('age_months', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("sex IN ('male', 'female')", name=op.f('ck_retirement_ages_sex')),
    sa.CheckConstraint('age_months BETWEEN 0 AND 11', name=op.f('ck_retirement_ages_months')),
    sa.CheckConstraint('age_years BETWEEN 40 AND 80', name=op.f('ck_retirement_ages_years')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retirement_ages')),
    sa.UniqueConstraint('sex', 'from_year', name='uq_retirement_ages_sex_year')
    )
    op.create_table('salary_scales',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('raise_interval_months', sa.Integer(), nullable=False),
    sa.Column('seniority_wait_months', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hrms.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('effective_to IS NULL OR effective_to >= effective_from', name=op.f('ck_salary_scales_range')),
    sa.CheckConstraint('raise_interval_months > 0', name=op.f('ck_salary_scales_interval')),
    sa.CheckConstraint('seniority_wait_months > 0', name=op.f('ck_salary_scales_seniority_wait')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_salary_scales')),
    sa.UniqueConstraint('code', 'effective_from', name='uq_salary_scales_code_effective')
    )
    with op.batch_alter_table('salary_scales', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_salary_scales_code'), ['code'], unique=False)

    op.create_table('salary_scale_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scale_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('coefficient', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.CheckConstraint('coefficient > 0', name=op.f('ck_salary_scale_steps_coefficient')),
    sa.CheckConstraint('step BETWEEN 1 AND 20', name=op.f('ck_salary_scale_steps_step')),
    sa.ForeignKeyConstraint(['scale_id'], ['salary_scales.id'], name=op.f('fk_salary_scale_steps_scale_id_salary_scales'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_salary_scale_steps')),
    sa.UniqueConstraint('scale_id', 'step', name='uq_salary_scale_steps_scale_step')
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('early_raise_months', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('seniority_percent', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            'early', 'early_raise_months IS NULL OR early_raise_months BETWEEN 1 AND 60'
        )
        batch_op.create_check_constraint(
            'seniority', 'seniority_percent IS NULL OR seniority_percent BETWEEN 0 AND 100'
        )

    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seniority_percent', sa.Integer(), nullable=True))
    _seed()


def _table(name, *columns):
    stamps = [sa.column("version", sa.Integer), sa.column("created_at", sa.DateTime),
              sa.column("updated_at", sa.DateTime)]
    return sa.table(name, *[sa.column(column, kind) for column, kind in columns], *stamps)


def _seed():
    seed = json.loads(SEED_FILE.read_text("utf-8"))
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    stamps = {"version": 1, "created_at": now, "updated_at": now}
    day = dt.date.fromisoformat
    connection = op.get_bind()
    scales = _table(
        "salary_scales", ("code", sa.String), ("name", sa.String),
        ("raise_interval_months", sa.Integer), ("seniority_wait_months", sa.Integer),
        ("effective_from", sa.Date),
    )
    steps = sa.table(
        "salary_scale_steps", sa.column("scale_id", sa.Integer), sa.column("step", sa.Integer),
        sa.column("coefficient", sa.Numeric),
    )
    for scale in seed["scales"]:
        scale_id = connection.execute(
            scales.insert().returning(sa.column("id")),
            {
                "code": scale["code"], "name": scale["name"],
                "raise_interval_months": scale["raise_interval_months"],
                "seniority_wait_months": scale["seniority_wait_months"],
                "effective_from": day(scale["effective_from"]), **stamps,
            },
        ).scalar_one()
        op.bulk_insert(steps, [
            {"scale_id": scale_id, "step": number, "coefficient": Decimal(coefficient)}
            for number, coefficient in enumerate(scale["coefficients"], start=1)
        ])
    ranks = _table(
        "ranks", ("code", sa.String), ("name", sa.String), ("scale_code", sa.String),
        ("personnel_kind", sa.String), ("effective_from", sa.Date),
    )
    op.bulk_insert(ranks, [
        {**rank, "effective_from": day(rank["effective_from"]), **stamps} for rank in seed["ranks"]
    ])
    bases = _table(
        "base_salaries", ("amount", sa.Numeric), ("effective_from", sa.Date),
        ("effective_to", sa.Date), ("source", sa.String),
    )
    starts = [day(row["effective_from"]) for row in seed["base_salaries"]]
    op.bulk_insert(bases, [
        {
            "amount": Decimal(row["amount"]), "effective_from": start,
            # each span ends the day before the next starts: spans never overlap
            "effective_to": following - dt.timedelta(days=1) if following else None,
            "source": row["source"], **stamps,
        }
        for row, start, following in zip(
            seed["base_salaries"], starts, [*starts[1:], None], strict=True
        )
    ])
    allowances = _table(
        "position_allowance_rates", ("title", sa.String), ("agency_level", sa.String),
        ("coefficient", sa.Numeric), ("effective_from", sa.Date), ("source", sa.String),
    )
    op.bulk_insert(allowances, [
        {**row, "coefficient": Decimal(row["coefficient"]),
         "effective_from": day(row["effective_from"]), **stamps}
        for row in seed["position_allowances"]
    ])
    numbers = [key for key in seed["pay_rules"][0] if key not in ("effective_from", "source")]
    rules = _table(
        "pay_rules", ("effective_from", sa.Date), ("source", sa.String),
        *[(key, sa.Integer) for key in numbers],
    )
    op.bulk_insert(rules, [
        {**row, "effective_from": day(row["effective_from"]), **stamps}
        for row in seed["pay_rules"]
    ])
    ages = _table(
        "retirement_ages", ("sex", sa.String), ("from_year", sa.Integer),
        ("age_years", sa.Integer), ("age_months", sa.Integer), ("source", sa.String),
    )
    op.bulk_insert(ages, [{**row, **stamps} for row in seed["retirement_ages"]])


def downgrade():

    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.drop_column('seniority_percent')

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_constraint('seniority', type_='check')
        batch_op.drop_constraint('early', type_='check')
        batch_op.drop_column('seniority_percent')
        batch_op.drop_column('early_raise_months')

    op.drop_table('salary_scale_steps')
    with op.batch_alter_table('salary_scales', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_salary_scales_code'))

    op.drop_table('salary_scales')
    op.drop_table('retirement_ages')
    with op.batch_alter_table('ranks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ranks_code'))

    op.drop_table('ranks')
    op.drop_table('position_allowance_rates')
    op.drop_table('pay_rules')
    op.drop_table('base_salaries')
