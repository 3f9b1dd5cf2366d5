"""JSON API of next raises, the raise list, early-raise candidates and draft raise batches
(conventions: hrms.core.api); the same loaders, schemas and services as the pages."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user

from hrms.core.api import Operation, documented, json_body, query_args
from hrms.core.dates import today
from hrms.core.security import Permission, requires
from hrms.salary import raise_services as services
from hrms.salary.api import blueprint
from hrms.salary.raise_schemas import (
    BatchActionInput,
    BatchInput,
    BatchOut,
    EarlyQuery,
    EarlyRaisesOut,
    PersonRaiseOut,
    RaiseListQuery,
    RaiseRowOut,
)


def _batch_body(batch: Any) -> dict[str, Any]:
    return dict(BatchOut().dump({"batch": batch, "lines": services.batch_lines(batch)}))


@blueprint.get("/raises")
@requires(Permission.SALARY_VIEW)
@documented(
    Operation(
        summary="People in scope (within the unit's subtree when given) whose next step raise "
        "or seniority allowance falls in the window (default: the next three months), "
        "earliest first, each with the lines that add up to the date",
        query=RaiseListQuery(),
        response=RaiseRowOut(),
        paged=True,
        errors=(403, 404, 422),
        tags=("salary",),
    )
)
def list_raises() -> ResponseReturnValue:
    args = query_args(RaiseListQuery())
    unit = (
        services.get_unit_for(current_user, args["unit_id"], Permission.SALARY_VIEW)
        if args["unit_id"] is not None
        else None
    )
    start, end = services.default_window(today())
    page = services.raise_page(
        current_user,
        unit,
        args["from_"] or start,
        args["to"] or end,
        args["page"],
        args["per_page"],
    )
    return jsonify(
        {
            "items": RaiseRowOut(many=True).dump(page.items),
            "total": page.total,
            "page": page.page,
            "per_page": page.per_page,
        }
    )


@blueprint.get("/raises/employees/<int:employee_id>")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary="A person's next raise and how its date is computed (raise is null while the "
        "ledger places them on no scale); people read their own, officers those in their scope",
        response=PersonRaiseOut(),
        errors=(404,),
        tags=("salary",),
    )
)
def employee_raise(employee_id: int) -> ResponseReturnValue:
    employee, _unit = services.get_person_for(current_user, employee_id)
    due = services.own_raise(employee)
    return jsonify(PersonRaiseOut().dump({"employee": employee, "due": due}))


@blueprint.get("/raises/early")
@requires(Permission.SALARY_VIEW)
@documented(
    Operation(
        summary="Candidates for an early raise for outstanding achievement in a year (default: "
        "this year) and the quota, staff and early raises already used of each agency",
        query=EarlyQuery(),
        response=EarlyRaisesOut(),
        errors=(403, 404, 422),
        tags=("salary",),
    )
)
def early_raises() -> ResponseReturnValue:
    args = query_args(EarlyQuery())
    unit = (
        services.get_unit_for(current_user, args["unit_id"], Permission.SALARY_VIEW)
        if args["unit_id"] is not None
        else None
    )
    found = services.early_raises(current_user, unit, args["year"] or today().year)
    return jsonify(EarlyRaisesOut().dump(found))


@blueprint.post("/raises/batches")
@requires(Permission.SALARY_RAISE)
@documented(
    Operation(
        summary="Draft one raise decision per chosen person, effective on their due date; "
        "refused as a whole (with a message per person) when one of them is not due",
        body=BatchInput(),
        response=BatchOut(),
        status=201,
        errors=(403, 404, 422),
        tags=("salary",),
    )
)
def create_batch() -> ResponseReturnValue:
    batch = services.create_batch(current_user, json_body(BatchInput()))
    return jsonify(_batch_body(batch)), 201


@blueprint.get("/raises/batches/<int:batch_id>")
@requires(Permission.SALARY_VIEW)
@documented(
    Operation(
        summary="A draft (or closed) raise batch and its rows",
        response=BatchOut(),
        errors=(403, 404),
        tags=("salary",),
    )
)
def show_batch(batch_id: int) -> ResponseReturnValue:
    batch, _unit = services.get_batch_for(current_user, batch_id)
    return jsonify(_batch_body(batch))


@blueprint.post("/raises/batches/<int:batch_id>/confirm")
@requires(Permission.SALARY_RAISE)
@documented(
    Operation(
        summary="Every row becomes a salary step decision in its person's ledger, or none "
        "does (422 with a message per refused row; 409 on a stale version)",
        body=BatchActionInput(),
        response=BatchOut(),
        errors=(403, 404, 409, 422),
        tags=("salary",),
    )
)
def confirm_batch(batch_id: int) -> ResponseReturnValue:
    batch, _unit = services.get_batch_for(current_user, batch_id, manage=True)
    data = json_body(BatchActionInput())
    services.confirm_batch(current_user, batch, data["version"])
    return jsonify(_batch_body(batch))


@blueprint.post("/raises/batches/<int:batch_id>/discard")
@requires(Permission.SALARY_RAISE)
@documented(
    Operation(
        summary="Discard a draft batch (nothing reaches the ledger)",
        body=BatchActionInput(),
        response=BatchOut(),
        errors=(403, 404, 409, 422),
        tags=("salary",),
    )
)
def discard_batch(batch_id: int) -> ResponseReturnValue:
    batch, _unit = services.get_batch_for(current_user, batch_id, manage=True)
    data = json_body(BatchActionInput())
    services.discard_batch(current_user, batch, data["version"])
    return jsonify(_batch_body(batch))
