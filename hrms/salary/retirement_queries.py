"""Reads of the retirement schedule, always scoped: the people of a scope retiring in a window
(with their notice and early-raise entitlement), one person's retirement, and the counts of the
statistics dashboard.

The query count is fixed whatever the number of people: the rule data (``RuleBook.load``) and
one query for the people whose retirement date falls in the window, with whether a retirement
decision is recorded. The people are selected by the retirement date and the next raise kept on
each dossier (``hrms.salary.schedule``: exact in the transaction of every change they derive
from), one index range; each line's explanation (age, roadmap year, notice) is computed in
Python by ``hrms.salary.retirement``, the early raise on notice from the next raise kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from hrms.core.security import Actor, Permission, Scope, authorize, subtree_upper_bound
from hrms.employees.models import Decision, DecisionKind, Employee, EmployeeStatus
from hrms.extensions import db
from hrms.org.models import Unit
from hrms.salary.queries import RowsPage
from hrms.salary.queries import unit_path_beside_a_date_range as unit_path
from hrms.salary.raises import DueKind, RaiseDue, load_ledgers, raises_due
from hrms.salary.retirement import (
    EarlyRaise,
    Pay,
    Retirement,
    add_months,
    early_raise_at,
    early_raise_on_notice,
    notice_of,
    overdue,
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


def in_subtree(path: str, column: Any = None) -> ColumnElement[bool]:
    column = Unit.path if column is None else column
    return and_(column >= path, column < subtree_upper_bound(path))


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


def kept_pay(
    rank_code: str | None, step: int | None, next_raise_on: dt.date | None, kind: str | None
) -> Pay:
    """``pay_of`` from the columns of the dossier: the rank and step the ledger caches there
    (the same the raise schedule reads) and the next raise kept by hrms.salary.schedule."""
    return Pay(rank_code, step, next_raise_on if kind == DueKind.STEP.value else None)


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
    #: every line of the window, or the lines of one page (``page``)
    lines: list[RetirementLine]
    #: the page shown, when ``lines`` is one page (the list's page): its count is the window's
    page: Pagination | None = None
    #: overdue notices in the whole window (when ``lines`` is one page)
    overdue_in_window: int | None = None

    @property
    def count(self) -> int:
        return int(self.page.total or 0) if self.page is not None else len(self.lines)

    @property
    def first_number(self) -> int:
        """The number of the first line shown (1 unless a later page)."""
        return (self.page.page - 1) * self.page.per_page + 1 if self.page is not None else 1

    @property
    def overdue(self) -> int:
        if self.overdue_in_window is not None:
            return self.overdue_in_window
        return sum(1 for line in self.lines if line.notice_overdue)

    @property
    def entitled(self) -> int:
        return sum(1 for line in self.lines if line.early_raise is not None)


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


def _retiring(units: Sequence[ColumnElement[bool]], as_of: dt.date, until: dt.date) -> Any:
    """The people in service in the units matched by ``units`` (conditions on ``Unit``, best
    on ``unit_path()``) whose retirement date (kept on the dossier) falls in the window."""
    return (
        select(
            Employee.id,
            Employee.full_name,
            Employee.sex,
            Employee.date_of_birth,
            Employee.birth_year_only,
            Employee.rank_code,
            Employee.salary_step,
            Employee.next_raise_on,
            Employee.next_raise_kind,
            Unit.id.label("unit_id"),
            Unit.name.label("unit_name"),
            _retirement_decided().label("decided"),
        )
        .join(Unit, Unit.id == Employee.unit_id)
        .where(
            Employee.retires_on >= as_of,
            Employee.retires_on <= until,
            *units,
            Employee.status.in_(IN_SERVICE),
        )
    )


#: the list's order: soonest first, then by name
_ORDER = (Employee.retires_on, Employee.full_name, Employee.id)


def _lines(
    book: RuleBook, rows: Sequence[Any], as_of: dt.date, until: dt.date
) -> list[RetirementLine]:
    """Each row's retirement explained (age, roadmap year, notice) and its early raise on
    notice, from the next raise kept on the dossier."""
    lines = []
    for row in rows:
        retirement = retirement_of(
            book, row.sex, row.date_of_birth, birth_year_only=row.birth_year_only
        )
        if retirement is None or not as_of <= retirement.retires_on <= until:
            continue
        early = early_raise_on_notice(
            book,
            retirement,
            kept_pay(row.rank_code, row.salary_step, row.next_raise_on, row.next_raise_kind),
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
    return lines


def retiring_between(
    book: RuleBook,
    units: Sequence[ColumnElement[bool]],
    as_of: dt.date,
    until: dt.date,
) -> list[RetirementLine]:
    """The people in service in the units matched by ``units`` (conditions on ``Unit``, best
    on ``unit_path()``) whose retirement date falls from ``as_of`` to ``until`` inclusive,
    soonest first."""
    rows = db.session.execute(_retiring(units, as_of, until)).all()
    lines = _lines(book, rows, as_of, until)
    lines.sort(key=lambda line: (line.retires_on, line.full_name, line.employee_id))
    return lines


def _overdue_in_window(
    book: RuleBook, units: Sequence[ColumnElement[bool]], as_of: dt.date, until: dt.date
) -> int:
    """Notices past without a retirement decision in the whole window: one query of two
    columns, the notice date computed once per retirement date."""
    notices: dict[dt.date, dt.date | None] = {}
    found = 0
    for retires_on, decided in db.session.execute(
        _retiring(units, as_of, until).with_only_columns(Employee.retires_on, _retirement_decided())
    ):
        if decided or retires_on is None:
            continue
        if retires_on not in notices:
            notices[retires_on] = notice_of(book, retires_on)
        found += overdue(notices[retires_on], retires_on, as_of)
    return found


def retirement_list(
    actor: Actor,
    months: int,
    unit_id: int | None,
    as_of: dt.date,
    page: int | None = None,
    per_page: int = 50,
) -> RetirementList:
    """The people of the actor's salary scope (or of a unit's subtree within it: 404 outside)
    retiring in the ``months`` from ``as_of``: every line, or one ``page`` of them (paged in
    SQL, the window's count and overdue notices counted whole)."""
    focus = get_unit_for(actor, unit_id) if unit_id is not None else None
    units = [scope_of(actor).filter(unit_path())]
    if focus is not None:
        units.append(in_subtree(focus.path, unit_path()))
    until = add_months(as_of, months)
    book = RuleBook.load(session())
    if page is None:
        return RetirementList(
            as_of=as_of,
            months=months,
            until=until,
            focus=focus,
            lines=retiring_between(book, units, as_of, until),
        )
    query = _retiring(units, as_of, until)
    shown = RowsPage.of(query, _ORDER, page, per_page)
    return RetirementList(
        as_of=as_of,
        months=months,
        until=until,
        focus=focus,
        lines=_lines(book, shown.items, as_of, until),
        page=shown,
        overdue_in_window=_overdue_in_window(book, units, as_of, until),
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
    service in the units matched by ``units`` (best on ``unit_path()``): the rule data, one
    count of the next raises kept on the dossiers (a date range), one query for the people
    retiring, whatever the headcount."""
    book = RuleBook.load(session())
    raises_until = add_months(as_of, DASHBOARD_RAISE_MONTHS)
    seniority = case((Employee.next_raise_kind == DueKind.SENIORITY.value, 1), else_=0)
    raises, raises_seniority = db.session.execute(
        select(func.count(), func.coalesce(func.sum(seniority), 0))
        .select_from(Employee)
        .join(Unit, Unit.id == Employee.unit_id)
        .where(
            Employee.next_raise_on >= as_of,
            Employee.next_raise_on <= raises_until,
            *units,
            Employee.status.in_(IN_SERVICE),
            Employee.rank_code.is_not(None),
        )
    ).one()
    until = add_months(as_of, DASHBOARD_RETIREMENT_MONTHS)
    # the list's counts from the dates kept (the notice computed once per retirement date),
    # without explaining each line
    notices: dict[dt.date, dt.date | None] = {}
    retirements = women = notices_overdue = early_raises = 0
    for row in db.session.execute(
        _retiring(units, as_of, until).with_only_columns(
            Employee.retires_on,
            Employee.sex,
            Employee.rank_code,
            Employee.salary_step,
            Employee.next_raise_on,
            Employee.next_raise_kind,
            _retirement_decided().label("decided"),
        )
    ):
        if row.retires_on not in notices:
            notices[row.retires_on] = notice_of(book, row.retires_on)
        notice_on = notices[row.retires_on]
        retirements += 1
        women += row.sex == "female"
        notices_overdue += not row.decided and overdue(notice_on, row.retires_on, as_of)
        pay = kept_pay(row.rank_code, row.salary_step, row.next_raise_on, row.next_raise_kind)
        early_raises += early_raise_at(book, notice_on, pay) is not None
    return Due(
        as_of=as_of,
        raises_until=raises_until,
        raises=int(raises),
        raises_seniority=int(raises_seniority),
        retirements_until=until,
        retirements=retirements,
        retirements_women=women,
        notices_overdue=notices_overdue,
        early_raises=early_raises,
    )


def dashboard_due(actor: Actor, focus: Unit | None, as_of: dt.date) -> Due:
    """The counts for the statistics dashboard: its scope (the statistics permission) and its
    unit filter, already checked by the dashboard."""
    units = [Scope.for_actor(actor, Permission.REPORTS_VIEW).filter(unit_path())]
    if focus is not None:
        units.append(in_subtree(focus.path, unit_path()))
    return due_counts(units, as_of)
