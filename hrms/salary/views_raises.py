"""Raise pages: the raise list (filter, explanation, export, ticking rows into a draft batch),
the draft batches (confirm or discard), early-raise candidates with the agency quotas, a
person's next raise, and one's own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from hrms.core.dates import today
from hrms.core.errors import ConflictError, DomainError, ValidationFailed
from hrms.core.forms import UNPROCESSABLE, submitted_data
from hrms.core.schemas import load
from hrms.core.security import Permission, Scope, has_permission, requires
from hrms.employees.models import Employee
from hrms.extensions import db
from hrms.org.models import Unit
from hrms.org.queries import unit_picker
from hrms.salary import raise_services as services
from hrms.salary.raise_exchange import XLSX_MIME, raise_list_xlsx
from hrms.salary.raise_forms import BatchActionForm, BatchForm
from hrms.salary.raise_models import BatchState
from hrms.salary.raise_schemas import BatchActionInput, BatchInput, EarlyQuery, RaiseListForm
from hrms.salary.views import blueprint


def _args() -> tuple[dict[str, Any], dict[str, list[str]]]:
    try:
        return load(RaiseListForm(), request.args.to_dict()), {}
    except ValidationFailed as refused:
        return {"unit_id": None, "from_": None, "to": None, "page": 1, "per_page": 50}, (
            refused.errors
        )


def _filter() -> tuple[Unit | None, dt.date, dt.date, dict[str, list[str]]]:
    """The list's unit and window from the query string (errors shown above the list)."""
    args, errors = _args()
    unit = (
        services.get_unit_for(current_user, args["unit_id"], Permission.SALARY_VIEW)
        if args["unit_id"] is not None
        else None
    )
    start, end = services.default_window(today())
    return unit, args["from_"] or start, args["to"] or end, errors


def _render_list(form: BatchForm | None = None, status: int = 200) -> ResponseReturnValue:
    unit, start, end, errors = _filter()
    args, _errors = _args()
    page = services.raise_page(current_user, unit, start, end, args["page"], args["per_page"])
    rows = page.items
    may_raise = has_permission(current_user, Permission.SALARY_RAISE) and (
        unit is None or Scope.for_actor(current_user, Permission.SALARY_RAISE).covers(unit.path)
    )
    if form is None:
        form = BatchForm(formdata=None)
    ticked = {int(value) for value in request.form.getlist("employee_ids") if value.isdigit()}
    return render_template(
        "salary/raise_list.html",
        rows=rows,
        page=page,
        unit=unit,
        picker=unit_picker(current_user, Permission.SALARY_VIEW, unit.id if unit else None),
        start=start,
        end=end,
        errors=errors,
        form=form,
        may_raise=may_raise and unit is not None,
        ticked=ticked,
    ), status


@blueprint.get("/raises")
@requires(Permission.SALARY_VIEW)
def raise_list() -> ResponseReturnValue:
    """People due for a raise in a window, per unit in scope, with how each date is made."""
    return _render_list()


