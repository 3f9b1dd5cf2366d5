"""Reads of schemes, periods, reviews and annual ratings, always scoped to the actor."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from hrms.accounts.models import RoleGrant, User
from hrms.core.security import Actor, Permission, Role, Scope, authorize, subtree_upper_bound
from hrms.employees.models import Employee, EmployeeStatus
from hrms.extensions import db
from hrms.org.models import Unit, UnitKind
from hrms.reviews.models import (
    AnnualRating,
    EvaluationScheme,
    Review,
    ReviewComment,
    ReviewItem,
    ReviewPeriod,
    ReviewState,
    SchemeAssignment,
)
from hrms.reviews.policies import (
    can_comment,
    can_reopen,
    can_score,
    can_see_comment_authors,
    can_self_assess,
    can_view_review,
)
from hrms.reviews.scheme import Rating

#: kinds of unit that are an agency of their own for the cap and the scheme choice (a division
#: belongs to the agency above it)
AGENCY_KINDS = frozenset(kind.value for kind in UnitKind) - {UnitKind.DIVISION.value}
#: the task group of people with no position
NO_GROUP = "none"


def in_subtree(path_column: Any, path: str) -> ColumnElement[bool]:
    return and_(path_column >= path, path_column < subtree_upper_bound(path))


# Schemes ---------------------------------------------------------------------------------------


def agency_of(unit: Unit) -> Unit:
    """The nearest unit at or above ``unit`` that is not a division: where the cap is counted
    and the scheme chosen."""
    ids = [*unit.ancestor_ids, unit.id]
    chain = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    for unit_id in reversed(ids):
        found = chain.get(unit_id)
        if found is not None and found.kind in AGENCY_KINDS:
            return found
    return chain[ids[0]]


def scheme_for(kind: str, unit: Unit, on: dt.date) -> EvaluationScheme | None:
    """The scheme a person of ``kind`` in ``unit`` is reviewed under on a date: the choice of
    the nearest agency above that made one, else the latest active scheme for the kind."""
    ids = [*unit.ancestor_ids, unit.id]
    assigned = db.session.execute(
        select(SchemeAssignment, Unit.depth)
        .join(Unit, Unit.id == SchemeAssignment.unit_id)
        .where(
            SchemeAssignment.unit_id.in_(ids),
            SchemeAssignment.kind == kind,
            SchemeAssignment.effective_from <= on,
        )
        .order_by(Unit.depth.desc(), SchemeAssignment.effective_from.desc())
        .limit(1)
    ).first()
    if assigned is not None:
        return db.session.get(EvaluationScheme, assigned[0].scheme_id)
    candidates = db.session.scalars(
        select(EvaluationScheme)
        .where(EvaluationScheme.active, EvaluationScheme.effective_from <= on)
        .order_by(EvaluationScheme.effective_from.desc(), EvaluationScheme.id.desc())
    )
    return next((s for s in candidates if kind in s.kind_list), None)


# Periods ---------------------------------------------------------------------------------------


def people_in_service(unit: Unit) -> list[tuple[Employee, Unit]]:
    """Working people of the unit's subtree, with their unit."""
    return [
        (e, u)
        for e, u in db.session.execute(
            select(Employee, Unit)
            .join(Unit, Unit.id == Employee.unit_id)
            .where(
                in_subtree(Unit.path, unit.path),
                Employee.status == EmployeeStatus.WORKING.value,
            )
            .order_by(Unit.path, Employee.search_name, Employee.id)
        )
    ]


def overlapping(
    employee_ids: Iterable[int], starts_on: dt.date, ends_on: dt.date
) -> list[tuple[Employee, ReviewPeriod]]:
    """Reviews of these people in periods that share a day with ``starts_on``-``ends_on``."""
    ids = list(employee_ids)
    if not ids:
        return []
    return [
        (e, p)
        for e, p in db.session.execute(
            select(Employee, ReviewPeriod)
            .join(Review, Review.employee_id == Employee.id)
            .join(ReviewPeriod, ReviewPeriod.id == Review.period_id)
            .where(
                Employee.id.in_(ids),
                ReviewPeriod.starts_on <= ends_on,
                ReviewPeriod.ends_on >= starts_on,
            )
            .order_by(Employee.search_name)
        )
    ]


