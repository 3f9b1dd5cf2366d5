"""JSON API of review periods, reviews and annual ratings: the same loaders, input schemas and
services as the pages (conventions: hrms.core.api).

Actions on a review are ``POST``s on the review (the self-assessment, the submission, the
scoring, the finalisation...; only the head's whole work plan is a ``PUT``); each carries the
``version`` read, and a stale one is a 409. They answer with the review as it now stands.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import false, func, select

from hrms.core.api import (
    Operation,
    PageQuerySchema,
    api_blueprint,
    documented,
    json_body,
    list_page,
    query_args,
)
from hrms.core.errors import ValidationFailed
from hrms.core.security import Actor, Permission, authorize, requires
from hrms.employees.models import Employee
from hrms.extensions import db
from hrms.org.models import Unit
from hrms.reviews import queries, services
from hrms.reviews.models import (
    AnnualRating,
    EvaluationScheme,
    Review,
    ReviewPeriod,
    ReviewState,
)
from hrms.reviews.policies import can_view_review
from hrms.reviews.schemas import (
    AnnualAdjust,
    AnnualDecide,
    AnnualFinalisedOut,
    AnnualListOut,
    AnnualRatingOut,
    CapReportOut,
    CommentAdd,
    CommentOut,
    DashboardOut,
    DashboardQuery,
    PeriodDeadlines,
    PeriodListQuery,
    PeriodOpen,
    PeriodOpenedOut,
    PlanSave,
    ReviewDetailOut,
    ReviewListQuery,
    ReviewPeriodOut,
    ReviewReopen,
    ReviewScore,
    ReviewSummaryOut,
    SelfAssessmentSave,
    VersionOnly,
)

blueprint = api_blueprint("reviews_api", __name__)

#: states in which the review carries the head's score and its breakdown
SCORED_STATES = (ReviewState.SCORED.value, ReviewState.FINALISED.value)


# Bodies ----------------------------------------------------------------------------------------


def _period_body(period: ReviewPeriod, unit: Unit) -> dict[str, Any]:
    return {
        "id": period.id,
        "version": period.version,
        "kind": period.kind,
        "title": period.title,
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
        "unit_id": unit.id,
        "unit_name": unit.name,
        "self_deadline": period.self_deadline,
        "scoring_deadline": period.scoring_deadline,
        "state": period.state,
        "opened_by": period.opened_by,
        "closed_at": period.closed_at,
        "closed_by": period.closed_by,
    }


def _summary_body(
    review: Review, employee: Employee, unit: Unit, period: ReviewPeriod
) -> dict[str, Any]:
    final = review.final_rating
    return {
        "id": review.id,
        "version": review.version,
        "period_id": period.id,
        "period_title": period.title,
        "employee_id": employee.id,
        "full_name": employee.full_name,
        "unit_id": unit.id,
        "unit_name": unit.name,
        "state": review.state,
        "total": review.total,
        "rating": review.rating,
        "override_rating": review.override_rating,
        "final_rating": final.value if final is not None else None,
        "submitted_at": review.submitted_at,
        "scored_at": review.scored_at,
        "scored_late": review.scored_late,
        "finalised_at": review.finalised_at,
    }


def _detail_body(actor: Actor, loaded: queries.Loaded) -> dict[str, Any]:
    review = loaded.review
    scored = review.state in SCORED_STATES
    body = _summary_body(review, loaded.employee, loaded.unit, loaded.period)
    body |= {
        "scheme_code": loaded.scheme.code,
        "method": loaded.scheme.parsed.method.value,
        "position_id": review.position_id,
        "leads_unit_id": review.leads_unit_id,
        "self_points": review.self_points,
        "self_note": review.self_note,
        "general_points": review.general_points,
        "disciplined": review.disciplined,
        "band": review.band,
        "override_reason": review.override_reason,
        "head_note": review.head_note,
        "reopen_reason": review.reopen_reason,
        "breakdown": review.breakdown if scored else None,
        "items": review.items,
        "comments": queries.comments_for(actor, loaded),
        "may_score": loaded.can_score,
        "may_reopen": loaded.can_reopen,
        "own": loaded.own,
    }
    return body


def _detail(loaded: queries.Loaded) -> ResponseReturnValue:
    return jsonify(ReviewDetailOut().dump(_detail_body(current_user, loaded)))


# Review periods --------------------------------------------------------------------------------


@blueprint.get("/review-periods")
@requires(Permission.REVIEWS_VIEW)
@documented(
    Operation(
        summary="Review periods of the units in scope and those holding reviews in scope (a "
        "head sees the department's period for their division), latest first; filters: the "
        "unit the period was opened for, the year it starts in, month or quarter",
        query=PeriodListQuery(),
        response=ReviewPeriodOut(),
        paged=True,
        errors=(403,),
        tags=("reviews",),
    )
)
def list_periods() -> ResponseReturnValue:
    args = query_args(PeriodListQuery())
    rows = [
        (period, unit)
        for period, unit in queries.visible_periods(current_user)
        if (args.get("unit_id") is None or unit.id == args["unit_id"])
        and (args.get("year") is None or period.starts_on.year == args["year"])
        and (args.get("kind") is None or period.kind == args["kind"])
    ]
    return jsonify(
        list_page(
            rows,
            args,
            lambda page: ReviewPeriodOut(many=True).dump([_period_body(p, u) for p, u in page]),
        )
    )


@blueprint.post("/review-periods")
@requires(Permission.REVIEWS_OPEN)
@documented(
    Operation(
        summary="Open a month or quarter for a unit's subtree: one review per working person "
        "whose scheme is run by that kind of period, its plan drawn from their position's "
        "outputs; says who was left out and why",
        body=PeriodOpen(),
        response=PeriodOpenedOut(),
        status=201,
        errors=(403,),
        tags=("reviews",),
    )
)
def open_period() -> ResponseReturnValue:
    opened = services.open_period(current_user, json_body(PeriodOpen()))
    unit = db.session.get(Unit, opened.period.unit_id)
    assert unit is not None
    body = _period_body(opened.period, unit) | {
        "review_ids": [review.id for review in opened.reviews],
        "skipped": [
            {"employee_id": employee.id, "full_name": employee.full_name, "reason": reason}
            for employee, reason in opened.skipped
        ],
    }
    response = jsonify(PeriodOpenedOut().dump(body))
    response.status_code = 201
    response.headers["Location"] = url_for("reviews_api.show_period", period_id=opened.period.id)
    return response


@blueprint.get("/review-periods/<int:period_id>")
@requires(Permission.REVIEWS_VIEW)
@documented(
    Operation(
        summary="One review period",
        response=ReviewPeriodOut(),
        errors=(403, 404),
        tags=("reviews",),
    )
)
def show_period(period_id: int) -> ResponseReturnValue:
    period, unit = queries.period_for(current_user, period_id)
    return jsonify(ReviewPeriodOut().dump(_period_body(period, unit)))


@blueprint.get("/review-periods/<int:period_id>/dashboard")
@requires(Permission.REVIEWS_VIEW)
@documented(
    Operation(
        summary="A period's progress for a unit of it (by default the period's unit): reviews "
        "by state and rating, who has not submitted, who is not scored, overdue items",
        query=DashboardQuery(),
        response=DashboardOut(),
        errors=(403, 404),
        tags=("reviews",),
    )
)
def period_dashboard(period_id: int) -> ResponseReturnValue:
    period, unit = queries.period_for(current_user, period_id)
    args = query_args(DashboardQuery())
    if args.get("unit_id") is not None and args["unit_id"] != unit.id:
        chosen = db.session.get(Unit, args["unit_id"])
        if chosen is None or not chosen.path.startswith(unit.path):
            raise ValidationFailed({"unit_id": [_l("Choose a unit the period covers.")]})
        unit = chosen
    board = queries.dashboard(current_user, period, unit, services.today())
    body = {
        "period_id": period.id,
        "unit_id": unit.id,
        "today": board.today,
        "by_state": dict(board.by_state),
        "ratings": dict(board.ratings),
        "rows": [
            {
                "review_id": row.review.id,
                "employee_id": row.employee.id,
                "full_name": row.employee.full_name,
                "unit_id": row.unit.id,
                "unit_name": row.unit.name,
                "state": row.review.state,
                "total": row.review.total,
                "final_rating": (
                    row.review.final_rating.value if row.review.final_rating is not None else None
                ),
                "overdue_items": row.overdue_items,
                "scored_late": row.review.scored_late,
            }
            for row in board.rows
        ],
        "not_submitted": [row.review.id for row in board.not_submitted],
        "not_scored": [row.review.id for row in board.not_scored],
        "overdue": [row.review.id for row in board.overdue],
        "scoring_overdue": board.scoring_overdue,
        "scored_late": [row.review.id for row in board.scored_late],
    }
    return jsonify(DashboardOut().dump(body))


@blueprint.post("/review-periods/<int:period_id>/closing")
@requires(Permission.REVIEWS_OPEN)
@documented(
    Operation(
        summary="Close the period once every review of it is finalised (refused with the names "
        "of those that are not); a closed period is read-only. Personnel officers of its unit",
        body=VersionOnly(),
        response=ReviewPeriodOut(),
        errors=(403, 404, 409),
        tags=("reviews",),
    )
)
def close_period(period_id: int) -> ResponseReturnValue:
    period, unit = queries.period_for(current_user, period_id, manage=True)
    services.close_period(current_user, period, json_body(VersionOnly())["version"])
    return jsonify(ReviewPeriodOut().dump(_period_body(period, unit)))


@blueprint.post("/review-periods/<int:period_id>/deadlines")
@requires(Permission.REVIEWS_OPEN)
@documented(
    Operation(
        summary="Move the period's self-assessment and scoring deadlines later, with a written "
        "reason (audited); never earlier. Personnel officers of its unit",
        body=PeriodDeadlines(),
        response=ReviewPeriodOut(),
        errors=(403, 404, 409),
        tags=("reviews",),
    )
)
def extend_deadlines(period_id: int) -> ResponseReturnValue:
    period, unit = queries.period_for(current_user, period_id, manage=True)
    services.extend_deadlines(current_user, period, json_body(PeriodDeadlines()))
    return jsonify(ReviewPeriodOut().dump(_period_body(period, unit)))


# Reviews ---------------------------------------------------------------------------------------


@blueprint.get("/reviews")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary="Reviews the caller may read (their own, and those of the units in scope), "
        "latest period first; filters: period, person, state, unit (with its subtree)",
        query=ReviewListQuery(),
        response=ReviewSummaryOut(),
        paged=True,
        tags=("reviews",),
    )
)
def list_reviews() -> ResponseReturnValue:
    args = query_args(ReviewListQuery())
    # the loader's and the dashboard's scope: one definition of who reads which reviews
    query = queries.visible_reviews(current_user)
    if args.get("period_id") is not None:
        query = query.where(Review.period_id == args["period_id"])
    if args.get("employee_id") is not None:
        query = query.where(Review.employee_id == args["employee_id"])
    if args.get("state") is not None:
        query = query.where(Review.state == args["state"])
    if args.get("unit_id") is not None:
        within = db.session.get(Unit, args["unit_id"])
        query = query.where(
            queries.in_subtree(Unit.path, within.path) if within is not None else false()
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(
        query.order_by(ReviewPeriod.starts_on.desc(), Unit.path, Employee.search_name, Review.id)
        .limit(args["per_page"])
        .offset((args["page"] - 1) * args["per_page"])
    )
    items = [_summary_body(*row) for row in rows]
    return jsonify(
        {
            "items": ReviewSummaryOut(many=True).dump(items),
            "total": total,
            "page": args["page"],
            "per_page": args["per_page"],
        }
    )


@blueprint.get("/reviews/<int:review_id>")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary="One review with its work plan and what was delivered, the points, the score "
        "breakdown once scored, and the comments (without their authors for the person "
        "reviewed)",
        response=ReviewDetailOut(),
        errors=(404,),
        tags=("reviews",),
    )
)
def show_review(review_id: int) -> ResponseReturnValue:
    return _detail(queries.get_review_for(current_user, review_id))


@blueprint.put("/reviews/<int:review_id>/plan")
@requires(Permission.REVIEWS_SCORE)
@documented(
    Operation(
        summary="The head's whole work plan at once (items with an id are adjusted, without one "
        "added, left out removed); send the version you read",
        body=PlanSave(),
        response=ReviewDetailOut(),
        errors=(403, 404, 409),
        tags=("reviews",),
    )
)
def save_plan(review_id: int) -> ResponseReturnValue:
    loaded = queries.get_review_for(current_user, review_id, action="score")
    services.save_plan(current_user, loaded, json_body(PlanSave()))
    return _detail(loaded)


@blueprint.post("/reviews/<int:review_id>/self-assessment-opening")
@requires(Permission.REVIEWS_SCORE)
@documented(
    Operation(
        summary="The plan is ready (its weights add up to 100): open the self-assessment",
        body=VersionOnly(),
        response=ReviewDetailOut(),
        errors=(403, 404, 409),
        tags=("reviews",),
    )
)
def open_self_assessment(review_id: int) -> ResponseReturnValue:
    loaded = queries.get_review_for(current_user, review_id, action="score")
    services.open_self_assessment(current_user, loaded, json_body(VersionOnly())["version"])
    return _detail(loaded)


@blueprint.post("/reviews/<int:review_id>/self-assessment")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary="The person's report: per item what was delivered, when, with what evidence; "
        "their own points and remarks (until the self-assessment deadline)",
        body=SelfAssessmentSave(),
        response=ReviewDetailOut(),
        errors=(403, 404, 409),
        tags=("reviews",),
    )
)
def save_self_assessment(review_id: int) -> ResponseReturnValue:
    loaded = queries.get_review_for(current_user, review_id, action="self")
    services.save_self_assessment(current_user, loaded, json_body(SelfAssessmentSave()))
    return _detail(loaded)


@blueprint.post("/reviews/<int:review_id>/submission")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary="The person hands the self-assessment to the head (every item needs a "
        "delivered quantity, 0 if nothing)",
        body=VersionOnly(),
        response=ReviewDetailOut(),
        errors=(403, 404, 409),
        tags=("reviews",),
    )
)
def submit(review_id: int) -> ResponseReturnValue:
    loaded = queries.get_review_for(current_user, review_id, action="self")
    services.submit(current_user, loaded, json_body(VersionOnly())["version"])
    return _detail(loaded)


@blueprint.post("/reviews/<int:review_id>/score")
@requires(Permission.REVIEWS_SCORE)
@documented(
    Operation(
        summary="The head's scoring: returns, delays and excused delays per item, points per "
        "general criterion (or the rating, for criteria schemes), an override with a written "
        "reason; answers with the computed breakdown",
        body=ReviewScore(),
        response=ReviewDetailOut(),
        errors=(403, 404, 409),
        tags=("reviews",),
    )
)
def score(review_id: int) -> ResponseReturnValue:
    loaded = queries.get_review_for(current_user, review_id, action="score")
    services.score_review(current_user, loaded, json_body(ReviewScore()))
    return _detail(loaded)


@blueprint.post("/reviews/<int:review_id>/finalisation")
@requires(Permission.REVIEWS_SCORE)
@documented(
    Operation(
        summary="Lock the scored review; its breakdown stays as scored",
        body=VersionOnly(),
        response=ReviewDetailOut(),
        errors=(403, 404, 409),
        tags=("reviews",),
    )
)
def finalise(review_id: int) -> ResponseReturnValue:
    loaded = queries.get_review_for(current_user, review_id, action="score")
    services.finalise(current_user, loaded, json_body(VersionOnly())["version"])
    return _detail(loaded)


@blueprint.post("/reviews/<int:review_id>/reopening")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary="Unlock a finalised review for scoring again, with a written reason (heads "
        "over the unit and personnel officers; never one's own)",
        body=ReviewReopen(),
        response=ReviewDetailOut(),
        errors=(403, 404, 409),
        tags=("reviews",),
    )
)
def reopen(review_id: int) -> ResponseReturnValue:
    loaded = queries.get_review_for(current_user, review_id, action="reopen")
    services.reopen(current_user, loaded, json_body(ReviewReopen()))
    return _detail(loaded)


@blueprint.post("/reviews/<int:review_id>/comments")
@requires(Permission.REVIEWS_COMMENT)
@documented(
    Operation(
        summary="A colleague's remark on a review (colleagues of the unit and those who score "
        "it; the person reads it without the author's name)",
        body=CommentAdd(),
        response=CommentOut(),
        status=201,
        errors=(403, 404),
        tags=("reviews",),
    )
)
def add_comment(review_id: int) -> ResponseReturnValue:
    loaded = queries.get_review_for(current_user, review_id, action="comment")
    comment = services.add_comment(current_user, loaded, json_body(CommentAdd())["body"])
    response = jsonify(
        CommentOut().dump(
            {"body": comment.body, "at": comment.created_at, "author": current_user.full_name}
        )
    )
    response.status_code = 201
    response.headers["Location"] = url_for("reviews_api.show_review", review_id=review_id)
    return response


# Annual ratings --------------------------------------------------------------------------------


@blueprint.get("/employees/<int:employee_id>/annual-ratings")
@requires(Permission.SIGNED_IN)
@documented(
    Operation(
        summary="A person's annual ratings, latest year first (what salary raises read); "
        "people read their own",
        query=PageQuerySchema(),
        response=AnnualRatingOut(),
        paged=True,
        errors=(404,),
        tags=("reviews",),
    )
)
def annual_ratings(employee_id: int) -> ResponseReturnValue:
    row = db.session.execute(
        select(Employee, Unit)
        .join(Unit, Unit.id == Employee.unit_id)
        .where(Employee.id == employee_id)
    ).first()
    visible = row is not None and can_view_review(current_user, row[0].id, row[1].path)
    authorize(row, visible=visible)
    args = query_args(PageQuerySchema())
    ratings = list(
        db.session.scalars(
            select(AnnualRating)
            .where(AnnualRating.employee_id == employee_id)
            .order_by(AnnualRating.year.desc())
        )
    )
    return jsonify(list_page(ratings, args, lambda page: AnnualRatingOut(many=True).dump(page)))


# The year of a unit: compute, decide, adjust, the cap report, finalise -----------------------


class _AnnualRow:
    """An annual rating with the person's name, as AnnualRatingRowOut reads it."""

    def __init__(self, annual: AnnualRating, employee: Employee) -> None:
        self._annual = annual
        self.full_name = employee.full_name

    def __getattr__(self, name: str) -> Any:
        return getattr(self._annual, name)


