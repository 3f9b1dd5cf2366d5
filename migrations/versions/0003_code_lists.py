"""code lists: the table and its seed data

Revision ID: 0003_code_lists
Revises: 0002_api_tokens
Create Date: 2026-11-23 11:17:02.974543

Seeds, frozen in this file (administrators change the lists afterwards; entries are deactivated,
never deleted):

- ethnicity: the 54 ethnic groups with their 2-digit codes, Danh mục các dân tộc Việt Nam
  (Tổng cục Thống kê, QĐ 121-TCTK/PPCĐ, 02/03/1979), 01 Kinh ... 54 Rơ-măm.
- religion: "00" Không, then the 16 religions recognised by the state, numbered 01-16 in the order
  below. These numbers are this application's own, not an official classification.
- education_level, political_theory, state_management, foreign_language_level, it_level: short
  word codes (bac_1, dai_hoc...), listed below.
- province and commune: the 34 provinces and centrally-run cities and the 3,321 communes, wards
  and special zones in force since 01/07/2025 (2- and 5-digit codes, QĐ 19/2025/QĐ-TTg), read from
  hrms/codes/data/admin_units_2025-10-18.csv, generated from the vietnam-provinces package
  2025.10.1 (data of 2025-10-18). A commune's parent_code is its province's code.
"""

import csv
import datetime as dt
from importlib import resources

import sqlalchemy as sa
from alembic import op

import hrms.core.db
from hrms.core.text import fold

# revision identifiers, used by Alembic.
revision = "0003_code_lists"
down_revision = "0002_api_tokens"
branch_labels = None
depends_on = None

ADMIN_UNITS_FILE = "admin_units_2025-10-18.csv"

ETHNICITIES = [
    ("01", "Kinh"),
    ("02", "Tày"),
    ("03", "Thái"),
    ("04", "Hoa"),
    ("05", "Khơ-me"),
    ("06", "Mường"),
    ("07", "Nùng"),
    ("08", "HMông"),
    ("09", "Dao"),
    ("10", "Gia-rai"),
    ("11", "Ngái"),
    ("12", "Ê-đê"),
    ("13", "Ba-na"),
    ("14", "Xơ-đăng"),
    ("15", "Sán Chay"),
    ("16", "Cơ-ho"),
    ("17", "Chăm"),
    ("18", "Sán Dìu"),
    ("19", "Hrê"),
    ("20", "Mnông"),
    ("21", "Ra-glai"),
    ("22", "Xtiêng"),
    ("23", "Bru-Vân Kiều"),
    ("24", "Thổ"),
    ("25", "Giáy"),
    ("26", "Cơ-tu"),
    ("27", "Gié-Triêng"),
    ("28", "Mạ"),
    ("29", "Khơ-mú"),
    ("30", "Co"),
    ("31", "Tà-ôi"),
    ("32", "Chơ-ro"),
    ("33", "Kháng"),
    ("34", "Xinh-mun"),
    ("35", "Hà Nhì"),
    ("36", "Chu-ru"),
    ("37", "Lào"),
    ("38", "La Chí"),
    ("39", "La Ha"),
    ("40", "Phù Lá"),
    ("41", "La Hủ"),
    ("42", "Lự"),
    ("43", "Lô Lô"),
    ("44", "Chứt"),
    ("45", "Mảng"),
    ("46", "Pà Thẻn"),
    ("47", "Cơ Lao"),
    ("48", "Cống"),
    ("49", "Bố Y"),
    ("50", "Si La"),
    ("51", "Pu Péo"),
    ("52", "Brâu"),
    ("53", "Ơ Đu"),
    ("54", "Rơ-măm"),
]

RELIGIONS = [
    ("00", "Không", None),
    ("01", "Phật giáo", None),
    ("02", "Công giáo", None),
    ("03", "Tin lành", None),
    ("04", "Cao Đài", None),
    ("05", "Phật giáo Hòa Hảo", None),
    ("06", "Hồi giáo", None),
    ("07", "Tôn giáo Baha'i", None),
    ("08", "Tịnh độ Cư sĩ Phật hội Việt Nam", None),
    ("09", "Cơ đốc Phục lâm", None),
    ("10", "Phật giáo Tứ Ân Hiếu nghĩa", None),
    ("11", "Minh Sư đạo", None),
    ("12", "Minh Lý đạo – Tam Tông Miếu", None),
    ("13", "Bà-la-môn", None),
    ("14", "Mặc môn", "Giáo hội Các Thánh hữu Ngày sau của Chúa Giê-su Ky-tô"),
    ("15", "Phật giáo Hiếu Nghĩa Tà Lơn", None),
    ("16", "Bửu Sơn Kỳ Hương", None),
]

