"""The salary rule data in the JSON API (read; administrators change it on the pages)."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from hrms.core.api import Operation, documented
from hrms.core.security import Permission, requires
from hrms.salary import queries
from hrms.salary.api import blueprint
from hrms.salary.schemas import RulesOut


@blueprint.get("/salary-rules")
@requires(Permission.SALARY_RULES)
@documented(
    Operation(
        summary=(
            "Every version of every table of the salary rule data: scales and their steps, "
            "ranks, base salaries, position allowances, pay rules, retirement ages"
        ),
        response=RulesOut(),
        errors=(403,),
        tags=("salary",),
    )
)
def salary_rules() -> ResponseReturnValue:
    return jsonify(
        RulesOut().dump(
            {
                "scales": queries.scales(),
                "ranks": queries.ranks(),
                "base_salaries": queries.base_salaries(),
                "position_allowances": queries.allowances(),
                "pay_rules": queries.pay_rules(),
                "retirement_ages": queries.retirement_ages(),
            }
        )
    )
