"""A believable demo agency, built through the services so it obeys every rule."""

from __future__ import annotations

import datetime as dt

from hrms.accounts.services import create_user
from hrms.core.security import Role, SystemActor
from hrms.org.models import Unit, UnitKind
from hrms.org.services import create_unit

PROVINCE = ("UBNDNB", "Ủy ban nhân dân tỉnh Ninh Bình", UnitKind.AGENCY)
DEPARTMENT = ("SNV", "Sở Nội vụ tỉnh Ninh Bình", UnitKind.DEPARTMENT)
DIVISIONS = [
    ("SNV-VP", "Văn phòng Sở", UnitKind.DIVISION),
    ("SNV-TCBC", "Phòng Tổ chức, biên chế và tổ chức phi chính phủ", UnitKind.DIVISION),
    ("SNV-CCVC", "Phòng Công chức, viên chức", UnitKind.DIVISION),
    ("SNV-XDCQ", "Phòng Xây dựng chính quyền và công tác thanh niên", UnitKind.DIVISION),
    ("SNV-LDVL", "Phòng Lao động, việc làm và bảo hiểm xã hội", UnitKind.DIVISION),
    ("SNV-TTR", "Thanh tra Sở", UnitKind.DIVISION),
]
SERVICE_UNITS = [
    ("SNV-TTLT", "Trung tâm Lưu trữ lịch sử tỉnh", UnitKind.PUBLIC_SERVICE_UNIT),
    ("SNV-TTDVVL", "Trung tâm Dịch vụ việc làm tỉnh", UnitKind.PUBLIC_SERVICE_UNIT),
]
OTHER_DEPARTMENT = ("STC", "Sở Tài chính tỉnh Ninh Bình", UnitKind.DEPARTMENT)
OTHER_DIVISIONS = [
    ("STC-VP", "Văn phòng Sở Tài chính", UnitKind.DIVISION),
    ("STC-NS", "Phòng Quản lý ngân sách", UnitKind.DIVISION),
]
#: the province as reorganised on 01/07/2025 (no district level, 34 provinces)
ESTABLISHED = dt.date(2025, 7, 1)


def _unit(code: str, name: str, kind: UnitKind, parent: Unit | None) -> Unit:
    return create_unit(
        SystemActor(),
        {
            "code": code,
            "name": name,
            "kind": kind.value,
            "parent_id": parent.id if parent else None,
            "effective_from": ESTABLISHED,
        },
    )


def seed(password: str) -> str:
    actor = SystemActor()
    province = _unit(*PROVINCE, None)
    department = _unit(*DEPARTMENT, province)
    units = {code: _unit(code, name, kind, department) for code, name, kind in DIVISIONS}
    for code, name, kind in SERVICE_UNITS:
        units[code] = _unit(code, name, kind, department)
    other = _unit(*OTHER_DEPARTMENT, province)
    for code, name, kind in OTHER_DIVISIONS:
        _unit(code, name, kind, other)

    accounts = [
        ("admin", "Quản trị hệ thống", Role.ADMIN, None),
        ("officer", "Trần Thị Thu Hà", Role.PERSONNEL_OFFICER, department),
        ("head", "Nguyễn Văn Ân", Role.UNIT_HEAD, units["SNV-CCVC"]),
        ("staff", "Lê Thị Ngọc Ánh", Role.STAFF, units["SNV-CCVC"]),
        ("officer2", "Phạm Quốc Đạt", Role.PERSONNEL_OFFICER, units["SNV-XDCQ"]),
        ("head2", "Võ Minh Đức", Role.UNIT_HEAD, units["SNV-XDCQ"]),
        ("staff2", "Đặng Thị Hồng Nhung", Role.STAFF, units["SNV-XDCQ"]),
    ]
    for username, full_name, role, unit in accounts:
        create_user(
            actor,
            {
                "username": username,
                "full_name": full_name,
                "email": f"{username}@snv.ninhbinh.gov.vn",
                "password": password,
                "role": role.value,
                "unit_id": unit.id if unit else None,
            },
        )
    return (
        f"Demo data loaded: {3 + len(DIVISIONS) + len(SERVICE_UNITS) + len(OTHER_DIVISIONS)} "
        f"units, {len(accounts)} accounts ({', '.join(a[0] for a in accounts)})."
    )
