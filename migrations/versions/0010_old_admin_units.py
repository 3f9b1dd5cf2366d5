"""provinces, districts and communes before 01/07/2025

Revision ID: 0010_old_admin_units
Revises: 0009_evidence
Create Date: 2026-11-23 15:45:00

Older records name places by the divisions in force until 30/06/2025 (63 provinces, their
districts and communes). Three lists hold them, frozen from
hrms/codes/data/admin_units_before_2025_2025-01-04.csv (vietnam-provinces 0.6.0, data of
2025-01-04): province_before_2025 (2 digits), district_before_2025 (3 digits, parent: its
province), commune_before_2025 (5 digits, parent: its district).
"""
import csv
import datetime as dt
from importlib import resources

import sqlalchemy as sa
from alembic import op

from hrms.core.text import fold

# revision identifiers, used by Alembic.
revision = "0010_old_admin_units"
down_revision = "0009_evidence"
branch_labels = None
depends_on = None

SOURCE_FILE = "admin_units_before_2025_2025-01-04.csv"
LISTS_BEFORE = (
    "ethnicity", "religion", "education_level", "political_theory", "state_management",
    "foreign_language_level", "it_level", "province", "commune",
)
OLD_LISTS = ("province_before_2025", "district_before_2025", "commune_before_2025")
NOTE = "Đơn vị hành chính trước ngày 01/07/2025"


def _set_lists(lists):
    with op.batch_alter_table("code_entries", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_code_entries_list_name"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_code_entries_list_name"),
            "list_name IN (" + ", ".join(f"'{name}'" for name in lists) + ")",
        )


def upgrade():
    _set_lists(LISTS_BEFORE + OLD_LISTS)
    entries = sa.table(
        "code_entries",
        *(sa.column(name, sa.String) for name in (
            "list_name", "code", "label", "search_text", "parent_code", "note",
        )),
        sa.column("sort_order", sa.Integer), sa.column("active", sa.Boolean),
        sa.column("version", sa.Integer), sa.column("created_at", sa.DateTime),
        sa.column("updated_at", sa.DateTime),
    )
    now = dt.datetime.now(dt.UTC)
    source = resources.files("hrms.codes.data").joinpath(SOURCE_FILE)
    with source.open(encoding="utf-8", newline="") as handle:
        rows = [
            {
                "list_name": row["list_name"],
                "code": row["code"],
                "label": row["label"],
                "search_text": f"{fold(row['label'])} {row['code']}",
                "parent_code": row["parent_code"] or None,
                "note": NOTE,
                "sort_order": int(row["code"]),
                "active": True,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for row in csv.DictReader(handle)
        ]
    op.bulk_insert(entries, rows)


def downgrade():
    names = ", ".join(f"'{name}'" for name in OLD_LISTS)
    op.execute(f"DELETE FROM code_entries WHERE list_name IN ({names})")
    _set_lists(LISTS_BEFORE)
