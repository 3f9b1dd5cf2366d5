"""People near retirement for the retirement tests: a dossier with a sex, a birth date (or a
year only) and a status, and optionally the decision that set their current step (saved
straight into the test's session: the lists read the ledger, no service is under test)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from hrms.employees.models import Decision, Employee
from hrms.extensions import db
from tests import factories

_serial = itertools.count(500)
#: coefficients of scale A1 (rank 01.003) by step
A1 = {
    1: "2.34",
    2: "2.67",
    3: "3.00",
    4: "3.33",
    5: "3.66",
    6: "3.99",
    7: "4.32",
    8: "4.65",
    9: "4.98",
}


def person(
    unit: Any,
    sex: str,
    born: dt.date,
    name: str,
    *,
    year_only: bool = False,
    status: str = "working",
    step: int | None = 5,
    step_since: dt.date | None = None,
) -> Employee:
    """A dossier; with ``step_since``, a recruitment decision placing the person at ``step`` of
    rank 01.003 (scale A1, raise every 36 months) from that date."""
    stored = dt.date(born.year, 1, 1) if year_only else born
    employee: Employee = factories.EmployeeFactory(
        unit=unit,
        full_name=name,
        sex=sex,
        date_of_birth=stored,
        birth_year_only=year_only,
        status=status,
        national_id=factories.national_id_for(sex, stored, next(_serial)),
        rank_code="01.003" if step else None,
        salary_step=step,
        salary_coefficient=Decimal(A1[step]) if step else None,
        salary_since=step_since,
    )
    if step and step_since is not None:
        decide(employee, "recruitment", step_since, unit_id=unit.id, salary_step=step)
    return employee


def decide(employee: Employee, kind: str, on: dt.date, **fields: Any) -> Decision:
    values: dict[str, Any] = {
        "employee_id": employee.id,
        "kind": kind,
        "number": f"{next(_serial)}/QĐ-SNV",
        "signed_on": on,
        "issuer": "Sở Nội vụ",
        "effective_on": on,
    }
    if "salary_step" in fields:
        values |= {
            "rank_code": "01.003",
            "salary_coefficient": Decimal(A1[fields["salary_step"]]),
        }
    values |= fields
    decision = Decision(**values)
    db.session.add(decision)
    db.session.commit()
    return decision
