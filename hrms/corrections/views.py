"""Correction request pages: ask (staff), decide (personnel officers), follow (both)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from hrms.attachments import queries as attachments
from hrms.core.forms import submit
from hrms.core.schemas import NoInput
from hrms.core.security import Permission, requires
from hrms.corrections import queries, services
from hrms.corrections.forms import DecisionForm, RequestForm, WithdrawForm
from hrms.corrections.schemas import DecisionInput, RequestInput
from hrms.employees.forms import FIELD_LABELS
from hrms.employees.models import ALL_FIELDS
from hrms.employees.queries import Dossier, get_dossier_for

blueprint = Blueprint("corrections", __name__, url_prefix="/corrections")


@blueprint.get("/")
@requires(Permission.EMPLOYEES_EDIT)
def list_requests() -> ResponseReturnValue:
    return render_template(
        "corrections/list.html", rows=queries.to_decide(current_user), labels=FIELD_LABELS
    )


def _own_dossier() -> Dossier:
    if current_user.employee_id is None:
        abort(404)
    return get_dossier_for(current_user, current_user.employee_id)


@blueprint.route("/new", methods=["GET", "POST"])
@requires(Permission.SIGNED_IN)
def create_request() -> ResponseReturnValue:
    dossier = _own_dossier()
    form = RequestForm()
    form.field.choices = [("", "—")] + [(name, str(FIELD_LABELS[name])) for name in ALL_FIELDS]
    form.evidence_id.choices = [("", _("None"))] + [
        (str(document.id), f"{document.kind_label}: {document.original_name}")
        for document in attachments.of_dossier(dossier)
    ]
    request = submit(
        form,
        RequestInput(),
        lambda data: services.create_request(current_user, dossier.employee, data),
    )
    if request is not None:
        flash(_("Your request has been sent to the personnel officer."), "success")
        return redirect(url_for("corrections.my_requests"))
    return render_template(
        "corrections/new.html", form=form, employee=dossier.employee
    ), form.status


@blueprint.get("/mine")
@requires(Permission.SIGNED_IN)
def my_requests() -> ResponseReturnValue:
    dossier = _own_dossier()
    return render_template(
        "corrections/mine.html",
        requests=queries.of_employee(dossier.employee.id),
        labels=FIELD_LABELS,
        withdraw_form=WithdrawForm(formdata=None),
    )


def _decision_form(version: int) -> DecisionForm:
    form = DecisionForm(formdata=None, version=version)
    form.outcome.choices = [("approve", _("Approve and apply")), ("reject", _("Reject"))]
    return form


@blueprint.get("/<int:request_id>")
@requires(Permission.SIGNED_IN)
def show_request(request_id: int) -> ResponseReturnValue:
    loaded = queries.get_for(current_user, request_id)
    return render_template(
        "corrections/show.html",
        loaded=loaded,
        labels=FIELD_LABELS,
        form=_decision_form(loaded.request.version),
        evidence=queries.evidence_of(loaded),
    )


@blueprint.post("/<int:request_id>/decide")
@requires(Permission.EMPLOYEES_EDIT)
def decide(request_id: int) -> ResponseReturnValue:
    loaded = queries.get_for(current_user, request_id, decide=True)
    form = DecisionForm()
    form.outcome.choices = [("approve", _("Approve and apply")), ("reject", _("Reject"))]
    if submit(form, DecisionInput(), lambda data: services.decide(current_user, loaded, data)):
        flash(_("Decision recorded; the person can see it."), "success")
        return redirect(url_for("corrections.list_requests"))
    loaded = queries.get_for(current_user, request_id, decide=True)
    return (
        render_template(
            "corrections/show.html",
            loaded=loaded,
            labels=FIELD_LABELS,
            form=form,
            evidence=queries.evidence_of(loaded),
        ),
        form.status,
    )


@blueprint.post("/<int:request_id>/withdraw")
@requires(Permission.SIGNED_IN)
def withdraw(request_id: int) -> ResponseReturnValue:
    loaded = queries.get_for(current_user, request_id)
    form = WithdrawForm()
    if submit(form, NoInput(), lambda _data: services.withdraw(current_user, loaded.request)):
        flash(_("Request withdrawn."), "success")
    else:
        for message in form.form_errors:
            flash(str(message), "danger")
        return redirect(url_for("corrections.my_requests")), 303
    return redirect(url_for("corrections.my_requests"))
