"""A believable demo agency, built through the services so it obeys every rule.

Deterministic (seeded): the same database every time, so screenshots and tests can rely on it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from hrms.accounts.services import create_user, link_employee
from hrms.core.dates import today
from hrms.core.security import Role, SystemActor
from hrms.employees import services as dossiers
from hrms.employees.models import Employee
from hrms.extensions import db
from hrms.org.models import Unit, UnitKind
from hrms.org.services import create_unit, rename_unit
from hrms.staffing import queries as staffing_queries
from hrms.staffing import services as staffing
from positions import services as positions
from positions.models import FrameworkPosition, PositionPlan, UnitPosition

PROVINCE_FOUNDED = dt.date(1992, 4, 1)
DEPARTMENT_FOUNDED = dt.date(2008, 4, 1)
#: the 2025 reorganisation: Sở Nội vụ took over labour affairs, divisions were renamed
REORGANISED = dt.date(2025, 3, 1)

PROVINCE = ("UBNDNB", "Ủy ban nhân dân tỉnh Ninh Bình", UnitKind.AGENCY)
DEPARTMENT = ("SNV", "Sở Nội vụ tỉnh Ninh Bình", UnitKind.DEPARTMENT)
#: code, current name, kind, name before the reorganisation (None: created by it)
DIVISIONS: list[tuple[str, str, UnitKind, str | None]] = [
    ("SNV-VP", "Văn phòng Sở", UnitKind.DIVISION, "Văn phòng Sở"),
    (
        "SNV-TCBC",
        "Phòng Tổ chức, biên chế và tổ chức phi chính phủ",
        UnitKind.DIVISION,
        "Phòng Tổ chức, biên chế",
    ),
    ("SNV-CCVC", "Phòng Công chức, viên chức", UnitKind.DIVISION, "Phòng Công chức, viên chức"),
    (
        "SNV-XDCQ",
        "Phòng Xây dựng chính quyền và công tác thanh niên",
        UnitKind.DIVISION,
        "Phòng Xây dựng chính quyền",
    ),
    ("SNV-LDVL", "Phòng Lao động, việc làm và bảo hiểm xã hội", UnitKind.DIVISION, None),
    ("SNV-TTR", "Thanh tra Sở", UnitKind.DIVISION, "Thanh tra Sở"),
    (
        "SNV-TTLT",
        "Trung tâm Lưu trữ lịch sử tỉnh",
        UnitKind.PUBLIC_SERVICE_UNIT,
        "Trung tâm Lưu trữ lịch sử tỉnh",
    ),
    ("SNV-TTDVVL", "Trung tâm Dịch vụ việc làm tỉnh", UnitKind.PUBLIC_SERVICE_UNIT, None),
]
OTHER_DEPARTMENT = ("STC", "Sở Tài chính tỉnh Ninh Bình", UnitKind.DEPARTMENT)
OTHER_DIVISIONS = [
    ("STC-VP", "Văn phòng Sở Tài chính", UnitKind.DIVISION),
    ("STC-NS", "Phòng Quản lý ngân sách", UnitKind.DIVISION),
]

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trịnh",
    "Mai",
    "Tạ",
]
MIDDLE = {
    "male": ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công", "Xuân", "Anh", "Tuấn"],
    "female": ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Kim", "Phương", "Thúy", "Bích"],
}
GIVEN = {
    "male": [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Hải",
        "Hùng",
        "Khánh",
        "Long",
        "Nam",
        "Phong",
        "Quân",
        "Sơn",
        "Thắng",
        "Tuấn",
        "Việt",
        "Hưng",
        "Đạt",
        "Trung",
        "Hiếu",
        "Tâm",
        "Lộc",
        "Huy",
    ],
    "female": [
        "Anh",
        "Chi",
        "Dung",
        "Hà",
        "Hạnh",
        "Hoa",
        "Hương",
        "Lan",
        "Linh",
        "Mai",
        "Nga",
        "Ngọc",
        "Nhung",
        "Phương",
        "Thảo",
        "Trang",
        "Vân",
        "Yến",
        "Hằng",
        "Thủy",
        "Huyền",
    ],
}
WARDS = ["phường Hoa Lư", "phường Nam Hoa Lư", "phường Tây Hoa Lư", "phường Đông Hoa Lư"]
PLACES = [
    "Hoa Lư, Ninh Bình",
    "Gia Viễn, Ninh Bình",
    "Nho Quan, Ninh Bình",
    "Yên Mô, Ninh Bình",
    "Kim Sơn, Ninh Bình",
    "Tam Điệp, Ninh Bình",
    "Phủ Lý, Hà Nam",
    "Nam Định",
    "Thanh Hóa",
    "Hải Hậu, Nam Định",
    "Ý Yên, Nam Định",
]
SCHOOLS = [
    ("Học viện Hành chính Quốc gia", "Quản lý nhà nước"),
    ("Trường Đại học Luật Hà Nội", "Luật"),
    ("Trường Đại học Kinh tế Quốc dân", "Kinh tế"),
    ("Trường Đại học Nội vụ Hà Nội", "Quản trị nhân lực"),
    ("Trường Đại học Khoa học Xã hội và Nhân văn", "Lưu trữ học"),
    ("Trường Đại học Lao động – Xã hội", "Công tác xã hội"),
]
ISSUER = "Giám đốc Sở Nội vụ tỉnh Ninh Bình"
#: rank code -> (first coefficient, increment, number of steps, months between raises),
#: Nghị định 204/2004 table 2 (A3.1, A2.1, A1, B)
RANKS = {
    "01.001": (Decimal("6.20"), Decimal("0.36"), 6, 36),
    "01.002": (Decimal("4.40"), Decimal("0.34"), 8, 36),
    "01.003": (Decimal("2.34"), Decimal("0.33"), 9, 36),
    "01.004": (Decimal("1.86"), Decimal("0.20"), 12, 24),
}


@dataclass(frozen=True)
class DemoAccount:
    """A demo account, and the person behind it when it has a dossier of its own."""

    username: str
    full_name: str
    role: Role
    #: code of the unit the role covers (None: the whole system)
    grant_at: str | None
    #: code of the unit the person works in (None: no dossier)
    works_in: str | None = None
    sex: str = "female"
    born: dt.date | None = None
    rank: str | None = None
    title: str | None = None
    allowance: Decimal | None = None


HEAD_ALLOWANCE = Decimal("0.60")
DEMO_ACCOUNTS = (
    DemoAccount("admin", "Quản trị hệ thống", Role.ADMIN, None),
    DemoAccount("officer", "Trần Thị Thu Hà", Role.PERSONNEL_OFFICER, "SNV", "SNV-VP",
                born=dt.date(1980, 2, 29), rank="01.002", title="Chánh Văn phòng",
                allowance=HEAD_ALLOWANCE),
    DemoAccount("head", "Nguyễn Văn Ân", Role.UNIT_HEAD, "SNV-CCVC", "SNV-CCVC", sex="male",
                born=dt.date(1975, 5, 19), rank="01.002", title="Trưởng phòng",
                allowance=HEAD_ALLOWANCE),
    DemoAccount("staff", "Lê Thị Ngọc Ánh", Role.STAFF, "SNV-CCVC", "SNV-CCVC",
                born=dt.date(1992, 11, 30), rank="01.003"),
    DemoAccount("officer2", "Phạm Quốc Đạt", Role.PERSONNEL_OFFICER, "SNV-XDCQ", "SNV-XDCQ",
                sex="male", born=dt.date(1983, 8, 31), rank="01.003"),
    DemoAccount("head2", "Võ Minh Đức", Role.UNIT_HEAD, "SNV-XDCQ", "SNV-XDCQ", sex="male",
                born=dt.date(1970, 1, 31), rank="01.002", title="Trưởng phòng",
                allowance=HEAD_ALLOWANCE),
    DemoAccount("staff2", "Đặng Thị Hồng Nhung", Role.STAFF, "SNV-XDCQ", "SNV-XDCQ",
                born=dt.date(1995, 6, 15), rank="01.003"),
)  # fmt: skip


def _unit(code: str, name: str, kind: UnitKind, parent: Unit | None, founded: dt.date) -> Unit:
    return create_unit(
        SystemActor(),
        {
            "code": code,
            "name": name,
            "kind": kind.value,
            "parent_id": parent.id if parent else None,
            "effective_from": founded,
        },
    )


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # born on 29 February
        return dt.date(day.year + years, 3, 1)


def _months_after(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    return dt.date(year, month % 12 + 1, 1)


@dataclass
class Person:
    """What the generator decided about one person before writing their dossier."""

    full_name: str
    sex: str
    born: dt.date
    unit: Unit
    rank: str
    kind: str
    title: str | None = None
    allowance: Decimal | None = None


class DemoPeople:
    def __init__(self, seed: int = 2026) -> None:
        self.random = random.Random(seed)
        self.used_ids: set[str] = set()

    def name(self, sex: str) -> str:
        r = self.random
        return f"{r.choice(SURNAMES)} {r.choice(MIDDLE[sex])} {r.choice(GIVEN[sex])}"

    def given_name(self, sex: str) -> str:
        return f"{self.random.choice(MIDDLE[sex])} {self.random.choice(GIVEN[sex])}"

    def national_id(self, sex: str, born: dt.date) -> str:
        century = (born.year // 100 - 19) * 2 + (1 if sex == "female" else 0)
        while True:
            serial = f"{self.random.randrange(10**6):06d}"
            number = f"037{century}{born.year % 100:02d}{serial}"
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def birth_date(self, oldest: int, youngest: int) -> dt.date:
        now = today()
        start = dt.date(now.year - oldest, 1, 1).toordinal()
        end = dt.date(now.year - youngest, 12, 31).toordinal()
        return dt.date.fromordinal(self.random.randint(start, end))

    def person(
        self,
        unit: Unit,
        *,
        sex: str | None = None,
        name: str | None = None,
        born: dt.date | None = None,
        rank: str | None = None,
        title: str | None = None,
        allowance: Decimal | None = None,
    ) -> Person:
        r = self.random
        sex = sex or r.choice(["male", "female"])
        born = born or self.birth_date(58, 24)
        if rank is None:
            rank = r.choices(["01.002", "01.003", "01.004"], weights=[2, 7, 1])[0]
        kind = "vien_chuc" if unit.kind == UnitKind.PUBLIC_SERVICE_UNIT else "cong_chuc"
        return Person(name or self.name(sex), sex, born, unit, rank, kind, title, allowance)

    def write(self, person: Person) -> Employee:
        r = self.random
        actor = SystemActor()
        employee = dossiers.create_employee(
            actor,
            {
                "full_name": person.full_name,
                "sex": person.sex,
                "date_of_birth": person.born,
                "national_id": self.national_id(person.sex, person.born),
                "national_id_issued_on": max(_years_after(person.born, 18), dt.date(2021, 4, 1)),
                "kind": person.kind,
                "unit_id": person.unit.id,
                "place_of_birth": r.choice(PLACES),
                "hometown": r.choice(PLACES),
                "ethnicity_code": r.choices(["01", "06", "04"], weights=[95, 4, 1])[0],
                "religion_code": r.choices(["00", "02", "01"], weights=[85, 10, 5])[0],
                "permanent_address": f"Số {r.randint(1, 200)}, {r.choice(WARDS)}, tỉnh Ninh Bình",
                "phone": f"09{r.randint(10000000, 99999999)}",
                "general_education": "12/12",
                "qualification_code": r.choices(
                    ["dai_hoc", "thac_si", "tien_si"], weights=[70, 27, 3]
                )[0],
                "political_theory_code": r.choice(["so_cap", "trung_cap", "cao_cap", None]),
                "foreign_languages": r.choice(
                    ["Tiếng Anh bậc 3", "Tiếng Anh bậc 4", "Tiếng Anh B1", "Tiếng Pháp bậc 2"]
                ),
                "health_status": "Tốt",
                "height_cm": r.randint(150, 178),
                "weight_kg": r.randint(45, 80),
                "blood_group": r.choice(["A", "B", "AB", "O"]),
            },
        )
        major = r.choice(SCHOOLS)
        graduated = dt.date(person.born.year + 22, 6, 1)
        dossiers.add_training(
            actor,
            employee,
            person.unit,
            {
                "school": major[0],
                "major": major[1],
                "started_on": dt.date(person.born.year + 18, 9, 1),
                "ended_on": graduated,
                "mode": "Chính quy",
                "degree": "Cử nhân",
            },
        )
        self._family(employee, person)
        self._ledger(employee, person, graduated)
        return employee

    def _family(self, employee: Employee, person: Person) -> None:
        r = self.random
        surname = person.full_name.split()[0]
        members = [
            (
                "own",
                "Bố",
                f"{surname} {self.given_name('male')}",
                person.born.year - r.randint(24, 32),
                "Nghỉ hưu",
            ),
            ("own", "Mẹ", self.name("female"), person.born.year - r.randint(22, 30), "Nội trợ"),
        ]
        if today().year - person.born.year > 27:
            spouse_sex = "female" if person.sex == "male" else "male"
            spouse = self.name(spouse_sex)
            members.append(
                (
                    "own",
                    "Vợ" if spouse_sex == "female" else "Chồng",
                    spouse,
                    person.born.year + r.randint(-3, 3),
                    r.choice(["Giáo viên", "Kế toán", "Kỹ sư", "Bác sĩ"]),
                )
            )
            child_surname = surname if person.sex == "male" else spouse.split()[0]
            for _ in range(r.randint(1, 2)):
                child_sex = r.choice(["male", "female"])
                year = min(person.born.year + r.randint(26, 34), today().year - 1)
                members.append(
                    (
                        "own",
                        "Con",
                        f"{child_surname} {self.given_name(child_sex)}",
                        year,
                        "Học sinh",
                    )
                )
            members.append(
                (
                    "spouse",
                    "Bố",
                    self.name("male"),
                    person.born.year - r.randint(24, 32),
                    "Nông dân",
                )
            )
            members.append(
                (
                    "spouse",
                    "Mẹ",
                    self.name("female"),
                    person.born.year - r.randint(22, 30),
                    "Nông dân",
                )
            )
        for side, relation, name, year, job in members:
            dossiers.add_family_member(
                SystemActor(),
                employee,
                person.unit,
                {
                    "side": side,
                    "relation": relation,
                    "full_name": name,
                    "birth_year": year,
                    "occupation": job,
                    "residence": r.choice(PLACES),
                    "hometown": r.choice(PLACES),
                },
            )

    def _ledger(self, employee: Employee, person: Person, graduated: dt.date) -> None:
        r = self.random
        actor = SystemActor()
        start = max(_months_after(graduated, r.randint(3, 60)), person.unit.effective_from)
        start = min(start, today() - dt.timedelta(days=400))
        first, step_size, steps, interval = RANKS[person.rank]
        serial = r.randint(10, 400)

        def decide(kind: str, effective: dt.date, **fields: Any) -> None:
            nonlocal serial
            serial += r.randint(1, 40)
            signed = effective - dt.timedelta(days=r.randint(3, 25))
            dossiers.add_decision(
                actor,
                employee,
                person.unit,
                {
                    "kind": kind,
                    "number": f"{serial}/QĐ-SNV",
                    "signed_on": signed,
                    "issuer": ISSUER,
                    "effective_on": effective,
                    **fields,
                },
            )

        decide(
            "recruitment",
            start,
            unit_id=person.unit.id,
            rank_code=person.rank,
            salary_step=1,
            salary_coefficient=first,
        )
        step, when = 1, start
        while step < steps:
            following = _months_after(when, interval)
            if following > today():
                break
            step, when = step + 1, following
            decide(
                "salary_step",
                when,
                salary_step=step,
                salary_coefficient=first + step_size * (step - 1),
            )
        if person.title:
            appointed = _months_after(start, r.randint(60, 120))
            if appointed > today():
                appointed = start
            decide(
                "appointment", appointed, title=person.title, allowance_coefficient=person.allowance
            )
        if r.random() < 0.25:
            award = _months_after(start, r.randint(12, 100))
            if award < today():
                decide(
                    "reward",
                    award,
                    title=r.choice(
                        ["Giấy khen của Giám đốc Sở", "Bằng khen của Chủ tịch UBND tỉnh"]
                    ),
                )


#: the position plans of the divisions (the centres have none yet: the 2027 exercise):
#: unit code -> [(catalogue code, local code, approved headcount)]
PLANS: dict[str, list[tuple[str, str, int]]] = {
    "SNV-VP": [("VT-LD-03", "VP-01", 1), ("VT-LD-04", "VP-02", 2), ("VT-DC-02", "VP-03", 12),
               ("VT-DC-03", "VP-04", 8), ("VT-DC-04", "VP-05", 2), ("VT-DC-05", "VP-06", 2),
               ("VT-DC-07", "VP-07", 6)],
    "SNV-TCBC": [("VT-LD-05", "TCBC-01", 1), ("VT-LD-06", "TCBC-02", 2),
                 ("VT-CM-02", "TCBC-03", 20), ("VT-DC-01", "TCBC-04", 10)],
    "SNV-CCVC": [("VT-LD-05", "CCVC-01", 1), ("VT-LD-06", "CCVC-02", 2),
                 ("VT-CM-01", "CCVC-03", 18), ("VT-CM-04", "CCVC-04", 12)],
    "SNV-XDCQ": [("VT-LD-05", "XDCQ-01", 1), ("VT-LD-06", "XDCQ-02", 2),
                 ("VT-CM-06", "XDCQ-03", 14), ("VT-CM-03", "XDCQ-04", 10),
                 ("VT-CM-05", "XDCQ-05", 8)],
    "SNV-TTR": [("VT-LD-05", "TTR-01", 1), ("VT-LD-06", "TTR-02", 2), ("VT-CM-07", "TTR-03", 30)],
    "SNV-LDVL": [("VT-LD-05", "LDVL-01", 1), ("VT-LD-06", "LDVL-02", 2),
                 ("VT-DC-02", "LDVL-03", 30)],
}  # fmt: skip
#: divisions whose plan is still a draft: their people are not placed yet
DRAFT_PLANS = ("SNV-LDVL",)
PLANS_EFFECTIVE = dt.date(2026, 7, 1)
PLANS_SIGNED = dt.date(2026, 6, 22)
ASSESSED_ON = dt.date(2026, 10, 15)
LEADERS = ("Trưởng phòng", "Chánh Văn phòng")


def seed(password: str, people: int = 300) -> str:
    actor = SystemActor()
    province = _unit(*PROVINCE, None, PROVINCE_FOUNDED)
    department = _unit(*DEPARTMENT, province, DEPARTMENT_FOUNDED)
    units: dict[str, Unit] = {}
    for code, name, kind, old_name in DIVISIONS:
        founded = DEPARTMENT_FOUNDED if old_name else REORGANISED
        units[code] = _unit(code, old_name or name, kind, department, founded)
        if old_name and old_name != name:
            rename_unit(
                actor,
                units[code],
                {
                    "version": units[code].version,
                    "name": name,
                    "effective_date": REORGANISED,
                    "note": "Quyết định 125/QĐ-UBND",
                },
            )
    other = _unit(*OTHER_DEPARTMENT, province, DEPARTMENT_FOUNDED)
    for code, name, kind in OTHER_DIVISIONS:
        _unit(code, name, kind, other, DEPARTMENT_FOUNDED)

    generator = DemoPeople()
    named = {
        account.username: generator.write(
            generator.person(
                units[account.works_in],
                sex=account.sex,
                name=account.full_name,
                born=account.born,
                rank=account.rank,
                title=account.title,
                allowance=account.allowance,
            )
        )
        for account in DEMO_ACCOUNTS
        if account.works_in
    }
    # some people near retirement age (men 61y6m, women 57y in 2026) and due for a raise
    staffed = list(units.values())
    for index in range(people - len(named)):
        unit = staffed[index % len(staffed)]
        if index % 25 == 0:  # one in 25 reaches retirement age (61y6m men, 57y women in 2026) soon
            sex = "male" if index % 50 == 0 else "female"
            age = 61 if sex == "male" else 57
            month, day = generator.random.randint(1, 12), generator.random.randint(1, 28)
            generator.write(
                generator.person(unit, sex=sex, born=dt.date(today().year - age, month, day))
            )
        else:
            generator.write(generator.person(unit))

    users: dict[str, Any] = {}
    for account in DEMO_ACCOUNTS:
        scope = department if account.grant_at == "SNV" else units.get(account.grant_at or "")
        user = create_user(
            actor,
            {
                "username": account.username,
                "full_name": account.full_name,
                "email": f"{account.username}@snv.ninhbinh.gov.vn",
                "password": password,
                "role": account.role.value,
                "unit_id": scope.id if scope else None,
            },
        )
        if account.username in named:
            link_employee(actor, user, {"employee_id": named[account.username].id})
        users[account.username] = user
    _positions(units, users, random.Random(2027))
    unit_count = 3 + len(DIVISIONS) + len(OTHER_DIVISIONS)
    return (
        f"Demo data loaded: {unit_count} units, {people} dossiers, {len(DEMO_ACCOUNTS)} accounts "
        f"({', '.join(a.username for a in DEMO_ACCOUNTS)})."
    )


def _positions(units: dict[str, Unit], users: dict[str, Any], r: random.Random) -> None:
    """Approved position plans taken from the catalogue, drafted by the unit heads (the
    administrator where a division has no demo head) and approved by the personnel officer; most
    people placed in them; the heads' competency assessments of their people; one division still
    drafting and one new version waiting for approval, so every state of the cycle can be seen."""
    # plans record who submitted and approved them: accounts, never the system actor
    drafters = {"SNV-CCVC": users["head"], "SNV-XDCQ": users["head2"]}
    catalogue = {
        position.code: position.id for position in db.session.scalars(select(FrameworkPosition))
    }
    approved: dict[str, PositionPlan] = {}
    for code, lines in PLANS.items():
        drafter = drafters.get(code, users["admin"])
        plan = positions.create_plan(drafter, units[code].id, {"note": None})
        for framework_code, local_code, headcount in lines:
            positions.add_from_catalogue(
                drafter,
                plan,
                catalogue[framework_code],
                {"code": local_code, "headcount": headcount},
            )
        if code in DRAFT_PLANS:
            continue
        positions.submit_plan(drafter, plan, {"version": plan.version})
        positions.approve_plan(
            users["officer"],
            plan,
            {
                "version": plan.version,
                "effective_on": PLANS_EFFECTIVE,
                "approval_number": f"{len(approved) + 41}/QĐ-SNV",
                "comment": None,
            },
        )
        approved[code] = plan
    for code, plan in approved.items():
        _place_people(units[code], plan, r)
    _assess(units["SNV-CCVC"], users["head"], r)
    _assess(units["SNV-XDCQ"], users["head2"], r)
    # the next version of one division's plan, waiting for the officer
    revision = positions.create_plan(users["head2"], units["SNV-XDCQ"].id, {"note": None})
    grown = next(p for p in revision.positions if p.code == "XDCQ-05")
    positions.update_position(
        users["head2"], grown, {"version": grown.version, "headcount": grown.headcount + 2}
    )
    positions.add_from_catalogue(
        users["head2"], revision, catalogue["VT-DC-01"], {"code": "XDCQ-06", "headcount": 2}
    )
    positions.submit_plan(users["head2"], revision, {"version": revision.version})


def _place_people(unit: Unit, plan: PositionPlan, r: random.Random) -> None:
    """Leaders in the leadership position, everyone else in the first position of their rank
    with room left; about one in twelve left unplaced (new arrivals of the 2027 exercise)."""
    people = db.session.scalars(
        select(Employee).where(Employee.unit_id == unit.id).order_by(Employee.id)
    ).all()
    ordered: list[UnitPosition] = sorted(plan.positions, key=lambda p: p.code)
    room = {position.id: position.headcount for position in ordered}
    serial = 200
    for employee in people:
        if r.random() < 1 / 12:
            continue
        leader = employee.position_title in LEADERS
        fitting = [
            p
            for p in ordered
            if (p.grp == "leadership") == leader
            and employee.rank_code in p.rank_list
            and (room[p.id] > 0 or leader)
        ]
        if not fitting:
            continue
        position = fitting[0]
        room[position.id] -= 1
        serial += 1
        staffing.place(
            SystemActor(),
            employee,
            {
                "position_id": position.id,
                "main": True,
                "number": f"{serial}/QĐ-SNV",
                "signed_on": PLANS_SIGNED,
                "issuer": ISSUER,
                "effective_on": PLANS_EFFECTIVE,
                "note": None,
            },
        )


def _assess(unit: Unit, head: Any, r: random.Random) -> None:
    """The head's assessment of each placed person against their position's requirements, a
    level around the required one so the gap map shows shortfalls and strengths."""
    people = db.session.scalars(
        select(Employee)
        .where(Employee.unit_id == unit.id, Employee.position_id.is_not(None))
        .order_by(Employee.id)
    ).all()
    required = staffing_queries.requirements_of({e.position_id for e in people if e.position_id})
    for employee in people:
        if employee.id == head.employee_id or employee.position_id is None:
            continue
        for requirement in required.get(employee.position_id, []):
            staffing.assess(
                head,
                employee,
                {
                    "competency_id": requirement.competency.id,
                    "competency_version_id": None,
                    "level": max(1, min(5, requirement.level + r.choice((-1, 0, 0, 1)))),
                    "assessed_on": ASSESSED_ON,
                    "evidence": None,
                    "kind": "head",
                },
            )
