"""Staffing pages: placement, staffing tables, competency assessments and gaps."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

import hrms.staffing.models  # noqa: F401  (the tables are known to the app and its migrations)
from hrms.core.dates import format_date, today
from hrms.core.forms import submit
from hrms.core.links import links
from hrms.core.security import Permission, requires
from hrms.staffing import queries, services
from hrms.staffing.forms import AssessmentForm, EndPlacementForm, PlacementForm
from hrms.staffing.models import ASSESSMENT_KIND_LABELS, AssessmentKind
from hrms.staffing.policies import can_place, can_view_staffing
from hrms.staffing.schemas import AssessmentInput, EndPlacementInput, PlacementInput

blueprint = Blueprint("staffing", __name__, url_prefix="/staffing")


@blueprint.get("/")
@requires(Permission.POSITIONS_VIEW)
def index() -> ResponseReturnValue:
    """The units in the actor's scope, with their plan in force and who is still unplaced."""
    return render_template(
        "staffing/index.html", lines=queries.units_overview(current_user, today())
    )


@blueprint.get("/units/<int:unit_id>")
@requires(Permission.POSITIONS_VIEW)
def unit_table(unit_id: int) -> ResponseReturnValue:
    unit = queries.get_unit_for(current_user, unit_id)
    return render_template(
        "staffing/unit.html",
        table=queries.staffing_table(unit, today()),
        can_place=can_place(current_user, unit.path),
    )


@blueprint.get("/units/<int:unit_id>/gaps")
@requires(Permission.POSITIONS_VIEW)
def unit_gaps(unit_id: int) -> ResponseReturnValue:
    unit = queries.get_unit_for(current_user, unit_id)
    gaps = queries.unit_gaps(unit)
    return render_template(
        "staffing/gaps.html",
        gaps=gaps,
        # every row links the person's page
        person_links=links(
            "staffing.person_competencies",
            "employee_id",
            (person.id for person, _position, _cells in gaps.people),
        ),
    )


def _assessment_form(offered: list[queries.Offered], kind: AssessmentKind) -> AssessmentForm:
    form = AssessmentForm(formdata=None if request.method == "GET" else request.form)
    form.kind.data = kind.value
    form.competency_id.choices = [("", "—")] + [
        (
            str(o.competency.id),
            f"{o.competency.code} — {o.version.name}"
            + (f" ({_('required level %(level)s', level=o.required)})" if o.required else ""),
        )
        for o in offered
    ]
    if request.method == "GET":
        form.assessed_on.data = format_date(today())
    return form


def _render_person(
    person: queries.Person, failed: AssessmentForm | None = None, kind: AssessmentKind | None = None
) -> ResponseReturnValue:
    """The person's positions, requirements, assessments and gaps, with the assessment form
    the actor may use (a refused one shown again with its messages)."""
    gaps = queries.person_gaps(person.employee)
    offered = queries.assessable(
        today(), {row.competency.id: row.required or 0 for row in gaps.rows}
    )
    forms: dict[str, Any] = {}
    if person.can_assess:
        forms["head"] = _assessment_form(offered, AssessmentKind.HEAD)
    if person.can_self_assess:
        forms["self"] = _assessment_form(offered, AssessmentKind.SELF)
    if failed is not None and kind is not None:
        # a refused form comes back with its messages (even one the actor may not use again,
        # such as a head's assessment of their own dossier)
        forms[kind.value] = failed
    return (
        render_template(
            "staffing/person.html",
            person=person,
            gaps=gaps,
            placements=queries.placements_of(person.employee.id),
            history=queries.assessment_history(person.employee.id),
            forms=forms,
            kind_labels=ASSESSMENT_KIND_LABELS,
            heat_class=queries.heat_class,
            can_view_unit=can_view_staffing(current_user, person.unit.path),
        ),
        failed.status if failed is not None else 200,
    )


@blueprint.get("/employees/<int:employee_id>")
@requires(Permission.SIGNED_IN)
def person_competencies(employee_id: int) -> ResponseReturnValue:
    return _render_person(queries.get_person_for(current_user, employee_id))