def units_headed(employee_ids: Iterable[int]) -> dict[int, Unit]:
    """The unit each of these people heads (through their account's unit-head grant)."""
    ids = list(employee_ids)
    if not ids:
        return {}
    headed: dict[int, Unit] = {}
    for employee_id, unit in db.session.execute(
        select(User.employee_id, Unit)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .join(Unit, Unit.id == RoleGrant.unit_id)
        .where(User.employee_id.in_(ids), User.active, RoleGrant.role == Role.UNIT_HEAD.value)
        .order_by(Unit.depth)
    ):
        if employee_id is not None:
            headed.setdefault(employee_id, unit)
    return headed


def periods_for(actor: Actor) -> list[tuple[ReviewPeriod, Unit]]:
    """Periods of units the actor reads, latest first."""
    scope = Scope.for_actor(actor, Permission.REVIEWS_VIEW)
    return [
        (p, u)
        for p, u in db.session.execute(
            select(ReviewPeriod, Unit)
            .join(Unit, Unit.id == ReviewPeriod.unit_id)
            .where(scope.filter(Unit.path))
            .order_by(ReviewPeriod.starts_on.desc(), Unit.path)
        )
    ]


# Reviews ---------------------------------------------------------------------------------------


def _visible(actor: Actor) -> Select[Review, Employee, Unit, ReviewPeriod]:
    condition = Scope.for_actor(actor, Permission.REVIEWS_VIEW).filter(Unit.path)
    if actor.employee_id is not None:
        condition = or_(condition, Review.employee_id == actor.employee_id)
    return (
        select(Review, Employee, Unit, ReviewPeriod)
        .join(Employee, Employee.id == Review.employee_id)
        .join(Unit, Unit.id == Review.unit_id)
        .join(ReviewPeriod, ReviewPeriod.id == Review.period_id)
        .where(condition)
    )


@dataclass(frozen=True)
class Loaded:
    review: Review
    employee: Employee
    unit: Unit
    period: ReviewPeriod
    scheme: EvaluationScheme
    own: bool
    can_score: bool
    can_reopen: bool


def get_review_for(actor: Actor, review_id: int, *, action: str = "view") -> Loaded:
    """The loader: 404 when the actor may not see the review, 403 when they may not ``action``
    ("view", "score", "reopen", "self"; "comment" also shows it to colleagues of the unit, who
    otherwise do not see each other's reviews)."""
    row = db.session.execute(
        select(Review, Employee, Unit, ReviewPeriod)
        .join(Employee, Employee.id == Review.employee_id)
        .join(Unit, Unit.id == Review.unit_id)
        .join(ReviewPeriod, ReviewPeriod.id == Review.period_id)
        .where(Review.id == review_id)
    ).first()
    if row is None:
        authorize(None, visible=False)
    assert row is not None
    review, employee, unit, period = row
    visible = can_view_review(actor, employee.id, unit.path)
    scoring = visible and can_score(actor, employee.id, unit.path)
    reopening = visible and can_reopen(actor, employee.id, unit.path)
    own = can_self_assess(actor, employee.id)
    if action == "comment":
        visible = visible or _colleague_may_comment(actor, review, unit)
    allowed = {
        "view": True,
        "score": scoring,
        "reopen": reopening,
        "self": own,
        "comment": visible,
    }[action]
    authorize(review, visible=visible, allowed=allowed)
    scheme = db.session.get(EvaluationScheme, review.scheme_id)
    assert scheme is not None
    return Loaded(review, employee, unit, period, scheme, own, scoring, reopening)


def _actor_unit(actor: Actor) -> int | None:
    if actor.employee_id is None:
        return None
    return db.session.scalar(select(Employee.unit_id).where(Employee.id == actor.employee_id))