def _annual_row(annual: AnnualRating, employee: Employee) -> _AnnualRow:
    return _AnnualRow(annual, employee)


def _cap_group(group: services.CapGroup) -> dict[str, Any]:
    return {
        "agency_id": group.agency.id,
        "agency_name": group.agency.name,
        "task_group": group.task_group,
        "counted": group.check.counted,
        "allowed": group.check.allowed,
        "rated": group.check.rated,
        "excess": group.check.excess,
        "over": group.over,
        "top": [
            {
                "annual_id": annual.id,
                "employee_id": employee.id,
                "full_name": employee.full_name,
                "average": annual.average,
            }
            for annual, employee in group.top
        ],
    }


def _annual_list(unit: Unit, year: int) -> dict[str, Any]:
    rows = queries.annual_ratings(current_user, unit, year)
    deadline = None
    if rows:
        scheme = db.session.get(EvaluationScheme, rows[0][0].scheme_id)
        deadline = services.annual_deadline(scheme.parsed, year) if scheme is not None else None
    return {
        "unit_id": unit.id,
        "year": year,
        "deadline": deadline,
        "items": [_annual_row(annual, employee) for annual, employee in rows],
    }


@blueprint.get("/units/<int:unit_id>/annual-ratings/<int:year>")
@requires(Permission.REVIEWS_OPEN)
@documented(
    Operation(
        summary="The year's annual ratings of a unit's subtree, drafts and finalised, with the "
        "scheme's deadline (personnel officers of the unit)",
        response=AnnualListOut(),
        errors=(403, 404),
        tags=("reviews",),
    )
)
def unit_annual_ratings(unit_id: int, year: int) -> ResponseReturnValue:
    unit = queries.rating_unit_for(current_user, unit_id, year)
    return jsonify(AnnualListOut().dump(_annual_list(unit, year)))


