"""Pages of the year and the documents: annual ratings of a unit (compute, decide, adjust, the
cap report, finalise), the evaluation form and the period summary as PDFs, Excel exports, and
the administration of the evaluation schemes. Routes of the ``reviews`` blueprint."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # older stubs

from hrms.core.dates import format_date, today
from hrms.core.errors import DomainError, ValidationFailed
from hrms.core.forms import Form, submit, submitted_data
from hrms.core.pdf import pdf_response
from hrms.core.schemas import load
from hrms.core.security import Permission, Scope, authorize, requires
from hrms.employees.queries import unit_names
from hrms.extensions import db
from hrms.org.models import Unit
from hrms.reviews import exchange, pdf, queries, services
from hrms.reviews.forms_annual import (
    KIND_LABELS,
    AnnualActionForm,
    AnnualAdjustForm,
    AnnualDecideForm,
    SchemeAssignForm,
    SchemeVersionForm,
)
from hrms.reviews.models import (
    RATING_LABELS,
    AnnualRating,
    EvaluationScheme,
    ReviewPeriod,
    SchemeAssignment,
)
from hrms.reviews.policies import can_open_periods
from hrms.reviews.schemas import AnnualAdjust, AnnualDecide, SchemeAssign, SchemeVersionCreate
from hrms.reviews.scheme import Method, Rating
from hrms.reviews.views import blueprint

T = TypeVar("T")


@blueprint.app_template_filter("vn_number")
def vn_number(value: Any) -> str:
    """A stored number as stored, with Vietnamese separators (86,50; 1.234,5)."""
    if value is None:
        return ""
    whole, _, fraction = f"{Decimal(value):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".") if whole.lstrip("-").isdigit() else whole
    return f"{grouped},{fraction}" if fraction else grouped


#: years the annual pages accept
YEARS = queries.YEARS


def _reasons(codes: list[str]) -> list[str]:
    labels = {
        "discipline": _("Disciplined in the year"),
        "absence": _("Absent 3 to 6 months: at most complete"),
        "worked_too_little": _("Worked under 6 months: not rated"),
        "undecided": _("Not decided yet"),
    }
    return [labels.get(code, code) for code in codes]


def _xlsx(content: bytes, filename: str) -> ResponseReturnValue:
    response = current_app.response_class(content, mimetype=exchange.XLSX_MIME)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _refused(form: Form) -> None:
    for field in form:
        for message in field.errors:
            flash(f"{field.label.text}: {message}", "danger")
    for message in form.form_errors:
        flash(str(message), "danger")


# Annual ratings --------------------------------------------------------------------------------


def _rating_units(actor: Any) -> list[Unit]:
    scope = Scope.for_actor(actor, Permission.REVIEWS_OPEN)
    return list(
        db.session.scalars(
            select(Unit)
            .where(scope.filter(Unit.path), Unit.effective_to.is_(None))
            .order_by(Unit.path)
        )
    )


def _unit_for(actor: Any, unit_id: int, year: int) -> Unit:
    """The unit whose year the actor rates: 404 unless it is in their scope."""
    return queries.rating_unit_for(actor, unit_id, year)


def _annual_for(actor: Any, annual_id: int) -> tuple[AnnualRating, Unit]:
    return queries.annual_for(actor, annual_id)


@blueprint.get("/annual/")
@requires(Permission.REVIEWS_OPEN)
def annual_index() -> ResponseReturnValue:
    units = _rating_units(current_user)
    unit_id, year = request.args.get("unit_id", type=int), request.args.get("year", type=int)
    if unit_id and year and any(u.id == unit_id for u in units) and year in YEARS:
        return redirect(url_for("reviews.annual_unit", unit_id=unit_id, year=year))
    return render_template("reviews/annual_index.html", units=units, year=today().year)


def _annual_page(
    unit: Unit,
    year: int,
    *,
    status: int = 200,
    failed: tuple[int, Form] | None = None,
) -> ResponseReturnValue:
    rows = queries.annual_ratings(current_user, unit, year)
    schemes = {
        s.id: s
        for s in db.session.scalars(
            select(EvaluationScheme).where(EvaluationScheme.id.in_({a.scheme_id for a, _e in rows}))
        )
    }
    names = unit_names({a.unit_id for a, _e in rows} | {a.agency_id for a, _e in rows})
    decide_forms: dict[int, Form] = {}
    adjust_forms: dict[int, Form] = {}
    for annual, _employee in rows:
        if annual.finalised:
            continue
        if schemes[annual.scheme_id].parsed.method is Method.CRITERIA:
            decide_forms[annual.id] = AnnualDecideForm(
                formdata=None,
                data={
                    "version": annual.version,
                    "decided_rating": annual.decided_rating or "",
                    "months_worked": annual.months_worked,
                    "months_absent": annual.months_absent,
                    "maternity": annual.maternity,
                },
                prefix=f"d{annual.id}",
            )
        adjust_forms[annual.id] = AnnualAdjustForm(
            formdata=None,
            data={
                "version": annual.version,
                "override_rating": annual.override_rating or "",
                "override_reason": annual.override_reason or "",
            },
            prefix=f"a{annual.id}",
        )
    if failed is not None:
        annual_id, form = failed
        target = decide_forms if isinstance(form, AnnualDecideForm) else adjust_forms
        target[annual_id] = form
    return render_template(
        "reviews/annual_unit.html",
        unit=unit,
        year=year,
        rows=rows,
        schemes=schemes,
        names=names,
        cap=services.cap_report(current_user, unit.id, year),
        decide_forms=decide_forms,
        adjust_forms=adjust_forms,
        failed_id=failed[0] if failed else None,
        action_form=AnnualActionForm(),
        reasons=_reasons,
        rating_labels={r.value: str(RATING_LABELS[r]) for r in Rating},
        deadline=(
            services.annual_deadline(schemes[rows[0][0].scheme_id].parsed, year) if rows else None
        ),
        today=services.today(),
    ), status


@blueprint.get("/annual/<int:unit_id>/<int:year>")
@requires(Permission.REVIEWS_OPEN)
def annual_unit(unit_id: int, year: int) -> ResponseReturnValue:
    return _annual_page(_unit_for(current_user, unit_id, year), year)


def _run(action: Callable[[], T]) -> T | None:
    """A POST without fields of its own: CSRF checked, refusals flashed, nothing half-saved."""
    form = AnnualActionForm()
    if not form.validate_on_submit():
        _refused(form)
        return None
    try:
        return action()
    except (DomainError, ValidationFailed) as error:
        db.session.rollback()
        form.attach(error)
        _refused(form)
        return None


@blueprint.post("/annual/<int:unit_id>/<int:year>/compute")
@requires(Permission.REVIEWS_OPEN)
def annual_compute(unit_id: int, year: int) -> ResponseReturnValue:
    unit = _unit_for(current_user, unit_id, year)
    rated = _run(lambda: services.compute_annual(current_user, unit.id, year))
    if rated is not None:
        flash(
            ngettext(
                "%(num)s annual rating computed (a draft).",
                "%(num)s annual ratings computed (drafts).",
                len(rated),
            ),
            "success",
        )
    return redirect(url_for("reviews.annual_unit", unit_id=unit.id, year=year), 303)


@blueprint.post("/annual/<int:unit_id>/<int:year>/finalise")
@requires(Permission.REVIEWS_OPEN)
def annual_finalise(unit_id: int, year: int) -> ResponseReturnValue:
    unit = _unit_for(current_user, unit_id, year)
    outcome = _run(lambda: services.finalise_annual(current_user, unit.id, year))
    if outcome is not None:
        flash(
            ngettext(
                "%(num)s annual rating finalised.",
                "%(num)s annual ratings finalised.",
                len(outcome.finalised),
            ),
            "success",
        )
        for group in outcome.over_cap:
            flash(
                _(
                    "%(agency)s, group %(group)s: %(top)s rated at the top, %(allowed)s allowed"
                    " (%(excess)s over the cap); these ratings stay drafts.",
                    agency=group.agency.name,
                    group=group.task_group,
                    top=group.check.rated,
                    allowed=group.check.allowed,
                    excess=group.check.excess,
                ),
                "warning",
            )
        if outcome.left:
            flash(
                _(
                    "%(count)s ratings left as drafts (not decided yet, or your own).",
                    count=len(outcome.left),
                ),
                "info",
            )
    return redirect(url_for("reviews.annual_unit", unit_id=unit.id, year=year), 303)


@blueprint.post("/annual-ratings/<int:annual_id>/decide")
@requires(Permission.REVIEWS_OPEN)
def annual_decide(annual_id: int) -> ResponseReturnValue:
    annual, unit = _annual_for(current_user, annual_id)
    unit_id, year = unit.id, annual.year
    form = AnnualDecideForm(prefix=f"d{annual_id}")
    done = _submit_prefixed(
        form, AnnualDecide(), lambda data: services.decide_annual(current_user, annual, data)
    )
    if done is None:
        return _annual_page(_page_unit(unit_id), year, status=form.status, failed=(annual_id, form))
    flash(_("Decision saved."), "success")
    return redirect(url_for("reviews.annual_unit", unit_id=_page_unit(unit_id).id, year=year))


@blueprint.post("/annual-ratings/<int:annual_id>/adjust")
@requires(Permission.REVIEWS_OPEN)
def annual_adjust(annual_id: int) -> ResponseReturnValue:
    annual, unit = _annual_for(current_user, annual_id)
    unit_id, year = unit.id, annual.year
    form = AnnualAdjustForm(prefix=f"a{annual_id}")
    done = _submit_prefixed(
        form, AnnualAdjust(), lambda data: services.adjust_annual(current_user, annual, data)
    )
    if done is None:
        return _annual_page(_page_unit(unit_id), year, status=form.status, failed=(annual_id, form))
    flash(_("Rating saved."), "success")
    return redirect(url_for("reviews.annual_unit", unit_id=_page_unit(unit_id).id, year=year))


def _page_unit(unit_id: int) -> Unit:
    """The unit page to return to: the one the form was sent from (``?unit_id=``) when the
    actor rates it, else the person's own unit."""
    asked = request.args.get("unit_id", type=int)
    if asked is not None:
        unit = db.session.get(Unit, asked)
        if unit is not None and can_open_periods(current_user, unit.path):
            return unit
    unit = db.session.get(Unit, unit_id)
    assert unit is not None
    return unit


