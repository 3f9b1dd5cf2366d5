"""reports: the age bands of the headcount statistics (effective-dated rule data)

Revision ID: 0014_reports_age_bands
Revises: 0013_reviews_deadlines
Create Date: 2026-11-23 19:05:00

Seeds the shipped bands from hrms/reports/data/age_bands.json (under 30, 30-39, 40-49, 50-59,
60 and over). A new set of bands is added as a new version with its own effective date.
"""

import datetime as dt
import json
from importlib import resources

import sqlalchemy as sa
from alembic import op

import hrms.core.db

# revision identifiers, used by Alembic.
revision = "0014_reports_age_bands"
down_revision = "0013_reviews_deadlines"
branch_labels = None
depends_on = None

SEED_FILE = "data/age_bands.json"


def upgrade():
    age_bands = op.create_table(
        "age_bands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("min_age", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.Column("created_at", hrms.core.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", hrms.core.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint("label <> ''", name=op.f("ck_age_bands_label_not_empty")),
        sa.CheckConstraint("min_age BETWEEN 0 AND 150", name=op.f("ck_age_bands_min_age")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_age_bands")),
        sa.UniqueConstraint("effective_from", "min_age", name="uq_age_bands_effective_min_age"),
    )
    now = dt.datetime.now(dt.UTC)
    source = resources.files("hrms.reports").joinpath(SEED_FILE)
    versions = json.loads(source.read_text("utf-8"))["versions"]
    op.bulk_insert(
        age_bands,
        [
            {
                "effective_from": dt.date.fromisoformat(version["effective_from"]),
                "min_age": band["min_age"],
                "label": band["label"],
                "source": version.get("source"),
                "created_at": now,
                "updated_at": now,
            }
            for version in versions
            for band in version["bands"]
        ],
    )


def downgrade():
    op.drop_table("age_bands")
