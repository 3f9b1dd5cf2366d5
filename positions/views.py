"""Pages of the competency dictionary, the framework catalogue and the units' position plans."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

import positions.models  # noqa: F401  (the tables are known to the app and its migrations)
from hrms.core.dates import format_date, today
from hrms.core.errors import FORM, DomainError, ValidationFailed
from hrms.core.forms import submit
from hrms.core.pdf import pdf_response
from hrms.core.schemas import NoInput, load
from hrms.core.security import Permission, authorize, has_permission, requires
from hrms.extensions import db
from hrms.settings import current_settings
from positions import exchange, pdf, plan_exchange, queries, services
from positions.forms import (
    ActiveForm,
    CatalogueImportForm,
    CataloguePositionForm,
    CompetencyForm,
    CompetencyVersionForm,
    FrameworkPositionForm,
    PlanApproveForm,
    PlanCreateForm,
    PlanNoteForm,
    PlanReturnForm,
    PlanSubmitForm,
    PositionForm,
    PositionRemoveForm,
    submit_rows,
)
from positions.models import (
    FAMILY_LABELS,
    GROUP_LABELS,
    PLAN_STATE_LABELS,
    Competency,
    CompetencyFamily,
    CompetencyVersion,
    FrameworkPosition,
    PlanState,
    PositionGroup,
    PositionPlan,
    UnitPosition,
)
from positions.policies import can_approve_plan, can_draft_plan, can_manage_dictionary
from positions.schemas import (
    ActiveInput,
    CataloguePositionAdd,
    CompetencyCreate,
    CompetencyVersionCreate,
    FrameworkPositionInput,
    FrameworkPositionListQuery,
    PlanApprove,
    PlanCreate,
    PlanListQuery,
    PlanNote,
    PlanReturn,
    PlanSubmit,
    UnitPositionCreate,
    UnitPositionUpdate,
)
from positions.services import OCCUPANCY

blueprint = Blueprint("positions", __name__, url_prefix="/positions")


# Competency dictionary --------------------------------------------------------------------------


def _competency_for(competency_id: int, *, manage: bool = False) -> Competency:
    """Every signed-in user may read the dictionary; changing it is for its managers."""
    return authorize(
        queries.competency(competency_id),
        visible=True,
        allowed=not manage or can_manage_dictionary(current_user),
    )


def _family_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(family.value, str(FAMILY_LABELS[family])) for family in CompetencyFamily]


@blueprint.get("/competencies/")
@requires(Permission.SIGNED_IN)
def competencies() -> ResponseReturnValue:
    """The dictionary by family: the wording in force today and the number of versions."""
    on = today()
    rows = queries.competency_rows(on)
    families = [
        (family.value, FAMILY_LABELS[family], [r for r in rows if r.competency.family == family])
        for family in CompetencyFamily
    ]
    return render_template(
        "positions/competencies_list.html",
        families=families,
        on=on,
        can_manage=can_manage_dictionary(current_user),
    )


@blueprint.route("/competencies/new", methods=["GET", "POST"])
@requires(Permission.COMPETENCIES_MANAGE)
def competency_create() -> ResponseReturnValue:
    form = CompetencyForm()
    form.family.choices = _family_choices()
    created = submit(
        form, CompetencyCreate(), lambda data: services.create_competency(current_user, data)
    )
    if created is not None:
        flash(_("Competency %(code)s added to the dictionary.", code=created.code), "success")
        return redirect(url_for("positions.competency_show", competency_id=created.id))
    return render_template(
        "positions/competencies_form.html", form=form, competency=None, latest=None
    ), form.status


@blueprint.get("/competencies/<int:competency_id>")
@requires(Permission.SIGNED_IN)
def competency_show(competency_id: int) -> ResponseReturnValue:
    """The wording in force with its five level descriptors, and every version."""
    competency = _competency_for(competency_id)
    on = today()
    return render_template(
        "positions/competencies_show.html",
        competency=competency,
        current=queries.version_of(competency, on),
        versions=sorted(competency.versions, key=lambda v: v.number, reverse=True),
        on=on,
        can_manage=can_manage_dictionary(current_user),
        active_form=ActiveForm(formdata=None, active="false" if competency.active else "true"),
    )


@blueprint.route("/competencies/<int:competency_id>/versions/new", methods=["GET", "POST"])
@requires(Permission.COMPETENCIES_MANAGE)
def competency_add_version(competency_id: int) -> ResponseReturnValue:
    """A new version, prefilled with the latest wording; versions are never edited."""
    competency = _competency_for(competency_id, manage=True)
    latest = queries.latest_version(competency)
    if request.method == "POST" or latest is None:
        form = CompetencyVersionForm()
    else:
        prefill: dict[str, Any] = {name: getattr(latest, name) for name in services.WORDING}
        form = CompetencyVersionForm(formdata=None, data=prefill | {"based_on": latest.number})
    version = submit(
        form,
        CompetencyVersionCreate(),
        lambda data: services.add_competency_version(current_user, competency, data),
    )
    if version is not None:
        flash(
            _(
                "Version %(number)s saved; it is in force from %(date)s.",
                number=version.number,
                date=format_date(version.effective_from),
            ),
            "success",
        )
        return redirect(url_for("positions.competency_show", competency_id=competency_id))
    competency = _competency_for(competency_id, manage=True)
    return render_template(
        "positions/competencies_form.html",
        form=form,
        competency=competency,
        latest=queries.latest_version(competency),
    ), form.status


def _refused(form: ActiveForm) -> None:
    for field in form:
        for message in field.errors:
            flash(str(message), "danger")
    for message in form.form_errors:
        flash(str(message), "danger")


@blueprint.post("/competencies/<int:competency_id>/active")
@requires(Permission.COMPETENCIES_MANAGE)
def competency_set_active(competency_id: int) -> ResponseReturnValue:
    competency = _competency_for(competency_id, manage=True)
    form = ActiveForm()
    done = submit(
        form,
        ActiveInput(),
        lambda data: services.set_competency_active(current_user, competency, data["active"]),
    )
    target = url_for("positions.competency_show", competency_id=competency_id)
    if done is None:
        _refused(form)
        return redirect(target, 303)
    if done.active:
        flash(_("The competency is in use again."), "success")
    else:
        flash(_("The competency is retired: it is no longer offered for requirements."), "success")
    return redirect(target)


# Framework catalogue ----------------------------------------------------------------------------

TASK_FIELDS = ("description", "output_name", "unit_of_measure")
POSITION_FIELDS = ("stamp", "code", "group", "title", "rank_codes", "objective", "source")
#: blank task lines offered under the existing ones
BLANK_TASKS = 3


def _framework_for(framework_position_id: int, *, manage: bool = False) -> FrameworkPosition:
    return authorize(
        queries.framework_position(framework_position_id),
        visible=True,
        allowed=not manage or can_manage_dictionary(current_user),
    )


def _group_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(group.value, str(GROUP_LABELS[group])) for group in PositionGroup]


@blueprint.get("/catalogue/")
@requires(Permission.POSITIONS_VIEW)
def catalogue() -> ResponseReturnValue:
    """The framework positions, by group; filtered by group and by words of code or title
    (accents and case ignored)."""
    errors: dict[str, list[Any]] = {}
    try:
        filters = load(FrameworkPositionListQuery(), request.args.to_dict())
    except ValidationFailed as failure:
        errors, filters = failure.errors, {}
    rows = queries.framework_positions(filters.get("group"), filters.get("q"))
    counts = queries.catalogue_counts(p.id for p in rows)
    groups = [
        (group.value, GROUP_LABELS[group], [p for p in rows if p.grp == group])
        for group in PositionGroup
    ]
    return render_template(
        "positions/catalogue_list.html",
        groups=[g for g in groups if g[2]],
        total=len(rows),
        counts=counts,
        group_choices=_group_choices()[1:],
        errors=errors,
        can_manage=can_manage_dictionary(current_user),
    ), (422 if errors else 200)


@dataclass(frozen=True)
class RequirementLine:
    """A required level as shown: the competency, its wording in force, the level's descriptor."""

    competency: Competency
    version: CompetencyVersion | None
    in_force: bool
    level: int

    @property
    def descriptor(self) -> str:
        return self.version.descriptor(self.level) if self.version else ""


