"""Dossiers in the JSON API: the same scope, loader, schemas and services as the pages."""

from __future__ import annotations

from typing import Any

from flask import jsonify, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from marshmallow import Schema, fields

from hrms.core.api import (
    Operation,
    PageQuerySchema,
    api_blueprint,
    documented,
    json_body,
    list_page,
    page_body,
    query_args,
)
from hrms.core.pdf import pdf_response
from hrms.core.security import Permission, requires
from hrms.employees import pdf as form_2c
from hrms.employees import queries, services
from hrms.employees.models import Employee
from hrms.employees.policies import can_view_sensitive
from hrms.employees.schemas import (
    DecisionCreate,
    DecisionOut,
    EmployeeCreate,
    EmployeeListQuery,
    EmployeeOut,
    EmployeePatch,
    EmployeeSensitiveOut,
)

blueprint = api_blueprint("employees_api", __name__, "/employees")


class AuditEntryOut(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor_name = fields.String()
    action = fields.String()
    object_type = fields.String()
    object_id = fields.String(allow_none=True)
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)


def _dump(employee: Employee, sensitive: bool) -> dict[str, Any]:
    schema = EmployeeSensitiveOut() if sensitive else EmployeeOut()
    data: dict[str, Any] = schema.dump(employee)
    return data


@blueprint.get("")
@requires(Permission.EMPLOYEES_VIEW)
@documented(
    Operation(
        summary="Dossiers in the caller's scope (identity numbers only where they may be seen)",
        query=EmployeeListQuery(),
        response=EmployeeSensitiveOut(),
        paged=True,
        errors=(403,),
        tags=("employees",),
    )
)
def list_employees() -> ResponseReturnValue:
    filters = query_args(EmployeeListQuery())
    page = queries.list_employees(current_user, filters)
    body = page_body(page, EmployeeOut())
    body["items"] = [
        _dump(e, can_view_sensitive(current_user, e.id, e.unit.path)) for e in page.items
    ]
    return jsonify(body)


@blueprint.post("")
@requires(Permission.EMPLOYEES_EDIT)
@documented(
    Operation(
        summary="Create a dossier",
        body=EmployeeCreate(),
        response=EmployeeSensitiveOut(),
        status=201,
        errors=(403,),
        tags=("employees",),
    )
)
def create_employee() -> ResponseReturnValue:
    employee = services.create_employee(current_user, json_body(EmployeeCreate()))
    response = jsonify(_dump(employee, True))
    response.status_code = 201
    response.headers["Location"] = url_for("employees_api.show_employee", employee_id=employee.id)
    return response


@blueprint.get("/<int:employee_id>")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary="One dossier (opening it is recorded in its access log)",
        response=EmployeeSensitiveOut(),
        errors=(404,),
        tags=("employees",),
    )
)
def show_employee(employee_id: int) -> ResponseReturnValue:
    dossier = queries.get_dossier_for(current_user, employee_id)
    services.record_view(dossier.employee)
    return jsonify(_dump(dossier.employee, dossier.sensitive))


@blueprint.patch("/<int:employee_id>")
@requires(Permission.EMPLOYEES_EDIT)
@documented(
    Operation(
        summary="Change some fields of a dossier; send the version you read",
        body=EmployeePatch(),
        response=EmployeeSensitiveOut(),
        errors=(403, 404, 409),
        tags=("employees",),
    )
)
def update_employee(employee_id: int) -> ResponseReturnValue:
    dossier = queries.get_dossier_for(current_user, employee_id, edit=True)
    data = json_body(EmployeePatch())
    employee = services.patch_employee(current_user, dossier.employee, dossier.unit, data)
    return jsonify(_dump(employee, True))


@blueprint.get("/<int:employee_id>/decisions")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary="The decisions ledger, in effective-date order",
        query=PageQuerySchema(),
        response=DecisionOut(),
        paged=True,
        errors=(404,),
        tags=("employees",),
    )
)
def list_decisions(employee_id: int) -> ResponseReturnValue:
    dossier = queries.get_dossier_for(current_user, employee_id)
    decisions = queries.decisions_of(dossier.employee.id)
    replaced = queries.superseded_ids(decisions)
    args = query_args(PageQuerySchema())
    return jsonify(
        list_page(
            decisions,
            args,
            lambda rows: [DecisionOut().dump(d) | {"superseded": d.id in replaced} for d in rows],
        )
    )


@blueprint.post("/<int:employee_id>/decisions")
@requires(Permission.EMPLOYEES_EDIT)
@documented(
    Operation(
        summary="Record a decision (a correction names the decision it supersedes)",
        body=DecisionCreate(),
        response=DecisionOut(),
        status=201,
        errors=(403, 404),
        tags=("employees",),
    )
)
def create_decision(employee_id: int) -> ResponseReturnValue:
    dossier = queries.get_dossier_for(current_user, employee_id, edit=True)
    decision = services.add_decision(
        current_user, dossier.employee, dossier.unit, json_body(DecisionCreate())
    )
    response = jsonify(DecisionOut().dump(decision) | {"superseded": False})
    response.status_code = 201
    response.headers["Location"] = url_for("employees_api.list_decisions", employee_id=employee_id)
    return response


@blueprint.get("/<int:employee_id>/audit")
@requires(Permission.EMPLOYEES_EDIT)
@documented(
    Operation(
        summary="Changes to the dossier and its parts, newest first",
        query=PageQuerySchema(),
        response=AuditEntryOut(),
        paged=True,
        errors=(403, 404),
        tags=("employees",),
    )
)
def employee_audit(employee_id: int) -> ResponseReturnValue:
    dossier = queries.get_dossier_for(current_user, employee_id, edit=True)
    args = query_args(PageQuerySchema())
    entries = queries.trail_of(dossier.employee.id, views=False, limit=None)
    return jsonify(list_page(entries, args, AuditEntryOut(many=True).dump))


# Form 2C (Mẫu 2C-BNV/2008) as PDF ---------------------------------------------------------


@blueprint.get("/<int:employee_id>/dossier.pdf")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary="The dossier as the personal-history form 2C (Mẫu 2C-BNV/2008), a PDF; "
        "only for those who may see its sensitive items (opening it is recorded)",
        errors=(403, 404),
        tags=("employees",),
    )
)
def employee_2c_pdf(employee_id: int) -> ResponseReturnValue:
    return pdf_response(*form_2c.print_for(current_user, employee_id))
