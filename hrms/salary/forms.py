"""Forms of the salary rule data and of the salary page: rendering and CSRF only (the input
schemas of hrms.salary.schemas check them, as they check the API)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from hrms.core.forms import DateText, Form


def _number(label: Any) -> StringField:
    return StringField(label, render_kw={"type": "number", "min": 0})


class _Dated(Form):
    version = HiddenField()
    effective_from = DateText(_l("In force from"))
    effective_to = DateText(_l("In force until (empty: until a later version)"))


class ScaleForm(_Dated):
    code = StringField(_l("Scale code"), render_kw={"placeholder": "A1"})
    name = StringField(_l("Name and legal source"))
    raise_interval_months = _number(_l("Months between regular step raises"))
    seniority_wait_months = _number(_l("Months on the last step before the seniority allowance"))
    coefficients = TextAreaField(
        _l("Coefficients of the steps, first to last"),
        render_kw={"rows": 2, "placeholder": "2.34 2.67 3.00 3.33"},
    )


class RankForm(_Dated):
    code = StringField(_l("Rank code"), render_kw={"placeholder": "01.003"})
    name = StringField(_l("Rank name"))
    scale_code = StringField(_l("Paid on scale"), render_kw={"placeholder": "A1"})
    personnel_kind = SelectField(_l("Kind of personnel"), validate_choice=False)


class BaseSalaryForm(_Dated):
    amount = _number(_l("Base salary (VND per month)"))
    source = StringField(_l("Legal source"), render_kw={"placeholder": "Nghị định 73/2024/NĐ-CP"})


class AllowanceForm(_Dated):
    title = StringField(_l("Leadership title"))
    agency_level = StringField(_l("Where it applies"))
    coefficient = StringField(_l("Allowance coefficient"), render_kw={"inputmode": "decimal"})
    source = StringField(_l("Legal source"))


class PayRulesForm(Form):
    version = HiddenField()
    effective_from = DateText(_l("In force from"))
    failed_year_delay_months = _number(_l("Delay per year rated not completing tasks (months)"))
    reprimand_delay_months = _number(_l("Delay for a reprimand or warning (months)"))
    demotion_delay_months = _number(_l("Delay for demotion or dismissal from post (months)"))
    early_raise_max_months = _number(_l("Most months an early raise may advance a step"))
    early_raise_quota_percent = _number(_l("Early raises per year, share of staff (%)"))
    seniority_start_percent = _number(_l("Seniority allowance after the wait (%)"))
    seniority_yearly_percent = _number(_l("Seniority allowance added each year (%)"))
    retirement_notice_months = _number(_l("Retirement notice (months before)"))
    retirement_early_raise_months = _number(
        _l("On notice, a raise due within this many months is granted early")
    )
    source = StringField(_l("Legal sources"))


class RetirementAgeForm(Form):
    version = HiddenField()
    sex = SelectField(_l("Sex"), validate_choice=False)
    from_year = _number(_l("For those who reach the age from the year"))
    age_years = _number(_l("Age: years"))
    age_months = _number(_l("and months"))
    source = StringField(_l("Legal source"))


class PayOnForm(Form):
    """The "as of" date of the salary page (a GET form: no CSRF needed)."""

    class Meta:
        csrf = False

    on = DateText(_l("As of"))
