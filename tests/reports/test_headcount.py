"""The headcount aggregate (hrms.reports.headcount) equals a count made afresh from the dossiers
after every kind of change it follows: a new dossier, an identity edit, decisions that move a
person or end their service, a deleted dossier, a unit moved with its subtree, an Excel import,
and a savepoint rolled back. Were one of them missed, the statistics dashboard would show
numbers that no longer match the dossiers: these tests fail first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from hrms.employees import exchange
from hrms.employees.services import patch_employee
from hrms.extensions import db
from hrms.org import services as org_services
from hrms.reports import headcount, queries
from hrms.reports.models import HeadcountCount
from tests import factories
from tests.employees.test_exchange import person, workbook
from tests.salary.factories_pay import decide, recruit

D = dt.date
Rows = list[tuple[Any, ...]]


def stored() -> Rows:
    return sorted(tuple(row) for row in db.session.execute(select(*headcount.ROW_COLUMNS)))


def rebuilt() -> Rows:
    """The rows counted afresh from the dossiers (in a savepoint, rolled back)."""
    savepoint = db.session.begin_nested()
    headcount.rebuild(db.session.connection())
    rows = stored()
    savepoint.rollback()
    return rows


def assert_exact() -> Rows:
    rows = stored()
    assert rows == rebuilt()
    return rows


def row_of(rows: Rows, unit_id: int, dimension: str, value: str = "") -> tuple[Any, ...] | None:
    return next((row for row in rows if row[:3] == (unit_id, dimension, value)), None)


def test_every_kind_of_dossier_change_keeps_it_exact(world: Any, service_context: None) -> None:
    admin = world.users["admin"]
    before = assert_exact()
    # the world's working people, each counted in every unit above them
    everyone = row_of(before, world.root.id, "all")
    assert everyone is not None and everyone[3] >= 4

    newcomer = factories.EmployeeFactory(unit=world.division_b, date_of_birth=D(1990, 9, 9))
    rows = assert_exact()
    assert row_of(rows, world.division_b.id, "birth_month", "1990-09") is not None
    assert row_of(rows, world.root.id, "all")[3] == everyone[3] + 1  # type: ignore[index]

    # identity: sex, birth, Party, ethnicity, qualification
    patch_employee(
        admin,
        newcomer,
        world.division_b,
        {
            "party_joined_on": D(2020, 5, 19),
            "ethnicity_code": "05",
            "date_of_birth": D(1990, 2, 3),
            "version": newcomer.version,
        },
    )
    rows = assert_exact()
    assert row_of(rows, world.division_b.id, "birth_month", "1990-02") is not None
    assert row_of(rows, world.division_b.id, "party", "1")[5] >= 1  # type: ignore[index]

    # the ledger moves the person to another department, then ends their service
    recruit(newcomer, world.division_b, D(2025, 9, 1))
    assert_exact()
    decide(
        newcomer,
        world.division_b,
        kind="rotation",
        effective_on=D(2025, 10, 1),
        unit_id=world.other_department.id,
    )
    rows = assert_exact()
    assert row_of(rows, world.other_department.id, "ethnicity", "05") is not None
    decide(newcomer, world.other_department, kind="resignation", effective_on=D(2026, 1, 5))
    rows = assert_exact()
    assert row_of(rows, world.root.id, "all") == everyone  # no longer counted

    # a dossier deleted outright, and a whole subtree moved under another department
    gone = factories.EmployeeFactory(unit=world.team_a)
    assert_exact()
    db.session.delete(gone)
    db.session.flush()
    assert stored() == rebuilt() == before
    org_services.move_unit(
        admin,
        world.division_a,
        {
            "version": world.division_a.version,
            "parent_id": world.other_department.id,
            "effective_date": D(2025, 7, 1),
        },
    )
    rows = assert_exact()
    moved = row_of(rows, world.division_a.id, "all")
    assert moved is not None
    assert row_of(rows, world.other_department.id, "all")[3] >= moved[3]  # type: ignore[index]


def test_a_rolled_back_savepoint_takes_its_change_with_it(
    world: Any, service_context: None
) -> None:
    before = assert_exact()
    savepoint = db.session.begin_nested()
    person = world.in_team
    patch_employee(
        world.users["admin"],
        person,
        world.team_a,
        {"ethnicity_code": "05", "political_theory_code": None, "version": person.version},
    )
    assert stored() != before
    savepoint.rollback()
    assert assert_exact() == before


def test_an_import_counts_once_and_a_dry_run_not_at_all(world: Any, service_context: None) -> None:
    before = assert_exact()
    rows = [
        person(900 + index, sex_code="male", born=D(1988, 3, 12), ethnicity_code="05")
        for index in range(3)
    ]
    sheet = exchange.read_workbook(workbook(rows), 10_000_000)
    report = exchange.import_rows(world.users["officer"], sheet, dry_run=True)
    assert report.ok, report.problems
    assert assert_exact() == before
    report = exchange.import_rows(world.users["officer"], sheet, dry_run=False)
    assert report.ok and report.created == 3, report.problems
    after = assert_exact()
    minority = row_of(after, world.division_a.id, "ethnicity", "05")
    assert minority is not None and minority[3] == 3 and minority[6] == 3


def test_the_dashboard_reads_the_aggregate(world: Any, service_context: None) -> None:
    """Rows changed behind the services' back show on the dashboard: it reads the aggregate
    (while the row-by-row tests of test_statistics check that what it reads is right)."""
    officer = world.users["officer"]
    counted = queries.statistics(officer, None, D(2026, 6, 30)).headcount
    db.session.execute(
        HeadcountCount.__table__.update()  # type: ignore[attr-defined]
        .where(
            HeadcountCount.unit_id == world.department.id,
            HeadcountCount.dimension == "kind",
        )
        .values(count=HeadcountCount.count + 100)
    )
    assert queries.statistics(officer, None, D(2026, 6, 30)).headcount == counted + 100
