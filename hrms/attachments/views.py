"""A dossier's documents: list, upload, download through the access check, withdraw."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from hrms.attachments import queries, services
from hrms.attachments.forms import ConfirmForm, UploadForm
from hrms.attachments.models import KIND_LABELS
from hrms.attachments.policies import can_add, can_withdraw
from hrms.attachments.schemas import UploadInput
from hrms.core.forms import submit
from hrms.core.schemas import NoInput
from hrms.core.security import Permission, requires
from hrms.core.storage import read_checked
from hrms.employees.queries import Dossier, get_dossier_for, photos_of

blueprint = Blueprint("attachments", __name__, url_prefix="/employees/<int:employee_id>/files")


def _page(dossier: Dossier, form: UploadForm | None = None) -> ResponseReturnValue:
    form = form or UploadForm(formdata=None)
    form.kind.choices = [(k.value, str(v)) for k, v in KIND_LABELS.items()]
    return (
        render_template(
            "attachments/list.html",
            dossier=dossier,
            employee=dossier.employee,
            files=queries.of_dossier(dossier),
            form=form,
            can_add=can_add(dossier),
            can_withdraw=can_withdraw(dossier),
            confirm_form=ConfirmForm(formdata=None),
        ),
        form.status,
    )


@blueprint.get("/")
@requires(Permission.SIGNED_IN)
def list_files(employee_id: int) -> ResponseReturnValue:
    return _page(get_dossier_for(current_user, employee_id))


@blueprint.post("/")
@requires(Permission.SIGNED_IN)
def upload(employee_id: int) -> ResponseReturnValue:
    dossier = get_dossier_for(current_user, employee_id)
    if not can_add(dossier):
        abort(403)
    form = UploadForm()
    form.kind.choices = [(k.value, str(v)) for k, v in KIND_LABELS.items()]
    upload_file = request.files.get("file")
    saved = submit(
        form,
        UploadInput(),
        lambda data: services.store(
            current_user,
            dossier,
            data,
            upload_file.stream if upload_file else None,
            upload_file.filename or "" if upload_file else "",
        ),
    )
    if saved is not None:
        flash(_("Document %(name)s filed.", name=saved.original_name), "success")
        return redirect(url_for("attachments.list_files", employee_id=employee_id))
    return _page(get_dossier_for(current_user, employee_id), form)


@blueprint.get("/<int:attachment_id>")
@requires(Permission.SIGNED_IN)
def download(employee_id: int, attachment_id: int) -> ResponseReturnValue:
    _dossier, attachment = queries.get_for(current_user, employee_id, attachment_id)
    try:
        content = services.read(attachment)
    except OSError:
        current_app.logger.exception("Attachment %s cannot be read", attachment.id)
        abort(500)
    response = current_app.response_class(content, mimetype=attachment.content_type)
    response.headers.set("Content-Disposition", "attachment", filename=attachment.original_name)
    return response


@blueprint.get("/photo")
@requires(Permission.SIGNED_IN)
def photo(employee_id: int) -> ResponseReturnValue:
    """The dossier's current 4×6 photo, shown in the page (inline, never cached by proxies)."""
    dossier = get_dossier_for(current_user, employee_id)
    found = photos_of([dossier.employee.id]).get(dossier.employee.id)
    if found is None:
        abort(404)
    try:
        content = read_checked(found.stored_name, found.sha256)
    except OSError:
        current_app.logger.exception("Photo %s cannot be read", found.attachment_id)
        abort(404)
    response = current_app.response_class(content, mimetype=found.content_type)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.post("/<int:attachment_id>/withdraw")
@requires(Permission.EMPLOYEES_EDIT)
def withdraw(employee_id: int, attachment_id: int) -> ResponseReturnValue:
    dossier, attachment = queries.get_for(current_user, employee_id, attachment_id)
    if not can_withdraw(dossier):
        abort(403)
    submit(ConfirmForm(), NoInput(), lambda _data: services.withdraw(dossier, attachment))
    flash(_("Document withdrawn from the dossier (it is kept in the archive)."), "success")
    return redirect(url_for("attachments.list_files", employee_id=employee_id))