def _requirement_rows(position: FrameworkPosition) -> list[RequirementLine]:
    """The position's required levels with each competency's wording in force today, in
    dictionary order."""
    rows = {row.competency.id: row for row in queries.competency_rows(today())}
    lines = [
        RequirementLine(row.competency, row.version, row.in_force, requirement.level)
        for requirement in position.requirements
        if (row := rows.get(requirement.competency_id)) is not None
    ]
    order = queries.FAMILY_ORDER
    return sorted(
        lines,
        key=lambda line: (
            order.index(line.competency.family),
            line.competency.ordinal,
            line.competency.code,
        ),
    )


@blueprint.get("/catalogue/<int:framework_position_id>")
@requires(Permission.POSITIONS_VIEW)
def catalogue_show(framework_position_id: int) -> ResponseReturnValue:
    position = _framework_for(framework_position_id)
    return render_template(
        "positions/catalogue_show.html",
        position=position,
        requirements=_requirement_rows(position),
        can_manage=can_manage_dictionary(current_user),
        active_form=ActiveForm(formdata=None, active="false" if position.active else "true"),
    )


def _framework_form(position: FrameworkPosition | None) -> FrameworkPositionForm:
    """The form, from the post or from the position (with the active competencies, and any
    retired one it still requires, as lines to give a level to)."""
    if request.method == "POST":
        form = FrameworkPositionForm()
    else:
        levels = {r.competency_id: r.level for r in position.requirements} if position else {}
        offered = [c.id for c, _version in queries.active_competencies_in_force(today())]
        offered += [i for i in levels if i not in offered]
        data: dict[str, Any] = {
            "requirements": [
                {"competency_id": str(i), "level": str(levels.get(i, ""))} for i in offered
            ],
            "tasks": [
                {name: getattr(task, name) for name in TASK_FIELDS}
                for task in (position.tasks if position else [])
            ]
            + [dict.fromkeys(TASK_FIELDS, "") for _blank in range(BLANK_TASKS)],
        }
        if position is not None:
            data |= {
                "stamp": services.framework_stamp(position),
                "code": position.code,
                "group": position.grp,
                "title": position.title,
                "rank_codes": ", ".join(position.rank_list),
                "objective": position.objective,
                "source": position.source,
            }
        form = FrameworkPositionForm(formdata=None, data=data)
    form.group.choices = _group_choices()
    return form


