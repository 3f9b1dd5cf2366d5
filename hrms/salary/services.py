"""Changes to the salary rule data. A change is a new version from an effective date; a
version that has not started yet may be edited (with the version read, for optimistic
locking); one in force today or in the past never is. Every row is audited (``Audited``)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hrms.core.dates import format_date, today
from hrms.core.errors import FORM, DomainError
from hrms.core.security import Actor
from hrms.core.transaction import check_version, flush_or_conflict
from hrms.extensions import db
from hrms.salary.models import (
    BaseSalary,
    PayRules,
    PositionAllowanceRate,
    Rank,
    RetirementAge,
    SalaryScale,
    SalaryScaleStep,
)
from hrms.salary.policies import can_manage_rules
from hrms.salary.rules import in_force

STALE = _l("Someone else changed this version after you opened it; nothing was saved.")
M = TypeVar("M", SalaryScale, Rank, BaseSalary, PositionAllowanceRate, PayRules, RetirementAge)


def _require_admin(actor: Actor) -> None:
    if not can_manage_rules(actor):
        raise DomainError(FORM, _l("You may not change the salary rule data."))


def _require_future(row: Any) -> None:
    """Only a version that has not started may be edited: the past stays as it was paid."""
    if isinstance(row, RetirementAge):
        if row.from_year <= today().year:
            raise DomainError(
                FORM, _l("This step of the roadmap already applies; add a later one instead.")
            )
    elif row.effective_from <= today():
        raise DomainError(
            FORM,
            _l(
                "This version is in force since %(date)s: add a new version instead of "
                "changing it.",
                date=format_date(row.effective_from),
            ),
        )


def _no_duplicate(
    rows: Sequence[Any], effective_from: dt.date, editing: Any | None, what: Any
) -> None:
    if any(r.effective_from == effective_from and r is not editing for r in rows):
        raise DomainError(
            "effective_from",
            _l(
                "%(what)s already has a version from %(date)s.",
                what=what,
                date=format_date(effective_from),
            ),
        )


def _set(row: Any, data: dict[str, Any], names: Sequence[str]) -> None:
    for name in names:
        setattr(row, name, data.get(name))


def _save(row: M, editing: bool) -> M:
    if not editing:
        db.session.add(row)
    flush_or_conflict(STALE)
    return row


def _prepare(actor: Actor, row: Any | None, data: dict[str, Any]) -> None:
    _require_admin(actor)
    if row is not None:
        check_version(row, data["version"], STALE)
        _require_future(row)


# Salary scales ------------------------------------------------------------------------------

_SCALE_FIELDS = (
    "code",
    "name",
    "raise_interval_months",
    "seniority_wait_months",
    "effective_from",
    "effective_to",
)


def save_scale(actor: Actor, data: dict[str, Any], row: SalaryScale | None = None) -> SalaryScale:
    """A new version of a scale (or the edit of a future one): its steps' coefficients must
    rise from each step to the next."""
    _prepare(actor, row, data)
    coefficients: list[Decimal] = data["coefficients"]
    if len(coefficients) > 20:
        raise DomainError("coefficients", _l("A scale has at most 20 steps."))
    for number, (lower, higher) in enumerate(itertools.pairwise(coefficients), start=2):
        if higher <= lower:
            raise DomainError(
                "coefficients",
                _l(
                    "The coefficients must increase from step to step: step %(step)s "
                    "(%(higher)s) is not above step %(previous)s (%(lower)s).",
                    step=number,
                    higher=higher,
                    previous=number - 1,
                    lower=lower,
                ),
            )
    others = db.session.scalars(select(SalaryScale).where(SalaryScale.code == data["code"]))
    _no_duplicate(
        list(others), data["effective_from"], row, _l("Scale %(code)s", code=data["code"])
    )
    scale = row or SalaryScale()
    _set(scale, data, _SCALE_FIELDS)
    # steps are changed in place (a step number is unique within its scale)
    existing = {step.step: step for step in scale.steps}
    for number, coefficient in enumerate(coefficients, start=1):
        if number in existing:
            existing[number].coefficient = coefficient
        else:
            scale.steps.append(SalaryScaleStep(step=number, coefficient=coefficient))
    for number, step in existing.items():
        if number > len(coefficients):
            scale.steps.remove(step)
    return _save(scale, row is not None)


# Ranks --------------------------------------------------------------------------------------

_RANK_FIELDS = ("code", "name", "scale_code", "personnel_kind", "effective_from", "effective_to")


def save_rank(actor: Actor, data: dict[str, Any], row: Rank | None = None) -> Rank:
    """A new version of a rank: it must be paid on a scale in force on its first day."""
    _prepare(actor, row, data)
    scales = list(
        db.session.scalars(select(SalaryScale).where(SalaryScale.code == data["scale_code"]))
    )
    if in_force(scales, data["effective_from"]) is None:
        raise DomainError(
            "scale_code",
            _l(
                "There is no salary scale %(code)s in force on %(date)s.",
                code=data["scale_code"],
                date=format_date(data["effective_from"]),
            ),
        )
    others = db.session.scalars(select(Rank).where(Rank.code == data["code"]))
    _no_duplicate(list(others), data["effective_from"], row, _l("Rank %(code)s", code=data["code"]))
    rank = row or Rank()
    _set(rank, data, _RANK_FIELDS)
    return _save(rank, row is not None)


# Base salary --------------------------------------------------------------------------------


def _end(span: BaseSalary) -> dt.date:
    return span.effective_to or dt.date.max


def save_base_salary(
    actor: Actor, data: dict[str, Any], row: BaseSalary | None = None
) -> BaseSalary:
    """A base salary over a span of dates. Spans never overlap; an open span that started
    earlier is closed the day before the new one starts (what adding "the new base salary
    from 01/07" means), but any other overlap is refused."""
    _prepare(actor, row, data)
    start: dt.date = data["effective_from"]
    end: dt.date = data["effective_to"] or dt.date.max
    spans = [s for s in db.session.scalars(select(BaseSalary)) if s is not row]
    for span in spans:
        if span.effective_to is None and span.effective_from < start:
            continue  # closed below, once nothing else overlaps
        if span.effective_from <= end and start <= _end(span):
            amount = f"{span.amount:,.0f}".replace(",", ".")
            since = format_date(span.effective_from)
            raise DomainError(
                "effective_from",
                _l(
                    "This span overlaps the base salary of %(amount)s from %(start)s to %(end)s.",
                    amount=amount,
                    start=since,
                    end=format_date(span.effective_to),
                )
                if span.effective_to
                else _l(
                    "This span overlaps the base salary of %(amount)s from %(start)s on.",
                    amount=amount,
                    start=since,
                ),
            )
    for span in spans:
        if span.effective_to is None and span.effective_from < start:
            span.effective_to = start - dt.timedelta(days=1)
    base = row or BaseSalary()
    _set(base, data, ("amount", "effective_from", "effective_to", "source"))
    return _save(base, row is not None)


# Position allowances ------------------------------------------------------------------------


def save_allowance(
    actor: Actor, data: dict[str, Any], row: PositionAllowanceRate | None = None
) -> PositionAllowanceRate:
    _prepare(actor, row, data)
    others = db.session.scalars(
        select(PositionAllowanceRate).where(
            PositionAllowanceRate.title == data["title"],
            PositionAllowanceRate.agency_level == data["agency_level"],
        )
    )
    _no_duplicate(
        list(others),
        data["effective_from"],
        row,
        _l("%(title)s (%(level)s)", title=data["title"], level=data["agency_level"]),
    )
    rate = row or PositionAllowanceRate()
    _set(
        rate,
        data,
        ("title", "agency_level", "coefficient", "effective_from", "effective_to", "source"),
    )
    return _save(rate, row is not None)


# Pay rules ----------------------------------------------------------------------------------

_PAY_RULE_FIELDS = (
    "effective_from",
    "failed_year_delay_months",
    "reprimand_delay_months",
    "demotion_delay_months",
    "early_raise_max_months",
    "early_raise_quota_percent",
    "seniority_start_percent",
    "seniority_yearly_percent",
    "retirement_notice_months",
    "retirement_early_raise_months",
    "source",
)


def save_pay_rules(actor: Actor, data: dict[str, Any], row: PayRules | None = None) -> PayRules:
    _prepare(actor, row, data)
    _no_duplicate(
        list(db.session.scalars(select(PayRules))), data["effective_from"], row, _l("The pay rules")
    )
    rules = row or PayRules()
    _set(rules, data, _PAY_RULE_FIELDS)
    return _save(rules, row is not None)


# Retirement ages ----------------------------------------------------------------------------


def save_retirement_age(
    actor: Actor, data: dict[str, Any], row: RetirementAge | None = None
) -> RetirementAge:
    """A step of the roadmap: the age for those who reach it from a year on."""
    _prepare(actor, row, data)
    taken = db.session.scalar(
        select(RetirementAge).where(
            RetirementAge.sex == data["sex"], RetirementAge.from_year == data["from_year"]
        )
    )
    if taken is not None and taken is not row:
        raise DomainError(
            "from_year", _l("The roadmap already has an age for %(year)s.", year=data["from_year"])
        )
    age = row or RetirementAge()
    _set(age, data, ("sex", "from_year", "age_years", "age_months", "source"))
    return _save(age, row is not None)
