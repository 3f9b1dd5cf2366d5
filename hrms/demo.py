"""A believable demo agency, built through the services so it obeys every rule.

Deterministic (seeded): the same database every time, so screenshots and tests can rely on it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from hrms.accounts.services import create_user, link_employee
from hrms.core.dates import as_of, today
from hrms.core.security import Role, SystemActor
from hrms.employees import services as dossiers
from hrms.employees.models import Employee
from hrms.extensions import db
from hrms.org.models import Unit, UnitKind
from hrms.org.services import create_unit, rename_unit
from hrms.reviews import queries as review_queries
from hrms.reviews import services as review_services
from hrms.reviews.models import Review
from hrms.salary.retirement import add_months, retirement_of
from hrms.salary.retirement_queries import person_retirement
from hrms.salary.rules import RuleBook
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
    #: only the year of birth is known (``born`` is then 1 January)
    birth_year_only: bool = False


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
                "birth_year_only": person.birth_year_only,
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
            salary_step=self._first_step(employee, steps),
            salary_coefficient=first + step_size * (self._first_step(employee, steps) - 1),
        )
        step, when = self._first_step(employee, steps), start
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
        self._raise_history(employee, step, steps, when, interval, decide)  # helper B: raises
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

    @staticmethod
    def _first_step(employee: Employee, steps: int) -> int:
        """The step a person is recruited at: the first, but for one in thirteen who came with
        years of service elsewhere, one short of the last (helper B: the demo then has people
        on the last step drawing the seniority allowance beyond the frame)."""
        return steps - 1 if employee.id % 13 == 5 else 1

    @staticmethod
    def _raise_history(
        employee: Employee, step: int, steps: int, when: dt.date, interval: int, decide: Any
    ) -> None:
        """What the raise lists need (helper B, issue 7): on the last step, the seniority
        allowance beyond the frame decided on time (5% after the wait, +1% a year); below it,
        a few people with a discipline or unpaid leave in the current step, which delay their
        next raise. Chosen by dossier id, not by the generator's random stream, so adding them
        changes nobody else."""
        latest = today() - dt.timedelta(days=30)
        if step == steps:
            granted, percent = _months_after(when, interval), 5
            while granted <= latest:
                decide(
                    "salary_step",
                    granted,
                    salary_step=step,
                    seniority_percent=percent,
                )
                granted, percent = _months_after(granted, 12), percent + 1
            return
        if employee.id % 29 == 3 and _months_after(when, 10) <= latest:
            forms = ("Khiển trách", "Cảnh cáo", "Cách chức")
            decide("discipline", _months_after(when, 10), title=forms[employee.id % 3])
        elif employee.id % 31 == 7 and _months_after(when, 7) <= latest:
            decide("leave", _months_after(when, 4))
            decide("return_from_leave", _months_after(when, 7))


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


#: people retiring within the next 12 months whatever the day the demo is loaded (the retirement
#: list): sex, months from today, only the year of birth known
RETIRING = (("male", 3, False), ("female", 8, False), ("female", 0, True))


def _born_to_retire(
    book: RuleBook, sex: str, months_ahead: int, *, year_only: bool
) -> tuple[dt.date, str]:
    """A birth date (and sex) that puts the retirement date within the next 12 months, from
    ``months_ahead`` on when possible (the roadmap leaves some months without retirements:
    men reaching it in January to March retire later in the year)."""
    now = today()
    until = add_months(now, 12)
    if year_only:
        for candidate in (sex, "male" if sex == "female" else "female"):
            for year in range(now.year - 66, now.year - 50):
                found = retirement_of(book, candidate, dt.date(year, 1, 1), birth_year_only=True)
                if found is not None and now < found.retires_on <= until:
                    return dt.date(year, 1, 1), candidate
    for offset in range(months_ahead, 12):
        target = add_months(now, offset)
        for back in range(50 * 12, 66 * 12):
            born = add_months(dt.date(now.year, now.month, 15), -back)
            found = retirement_of(book, sex, born)
            if found is not None and (found.retires_on.year, found.retires_on.month) == (
                target.year,
                target.month,
            ):
                return born, sex
    return dt.date(now.year - 60, now.month, 15), sex


def _entitled_on_notice(generator: DemoPeople, book: RuleBook, unit: Unit) -> None:
    """Someone retiring within 12 months who is entitled to the early raise on retirement
    notice (next raise within 12 months after the notice date). Their ledger is generated, so
    candidates (a cán sự, raised every 24 months, retiring later and later) are tried in a
    savepoint until one is entitled; an ordinary person otherwise."""
    for months_ahead in range(6, 12):
        born, sex = _born_to_retire(book, "male", months_ahead, year_only=False)
        savepoint = db.session.begin_nested()
        employee = generator.write(generator.person(unit, sex=sex, born=born, rank="01.004"))
        if person_retirement(employee, book).early_raise is not None:
            savepoint.commit()
            return
        savepoint.rollback()
    generator.write(generator.person(unit))


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
    for index in range(people - len(named) - len(RETIRING) - 1):
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

    book = RuleBook.load(db.session())
    for index, (sex, months_ahead, year_only) in enumerate(RETIRING):
        born, sex = _born_to_retire(book, sex, months_ahead, year_only=year_only)
        person = generator.person(staffed[index % len(staffed)], sex=sex, born=born)
        generator.write(replace(person, birth_year_only=year_only))
    _entitled_on_notice(generator, book, staffed[len(RETIRING) % len(staffed)])

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
    _reviews(units, users, random.Random(2028))
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
            position = positions.add_from_catalogue(
                drafter,
                plan,
                catalogue[framework_code],
                {"code": local_code, "headcount": headcount},
            )
            _quantify(drafter, position, framework_code)
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


#: the usual monthly output of each catalogue position, task by task: (quantity per month,
#: conversion factor); None: an occasional output the head adds to a month's plan when it comes
MONTHLY_OUTPUTS: dict[str, tuple[tuple[str | None, str], ...]] = {
    "VT-LD-03": (("1", "3"), ("2", "1"), (None, "2"), ("4", "1"), ("1", "1")),
    "VT-LD-04": (("2", "1.5"), ("40", "0.2"), ("6", "0.5"), ("4", "1")),
    "VT-LD-05": (("1", "3"), ("6", "1.5"), ("30", "0.2"), ("8", "0.5"), ("2", "1")),
    "VT-LD-06": (("6", "0.5"), ("2", "2"), ("25", "0.2"), (None, "1")),
    "VT-CM-01": (("2", "2"), ("12", "1"), ("40", "0.1"), ("2", "1")),
    "VT-CM-02": (("2", "2"), ("3", "2"), (None, "3"), ("2", "1")),
    "VT-CM-03": ((None, "3"), ("2", "1.5"), ("2", "2"), ("1", "1.5")),
    "VT-CM-04": (("2", "1"), ("15", "0.5"), ("1", "1"), ("30", "0.1")),
    "VT-CM-05": ((None, "3"), ("2", "1.5"), ("1", "2"), ("3", "1")),
    "VT-CM-06": (("2", "2"), ("4", "1"), ("3", "1"), ("2", "1")),
    "VT-CM-07": (("20", "0.2"), ("2", "2"), ("1", "2"), ("3", "0.5")),
    "VT-DC-01": (("6", "1"), ("2", "1"), (None, "2"), ("1", "1")),
    "VT-DC-02": (("4", "1"), ("3", "1"), ("2", "1"), ("6", "0.5")),
    "VT-DC-03": ((None, "3"), ("3", "1"), ("4", "1"), ("1", "1")),
    "VT-DC-04": (("120", "0.05"), ("2", "1"), ("20", "0.2"), ("1", "0.5"), ("10", "0.1")),
    "VT-DC-05": (("300", "0.02"), ("250", "0.02"), ("1", "0.5"), ("5", "0.3")),
    "VT-DC-07": (("4", "0.5"), ("1", "1"), ("30", "0.1"), (None, "2"), ("15", "0.2")),
}


def _quantify(actor: Any, position: UnitPosition, framework_code: str) -> None:
    """The unit's usual monthly quantities on the outputs taken from the catalogue (which has
    none): the review work plans start from them."""
    quantities = MONTHLY_OUTPUTS.get(framework_code)
    if quantities is None:
        return
    tasks = [
        {
            "description": task.description,
            "outputs": [
                {
                    "name": output.name,
                    "unit_of_measure": output.unit_of_measure,
                    "conversion_factor": Decimal(factor),
                    "monthly_quantity": Decimal(monthly) if monthly else None,
                }
                for output in task.outputs
            ],
        }
        for task, (monthly, factor) in zip(position.tasks, quantities, strict=True)
    ]
    positions.update_position(actor, position, {"version": position.version, "tasks": tasks})


#: finished months before the current one, each planned, self-assessed, scored and finalised
REVIEWED_MONTHS = 3
#: the plan a head gives someone with no position yet (title, output, unit, quantity, weight)
UNPLACED_PLAN = (
    ("Thực hiện nhiệm vụ chuyên môn do lãnh đạo phòng phân công", "Văn bản, hồ sơ được giao",
     "văn bản", "6", "50"),
    ("Tham gia xây dựng kế hoạch, báo cáo công tác của phòng", "Báo cáo", "báo cáo", "2", "30"),
    ("Cập nhật hồ sơ, dữ liệu thuộc lĩnh vực được giao", "Hồ sơ được cập nhật", "hồ sơ", "20",
     "20"),
)  # fmt: skip
#: how people's months go: (profile, weight); see _delivery and _general
PROFILES = (("strong", 24), ("steady", 56), ("uneven", 16), ("struggling", 4))
EXCUSES = (
    "Chờ ý kiến góp ý của các sở, ngành phối hợp",
    "Chờ số liệu báo cáo của các xã, phường",
    "Lãnh đạo Sở đi công tác, văn bản chưa được ký ban hành",
    "Hệ thống phần mềm quản lý văn bản gặp sự cố",
)
SELF_NOTES = (
    "Hoàn thành đầy đủ các nhiệm vụ được giao trong tháng.",
    "Một số sản phẩm chậm do chờ ý kiến của cơ quan phối hợp.",
    "Tham gia thêm công việc đột xuất theo phân công của lãnh đạo phòng.",
)
HEAD_NOTES = (
    "Cần chủ động hơn trong phối hợp với các phòng.",
    "Hoàn thành tốt nhiệm vụ, chất lượng tham mưu bảo đảm.",
    "Một số văn bản phải sửa nhiều lần, cần rà soát kỹ trước khi trình.",
)
DEMO_SELF_ASSESSORS = ("staff", "staff2")
COMMENTS = (
    "Đồng chí luôn hỗ trợ đồng nghiệp trong việc rà soát hồ sơ.",
    "Phối hợp tốt với các phòng trong việc chuẩn bị báo cáo của Sở.",
    "Có sáng kiến rút ngắn thời gian xử lý văn bản đến.",
)
HALF = Decimal("0.5")


class _Cycle:
    """Who does what in the review cycle of Sở Nội vụ: the officer opens the periods; the
    heads plan and score their divisions (the administrator where a division has no demo head,
    and for the heads themselves, scored by the level above); each person fills in their own
    self-assessment (through their account, or keyed in for those without one)."""

    def __init__(self, units: dict[str, Unit], users: dict[str, Any], r: random.Random) -> None:
        self.r = r
        self.users = users
        self.heads = {units["SNV-CCVC"].id: users["head"], units["SNV-XDCQ"].id: users["head2"]}
        self.accounts = {u.employee_id: u for u in users.values() if u.employee_id}
        self.codes = {unit.id: code for code, unit in units.items()}

    def scorer(self, review: Review) -> Any:
        head = self.heads.get(review.unit_id)
        if head is None or head.employee_id == review.employee_id:
            return self.users["admin"]
        return head

    def person(self, review: Review) -> Any:
        account = self.accounts.get(review.employee_id)
        if account is not None:
            return account
        return SystemActor(username="seed-demo", role_grants=(), employee_id=review.employee_id)

    def plan(self, review: Review, deadline: dt.date | None = None) -> review_queries.Loaded:
        """The head's plan: the position's outputs as drawn, or a plan of their own for people
        with no position yet (``deadline``: on the first item); then the self-assessment is
        open."""
        scorer = self.scorer(review)
        loaded = review_queries.get_review_for(scorer, review.id, action="score")
        rows: list[dict[str, Any]] = [
            {
                "id": item.id,
                "title": item.title,
                "expected_output": item.expected_output,
                "unit_of_measure": item.unit_of_measure,
                "assigned_quantity": item.assigned_quantity,
                "weight": item.weight,
            }
            for item in review.items
        ] or [
            {
                "title": title,
                "expected_output": output,
                "unit_of_measure": measure,
                "assigned_quantity": Decimal(quantity),
                "weight": Decimal(weight),
            }
            for title, output, measure, quantity, weight in UNPLACED_PLAN
        ]
        if deadline is not None:
            rows[0]["deadline"] = deadline
        if deadline is not None or not review.items:
            review_services.save_plan(scorer, loaded, {"version": review.version, "items": rows})
        review_services.open_self_assessment(scorer, loaded, review.version)
        return loaded

    def self_assess(self, review: Review, profile: str, last_day: dt.date, *, submit: bool) -> None:
        r = self.r
        who = self.person(review)
        loaded = review_queries.get_review_for(who, review.id, action="self")
        start = last_day.replace(day=1)
        items = []
        for item in review.items:
            delivered_on = start + dt.timedelta(days=r.randint(0, (last_day - start).days))
            row: dict[str, Any] = {
                "id": item.id,
                "delivered_quantity": _delivery(r, profile, Decimal(item.assigned_quantity)),
                "delivered_on": delivered_on,
            }
            if r.random() < 0.4:
                row["evidence"] = f"Văn bản số {r.randint(100, 3999)}/SNV-{delivered_on:%m}"
            items.append(row)
        data: dict[str, Any] = {"version": review.version, "items": items}
        if r.random() < 0.7:
            data["self_points"] = _general(r, profile, lift=HALF)
        if r.random() < 0.3:
            data["self_note"] = r.choice(SELF_NOTES)
        review_services.save_self_assessment(who, loaded, data)
        if submit:
            review_services.submit(who, loaded, review.version)

    def score(self, loaded: review_queries.Loaded, profile: str) -> None:
        r = self.r
        review = loaded.review
        odds = {"strong": 0.02, "steady": 0.05, "uneven": 0.15, "struggling": 0.35}[profile]
        rows = []
        for item in review.items:
            row: dict[str, Any] = {"id": item.id, "returns": 0, "delays": 0, "excused_delays": 0}
            if r.random() < odds:
                row["returns"] = 1 + (profile == "struggling")
            if r.random() < odds * 1.5:
                row["delays"] = r.choice((1, 1, 2))
                if r.random() < 0.4:
                    row["excused_delays"] = r.randint(1, row["delays"])
                    row["excuse_reason"] = r.choice(EXCUSES)
            rows.append(row)
        data: dict[str, Any] = {
            "version": review.version,
            "items": rows,
            "general_points": _general(r, profile),
        }
        if r.random() < 0.15:
            data["head_note"] = r.choice(HEAD_NOTES)
        scorer = self.scorer(review)
        review_services.score_review(scorer, loaded, data)


def _delivery(r: random.Random, profile: str, assigned: Decimal) -> Decimal:
    """How much of an assigned quantity was delivered: whole units, mostly all of it."""
    if profile == "strong":
        share = 1.0 if r.random() < 0.85 else r.uniform(1.0, 1.3)
    elif profile == "steady":
        share = 1.0 if r.random() < 0.7 else r.uniform(0.6, 0.95)
    elif profile == "uneven":
        share = 1.0 if r.random() < 0.45 else r.uniform(0.4, 0.9)
    else:
        share = r.uniform(0.0, 0.5)
    return Decimal(round(float(assigned) * share))


def _general(r: random.Random, profile: str, lift: Decimal = Decimal(0)) -> dict[str, Decimal]:
    """Points of the three general criteria (each out of 10, in halves)."""
    low, high = {"strong": (16, 20), "steady": (10, 15), "uneven": (9, 13), "struggling": (7, 11)}[
        profile
    ]
    return {
        code: min(Decimal(10), Decimal(r.randint(low, high)) * HALF + lift)
        for code in ("politics", "capacity", "innovation")
    }


def _months_back(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - months
    return index // 12, index % 12 + 1


def _open_month(officer: Any, department: Unit, year: int, month: int) -> review_services.Opened:
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return review_services.open_period(
        officer,
        {
            "unit_id": department.id,
            "kind": "month",
            "year": year,
            "number": month,
            "self_deadline": last + dt.timedelta(days=3),
            "scoring_deadline": last + dt.timedelta(days=10),
        },
    )


def _reviews(units: dict[str, Unit], users: dict[str, Any], r: random.Random) -> None:
    """Monthly reviews of the civil servants of Sở Nội vụ: the last months finished (planned
    from the position outputs, self-assessed, scored by the heads, the heads by the level
    above, finalised), the current month in progress. (The public employees of the centres are
    reviewed by quarter under another scheme: no periods of theirs yet.)"""
    department = db.session.scalar(select(Unit).where(Unit.code == DEPARTMENT[0]))
    assert department is not None
    officer = users["officer"]
    cycle = _Cycle(units, users, r)
    now = today()
    profiles = {}
    for back in range(REVIEWED_MONTHS, 0, -1):
        year, month = _months_back(now, back)
        opened = _open_month(officer, department, year, month)
        last = opened.period.ends_on
        scoring: list[tuple[review_queries.Loaded, str]] = []
        with as_of(last + dt.timedelta(days=1)):
            for review in opened.reviews:
                # people keep their habits, with a good or a bad month now and then
                if review.employee_id not in profiles or r.random() < 0.25:
                    profiles[review.employee_id] = _profile(r)
                loaded = cycle.plan(review)
                cycle.self_assess(review, profiles[review.employee_id], last, submit=True)
                scoring.append((loaded, profiles[review.employee_id]))
        # the heads of units last: their score counts their unit's results
        scoring.sort(key=lambda pair: pair[0].review.leads_unit_id is not None)
        with as_of(last + dt.timedelta(days=6)):
            for loaded, profile in scoring:
                cycle.score(loaded, profile)
                review_services.finalise(cycle.scorer(loaded.review), loaded, loaded.review.version)
        _comment(cycle, opened.reviews)
        if back == REVIEWED_MONTHS:
            # the oldest month is over and done: the officer closes it (read-only since)
            review_services.close_period(officer, opened.period, opened.period.version)
    _current_month(cycle, officer, department, now, profiles)


def _comment(cycle: _Cycle, reviews: list[Review]) -> None:
    """The demo staff members' word on a colleague's month (shown to the person unsigned)."""
    for name in DEMO_SELF_ASSESSORS:
        author = cycle.users[name]
        unit_id = next(r.unit_id for r in reviews if r.employee_id == author.employee_id)
        colleagues = [
            r for r in reviews if r.unit_id == unit_id and r.employee_id != author.employee_id
        ]
        review = cycle.r.choice(colleagues)
        loaded = review_queries.get_review_for(author, review.id, action="comment")
        review_services.add_comment(author, loaded, cycle.r.choice(COMMENTS))


def _profile(r: random.Random) -> str:
    return r.choices([p for p, _w in PROFILES], weights=[w for _p, w in PROFILES])[0]


def _current_month(
    cycle: _Cycle, officer: Any, department: Unit, now: dt.date, profiles: dict[int, str]
) -> None:
    """The month under way: most plans open for self-assessment, some reports saved, some
    submitted, some already scored; none finalised. The demo staff members' self-assessments
    are open and untouched, for the walk-through to fill in."""
    r = cycle.r
    opened = _open_month(officer, department, now.year, now.month)
    waiting = {cycle.users[name].employee_id for name in DEMO_SELF_ASSESSORS}
    for review in opened.reviews:
        profile = profiles.get(review.employee_id) or _profile(r)
        if review.employee_id in waiting or review.leads_unit_id is not None:
            cycle.plan(review)
            continue
        step = r.random()
        if step < 0.1:
            continue  # the head has not opened the plan yet
        due = now.replace(day=15) if now.day > 15 and step < 0.18 else None
        loaded = cycle.plan(review, due)
        if step < 0.45:
            continue  # nothing reported yet (some of it overdue)
        cycle.self_assess(review, profile, now, submit=step >= 0.6)
        if step >= 0.85:
            cycle.score(loaded, profile)