def _attach(
    form: FrameworkPositionForm,
    error: DomainError | ValidationFailed,
    task_lines: list[int],
    requirement_lines: list[int],
) -> None:
    """Put each refusal beside its field; "tasks.1.output_name" is the output of the second
    task line sent (blank lines are not sent)."""
    found = error.errors if isinstance(error, ValidationFailed) else {error.field: [error.message]}
    rest: dict[str, list[Any]] = {}
    for name, messages in found.items():
        parts = name.split(".")
        entries, lines = (
            (form.tasks.entries, task_lines)
            if parts[0] == "tasks"
            else (form.requirements.entries, requirement_lines)
        )
        if len(parts) == 3 and parts[0] in ("tasks", "requirements") and parts[1].isdigit():
            index = int(parts[1])
            field_name = "level" if parts[2] == "competency_id" else parts[2]
            if index < len(lines) and field_name in entries[lines[index]].form:
                subfield = entries[lines[index]].form[field_name]
                subfield.errors = [*list(subfield.errors), *messages]
                getattr(form, parts[0]).errors = [True]  # the page shows refusals: 422
                continue
        rest.setdefault(parts[0] if parts[0] in form else FORM, []).extend(messages)
    if isinstance(error, DomainError) and set(rest) <= {error.field, FORM}:
        if rest:
            form.attach(error)
    elif rest:
        form.attach(ValidationFailed(rest))
    form.refusal = error


def _save_framework(form: FrameworkPositionForm, action: Any) -> FrameworkPosition | None:
    """Like ``hrms.core.forms.submit``, for a form with lines: blank lines are left out, and
    the refusals of a line go beside its fields."""
    if not form.validate_on_submit():
        return None
    raw: dict[str, Any] = {name: form[name].data for name in POSITION_FIELDS}
    task_lines = [
        i
        for i, entry in enumerate(form.tasks.entries)
        if any((entry.form[name].data or "").strip() for name in TASK_FIELDS)
    ]
    raw["tasks"] = [
        {name: form.tasks.entries[i].form[name].data for name in TASK_FIELDS} for i in task_lines
    ]
    requirement_lines = [
        i
        for i, entry in enumerate(form.requirements.entries)
        if (entry.form.level.data or "").strip()
    ]
    raw["requirements"] = [
        {
            "competency_id": form.requirements.entries[i].form.competency_id.data,
            "level": (form.requirements.entries[i].form.level.data or "").strip(),
        }
        for i in requirement_lines
    ]
    try:
        saved: FrameworkPosition = action(load(FrameworkPositionInput(), raw))
    except (DomainError, ValidationFailed) as error:
        db.session.rollback()
        _attach(form, error, task_lines, requirement_lines)
        return None
    return saved


def _form_page(
    form: FrameworkPositionForm, position: FrameworkPosition | None
) -> ResponseReturnValue:
    rows = {row.competency.id: row for row in queries.competency_rows(today())}
    return render_template(
        "positions/catalogue_form.html", form=form, position=position, competencies=rows
    ), form.status


