"""Organisation tree pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from hrms.core.forms import Form, submit
from hrms.core.security import Permission, requires
from hrms.org import queries, services
from hrms.org.forms import UnitCloseForm, UnitCreateForm, UnitMoveForm, UnitRenameForm
from hrms.org.models import Unit, UnitKind
from hrms.org.policies import can_manage_units
from hrms.org.schemas import UnitCloseSchema, UnitCreateSchema, UnitMoveSchema, UnitRenameSchema

blueprint = Blueprint("org", __name__, url_prefix="/units")


def _parent_choices(exclude: Unit | None = None, *, allow_root: bool) -> list[tuple[str, str]]:
    units = queries.open_units_for_parent_choice(current_user, exclude=exclude)
    choices = [(str(u.id), f"{'· ' * u.depth}{u.name} ({u.code})") for u in units]
    return ([("", _("— none (top-level unit) —"))] if allow_root else []) + choices


@blueprint.get("/")
@requires(Permission.ORG_VIEW)
def list_units() -> ResponseReturnValue:
    include_closed = request.args.get("closed") == "1"
    units = queries.list_units(
        current_user, include_closed=include_closed, q=request.args.get("q", "")
    )
    return render_template(
        "org/list.html",
        units=units,
        include_closed=include_closed,
        can_manage=can_manage_units(current_user),
    )


@blueprint.route("/new", methods=["GET", "POST"])
@requires(Permission.ORG_MANAGE)
def create_unit() -> ResponseReturnValue:
    form = UnitCreateForm(parent_id=request.args.get("parent_id", ""))
    form.kind.choices = [(kind.value, kind.label) for kind in UnitKind]
    form.parent_id.choices = _parent_choices(allow_root=True)
    unit = submit(form, UnitCreateSchema(), lambda data: services.create_unit(current_user, data))
    if unit is not None:
        flash(_("Unit %(name)s created.", name=unit.name), "success")
        return redirect(url_for("org.show_unit", unit_id=unit.id))
    return render_template("org/create.html", form=form), form.status


def _unit_page(unit: Unit, failed: Form | None = None) -> ResponseReturnValue:
    forms: dict[str, Any] = {}
    if can_manage_units(current_user) and unit.is_open:
        forms = {
            "rename_form": UnitRenameForm(formdata=None, version=unit.version),
            "move_form": UnitMoveForm(formdata=None, version=unit.version),
            "close_form": UnitCloseForm(formdata=None, version=unit.version),
        }
        for name, form in forms.items():
            if failed is not None and type(form) is type(failed):
                forms[name] = failed
        forms["move_form"].parent_id.choices = _parent_choices(unit, allow_root=False)
    return (
        render_template(
            "org/show.html",
            unit=unit,
            ancestors=queries.ancestors_of(unit),
            children=queries.children_of(unit),
            history=queries.history_of(unit),
            **forms,
        ),
        failed.status if failed is not None else 200,
    )


@blueprint.get("/<int:unit_id>")
@requires(Permission.ORG_VIEW)
def show_unit(unit_id: int) -> ResponseReturnValue:
    return _unit_page(queries.get_unit_for(current_user, unit_id))


def _change_unit(
    unit_id: int, form: Form, schema: Any, action: Any, done: str
) -> ResponseReturnValue:
    unit = queries.get_unit_for(current_user, unit_id, manage=True)
    if submit(form, schema, lambda data: action(current_user, unit, data)):
        flash(done, "success")
        return redirect(url_for("org.show_unit", unit_id=unit.id))
    return _unit_page(unit, failed=form)


@blueprint.post("/<int:unit_id>/rename")
@requires(Permission.ORG_MANAGE)
def rename_unit(unit_id: int) -> ResponseReturnValue:
    return _change_unit(
        unit_id, UnitRenameForm(), UnitRenameSchema(), services.rename_unit, _("Unit renamed.")
    )


@blueprint.post("/<int:unit_id>/move")
@requires(Permission.ORG_MANAGE)
def move_unit(unit_id: int) -> ResponseReturnValue:
    return _change_unit(
        unit_id, UnitMoveForm(), UnitMoveSchema(), services.move_unit, _("Unit moved.")
    )


@blueprint.post("/<int:unit_id>/close")
@requires(Permission.ORG_MANAGE)
def close_unit(unit_id: int) -> ResponseReturnValue:
    return _change_unit(
        unit_id, UnitCloseForm(), UnitCloseSchema(), services.close_unit, _("Unit closed.")
    )
