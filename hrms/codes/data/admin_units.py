"""Provinces and communes since 01/07/2025, from the ``vietnam-provinces`` package, and the
provinces, districts and communes before that date (still written in older records).

``python -m hrms.codes.data.admin_units`` writes ``admin_units_<data version>.csv`` beside this
file from the installed package; ``tests/codes`` checks that the vendored file still matches it,
so a package upgrade with new data is noticed (and calls for a new migration).

Rows: ``list_name,code,label,parent_code``. Provinces have 2-digit codes and communes 5-digit
codes (QĐ 19/2025/QĐ-TTg). Labels are the full official names: the package omits "Tỉnh" before
province names (it keeps "Thành phố"), so it is added here; runs of spaces in some commune names
of the package are collapsed.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path
from typing import Any, NamedTuple

DATA_DIR = Path(__file__).resolve().parent
#: the file read by migration 0003_code_lists (frozen: never rewrite it)
ADMIN_UNITS_2025 = DATA_DIR / "admin_units_2025-10-18.csv"
#: the 63 provinces, 696 districts and 10,051 communes in force until 30/06/2025, read by
#: migration 0010_old_admin_units (frozen). Written by ``python -m hrms.codes.data.admin_units
#: --before-2025 nested-divisions.json`` from the data file of vietnam-provinces 0.6.0 (data of
#: 2025-01-04, the package's last release with the old divisions).
ADMIN_UNITS_BEFORE_2025 = DATA_DIR / "admin_units_before_2025_2025-01-04.csv"
FIELDS = ("list_name", "code", "label", "parent_code")
_SPACES = re.compile(r"\s+")


class AdminUnit(NamedTuple):
    list_name: str
    code: str
    label: str
    parent_code: str


def from_package() -> tuple[str, list[AdminUnit]]:
    """The package's data version and its provinces and communes, in code order."""
    import vietnam_provinces
    from vietnam_provinces import Province, VietNamDivisionType
    from vietnam_provinces.lookup import WARD_MAPPING

    def clean(name: str) -> str:
        return _SPACES.sub(" ", name).strip()

    provinces = [
        AdminUnit(
            "province",
            f"{int(province.code):02d}",
            clean(
                f"Tỉnh {province.name}"
                if province.division_type is VietNamDivisionType.TINH
                else province.name
            ),
            "",
        )
        for province in Province.iter_all()
    ]
    communes = [
        AdminUnit(
            "commune", f"{int(ward.code):05d}", clean(ward.name), f"{int(ward.province_code):02d}"
        )
        for ward in WARD_MAPPING.values()
    ]
    rows = sorted(provinces, key=lambda row: row.code) + sorted(communes, key=lambda r: r.code)
    return vietnam_provinces.__data_version__, rows


def before_2025(nested: list[dict[str, Any]]) -> list[AdminUnit]:
    """Provinces (2 digits), districts (3) and communes (5) of the old divisions, from
    vietnam-provinces 0.6.0's ``nested-divisions.json``; each entry names its parent's code."""

    def clean(name: str) -> str:
        return _SPACES.sub(" ", name).strip()

    rows: list[AdminUnit] = []
    for province in nested:
        province_code = f"{province['code']:02d}"
        rows.append(AdminUnit("province_before_2025", province_code, clean(province["name"]), ""))
        for district in province["districts"]:
            district_code = f"{district['code']:03d}"
            rows.append(
                AdminUnit(
                    "district_before_2025", district_code, clean(district["name"]), province_code
                )
            )
            rows.extend(
                AdminUnit(
                    "commune_before_2025", f"{ward['code']:05d}", clean(ward["name"]), district_code
                )
                for ward in district["wards"]
            )
    order = {"province_before_2025": 0, "district_before_2025": 1, "commune_before_2025": 2}
    return sorted(rows, key=lambda row: (order[row.list_name], row.code))


def to_csv(rows: list[AdminUnit]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(FIELDS)
    writer.writerows(rows)
    return buffer.getvalue()


def read(path: Path) -> list[AdminUnit]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [AdminUnit(**row) for row in csv.DictReader(handle)]


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--before-2025":
        rows = before_2025(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
        target = ADMIN_UNITS_BEFORE_2025
    else:
        version, rows = from_package()
        target = DATA_DIR / f"admin_units_{version}.csv"
    target.write_text(to_csv(rows), encoding="utf-8")
    print(f"{target}: {len(rows)} rows")


if __name__ == "__main__":
    main()