@blueprint.route("/catalogue/new", methods=["GET", "POST"])
@requires(Permission.COMPETENCIES_MANAGE)
def catalogue_create() -> ResponseReturnValue:
    form = _framework_form(None)
    created = _save_framework(
        form, lambda data: services.create_framework_position(current_user, data)
    )
    if created is not None:
        flash(_("Position %(code)s added to the catalogue.", code=created.code), "success")
        return redirect(url_for("positions.catalogue_show", framework_position_id=created.id))
    return _form_page(form, None)


@blueprint.route("/catalogue/<int:framework_position_id>/edit", methods=["GET", "POST"])
@requires(Permission.COMPETENCIES_MANAGE)
def catalogue_edit(framework_position_id: int) -> ResponseReturnValue:
    position = _framework_for(framework_position_id, manage=True)
    form = _framework_form(position)
    saved = _save_framework(
        form, lambda data: services.update_framework_position(current_user, position, data)
    )
    if saved is not None:
        flash(_("Catalogue position saved."), "success")
        return redirect(
            url_for("positions.catalogue_show", framework_position_id=framework_position_id)
        )
    return _form_page(form, _framework_for(framework_position_id, manage=True))


@blueprint.post("/catalogue/<int:framework_position_id>/active")
@requires(Permission.COMPETENCIES_MANAGE)
def catalogue_set_active(framework_position_id: int) -> ResponseReturnValue:
    position = _framework_for(framework_position_id, manage=True)
    form = ActiveForm()
    done = submit(
        form,
        ActiveInput(),
        lambda data: services.set_framework_position_active(current_user, position, data["active"]),
    )
    target = url_for("positions.catalogue_show", framework_position_id=framework_position_id)
    if done is None:
        _refused(form)
        return redirect(target, 303)
    if done.active:
        flash(_("The position is offered again."), "success")
    else:
        flash(_("The position is withdrawn: it is no longer offered to units."), "success")
    return redirect(target)


def _xlsx_response(content: bytes, filename: str) -> ResponseReturnValue:
    response = current_app.response_class(content, mimetype=exchange.XLSX_MIME)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/catalogue/import/template.xlsx")
@requires(Permission.COMPETENCIES_MANAGE)
def catalogue_import_template() -> ResponseReturnValue:
    return _xlsx_response(exchange.template_workbook(), "mau-nhap-danh-muc-vi-tri.xlsx")


@blueprint.get("/catalogue/export.xlsx")
@requires(Permission.POSITIONS_VIEW)
def catalogue_export() -> ResponseReturnValue:
    """The list's selection in the template's sheets (the import reads it back)."""
    try:
        filters = load(FrameworkPositionListQuery(), request.args.to_dict())
    except ValidationFailed:
        filters = {}
    content = exchange.export_workbook(filters.get("group"), filters.get("q"))
    return _xlsx_response(content, f"danh-muc-vi-tri-{today():%Y%m%d}.xlsx")


@blueprint.route("/catalogue/import", methods=["GET", "POST"])
@requires(Permission.COMPETENCIES_MANAGE)
def catalogue_import() -> ResponseReturnValue:
    """Upload a workbook; every position is checked by the catalogue's rules; all or nothing."""
    form = CatalogueImportForm()
    report: exchange.ImportReport | None = None
    if form.validate_on_submit():
        upload = request.files.get("file")
        limit = current_settings().max_upload_mb * 1024 * 1024
        try:
            if upload is None or not upload.filename:
                raise exchange.WorkbookRefused(_l("Choose the Excel file to import."))
            book = exchange.read_upload(upload.stream, limit)
        except exchange.WorkbookRefused as refusal:
            form.file.errors = [str(refusal.message)]
        else:
            report = exchange.import_catalogue(current_user, book, dry_run=bool(form.dry_run.data))
            if report.written:
                flash(
                    _(
                        "Import done: %(created)s positions created, %(updated)s updated.",
                        created=report.created,
                        updated=report.updated,
                    ),
                    "success",
                )
    status = form.status if report is None else (200 if report.ok else 422)
    return render_template("positions/catalogue_import.html", form=form, report=report), status


# Position plans and unit positions --------------------------------------------------------------

#: inputs of the position form that a blank clears (the API's PATCH leaves absent ones alone)
_POSITION_BLANKS: dict[str, Any] = {
    "education_code": None,
    "objective": None,
    "evaluation_criteria": None,
    "internal_relations": None,
    "external_relations": None,
    "authority": None,
    "working_conditions": None,
    "qualifications": None,
    "experience": None,
    "qualities": None,
    "rank_codes": [],
    "tasks": [],
    "requirements": [],
    "rank_limits": [],
}


