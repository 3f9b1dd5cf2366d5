"""Code list administration pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from hrms.codes import queries, services
from hrms.codes.forms import CodeEntryCreateForm, CodeEntryUpdateForm
from hrms.codes.models import CodeEntry, CodeList
from hrms.codes.schemas import CodeEntryCreateSchema, CodeEntryUpdateSchema
from hrms.core.forms import submit
from hrms.core.security import Permission, requires

blueprint = Blueprint("codes", __name__, url_prefix="/codes")


@blueprint.url_defaults
def _keep_list_name(endpoint: str, values: dict[str, Any]) -> None:
    """Links built on a list's page stay in that list (the shared pagination passes page only)."""
    current = (request.view_args or {}).get("list_name")
    if (
        current is not None
        and "list_name" not in values
        and current_app.url_map.is_endpoint_expecting(endpoint, "list_name")
    ):
        values["list_name"] = current


@blueprint.get("/")
@requires(Permission.CODES_MANAGE)
def list_lists() -> ResponseReturnValue:
    return render_template("codes/lists.html", summaries=queries.list_summaries_for(current_user))


def _parent_choices(code_list: CodeList, *, blank: str) -> list[tuple[str, str]]:
    if code_list.parent is None:
        return []
    return [("", blank)] + [
        (code, f"{label} ({code})") for code, label in queries.choices(code_list.parent.value)
    ]


def _list_page(code_list: CodeList, form: CodeEntryCreateForm) -> ResponseReturnValue:
    include_inactive = request.args.get("inactive", "1") != "0"
    parent_code = request.args.get("parent", "") or None
    page = queries.search_entries_for(
        current_user,
        code_list,
        q=request.args.get("q", ""),
        include_inactive=include_inactive,
        parent_code=parent_code,
        page=request.args.get("page", 1, type=int),
    )
    parent_labels = (
        queries.labels(code_list.parent.value, (entry.parent_code for entry in page.items))
        if code_list.parent is not None
        else {}
    )
    form.parent_code.choices = _parent_choices(code_list, blank=_("— choose —"))
    return (
        render_template(
            "codes/list.html",
            code_list=code_list,
            page=page,
            parent_labels=parent_labels,
            parent_filter=_parent_choices(code_list, blank=_("All")),
            include_inactive=include_inactive,
            form=form,
        ),
        form.status,
    )


@blueprint.get("/<list_name>")
@requires(Permission.CODES_MANAGE)
def show_list(list_name: str) -> ResponseReturnValue:
    return _list_page(queries.code_list_or_404(list_name), CodeEntryCreateForm(formdata=None))


@blueprint.post("/<list_name>")
@requires(Permission.CODES_MANAGE)
def create_entry(list_name: str) -> ResponseReturnValue:
    code_list = queries.code_list_or_404(list_name)
    form = CodeEntryCreateForm()
    entry = submit(
        form,
        CodeEntryCreateSchema(),
        lambda data: services.create_entry(current_user, code_list, data),
    )
    if entry is not None:
        flash(_("Code %(code)s added.", code=entry.code), "success")
        return redirect(url_for("codes.show_list", list_name=code_list.value, q=entry.code))
    return _list_page(code_list, form)


def _entry_page(entry: CodeEntry, form: CodeEntryUpdateForm) -> ResponseReturnValue:
    code_list = entry.code_list
    parent_label = (
        queries.label_of(code_list.parent.value, entry.parent_code) if code_list.parent else None
    )
    return (
        render_template(
            "codes/show.html",
            code_list=code_list,
            entry=entry,
            parent_label=parent_label,
            form=form,
        ),
        form.status,
    )


@blueprint.get("/<list_name>/<int:entry_id>")
@requires(Permission.CODES_MANAGE)
def show_entry(list_name: str, entry_id: int) -> ResponseReturnValue:
    code_list = queries.code_list_or_404(list_name)
    entry = queries.get_entry_for(current_user, code_list, entry_id)
    return _entry_page(entry, CodeEntryUpdateForm(formdata=None, obj=entry))


@blueprint.post("/<list_name>/<int:entry_id>")
@requires(Permission.CODES_MANAGE)
def update_entry(list_name: str, entry_id: int) -> ResponseReturnValue:
    code_list = queries.code_list_or_404(list_name)
    entry = queries.get_entry_for(current_user, code_list, entry_id)
    form = CodeEntryUpdateForm()
    if submit(
        form, CodeEntryUpdateSchema(), lambda data: services.update_entry(current_user, entry, data)
    ):
        flash(_("Entry %(code)s saved.", code=entry.code), "success")
        return redirect(url_for("codes.show_list", list_name=code_list.value, q=entry.code))
    return _entry_page(entry, form)
