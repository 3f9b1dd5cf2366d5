"""Salary as of a date and its history (hrms.salary.pay), and the ledger's salary checks
(hrms.employees.services): coefficients against the official tables, base-salary changes
mid-period, every refusal with nothing saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from hrms.core.errors import ValidationFailed
from hrms.employees import queries as dossiers
from hrms.employees.models import Decision
from hrms.extensions import db
from hrms.salary import pay
from hrms.salary.rules import RuleBook
from tests import factories
from tests.salary.factories_pay import decide, recruit, step_raise

D = Decimal
#: Nghị định 204/2004, table 2 (domain.md §3): group -> (first coefficient, increment, steps)
OFFICIAL = {
    "CGCC": (D("8.80"), D("0.60"), 3),
    "A3.1": (D("6.20"), D("0.36"), 6),
    "A3.2": (D("5.75"), D("0.36"), 6),
    "A2.1": (D("4.40"), D("0.34"), 8),
    "A2.2": (D("4.00"), D("0.34"), 8),
    "A1": (D("2.34"), D("0.33"), 9),
    "A0": (D("2.10"), D("0.31"), 10),
    "B": (D("1.86"), D("0.20"), 12),
    "C1": (D("1.65"), D("0.18"), 12),
    "C2": (D("1.50"), D("0.18"), 12),
    "C3": (D("1.35"), D("0.18"), 12),
}
#: the last coefficient as the decree prints it: the computed table must end there
LAST = {
    "CGCC": D("10.00"),
    "A3.1": D("8.00"),
    "A3.2": D("7.55"),
    "A2.1": D("6.78"),
    "A2.2": D("6.38"),
    "A1": D("4.98"),
    "A0": D("4.89"),
    "B": D("4.06"),
    "C1": D("3.63"),
    "C2": D("3.48"),
    "C3": D("3.33"),
}
ON = dt.date(2025, 1, 1)


@pytest.fixture
def rules(service_context: None) -> RuleBook:
    return RuleBook.load(db.session)


def _decisions(person: Any) -> int:
    return int(
        db.session.scalar(select(func.count(Decision.id)).where(Decision.employee_id == person.id))
    )


# Coefficients -------------------------------------------------------------------------------


@pytest.mark.parametrize("group", sorted(OFFICIAL))
def test_every_step_of_every_scale_is_the_official_coefficient(rules: RuleBook, group: str) -> None:
    first, increment, steps = OFFICIAL[group]
    scale = rules.scale(group, ON)
    assert scale is not None and scale.last_step == steps
    expected = [first + increment * (n - 1) for n in range(1, steps + 1)]
    assert expected[-1] == LAST[group]
    assert [scale.coefficient(n) for n in range(1, steps + 1)] == expected
    assert scale.coefficient(steps + 1) is None


@pytest.mark.parametrize(
    ("rank", "group"),
    [("01.001", "A3.1"), ("01.002", "A2.1"), ("01.003", "A1"), ("01.004", "B"), ("01.005", "C1")],
)
def test_ranks_are_paid_on_their_group(rules: RuleBook, rank: str, group: str) -> None:
    first, increment, steps = OFFICIAL[group]
    for step in range(1, steps + 1):
        assert rules.coefficient(rank, step, ON) == first + increment * (step - 1)


# Salary and history -------------------------------------------------------------------------


def test_a_base_salary_change_mid_step_splits_the_history(world: Any, rules: RuleBook) -> None:
    person, unit = world.in_b, world.division_b
    recruit(person, unit, dt.date(2020, 1, 1))
    step_raise(person, unit, dt.date(2023, 1, 1), 2)
    step_raise(person, unit, dt.date(2026, 1, 1), 3)
    rows = pay.salary_history(dossiers.decisions_of(person.id), rules)
    assert [(r.start, r.end, r.pay.step, r.pay.base_salary, r.pay.monthly) for r in rows] == [
        (dt.date(2020, 1, 1), dt.date(2022, 12, 31), 1, D(1_490_000), D(3_486_600)),
        (dt.date(2023, 1, 1), dt.date(2023, 6, 30), 2, D(1_490_000), D(3_978_300)),
        (dt.date(2023, 7, 1), dt.date(2024, 6, 30), 2, D(1_800_000), D(4_806_000)),
        (dt.date(2024, 7, 1), dt.date(2025, 12, 31), 2, D(2_340_000), D(6_247_800)),
        (dt.date(2026, 1, 1), None, 3, D(2_340_000), D(7_020_000)),
    ]
    assert {(r.pay.rank_code, r.pay.scale_code) for r in rows} == {("01.003", "A1")}
    # the salary on any day is the row's
    on = pay.salary_on(dossiers.decisions_of(person.id), rules, dt.date(2024, 6, 30))
    assert on is not None and on.monthly == D(4_806_000)
    assert pay.salary_on(dossiers.decisions_of(person.id), rules, dt.date(2019, 12, 31)) is None


def test_allowances_combine_as_the_circular_says(world: Any, rules: RuleBook) -> None:
    """(coefficient + position + (coefficient + position) × seniority %) × base."""
    person, unit = world.in_b, world.division_b
    recruit(person, unit, dt.date(2021, 1, 1), rank="01.004", step=12)
    decide(
        person,
        unit,
        kind="appointment",
        effective_on=dt.date(2022, 1, 1),
        title="Phó Trưởng phòng",
        allowance_coefficient=D("0.20"),
    )
    step_raise(person, unit, dt.date(2023, 1, 1), 12, seniority_percent=5)
    assert person.seniority_percent == 5
    salary = pay.salary_on(dossiers.decisions_of(person.id), rules, dt.date(2025, 1, 1))
    assert salary is not None
    assert (salary.coefficient, salary.position_allowance, salary.seniority_percent) == (
        D("4.06"),
        D("0.20"),
        5,
    )
    assert salary.seniority_coefficient == D("0.2130")
    assert salary.monthly == D(10_466_820)  # 4.473 × 2,340,000
    assert salary.salary_amount + salary.position_amount + salary.seniority_amount == D(10_466_820)
    rows = pay.salary_history(dossiers.decisions_of(person.id), rules)
    assert [(r.start, r.pay.position_allowance, r.pay.seniority_percent) for r in rows][:3] == [
        (dt.date(2021, 1, 1), D(0), 0),
        (dt.date(2022, 1, 1), D("0.20"), 0),
        (dt.date(2023, 1, 1), D("0.20"), 5),
    ]


def test_a_new_rank_ends_the_seniority_allowance_and_leaving_ends_the_salary(
    world: Any, rules: RuleBook
) -> None:
    person, unit = world.in_b, world.division_b
    recruit(person, unit, dt.date(2021, 1, 1), rank="01.004", step=12, seniority_percent=6)
    assert person.seniority_percent == 6
    decide(
        person,
        unit,
        kind="rank_placement",
        effective_on=dt.date(2023, 1, 1),
        rank_code="01.003",
        salary_step=4,
    )
    assert (person.rank_code, person.salary_coefficient, person.seniority_percent) == (
        "01.003",
        D("3.33"),
        None,
    )
    decide(person, unit, kind="retirement", effective_on=dt.date(2025, 3, 1))
    rows = pay.salary_history(dossiers.decisions_of(person.id), rules)
    assert rows[-1].end == dt.date(2025, 2, 28)
    assert pay.salary_on(dossiers.decisions_of(person.id), rules, dt.date(2025, 3, 1)) is None


# The ledger's checks ------------------------------------------------------------------------


def test_the_coefficient_is_filled_in_from_the_rules(world: Any, service_context: None) -> None:
    person, unit = world.in_b, world.division_b
    decision = recruit(person, unit, dt.date(2021, 3, 1), step=2)
    assert decision.salary_coefficient == D("2.67") and person.salary_coefficient == D("2.67")


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"rank_code": "99.999"}, "rank_code", "no rank"),
        ({"salary_step": 10}, "salary_step", "9 steps"),
        ({"salary_coefficient": D("2.76")}, "salary_coefficient", "2.67"),
        ({"seniority_percent": 5}, "seniority_percent", "last step"),
        ({"early_raise_months": 13}, "early_raise_months", "12 months"),
    ],
)
def test_refusals_save_nothing(
    world: Any, _in_english: None, fields: dict[str, Any], field: str, words: str
) -> None:
    person, unit = world.in_b, world.division_b
    recruit(person, unit, dt.date(2021, 3, 1))
    before = (_decisions(person), person.salary_step, person.salary_coefficient)
    data = {"salary_step": 2} | fields
    with pytest.raises(ValidationFailed) as refused:
        decide(person, unit, kind="salary_step", effective_on=dt.date(2024, 3, 1), **data)
    assert field in refused.value.errors
    assert words in " ".join(refused.value.errors[field])
    assert (_decisions(person), person.salary_step, person.salary_coefficient) == before


def test_a_rank_not_in_force_on_the_date_is_refused(world: Any, service_context: None) -> None:
    from hrms.salary.models import Rank

    db.session.add(
        Rank(
            code="09.999",
            name="Ngạch thử",
            scale_code="A1",
            personnel_kind="cong_chuc",
            effective_from=dt.date(2004, 10, 1),
            effective_to=dt.date(2019, 12, 31),
        )
    )
    db.session.flush()
    with pytest.raises(ValidationFailed) as refused:
        recruit(world.in_b, world.division_b, dt.date(2021, 3, 1), rank="09.999")
    assert "rank_code" in refused.value.errors


def test_decisions_before_the_rule_data_are_not_checked(world: Any, service_context: None) -> None:
    """Scales before Nghị định 204/2004 are not seeded: old decisions keep what they say."""
    unit = world.division_b
    unit.effective_from = unit.current_since = dt.date(1980, 1, 1)
    person = factories.EmployeeFactory(
        unit=unit,
        date_of_birth=dt.date(1970, 3, 2),
        national_id=factories.national_id_for("female", dt.date(1970, 3, 2), 7),
    )
    recruit(person, unit, dt.date(1995, 1, 1), coefficient=D("1.78"))
    assert person.salary_coefficient == D("1.78")
    with pytest.raises(ValidationFailed):  # from 01/10/2004 the scales apply
        step_raise(person, unit, dt.date(2005, 1, 1), 2, salary_coefficient=D("1.99"))
    assert step_raise(person, unit, dt.date(2005, 1, 1), 2).salary_coefficient == D("2.67")