def _plan_group_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(group.value, str(GROUP_LABELS[group])) for group in PositionGroup]


def _plan_state_choices() -> list[tuple[str, str]]:
    return [(state.value, str(PLAN_STATE_LABELS[state])) for state in PlanState]


@blueprint.get("/plans/")
@requires(Permission.POSITIONS_VIEW)
def list_plans() -> ResponseReturnValue:
    """Plans of the units in scope, and those waiting for the actor's approval."""
    try:
        filters = load(PlanListQuery(), request.args.to_dict())
        errors: dict[str, list[Any]] = {}
    except ValidationFailed as failure:
        filters, errors = load(PlanListQuery(), {}), failure.errors
    page = queries.list_plans(current_user, filters)
    approver = has_permission(current_user, Permission.POSITIONS_APPROVE)
    awaiting = queries.plans_awaiting(current_user) if approver else []
    drafter = has_permission(current_user, Permission.POSITIONS_DRAFT)
    units = queries.unit_rows({plan.unit_id for plan in [*page.items, *awaiting]})
    return (
        render_template(
            "positions/plans_list.html",
            page=page,
            awaiting=awaiting,
            units=units,
            filters=filters,
            errors=errors,
            unit_choices=queries.units_with_plans(current_user),
            states=_plan_state_choices(),
            can_create=drafter,
        ),
        422 if errors else 200,
    )


@blueprint.route("/plans/new", methods=["GET", "POST"])
@requires(Permission.POSITIONS_DRAFT)
def create_plan() -> ResponseReturnValue:
    """Start a unit's plan: its first version, or the next one of its approved plan."""
    form = PlanCreateForm()
    form.unit_id.choices = [("", "—")] + [
        (str(unit.id), unit.name) for unit in queries.draftable_units(current_user)
    ]
    if request.method == "GET" and request.args.get("unit_id", "").isdigit():
        form.unit_id.data = request.args["unit_id"]
    plan = submit(
        form,
        PlanCreate(),
        lambda data: services.create_plan(current_user, data["unit_id"], data),
    )
    if plan is not None:
        flash(_("Draft plan created: add its positions, then submit it."), "success")
        return redirect(url_for("positions.show_plan", plan_id=plan.id))
    return render_template("positions/plans_new.html", form=form), form.status


@dataclass
class _PlanForms:
    submit: PlanSubmitForm
    approve: PlanApproveForm
    refuse: PlanReturnForm
    next_version: PlanNoteForm


def _plan_forms(plan: PositionPlan, **failed: Any) -> _PlanForms:
    forms = _PlanForms(
        submit=PlanSubmitForm(formdata=None, version=plan.version),
        approve=PlanApproveForm(formdata=None, version=plan.version),
        refuse=PlanReturnForm(formdata=None, version=plan.version),
        next_version=PlanNoteForm(formdata=None),
    )
    for name, form in failed.items():
        setattr(forms, name, form)
    return forms


def _plan_page(plan: PositionPlan, *, status: int = 200, **failed: Any) -> ResponseReturnValue:
    unit = queries.unit_row(plan.unit_id)
    assert unit is not None
    plan_positions = queries.plan_positions(plan.id)
    versions = queries.plan_versions(plan.unit_id)
    occupancy = OCCUPANCY in current_app.extensions
    can_draft = can_draft_plan(current_user, unit.path)
    can_approve = can_approve_plan(current_user, unit.path)
    open_version = next((v for v in versions if v.state in queries.OPEN_STATES), None)
    return (
        render_template(
            "positions/plans_show.html",
            plan=plan,
            unit=unit,
            positions=plan_positions,
            placed=services.placed_counts(p.lineage_id for p in plan_positions),
            occupancy=occupancy,
            versions=versions,
            forms=_plan_forms(plan, **failed),
            can_edit=can_draft and plan.editable,
            can_submit=can_draft and plan.editable,
            can_decide=can_approve and plan.state == PlanState.SUBMITTED.value,
            own_submission=plan.submitted_by == current_user.id,
            can_start_next=(
                can_draft
                and unit.is_open
                and open_version is None
                and plan.state == PlanState.APPROVED.value
                and versions[0].id == plan.id
            ),
            total=sum(p.headcount for p in plan_positions),
        ),
        status,
    )


@blueprint.get("/plans/<int:plan_id>")
@requires(Permission.POSITIONS_VIEW)
def show_plan(plan_id: int) -> ResponseReturnValue:
    """A plan version: its positions with headcounts and requirements, and what may be done."""
    return _plan_page(queries.get_plan_for(current_user, plan_id))


