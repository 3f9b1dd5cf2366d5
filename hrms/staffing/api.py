"""JSON API of placements, assessments and competency gaps: the same loaders, schemas and
services as the pages (conventions: hrms.core.api)."""

from __future__ import annotations

from flask import jsonify, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from hrms.core.api import (
    Operation,
    PageQuerySchema,
    api_blueprint,
    documented,
    json_body,
    list_page,
    query_args,
)
from hrms.core.dates import today
from hrms.core.security import Permission, authorize, requires
from hrms.staffing import queries, services
from hrms.staffing.models import AssessmentKind
from hrms.staffing.policies import can_assess_in
from hrms.staffing.schemas import (
    AssessmentInput,
    CompetencyAssessmentOut,
    EndPlacementInput,
    PersonGapsOut,
    PlacementInput,
    PlacementLineOut,
    StaffingPlacementOut,
    StaffingTableOut,
)

blueprint = api_blueprint("staffing_api", __name__)


@blueprint.get("/employees/<int:employee_id>/competency-gaps")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary="A person's required, assessed (unit head's and own) levels and gaps per "
        "competency of their main position, and the training needs; people read their own",
        response=PersonGapsOut(),
        errors=(404,),
        tags=("staffing",),
    )
)
def competency_gaps(employee_id: int) -> ResponseReturnValue:
    person = queries.get_person_for(current_user, employee_id)
    return jsonify(PersonGapsOut().dump(queries.person_gaps(person.employee)))


@blueprint.get("/units/<int:unit_id>/staffing")
@requires(Permission.POSITIONS_VIEW)
@documented(
    Operation(
        summary="The staffing table of a unit today: per position of the plan in force the "
        "headcount, placed, concurrent, vacant and over; rank mismatches, rank-ratio breaches, "
        "and the people not yet placed with suggested positions",
        response=StaffingTableOut(),
        errors=(403, 404),
        tags=("staffing",),
    )
)
def unit_staffing(unit_id: int) -> ResponseReturnValue:
    unit = queries.get_unit_for(current_user, unit_id)
    return jsonify(StaffingTableOut().dump(queries.staffing_table(unit, today())))


@blueprint.get("/employees/<int:employee_id>/placements")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary="A person's placements in positions, open ones first (main, then concurrent), "
        "then the ended ones, latest first; people read their own",
        query=PageQuerySchema(),
        response=PlacementLineOut(),
        paged=True,
        errors=(404,),
        tags=("staffing",),
    )
)
def list_placements(employee_id: int) -> ResponseReturnValue:
    person = queries.get_person_for(current_user, employee_id)
    args = query_args(PageQuerySchema())
    lines = queries.placements_of(person.employee.id)
    return jsonify(list_page(lines, args, lambda rows: PlacementLineOut(many=True).dump(rows)))


@blueprint.post("/employees/<int:employee_id>/placements")
@requires(Permission.POSITIONS_PLACE)
@documented(
    Operation(
        summary="Place a person in a position of their unit's approved plan in force (main or "
        "concurrent); writes a placement decision in their ledger",
        body=PlacementInput(),
        response=StaffingPlacementOut(),
        status=201,
        errors=(403, 404, 409),
        tags=("staffing",),
    )
)
def create_placement(employee_id: int) -> ResponseReturnValue:
    person = queries.get_person_for(current_user, employee_id, place=True)
    placement = services.place(current_user, person.employee, json_body(PlacementInput()))
    response = jsonify(StaffingPlacementOut().dump(placement))
    response.status_code = 201
    response.headers["Location"] = url_for(
        "staffing_api.list_placements", employee_id=person.employee.id
    )
    return response


@blueprint.post("/placements/<int:placement_id>/end")
@requires(Permission.POSITIONS_PLACE)
@documented(
    Operation(
        summary="End a concurrent placement with a decision (effective_on: the first day the "
        "person no longer holds the position)",
        body=EndPlacementInput(),
        response=StaffingPlacementOut(),
        errors=(403, 404),
        tags=("staffing",),
    )
)
def end_placement(placement_id: int) -> ResponseReturnValue:
    loaded = queries.get_placement_for(current_user, placement_id, end=True)
    data = json_body(EndPlacementInput())
    return jsonify(
        StaffingPlacementOut().dump(services.end_placement(current_user, loaded.placement, data))
    )


@blueprint.post("/employees/<int:employee_id>/assessments")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary="Record a competency level (1-5) against the version in force on the date: "
        "kind head (unit heads, for people of their units, never themselves) or self (the "
        "person themself)",
        body=AssessmentInput(),
        response=CompetencyAssessmentOut(),
        status=201,
        errors=(403, 404),
        tags=("staffing",),
    )
)
def create_assessment(employee_id: int) -> ResponseReturnValue:
    person = queries.get_person_for(current_user, employee_id)
    data = json_body(AssessmentInput())
    if data["kind"] == AssessmentKind.HEAD.value:
        # visible but not theirs to assess: 403 (assessing oneself is refused with a message)
        authorize(person, visible=True, allowed=can_assess_in(current_user, person.unit.path))
    else:
        authorize(person, visible=True, allowed=person.can_self_assess)
    assessment = services.assess(current_user, person.employee, data)
    response = jsonify(CompetencyAssessmentOut().dump(assessment))
    response.status_code = 201
    response.headers["Location"] = url_for(
        "staffing_api.competency_gaps", employee_id=person.employee.id
    )
    return response
