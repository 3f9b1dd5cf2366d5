"""Inputs and outputs of the salary rule data and of a person's salary (one input schema per
use case, for the HTML forms and the JSON API alike)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from hrms.core.schemas import Date, InputSchema
from hrms.employees.models import EmployeeKind
from hrms.salary.models import RetirementSex

#: the ages the roadmap may hold (the Labour Code's range with room for later laws)
RETIREMENT_YEARS = (50, 70)


def _in_order(data: dict[str, Any]) -> None:
    if data.get("effective_to") is not None and data["effective_to"] < data["effective_from"]:
        raise ValidationError({"effective_to": [str(_l("The end cannot come before the start."))]})


class Coefficients(fields.Field[list[Decimal]]):
    """The coefficients of a scale's steps, first to last: a list of numbers (API) or one text
    with the numbers separated by spaces, semicolons or new lines (form); "2,34" is 2.34."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[Decimal]:
        items = re.split(r"[\s;]+", value.strip()) if isinstance(value, str) else value
        if not isinstance(items, list) or not items or items == [""]:
            raise ValidationError(str(_l("Enter the coefficient of each step.")))
        numbers: list[Decimal] = []
        for item in items:
            try:
                number = Decimal(str(item).replace(",", "."))
            except (InvalidOperation, ValueError):
                raise ValidationError(str(_l("%(value)s is not a number.", value=item))) from None
            if not number.is_finite() or not Decimal("0.01") <= number <= Decimal(99):
                raise ValidationError(str(_l("Coefficients lie between 0.01 and 99.")))
            numbers.append(number.quantize(Decimal("0.01")))
        return numbers

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else [str(v) for v in value]


def _coefficient(low: str, high: str) -> Any:
    def check(value: Decimal) -> None:
        if not Decimal(low) <= value <= Decimal(high):
            raise ValidationError(
                str(_l("Enter a value from %(min)s to %(max)s.", min=low, max=high))
            )

    return check


class _Dated(InputSchema):
    effective_from = Date(required=True)
    effective_to = Date(load_default=None)

    @validates_schema
    def _dates(self, data: dict[str, Any], **kwargs: Any) -> None:
        _in_order(data)


class ScaleInput(_Dated):
    code = fields.String(required=True, validate=validate.Length(min=1, max=10))
    name = fields.String(required=True, validate=validate.Length(min=1, max=255))
    raise_interval_months = fields.Integer(required=True, validate=validate.Range(min=1, max=120))
    seniority_wait_months = fields.Integer(required=True, validate=validate.Range(min=1, max=120))
    coefficients = Coefficients(required=True)


class RankInput(_Dated):
    code = fields.String(required=True, validate=validate.Length(min=1, max=20))
    name = fields.String(required=True, validate=validate.Length(min=1, max=255))
    scale_code = fields.String(required=True, validate=validate.Length(min=1, max=10))
    personnel_kind = fields.String(
        required=True, validate=validate.OneOf([kind.value for kind in EmployeeKind])
    )


class BaseSalaryInput(_Dated):
    amount = fields.Integer(required=True, validate=validate.Range(min=1, max=1_000_000_000))
    source = fields.String(required=True, validate=validate.Length(min=1, max=255))


class AllowanceInput(_Dated):
    title = fields.String(required=True, validate=validate.Length(min=1, max=255))
    agency_level = fields.String(required=True, validate=validate.Length(min=1, max=255))
    coefficient = fields.Decimal(
        required=True, places=2, as_string=True, validate=_coefficient("0.01", "5")
    )
    source = fields.String(required=True, validate=validate.Length(min=1, max=255))


def _months(high: int) -> fields.Integer:
    return fields.Integer(required=True, validate=validate.Range(min=0, max=high))


class PayRulesInput(InputSchema):
    effective_from = Date(required=True)
    failed_year_delay_months = _months(60)
    reprimand_delay_months = _months(60)
    demotion_delay_months = _months(60)
    early_raise_max_months = _months(60)
    early_raise_quota_percent = fields.Integer(
        required=True, validate=validate.Range(min=0, max=100)
    )
    seniority_start_percent = fields.Integer(required=True, validate=validate.Range(min=0, max=100))
    seniority_yearly_percent = fields.Integer(
        required=True, validate=validate.Range(min=0, max=100)
    )
    retirement_notice_months = _months(60)
    retirement_early_raise_months = _months(60)
    source = fields.String(required=True, validate=validate.Length(min=1, max=500))