def _submit_prefixed(form: Form, schema: Any, action: Callable[[dict[str, Any]], T]) -> T | None:
    """``submit`` for a form among several on a page (its fields carry a prefix)."""
    if not form.validate_on_submit():
        return None
    prefix = f"{form._prefix}"
    data = {
        key[len(prefix) :]: value
        for key, value in submitted_data().items()
        if key.startswith(prefix)
    }
    try:
        return action(load(schema, data))
    except (DomainError, ValidationFailed) as error:
        db.session.rollback()
        form.attach(error)
        return None


@blueprint.get("/annual/<int:unit_id>/<int:year>/export.xlsx")
@requires(Permission.REVIEWS_OPEN)
def export_annual(unit_id: int, year: int) -> ResponseReturnValue:
    unit = _unit_for(current_user, unit_id, year)
    rows = queries.annual_ratings(current_user, unit, year)
    names = unit_names({a.unit_id for a, _e in rows})
    return _xlsx(
        exchange.annual_results(rows, names, unit, year),
        f"xep-loai-nam-{year}-{unit.code}.xlsx",
    )


# Documents of a period and of a review ---------------------------------------------------------


def _period_for(actor: Any, period_id: int) -> tuple[ReviewPeriod, Unit]:
    """The period and the unit the document covers: ``?unit_id=`` when it is under the period's
    unit and the actor reads it, else the period's unit when the actor reads it all, else the
    outermost unit of the actor's scope under it (404 if none)."""
    period, unit = queries.period_for(actor, period_id)
    scope = Scope.for_actor(actor, Permission.REVIEWS_VIEW)
    inside = [p for p in scope.subtree_paths if p.startswith(unit.path)]
    asked = request.args.get("unit_id", type=int)
    chosen = db.session.get(Unit, asked) if asked is not None else None
    if chosen is not None and chosen.path.startswith(unit.path) and scope.covers(chosen.path):
        return period, chosen
    if not scope.covers(unit.path) and len(inside) == 1:
        shown = db.session.scalar(select(Unit).where(Unit.path == inside[0]))
        if shown is not None:
            unit = shown
    return period, unit