def _own_person() -> queries.Person:
    if current_user.employee_id is None:
        abort(404)
    return queries.get_person_for(current_user, current_user.employee_id)


@blueprint.get("/me")
@requires(Permission.SIGNED_IN)
def my_competencies() -> ResponseReturnValue:
    """My position, its requirements, my assessments and gaps, and my self-assessment."""
    return _render_person(_own_person())


def _record(person: queries.Person, kind: AssessmentKind, done: str) -> ResponseReturnValue:
    gaps = queries.person_gaps(person.employee)
    offered = queries.assessable(
        today(), {row.competency.id: row.required or 0 for row in gaps.rows}
    )
    form = _assessment_form(offered, kind)
    saved = submit(
        form,
        AssessmentInput(),
        lambda data: services.assess(current_user, person.employee, data | {"kind": kind.value}),
    )
    if saved is not None:
        flash(done, "success")
        if kind is AssessmentKind.SELF:
            return redirect(url_for("staffing.my_competencies"))
        return redirect(url_for("staffing.person_competencies", employee_id=person.employee.id))
    return _render_person(
        queries.get_person_for(current_user, person.employee.id), failed=form, kind=kind
    )


@blueprint.post("/employees/<int:employee_id>/assessments")
@requires(Permission.COMPETENCIES_ASSESS)
def assess(employee_id: int) -> ResponseReturnValue:
    person = queries.get_person_for(current_user, employee_id, assess=True)
    return _record(person, AssessmentKind.HEAD, _("Assessment recorded."))


@blueprint.post("/me/assessments")
@requires(Permission.SIGNED_IN)
def self_assess() -> ResponseReturnValue:
    return _record(_own_person(), AssessmentKind.SELF, _("Your self-assessment is recorded."))


@blueprint.route("/employees/<int:employee_id>/place", methods=["GET", "POST"])
@requires(Permission.POSITIONS_PLACE)
def place(employee_id: int) -> ResponseReturnValue:
    person = queries.get_person_for(current_user, employee_id, place=True)
    table = queries.staffing_table(person.unit, today())
    form = PlacementForm()
    if request.method == "GET":
        form.position_id.data = request.args.get("position_id", "")
        form.main.data = "true"
        form.version.data = str(person.employee.version)
    form.position_id.choices = [("", "—")] + [
        (
            str(row.position.id),
            f"{row.position.code} — {row.position.name} · "
            + _(
                "%(placed)s placed of %(headcount)s",
                placed=row.placed,
                headcount=row.position.headcount,
            ),
        )
        for row in table.rows
    ]
    placement = submit(
        form, PlacementInput(), lambda data: services.place(current_user, person.employee, data)
    )
    if placement is not None:
        flash(_("%(name)s is placed.", name=person.employee.full_name), "success")
        row = next(
            (r for r in table.rows if queries.lineage_of(r.position) == placement.lineage_id),
            None,
        )
        if row is not None and placement.main and row.placed + 1 > row.position.headcount:
            flash(
                _(
                    "%(code)s is now over its approved headcount (%(headcount)s): the staffing "
                    "table shows it as over.",
                    code=row.position.code,
                    headcount=row.position.headcount,
                ),
                "warning",
            )
        return redirect(url_for("staffing.person_competencies", employee_id=person.employee.id))
    return (
        render_template(
            "staffing/place.html",
            person=person,
            table=table,
            form=form,
            suggestions=queries.suggestions_for(table, person.employee),
            placements=queries.placements_of(person.employee.id),
        ),
        form.status,
    )


@blueprint.route("/placements/<int:placement_id>/end", methods=["GET", "POST"])
@requires(Permission.POSITIONS_PLACE)
def end_placement(placement_id: int) -> ResponseReturnValue:
    loaded = queries.get_placement_for(current_user, placement_id, end=True)
    form = EndPlacementForm()
    ended = submit(
        form,
        EndPlacementInput(),
        lambda data: services.end_placement(current_user, loaded.placement, data),
    )
    if ended is not None:
        flash(_("The concurrent placement is ended."), "success")
        return redirect(url_for("staffing.person_competencies", employee_id=loaded.employee.id))
    return render_template("staffing/end.html", loaded=loaded, form=form), form.status