@blueprint.post("/units/<int:unit_id>/annual-ratings/<int:year>/computation")
@requires(Permission.REVIEWS_OPEN)
@documented(
    Operation(
        summary="Compute the draft annual ratings of a unit's subtree from the year's finalised "
        "reviews (average of the period totals, or the criteria schemes' decision under the "
        "attendance rules); finalised ones stay as they are. No body",
        response=AnnualListOut(),
        errors=(403, 404),
        tags=("reviews",),
    )
)
def compute_annual(unit_id: int, year: int) -> ResponseReturnValue:
    unit = queries.rating_unit_for(current_user, unit_id, year)
    services.compute_annual(current_user, unit.id, year)
    return jsonify(AnnualListOut().dump(_annual_list(unit, year)))


@blueprint.get("/units/<int:unit_id>/annual-ratings/<int:year>/cap")
@requires(Permission.REVIEWS_OPEN)
@documented(
    Operation(
        summary="The top-rating cap per agency and task group: how many may be rated at the top, "
        "how many are, by how much a group is over, and who (lowest average first)",
        response=CapReportOut(),
        errors=(403, 404),
        tags=("reviews",),
    )
)
def annual_cap(unit_id: int, year: int) -> ResponseReturnValue:
    unit = queries.rating_unit_for(current_user, unit_id, year)
    groups = services.cap_report(current_user, unit.id, year)
    return jsonify(
        CapReportOut().dump(
            {"unit_id": unit.id, "year": year, "groups": [_cap_group(g) for g in groups]}
        )
    )


