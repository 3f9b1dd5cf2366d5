"""The retirement list's filter (one schema for the page, the .xlsx download and the API) and
the JSON shape of its lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from marshmallow import Schema, fields, validate

from hrms.core.api import PageQuerySchema
from hrms.core.schemas import Date
from hrms.salary.retirement_queries import DEFAULT_WINDOW, RetirementLine, RetirementList

#: the longest window a list may cover
MAX_WINDOW = 60


class RetirementQuery(PageQuerySchema):
    #: people whose retirement date falls in this many months from the date (6, 12, 24...)
    months = fields.Integer(
        load_default=DEFAULT_WINDOW,
        validate=validate.Range(min=1, max=MAX_WINDOW),
        metadata={"description": "window in months from the date (default 12)"},
    )
    #: list this unit's subtree (within the scope) instead of the whole scope
    unit_id = fields.Integer(load_default=None, metadata={"description": "unit in scope"})
    #: the first day of the window (today when not given)
    as_of = Date(load_default=None, metadata={"description": "yyyy-mm-dd or dd/mm/yyyy"})


class EarlyRaiseOut(Schema):
    on = fields.Date(metadata={"description": "the notice date, when the raise takes effect"})
    step_from = fields.Integer()
    step_to = fields.Integer()
    regular_on = fields.Date(metadata={"description": "when the regular raise would be due"})
    months_early = fields.Integer()


class RetirementLineOut(Schema):
    employee_id = fields.Integer()
    full_name = fields.String()
    unit_id = fields.Integer()
    unit_name = fields.String()
    sex = fields.String()
    date_of_birth = fields.Date()
    birth_year_only = fields.Boolean()
    rank_code = fields.String(allow_none=True)
    salary_step = fields.Integer(allow_none=True)
    age_years = fields.Integer(metadata={"description": "retirement age reached: years"})
    age_months = fields.Integer(metadata={"description": "and months"})
    roadmap_year = fields.Integer(metadata={"description": "the roadmap year whose age applies"})
    retires_on = fields.Date(metadata={"description": "last day of the month the age is reached"})
    notice_on = fields.Date(
        allow_none=True, metadata={"description": "the retirement notice is due by this date"}
    )
    notice_overdue = fields.Boolean()
    decided = fields.Boolean(metadata={"description": "a retirement decision is recorded"})
    early_raise = fields.Nested(EarlyRaiseOut, allow_none=True)


def line_data(line: RetirementLine) -> dict[str, Any]:
    r = line.retirement
    return {
        "employee_id": line.employee_id,
        "full_name": line.full_name,
        "unit_id": line.unit_id,
        "unit_name": line.unit_name,
        "sex": line.sex,
        "date_of_birth": r.born,
        "birth_year_only": line.birth_year_only,
        "rank_code": line.rank_code,
        "salary_step": line.salary_step,
        "age_years": r.age_years,
        "age_months": r.age_months,
        "roadmap_year": r.roadmap_year,
        "retires_on": r.retires_on,
        "notice_on": r.notice_on,
        "notice_overdue": line.notice_overdue,
        "decided": line.decided,
        "early_raise": line.early_raise,
    }


def dump_lines(lines: Sequence[RetirementLine]) -> list[dict[str, Any]]:
    dumped: list[dict[str, Any]] = RetirementLineOut(many=True).dump(
        [line_data(line) for line in lines]
    )
    return dumped


def list_meta(found: RetirementList) -> dict[str, Any]:
    return {
        "as_of": found.as_of.isoformat(),
        "months": found.months,
        "until": found.until.isoformat(),
        "unit_id": found.focus.id if found.focus is not None else None,
    }
