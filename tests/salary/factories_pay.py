"""Helpers of helper A's salary tests: decisions recorded through the ledger's service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hrms.core.security import SystemActor
from hrms.employees import services


def decide(person: Any, unit: Any, **fields: Any) -> Any:
    """A decision through the ledger's own service (the path of the form, API and import)."""
    data = {
        "number": "1/QĐ-SNV",
        "signed_on": fields.get("effective_on", dt.date(2015, 1, 1)) - dt.timedelta(days=5),
        "issuer": "Giám đốc Sở Nội vụ",
        "supersedes_id": None,
        "unit_id": None,
        "rank_code": None,
        "salary_step": None,
        "salary_coefficient": None,
        "allowance_coefficient": None,
        "early_raise_months": None,
        "seniority_percent": None,
        "title": None,
        "note": None,
    } | fields
    return services.add_decision(SystemActor(), person, unit, data)


def recruit(
    person: Any,
    unit: Any,
    on: dt.date,
    rank: str = "01.003",
    step: int = 1,
    coefficient: Decimal | None = None,
    **fields: Any,
) -> Any:
    return decide(
        person,
        unit,
        kind="recruitment",
        effective_on=on,
        unit_id=unit.id,
        rank_code=rank,
        salary_step=step,
        salary_coefficient=coefficient,
        **fields,
    )


def step_raise(person: Any, unit: Any, on: dt.date, step: int, **fields: Any) -> Any:
    return decide(person, unit, kind="salary_step", effective_on=on, salary_step=step, **fields)