@blueprint.get("/periods/<int:period_id>/summary.pdf")
@requires(Permission.REVIEWS_VIEW)
def print_period_summary(period_id: int) -> ResponseReturnValue:
    period, unit = _period_for(current_user, period_id)
    board = queries.dashboard(current_user, period, unit, today())
    content = pdf.period_summary(board, unit)
    return pdf_response(content, f"danh-sach-ket-qua-{period.starts_on:%Y-%m}-{unit.code}.pdf")


@blueprint.get("/periods/<int:period_id>/results.xlsx")
@requires(Permission.REVIEWS_VIEW)
def export_period_results(period_id: int) -> ResponseReturnValue:
    period, unit = _period_for(current_user, period_id)
    board = queries.dashboard(current_user, period, unit, today())
    return _xlsx(
        exchange.period_results(board, unit),
        f"ket-qua-danh-gia-{period.starts_on:%Y-%m}-{unit.code}.xlsx",
    )


@blueprint.get("/<int:review_id>/form.pdf")
@requires(Permission.SIGNED_IN)
def print_review(review_id: int) -> ResponseReturnValue:
    """The evaluation form: whoever sees the review (the person, heads and officers)."""
    loaded = queries.get_review_for(current_user, review_id)
    content = pdf.evaluation_form(loaded)
    return pdf_response(
        content, f"phieu-danh-gia-{loaded.period.starts_on:%Y-%m}-{loaded.employee.id}.pdf"
    )