@blueprint.post("/plans/<int:plan_id>/submit")
@requires(Permission.POSITIONS_DRAFT)
def submit_plan(plan_id: int) -> ResponseReturnValue:
    plan = queries.get_plan_for(current_user, plan_id, "draft")
    form = PlanSubmitForm()
    if submit(form, PlanSubmit(), lambda data: services.submit_plan(current_user, plan, data)):
        flash(_("Plan submitted for approval."), "success")
        return redirect(url_for("positions.show_plan", plan_id=plan_id))
    plan = queries.get_plan_for(current_user, plan_id, "draft")
    return _plan_page(plan, status=form.status, submit=form)


@blueprint.post("/plans/<int:plan_id>/approve")
@requires(Permission.POSITIONS_APPROVE)
def approve_plan(plan_id: int) -> ResponseReturnValue:
    plan = queries.get_plan_for(current_user, plan_id, "approve")
    form = PlanApproveForm()
    if submit(form, PlanApprove(), lambda data: services.approve_plan(current_user, plan, data)):
        flash(
            _("Plan approved: it is in force from %(date)s.", date=format_date(plan.effective_on)),
            "success",
        )
        return redirect(url_for("positions.show_plan", plan_id=plan_id))
    plan = queries.get_plan_for(current_user, plan_id, "approve")
    return _plan_page(plan, status=form.status, approve=form)


@blueprint.post("/plans/<int:plan_id>/return")
@requires(Permission.POSITIONS_APPROVE)
def return_plan(plan_id: int) -> ResponseReturnValue:
    plan = queries.get_plan_for(current_user, plan_id, "approve")
    form = PlanReturnForm()
    if submit(form, PlanReturn(), lambda data: services.return_plan(current_user, plan, data)):
        flash(_("Plan returned to its drafters with your comments."), "success")
        return redirect(url_for("positions.show_plan", plan_id=plan_id))
    plan = queries.get_plan_for(current_user, plan_id, "approve")
    return _plan_page(plan, status=form.status, refuse=form)


@blueprint.post("/plans/<int:plan_id>/next-version")
@requires(Permission.POSITIONS_DRAFT)
def start_plan_version(plan_id: int) -> ResponseReturnValue:
    """Start the next version of the unit's plan, a draft copy of its approved one."""
    plan = queries.get_plan_for(current_user, plan_id, "draft")
    form = PlanNoteForm()
    created = submit(
        form, PlanNote(), lambda data: services.create_plan(current_user, plan.unit_id, data)
    )
    if created is not None:
        flash(_("Version %(number)s started as a draft copy.", number=created.number), "success")
        return redirect(url_for("positions.show_plan", plan_id=created.id))
    plan = queries.get_plan_for(current_user, plan_id, "draft")
    return _plan_page(plan, status=form.status, next_version=form)


@blueprint.get("/plans/<int:plan_id>/compare")
@requires(Permission.POSITIONS_VIEW)
def compare_plan(plan_id: int) -> ResponseReturnValue:
    """This version beside another of the same unit (by default the one it was started from)."""
    plan = queries.get_plan_for(current_user, plan_id)
    versions = queries.plan_versions(plan.unit_id)
    other_id = request.args.get("with", type=int) or plan.previous_id
    other = next((v for v in versions if v.id == other_id and v.id != plan.id), None)
    if other is None and other_id is None:  # a first version: beside the one started from it
        other = next((v for v in versions if v.previous_id == plan.id), None)
    unit = queries.unit_row(plan.unit_id)
    comparison = None
    if other is not None:
        older, newer = sorted((plan, other), key=lambda v: v.number)
        comparison = queries.compare_plans(older, newer)
    return render_template(
        "positions/plans_compare.html",
        plan=plan,
        unit=unit,
        versions=[v for v in versions if v.id != plan.id],
        other=other,
        comparison=comparison,
    )


def _requirement_choices(position: UnitPosition | None) -> list[tuple[str, str]]:
    """The competencies a requirement may point at (versions in force today); an older version
    the position still refers to is listed too, marked, so the form shows what is stored."""
    current = queries.requirement_choices(today())
    choices = [("", "—")] + [(str(v.id), f"{v.competency.code} — {v.name}") for v in current]
    offered = {v.id for v in current}
    for requirement in position.requirements if position is not None else []:
        version = requirement.competency_version
        if version.id not in offered:
            label = _(
                "%(code)s — %(name)s (version %(number)s, no longer in force)",
                code=version.competency.code,
                name=version.name,
                number=version.number,
            )
            choices.append((str(version.id), label))
    return choices