def _colleague_may_comment(actor: Actor, review: Review, unit: Unit) -> bool:
    return can_comment(actor, review.employee_id, review.unit_id, unit.path, _actor_unit(actor))


def reviews_of(actor: Actor, employee_id: int) -> list[tuple[Review, ReviewPeriod]]:
    """A person's reviews, latest period first (as the actor may see them)."""
    return [
        (r, p)
        for r, _e, _u, p in db.session.execute(
            _visible(actor)
            .where(Review.employee_id == employee_id)
            .order_by(ReviewPeriod.starts_on.desc())
        )
    ]


def subordinate_reviews(review: Review) -> list[Review]:
    """The other reviews of the same period in the subtree of the unit the person heads."""
    if review.leads_unit_id is None:
        return []
    led = db.session.get(Unit, review.leads_unit_id)
    assert led is not None
    return list(
        db.session.scalars(
            select(Review)
            .join(Unit, Unit.id == Review.unit_id)
            .where(
                Review.period_id == review.period_id,
                Review.id != review.id,
                in_subtree(Unit.path, led.path),
            )
        )
    )


@dataclass(frozen=True)
class CommentView:
    body: str
    at: dt.datetime
    #: None when the reader is the person reviewed
    author: str | None


def comments_for(actor: Actor, loaded: Loaded) -> list[CommentView]:
    named = can_see_comment_authors(actor, loaded.employee.id, loaded.unit.path)
    return [
        CommentView(c.body, c.created_at, name if named else None)
        for c, name in db.session.execute(
            select(ReviewComment, User.full_name)
            .join(User, User.id == ReviewComment.author_id)
            .where(ReviewComment.review_id == loaded.review.id)
            .order_by(ReviewComment.created_at, ReviewComment.id)
        )
    ]


def may_comment(actor: Actor, loaded: Loaded) -> bool:
    return _colleague_may_comment(actor, loaded.review, loaded.unit)


# The period dashboard --------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardRow:
    review: Review
    employee: Employee
    unit: Unit
    #: items past their deadline with nothing delivered
    overdue_items: int


@dataclass
class Dashboard:
    period: ReviewPeriod
    rows: list[DashboardRow]
    today: dt.date
    by_state: Counter[str] = field(default_factory=Counter)
    ratings: Counter[str] = field(default_factory=Counter)

    @property
    def not_submitted(self) -> list[DashboardRow]:
        waiting = (ReviewState.PLANNING.value, ReviewState.SELF_ASSESSMENT.value)
        return [row for row in self.rows if row.review.state in waiting]

    @property
    def not_scored(self) -> list[DashboardRow]:
        scored = (ReviewState.SCORED.value, ReviewState.FINALISED.value)
        return [row for row in self.rows if row.review.state not in scored]

    @property
    def overdue(self) -> list[DashboardRow]:
        return [row for row in self.rows if row.overdue_items]


def dashboard(actor: Actor, period: ReviewPeriod, unit: Unit, today: dt.date) -> Dashboard:
    """Who has not submitted, who is not scored, the ratings and overdue items of a period, for
    the reviews of ``unit``'s subtree the actor reads (two queries whatever the size)."""
    overdue = (
        select(ReviewItem.review_id, func.count().label("n"))
        .where(ReviewItem.deadline < today, ReviewItem.delivered_quantity.is_(None))
        .group_by(ReviewItem.review_id)
        .subquery()
    )
    rows = [
        DashboardRow(review, employee, in_unit, count or 0)
        for review, employee, in_unit, _period, count in db.session.execute(
            _visible(actor)
            .add_columns(overdue.c.n)
            .outerjoin(overdue, overdue.c.review_id == Review.id)
            .where(Review.period_id == period.id, in_subtree(Unit.path, unit.path))
            .order_by(Unit.path, Employee.search_name, Employee.id)
        )
    ]
    board = Dashboard(period, rows, today)
    for row in rows:
        board.by_state[row.review.state] += 1
        if row.review.final_rating is not None:
            board.ratings[row.review.final_rating.value] += 1
    return board