# Scheme administration -------------------------------------------------------------------------


def _scheme_for(scheme_id: int) -> EvaluationScheme:
    scheme = db.session.get(EvaluationScheme, scheme_id)
    return authorize(scheme, visible=scheme is not None)


def _assign_form(formdata: Any = None) -> SchemeAssignForm:
    form = SchemeAssignForm(formdata=formdata)
    units = db.session.scalars(
        select(Unit).where(Unit.effective_to.is_(None)).order_by(Unit.path)
    ).all()
    form.unit_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(u.id), f"{'· ' * u.depth}{u.name}")
        for u in units
        if u.kind in queries.AGENCY_KINDS
    ]
    schemes = db.session.scalars(
        select(EvaluationScheme)
        .where(EvaluationScheme.active)
        .order_by(EvaluationScheme.code, EvaluationScheme.effective_from)
    ).all()
    form.scheme_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(s.id), f"{s.code} ({format_date(s.effective_from)})") for s in schemes
    ]
    return form


def _schemes_page(form: SchemeAssignForm, status: int = 200) -> ResponseReturnValue:
    schemes = db.session.scalars(
        select(EvaluationScheme).order_by(
            EvaluationScheme.code, EvaluationScheme.effective_from.desc()
        )
    ).all()
    by_code: dict[str, list[EvaluationScheme]] = {}
    for scheme in schemes:
        by_code.setdefault(scheme.code, []).append(scheme)
    assignments = db.session.execute(
        select(SchemeAssignment, Unit, EvaluationScheme)
        .join(Unit, Unit.id == SchemeAssignment.unit_id)
        .join(EvaluationScheme, EvaluationScheme.id == SchemeAssignment.scheme_id)
        .order_by(Unit.path, SchemeAssignment.kind, SchemeAssignment.effective_from)
    ).all()
    return render_template(
        "reviews/scheme_list.html",
        by_code=by_code,
        assignments=assignments,
        form=form,
        kind_labels=KIND_LABELS,
    ), status