def _position_form(position: UnitPosition | None, **kwargs: Any) -> PositionForm:
    form = PositionForm(**kwargs)
    form.set_choices(_plan_group_choices(), _requirement_choices(position))
    return form


def _position_form_page(
    plan: PositionPlan, form: PositionForm, position: UnitPosition | None
) -> str:
    return render_template(
        "positions/position_form.html",
        plan=plan,
        unit=queries.unit_row(plan.unit_id),
        form=form,
        position=position,
    )


def _row_added(form: PositionForm) -> bool:
    """The form came back for one more row (an "add" button), not to be saved."""
    what = request.form.get("add_row", "")
    return bool(what) and form.add_row(what)


@blueprint.route("/plans/<int:plan_id>/positions/new", methods=["GET", "POST"])
@requires(Permission.POSITIONS_DRAFT)
def add_position(plan_id: int) -> ResponseReturnValue:
    """A position defined locally, with its job description and requirements."""
    plan = queries.get_plan_for(current_user, plan_id, "draft")
    if request.method == "GET":
        form = _position_form(None, formdata=None)
        form.add_blank_rows()
        return _position_form_page(plan, form, None)
    form = _position_form(None)
    if _row_added(form):
        return _position_form_page(plan, form, None)
    position = submit_rows(
        form,
        UnitPositionCreate(),
        lambda data: services.add_position(current_user, plan, data),
    )
    if position is not None:
        flash(_("Position %(code)s added.", code=position.code), "success")
        return redirect(url_for("positions.show_position", position_id=position.id))
    plan = queries.get_plan_for(current_user, plan_id, "draft")
    return _position_form_page(plan, form, None), form.status


@blueprint.route("/plans/<int:plan_id>/positions/from-catalogue", methods=["GET", "POST"])
@requires(Permission.POSITIONS_DRAFT)
def add_catalogue_position(plan_id: int) -> ResponseReturnValue:
    """A position taken from the framework catalogue with its default tasks and levels."""
    plan = queries.get_plan_for(current_user, plan_id, "draft")
    form = CataloguePositionForm()
    catalogue = queries.catalogue_choices()
    form.framework_position_id.choices = [("", "—")] + [
        (str(f.id), f"{f.code} — {f.title} ({f.group_label})") for f in catalogue
    ]
    if request.method == "GET" and request.args.get("framework_position_id", "").isdigit():
        form.framework_position_id.data = request.args["framework_position_id"]
    position = submit(
        form,
        CataloguePositionAdd(),
        lambda data: services.add_from_catalogue(
            current_user, plan, data["framework_position_id"], data
        ),
    )
    if position is not None:
        flash(
            _(
                "Position %(code)s added from the catalogue: review its job description.",
                code=position.code,
            ),
            "success",
        )
        return redirect(url_for("positions.edit_position", position_id=position.id))
    plan = queries.get_plan_for(current_user, plan_id, "draft")
    return (
        render_template(
            "positions/position_catalogue.html",
            plan=plan,
            unit=queries.unit_row(plan.unit_id),
            form=form,
        ),
        form.status,
    )


@blueprint.get("/<int:position_id>")
@requires(Permission.POSITIONS_VIEW)
def show_position(position_id: int) -> ResponseReturnValue:
    """The full job description and competency framework of a unit position."""
    queries.get_position_for(current_user, position_id)
    position = queries.full_position(position_id)
    assert position is not None
    plan = position.plan
    unit = queries.unit_row(plan.unit_id)
    assert unit is not None
    return render_template(
        "positions/position_show.html",
        position=position,
        plan=plan,
        unit=unit,
        placed=services.placed_counts([position.lineage_id]).get(position.lineage_id or 0),
        occupancy=OCCUPANCY in current_app.extensions,
        can_edit=plan.editable and can_draft_plan(current_user, unit.path),
        remove_form=PositionRemoveForm(formdata=None),
        requirements=sorted(
            position.requirements,
            key=lambda r: (
                queries.FAMILY_ORDER.index(r.competency_version.competency.family),
                r.competency_version.competency.ordinal,
                r.competency_version.competency.code,
            ),
        ),
    )


