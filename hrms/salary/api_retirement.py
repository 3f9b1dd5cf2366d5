"""The retirement list and one's own retirement date in the JSON API: the same scope, filter
and computation as the pages."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user

from hrms.core.api import Operation, documented, list_page, query_args
from hrms.core.dates import today
from hrms.core.security import Permission, requires
from hrms.salary import retirement_queries
from hrms.salary.api import blueprint
from hrms.salary.retirement_schemas import (
    RetirementLineOut,
    RetirementQuery,
    dump_lines,
    list_meta,
)


@blueprint.get("/retirements")
@requires(Permission.SALARY_VIEW)
@documented(
    Operation(
        summary=(
            "People in service in the caller's scope (or a unit's subtree within it) whose "
            "retirement date falls in the next ``months`` (default 12) from ``as_of`` (default "
            "today), soonest first: the age reached, retirement date, notice date (overdue "
            "flagged) and the early raise on retirement notice. Besides the list envelope, the "
            "answer gives the window: ``as_of``, ``until`` (inclusive), ``months``, ``unit_id``"
        ),
        query=RetirementQuery(),
        response=RetirementLineOut(),
        paged=True,
        errors=(403, 404, 422),
        tags=("salary",),
    )
)
def list_retirements() -> ResponseReturnValue:
    args = query_args(RetirementQuery())
    found = retirement_queries.retirement_list(
        current_user, args["months"], args["unit_id"], args["as_of"] or today()
    )
    return jsonify(list_page(found.lines, args, dump_lines) | list_meta(found))


@blueprint.get("/retirements/me")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary="The caller's own retirement date, notice date and early raise on notice "
        "(404 for an account without a dossier, or without a retirement age for their sex)",
        response=RetirementLineOut(),
        errors=(404,),
        tags=("salary",),
    )
)
def my_retirement() -> ResponseReturnValue:
    person = retirement_queries.person_retirement(retirement_queries.own_employee(current_user))
    line = retirement_queries.line_of(person, today())
    return jsonify(dump_lines([line])[0])
