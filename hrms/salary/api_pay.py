"""A person's salary as of a date and their salary history in the JSON API (the same loader,
scope and computation as the page)."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_login import current_user

from hrms.core.api import Operation, PageQuerySchema, documented, list_page, query_args
from hrms.core.dates import today
from hrms.core.security import Permission, requires
from hrms.salary import pay, queries
from hrms.salary.api import blueprint
from hrms.salary.schemas import PayOnInput, PayPeriodOut, SalaryOut


@blueprint.get("/employees/<int:employee_id>/salary")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary=(
            "A person's rank, scale, step, coefficient, allowances and monthly salary on a "
            "day (``on``, default today): officers in scope, administrators, the person"
        ),
        query=PayOnInput(),
        response=SalaryOut(),
        errors=(404, 422),
        tags=("salary",),
    )
)
def employee_salary(employee_id: int) -> ResponseReturnValue:
    subject = queries.get_subject_for(current_user, employee_id)
    on = query_args(PayOnInput())["on"] or today()
    rules = queries.rule_book()
    found = pay.salary_on(queries.decisions_of(subject.employee.id), rules, on)
    return jsonify(SalaryOut().dump({"employee_id": employee_id, "on": on, "salary": found}))


@blueprint.get("/employees/<int:employee_id>/salary-history")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary=(
            "A person's salary history, oldest first: one row per span over which no figure "
            "changes (a decision or a new base salary starts a row)"
        ),
        query=PageQuerySchema(),
        response=PayPeriodOut(),
        paged=True,
        errors=(404, 422),
        tags=("salary",),
    )
)
def employee_salary_history(employee_id: int) -> ResponseReturnValue:
    subject = queries.get_subject_for(current_user, employee_id)
    args = query_args(PageQuerySchema())
    rules = queries.rule_book()
    periods = pay.salary_history(queries.decisions_of(subject.employee.id), rules)
    return jsonify(list_page(periods, args, lambda rows: PayPeriodOut(many=True).dump(rows)))
