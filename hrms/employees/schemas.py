"""Input and output shapes of dossiers. Field rules live here once, for forms, import and API."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema
from marshmallow_sqlalchemy import SQLAlchemySchema, auto_field

from hrms.core.api import PageQuerySchema
from hrms.core.schemas import Date, InputSchema
from hrms.employees.models import (
    REQUIRED_ON_CREATE,
    SECTIONS,
    Decision,
    DecisionKind,
    Employee,
    EmployeeKind,
    EmployeeStatus,
    FamilySide,
    Sex,
)

NAME_FORMAT = validate.Regexp(
    r"^[^\W\d_]+(?:[ '\-][^\W\d_]+)*$",
    error=_l("Use letters only, separated by single spaces."),
)
DIGITS_12 = validate.Regexp(r"^\d{12}$", error=_l("The ID number must have exactly 12 digits."))
DIGITS_10 = validate.Regexp(
    r"^\d{10}$", error=_l("The social-insurance number must have 10 digits.")
)
PHONE = validate.Regexp(r"^\+?[0-9 .]{8,15}$", error=_l("Enter a phone number of 8 to 15 digits."))
GRADES = validate.Regexp(r"^\d{1,2}/\d{1,2}$", error=_l("Write it as grade/system, e.g. 12/12."))
BLOOD = validate.OneOf(["A", "B", "AB", "O", "A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-"])


class MonthOrDate(Date):
    """A date, or a month ("2019-09", as month inputs send it) taken as its first day."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value.strip()):
            value = f"{value.strip()}-01"
        return super()._deserialize(value, attr, data, **kwargs)


def _coefficient(highest: int) -> Any:
    """A coefficient from 0 to ``highest`` (a plain check: OpenAPI cannot show decimal bounds)."""

    def check(value: Decimal) -> None:
        if not Decimal(0) <= value <= Decimal(highest):
            raise ValidationError(
                str(_l("Enter a value from %(min)s to %(max)s.", min=0, max=highest))
            )

    return check


def _text(length: int, **kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Length(max=length), **kwargs)


class EmployeeFields(InputSchema):
    """Every editable dossier field; sections and use cases take subsets."""

    # identity
    full_name = fields.String(validate=[validate.Length(max=200), NAME_FORMAT])
    other_names = _text(200, allow_none=True)
    sex = fields.String(validate=validate.OneOf([s.value for s in Sex]))
    date_of_birth = Date()
    birth_year_only = fields.Boolean()
    place_of_birth = _text(255, allow_none=True)
    hometown = _text(255, allow_none=True)
    ethnicity_code = _text(2, allow_none=True)
    religion_code = _text(10, allow_none=True)
    national_id = fields.String(validate=DIGITS_12)
    national_id_issued_on = Date(allow_none=True)
    social_insurance_number = fields.String(validate=DIGITS_10, allow_none=True)
    # contact
    permanent_address = _text(500, allow_none=True)
    current_address = _text(500, allow_none=True)
    phone = fields.String(validate=PHONE, allow_none=True)
    email = fields.Email(validate=validate.Length(max=254), allow_none=True)
    # work
    kind = fields.String(validate=validate.OneOf([k.value for k in EmployeeKind]))
    occupation_before = _text(255, allow_none=True)
    recruiting_agency = _text(255, allow_none=True)
    main_work = _text(500, allow_none=True)
    other_allowances = _text(255, allow_none=True)
    # education
    general_education = fields.String(validate=GRADES, allow_none=True)
    qualification_code = _text(20, allow_none=True)
    qualification_major = _text(255, allow_none=True)
    political_theory_code = _text(20, allow_none=True)
    state_management_code = _text(30, allow_none=True)
    foreign_languages = _text(255, allow_none=True)
    it_level_code = _text(20, allow_none=True)
    # membership, service, honours
    party_joined_on = Date(allow_none=True)
    party_official_on = Date(allow_none=True)
    mass_organisation = _text(255, allow_none=True)
    mass_organisation_joined_on = Date(allow_none=True)
    enlisted_on = Date(allow_none=True)
    discharged_on = Date(allow_none=True)
    military_rank = _text(100, allow_none=True)
    honorary_title = _text(255, allow_none=True)
    strengths = _text(500, allow_none=True)
    # health and policy
    health_status = _text(100, allow_none=True)
    height_cm = fields.Integer(validate=validate.Range(min=50, max=250), allow_none=True)
    weight_kg = fields.Integer(validate=validate.Range(min=20, max=300), allow_none=True)
    blood_group = fields.String(validate=BLOOD, allow_none=True)
    war_invalid_grade = _text(50, allow_none=True)
    policy_family = _text(255, allow_none=True)
    # personal history (item 29)
    history_detention = _text(5000, allow_none=True)
    history_former_regime = _text(5000, allow_none=True)
    foreign_relations = _text(5000, allow_none=True)

    @validates_schema
    def _dates_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        pairs = [
            (
                "party_joined_on",
                "party_official_on",
                _l("Official membership cannot come before joining."),
            ),
            ("enlisted_on", "discharged_on", _l("Discharge cannot come before enlistment.")),
            (
                "date_of_birth",
                "national_id_issued_on",
                _l("The ID card cannot be issued before birth."),
            ),
        ]
        errors: dict[str, list[str]] = {}
        for first, second, message in pairs:
            if data.get(first) and data.get(second) and data[second] < data[first]:
                errors.setdefault(second, []).append(str(message))
        if errors:
            raise ValidationError(errors)


