"""Reads of the retirement schedule, always scoped: the people of a scope retiring in a window
(with their notice and early-raise entitlement), one person's retirement, and the counts of the
statistics dashboard.

The query count is fixed whatever the number of people: the rule data (``RuleBook.load``), one
query for the people whose birth date can put their retirement in the window, one for the
retirement decisions already recorded among them, and the raise schedule's batch for their next
raises. Dates are computed in Python by ``hrms.salary.retirement``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session, aliased

from hrms.core.security import Actor, Permission, Scope, authorize, subtree_upper_bound
from hrms.employees.models import Decision, DecisionKind, Employee, EmployeeStatus
from hrms.extensions import db
from hrms.org.models import Unit
from hrms.salary.raises import DueKind, RaiseDue, load_ledgers, raises_due
from hrms.salary.retirement import (
    EarlyRaise,
    Pay,
    Retirement,
    add_months,
    early_raise_on_notice,
    retirement_of,
)
from hrms.salary.rules import RuleBook

#: the windows offered on the list (months ahead)
WINDOWS = (6, 12, 24)
DEFAULT_WINDOW = 12
#: the people still to retire: in service, working or on leave
IN_SERVICE = (EmployeeStatus.WORKING.value, EmployeeStatus.ON_LEAVE.value)


def session() -> Session:
    """The request's session (the scoped session's current one), for the typed helpers."""
    return db.session()


def scope_of(actor: Actor) -> Scope:
    return Scope.for_actor(actor, Permission.SALARY_VIEW)


def get_unit_for(actor: Actor, unit_id: int) -> Unit:
    """The unit chosen as filter: 404 when absent or outside the actor's salary scope."""
    unit = db.session.get(Unit, unit_id)
    return authorize(unit, visible=unit is not None and scope_of(actor).covers(unit.path))


def unit_choices(actor: Actor) -> list[tuple[str, str]]:
    """The open units in scope for the filter, parents before children."""
    units = db.session.execute(
        select(Unit.id, Unit.name, Unit.depth)
        .where(scope_of(actor).filter(Unit.path), Unit.effective_to.is_(None))
        .order_by(Unit.path)
    )
    return [(str(unit_id), f"{'· ' * depth}{name}") for unit_id, name, depth in units]


def in_subtree(path: str) -> ColumnElement[bool]:
    return and_(Unit.path >= path, Unit.path < subtree_upper_bound(path))


# The next regular raise -------------------------------------------------------------------------


def next_raises(book: RuleBook, employee_ids: Sequence[int]) -> dict[int, RaiseDue]:
    """The next raise of each of these people (by id), from the raise schedule
    (hrms/salary/raises.py: their decisions and final ratings, two queries in all)."""
    if not employee_ids:
        return {}
    ledgers = load_ledgers(
        session(), select(Employee.id).where(Employee.id.in_(list(employee_ids)))
    )
    return raises_due(ledgers.values(), book)


def pay_of(due: RaiseDue | None, rank_code: str | None, step: int | None) -> Pay:
    """What the early raise on notice reads: the rank and step of the raise schedule (from the
    ledger) and its date when the next raise is a step (not a seniority percentage)."""
    if due is None:
        return Pay(rank_code, step, None)
    return Pay(due.rank_code, due.step, due.due if due.kind is DueKind.STEP else None)


# The list ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetirementLine:
    """One person of the list."""

    employee_id: int
    full_name: str
    unit_id: int
    unit_name: str
    sex: str
    date_of_birth: dt.date
    birth_year_only: bool
    rank_code: str | None
    salary_step: int | None
    retirement: Retirement
    #: the step raise the person is entitled to at the notice
    early_raise: EarlyRaise | None
    #: a retirement decision is already recorded in the ledger
    decided: bool
    #: the notice date is past and no retirement decision is recorded
    notice_overdue: bool

    @property
    def retires_on(self) -> dt.date:
        return self.retirement.retires_on

    @property
    def notice_on(self) -> dt.date | None:
        return self.retirement.notice_on


@dataclass(frozen=True)
class RetirementList:
    as_of: dt.date
    months: int
    #: the last day of the window
    until: dt.date
    #: the unit whose subtree is listed; None for the whole scope
    focus: Unit | None
    lines: list[RetirementLine]

    @property
    def overdue(self) -> int:
        return sum(1 for line in self.lines if line.notice_overdue)

    @property
    def entitled(self) -> int:
        return sum(1 for line in self.lines if line.early_raise is not None)


