"""A population for the statistics on top of the common world, and the expected numbers computed
from the rows one by one in Python (independently of the GROUP BY queries under test)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from hrms.employees.models import Employee
from hrms.extensions import db
from hrms.org.models import Unit
from tests import factories

AS_OF = dt.date(2026, 6, 30)
#: the age bands the test expects (under 30, 30-39, 40-49, 50-59, 60 and over)
BAND_STARTS = (0, 30, 40, 50, 60)


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def band_of(born: dt.date, day: dt.date) -> str:
    age = age_on(born, day)
    return str(max(index for index, start in enumerate(BAND_STARTS) if age >= start))


@dataclass
class Expected:
    """The working people recruited by the date, in some subtrees, read one row at a time."""

    people: list[tuple[Employee, str]]
    as_of: dt.date

    def count(self, key: Callable[[Employee], Any]) -> Counter[str]:
        found: Counter[str] = Counter()
        for person, _path in self.people:
            value = key(person)
            found["" if value is None else str(value)] += 1
        return found

    @property
    def total(self) -> int:
        return len(self.people)

    @property
    def women(self) -> int:
        return sum(1 for person, _path in self.people if person.sex == "female")

    def party(self, person: Employee) -> int:
        joined = person.party_joined_on
        return int(joined is not None and joined <= self.as_of)

    def minority(self, person: Employee) -> int:
        return int(person.ethnicity_code is not None and person.ethnicity_code != "01")


def expected(paths: Iterable[str], as_of: dt.date = AS_OF) -> Expected:
    """Every working person recruited by ``as_of`` in the subtrees of ``paths``."""
    roots = tuple(paths)
    rows = db.session.execute(select(Employee, Unit.path).join(Unit, Unit.id == Employee.unit_id))
    chosen = [
        (person, path)
        for person, path in rows
        if person.status == "working"
        and (person.recruited_on is None or person.recruited_on <= as_of)
        and path.startswith(roots)
    ]
    return Expected(chosen, as_of)


def crowd(unit: Any, n: int, **fields: Any) -> None:
    """``n`` more people in a unit, of varied sex, age, kind and party (for the size tests)."""
    for index in range(n):
        factories.EmployeeFactory(
            unit=unit,
            sex="male" if index % 2 else "female",
            date_of_birth=dt.date(1960 + index % 40, 1 + index % 12, 1 + index % 28),
            kind=("cong_chuc", "vien_chuc", "can_bo", "contract")[index % 4],
            rank_code=("01.003", "01.002", "V.07.01.03")[index % 3],
            qualification_code=("dai_hoc", "thac_si", None)[index % 3],
            ethnicity_code=("01", "02", "05")[index % 3],
            party_joined_on=dt.date(2010, 1, 1) if index % 2 else None,
            **fields,
        )


@dataclass
class Population:
    world: Any
    #: the people added here, by a short name
    people: dict[str, Employee]


@pytest.fixture
def population(world: Any) -> Population:
    """People whose every dimension differs, with the boundaries of the age bands."""
    make = factories.EmployeeFactory
    people = {
        # 28 on the date: under 30
        "young": make(
            unit=world.division_a,
            sex="male",
            date_of_birth=dt.date(1997, 7, 1),
            kind="vien_chuc",
            rank_code="V.07.01.03",
            qualification_code="thac_si",
            political_theory_code="cao_cap",
            ethnicity_code="02",
            party_joined_on=dt.date(2020, 1, 1),
        ),
        # 30 exactly on the date: 30-39; joins the Party after the date
        "thirty": make(
            unit=world.team_a,
            sex="female",
            date_of_birth=dt.date(1996, 6, 30),
            kind="cong_chuc",
            rank_code="01.002",
            qualification_code="dai_hoc",
            political_theory_code="trung_cap",
            ethnicity_code="01",
            party_joined_on=dt.date(2027, 1, 1),
        ),
        # 59 on the date (60 the day after): 50-59; no rank, no qualification
        "fifty_nine": make(
            unit=world.division_b,
            sex="male",
            date_of_birth=dt.date(1966, 7, 1),
            kind="can_bo",
            rank_code=None,
            ethnicity_code="01",
            party_joined_on=dt.date(1990, 3, 2),
        ),
        # born on 29 February, 66: 60 and over; placed in the department itself
        "leap": make(
            unit=world.department,
            sex="female",
            date_of_birth=dt.date(1960, 2, 29),
            kind="contract",
            rank_code=None,
            ethnicity_code="05",
        ),
        # only the birth year known (1 January): 46, 40-49
        "year_only": make(
            unit=world.division_a,
            sex="female",
            date_of_birth=dt.date(1980, 1, 1),
            birth_year_only=True,
            qualification_code="tien_si",
            political_theory_code="cu_nhan",
            ethnicity_code="17",
            recruited_on=dt.date(2005, 9, 1),
        ),
        # not counted: retired, or recruited after the date
        "retired": make(unit=world.division_a, status="retired", ethnicity_code="02"),
        "later": make(unit=world.division_a, recruited_on=dt.date(2026, 7, 15)),
        # another department: outside the officer's scope
        "elsewhere": make(
            unit=world.other_department,
            sex="male",
            kind="vien_chuc",
            ethnicity_code="05",
            party_joined_on=dt.date(2001, 1, 1),
        ),
    }
    return Population(world, people)