class EmployeeCreate(EmployeeFields):
    """A new dossier: the identity that makes it a dossier, and the unit it starts in."""

    unit_id = fields.Integer(required=True)

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        if field_name in REQUIRED_ON_CREATE:
            field_obj.required = True


class EmployeePatch(EmployeeFields):
    """Updates: any subset of fields, with the version read (a section form sends its fields)."""

    version = fields.Integer(required=True)


def section_schema(section: str) -> EmployeePatch:
    return EmployeePatch(only=(*SECTIONS[section], "version"))


class EmployeeListQuery(PageQuerySchema):
    q = fields.String(load_default="", validate=validate.Length(max=100))
    unit_id = fields.Integer(load_default=None)
    kind = fields.String(
        load_default=None, validate=validate.OneOf([k.value for k in EmployeeKind])
    )
    status = fields.String(
        load_default=None, validate=validate.OneOf([s.value for s in EmployeeStatus])
    )
    sex = fields.String(load_default=None, validate=validate.OneOf([s.value for s in Sex]))
    rank_code = fields.String(load_default=None, validate=validate.Length(max=20))
    age_from = fields.Integer(load_default=None, validate=validate.Range(min=0, max=120))
    age_to = fields.Integer(load_default=None, validate=validate.Range(min=0, max=120))
    sort = fields.String(
        load_default="name", validate=validate.OneOf(["name", "birth", "rank", "unit"])
    )
    order = fields.String(load_default="asc", validate=validate.OneOf(["asc", "desc"]))


#: placements are written by the staffing pages, which also record the position held
MADE_ELSEWHERE = frozenset({DecisionKind.POSITION_PLACEMENT})


class DecisionCreate(InputSchema):
    kind = fields.String(
        required=True,
        validate=validate.OneOf([k.value for k in DecisionKind if k not in MADE_ELSEWHERE]),
    )
    number = fields.String(required=True, validate=validate.Length(max=60))
    signed_on = Date(required=True)
    issuer = fields.String(required=True, validate=validate.Length(max=255))
    effective_on = Date(required=True)
    supersedes_id = fields.Integer(load_default=None)
    unit_id = fields.Integer(load_default=None)
    rank_code = fields.String(load_default=None, validate=validate.Length(max=20))
    salary_step = fields.Integer(load_default=None, validate=validate.Range(min=1, max=20))
    salary_coefficient = fields.Decimal(
        load_default=None, places=2, validate=_coefficient(20), as_string=True
    )
    allowance_coefficient = fields.Decimal(
        load_default=None, places=2, validate=_coefficient(5), as_string=True
    )
    #: a step granted this many months ahead (early raise); the maximum is in the pay rules
    early_raise_months = fields.Integer(load_default=None, validate=validate.Range(min=1, max=60))
    #: seniority allowance beyond the frame, % (only at the last step of the scale)
    seniority_percent = fields.Integer(load_default=None, validate=validate.Range(min=0, max=100))
    title = fields.String(load_default=None, validate=validate.Length(max=255))
    note = fields.String(load_default=None, validate=validate.Length(max=1000))


