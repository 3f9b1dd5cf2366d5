"""The next raise and retirement date kept on each dossier (hrms.salary.schedule) equal a fresh
computation by the rule code after every kind of change they derive from: a decision added or
corrected, an annual rating finalised or changed, an identity change, a salary rule version.
Were one of them left stale, the raise list, the retirement list and the dashboard's counts,
which select on these columns, would be wrong: these tests fail first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from hrms.employees.models import Employee
from hrms.employees.services import add_authorised_decision, patch_employee
from hrms.extensions import db
from hrms.reviews.models import AnnualRating
from hrms.salary import schedule
from hrms.salary.models import PayRules
from hrms.salary.raises import load_ledgers, next_raise
from hrms.salary.retirement import retirement_of
from hrms.salary.rules import RuleBook
from hrms.salary.services import save_retirement_age
from tests import factories
from tests.salary.factories_raises import place, rate

D = dt.date


def fresh(employee_id: int) -> tuple[dt.date | None, str | None, dt.date | None]:
    """What the rule code says now, through the explaining path of the pages (ORM ledgers)."""
    session = db.session()
    book = RuleBook.load(session)
    ledger = load_ledgers(session, select(Employee.id).where(Employee.id == employee_id)).get(
        employee_id
    )
    from hrms.salary.raises import Ledger

    due = next_raise(ledger or Ledger(employee_id), book)
    sex, born, year_only = session.execute(
        select(Employee.sex, Employee.date_of_birth, Employee.birth_year_only).where(
            Employee.id == employee_id
        )
    ).one()
    retirement = retirement_of(book, sex, born, birth_year_only=year_only)
    return (
        due.due if due is not None else None,
        due.kind.value if due is not None else None,
        retirement.retires_on if retirement is not None else None,
    )


def stored(employee_id: int) -> tuple[dt.date | None, str | None, dt.date | None]:
    """What the database holds (not the session's copy)."""
    row = db.session.execute(
        select(Employee.next_raise_on, Employee.next_raise_kind, Employee.retires_on).where(
            Employee.id == employee_id
        )
    ).one()
    return row[0], row[1], row[2]


def assert_kept(*employees: Any) -> None:
    for employee in employees:
        assert stored(employee.id) == fresh(employee.id)
        loaded = (employee.next_raise_on, employee.next_raise_kind, employee.retires_on)
        assert loaded == stored(employee.id)  # the session's dossier follows too


def test_a_new_dossier_has_its_retirement_date(world: Any, service_context: None) -> None:
    assert world.in_team.retires_on is not None
    assert world.in_team.next_raise_on is None  # no rank yet
    assert_kept(world.in_team, world.own, world.in_b, world.outside)


def test_a_decision_added_moves_the_next_raise(world: Any, service_context: None) -> None:
    place(world.in_team, D(2023, 3, 15), 3)
    assert stored(world.in_team.id)[:2] == (D(2026, 3, 15), "step")
    assert_kept(world.in_team)
    place(world.own, D(2022, 2, 28), 9)  # the last step: the seniority allowance is next
    assert stored(world.own.id)[:2] == (D(2025, 2, 28), "seniority")
    assert_kept(world.own)


def test_a_corrected_decision_is_followed(world: Any, service_context: None) -> None:
    first = place(world.in_team, D(2023, 3, 15), 3)
    place(world.in_team, D(2023, 9, 1), 3, supersedes_id=first.id)
    assert stored(world.in_team.id)[0] == D(2026, 9, 1)
    assert_kept(world.in_team)


def test_a_discipline_decision_delays_the_raise(world: Any, service_context: None) -> None:
    place(world.in_team, D(2023, 3, 15), 3)
    add_authorised_decision(
        world.in_team,
        {
            "kind": "discipline",
            "number": "7/QĐ-KL",
            "signed_on": D(2024, 5, 1),
            "issuer": "Sở Nội vụ",
            "effective_on": D(2024, 5, 1),
            "title": "Khiển trách",
        },
    )
    assert stored(world.in_team.id)[0] > D(2026, 3, 15)
    assert_kept(world.in_team)


def test_a_failed_year_finalised_or_changed_moves_the_raise(
    world: Any, service_context: None
) -> None:
    place(world.in_team, D(2023, 3, 15), 3)
    before = stored(world.in_team.id)[0]
    annual = rate(world.in_team, 2024, "incomplete", world.department)
    delayed = stored(world.in_team.id)[0]
    assert delayed is not None and before is not None and delayed > before
    assert_kept(world.in_team)
    # the rating changed (an override) after it was written: the delay goes
    annual.override_rating = "good"
    annual.override_reason = "Kết quả xem xét lại"
    db.session.flush()
    assert stored(world.in_team.id)[0] == before
    assert_kept(world.in_team)


def test_only_a_finalised_rating_counts(world: Any, service_context: None) -> None:
    place(world.in_team, D(2023, 3, 15), 3)
    before = stored(world.in_team.id)[0]
    annual = AnnualRating(
        employee_id=world.in_team.id,
        year=2024,
        scheme_id=_scheme_id(),
        unit_id=world.in_team.unit_id,
        agency_id=world.department.id,
        task_group="professional",
        periods=4,
        band="incomplete",
        rating="incomplete",
        finalised=False,
    )
    db.session.add(annual)
    db.session.flush()
    assert stored(world.in_team.id)[0] == before
    annual.finalised = True  # as finalise_annual does
    db.session.flush()
    assert stored(world.in_team.id)[0] != before
    assert_kept(world.in_team)


def _scheme_id() -> int:
    from tests.reviews import factories as review_factories

    return int(review_factories.scheme("ND335-2025").id)


def test_identity_changes_move_the_retirement_date(world: Any, service_context: None) -> None:
    admin = world.users["admin"]
    person = world.in_team
    before = stored(person.id)[2]
    patch_employee(
        admin, person, world.team_a, {"date_of_birth": D(1990, 11, 30), "version": person.version}
    )
    moved = stored(person.id)[2]
    assert moved != before
    assert_kept(person)
    patch_employee(
        admin, person, world.team_a, {"birth_year_only": True, "version": person.version}
    )
    assert stored(person.id)[2] != moved
    assert_kept(person)
    born = D(1990, 1, 1)
    patch_employee(
        admin,
        person,
        world.team_a,
        {
            "sex": "female",
            "national_id": factories.national_id_for("female", born, 7),
            "version": person.version,
        },
    )
    assert_kept(person)


def test_a_retirement_age_added_by_an_admin_moves_everyone_it_concerns(
    world: Any, service_context: None
) -> None:
    admin = world.users["admin"]
    person = world.in_team
    patch_employee(
        admin,
        person,
        world.team_a,
        {
            "date_of_birth": D(1978, 6, 10),
            "national_id": factories.national_id_for("male", D(1978, 6, 10), 3),
            "version": person.version,
        },
    )
    before = stored(person.id)[2]
    save_retirement_age(
        admin,
        {"sex": "male", "from_year": 2040, "age_years": 63, "age_months": 0, "source": "Test"},
    )
    db.session.flush()
    assert stored(person.id)[2] != before
    assert_kept(person, world.own, world.in_b, world.outside)


def test_a_pay_rule_change_moves_every_next_raise(world: Any, service_context: None) -> None:
    place(world.in_team, D(2023, 3, 15), 3)
    place(world.in_b, D(2023, 4, 30), 2)
    rate(world.in_team, 2024, "incomplete", world.department)
    before = stored(world.in_team.id)[0]
    for rules in db.session.scalars(select(PayRules)):
        rules.failed_year_delay_months += 6
    db.session.flush()
    assert stored(world.in_team.id)[0] != before
    assert_kept(world.in_team, world.in_b, world.own, world.outside)


def test_everyone_recomputed_equals_what_was_kept(world: Any, service_context: None) -> None:
    place(world.in_team, D(2023, 3, 15), 3)
    place(world.own, D(2022, 2, 28), 9, seniority_percent=None)
    people = (world.in_team, world.own, world.in_b, world.outside)
    kept = [stored(p.id) for p in people]
    schedule.refresh_everyone(db.session())
    assert [stored(p.id) for p in people] == kept


def test_the_dates_only_computation_equals_the_explained_one(
    world: Any, service_context: None
) -> None:
    place(world.in_team, D(2023, 3, 15), 3, salary_coefficient=Decimal("3.00"))
    session = db.session()
    book = RuleBook.load(session)
    ledger = schedule.ledgers_of(session, [world.in_team.id])[world.in_team.id]
    explained = next_raise(ledger, book)
    assert explained is not None
    assert schedule.planned_raise(ledger, book) == (explained.due, explained.kind.value)
