"""The salary rule data in force on a date, read once (the tables are small) and asked many
times: a page that computes a thousand raise dates loads the rules once, not per person."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from hrms.salary.models import (
    BaseSalary,
    PayRules,
    PositionAllowanceRate,
    Rank,
    RetirementAge,
    SalaryScale,
)


class _Dated(Protocol):
    @property
    def effective_from(self) -> dt.date: ...


class _Spanned(_Dated, Protocol):
    @property
    def effective_to(self) -> dt.date | None: ...


D = TypeVar("D", bound=_Dated)
A = TypeVar("A")


def in_force(versions: Iterable[D], on: dt.date) -> D | None:
    """The version in force on a date: the latest that started by then and has not ended."""
    started = [v for v in versions if v.effective_from <= on]
    if not started:
        return None
    latest = max(started, key=lambda v: v.effective_from)
    ends: dt.date | None = getattr(latest, "effective_to", None)
    return latest if ends is None or on <= ends else None


@dataclass(frozen=True)
class RuleBook:
    """Every salary rule row, grouped by key, with lookups as of a date."""

    scales: dict[str, list[SalaryScale]]
    ranks: dict[str, list[Rank]]
    base_salaries: Sequence[BaseSalary]
    allowances: Sequence[PositionAllowanceRate]
    pay_rules: Sequence[PayRules]
    retirement_ages: dict[str, list[RetirementAge]]
    #: lookups already answered, by (what, key, date): the book never changes once loaded, and
    #: lists of thousands of people ask the same few ranks and dates again and again
    _answers: dict[tuple[str, str, dt.date], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def load(cls, session: Session) -> RuleBook:
        scales: dict[str, list[SalaryScale]] = defaultdict(list)
        for scale in session.scalars(select(SalaryScale).options(selectinload(SalaryScale.steps))):
            scales[scale.code].append(scale)
        ranks: dict[str, list[Rank]] = defaultdict(list)
        for rank in session.scalars(select(Rank)):
            ranks[rank.code].append(rank)
        ages: dict[str, list[RetirementAge]] = defaultdict(list)
        for age in session.scalars(select(RetirementAge).order_by(RetirementAge.from_year)):
            ages[age.sex].append(age)
        return cls(
            scales=dict(scales),
            ranks=dict(ranks),
            base_salaries=list(session.scalars(select(BaseSalary))),
            allowances=list(session.scalars(select(PositionAllowanceRate))),
            pay_rules=list(session.scalars(select(PayRules))),
            retirement_ages=dict(ages),
        )

    def _remembered(self, key: tuple[str, str, dt.date], compute: Callable[[], A]) -> A:
        if key not in self._answers:
            self._answers[key] = compute()
        answer: A = self._answers[key]
        return answer

    def rank(self, code: str, on: dt.date) -> Rank | None:
        return in_force(self.ranks.get(code, ()), on)

    def scale(self, code: str, on: dt.date) -> SalaryScale | None:
        return in_force(self.scales.get(code, ()), on)

    def scale_of_rank(self, rank_code: str, on: dt.date) -> SalaryScale | None:
        def scale() -> SalaryScale | None:
            rank = self.rank(rank_code, on)
            return self.scale(rank.scale_code, on) if rank is not None else None

        return self._remembered(("scale_of_rank", rank_code, on), scale)

    def last_step_of_rank(self, rank_code: str, on: dt.date) -> int | None:
        """The last step of the rank's scale on the date (None without a scale or steps)."""

        def last_step() -> int | None:
            scale = self.scale_of_rank(rank_code, on)
            return scale.last_step if scale is not None and scale.steps else None

        return self._remembered(("last_step_of_rank", rank_code, on), last_step)

    def coefficient(self, rank_code: str, step: int, on: dt.date) -> Decimal | None:
        scale = self.scale_of_rank(rank_code, on)
        return scale.coefficient(step) if scale is not None else None

    def base_salary(self, on: dt.date) -> BaseSalary | None:
        return in_force(self.base_salaries, on)

    def rules(self, on: dt.date) -> PayRules | None:
        return self._remembered(("rules", "", on), lambda: in_force(self.pay_rules, on))

    def retirement_age(self, sex: str, year: int) -> RetirementAge | None:
        """The roadmap age for someone of this sex who reaches it in ``year``."""
        steps = [age for age in self.retirement_ages.get(sex, ()) if age.from_year <= year]
        return steps[-1] if steps else None
