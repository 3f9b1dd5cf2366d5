"""JSON API of competencies, the catalogue, plans and positions (conventions: hrms.core.api)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from hrms.core.api import (
    Operation,
    api_blueprint,
    documented,
    json_body,
    list_page,
    page_body,
    query_args,
)
from hrms.core.dates import today
from hrms.core.security import Permission, authorize, requires
from positions import queries, services
from positions.models import Competency, CompetencyVersion, FrameworkPosition, PositionPlan
from positions.schemas import (
    CompetencyDetailOut,
    CompetencyListQuery,
    CompetencyOut,
    FrameworkPositionDetailOut,
    FrameworkPositionListQuery,
    FrameworkPositionOut,
    PlanCreate,
    PlanListQuery,
    PositionPlanDetailOut,
    PositionPlanOut,
    UnitPositionCreate,
    UnitPositionListQuery,
    UnitPositionOut,
    UnitPositionSummaryOut,
    UnitPositionUpdate,
    position_patch,
)

blueprint = api_blueprint("positions_api", __name__)


# Competency dictionary and framework catalogue ---------------------------------------------------


def _competency_body(competency: Competency, version: CompetencyVersion | None) -> dict[str, Any]:
    return {
        "id": competency.id,
        "code": competency.code,
        "family": competency.family,
        "active": competency.active,
        "version_in_force": version,
        "versions": competency.versions if "versions" in competency.__dict__ else [],
    }


@blueprint.get("/competencies")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary="The competency dictionary (optionally one family), each competency with the "
        "wording in force today",
        query=CompetencyListQuery(),
        response=CompetencyOut(),
        paged=True,
        tags=("competencies",),
    )
)
def list_competencies() -> ResponseReturnValue:
    args = query_args(CompetencyListQuery())
    rows = queries.competency_rows(today(), args.get("family"))
    items = [
        {
            "id": row.competency.id,
            "code": row.competency.code,
            "family": row.competency.family,
            "active": row.competency.active,
            "version_in_force": row.version if row.in_force else None,
        }
        for row in rows
    ]
    return jsonify(list_page(items, args, lambda page: CompetencyOut(many=True).dump(page)))


@blueprint.get("/competencies/<int:competency_id>")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary="One competency with the wording in force today and all its versions",
        response=CompetencyDetailOut(),
        errors=(404,),
        tags=("competencies",),
    )
)
def show_competency(competency_id: int) -> ResponseReturnValue:
    competency = authorize(queries.competency(competency_id), visible=True)
    body = _competency_body(competency, queries.version_of(competency, today()))
    return jsonify(CompetencyDetailOut().dump(body))


@blueprint.get("/framework-positions")
@requires(Permission.POSITIONS_VIEW)
@documented(
    Operation(
        summary="Positions of the framework catalogue, by group and code; q matches code and "
        "title ignoring case and accents",
        query=FrameworkPositionListQuery(),
        response=FrameworkPositionOut(),
        paged=True,
        errors=(403,),
        tags=("catalogue",),
    )
)
def list_framework_positions() -> ResponseReturnValue:
    args = query_args(FrameworkPositionListQuery())
    rows = queries.framework_positions(args.get("group"), args.get("q"))
    return jsonify(list_page(rows, args, lambda page: FrameworkPositionOut(many=True).dump(page)))


@blueprint.get("/framework-positions/<int:framework_position_id>")
@requires(Permission.POSITIONS_VIEW)
@documented(
    Operation(
        summary="One catalogue position with its default tasks and required levels (each with "
        "the competency's wording in force today)",
        response=FrameworkPositionDetailOut(),
        errors=(403, 404),
        tags=("catalogue",),
    )
)
def show_framework_position(framework_position_id: int) -> ResponseReturnValue:
    position: FrameworkPosition = authorize(
        queries.framework_position(framework_position_id), visible=True
    )
    current = queries.versions_in_force(today())
    codes = queries.competencies_by_id(r.competency_id for r in position.requirements)
    body: dict[str, Any] = FrameworkPositionDetailOut().dump(position)
    body["requirements"] = sorted(
        (
            {
                "competency_id": r.competency_id,
                "competency_code": codes[r.competency_id].code,
                "level": r.level,
                "version_in_force": (
                    {"id": v.id, "number": v.number, "name": v.name}
                    if (v := current.get(r.competency_id)) is not None
                    else None
                ),
            }
            for r in position.requirements
        ),
        key=lambda item: (
            queries.FAMILY_ORDER.index(codes[item["competency_id"]].family),
            codes[item["competency_id"]].ordinal,
            item["competency_code"],
        ),
    )
    return jsonify(body)


# Position plans and unit positions --------------------------------------------------------------


def _plan_body(plan: PositionPlan, *, detail: bool = False) -> dict[str, Any]:
    unit = queries.unit_row(plan.unit_id)
    body: dict[str, Any] = PositionPlanOut().dump(plan)
    body["unit_name"] = unit.name if unit else None
    if detail:
        body["positions"] = UnitPositionSummaryOut(many=True).dump(queries.plan_positions(plan.id))
    return body


def _position_body(position_id: int) -> dict[str, Any]:
    position = queries.full_position(position_id)
    assert position is not None
    body: dict[str, Any] = UnitPositionOut().dump(position)
    return body


@blueprint.get("/plans")
@requires(Permission.POSITIONS_VIEW)
@documented(
    Operation(
        summary="Position plans of the units in scope, by unit and newest version first",
        query=PlanListQuery(),
        response=PositionPlanOut(),
        paged=True,
        errors=(403,),
        tags=("position plans",),
    )
)
def list_plans() -> ResponseReturnValue:
    args = query_args(PlanListQuery())
    page = queries.list_plans(current_user, args)
    body = page_body(page, PositionPlanOut())
    units = queries.unit_rows(plan.unit_id for plan in page.items)
    for item in body["items"]:
        item["unit_name"] = units[item["unit_id"]].name
    return jsonify(body)


@blueprint.get("/plans/<int:plan_id>")
@requires(Permission.POSITIONS_VIEW)
@documented(
    Operation(
        summary="One version of a unit's position plan with its positions and headcounts",
        response=PositionPlanDetailOut(),
        errors=(403, 404),
        tags=("position plans",),
    )
)
def show_plan(plan_id: int) -> ResponseReturnValue:
    return jsonify(_plan_body(queries.get_plan_for(current_user, plan_id), detail=True))


@blueprint.post("/plans")
@requires(Permission.POSITIONS_DRAFT)
@documented(
    Operation(
        summary="Start a draft plan for a unit (a copy of its approved plan, when it has one)",
        body=PlanCreate(),
        response=PositionPlanDetailOut(),
        status=201,
        errors=(403,),
        tags=("position plans",),
    )
)
def create_plan() -> ResponseReturnValue:
    data = json_body(PlanCreate())
    plan = services.create_plan(current_user, data["unit_id"], data)
    response = jsonify(_plan_body(plan, detail=True))
    response.status_code = 201
    response.headers["Location"] = url_for("positions_api.show_plan", plan_id=plan.id)
    return response


@blueprint.get("/positions")
@requires(Permission.POSITIONS_VIEW)
@documented(
    Operation(
        summary="Unit positions in scope: by default those of the approved plans in force "
        "today; plan_id names one plan version",
        query=UnitPositionListQuery(),
        response=UnitPositionSummaryOut(),
        paged=True,
        errors=(403,),
        tags=("position plans",),
    )
)
def list_positions() -> ResponseReturnValue:
    args = query_args(UnitPositionListQuery())
    return jsonify(page_body(queries.list_positions(current_user, args), UnitPositionSummaryOut()))


@blueprint.get("/positions/<int:position_id>")
@requires(Permission.POSITIONS_VIEW)
@documented(
    Operation(
        summary="One unit position with its job description, tasks and outputs, competency "
        "requirements and rank-ratio limits",
        response=UnitPositionOut(),
        errors=(403, 404),
        tags=("position plans",),
    )
)
def show_position(position_id: int) -> ResponseReturnValue:
    position = queries.get_position_for(current_user, position_id)
    return jsonify(_position_body(position.id))


@blueprint.post("/plans/<int:plan_id>/positions")
@requires(Permission.POSITIONS_DRAFT)
@documented(
    Operation(
        summary="Add a position, with its job description and requirements, to a draft plan",
        body=UnitPositionCreate(),
        response=UnitPositionOut(),
        status=201,
        errors=(403, 404),
        tags=("position plans",),
    )
)
def add_position(plan_id: int) -> ResponseReturnValue:
    plan = queries.get_plan_for(current_user, plan_id, "draft")
    position = services.add_position(current_user, plan, json_body(UnitPositionCreate()))
    response = jsonify(_position_body(position.id))
    response.status_code = 201
    response.headers["Location"] = url_for("positions_api.show_position", position_id=position.id)
    return response


@blueprint.patch("/positions/<int:position_id>")
@requires(Permission.POSITIONS_DRAFT)
@documented(
    Operation(
        summary="Change some fields of a position of a draft plan (lists replace the stored "
        "ones as a whole); send the version you read",
        body=UnitPositionUpdate(),
        response=UnitPositionOut(),
        errors=(403, 404, 409),
        tags=("position plans",),
    )
)
def update_position(position_id: int) -> ResponseReturnValue:
    position = queries.get_position_for(current_user, position_id, "draft")
    services.update_position(current_user, position, json_body(position_patch()))
    return jsonify(_position_body(position.id))
