"""Dossier pages: the scoped list, the dossier with its tabs, and the edit forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from hrms.codes.queries import choices as code_choices
from hrms.codes.queries import labels_in_lists
from hrms.core.dates import format_date, today
from hrms.core.errors import FORM, DomainError, ValidationFailed
from hrms.core.forms import Form, submit
from hrms.core.links import links
from hrms.core.pdf import pdf_response
from hrms.core.schemas import NoInput, load
from hrms.core.security import Permission, requires
from hrms.employees import exchange, queries, services
from hrms.employees import pdf as form_2c
from hrms.employees.forms import (
    FIELD_LABELS,
    SECTION_LABELS,
    ConfirmForm,
    DecisionForm,
    FamilyForm,
    ImportForm,
    TrainingForm,
    fields_form,
)
from hrms.employees.models import (
    ALL_FIELDS,
    DECISION_LABELS,
    KIND_LABELS,
    REQUIRED_ON_CREATE,
    SECTIONS,
    SEX_LABELS,
    SIDE_LABELS,
    STATUS_LABELS,
    Employee,
    FamilyMember,
    TrainingRecord,
)
from hrms.employees.policies import SENSITIVE_FIELDS, SENSITIVE_SECTIONS, can_create_employees
from hrms.employees.schemas import (
    MADE_ELSEWHERE,
    DecisionCreate,
    EmployeeCreate,
    EmployeeListQuery,
    FamilyInput,
    TrainingInput,
    section_schema,
)
from hrms.employees.services import CODED_FIELDS, StaleDossier
from hrms.extensions import db
from hrms.org.queries import open_units_for_parent_choice, unit_picker
from hrms.reviews.queries import annual_ratings_of_employee
from hrms.settings import current_settings

blueprint = Blueprint("employees", __name__, url_prefix="/employees")

TABS = ("summary", "decisions", "history", "training", "family", "trail")
SENSITIVE_TABS = frozenset({"family"})


def _choices() -> dict[str, list[tuple[str, str]]]:
    options = {name: code_choices(list_name) for name, list_name in CODED_FIELDS.items()}
    options["sex"] = [(k.value, str(v)) for k, v in SEX_LABELS.items()]
    options["kind"] = [(k.value, str(v)) for k, v in KIND_LABELS.items()]
    options["blood_group"] = [(g, g) for g in ("A", "B", "AB", "O")]
    return options


def _unit_choices() -> list[tuple[str, str]]:
    units = open_units_for_parent_choice(current_user)
    return [("", "—")] + [(str(u.id), f"{'· ' * u.depth}{u.name}") for u in units]


@blueprint.get("/")
@requires(Permission.EMPLOYEES_VIEW)
def list_employees() -> ResponseReturnValue:
    try:
        filters = load(EmployeeListQuery(), request.args.to_dict())
        errors: dict[str, list[str]] = {}
    except ValidationFailed as failure:
        filters, errors = load(EmployeeListQuery(), {}), failure.errors
    page = queries.list_employees(current_user, filters, columns=queries.LIST_COLUMNS)
    return (
        render_template(
            "employees/list.html",
            page=page,
            dossier_links=links(
                "employees.show_employee", "employee_id", (e.id for e in page.items)
            ),
            filters=filters,
            errors=errors,
            picker=unit_picker(current_user, Permission.EMPLOYEES_VIEW, filters.get("unit_id")),
            # labels translated once per page, not once per row
            kinds={kind.value: str(label) for kind, label in KIND_LABELS.items()},
            statuses={status.value: str(label) for status, label in STATUS_LABELS.items()},
            sexes={sex.value: str(label) for sex, label in SEX_LABELS.items()},
            step_text=_("step %(step)s"),
            can_create=can_create_employees(current_user),
        ),
        422 if errors else 200,
    )


@blueprint.route("/new", methods=["GET", "POST"])
@requires(Permission.EMPLOYEES_EDIT)
def create_employee() -> ResponseReturnValue:
    names = (*SECTIONS["identity"], "kind")
    form_class = fields_form(names, _choices(), versioned=False, unit_choices=_unit_choices())
    form = form_class(unit_id=request.args.get("unit_id", ""))
    employee = submit(
        form, EmployeeCreate(), lambda data: services.create_employee(current_user, data)
    )
    if employee is not None:
        flash(_("Dossier of %(name)s created.", name=employee.full_name), "success")
        return redirect(url_for("employees.show_employee", employee_id=employee.id))
    return render_template(
        "employees/create.html", form=form, required=REQUIRED_ON_CREATE
    ), form.status


@blueprint.get("/me")
@requires(Permission.SIGNED_IN)
def my_dossier() -> ResponseReturnValue:
    if current_user.employee_id is None:
        return render_template("employees/no_dossier.html")
    return redirect(url_for("employees.show_employee", employee_id=current_user.employee_id))


@blueprint.get("/<int:employee_id>")
@requires(Permission.SIGNED_IN)
def show_employee(employee_id: int) -> ResponseReturnValue:
    dossier = queries.get_dossier_for(current_user, employee_id)
    return _render_dossier(dossier, request.args.get("tab", "summary"))


def _render_dossier(
    dossier: queries.Dossier, tab: str, failed: Form | None = None
) -> ResponseReturnValue:
    """A tab of the dossier; ``failed`` is a refused form to show again with its messages."""
    if tab not in TABS or (tab in SENSITIVE_TABS | {"trail"} and not dossier.sensitive):
        abort(404)
    employee = dossier.employee
    context: dict[str, Any] = {
        "dossier": dossier,
        "employee": employee,
        "tab": tab,
        "has_photo": employee.id in queries.photos_of([employee.id]),
    }
    if tab == "summary":
        services.record_view(employee)
        context["sections"] = [
            (name, SECTION_LABELS[name], fields)
            for name, fields in SECTIONS.items()
            if dossier.sensitive or name not in SENSITIVE_SECTIONS
        ]
        context["labels"] = FIELD_LABELS
        context["display"] = _display(employee)
        context["hidden_fields"] = set() if dossier.sensitive else set(SENSITIVE_FIELDS)
        context["annual_ratings"] = annual_ratings_of_employee(employee.id)
    elif tab in ("decisions", "history"):
        decisions = queries.decisions_of(employee.id)
        names = queries.unit_names({d.unit_id for d in decisions if d.unit_id})
        context.update(
            decisions=list(reversed(decisions)),
            replaced=queries.superseded_ids(decisions),
            unit_names=names,
            work=queries.work_history(decisions, names),
            salary=queries.salary_history(decisions),
        )
    elif tab == "training":
        context["records"] = queries.training_of(employee.id)
        context["form"] = failed or TrainingForm(formdata=None)
    elif tab == "family":
        context["members"] = queries.family_of(employee.id)
        context["sides"] = [(side.value, label) for side, label in SIDE_LABELS.items()]
        form = failed or FamilyForm(formdata=None)
        form.side.choices = [(k.value, str(v)) for k, v in SIDE_LABELS.items()]
        context["form"] = form
    elif tab == "trail":
        context["changes"] = queries.trail_of(employee.id, views=False)
        context["views"] = queries.trail_of(employee.id, views=True)
    context["confirm_form"] = ConfirmForm(formdata=None)
    return render_template("employees/show.html", **context), failed.status if failed else 200


def _display(employee: Employee) -> dict[str, str]:
    """Each field as people read it: dates dd/mm/yyyy, codes by name, choices by label."""
    shown: dict[str, str] = {}
    coded = labels_in_lists((CODED_FIELDS[name], getattr(employee, name)) for name in CODED_FIELDS)
    for name in ALL_FIELDS:
        value = getattr(employee, name)
        if value is None or value == "":
            shown[name] = ""
        elif name in CODED_FIELDS:
            shown[name] = coded.get((CODED_FIELDS[name], value), value)
        elif name == "date_of_birth" and employee.birth_year_only:
            shown[name] = str(value.year)
        elif isinstance(value, bool):
            shown[name] = _("Yes") if value else _("No")
        elif isinstance(value, dt.date):
            shown[name] = format_date(value)
        elif name == "sex":
            shown[name] = employee.sex_label
        elif name == "kind":
            shown[name] = employee.kind_label
        else:
            shown[name] = str(value)
    return shown


@blueprint.route("/<int:employee_id>/edit/<section>", methods=["GET", "POST"])
@requires(Permission.EMPLOYEES_EDIT)
def edit_section(employee_id: int, section: str) -> ResponseReturnValue:
    if section not in SECTIONS:
        abort(404)
    dossier = queries.get_dossier_for(current_user, employee_id, edit=True)
    employee = dossier.employee
    form_class = fields_form(SECTIONS[section], _choices(), versioned=True)
    form = form_class(obj=employee) if request.method == "GET" else form_class()
    if request.method == "GET":
        form.version.data = employee.version
    saved = submit(
        form,
        section_schema(section),
        lambda data: services.update_section(current_user, employee, dossier.unit, section, data),
    )
    if saved is not None:
        flash(_("Saved."), "success")
        return redirect(url_for("employees.show_employee", employee_id=employee.id))
    changes = form.refusal.changes if isinstance(form.refusal, StaleDossier) else []
    return (
        render_template(
            "employees/edit_section.html",
            form=form,
            employee=employee,
            section=section,
            section_label=SECTION_LABELS[section],
            changes=changes,
            labels=FIELD_LABELS,
        ),
        form.status,
    )


@blueprint.route("/<int:employee_id>/decisions/new", methods=["GET", "POST"])
@requires(Permission.EMPLOYEES_EDIT)
def add_decision(employee_id: int) -> ResponseReturnValue:
    dossier = queries.get_dossier_for(current_user, employee_id, edit=True)
    employee = dossier.employee
    form = DecisionForm()
    form.kind.choices = [
        (k.value, str(v)) for k, v in DECISION_LABELS.items() if k not in MADE_ELSEWHERE
    ]
    form.unit_id.choices = _unit_choices()
    decisions = queries.decisions_of(employee.id)
    replaced = queries.superseded_ids(decisions)
    form.supersedes_id.choices = [("", "—")] + [
        (str(d.id), f"{d.number} — {d.kind_label} ({d.effective_on:%d/%m/%Y})")
        for d in decisions
        if d.id not in replaced
    ]
    decision = submit(
        form,
        DecisionCreate(),
        lambda data: services.add_decision(current_user, employee, dossier.unit, data),
    )
    if decision is not None:
        flash(_("Decision %(number)s recorded.", number=decision.number), "success")
        return redirect(
            url_for("employees.show_employee", employee_id=employee.id, tab="decisions")
        )
    return render_template(
        "employees/decision_form.html", form=form, employee=employee
    ), form.status


def _part_action(
    employee_id: int, form: Form, schema: Any, action: Any, tab: str, done: str
) -> ResponseReturnValue:
    dossier = queries.get_dossier_for(current_user, employee_id, edit=True)
    if submit(
        form, schema, lambda data: action(current_user, dossier.employee, dossier.unit, data)
    ):
        flash(done, "success")
        return redirect(url_for("employees.show_employee", employee_id=employee_id, tab=tab))
    return _render_dossier(queries.get_dossier_for(current_user, employee_id), tab, failed=form)


@blueprint.post("/<int:employee_id>/training")
@requires(Permission.EMPLOYEES_EDIT)
def add_training(employee_id: int) -> ResponseReturnValue:
    return _part_action(
        employee_id,
        TrainingForm(),
        TrainingInput(),
        services.add_training,
        "training",
        _("Training added."),
    )


@blueprint.post("/<int:employee_id>/family")
@requires(Permission.EMPLOYEES_EDIT)
def add_family_member(employee_id: int) -> ResponseReturnValue:
    form = FamilyForm()
    form.side.choices = [(k.value, str(v)) for k, v in SIDE_LABELS.items()]
    return _part_action(
        employee_id,
        form,
        FamilyInput(),
        services.add_family_member,
        "family",
        _("Family member added."),
    )


def _remove(
    employee_id: int, model: type[TrainingRecord] | type[FamilyMember], part_id: int, tab: str
) -> ResponseReturnValue:
    dossier = queries.get_dossier_for(current_user, employee_id, edit=True)
    part = db.session.get(model, part_id)
    if part is None or part.employee_id != employee_id:
        abort(404)
    submit(
        ConfirmForm(),
        NoInput(),
        lambda _data: (
            services.remove_part(current_user, dossier.employee, dossier.unit, part) or part
        ),
    )
    flash(_("Line removed."), "success")
    return redirect(url_for("employees.show_employee", employee_id=employee_id, tab=tab))


@blueprint.post("/<int:employee_id>/training/<int:part_id>/delete")
@requires(Permission.EMPLOYEES_EDIT)
def remove_training(employee_id: int, part_id: int) -> ResponseReturnValue:
    return _remove(employee_id, TrainingRecord, part_id, "training")


@blueprint.post("/<int:employee_id>/family/<int:part_id>/delete")
@requires(Permission.EMPLOYEES_EDIT)
def remove_family_member(employee_id: int, part_id: int) -> ResponseReturnValue:
    return _remove(employee_id, FamilyMember, part_id, "family")


# Excel exchange: template, import, export ----------------------------------------------------


def _xlsx_response(content: bytes, filename: str) -> ResponseReturnValue:
    response = current_app.response_class(content, mimetype=exchange.XLSX_MIME)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/import/template.xlsx")
@requires(Permission.EMPLOYEES_EDIT)
def download_import_template() -> ResponseReturnValue:
    return _xlsx_response(exchange.template_workbook(current_user), "mau-nhap-ho-so.xlsx")


@blueprint.route("/import", methods=["GET", "POST"])
@requires(Permission.EMPLOYEES_EDIT)
def import_dossiers() -> ResponseReturnValue:
    """Upload a workbook; every row is checked by the dossier rules; all or nothing."""
    form = ImportForm()
    report: exchange.ImportReport | None = None
    if form.validate_on_submit():
        upload = request.files.get("file")
        limit = current_settings().max_upload_mb * 1024 * 1024
        try:
            if upload is None or not upload.filename:
                raise exchange.WorkbookRefused(_l("Choose the Excel file to import."))
            sheet = exchange.read_upload(upload.stream, limit)
        except exchange.WorkbookRefused as refusal:
            form.file.errors = [str(refusal.message)]
        else:
            report = exchange.import_rows(current_user, sheet, dry_run=bool(form.dry_run.data))
            if report.written:
                flash(
                    _(
                        "Import done: %(created)s dossiers created, %(updated)s updated.",
                        created=report.created,
                        updated=report.updated,
                    ),
                    "success",
                )
    status = form.status if report is None else (200 if report.ok else 422)
    return render_template("employees/import.html", form=form, report=report), status


@blueprint.get("/export.xlsx")
@requires(Permission.EMPLOYEES_VIEW)
def export_dossiers() -> ResponseReturnValue:
    """The list page's selection as a workbook that the import reads back."""
    filters = load(EmployeeListQuery(), request.args.to_dict())
    content = exchange.export_workbook(current_user, filters)
    return _xlsx_response(content, f"ho-so-{today():%Y%m%d}.xlsx")


