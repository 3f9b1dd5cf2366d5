"""Raise lists (reads, always scoped) and draft raise batches (writes): who is due for a step or
seniority raise in a window, early-raise candidates with the agency quotas, and the bulk
drafts that become ledger entries when confirmed (all or none, through the employees' decision
service so that the ledger's checks and the audit apply)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from hrms.core.dates import format_date
from hrms.core.db import utcnow
from hrms.core.errors import FORM, DomainError, ValidationFailed
from hrms.core.security import Actor, Permission, Scope, authorize, subtree_upper_bound
from hrms.core.text import fold
from hrms.core.transaction import check_version, flush_or_conflict
from hrms.employees import services as employee_services
from hrms.employees.models import Decision, DecisionKind, Employee, EmployeeKind, EmployeeStatus
from hrms.extensions import db
from hrms.org.models import Unit
from hrms.reviews.queries import AGENCY_KINDS
from hrms.reviews.scheme import Rating
from hrms.salary.queries import RowsPage, unit_path_beside_a_date_range
from hrms.salary.raise_models import BatchState, RaiseBatch, RaiseBatchItem
from hrms.salary.raises import (
    DueKind,
    Ledger,
    RaiseDue,
    add_months,
    load_ledgers,
    next_raise,
    ratings_of,
)
from hrms.salary.rules import RuleBook

#: people whose raises are computed: in service (on leave too: their date waits for the return)
IN_SERVICE = (EmployeeStatus.WORKING.value, EmployeeStatus.ON_LEAVE.value)
#: on an agency's payroll for the early-raise quota: everyone in service but contract workers
PAYROLL_KINDS = tuple(kind.value for kind in EmployeeKind if kind is not EmployeeKind.CONTRACT)
STALE = _l("Someone else changed this draft after you opened it; nothing was saved.")


def _session() -> Session:
    """The request's session (the scoped session's current one), for the typed helpers."""
    return db.session()


def _in_subtree(path_column: Any, path: str) -> Any:
    return and_(path_column >= path, path_column < subtree_upper_bound(path))


# Loaders -----------------------------------------------------------------------------------


def get_unit_for(actor: Actor, unit_id: int, permission: Permission) -> Unit:
    """A unit in the actor's scope for ``permission`` (404 otherwise)."""
    unit = db.session.get(Unit, unit_id)
    scope = Scope.for_actor(actor, permission)
    return authorize(unit, visible=unit is not None and scope.covers(unit.path))


def get_person_for(actor: Actor, employee_id: int) -> tuple[Employee, Unit]:
    """A person whose raise the actor may read: the person themself, or an officer whose
    SALARY_VIEW scope holds the person's unit (404 otherwise)."""
    found = db.session.execute(
        select(Employee, Unit)
        .join(Unit, Employee.unit_id == Unit.id)
        .where(Employee.id == employee_id)
    ).first()
    if found is None:
        authorize(None, visible=False)
        raise AssertionError  # pragma: no cover (authorize aborted)
    employee, unit = found
    own = actor.employee_id is not None and actor.employee_id == employee.id
    visible = own or Scope.for_actor(actor, Permission.SALARY_VIEW).covers(unit.path)
    authorize(employee, visible=visible)
    return employee, unit


def get_batch_for(actor: Actor, batch_id: int, *, manage: bool = False) -> tuple[RaiseBatch, Unit]:
    """A draft batch of a unit in the actor's SALARY_VIEW scope (404 otherwise); ``manage``:
    confirming or discarding it needs SALARY_RAISE over that unit (403 otherwise)."""
    found = db.session.execute(
        select(RaiseBatch, Unit)
        .join(Unit, RaiseBatch.unit_id == Unit.id)
        .where(RaiseBatch.id == batch_id)
    ).first()
    if found is None:
        authorize(None, visible=False)
        raise AssertionError  # pragma: no cover
    batch, unit = found
    visible = Scope.for_actor(actor, Permission.SALARY_VIEW).covers(unit.path)
    allowed = not manage or Scope.for_actor(actor, Permission.SALARY_RAISE).covers(unit.path)
    authorize(batch, visible=visible, allowed=allowed)
    return batch, unit


# Raise list --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RaiseRow:
    employee: Employee
    unit: Unit
    due: RaiseDue