class RetirementAgeInput(InputSchema):
    sex = fields.String(required=True, validate=validate.OneOf([s.value for s in RetirementSex]))
    from_year = fields.Integer(required=True, validate=validate.Range(min=1900, max=2100))
    age_years = fields.Integer(
        required=True, validate=validate.Range(min=RETIREMENT_YEARS[0], max=RETIREMENT_YEARS[1])
    )
    age_months = fields.Integer(required=True, validate=validate.Range(min=0, max=11))
    source = fields.String(required=True, validate=validate.Length(min=1, max=255))


def with_version(schema: type[InputSchema]) -> type[InputSchema]:
    """The edit of a future version: the same fields and the version read (optimistic lock)."""
    return type(
        f"{schema.__name__}Edit",
        (schema,),
        {"version": fields.Integer(required=True)},
    )


ScaleEdit = with_version(ScaleInput)
RankEdit = with_version(RankInput)
BaseSalaryEdit = with_version(BaseSalaryInput)
AllowanceEdit = with_version(AllowanceInput)
PayRulesEdit = with_version(PayRulesInput)
RetirementAgeEdit = with_version(RetirementAgeInput)


class PayOnInput(InputSchema):
    """The day a salary is asked for (today when not given)."""

    on = Date(load_default=None)


# Outputs ------------------------------------------------------------------------------------


class _VersionOut(Schema):
    id = fields.Integer()
    version = fields.Integer()
    effective_from = fields.Date()
    effective_to = fields.Date(allow_none=True)


class ScaleOut(_VersionOut):
    code = fields.String()
    name = fields.String()
    raise_interval_months = fields.Integer()
    seniority_wait_months = fields.Integer()
    coefficients = fields.Method("_coefficients")

    def _coefficients(self, scale: Any) -> list[str]:
        return [str(step.coefficient) for step in scale.steps]


class RankOut(_VersionOut):
    code = fields.String()
    name = fields.String()
    scale_code = fields.String()
    personnel_kind = fields.String()


class BaseSalaryOut(_VersionOut):
    amount = fields.Decimal(as_string=True)
    source = fields.String()


class AllowanceOut(_VersionOut):
    title = fields.String()
    agency_level = fields.String()
    coefficient = fields.Decimal(as_string=True)
    source = fields.String()


class PayRulesOut(Schema):
    id = fields.Integer()
    version = fields.Integer()
    effective_from = fields.Date()
    failed_year_delay_months = fields.Integer()
    reprimand_delay_months = fields.Integer()
    demotion_delay_months = fields.Integer()
    early_raise_max_months = fields.Integer()
    early_raise_quota_percent = fields.Integer()
    seniority_start_percent = fields.Integer()
    seniority_yearly_percent = fields.Integer()
    retirement_notice_months = fields.Integer()
    retirement_early_raise_months = fields.Integer()
    source = fields.String()


class RetirementAgeOut(Schema):
    id = fields.Integer()
    version = fields.Integer()
    sex = fields.String()
    from_year = fields.Integer()
    age_years = fields.Integer()
    age_months = fields.Integer()
    source = fields.String()


class RulesOut(Schema):
    """Every table of the salary rule data, every version."""

    scales = fields.List(fields.Nested(ScaleOut))
    ranks = fields.List(fields.Nested(RankOut))
    base_salaries = fields.List(fields.Nested(BaseSalaryOut))
    position_allowances = fields.List(fields.Nested(AllowanceOut))
    pay_rules = fields.List(fields.Nested(PayRulesOut))
    retirement_ages = fields.List(fields.Nested(RetirementAgeOut))


class PayOut(Schema):
    """A person's salary on a day (amounts in VND per month)."""

    on = fields.Date()
    rank_code = fields.String(allow_none=True)
    rank_name = fields.String(allow_none=True)
    scale_code = fields.String(allow_none=True)
    step = fields.Integer(allow_none=True)
    coefficient = fields.Decimal(as_string=True, allow_none=True)
    position_allowance = fields.Decimal(as_string=True)
    seniority_percent = fields.Integer()
    seniority_coefficient = fields.Decimal(as_string=True)
    total_coefficient = fields.Decimal(as_string=True, allow_none=True)
    base_salary = fields.Decimal(as_string=True, allow_none=True)
    salary_amount = fields.Decimal(as_string=True, allow_none=True)
    position_amount = fields.Decimal(as_string=True, allow_none=True)
    seniority_amount = fields.Decimal(as_string=True, allow_none=True)
    monthly = fields.Decimal(as_string=True, allow_none=True)


class SalaryOut(Schema):
    employee_id = fields.Integer()
    on = fields.Date()
    #: empty when the person has no salary on the day (before recruitment, after leaving)
    salary = fields.Nested(PayOut, allow_none=True)


class PayPeriodOut(Schema):
    start = fields.Date()
    end = fields.Date(allow_none=True)
    pay = fields.Nested(PayOut)