class TrainingInput(InputSchema):
    school = fields.String(required=True, validate=validate.Length(max=255))
    major = fields.String(required=True, validate=validate.Length(max=255))
    started_on = MonthOrDate(required=True)
    ended_on = MonthOrDate(load_default=None)
    mode = fields.String(load_default=None, validate=validate.Length(max=100))
    degree = fields.String(load_default=None, validate=validate.Length(max=255))

    @validates_schema
    def _in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("ended_on") and data["ended_on"] < data["started_on"]:
            raise ValidationError({"ended_on": [str(_l("The end cannot come before the start."))]})


class FamilyInput(InputSchema):
    side = fields.String(required=True, validate=validate.OneOf([s.value for s in FamilySide]))
    relation = fields.String(required=True, validate=validate.Length(max=50))
    full_name = fields.String(required=True, validate=[validate.Length(max=200), NAME_FORMAT])
    birth_year = fields.Integer(load_default=None, validate=validate.Range(min=1850, max=2100))
    hometown = fields.String(load_default=None, validate=validate.Length(max=255))
    occupation = fields.String(load_default=None, validate=validate.Length(max=255))
    workplace = fields.String(load_default=None, validate=validate.Length(max=255))
    residence = fields.String(load_default=None, validate=validate.Length(max=255))


# Output shapes: one per audience (the sensitive one adds what only officers and the person see)


class EmployeeOut(SQLAlchemySchema):
    class Meta:
        model = Employee

    id = auto_field(dump_only=True)
    version = auto_field(dump_only=True)
    full_name = auto_field(dump_only=True)
    other_names = auto_field(dump_only=True)
    sex = auto_field(dump_only=True)
    date_of_birth = auto_field(dump_only=True)
    place_of_birth = auto_field(dump_only=True)
    hometown = auto_field(dump_only=True)
    ethnicity_code = auto_field(dump_only=True)
    religion = auto_field("religion_code", dump_only=True)
    unit_id = auto_field(dump_only=True)
    kind = auto_field(dump_only=True)
    status = auto_field(dump_only=True)
    rank_code = auto_field(dump_only=True)
    salary_step = auto_field(dump_only=True)
    salary_coefficient = fields.Decimal(as_string=True, dump_only=True, allow_none=True)
    position_id = fields.Integer(dump_only=True, allow_none=True, dump_default=None)
    position_title = auto_field(dump_only=True)
    recruited_on = auto_field(dump_only=True)
    qualification_code = auto_field(dump_only=True)
    political_theory_code = auto_field(dump_only=True)


class EmployeeSensitiveOut(EmployeeOut):
    national_id = auto_field(dump_only=True)
    national_id_issued_on = auto_field(dump_only=True)
    social_insurance_number = auto_field(dump_only=True)
    permanent_address = auto_field(dump_only=True)
    current_address = auto_field(dump_only=True)
    phone = auto_field(dump_only=True)
    email = auto_field(dump_only=True)
    health_status = auto_field(dump_only=True)
    height_cm = auto_field(dump_only=True)
    weight_kg = auto_field(dump_only=True)
    blood_group = auto_field(dump_only=True)


class DecisionOut(SQLAlchemySchema):
    class Meta:
        model = Decision

    id = auto_field(dump_only=True)
    kind = auto_field(dump_only=True)
    number = auto_field(dump_only=True)
    signed_on = auto_field(dump_only=True)
    issuer = auto_field(dump_only=True)
    effective_on = auto_field(dump_only=True)
    supersedes_id = auto_field(dump_only=True)
    unit_id = auto_field(dump_only=True)
    rank_code = auto_field(dump_only=True)
    salary_step = auto_field(dump_only=True)
    salary_coefficient = fields.Decimal(as_string=True, dump_only=True, allow_none=True)
    allowance_coefficient = fields.Decimal(as_string=True, dump_only=True, allow_none=True)
    early_raise_months = auto_field(dump_only=True)
    seniority_percent = auto_field(dump_only=True)
    title = auto_field(dump_only=True)
    note = auto_field(dump_only=True)
    superseded = fields.Boolean(dump_only=True)