def _birth_window(book: RuleBook, as_of: dt.date, until: dt.date) -> ColumnElement[bool]:
    """People whose birth date can put their retirement between the two dates (a month's margin
    each side; the exact dates are computed in Python)."""
    conditions = []
    for sex, roadmap in book.retirement_ages.items():
        if not roadmap:
            continue
        shortest = min(age.total_months for age in roadmap)
        longest = max(age.total_months for age in roadmap)
        conditions.append(
            and_(
                Employee.sex == sex,
                Employee.date_of_birth >= add_months(as_of, -longest - 1),
                Employee.date_of_birth <= add_months(until, -shortest + 1),
            )
        )
    return or_(*conditions) if conditions else false()


def retirement_date_of(employee: Employee) -> Retirement | None:
    """One person's retirement date (the dossier's header): the rule data only."""
    return retirement_of(
        RuleBook.load(session()),
        employee.sex,
        employee.date_of_birth,
        birth_year_only=employee.birth_year_only,
    )


def _retirement_decided() -> ColumnElement[bool]:
    """Whether the person (the ``Employee`` row of the query) has a retirement decision in
    force (not corrected by a later one)."""
    later = aliased(Decision)
    return (
        select(Decision.id)
        .where(
            Decision.employee_id == Employee.id,
            Decision.kind == DecisionKind.RETIREMENT.value,
            ~select(later.id).where(later.supersedes_id == Decision.id).exists(),
        )
        .exists()
    )


def retiring_between(
    book: RuleBook,
    units: Sequence[ColumnElement[bool]],
    as_of: dt.date,
    until: dt.date,
    *,
    with_raises: bool = True,
) -> list[RetirementLine]:
    """The people in service in the units matched by ``units`` (conditions on ``Unit``) whose
    retirement date falls from ``as_of`` to ``until`` inclusive, soonest first."""
    rows = db.session.execute(
        select(
            Employee.id,
            Employee.full_name,
            Employee.sex,
            Employee.date_of_birth,
            Employee.birth_year_only,
            Employee.rank_code,
            Employee.salary_step,
            Employee.salary_since,
            Unit.id.label("unit_id"),
            Unit.name.label("unit_name"),
            _retirement_decided().label("decided"),
        )
        .join(Unit, Unit.id == Employee.unit_id)
        .where(
            *units,
            Employee.status.in_(IN_SERVICE),
            _birth_window(book, as_of, until),
        )
    ).all()
    found: list[tuple[Any, Retirement]] = []
    for row in rows:
        retirement = retirement_of(
            book, row.sex, row.date_of_birth, birth_year_only=row.birth_year_only
        )
        if retirement is not None and as_of <= retirement.retires_on <= until:
            found.append((row, retirement))
    if not found:
        return []
    raises = next_raises(book, [row.id for row, _ in found]) if with_raises else {}
    lines = []
    for row, retirement in found:
        early = early_raise_on_notice(
            book, retirement, pay_of(raises.get(row.id), row.rank_code, row.salary_step)
        )
        lines.append(
            RetirementLine(
                employee_id=row.id,
                full_name=row.full_name,
                unit_id=row.unit_id,
                unit_name=row.unit_name,
                sex=row.sex,
                date_of_birth=row.date_of_birth,
                birth_year_only=row.birth_year_only,
                rank_code=row.rank_code,
                salary_step=row.salary_step,
                retirement=retirement,
                early_raise=early,
                decided=bool(row.decided),
                notice_overdue=not row.decided and retirement.notice_overdue(as_of),
            )
        )
    lines.sort(key=lambda line: (line.retires_on, line.full_name, line.employee_id))
    return lines


def retirement_list(
    actor: Actor, months: int, unit_id: int | None, as_of: dt.date
) -> RetirementList:
    """The people of the actor's salary scope (or of a unit's subtree within it: 404 outside)
    retiring in the ``months`` from ``as_of``."""
    focus = get_unit_for(actor, unit_id) if unit_id is not None else None
    units = [scope_of(actor).filter(Unit.path)]
    if focus is not None:
        units.append(in_subtree(focus.path))
    until = add_months(as_of, months)
    book = RuleBook.load(session())
    return RetirementList(
        as_of=as_of,
        months=months,
        until=until,
        focus=focus,
        lines=retiring_between(book, units, as_of, until),
    )


# One person --------------------------------------------------------------------------------


def own_employee(actor: Actor) -> Employee:
    """The actor's own dossier: 404 for an account without one."""
    employee_id = actor.employee_id
    employee = db.session.get(Employee, employee_id) if employee_id is not None else None
    return authorize(employee, visible=employee is not None)


@dataclass(frozen=True)
class PersonRetirement:
    employee: Employee
    retirement: Retirement | None
    early_raise: EarlyRaise | None


