"""Reads for the salary pages: the person whose salary is shown (through the loader), their
decisions, and the rule data lists (small tables, read whole)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, event, func, select
from sqlalchemy.orm import Session, selectinload

from hrms.core.security import Actor, authorize
from hrms.employees import queries as dossiers
from hrms.employees.models import Decision, Employee
from hrms.extensions import db
from hrms.org.models import Unit
from hrms.salary.models import (
    BaseSalary,
    PayRules,
    PositionAllowanceRate,
    Rank,
    RetirementAge,
    SalaryScale,
    SalaryScaleStep,
)
from hrms.salary.policies import can_view_salary, is_own
from hrms.salary.rules import RuleBook


@dataclass(frozen=True)
class Subject:
    """A person whose salary the actor may see."""

    employee: Employee
    unit: Unit
    own: bool


def get_subject_for(actor: Actor, employee_id: int) -> Subject:
    """404 when the person is absent or out of the actor's salary scope (and not themself)."""
    row = db.session.execute(
        select(Employee, Unit)
        .join(Unit, Unit.id == Employee.unit_id)
        .where(Employee.id == employee_id)
    ).first()
    employee, unit = (row[0], row[1]) if row else (None, None)
    visible = unit is not None and can_view_salary(actor, employee_id, unit.path)
    authorize(employee, visible=visible)
    assert employee is not None and unit is not None
    return Subject(employee, unit, is_own(actor, employee_id))


class RowsPage(Pagination):
    """A page of a select's rows (tuples, not one entity) and their count: two queries. Built
    with ``select=`` (ordered) and ``count_select=`` (its ``count(*)``)."""

    def _query_items(self) -> list[Any]:
        query = self._query_args["select"]
        return list(db.session.execute(query.limit(self.per_page).offset(self._query_offset)))

    def _query_count(self) -> int:
        return int(db.session.scalar(self._query_args["count_select"]) or 0)

    @classmethod
    def of(cls, query: Any, order: Sequence[Any], page: int, per_page: int) -> RowsPage:
        """The page of ``query`` in ``order`` (at most 200 rows a page)."""
        return cls(
            page=page,
            per_page=per_page,
            max_per_page=200,
            error_out=False,
            select=query.order_by(*order),
            count_select=query.with_only_columns(func.count()),
        )


def rule_book() -> RuleBook:
    """Every rule row, read once for the request (a handful of queries)."""
    return cached_rule_book(db.session())


_RULE_MODELS = (
    SalaryScale,
    SalaryScaleStep,
    Rank,
    BaseSalary,
    PositionAllowanceRate,
    PayRules,
    RetirementAge,
)
_CACHE_KEY = "hrms.salary.rule_book"


def _touches_rules(session: Session) -> bool:
    return any(
        isinstance(row, _RULE_MODELS) for row in (*session.new, *session.dirty, *session.deleted)
    )


def cached_rule_book(session: Session) -> RuleBook:
    """The rule book, read once per transaction: recording many decisions (an import, the
    demo) checks each against the rules without reading them again each time. It is read
    afresh after any change to a rule row and when the transaction ends."""
    if _touches_rules(session):
        session.info.pop(_CACHE_KEY, None)
    book = session.info.get(_CACHE_KEY)
    if not isinstance(book, RuleBook):
        book = RuleBook.load(session)
        session.info[_CACHE_KEY] = book
    return book


@event.listens_for(Session, "after_flush")
def _forget_changed_rules(session: Session, flush_context: Any) -> None:
    if _touches_rules(session):
        session.info.pop(_CACHE_KEY, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_rules(session: Session, transaction: Any) -> None:
    session.info.pop(_CACHE_KEY, None)


def decisions_of(employee_id: int) -> list[Decision]:
    return dossiers.decisions_of(employee_id)


def scales() -> list[SalaryScale]:
    return list(
        db.session.scalars(
            select(SalaryScale)
            .options(selectinload(SalaryScale.steps))
            .order_by(SalaryScale.code, SalaryScale.effective_from)
        )
    )


def ranks() -> list[Rank]:
    return list(db.session.scalars(select(Rank).order_by(Rank.code, Rank.effective_from)))


def base_salaries() -> list[BaseSalary]:
    return list(db.session.scalars(select(BaseSalary).order_by(BaseSalary.effective_from)))


def allowances() -> list[PositionAllowanceRate]:
    return list(
        db.session.scalars(
            select(PositionAllowanceRate).order_by(
                PositionAllowanceRate.title,
                PositionAllowanceRate.agency_level,
                PositionAllowanceRate.effective_from,
            )
        )
    )


def pay_rules() -> list[PayRules]:
    return list(db.session.scalars(select(PayRules).order_by(PayRules.effective_from)))


def retirement_ages() -> list[RetirementAge]:
    return list(
        db.session.scalars(
            select(RetirementAge).order_by(RetirementAge.sex, RetirementAge.from_year)
        )
    )


def unit_path_beside_a_date_range() -> ColumnElement[str]:
    """The unit path for the scope conditions of queries whose selective condition is a date
    range kept on the dossier (next raise, retirement).

    On SQLite it is compared as an expression (``path || ''``, the same values), so that its
    planner, which has no histograms, starts from the date index and looks each person's unit
    up by key instead of walking every unit of a province-wide scope and all their people.
    PostgreSQL's planner weighs both sides from its statistics, and the expression would only
    blind it (it then guesses ten units, and probes the date index once per unit)."""
    if db.session.get_bind().dialect.name == "sqlite":
        return Unit.path.concat("")
    return Unit.path.expression
