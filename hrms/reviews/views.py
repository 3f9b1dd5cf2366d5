"""Pages of the review cycle: periods and their dashboard, the review (plan, self-assessment,
scoring, finalising, reopening, comments, on one page that shows each person what they may do)
and one's own reviews.

The annual ratings, PDFs, Excel and scheme pages add their routes to ``blueprint`` from
``hrms.reviews.views_annual``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from hrms.core.dates import format_date
from hrms.core.dates import today as agency_today
from hrms.core.forms import submit
from hrms.core.links import links
from hrms.core.security import Permission, Scope, requires
from hrms.employees.models import Employee
from hrms.extensions import db
from hrms.org.models import Unit
from hrms.reviews import queries, services
from hrms.reviews.forms import (
    CommentForm,
    DeadlinesForm,
    PeriodOpenForm,
    PlanForm,
    ReopenForm,
    ScoreForm,
    SelfAssessmentForm,
    VersionForm,
    submit_rows,
)
from hrms.reviews.models import (
    PERIOD_KIND_LABELS,
    RATING_LABELS,
    Review,
    ReviewPeriod,
    ReviewState,
)
from hrms.reviews.policies import can_open_periods, can_view_review
from hrms.reviews.schemas import (
    CommentAdd,
    PeriodDeadlines,
    PeriodOpen,
    PlanSave,
    ReviewReopen,
    ReviewScore,
    SelfAssessmentSave,
    VersionOnly,
)
from hrms.reviews.scheme import Method, PeriodKind, Rating

blueprint = Blueprint("reviews", __name__, url_prefix="/reviews")


def _reason_label(code: str) -> str:
    labels: dict[str, str] = {
        "discipline": _("capped: disciplined during the period"),
        "absence": _("capped: absent for part of the year"),
    }
    return labels.get(code, code)


def _rating_label(value: str | None) -> str:
    if not value:
        return "—"
    return str(RATING_LABELS[Rating(value)])


@blueprint.app_template_filter("review_number")
def review_number(value: Decimal | int | str | None) -> str:
    """A quantity, weight or point as people write it in the page's language: 10, 12,5 (no
    trailing zeros; Vietnamese writes a decimal comma)."""
    return "—" if value is None else format_decimal(Decimal(value), format="#,##0.##")


@blueprint.app_template_filter("review_score")
def review_score(value: Decimal | str | None) -> str:
    """A computed percentage or point of the breakdown, at the 2 decimals it was computed with
    (91,67 in Vietnamese), so each step reads as the rule computes it."""
    return "—" if value is None else format_decimal(Decimal(value), format="#,##0.00")


@blueprint.app_template_filter("review_rating")
def review_rating(value: str | None) -> str:
    return _rating_label(value)


# Periods ---------------------------------------------------------------------------------------


@blueprint.get("/periods")
@requires(Permission.REVIEWS_VIEW)
def list_periods() -> ResponseReturnValue:
    opening = Scope.for_actor(current_user, Permission.REVIEWS_OPEN)
    return render_template(
        "reviews/period_list.html",
        periods=queries.visible_periods(current_user),
        can_open=opening.everything or bool(opening.subtree_paths),
    )


def _opening_units(actor: Any) -> list[Unit]:
    scope = Scope.for_actor(actor, Permission.REVIEWS_OPEN)
    return list(
        db.session.scalars(
            select(Unit)
            .where(scope.filter(Unit.path), Unit.effective_to.is_(None))
            .order_by(Unit.path)
        )
    )


@blueprint.route("/periods/new", methods=["GET", "POST"])
@requires(Permission.REVIEWS_OPEN)
def open_period() -> ResponseReturnValue:
    """Open a month or quarter for a unit's subtree; the result lists who was left out, and
    why."""
    form = PeriodOpenForm()
    units = _opening_units(current_user)
    form.unit_id.choices = [("", "—")] + [
        (str(unit.id), "\u2003" * (unit.depth or 0) + unit.name) for unit in units
    ]
    form.kind.choices = [(kind.value, str(PERIOD_KIND_LABELS[kind])) for kind in PeriodKind]
    if request.method == "GET":
        now = agency_today()
        form.kind.data = PeriodKind.MONTH.value
        form.year.data = str(now.year)
        form.number.data = str(now.month)
    opened = submit(form, PeriodOpen(), lambda data: services.open_period(current_user, data))
    if opened is not None:
        flash(
            _(
                "Period %(title)s opened: %(count)s reviews.",
                title=opened.period.title,
                count=len(opened.reviews),
            ),
            "success",
        )
        unit = db.session.get(Unit, opened.period.unit_id)
        ids = [review.employee_id for review in opened.reviews]
        names = {
            employee_id: name
            for employee_id, name in db.session.execute(
                select(Employee.id, Employee.full_name).where(Employee.id.in_(ids))
            )
        }
        return render_template("reviews/period_opened.html", opened=opened, unit=unit, names=names)
    return render_template("reviews/period_new.html", form=form), form.status


@blueprint.get("/periods/<int:period_id>")
@requires(Permission.REVIEWS_VIEW)
def show_period(period_id: int) -> ResponseReturnValue:
    """Who has not submitted, who is not scored, the ratings and the overdue items, unit by
    unit (``?unit_id=`` narrows it to one unit's subtree)."""
    return _period_page(period_id)


def _period_page(period_id: int, status: int = 200, **failed: Any) -> ResponseReturnValue:
    """The dashboard, with the officer's forms to close the period and move its deadlines (a
    refused one comes back with its messages)."""
    period, unit = queries.period_for(current_user, period_id)
    chosen = unit
    wanted = request.args.get("unit_id", type=int)
    if wanted is not None and wanted != unit.id:
        narrowed = db.session.get(Unit, wanted)
        if narrowed is None or not narrowed.path.startswith(unit.path):
            abort(404)
        chosen = narrowed
    board = queries.dashboard(current_user, period, chosen, services.today())
    units: dict[int, Unit] = {}
    for row in board.rows:
        units.setdefault(row.unit.id, row.unit)
    forms: dict[str, Any] = {}
    if not period.closed and can_open_periods(current_user, unit.path):
        forms["close"] = failed.get("close") or _period_version_form(period)
        deadlines = failed.get("deadlines")
        if deadlines is None:
            deadlines = DeadlinesForm(
                formdata=None,
                data={
                    "version": str(period.version),
                    "self_deadline": period.self_deadline,
                    "scoring_deadline": period.scoring_deadline,
                },
            )
        forms["deadlines"] = deadlines
    return render_template(
        "reviews/period_show.html",
        board=board,
        period=period,
        unit=unit,
        chosen=chosen,
        units=list(units.values()),
        ratings=list(Rating),
        states=list(ReviewState),
        forms=forms,
        # every row links its review, some twice or three times (in the lists above the table)
        links=links("reviews.show_review", "review_id", (row.review.id for row in board.rows)),
        rating_labels={rating.value: _rating_label(rating.value) for rating in Rating},
    ), status


def _period_version_form(period: ReviewPeriod) -> VersionForm:
    form = VersionForm(formdata=None)
    form.version.data = str(period.version)
    return form


@blueprint.post("/periods/<int:period_id>/close")
@requires(Permission.REVIEWS_OPEN)
def close_period(period_id: int) -> ResponseReturnValue:
    """Close the period once every review is finalised; refused with who is not."""
    period, _unit = queries.period_for(current_user, period_id, manage=True)
    form = VersionForm()
    done = submit(
        form,
        VersionOnly(),
        lambda data: services.close_period(current_user, period, data["version"]),
    )
    if done is not None:
        flash(
            _("Period %(title)s is closed; its reviews are read-only.", title=done.title), "success"
        )
        return redirect(url_for("reviews.show_period", period_id=period_id), 303)
    return _period_page(period_id, form.status, close=form)


@blueprint.post("/periods/<int:period_id>/deadlines")
@requires(Permission.REVIEWS_OPEN)
def extend_deadlines(period_id: int) -> ResponseReturnValue:
    """Move the deadlines later, saying why (audited)."""
    period, _unit = queries.period_for(current_user, period_id, manage=True)
    form = DeadlinesForm()
    done = submit(
        form,
        PeriodDeadlines(),
        lambda data: services.extend_deadlines(current_user, period, data),
    )
    if done is not None:
        flash(_("The deadlines of period %(title)s are moved.", title=done.title), "success")
        return redirect(url_for("reviews.show_period", period_id=period_id), 303)
    return _period_page(period_id, form.status, deadlines=form)


# One's own reviews -----------------------------------------------------------------------------


@blueprint.get("/mine")
@requires(Permission.SIGNED_IN)
def my_reviews() -> ResponseReturnValue:
    if current_user.employee_id is None:
        abort(404)
    return render_template(
        "reviews/review_mine.html",
        reviews=queries.reviews_of(current_user, current_user.employee_id),
        reminders=queries.reminders_for(current_user, services.today()),
    )


# The review ------------------------------------------------------------------------------------


def _load(review_id: int, action: str) -> queries.Loaded:
    return queries.get_review_for(current_user, review_id, action=action)


def _plan_form(loaded: queries.Loaded, formdata: Any = None) -> PlanForm:
    form = PlanForm(formdata=formdata)
    if formdata is None:
        form.fill(loaded.review)
        if not loaded.review.items:
            form.add_line(loaded.review.state != ReviewState.PLANNING.value)
    return form


def _self_form(loaded: queries.Loaded, formdata: Any = None) -> SelfAssessmentForm:
    form = SelfAssessmentForm(formdata=formdata)
    if formdata is None:
        form.fill(loaded.review, loaded.scheme.parsed.criteria)
    return form


def _score_form(loaded: queries.Loaded, formdata: Any = None) -> ScoreForm:
    form = ScoreForm(formdata=formdata)
    form.set_choices()
    if formdata is None:
        rules = loaded.scheme.parsed
        items = loaded.review.items if rules.method is Method.POINTS else []
        form.fill(loaded.review, items, rules.criteria)
    return form


def _version_form(review: Review) -> VersionForm:
    form = VersionForm(formdata=None)
    form.version.data = str(review.version)
    return form


def _page(loaded: queries.Loaded, status: int = 200, **failed: Any) -> ResponseReturnValue:
    """The review as the actor may see and act on it; a refused form comes back with its
    messages beside the inputs."""
    review, period = loaded.review, loaded.period
    state = ReviewState(review.state)
    rules = loaded.scheme.parsed
    now = services.today()
    reader = loaded.own or can_view_review(current_user, loaded.employee.id, loaded.unit.path)
    open_period = not period.closed
    may = {
        "plan": loaded.can_score and state in (ReviewState.PLANNING, ReviewState.SELF_ASSESSMENT),
        "open_self": loaded.can_score and state is ReviewState.PLANNING,
        "self": loaded.own and state is ReviewState.SELF_ASSESSMENT and now <= period.self_deadline,
        "score": loaded.can_score
        and (
            state in (ReviewState.SUBMITTED, ReviewState.SCORED)
            or (state is ReviewState.SELF_ASSESSMENT and now > period.self_deadline)
        ),
        "finalise": loaded.can_score and state is ReviewState.SCORED,
        "reopen": loaded.can_reopen and state is ReviewState.FINALISED,
        "comment": queries.may_comment(current_user, loaded),
    }
    # a closed period is read-only: no form at all (the services refuse them too)
    may = {action: allowed and open_period for action, allowed in may.items()}
    forms: dict[str, Any] = {}
    if may["plan"] or "plan" in failed:
        forms["plan"] = failed.get("plan") or _plan_form(loaded)
    if may["open_self"] or "open_self" in failed:
        forms["open_self"] = failed.get("open_self") or _version_form(review)
    if may["self"] or "self" in failed:
        forms["self"] = failed.get("self") or _self_form(loaded)
    if may["score"] or "score" in failed:
        forms["score"] = failed.get("score") or _score_form(loaded)
    if may["finalise"] or "finalise" in failed:
        forms["finalise"] = failed.get("finalise") or _version_form(review)
    if may["reopen"] or "reopen" in failed:
        reopen_form = failed.get("reopen") or ReopenForm(formdata=None)
        reopen_form.version.data = reopen_form.version.data or str(review.version)
        forms["reopen"] = reopen_form
    if may["comment"] or "comment" in failed:
        forms["comment"] = failed.get("comment") or CommentForm(formdata=None)
    # the person sees the result once it is final; those who score or read the unit at once
    show_result = review.breakdown is not None and (
        (reader and not loaded.own) or state is ReviewState.FINALISED
    )
    return (
        render_template(
            "reviews/review_show.html",
            loaded=loaded,
            review=review,
            period=period,
            rules=rules,
            criteria={c.code: c for c in rules.criteria},
            state=state,
            states=ReviewState,
            points_method=rules.method is Method.POINTS,
            reader=reader,
            forms=forms,
            show_result=show_result,
            comments=queries.comments_for(current_user, loaded) if reader else [],
            weights_total=sum((item.weight for item in review.items), 0),
            self_deadline_passed=now > period.self_deadline,
            scoring_deadline_passed=now > period.scoring_deadline,
            reason_label=_reason_label,
            rating_label=_rating_label,
            format_date=format_date,
        ),
        status,
    )


@blueprint.get("/<int:review_id>")
@requires(Permission.SIGNED_IN)
def show_review(review_id: int) -> ResponseReturnValue:
    # "comment" shows the review to the colleagues of the unit too, who may comment on it
    return _page(_load(review_id, "comment"))


def _done(review_id: int, message: str) -> ResponseReturnValue:
    flash(message, "success")
    return redirect(url_for("reviews.show_review", review_id=review_id))


@blueprint.post("/<int:review_id>/plan")
@requires(Permission.REVIEWS_SCORE)
def save_plan(review_id: int) -> ResponseReturnValue:
    """The whole work plan; "add a line" comes back with one more blank line, unsaved."""
    loaded = _load(review_id, "score")
    form = _plan_form(loaded, formdata=request.form)
    if request.form.get("add_line"):
        form.add_line(loaded.review.state != ReviewState.PLANNING.value)
        return _page(loaded, plan=form)
    saved = submit_rows(
        form, PlanSave(), lambda data: services.save_plan(current_user, loaded, data)
    )
    if saved is not None:
        return _done(review_id, _("The work plan is saved."))
    return _page(_load(review_id, "score"), form.status, plan=form)


@blueprint.post("/<int:review_id>/open-self-assessment")
@requires(Permission.REVIEWS_SCORE)
def open_self_assessment(review_id: int) -> ResponseReturnValue:
    loaded = _load(review_id, "score")
    form = VersionForm()
    opened = submit(
        form,
        VersionOnly(),
        lambda data: services.open_self_assessment(current_user, loaded, data["version"]),
    )
    if opened is not None:
        return _done(review_id, _("The self-assessment is open to the person."))
    return _page(_load(review_id, "score"), form.status, open_self=form)


@blueprint.post("/<int:review_id>/self-assessment")
@requires(Permission.SIGNED_IN)
def save_self_assessment(review_id: int) -> ResponseReturnValue:
    """Save the self-assessment as a draft, or save and submit it ("submit" button)."""
    loaded = _load(review_id, "self")
    form = _self_form(loaded, formdata=request.form)
    handing_in = request.form.get("action") == "submit"

    def save(data: dict[str, Any]) -> Review:
        review = services.save_self_assessment(current_user, loaded, data)
        if handing_in:
            services.submit(current_user, loaded, review.version)
        return review

    saved = submit_rows(form, SelfAssessmentSave(), save)
    if saved is not None:
        return _done(
            review_id,
            _("Your self-assessment is submitted to your head.")
            if handing_in
            else _("Your self-assessment is saved; submit it when it is complete."),
        )
    return _page(_load(review_id, "self"), form.status, self=form)


@blueprint.post("/<int:review_id>/score")
@requires(Permission.REVIEWS_SCORE)
def score(review_id: int) -> ResponseReturnValue:
    loaded = _load(review_id, "score")
    form = _score_form(loaded, formdata=request.form)
    scored = submit_rows(
        form, ReviewScore(), lambda data: services.score_review(current_user, loaded, data)
    )
    if scored is not None:
        return _done(
            review_id,
            _("Scored: %(rating)s.", rating=_rating_label(scored.final_rating)),
        )
    return _page(_load(review_id, "score"), form.status, score=form)


@blueprint.post("/<int:review_id>/finalise")
@requires(Permission.REVIEWS_SCORE)
def finalise(review_id: int) -> ResponseReturnValue:
    loaded = _load(review_id, "score")
    form = VersionForm()
    done = submit(
        form,
        VersionOnly(),
        lambda data: services.finalise(current_user, loaded, data["version"]),
    )
    if done is not None:
        return _done(review_id, _("The review is finalised."))
    return _page(_load(review_id, "score"), form.status, finalise=form)


@blueprint.post("/<int:review_id>/reopen")
@requires(Permission.SIGNED_IN)
def reopen(review_id: int) -> ResponseReturnValue:
    """Heads over the unit and personnel officers unlock a finalised review, saying why."""
    loaded = _load(review_id, "reopen")
    form = ReopenForm()
    done = submit(form, ReviewReopen(), lambda data: services.reopen(current_user, loaded, data))
    if done is not None:
        return _done(review_id, _("The review is reopened for scoring."))
    return _page(_load(review_id, "reopen"), form.status, reopen=form)


@blueprint.post("/<int:review_id>/comments")
@requires(Permission.REVIEWS_COMMENT)
def add_comment(review_id: int) -> ResponseReturnValue:
    loaded = _load(review_id, "comment")
    if not queries.may_comment(current_user, loaded):
        abort(403)  # the person reviewed, or a reader who is no colleague nor scorer
    form = CommentForm()
    done = submit(
        form,
        CommentAdd(),
        lambda data: services.add_comment(current_user, loaded, data["body"]),
    )
    if done is not None:
        return _done(review_id, _("Your comment is added."))
    return _page(_load(review_id, "comment"), form.status, comment=form)