@blueprint.get("/schemes/")
@requires(Permission.REVIEWS_SCHEMES)
def scheme_list() -> ResponseReturnValue:
    return _schemes_page(_assign_form(formdata=None))


@blueprint.post("/schemes/assignments")
@requires(Permission.REVIEWS_SCHEMES)
def scheme_assign() -> ResponseReturnValue:
    form = _assign_form()
    done = submit(form, SchemeAssign(), lambda data: services.assign_scheme(current_user, data))
    if done is None:
        return _schemes_page(form, form.status or 422)
    flash(_("The agency's choice of scheme is saved."), "success")
    return redirect(url_for("reviews.scheme_list"))


@blueprint.get("/schemes/<int:scheme_id>")
@requires(Permission.REVIEWS_SCHEMES)
def scheme_show(scheme_id: int) -> ResponseReturnValue:
    scheme = _scheme_for(scheme_id)
    versions = db.session.scalars(
        select(EvaluationScheme)
        .where(EvaluationScheme.code == scheme.code)
        .order_by(EvaluationScheme.effective_from.desc())
    ).all()
    return render_template(
        "reviews/scheme_show.html",
        scheme=scheme,
        versions=versions,
        rules_text=json.dumps(scheme.rules, ensure_ascii=False, indent=2),
        kind_labels=KIND_LABELS,
    )


def _save_version(form: SchemeVersionForm, code: str | None) -> EvaluationScheme | None:
    if not form.validate_on_submit():
        return None
    data = submitted_data() | {"kinds": request.form.getlist("kinds")}
    if code is not None:
        data["code"] = code
    try:
        return services.add_scheme_version(current_user, load(SchemeVersionCreate(), data))
    except (DomainError, ValidationFailed) as error:
        db.session.rollback()
        form.attach(error)
        return None


def _version_page(form: SchemeVersionForm, base: EvaluationScheme | None) -> ResponseReturnValue:
    created = _save_version(form, base.code if base is not None else None)
    if created is not None:
        flash(
            _(
                "Scheme %(code)s saved; in force from %(date)s.",
                code=created.code,
                date=format_date(created.effective_from),
            ),
            "success",
        )
        return redirect(url_for("reviews.scheme_show", scheme_id=created.id))
    return render_template("reviews/scheme_form.html", form=form, base=base), form.status


@blueprint.route("/schemes/<int:scheme_id>/versions/new", methods=["GET", "POST"])
@requires(Permission.REVIEWS_SCHEMES)
def scheme_add_version(scheme_id: int) -> ResponseReturnValue:
    """A new version, prefilled with this one's rules; versions are never edited."""
    base = _scheme_for(scheme_id)
    if request.method == "POST":
        form = SchemeVersionForm()
    else:
        form = SchemeVersionForm(
            formdata=None,
            data={
                "code": base.code,
                "name": base.name,
                "kinds": base.kind_list,
                "effective_from": None,
                "rules": json.dumps(base.rules, ensure_ascii=False, indent=2),
            },
        )
    form.code.render_kw = {"readonly": True}
    return _version_page(form, base)


@blueprint.route("/schemes/new", methods=["GET", "POST"])
@requires(Permission.REVIEWS_SCHEMES)
def scheme_create() -> ResponseReturnValue:
    form = SchemeVersionForm() if request.method == "POST" else SchemeVersionForm(formdata=None)
    return _version_page(form, None)