# Form 2C (Mẫu 2C-BNV/2008) as PDF ---------------------------------------------------------


@blueprint.get("/<int:employee_id>/2c.pdf")
@requires(Permission.SIGNED_IN)
def print_2c(employee_id: int) -> ResponseReturnValue:
    """The personal-history form of one dossier; it holds sensitive items, so only those who
    may see them (personnel officers in scope, administrators, the person) may print it."""
    return pdf_response(*form_2c.print_for(current_user, employee_id))


@blueprint.get("/2c.zip")
@requires(Permission.EMPLOYEES_EDIT)
def print_2c_zip() -> ResponseReturnValue:
    """Forms 2C of every dossier of a unit's subtree that the caller may print, as one zip."""
    unit_id = request.args.get("unit_id", type=int)
    if not unit_id:
        raise DomainError("unit_id", _("Choose a unit to print the forms 2C of its dossiers."))
    employees = queries.sensitive_in_unit(current_user, unit_id, form_2c.ZIP_LIMIT + 1)
    if not employees:
        abort(404)
    if len(employees) > form_2c.ZIP_LIMIT:
        raise DomainError(
            FORM,
            _(
                "This unit has more than %(limit)s dossiers: choose one of its divisions.",
                limit=form_2c.ZIP_LIMIT,
            ),
        )
    services.record_views(employees)
    return send_file(
        form_2c.zip_2c(employees),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"2C-don-vi-{unit_id}.zip",
        max_age=0,
    )