def _people(actor: Actor, unit: Unit | None, permission: Permission) -> Select[Employee, Unit]:
    scope = Scope.for_actor(actor, permission)
    query = (
        select(Employee, Unit)
        .join(Unit, Employee.unit_id == Unit.id)
        .where(
            scope.filter(Unit.path),
            Employee.status.in_(IN_SERVICE),
            Employee.rank_code.is_not(None),
        )
    )
    if unit is not None:
        query = query.where(_in_subtree(Unit.path, unit.path))
    return query


def _rows(
    actor: Actor,
    unit: Unit | None,
    permission: Permission,
    employee_ids: Iterable[int] | None = None,
) -> tuple[list[RaiseRow], dict[int, Ledger], RuleBook]:
    """Everyone in scope (or the given people) with their next raise: one query for the
    people, two for their ledgers, a few for the rules, whatever the number of people."""
    people = _people(actor, unit, permission)
    if employee_ids is not None:
        people = people.where(Employee.id.in_(list(employee_ids)))
    found = db.session.execute(people.order_by(Unit.path, Employee.search_name)).all()
    ids = people.with_only_columns(Employee.id)
    ledgers = load_ledgers(_session(), ids) if found else {}
    book = RuleBook.load(_session())
    rows: list[RaiseRow] = []
    for employee, person_unit in found:
        due = next_raise(ledgers.get(employee.id, Ledger(employee.id)), book)
        if due is not None:
            rows.append(RaiseRow(employee, person_unit, due))
    return rows, ledgers, book


def default_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """From today to three months on."""
    return today, add_months(today, 3)


#: the raise list's order: the date due, then the unit's place in the tree, then the name
_ORDER = (Employee.next_raise_on, Unit.path, Employee.search_name, Employee.id)


def _due_between(
    actor: Actor, unit: Unit | None, start: dt.date, end: dt.date
) -> Select[Employee, Unit]:
    """The people of the list, selected by the next raise date kept on each dossier
    (hrms.salary.schedule: exact in the transaction of every change it derives from), one
    index range, instead of replaying every ledger of the scope.

    The date range is the selective condition; the unit path is written so that each
    database's planner starts from the date index (see ``unit_path_beside_a_date_range``)."""
    path = unit_path_beside_a_date_range()
    query = (
        select(Employee, Unit)
        .join(Unit, Employee.unit_id == Unit.id)
        .where(
            Employee.next_raise_on >= start,
            Employee.next_raise_on <= end,
            Scope.for_actor(actor, Permission.SALARY_VIEW).filter(path),
            Employee.status.in_(IN_SERVICE),
            Employee.rank_code.is_not(None),
        )
    )
    if unit is not None:
        query = query.where(_in_subtree(path, unit.path))
    return query


def _explained(found: Sequence[Any]) -> list[RaiseRow]:
    """The rows with their next raise computed from the ledger, explanation and all: two
    queries for the ledgers of just these people and a few for the rules (also for no people:
    the same statements whatever the number of rows)."""
    ids = [employee.id for employee, _unit in found]
    ledgers = load_ledgers(_session(), select(Employee.id).where(Employee.id.in_(ids)))
    book = RuleBook.load(_session())
    rows: list[RaiseRow] = []
    for employee, person_unit in found:
        due = next_raise(ledgers.get(employee.id, Ledger(employee.id)), book)
        if due is not None and due.due is not None:
            rows.append(RaiseRow(employee, person_unit, due))
    return rows


def raise_list(actor: Actor, unit: Unit | None, start: dt.date, end: dt.date) -> list[RaiseRow]:
    """People in the actor's scope (within ``unit``'s subtree when given) whose next raise
    falls from ``start`` to ``end`` inclusive, earliest first (every row: the export)."""
    found = db.session.execute(_due_between(actor, unit, start, end).order_by(*_ORDER)).all()
    return _explained(found)


def raise_page(
    actor: Actor, unit: Unit | None, start: dt.date, end: dt.date, page: int, per_page: int
) -> Pagination:
    """One page of ``raise_list`` (same rows, same order), paged in SQL; the explanation is
    computed for the rows of the page only. ``items`` are ``RaiseRow``."""
    people = _due_between(actor, unit, start, end)
    result = RowsPage.of(people, _ORDER, page, per_page)
    result.items = _explained(result.items)
    return result