@blueprint.route("/<int:position_id>/edit", methods=["GET", "POST"])
@requires(Permission.POSITIONS_DRAFT)
def edit_position(position_id: int) -> ResponseReturnValue:
    """The whole position as one form; tasks, outputs, requirements and limits as rows."""
    queries.get_position_for(current_user, position_id, "draft")
    position = queries.full_position(position_id)
    assert position is not None
    plan = position.plan
    if not plan.editable:
        flash(_("This plan is not a draft: its positions cannot be changed."), "warning")
        return redirect(url_for("positions.show_position", position_id=position_id))
    if request.method == "GET":
        form = _position_form(position, formdata=None, obj=position)
        form.rank_codes.data = ", ".join(position.rank_list)
        form.add_blank_rows()
        return _position_form_page(plan, form, position)
    form = _position_form(position)
    if _row_added(form):
        return _position_form_page(plan, form, position)
    editing: UnitPosition = position
    saved = submit_rows(
        form,
        UnitPositionUpdate(),
        lambda data: services.update_position(current_user, editing, _POSITION_BLANKS | data),
    )
    if saved is not None:
        flash(_("Position %(code)s saved.", code=saved.code), "success")
        return redirect(url_for("positions.show_position", position_id=position_id))
    position = queries.full_position(position_id)
    assert position is not None
    return _position_form_page(position.plan, form, position), form.status


@blueprint.post("/<int:position_id>/remove")
@requires(Permission.POSITIONS_DRAFT)
def remove_position(position_id: int) -> ResponseReturnValue:
    position = queries.get_position_for(current_user, position_id, "draft")
    plan_id = position.plan_id
    form = PositionRemoveForm()
    if submit(form, NoInput(), lambda _data: services.remove_position(current_user, position)):
        flash(_("Position removed from the plan."), "success")
        return redirect(url_for("positions.show_plan", plan_id=plan_id))
    for message in form.form_errors:
        flash(str(message), "danger")
    return redirect(url_for("positions.show_position", position_id=position_id)), 303


@blueprint.get("/plans/<int:plan_id>/plan.pdf")
@requires(Permission.POSITIONS_VIEW)
def plan_pdf(plan_id: int) -> ResponseReturnValue:
    """The plan's table of positions with each job description as an annex."""
    plan = queries.get_plan_for(current_user, plan_id)
    return pdf_response(*pdf.plan_pdf(pdf.load_plan(plan.id)))


@blueprint.get("/<int:position_id>/job-description.pdf")
@requires(Permission.POSITIONS_VIEW)
def job_description_pdf(position_id: int) -> ResponseReturnValue:
    """A position's job description and competency framework (the approval's annex)."""
    position = queries.get_position_for(current_user, position_id)
    return pdf_response(*pdf.job_description_pdf(pdf.load_plan(position.plan_id), position.id))


@blueprint.get("/plans/<int:plan_id>/export.xlsx")
@requires(Permission.POSITIONS_VIEW)
def plan_export(plan_id: int) -> ResponseReturnValue:
    """The plan version's positions, tasks and outputs, requirements and rank limits (the
    import reads the file back into a draft)."""
    plan = queries.get_plan_for(current_user, plan_id)
    unit = queries.unit_row(plan.unit_id)
    code = unit.code if unit else plan.unit_id
    return _xlsx_response(
        plan_exchange.export_plan(plan.id), f"de-an-vi-tri-{code}-v{plan.number}.xlsx"
    )


@blueprint.route("/plans/<int:plan_id>/import", methods=["GET", "POST"])
@requires(Permission.POSITIONS_DRAFT)
def plan_import(plan_id: int) -> ResponseReturnValue:
    """Upload positions with their tasks, requirements and limits into a draft plan: a dry run
    first if wanted, then all or nothing."""
    plan = queries.get_plan_for(current_user, plan_id, "draft")
    form = CatalogueImportForm()
    report: exchange.ImportReport | None = None
    if form.validate_on_submit():
        upload = request.files.get("file")
        limit = current_settings().max_upload_mb * 1024 * 1024
        try:
            if upload is None or not upload.filename:
                raise exchange.WorkbookRefused(_l("Choose the Excel file to import."))
            book = plan_exchange.read_upload(upload.stream, limit)
        except exchange.WorkbookRefused as refusal:
            form.file.errors = [str(refusal.message)]
        else:
            report = plan_exchange.import_plan(
                current_user, plan, book, dry_run=bool(form.dry_run.data)
            )
            if report.written:
                flash(
                    _(
                        "Import done: %(created)s positions added, %(updated)s replaced.",
                        created=report.created,
                        updated=report.updated,
                    ),
                    "success",
                )
                return redirect(url_for("positions.show_plan", plan_id=plan_id))
    status = form.status if report is None else (200 if report.ok else 422)
    return (
        render_template(
            "positions/plans_import.html",
            plan=plan,
            unit=queries.unit_row(plan.unit_id),
            form=form,
            report=report,
        ),
        status,
    )
