"""A person's salary as of any date, and the history of it, from their decisions (in
effective-date order, corrections replacing what they correct) and the salary rule data.

How the monthly salary is made up (Nghị định 204/2004/NĐ-CP, Thông tư 04/2005/TT-BNV)::

    monthly = (coefficient + position allowance + seniority allowance) × base salary
    seniority allowance = (coefficient + position allowance) × seniority %

- ``coefficient``: the coefficient of the step held, as written in the decision (decisions
  are checked against the scales when recorded);
- ``position allowance``: the leadership position-allowance coefficient of the last
  appointment or allowance decision;
- ``seniority %``: the seniority allowance beyond the frame (phụ cấp thâm niên vượt khung)
  decided at the last step. Thông tư 04/2005/TT-BNV computes it on the last step's
  coefficient *plus the leadership position-allowance coefficient, if any*; we follow that
  (domain.md §3 mentions only the coefficient; the circular is the more precise source);
- ``base salary``: the base salary (lương cơ sở) in force on the date, so every figure
  follows a change of the base salary from its effective date.

The result is rounded to the đồng (half up). Other allowances (regional, hazard, Party work,
the 2C form's "other allowances") are not part of the figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from hrms.employees.models import Decision, DecisionKind, EmployeeStatus
from hrms.employees.queries import in_force
from hrms.employees.services import EXITS, PAY_KINDS, derive_state
from hrms.salary.rules import RuleBook

_HUNDRED = Decimal(100)
#: decision kinds that change a figure of the salary
_PAY_CHANGES = PAY_KINDS | {DecisionKind.APPOINTMENT, DecisionKind.ALLOWANCE} | EXITS
#: statuses after which the agency pays no salary
_LEFT = {
    EmployeeStatus.TRANSFERRED_OUT.value,
    EmployeeStatus.RETIRED.value,
    EmployeeStatus.RESIGNED.value,
    EmployeeStatus.DECEASED.value,
}


@dataclass(frozen=True)
class Pay:
    """The salary of a person on one day."""

    on: dt.date
    rank_code: str | None
    #: the rank's name in the rule data in force on the day
    rank_name: str | None
    #: the salary scale the rank is paid on (its code, e.g. "A1")
    scale_code: str | None
    step: int | None
    coefficient: Decimal | None
    position_allowance: Decimal
    #: seniority allowance beyond the frame, % (0 when none)
    seniority_percent: int
    #: the base salary in force (VND per month), if any
    base_salary: Decimal | None

    @property
    def seniority_coefficient(self) -> Decimal:
        """The seniority allowance as a coefficient: (coefficient + position) × %."""
        if self.coefficient is None:
            return Decimal(0)
        return (self.coefficient + self.position_allowance) * self.seniority_percent / _HUNDRED

    @property
    def total_coefficient(self) -> Decimal | None:
        if self.coefficient is None:
            return None
        return self.coefficient + self.position_allowance + self.seniority_coefficient

    def _amount(self, coefficient: Decimal | None) -> Decimal | None:
        if coefficient is None or self.base_salary is None:
            return None
        return (coefficient * self.base_salary).quantize(Decimal(1), rounding=ROUND_HALF_UP)

    @property
    def salary_amount(self) -> Decimal | None:
        """Coefficient × base salary."""
        return self._amount(self.coefficient)

    @property
    def position_amount(self) -> Decimal | None:
        return self._amount(self.position_allowance) if self.coefficient is not None else None

    @property
    def seniority_amount(self) -> Decimal | None:
        return self._amount(self.seniority_coefficient) if self.coefficient is not None else None

    @property
    def monthly(self) -> Decimal | None:
        """The monthly salary: (coefficient + position + seniority) × base, to the đồng."""
        return self._amount(self.total_coefficient)

    @property
    def figures(self) -> tuple[object, ...]:
        """What a history row shows (two days with the same figures share a row)."""
        return (
            self.rank_code,
            self.scale_code,
            self.step,
            self.coefficient,
            self.position_allowance,
            self.seniority_percent,
            self.base_salary,
        )


@dataclass(frozen=True)
class PayPeriod:
    """A row of the salary history: the same figures from ``start`` to ``end`` (inclusive;
    empty: still so)."""

    start: dt.date
    end: dt.date | None
    pay: Pay


def salary_on(decisions: Iterable[Decision], rules: RuleBook, on: dt.date) -> Pay | None:
    """The salary on ``on``; None before the first decision that sets a salary and after the
    person has left (retirement, resignation, transfer out, death)."""
    # a correction replaces what it corrects whatever its own date: drop those first
    counted = in_force(list(decisions))
    held = derive_state([d for d in counted if d.effective_on <= on])
    if held.salary_coefficient is None or held.status in _LEFT:
        return None
    rank_code = held.rank_code
    rank = rules.rank(rank_code, on) if rank_code else None
    base = rules.base_salary(on)
    return Pay(
        on=on,
        rank_code=rank_code,
        rank_name=rank.name if rank else None,
        scale_code=rank.scale_code if rank else None,
        step=held.salary_step,
        coefficient=held.salary_coefficient,
        position_allowance=held.position_allowance or Decimal(0),
        seniority_percent=held.seniority_percent or 0,
        base_salary=base.amount if base else None,
    )


def salary_history(decisions: Iterable[Decision], rules: RuleBook) -> list[PayPeriod]:
    """One row per span of days over which no figure changes: a decision (step, rank,
    allowance, exit), a new base salary or a new version of the rank's rule data starts a row.
    """
    ledger = sorted(in_force(list(decisions)), key=lambda d: (d.effective_on, d.signed_on, d.id))
    starts = {d.effective_on for d in ledger if DecisionKind(d.kind) in _PAY_CHANGES}
    paid = [d.effective_on for d in ledger if DecisionKind(d.kind) in PAY_KINDS]
    if not paid:
        return []
    first = min(paid)
    for base in rules.base_salaries:
        starts.add(base.effective_from)
        if base.effective_to is not None:
            starts.add(base.effective_to + dt.timedelta(days=1))
    codes = {d.rank_code for d in ledger if d.rank_code}
    for code in codes:
        for version in rules.ranks.get(code, ()):
            starts.add(version.effective_from)
    periods: list[PayPeriod] = []
    for day in sorted(s for s in starts if s >= first):
        pay = salary_on(ledger, rules, day)
        if periods and periods[-1].end is None:
            if pay is not None and pay.figures == periods[-1].pay.figures:
                continue
            periods[-1] = replace(periods[-1], end=day - dt.timedelta(days=1))
        if pay is not None:
            periods.append(PayPeriod(day, None, pay))
    return periods
