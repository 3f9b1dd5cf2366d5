"""Input and output shapes of the raise pages and API: one input schema per use case, used by
the HTML forms and the JSON API alike."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from hrms.core.api import PageQuerySchema
from hrms.core.schemas import Date, InputSchema

#: the longest window a raise list may cover (days)
MAX_WINDOW_DAYS = 3 * 366


class RaiseListQuery(PageQuerySchema):
    """The raise list: a unit (its subtree; empty: the whole scope) and a window (default: the
    next three months)."""

    unit_id = fields.Integer(load_default=None)
    from_ = Date(data_key="from", load_default=None)
    to = Date(load_default=None)

    @validates_schema
    def _window(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("from_"), data.get("to")
        if start and end and end < start:
            raise ValidationError(str(_l("The end of the window is before its start.")), "to")
        if start and end and (end - start).days > MAX_WINDOW_DAYS:
            raise ValidationError(str(_l("A window of three years at most.")), "to")


class RaiseListForm(RaiseListQuery):
    """The page's filter and page (the rows of a page are ticked for a draft batch)."""

    page = fields.Integer(load_default=1)
    per_page = fields.Integer(load_default=50)


class EarlyQuery(InputSchema):
    unit_id = fields.Integer(load_default=None)
    year = fields.Integer(load_default=None, validate=validate.Range(min=1990, max=2100))


class BatchInput(InputSchema):
    """A draft batch: the people ticked on the list and the decisions' common parts."""

    unit_id = fields.Integer(required=True)
    employee_ids = fields.List(
        fields.Integer(), required=True, validate=validate.Length(min=1, max=2000)
    )
    number_suffix = fields.String(required=True, validate=validate.Length(min=1, max=40))
    first_number = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10**8))
    signed_on = Date(required=True)
    issuer = fields.String(required=True, validate=validate.Length(min=1, max=255))


class BatchActionInput(InputSchema):
    """Confirming or discarding a draft: the version it was read at."""

    version = fields.Integer(required=True)


class LineOut(Schema):
    kind = fields.String()
    text = fields.String()
    on = fields.Date(allow_none=True)
    months = fields.Integer()
    days = fields.Integer()


class RaiseDueOut(Schema):
    employee_id = fields.Integer()
    kind = fields.String()
    rank_code = fields.String()
    scale_code = fields.String()
    step = fields.Integer()
    coefficient = fields.Decimal(as_string=True, allow_none=True)
    next_step = fields.Integer()
    next_coefficient = fields.Decimal(as_string=True, allow_none=True)
    seniority_percent = fields.Integer(allow_none=True)
    next_seniority_percent = fields.Integer(allow_none=True)
    start = fields.Date()
    due = fields.Date(allow_none=True)
    pending = fields.String(allow_none=True)
    early_raised = fields.Boolean()
    delay_months = fields.Integer()
    uncounted_days = fields.Integer()
    lines = fields.List(fields.Nested(LineOut))


class PersonRaiseOut(Schema):
    """A person and their next raise (null while the ledger places them on no scale)."""

    employee_id = fields.Integer(attribute="employee.id")
    full_name = fields.String(attribute="employee.full_name")
    raise_ = fields.Nested(RaiseDueOut, attribute="due", data_key="raise", allow_none=True)


class RaiseRowOut(Schema):
    employee_id = fields.Integer(attribute="employee.id")
    full_name = fields.String(attribute="employee.full_name")
    unit_id = fields.Integer(attribute="unit.id")
    unit_name = fields.String(attribute="unit.name")
    raise_ = fields.Nested(RaiseDueOut, attribute="due", data_key="raise")


class EarlyCandidateOut(Schema):
    employee_id = fields.Integer(attribute="employee.id")
    full_name = fields.String(attribute="employee.full_name")
    unit_id = fields.Integer(attribute="unit.id")
    agency_id = fields.Integer(attribute="agency.id")
    rated_year = fields.Integer()
    months_short = fields.Integer()
    raise_ = fields.Nested(RaiseDueOut, attribute="due", data_key="raise")


class AgencyQuotaOut(Schema):
    agency_id = fields.Integer(attribute="agency.id")
    agency_name = fields.String(attribute="agency.name")
    staff = fields.Integer()
    percent = fields.Integer()
    quota = fields.Integer()
    used = fields.Integer()
    left = fields.Integer()


class EarlyRaisesOut(Schema):
    year = fields.Integer()
    max_months = fields.Integer()
    candidates = fields.List(fields.Nested(EarlyCandidateOut))
    quotas = fields.List(fields.Nested(AgencyQuotaOut))


class BatchItemOut(Schema):
    employee_id = fields.Integer(attribute="employee.id")
    full_name = fields.String(attribute="employee.full_name")
    number = fields.String()
    kind = fields.String(attribute="item.kind")
    rank_code = fields.String(attribute="item.rank_code")
    from_step = fields.Integer(attribute="item.from_step")
    salary_step = fields.Integer(attribute="item.salary_step")
    salary_coefficient = fields.Decimal(as_string=True, attribute="item.salary_coefficient")
    seniority_percent = fields.Integer(attribute="item.seniority_percent", allow_none=True)
    effective_on = fields.Date(attribute="item.effective_on")
    decision_id = fields.Integer(attribute="item.decision_id", allow_none=True)


class BatchOut(Schema):
    """A batch and its rows: dumps ``{"batch": RaiseBatch, "lines": [BatchLine]}``."""

    id = fields.Integer(attribute="batch.id")
    unit_id = fields.Integer(attribute="batch.unit_id")
    state = fields.String(attribute="batch.state")
    number_suffix = fields.String(attribute="batch.number_suffix")
    first_number = fields.Integer(attribute="batch.first_number")
    signed_on = fields.Date(attribute="batch.signed_on")
    issuer = fields.String(attribute="batch.issuer")
    version = fields.Integer(attribute="batch.version")
    items = fields.List(fields.Nested(BatchItemOut), attribute="lines")