@dataclass(frozen=True)
class Reminder:
    review_id: int
    period: str
    #: "plan", "self_assess", "score", "finalise"
    action: str
    due: dt.date | None


def reminders_for(actor: Actor) -> list[Reminder]:
    """What the actor must do next: file their self-assessment, plan, score or finalise."""
    found: list[Reminder] = []
    if actor.employee_id is not None:
        for review, period in db.session.execute(
            select(Review, ReviewPeriod)
            .join(ReviewPeriod, ReviewPeriod.id == Review.period_id)
            .where(
                Review.employee_id == actor.employee_id,
                Review.state == ReviewState.SELF_ASSESSMENT.value,
            )
        ):
            found.append(Reminder(review.id, period.title, "self_assess", period.self_deadline))
    scope = Scope.for_actor(actor, Permission.REVIEWS_SCORE)
    if scope.everything or scope.subtree_paths:
        actions = {
            ReviewState.PLANNING.value: "plan",
            ReviewState.SUBMITTED.value: "score",
            ReviewState.SCORED.value: "finalise",
        }
        query = (
            select(Review, ReviewPeriod)
            .join(ReviewPeriod, ReviewPeriod.id == Review.period_id)
            .join(Unit, Unit.id == Review.unit_id)
            .where(scope.filter(Unit.path), Review.state.in_(list(actions)))
            .order_by(ReviewPeriod.starts_on, Review.id)
        )
        if actor.employee_id is not None:
            query = query.where(Review.employee_id != actor.employee_id)
        for review, period in db.session.execute(query):
            due = period.scoring_deadline if review.state != ReviewState.PLANNING.value else None
            found.append(Reminder(review.id, period.title, actions[review.state], due))
    return found


# The year --------------------------------------------------------------------------------------


def finalised_reviews(
    employee_ids: Sequence[int], year: int
) -> dict[int, list[tuple[Review, ReviewPeriod]]]:
    """Each person's finalised reviews of periods starting in ``year``, in date order."""
    found: dict[int, list[tuple[Review, ReviewPeriod]]] = {}
    if not employee_ids:
        return found
    for review, period in db.session.execute(
        select(Review, ReviewPeriod)
        .join(ReviewPeriod, ReviewPeriod.id == Review.period_id)
        .where(
            Review.employee_id.in_(list(employee_ids)),
            Review.state == ReviewState.FINALISED.value,
            ReviewPeriod.starts_on >= dt.date(year, 1, 1),
            ReviewPeriod.starts_on <= dt.date(year, 12, 31),
        )
        .order_by(ReviewPeriod.starts_on)
    ):
        found.setdefault(review.employee_id, []).append((review, period))
    return found


def annual_ratings(actor: Actor, unit: Unit, year: int) -> list[tuple[AnnualRating, Employee]]:
    scope = Scope.for_actor(actor, Permission.REVIEWS_VIEW)
    return [
        (a, e)
        for a, e, _u in db.session.execute(
            select(AnnualRating, Employee, Unit)
            .join(Employee, Employee.id == AnnualRating.employee_id)
            .join(Unit, Unit.id == AnnualRating.unit_id)
            .where(
                AnnualRating.year == year,
                scope.filter(Unit.path),
                in_subtree(Unit.path, unit.path),
            )
            .order_by(Unit.path, Employee.search_name, Employee.id)
        )
    ]


def annual_rating_of(employee_id: int, year: int) -> AnnualRating | None:
    """What the salary-raise rules read: the person's annual rating of a year."""
    return db.session.scalar(
        select(AnnualRating).where(
            AnnualRating.employee_id == employee_id, AnnualRating.year == year
        )
    )


def ratings_count(ratings: Iterable[Rating | None]) -> Counter[str]:
    return Counter(rating.value for rating in ratings if rating is not None)


def annual_ratings_of_employee(employee_id: int) -> list[AnnualRating]:
    """A person's annual ratings, latest year first (one query; the dossier shows them)."""
    return list(
        db.session.scalars(
            select(AnnualRating)
            .where(AnnualRating.employee_id == employee_id)
            .order_by(AnnualRating.year.desc())
        )
    )