#: list -> (code, label, note), in display order
WORD_CODED = {
    "education_level": [
        ("tskh", "Tiến sĩ khoa học", None),
        ("tien_si", "Tiến sĩ", None),
        ("thac_si", "Thạc sĩ", None),
        ("dai_hoc", "Đại học", None),
        ("cao_dang", "Cao đẳng", None),
        ("trung_cap", "Trung cấp", None),
        ("so_cap", "Sơ cấp", None),
        ("chua_qua_dao_tao", "Chưa qua đào tạo", None),
    ],
    "political_theory": [
        ("so_cap", "Sơ cấp", None),
        ("trung_cap", "Trung cấp", None),
        ("cao_cap", "Cao cấp", None),
        ("cu_nhan", "Cử nhân", None),
    ],
    "state_management": [
        ("chuyen_vien", "Chuyên viên và tương đương", None),
        ("chuyen_vien_chinh", "Chuyên viên chính và tương đương", None),
        ("chuyen_vien_cao_cap", "Chuyên viên cao cấp và tương đương", None),
    ],
    "foreign_language_level": [
        ("bac_1", "Bậc 1 (A1)", "Khung năng lực ngoại ngữ 6 bậc dùng cho Việt Nam"),
        ("bac_2", "Bậc 2 (A2)", "Khung năng lực ngoại ngữ 6 bậc dùng cho Việt Nam"),
        ("bac_3", "Bậc 3 (B1)", "Khung năng lực ngoại ngữ 6 bậc dùng cho Việt Nam"),
        ("bac_4", "Bậc 4 (B2)", "Khung năng lực ngoại ngữ 6 bậc dùng cho Việt Nam"),
        ("bac_5", "Bậc 5 (C1)", "Khung năng lực ngoại ngữ 6 bậc dùng cho Việt Nam"),
        ("bac_6", "Bậc 6 (C2)", "Khung năng lực ngoại ngữ 6 bậc dùng cho Việt Nam"),
        ("chung_chi_a", "Chứng chỉ A", "Chứng chỉ ngoại ngữ trình độ A, B, C (cũ)"),
        ("chung_chi_b", "Chứng chỉ B", "Chứng chỉ ngoại ngữ trình độ A, B, C (cũ)"),
        ("chung_chi_c", "Chứng chỉ C", "Chứng chỉ ngoại ngữ trình độ A, B, C (cũ)"),
    ],
    "it_level": [
        ("co_ban", "Ứng dụng CNTT cơ bản", "Chuẩn kỹ năng sử dụng CNTT"),
        ("nang_cao", "Ứng dụng CNTT nâng cao", "Chuẩn kỹ năng sử dụng CNTT"),
        ("trung_cap", "Trung cấp CNTT", None),
        ("cao_dang", "Cao đẳng CNTT", None),
        ("dai_hoc", "Đại học CNTT", None),
    ],
}


def _admin_units():
    """(list_name, code, label, parent_code) of the vendored provinces and communes."""
    source = resources.files("hrms.codes.data").joinpath(ADMIN_UNITS_FILE)
    with source.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield row["list_name"], row["code"], row["label"], row["parent_code"] or None


def _seed_rows():
    now = dt.datetime.now(dt.UTC)

    def row(list_name, code, label, sort_order, note=None, parent_code=None):
        return {
            "list_name": list_name,
            "code": code,
            "label": label,
            "search_text": f"{fold(label)} {code}",
            "sort_order": sort_order,
            "active": True,
            "parent_code": parent_code,
            "note": note,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }

    rows = [row("ethnicity", code, label, int(code)) for code, label in ETHNICITIES]
    rows += [row("religion", code, label, int(code), note) for code, label, note in RELIGIONS]
    for list_name, entries in WORD_CODED.items():
        rows += [
            row(list_name, code, label, position, note)
            for position, (code, label, note) in enumerate(entries, start=1)
        ]
    rows += [
        row(list_name, code, label, int(code), parent_code=parent_code)
        for list_name, code, label, parent_code in _admin_units()
    ]
    return rows


def upgrade():
    code_entries = op.create_table(
        "code_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_name", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("search_text", sa.String(length=300), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("parent_code", sa.String(length=20), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", hrms.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", hrms.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("code <> ''", name=op.f("ck_code_entries_code_not_empty")),
        sa.CheckConstraint("label <> ''", name=op.f("ck_code_entries_label_not_empty")),
        sa.CheckConstraint(
            "list_name IN ('ethnicity', 'religion', 'education_level', 'political_theory', "
            "'state_management', 'foreign_language_level', 'it_level', 'province', 'commune')",
            name=op.f("ck_code_entries_list_name"),
        ),
        sa.CheckConstraint("sort_order >= 0", name=op.f("ck_code_entries_sort_order_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_entries")),
        sa.UniqueConstraint("list_name", "code", name="uq_code_entries_list_name_code"),
    )
    with op.batch_alter_table("code_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_code_entries_list_parent", ["list_name", "parent_code"], unique=False
        )
        batch_op.create_index(
            "ix_code_entries_list_sort", ["list_name", "sort_order"], unique=False
        )

    op.bulk_insert(code_entries, _seed_rows())


def downgrade():
    with op.batch_alter_table("code_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_code_entries_list_sort")
        batch_op.drop_index("ix_code_entries_list_parent")

    op.drop_table("code_entries")
