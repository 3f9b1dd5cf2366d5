"""A person's salary page: the salary as of a chosen date and the salary history."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from hrms.core.dates import today
from hrms.core.errors import ValidationFailed
from hrms.core.schemas import load
from hrms.core.security import Permission, requires
from hrms.salary import pay, queries
from hrms.salary.forms import PayOnForm
from hrms.salary.schemas import PayOnInput
from hrms.salary.views import blueprint


@blueprint.get("/people/<int:employee_id>")
@requires(Permission.SIGNED_IN)
def person_salary(employee_id: int) -> ResponseReturnValue:
    """Officers in scope and administrators; the person themself (404 for anyone else)."""
    subject = queries.get_subject_for(current_user, employee_id)
    form = PayOnForm(request.args)
    try:
        on = load(PayOnInput(), request.args.to_dict())["on"] or today()
        status = 200
    except ValidationFailed as failure:
        form.on.errors = failure.errors.get("on", [])
        on, status = today(), 422
    decisions = queries.decisions_of(subject.employee.id)
    rules = queries.rule_book()
    return render_template(
        "salary/pay_person.html",
        subject=subject,
        form=form,
        on=on,
        pay=pay.salary_on(decisions, rules, on),
        history=list(reversed(pay.salary_history(decisions, rules))),
    ), status


@blueprint.get("/mine")
@requires(Permission.SIGNED_IN)
def my_salary() -> ResponseReturnValue:
    if current_user.employee_id is None:
        abort(404)
    return redirect(url_for("salary.person_salary", employee_id=current_user.employee_id))
