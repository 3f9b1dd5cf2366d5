"""Units in the JSON API: the same scope and loader as the pages."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user

from hrms.core.api import Operation, api_blueprint, documented, list_page, query_args
from hrms.core.security import Permission, requires
from hrms.org import queries
from hrms.org.schemas import UnitDetailOut, UnitListQuery, UnitOut, UnitVersionOut

blueprint = api_blueprint("units_api", __name__, "/units")


@blueprint.get("")
@requires(Permission.ORG_VIEW)
@documented(
    Operation(
        summary="Units in the caller's scope, in tree order",
        query=UnitListQuery(),
        response=UnitOut(),
        paged=True,
        errors=(403,),
        tags=("units",),
    )
)
def list_units() -> ResponseReturnValue:
    args = query_args(UnitListQuery())
    # tree order needs the whole scope (a few thousand units at most), so the page is cut here
    units = queries.list_units(current_user, include_closed=args["include_closed"], q=args["q"])
    return jsonify(list_page(units, args, UnitOut(many=True).dump))


@blueprint.get("/<int:unit_id>")
@requires(Permission.ORG_VIEW)
@documented(
    Operation(
        summary="One unit with the history of its names and parents",
        response=UnitDetailOut(),
        errors=(403, 404),
        tags=("units",),
    )
)
def show_unit(unit_id: int) -> ResponseReturnValue:
    unit = queries.get_unit_for(current_user, unit_id)
    body = UnitOut().dump(unit)
    body["history"] = UnitVersionOut(many=True).dump(queries.history_of(unit))
    return jsonify(body)