@blueprint.get("/raises.xlsx")
@requires(Permission.SALARY_VIEW)
def export_raises() -> ResponseReturnValue:
    unit, start, end, errors = _filter()
    if errors:
        abort(422)
    rows = services.raise_list(current_user, unit, start, end)
    name = unit.name if unit is not None else _("All units in your scope")
    content = raise_list_xlsx(rows, name, start, end)
    filename = f"nang-luong-{start.isoformat()}-{end.isoformat()}.xlsx"
    return Response(
        content,
        mimetype=XLSX_MIME,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@blueprint.post("/raises/batches")
@requires(Permission.SALARY_RAISE)
def create_batch() -> ResponseReturnValue:
    """Draft decisions for the ticked rows; refused rows are shown with their message."""
    form = BatchForm()
    if not form.validate_on_submit():
        return _render_list(form, UNPROCESSABLE)
    data: dict[str, Any] = submitted_data()
    data["employee_ids"] = request.form.getlist("employee_ids")
    try:
        batch = services.create_batch(current_user, load(BatchInput(), data))
    except (DomainError, ValidationFailed) as refused:
        db.session.rollback()
        form.attach(refused)
        return _render_list(form, UNPROCESSABLE)
    flash(_("Draft batch %(id)s made: check it, then confirm it.", id=batch.id), "success")
    return redirect(url_for("salary.show_batch", batch_id=batch.id))


@blueprint.get("/raises/batches")
@requires(Permission.SALARY_VIEW)
def list_batches() -> ResponseReturnValue:
    states = tuple(state.value for state in BatchState)
    return render_template(
        "salary/raise_batches.html", batches=services.batches_for(current_user, states)
    )


def _render_batch(
    batch_id: int, form: BatchActionForm | None = None, status: int = 200
) -> ResponseReturnValue:
    batch, unit = services.get_batch_for(current_user, batch_id)
    may_manage = Scope.for_actor(current_user, Permission.SALARY_RAISE).covers(unit.path)
    if form is None:
        form = BatchActionForm(formdata=None)
    form.version.data = str(batch.version)
    return render_template(
        "salary/raise_batch.html",
        batch=batch,
        unit=unit,
        lines=services.batch_lines(batch),
        form=form,
        may_manage=may_manage and batch.state == BatchState.DRAFT.value,
    ), status


@blueprint.get("/raises/batches/<int:batch_id>")
@requires(Permission.SALARY_VIEW)
def show_batch(batch_id: int) -> ResponseReturnValue:
    return _render_batch(batch_id)


def _act(batch_id: int, action: str) -> ResponseReturnValue:
    batch, _unit = services.get_batch_for(current_user, batch_id, manage=True)
    form = BatchActionForm()
    if form.validate_on_submit():
        try:
            data = load(BatchActionInput(), submitted_data())
            if action == "confirm":
                decisions = services.confirm_batch(current_user, batch, data["version"])
                flash(
                    _("%(count)s raise decisions entered in the ledgers.", count=len(decisions)),
                    "success",
                )
            else:
                services.discard_batch(current_user, batch, data["version"])
                flash(_("The draft batch was discarded."), "success")
            return redirect(url_for("salary.show_batch", batch_id=batch_id))
        except (DomainError, ValidationFailed) as refused:
            db.session.rollback()
            form.attach(refused)
            status = 409 if isinstance(refused, ConflictError) else UNPROCESSABLE
            return _render_batch(batch_id, form, status)
    return _render_batch(batch_id, form, UNPROCESSABLE)


@blueprint.post("/raises/batches/<int:batch_id>/confirm")
@requires(Permission.SALARY_RAISE)
def confirm_batch(batch_id: int) -> ResponseReturnValue:
    return _act(batch_id, "confirm")


@blueprint.post("/raises/batches/<int:batch_id>/discard")
@requires(Permission.SALARY_RAISE)
def discard_batch(batch_id: int) -> ResponseReturnValue:
    return _act(batch_id, "discard")


@blueprint.get("/raises/early")
@requires(Permission.SALARY_VIEW)
def early_raises() -> ResponseReturnValue:
    errors: dict[str, list[str]] = {}
    try:
        args = load(EarlyQuery(), request.args.to_dict())
    except ValidationFailed as refused:
        errors, args = refused.errors, {"unit_id": None, "year": None}
    unit = (
        services.get_unit_for(current_user, args["unit_id"], Permission.SALARY_VIEW)
        if args["unit_id"] is not None
        else None
    )
    found = services.early_raises(current_user, unit, args["year"] or today().year)
    return render_template(
        "salary/raise_early.html",
        found=found,
        unit=unit,
        picker=unit_picker(current_user, Permission.SALARY_VIEW, unit.id if unit else None),
        errors=errors,
    ), (UNPROCESSABLE if errors else 200)


@blueprint.get("/raises/employees/<int:employee_id>")
@requires(Permission.SIGNED_IN)
def employee_raise(employee_id: int) -> ResponseReturnValue:
    employee, unit = services.get_person_for(current_user, employee_id)
    return render_template(
        "salary/raise_person.html",
        employee=employee,
        unit=unit,
        due=services.own_raise(employee),
        own=False,
    )


@blueprint.get("/my-raise")
@requires(Permission.SIGNED_IN)
def my_raise() -> ResponseReturnValue:
    """The signed-in person's own next raise and how its date is computed."""
    if current_user.employee_id is None:
        abort(404)
    employee = db.session.get(Employee, current_user.employee_id)
    if employee is None:
        abort(404)
    unit = db.session.get(Unit, employee.unit_id)
    return render_template(
        "salary/raise_person.html",
        employee=employee,
        unit=unit,
        due=services.own_raise(employee),
        own=True,
    )