@blueprint.post("/units/<int:unit_id>/annual-ratings/<int:year>/finalisation")
@requires(Permission.REVIEWS_OPEN)
@documented(
    Operation(
        summary="Lock the year's annual ratings group by group; a group over the cap is not "
        "locked but returned with who is over and by how much; undecided ones and the caller's "
        "own stay drafts. Allowed after the scheme's deadline, marked late. No body",
        response=AnnualFinalisedOut(),
        errors=(403, 404),
        tags=("reviews",),
    )
)
def finalise_annual(unit_id: int, year: int) -> ResponseReturnValue:
    unit = queries.rating_unit_for(current_user, unit_id, year)
    outcome = services.finalise_annual(current_user, unit.id, year)
    return jsonify(
        AnnualFinalisedOut().dump(
            {
                "unit_id": unit.id,
                "year": year,
                "finalised": [annual.id for annual in outcome.finalised],
                "over_cap": [_cap_group(group) for group in outcome.over_cap],
                "left": [annual.id for annual in outcome.left],
            }
        )
    )


@blueprint.post("/annual-ratings/<int:annual_id>/decision")
@requires(Permission.REVIEWS_OPEN)
@documented(
    Operation(
        summary="Criteria schemes: the head's decision on the year, with the months worked and "
        "absent (the attendance rules then apply); send the version you read",
        body=AnnualDecide(),
        response=AnnualRatingOut(),
        errors=(403, 404, 409),
        tags=("reviews",),
    )
)
def decide_annual(annual_id: int) -> ResponseReturnValue:
    annual, _unit = queries.annual_for(current_user, annual_id)
    services.decide_annual(current_user, annual, json_body(AnnualDecide()))
    return jsonify(AnnualRatingOut().dump(annual))


@blueprint.post("/annual-ratings/<int:annual_id>/adjustment")
@requires(Permission.REVIEWS_OPEN)
@documented(
    Operation(
        summary="Give a rating other than the computed one (to respect the cap, say) with a "
        "written reason; no rating drops the override; send the version you read",
        body=AnnualAdjust(),
        response=AnnualRatingOut(),
        errors=(403, 404, 409),
        tags=("reviews",),
    )
)
def adjust_annual(annual_id: int) -> ResponseReturnValue:
    annual, _unit = queries.annual_for(current_user, annual_id)
    services.adjust_annual(current_user, annual, json_body(AnnualAdjust()))
    return jsonify(AnnualRatingOut().dump(annual))
