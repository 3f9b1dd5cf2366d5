"""The statistics in the JSON API: the same scope, filter and numbers as the dashboard."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user

from hrms.core.api import Operation, api_blueprint, documented, query_args
from hrms.core.dates import today
from hrms.core.security import Permission, requires
from hrms.reports import queries
from hrms.reports.schemas import StatisticsOut, StatisticsQuery, dump_statistics

blueprint = api_blueprint("reports_api", __name__, "/statistics")


@blueprint.get("")
@requires(Permission.REPORTS_VIEW)
@documented(
    Operation(
        summary=(
            "Headcount of the working staff in the caller's scope (or a unit's subtree within "
            "it) by kind, rank, education, political theory, age band, sex, ethnicity, Party "
            "membership and unit, and the ratings of the last review period and year"
        ),
        query=StatisticsQuery(),
        response=StatisticsOut(),
        errors=(403, 404, 422),
        tags=("statistics",),
    )
)
def statistics() -> ResponseReturnValue:
    args = query_args(StatisticsQuery())
    stats = queries.statistics(current_user, args["unit_id"], args["as_of"] or today())
    return jsonify(dump_statistics(stats))
