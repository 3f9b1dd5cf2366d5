"""Decisions and ledgers for the raise tests: unsaved ``Decision`` rows (the computation is
pure) and saved ones through the ledger service (for the lists and the batches)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from hrms.employees.models import Decision
from hrms.reviews.scheme import Rating
from hrms.salary.raises import Ledger

_ids = itertools.count(1)
#: coefficients of scale A1 (rank 01.003) by step
A1 = {
    1: "2.34", 2: "2.67", 3: "3.00", 4: "3.33", 5: "3.66",
    6: "3.99", 7: "4.32", 8: "4.65", 9: "4.98",
}  # fmt: skip


def decision(kind: str, on: dt.date, **fields: Any) -> Decision:
    """An unsaved decision with an id of its own."""
    values: dict[str, Any] = {
        "id": next(_ids),
        "employee_id": 1,
        "kind": kind,
        "number": f"{next(_ids)}/QĐ-TEST",
        "signed_on": on,
        "issuer": "Sở Nội vụ",
        "effective_on": on,
        "supersedes_id": None,
        "rank_code": None,
        "salary_step": None,
        "salary_coefficient": None,
        "early_raise_months": None,
        "seniority_percent": None,
        "title": None,
    }
    values.update(fields)
    return Decision(**values)


def step(on: dt.date, number: int, rank: str = "01.003", **fields: Any) -> Decision:
    coefficient = Decimal(A1[number]) if rank == "01.003" else fields.pop("coefficient")
    return decision(
        "salary_step", on, rank_code=rank, salary_step=number, salary_coefficient=coefficient,
        **fields,
    )  # fmt: skip


def ledger(*decisions: Decision, ratings: dict[int, Rating] | None = None) -> Ledger:
    return Ledger(1, list(decisions), dict(ratings or {}))


def place(employee: Any, on: dt.date, number: int, rank: str = "01.003", **fields: Any) -> Any:
    """A rank placement at a step through the ledger service (checks, cached state, audit);
    call inside ``service_context``."""
    from hrms.employees.services import add_authorised_decision

    return add_authorised_decision(
        employee,
        {
            "kind": "rank_placement",
            "number": f"{next(_ids)}/QĐ-SNV",
            "signed_on": on,
            "issuer": "Sở Nội vụ",
            "effective_on": on,
            "rank_code": rank,
            "salary_step": number,
            "salary_coefficient": Decimal(A1[number]) if rank == "01.003" else None,
            **fields,
        },
    )


def rate(employee: Any, year: int, rating: str, agency: Any) -> Any:
    """A finalised annual rating."""
    from hrms.extensions import db
    from hrms.reviews.models import AnnualRating
    from tests.reviews import factories

    annual = AnnualRating(
        employee_id=employee.id,
        year=year,
        scheme_id=factories.scheme("ND335-2025").id,
        unit_id=employee.unit_id,
        agency_id=agency.id,
        task_group="professional",
        periods=4,
        band=rating,
        rating=rating,
        finalised=True,
    )
    db.session.add(annual)
    db.session.flush()
    return annual
