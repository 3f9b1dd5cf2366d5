"""The migration seeds every list: official codes, the 34 provinces and the communes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hrms.codes import queries
from hrms.codes.data.admin_units import (
    ADMIN_UNITS_2025,
    ADMIN_UNITS_BEFORE_2025,
    from_package,
    read,
    to_csv,
)
from hrms.codes.models import CodeEntry, CodeList
from hrms.extensions import db

pytestmark = pytest.mark.usefixtures("service_context")


def count(list_name: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(CodeEntry).where(CodeEntry.list_name == list_name)
    )


def test_every_list_is_seeded() -> None:
    for code_list in CodeList:
        assert count(code_list.value) > 0, code_list


def test_the_54_ethnic_groups() -> None:
    ethnicities = queries.entries("ethnicity")
    assert len(ethnicities) == 54
    assert [e.code for e in ethnicities] == [f"{n:02d}" for n in range(1, 55)]
    assert queries.label_of("ethnicity", "01") == "Kinh"
    assert queries.label_of("ethnicity", "08") == "HMông"
    assert queries.label_of("ethnicity", "54") == "Rơ-măm"
    assert queries.label_of("ethnicity", "55") is None


def test_religions_and_qualification_lists() -> None:
    assert queries.choices("religion")[0] == ("00", "Không")
    assert count("religion") == 17
    assert [code for code, _ in queries.choices("education_level")][:2] == ["tskh", "tien_si"]
    assert [code for code, _ in queries.choices("political_theory")] == [
        "so_cap",
        "trung_cap",
        "cao_cap",
        "cu_nhan",
    ]
    assert count("state_management") == 3
    assert queries.label_of("foreign_language_level", "bac_3") == "Bậc 3 (B1)"
    assert queries.is_valid("foreign_language_level", "chung_chi_b")
    assert queries.label_of("it_level", "co_ban") == "Ứng dụng CNTT cơ bản"


def test_the_34_provinces_since_july_2025() -> None:
    provinces = dict(queries.choices("province"))
    assert len(provinces) == 34
    assert all(len(code) == 2 and code.isdigit() for code in provinces)
    assert provinces["01"] == "Thành phố Hà Nội"
    assert provinces["79"] == "Thành phố Hồ Chí Minh"
    assert provinces["66"] == "Tỉnh Đắk Lắk"
    assert "02" not in provinces  # Hà Giang merged into Tuyên Quang (08)


def test_communes_as_the_package_gives_them() -> None:
    _, package_rows = from_package()
    communes = [row for row in package_rows if row.list_name == "commune"]
    assert count("commune") == len(communes) == 3321
    assert queries.label_of("commune", "00004") == "Phường Ba Đình"
    province_codes = {code for code, _ in queries.choices("province")}
    parents = db.session.scalars(
        select(CodeEntry.parent_code).where(CodeEntry.list_name == "commune").distinct()
    ).all()
    assert set(parents) == province_codes
    assert len(queries.choices("commune", parent_code="01")) == 126  # Hà Nội


def test_vendored_file_matches_the_installed_package() -> None:
    """A newer vietnam-provinces with other data fails here: write a new file and migration."""
    _, package_rows = from_package()
    assert ADMIN_UNITS_2025.read_text(encoding="utf-8") == to_csv(package_rows)
    assert read(ADMIN_UNITS_2025) == package_rows


def test_the_divisions_before_july_2025_for_older_records() -> None:
    provinces = dict(queries.choices("province_before_2025"))
    assert len(provinces) == 63
    assert provinces["02"] == "Tỉnh Hà Giang"  # merged away in 2025, still in older records
    assert provinces["37"] == "Tỉnh Ninh Bình"
    assert count("district_before_2025") == 696
    assert count("commune_before_2025") == 10051
    districts = dict(queries.choices("district_before_2025", parent_code="37"))
    assert "Thành phố Hoa Lư" in districts.values() and "Huyện Kim Sơn" in districts.values()
    kim_son = next(code for code, label in districts.items() if label == "Huyện Kim Sơn")
    communes = dict(queries.choices("commune_before_2025", parent_code=kim_son))
    assert "Thị trấn Phát Diệm" in communes.values()
    # every district names an old province, every commune an old district
    for child, parent in (
        ("district_before_2025", "province_before_2025"),
        ("commune_before_2025", "district_before_2025"),
    ):
        parents = set(
            db.session.scalars(
                select(CodeEntry.parent_code).where(CodeEntry.list_name == child).distinct()
            )
        )
        assert parents <= {code for code, _ in queries.choices(parent)}


def test_the_vendored_old_divisions_file_is_the_one_migrated() -> None:
    rows = read(ADMIN_UNITS_BEFORE_2025)
    assert len(rows) == 63 + 696 + 10051
    assert {row.list_name for row in rows} == {
        "province_before_2025",
        "district_before_2025",
        "commune_before_2025",
    }
    assert all(len(row.code) == CodeList(row.list_name).digits for row in rows)