def own_raise(employee: Employee) -> RaiseDue | None:
    """A person's own next raise (their own page)."""
    from hrms.employees.queries import decisions_of

    ledger = Ledger(employee.id, decisions_of(employee.id), ratings_of(_session(), employee.id))
    return next_raise(ledger, RuleBook.load(_session()))


# Early raises ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EarlyCandidate:
    employee: Employee
    unit: Unit
    due: RaiseDue
    agency: Unit
    #: the year whose rating made them a candidate
    rated_year: int
    #: months between the regular date and the end of the year considered
    months_short: int


@dataclass(frozen=True)
class AgencyQuota:
    agency: Unit
    staff: int
    percent: int
    quota: int
    used: int

    @property
    def left(self) -> int:
        return max(self.quota - self.used, 0)


@dataclass(frozen=True)
class EarlyRaises:
    year: int
    max_months: int
    candidates: list[EarlyCandidate]
    quotas: list[AgencyQuota]


def _agency_map(units: Iterable[Unit]) -> dict[int, Unit]:
    """unit id -> its agency: the nearest unit at or above that is not a division (as the
    annual ratings' cap counts them, hrms.reviews.queries.agency_of)."""
    by_id = {unit.id: unit for unit in units}
    agencies: dict[int, Unit] = {}
    for unit in by_id.values():
        chain = [*unit.ancestor_ids, unit.id]
        found = by_id.get(chain[0], unit)
        for unit_id in reversed(chain):
            candidate = by_id.get(unit_id)
            if candidate is not None and candidate.kind in AGENCY_KINDS:
                found = candidate
                break
        agencies[unit.id] = found
    return agencies


def _months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (rounded up: a part month counts)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) < end:
        months += 1
    return months


def early_raises(actor: Actor, unit: Unit | None, year: int) -> EarlyRaises:
    """Candidates for an early raise for outstanding achievement in ``year`` and the quota
    of each of their agencies (Thông tư 08/2013/TT-BNV, Điều 3, numbers from the pay rules):

    * not yet on the last step, and the current step was not itself an early raise (never
      twice in a row in the same rank);
    * the regular raise falls after 31 December of the year and at most ``early_raise_max_
      months`` later (still short of it by that many months or fewer at the end of the year);
    * rated hoàn thành xuất sắc nhiệm vụ in the year, or in the year before while the year's
      ratings are not final yet.

    The quota of an agency is ``early_raise_quota_percent`` of the people on its payroll (in
    service, contract workers excepted, whose own agency it is), rounded half up; the number
    used counts the early-raise decisions in force that took effect in the year (those given on
    retirement notice, named so in their title or note, are outside the quota).
    """
    year_end = dt.date(year, 12, 31)
    rows, ledgers, book = _rows(actor, unit, Permission.SALARY_VIEW)
    rules = book.rules(year_end)
    max_months = rules.early_raise_max_months if rules else 0
    percent = rules.early_raise_quota_percent if rules else 0
    units = list(db.session.scalars(select(Unit)))
    agency_of = _agency_map(units)
    candidates: list[EarlyCandidate] = []
    limit = add_months(year_end, max_months)
    for row in rows:
        due = row.due
        if due.kind is not DueKind.STEP or due.early_raised or due.due is None:
            continue
        if not year_end < due.due <= limit:
            continue
        ratings = ledgers.get(row.employee.id, Ledger(row.employee.id)).ratings
        rated = year if year in ratings else year - 1
        if ratings.get(rated) is not Rating.EXCELLENT:
            continue
        candidates.append(
            EarlyCandidate(
                row.employee,
                row.unit,
                due,
                agency_of[row.unit.id],
                rated,
                _months_between(year_end, due.due),
            )
        )
    candidates.sort(key=lambda c: (c.agency.path, c.due.due or year_end, c.employee.search_name))
    wanted = {c.agency.id for c in candidates} | {
        agency_of[row.unit.id].id for row in rows if row.unit.id in agency_of
    }
    staff: Counter[int] = Counter()
    for unit_id, count in db.session.execute(
        select(Employee.unit_id, func.count())
        .where(Employee.status.in_(IN_SERVICE), Employee.kind.in_(PAYROLL_KINDS))
        .group_by(Employee.unit_id)
    ):
        staff[agency_of[unit_id].id] += count
    superseded = select(Decision.supersedes_id).where(Decision.supersedes_id.is_not(None))
    used: Counter[int] = Counter()
    for unit_id, title, note in db.session.execute(
        select(Employee.unit_id, Decision.title, Decision.note)
        .join(Employee, Decision.employee_id == Employee.id)
        .where(
            Decision.kind == DecisionKind.SALARY_STEP.value,
            Decision.early_raise_months.is_not(None),
            Decision.effective_on >= dt.date(year, 1, 1),
            Decision.effective_on <= year_end,
            Decision.id.not_in(superseded),
        )
    ):
        if "nghi huu" in fold(f"{title or ''} {note or ''}"):
            continue
        used[agency_of[unit_id].id] += 1
    by_id = {u.id: u for u in units}
    quotas = [
        AgencyQuota(
            by_id[agency_id],
            staff[agency_id],
            percent,
            (staff[agency_id] * percent + 50) // 100,
            used[agency_id],
        )
        for agency_id in sorted(wanted, key=lambda i: by_id[i].path)
    ]
    return EarlyRaises(year, max_months, candidates, quotas)