def person_retirement(employee: Employee, book: RuleBook | None = None) -> PersonRetirement:
    """The retirement of one person already loaded through a loader (own record or dossier)."""
    book = book or RuleBook.load(session())
    retirement = retirement_of(
        book, employee.sex, employee.date_of_birth, birth_year_only=employee.birth_year_only
    )
    early = None
    if retirement is not None:
        due = next_raises(book, [employee.id]).get(employee.id)
        early = early_raise_on_notice(
            book, retirement, pay_of(due, employee.rank_code, employee.salary_step)
        )
    return PersonRetirement(employee, retirement, early)


def line_of(person: PersonRetirement, as_of: dt.date) -> RetirementLine:
    """One person's retirement as a line of the list (404 without a retirement age)."""
    retirement = authorize(person.retirement, visible=person.retirement is not None)
    employee = person.employee
    unit = db.session.get(Unit, employee.unit_id)
    decided = bool(
        db.session.scalar(select(_retirement_decided()).where(Employee.id == employee.id))
    )
    return RetirementLine(
        employee_id=employee.id,
        full_name=employee.full_name,
        unit_id=employee.unit_id,
        unit_name=unit.name if unit is not None else "",
        sex=employee.sex,
        date_of_birth=employee.date_of_birth,
        birth_year_only=employee.birth_year_only,
        rank_code=employee.rank_code,
        salary_step=employee.salary_step,
        retirement=retirement,
        early_raise=person.early_raise,
        decided=decided,
        notice_overdue=not decided and retirement.notice_overdue(as_of),
    )


# The dashboard ----------------------------------------------------------------------------

#: the dashboard's windows: raises due in the next 3 months, retirements in the next 12
DASHBOARD_RAISE_MONTHS = 3
DASHBOARD_RETIREMENT_MONTHS = 12


@dataclass(frozen=True)
class Due:
    """The dashboard's "raises and retirements due" counts."""

    as_of: dt.date
    raises_until: dt.date
    #: next step raises or seniority percentages due from ``as_of`` to ``raises_until``
    raises: int
    #: of which seniority allowances beyond the frame
    raises_seniority: int
    retirements_until: dt.date
    retirements: int
    #: of which women
    retirements_women: int
    #: notices whose date has passed without a retirement decision
    notices_overdue: int
    #: early raises on retirement notice among them
    early_raises: int

    @property
    def raise_months(self) -> int:
        return DASHBOARD_RAISE_MONTHS

    @property
    def retirement_months(self) -> int:
        return DASHBOARD_RETIREMENT_MONTHS


def due_counts(units: Sequence[ColumnElement[bool]], as_of: dt.date) -> Due:
    """Raises due in the next three months and retirements in the next twelve for the people in
    service in the units matched by ``units``: the rule data, one query for the people near
    retirement, two for the ledgers of everyone on a scale (the raise schedule), whatever the
    headcount."""
    book = RuleBook.load(session())
    raises_until = add_months(as_of, DASHBOARD_RAISE_MONTHS)
    on_scale = (
        select(Employee.id)
        .join(Unit, Unit.id == Employee.unit_id)
        .where(*units, Employee.status.in_(IN_SERVICE), Employee.rank_code.is_not(None))
    )
    dues = raises_due(load_ledgers(session(), on_scale).values(), book)
    raising = [
        due for due in dues.values() if due.due is not None and as_of <= due.due <= raises_until
    ]
    until = add_months(as_of, DASHBOARD_RETIREMENT_MONTHS)
    lines = retiring_between(book, units, as_of, until, with_raises=False)
    early = sum(
        1
        for line in lines
        if early_raise_on_notice(
            book,
            line.retirement,
            pay_of(dues.get(line.employee_id), line.rank_code, line.salary_step),
        )
        is not None
    )
    return Due(
        as_of=as_of,
        raises_until=raises_until,
        raises=len(raising),
        raises_seniority=sum(1 for due in raising if due.kind is DueKind.SENIORITY),
        retirements_until=until,
        retirements=len(lines),
        retirements_women=sum(1 for line in lines if line.sex == "female"),
        notices_overdue=sum(1 for line in lines if line.notice_overdue),
        early_raises=early,
    )


def dashboard_due(actor: Actor, focus: Unit | None, as_of: dt.date) -> Due:
    """The counts for the statistics dashboard: its scope (the statistics permission) and its
    unit filter, already checked by the dashboard."""
    units = [Scope.for_actor(actor, Permission.REPORTS_VIEW).filter(Unit.path)]
    if focus is not None:
        units.append(in_subtree(focus.path))
    return due_counts(units, as_of)
