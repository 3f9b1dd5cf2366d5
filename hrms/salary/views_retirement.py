"""Retirement pages: the list of people retiring in the next months (with notice dates and the
early raise on notice), its .xlsx download, and each person's own retirement date."""

from __future__ import annotations

import io
from typing import Any

from flask import render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from hrms.core.dates import today
from hrms.core.errors import ValidationFailed
from hrms.core.schemas import load
from hrms.core.security import Permission, has_permission, requires
from hrms.org.queries import unit_picker
from hrms.salary import retirement_exchange, retirement_queries
from hrms.salary.retirement_schemas import RetirementQuery
from hrms.salary.views import blueprint


def _list(args: dict[str, Any], *, paged: bool = False) -> retirement_queries.RetirementList:
    return retirement_queries.retirement_list(
        current_user,
        args["months"],
        args["unit_id"],
        args["as_of"] or today(),
        page=args["page"] if paged else None,
        per_page=args["per_page"],
    )


@blueprint.get("/retirements")
@requires(Permission.SALARY_VIEW)
def retirement_list() -> ResponseReturnValue:
    """People in service in the scope whose retirement date falls in the next months."""
    try:
        args = load(RetirementQuery(), request.args.to_dict())
        errors: dict[str, list[str]] = {}
    except ValidationFailed as failure:
        args, errors = load(RetirementQuery(), {}), failure.errors
    found = _list(args, paged=True)
    filters: dict[str, Any] = {"months": found.months}
    if found.focus is not None:
        filters["unit_id"] = found.focus.id
    if args["as_of"] is not None:
        filters["as_of"] = found.as_of.isoformat()
    return (
        render_template(
            "salary/retirement_list.html",
            found=found,
            errors=errors,
            filters=filters,
            windows=retirement_queries.WINDOWS,
            picker=unit_picker(
                current_user,
                Permission.SALARY_VIEW,
                found.focus.id if found.focus is not None else None,
            ),
            as_of_text=request.args.get("as_of", "")
            if errors
            else found.as_of.strftime("%d/%m/%Y"),
        ),
        422 if errors else 200,
    )


@blueprint.get("/retirements.xlsx")
@requires(Permission.SALARY_VIEW)
def retirement_xlsx() -> ResponseReturnValue:
    """The same list (same filter; a wrong one is refused with 422) as a workbook."""
    found = _list(load(RetirementQuery(), request.args.to_dict()))
    unit = f"-{found.focus.code}" if found.focus is not None else ""
    response = send_file(
        io.BytesIO(retirement_exchange.workbook(found)),
        mimetype=retirement_exchange.XLSX_MIME,
        as_attachment=True,
        download_name=f"nghi-huu-{found.as_of:%Y%m%d}-{found.months}-thang{unit}.xlsx",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.get("/retirement/me")
@requires(Permission.SIGNED_IN)
def my_retirement() -> ResponseReturnValue:
    """My retirement date, how it was found, the notice date and any early raise on notice."""
    employee = retirement_queries.own_employee(current_user)
    return render_template(
        "salary/retirement_me.html",
        person=retirement_queries.person_retirement(employee),
        as_of=today(),
    )


def salary_due_links(due: retirement_queries.Due, filters: dict[str, Any]) -> dict[str, str | None]:
    """The dashboard section's links to the lists (same unit and window), for those who may
    open them: the salary lists need SALARY_VIEW, which unit heads, who see the dashboard, do
    not have."""
    if not has_permission(current_user, Permission.SALARY_VIEW):
        return {"retirements": None, "raises": None}
    unit: dict[str, Any] = {"unit_id": filters["unit_id"]} if filters.get("unit_id") else {}
    window: dict[str, Any] = {"from": due.as_of.isoformat(), "to": due.raises_until.isoformat()}
    return {
        "retirements": url_for(
            "salary.retirement_list",
            months=due.retirement_months,
            as_of=due.as_of.isoformat(),
            **unit,
        ),
        "raises": url_for("salary.raise_list", **window, **unit),
    }


@blueprint.app_context_processor
def _retirement_helpers() -> dict[str, Any]:
    """``salary_due_links`` for the dashboard (the dossier's header reads the retirement date
    kept on the dossier, hrms/salary/schedule.py)."""
    return {"salary_due_links": salary_due_links}
