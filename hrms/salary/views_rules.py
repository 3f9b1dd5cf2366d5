"""Pages of the salary rule data (administrators): every table with all its versions, adding
a version (prefilled from an existing one), and editing a version that has not started."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from hrms.core.dates import today
from hrms.core.forms import Form, submit
from hrms.core.schemas import InputSchema
from hrms.core.security import Permission, requires
from hrms.employees.models import EmployeeKind
from hrms.extensions import db
from hrms.salary import queries, schemas, services
from hrms.salary.forms import (
    AllowanceForm,
    BaseSalaryForm,
    PayRulesForm,
    RankForm,
    RetirementAgeForm,
    ScaleForm,
)
from hrms.salary.models import (
    BaseSalary,
    PayRules,
    PositionAllowanceRate,
    Rank,
    RetirementAge,
    SalaryScale,
)
from hrms.salary.rules import in_force
from hrms.salary.views import blueprint

KIND_LABELS = {
    EmployeeKind.CAN_BO.value: _l("Official (cán bộ)"),
    EmployeeKind.CONG_CHUC.value: _l("Civil servant (công chức)"),
    EmployeeKind.VIEN_CHUC.value: _l("Public employee (viên chức)"),
    EmployeeKind.CONTRACT.value: _l("Contract"),
}
SEX_LABELS = {"male": _l("Men"), "female": _l("Women")}


@dataclass(frozen=True)
class RuleTable:
    """One table of the rule data as the pages handle it."""

    title: Any
    model: type[Any]
    form: type[Form]
    create: type[InputSchema]
    edit: type[InputSchema]
    save: Callable[..., Any]


TABLES: dict[str, RuleTable] = {
    "scales": RuleTable(
        _l("Salary scales"),
        SalaryScale,
        ScaleForm,
        schemas.ScaleInput,
        schemas.ScaleEdit,
        services.save_scale,
    ),
    "ranks": RuleTable(
        _l("Ranks"), Rank, RankForm, schemas.RankInput, schemas.RankEdit, services.save_rank
    ),
    "base-salaries": RuleTable(
        _l("Base salary"),
        BaseSalary,
        BaseSalaryForm,
        schemas.BaseSalaryInput,
        schemas.BaseSalaryEdit,
        services.save_base_salary,
    ),
    "allowances": RuleTable(
        _l("Position allowances"),
        PositionAllowanceRate,
        AllowanceForm,
        schemas.AllowanceInput,
        schemas.AllowanceEdit,
        services.save_allowance,
    ),
    "pay-rules": RuleTable(
        _l("Raise and retirement rules"),
        PayRules,
        PayRulesForm,
        schemas.PayRulesInput,
        schemas.PayRulesEdit,
        services.save_pay_rules,
    ),
    "retirement-ages": RuleTable(
        _l("Retirement ages"),
        RetirementAge,
        RetirementAgeForm,
        schemas.RetirementAgeInput,
        schemas.RetirementAgeEdit,
        services.save_retirement_age,
    ),
}


def is_future(row: Any) -> bool:
    """A version that has not started yet (the only kind that may be edited)."""
    if isinstance(row, RetirementAge):
        return row.from_year > today().year
    return bool(row.effective_from > today())


def _table(rule_table: str) -> RuleTable:
    table = TABLES.get(rule_table)
    if table is None:
        abort(404)
    return table


def _row(table: RuleTable, rule_id: int) -> Any:
    row = db.session.get(table.model, rule_id)
    if row is None:
        abort(404)
    return row


def _form_values(row: Any) -> dict[str, Any]:
    """What a form shows for an existing row (to copy it into a new version, or edit it)."""
    values: dict[str, Any] = {}
    for column in row.__table__.columns:
        if column.name not in ("id", "created_at", "updated_at"):
            values[column.name] = getattr(row, column.name)
    if isinstance(row, SalaryScale):
        values["coefficients"] = " ".join(str(step.coefficient) for step in row.steps)
    return values


def _choices(form: Form) -> None:
    if "personnel_kind" in form:
        form["personnel_kind"].choices = [(k, str(v)) for k, v in KIND_LABELS.items()]
    if "sex" in form:
        form["sex"].choices = [(k, str(v)) for k, v in SEX_LABELS.items()]


def _in_force_today(groups: dict[Any, list[Any]]) -> set[tuple[str, int]]:
    day = today()
    found = (in_force(rows, day) for rows in groups.values())
    return {(row.__tablename__, row.id) for row in found if row is not None}


def _grouped(rows: list[Any], key: Callable[[Any], Any]) -> dict[Any, list[Any]]:
    groups: dict[Any, list[Any]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return groups


@blueprint.get("/rules")
@requires(Permission.SALARY_RULES)
def rules_index() -> ResponseReturnValue:
    """Every table of the rule data, every version, the ones in force today marked."""
    scales, ranks = queries.scales(), queries.ranks()
    bases, allowances = queries.base_salaries(), queries.allowances()
    pay_rules, ages = queries.pay_rules(), queries.retirement_ages()
    current = (
        _in_force_today(_grouped(scales, lambda r: r.code))
        | _in_force_today(_grouped(ranks, lambda r: r.code))
        | _in_force_today({None: bases})
        | _in_force_today(_grouped(allowances, lambda r: (r.title, r.agency_level)))
        | _in_force_today({None: pay_rules})
    )
    year = today().year
    current |= {
        (
            "retirement_ages",
            max((a for a in rows if a.from_year <= year), key=lambda a: a.from_year).id,
        )
        for rows in _grouped(ages, lambda r: r.sex).values()
        if any(a.from_year <= year for a in rows)
    }
    return render_template(
        "salary/rules_index.html",
        scales=scales,
        ranks=ranks,
        base_salaries=bases,
        allowances=allowances,
        pay_rules=pay_rules,
        retirement_ages=ages,
        current=current,
        tables=TABLES,
        today=today(),
        is_future=is_future,
        kind_labels=KIND_LABELS,
        sex_labels=SEX_LABELS,
    )


def _done(table: RuleTable, row: Any, message: str) -> ResponseReturnValue:
    flash(message, "success")
    return redirect(url_for("salary.rules_index") + f"#{table.model.__tablename__}")


@blueprint.route("/rules/<rule_table>/new", methods=["GET", "POST"])
@requires(Permission.SALARY_RULES)
def add_rule_version(rule_table: str) -> ResponseReturnValue:
    """A new version; ``?copy=<id>`` starts from an existing one."""
    table = _table(rule_table)
    form = table.form()
    _choices(form)
    if request.method == "GET" and request.args.get("copy", "").isdigit():
        source = db.session.get(table.model, int(request.args["copy"]))
        if source is not None:
            values = _form_values(source)
            values.pop("version", None)
            values.pop("effective_to", None)
            form = table.form(formdata=None, data=values)
            _choices(form)
    saved = submit(form, table.create(), lambda data: table.save(current_user, data))
    if saved is not None:
        return _done(table, saved, _("The new version was saved."))
    return render_template(
        "salary/rules_form.html", form=form, table=table, rule_table=rule_table, row=None
    ), form.status


@blueprint.route("/rules/<rule_table>/<int:rule_id>/edit", methods=["GET", "POST"])
@requires(Permission.SALARY_RULES)
def edit_rule_version(rule_table: str, rule_id: int) -> ResponseReturnValue:
    """The edit of a version that has not started (a started one is shown, not editable)."""
    table = _table(rule_table)
    row = _row(table, rule_id)
    if request.method == "POST":
        form = table.form()
    else:
        form = table.form(formdata=None, data=_form_values(row))
    _choices(form)
    saved = submit(form, table.edit(), lambda data: table.save(current_user, data, row))
    if saved is not None:
        return _done(table, saved, _("The version was changed."))
    return render_template(
        "salary/rules_form.html",
        form=form,
        table=table,
        rule_table=rule_table,
        row=row,
        editable=is_future(row),
    ), form.status