# Draft batches -----------------------------------------------------------------------------


def batches_for(
    actor: Actor, states: tuple[str, ...] = (BatchState.DRAFT.value,)
) -> list[tuple[RaiseBatch, Unit, int]]:
    """Batches of units in the actor's scope, newest first, with their number of rows."""
    scope = Scope.for_actor(actor, Permission.SALARY_VIEW)
    counts = (
        select(RaiseBatchItem.batch_id, func.count().label("n"))
        .group_by(RaiseBatchItem.batch_id)
        .subquery()
    )
    query = (
        select(RaiseBatch, Unit, func.coalesce(counts.c.n, 0))
        .join(Unit, RaiseBatch.unit_id == Unit.id)
        .outerjoin(counts, counts.c.batch_id == RaiseBatch.id)
        .where(scope.filter(Unit.path), RaiseBatch.state.in_(states))
        .order_by(RaiseBatch.id.desc())
    )
    return [(batch, unit, int(count)) for batch, unit, count in db.session.execute(query)]


@dataclass(frozen=True)
class BatchLine:
    item: RaiseBatchItem
    employee: Employee
    unit: Unit
    number: str


def batch_lines(batch: RaiseBatch) -> list[BatchLine]:
    """The rows of a batch with their people and decision numbers (one query)."""
    found = db.session.execute(
        select(RaiseBatchItem, Employee, Unit)
        .join(Employee, RaiseBatchItem.employee_id == Employee.id)
        .join(Unit, Employee.unit_id == Unit.id)
        .where(RaiseBatchItem.batch_id == batch.id)
        .order_by(RaiseBatchItem.position)
    ).all()
    return [
        BatchLine(item, employee, unit, decision_number(batch, item.position))
        for item, employee, unit in found
    ]


def decision_number(batch: RaiseBatch, position: int) -> str:
    return f"{batch.first_number + position}{batch.number_suffix}"


def create_batch(actor: Actor, data: dict[str, Any]) -> RaiseBatch:
    """A draft of one raise decision per chosen person, effective on the date their raise is
    due as the raise list computes it now. Every chosen person must be in the actor's
    SALARY_RAISE scope within the unit, due for a raise, and in no other open draft."""
    unit = get_unit_for(actor, data["unit_id"], Permission.SALARY_RAISE)
    wanted = list(dict.fromkeys(data["employee_ids"]))
    rows, _ledgers, _book = _rows(actor, unit, Permission.SALARY_RAISE, wanted)
    by_id = {row.employee.id: row for row in rows}
    drafted = dict(
        db.session.execute(
            select(RaiseBatchItem.employee_id, RaiseBatchItem.batch_id)
            .join(RaiseBatch, RaiseBatchItem.batch_id == RaiseBatch.id)
            .where(
                RaiseBatch.state == BatchState.DRAFT.value,
                RaiseBatchItem.employee_id.in_(wanted),
            )
        ).all()
    )
    errors: dict[str, list[str]] = {}
    for index, employee_id in enumerate(wanted):
        row = by_id.get(employee_id)
        key = f"employee_ids.{index}"
        if row is None:
            errors[key] = [str(_l("This person is not in your scope or has no salary step."))]
        elif row.due.due is None:
            errors[key] = [row.due.pending or ""]
        elif row.due.next_coefficient is None:
            errors[key] = [str(_l("The scale has no coefficient for the next step."))]
        elif employee_id in drafted:
            errors[key] = [
                str(
                    _l(
                        "%(name)s is already in draft batch %(batch)s.",
                        name=row.employee.full_name,
                        batch=drafted[employee_id],
                    )
                )
            ]
    if errors:
        raise ValidationFailed(errors)
    batch = RaiseBatch(
        unit_id=unit.id,
        number_suffix=data["number_suffix"],
        first_number=data.get("first_number") or 1,
        signed_on=data["signed_on"],
        issuer=data["issuer"],
        state=BatchState.DRAFT.value,
        created_by=actor.id,
    )
    for position, employee_id in enumerate(wanted):
        row = by_id[employee_id]
        due = row.due
        assert due.due is not None and due.next_coefficient is not None
        batch.items.append(
            RaiseBatchItem(
                position=position,
                employee_id=employee_id,
                kind=due.kind.value,
                rank_code=due.rank_code,
                from_step=due.step,
                from_since=row.employee.salary_since,
                salary_step=due.next_step,
                salary_coefficient=due.next_coefficient,
                seniority_percent=due.next_seniority_percent,
                effective_on=due.due,
            )
        )
    db.session.add(batch)
    db.session.flush()
    return batch


def _decision_data(batch: RaiseBatch, item: RaiseBatchItem) -> dict[str, Any]:
    note = (
        _l("Seniority allowance beyond the frame %(percent)s%%", percent=item.seniority_percent)
        if item.kind == DueKind.SENIORITY.value
        else _l("Regular step raise to step %(step)s", step=item.salary_step)
    )
    return {
        "kind": DecisionKind.SALARY_STEP.value,
        "number": decision_number(batch, item.position),
        "signed_on": batch.signed_on,
        "issuer": batch.issuer,
        "effective_on": item.effective_on,
        "salary_step": item.salary_step,
        "salary_coefficient": item.salary_coefficient,
        "seniority_percent": item.seniority_percent,
        "note": str(note),
    }


def confirm_batch(actor: Actor, batch: RaiseBatch, version: int) -> list[Decision]:
    """Every row of the draft becomes a salary step decision in its person's ledger, through
    the employees' decision service (its checks, the cached state, the audit), or none does:
    a row whose person's salary changed since the draft, or that the ledger refuses, refuses
    the whole batch with a message per row, and nothing is written."""
    check_version(batch, version, STALE)
    if batch.state != BatchState.DRAFT.value:
        raise DomainError(FORM, _l("This batch is no longer a draft."))
    lines = batch_lines(batch)
    units = {line.unit.id: line.unit for line in lines}
    errors: dict[str, list[str]] = {}
    decisions: list[Decision] = []
    savepoint = db.session.begin_nested()
    for line in lines:
        item, employee = line.item, line.employee
        key = f"items.{item.position}"
        if employee.salary_step != item.from_step or employee.salary_since != item.from_since:
            errors[key] = [
                str(
                    _l(
                        "%(name)s: the salary changed since the draft (now step %(step)s since "
                        "%(date)s); discard this draft and make a new one.",
                        name=employee.full_name,
                        step=employee.salary_step,
                        date=format_date(employee.salary_since),
                    )
                )
            ]
            continue
        try:
            decision = employee_services.add_decision(
                actor, employee, units[line.unit.id], _decision_data(batch, item)
            )
        except ValidationFailed as refused:
            errors[key] = [
                f"{employee.full_name}: {message}"
                for messages in refused.errors.values()
                for message in messages
            ]
            continue
        except DomainError as refused:
            errors[key] = [f"{employee.full_name}: {refused.message}"]
            continue
        item.decision_id = decision.id
        decisions.append(decision)
    if errors:
        savepoint.rollback()
        raise ValidationFailed(errors)
    savepoint.commit()
    batch.state = BatchState.CONFIRMED.value
    batch.closed_by = actor.id
    batch.closed_at = utcnow()
    flush_or_conflict(STALE)
    return decisions


def discard_batch(actor: Actor, batch: RaiseBatch, version: int) -> RaiseBatch:
    check_version(batch, version, STALE)
    if batch.state != BatchState.DRAFT.value:
        raise DomainError(FORM, _l("This batch is no longer a draft."))
    batch.state = BatchState.DISCARDED.value
    batch.closed_by = actor.id
    batch.closed_at = utcnow()
    flush_or_conflict(STALE)
    return batch


def days_overdue(due: dt.date, today: dt.date) -> int:
    return max((today - due).days, 0)
