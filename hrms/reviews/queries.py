"""Reads of schemes, periods, reviews and annual ratings, always scoped to the actor."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import aliased

from hrms.accounts.models import RoleGrant, User
from hrms.core import dates
from hrms.core.security import Actor, Permission, Role, Scope, authorize, subtree_upper_bound
from hrms.employees.models import Employee, EmployeeStatus
from hrms.extensions import db
from hrms.org.models import Unit, UnitKind
from hrms.reviews.models import (
    REVIEW_STATE_LABELS,
    AnnualRating,
    EvaluationScheme,
    PeriodState,
    Review,
    ReviewComment,
    ReviewItem,
    ReviewPeriod,
    ReviewState,
    SchemeAssignment,
)
from hrms.reviews.policies import (
    can_comment,
    can_open_periods,
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


def agency_today() -> dt.date:
    """The agency's date (tests replace it, as ``services.today``)."""
    return dates.today()


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


def visible_periods(actor: Actor) -> list[tuple[ReviewPeriod, Unit]]:
    """Periods of units the actor reads, and those holding reviews they read (a head sees the
    department's period for their division), latest first: the pages' and the API's rule."""
    found = {period.id: (period, unit) for period, unit in periods_for(actor)}
    scope = Scope.for_actor(actor, Permission.REVIEWS_VIEW)
    if not scope.everything:
        reviewed = aliased(Unit)
        for period, unit in db.session.execute(
            select(ReviewPeriod, Unit)
            .join(Unit, Unit.id == ReviewPeriod.unit_id)
            .join(Review, Review.period_id == ReviewPeriod.id)
            .join(reviewed, reviewed.id == Review.unit_id)
            .where(scope.filter(reviewed.path))
            .distinct()
        ):
            found.setdefault(period.id, (period, unit))
    return sorted(found.values(), key=lambda row: (row[0].starts_on, row[0].id), reverse=True)


def period_for(actor: Actor, period_id: int, *, manage: bool = False) -> tuple[ReviewPeriod, Unit]:
    """The period and its unit: 404 unless the actor reads the unit or a unit under it (the same
    answer as for an absent one); with ``manage`` (close it, move its deadlines), 403 unless
    they open periods for its unit."""
    row = db.session.execute(
        select(ReviewPeriod, Unit)
        .join(Unit, Unit.id == ReviewPeriod.unit_id)
        .where(ReviewPeriod.id == period_id)
    ).first()
    scope = Scope.for_actor(actor, Permission.REVIEWS_VIEW)
    visible = row is not None and (
        scope.covers(row[1].path) or any(p.startswith(row[1].path) for p in scope.subtree_paths)
    )
    allowed = not manage or (row is not None and can_open_periods(actor, row[1].path))
    authorize(row, visible=visible, allowed=allowed)
    assert row is not None
    return row[0], row[1]


def unfinalised_reviews(period: ReviewPeriod) -> list[tuple[Review, Employee]]:
    """The reviews of a period not finalised yet, with the person (what stops it closing)."""
    return [
        (review, employee)
        for review, employee in db.session.execute(
            select(Review, Employee)
            .join(Employee, Employee.id == Review.employee_id)
            .join(Unit, Unit.id == Review.unit_id)
            .where(
                Review.period_id == period.id,
                Review.state != ReviewState.FINALISED.value,
            )
            .order_by(Unit.path, Employee.search_name, Employee.id)
        )
    ]


# Reviews ---------------------------------------------------------------------------------------


def visible_reviews(actor: Actor) -> Select[Review, Employee, Unit, ReviewPeriod]:
    """Reviews the actor reads (their own, and those of the units in scope), with the person,
    the unit and the period: the one definition the loader's lists, the dashboard and the API
    share."""
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
    led = led_path(review)
    visible = can_view_review(actor, employee.id, unit.path)
    scoring = visible and can_score(actor, employee.id, unit.path, led)
    reopening = visible and can_reopen(actor, employee.id, unit.path, led)
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


def led_path(review: Review) -> str | None:
    """The path of the unit the person heads, when they do (their scorer is a head above it)."""
    if review.leads_unit_id is None:
        return None
    led = db.session.get(Unit, review.leads_unit_id)
    return led.path if led is not None else None


def _colleague_may_comment(actor: Actor, review: Review, unit: Unit) -> bool:
    return can_comment(
        actor, review.employee_id, review.unit_id, unit.path, _actor_unit(actor), led_path(review)
    )


def reviews_of(actor: Actor, employee_id: int) -> list[tuple[Review, ReviewPeriod]]:
    """A person's reviews, latest period first (as the actor may see them)."""
    return [
        (r, p)
        for r, _e, _u, p in db.session.execute(
            visible_reviews(actor)
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


@dataclass(frozen=True, slots=True)
class DashboardReview:
    """What a dashboard row shows of a review: its state and result (not its plan, points,
    notes or score breakdown, which the dashboard, its summary and its export never show)."""

    id: int
    state: str
    #: the state's label in the reader's language
    state_label: str
    total: Decimal | None
    band: str | None
    rating: str | None
    override_rating: str | None
    override_reason: str | None
    scored_late: bool

    @property
    def final_rating(self) -> Rating | None:
        chosen = self.override_rating or self.rating
        return Rating(chosen) if chosen else None


@dataclass(frozen=True, slots=True)
class DashboardPerson:
    id: int
    full_name: str


@dataclass(frozen=True)
class DashboardRow:
    review: DashboardReview
    employee: DashboardPerson
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

    @property
    def scoring_overdue(self) -> bool:
        return self.today > self.period.scoring_deadline

    @property
    def not_scored_late(self) -> list[DashboardRow]:
        """Not scored, and the scoring deadline has passed."""
        return self.not_scored if self.scoring_overdue else []

    @property
    def scored_late(self) -> list[DashboardRow]:
        """Scored after the scoring deadline."""
        return [row for row in self.rows if row.review.scored_late]


def dashboard(actor: Actor, period: ReviewPeriod, unit: Unit, today: dt.date) -> Dashboard:
    """Who has not submitted, who is not scored, the ratings and overdue items of a period, for
    the reviews of ``unit``'s subtree the actor reads (two queries whatever the size)."""
    overdue = (
        select(ReviewItem.review_id, func.count().label("n"))
        # only the items of this period's reviews (not every review's items ever filed)
        .join(Review, Review.id == ReviewItem.review_id)
        .where(
            Review.period_id == period.id,
            ReviewItem.deadline < today,
            ReviewItem.delivered_quantity.is_(None),
        )
        .group_by(ReviewItem.review_id)
        .subquery()
    )
    labels = {state.value: str(label) for state, label in REVIEW_STATE_LABELS.items()}
    rows = [
        DashboardRow(
            DashboardReview(
                review_id,
                state,
                labels[state],
                total,
                band,
                rating,
                override_rating,
                override_reason,
                scored_late,
            ),
            DashboardPerson(employee_id, full_name),
            in_unit,
            count or 0,
        )
        for (
            review_id,
            state,
            total,
            band,
            rating,
            override_rating,
            override_reason,
            scored_late,
            employee_id,
            full_name,
            in_unit,
            count,
        ) in db.session.execute(
            # the same reviews the actor reads as everywhere else (visible_reviews), but only
            # the columns a row shows
            visible_reviews(actor)
            .with_only_columns(
                Review.id,
                Review.state,
                Review.total,
                Review.band,
                Review.rating,
                Review.override_rating,
                Review.override_reason,
                Review.scored_late,
                Employee.id,
                Employee.full_name,
                Unit,
                overdue.c.n,
                maintain_column_froms=True,
            )
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
    #: whose review it is (heads' reminders; None for one's own self-assessment)
    full_name: str | None = None
    #: the deadline has passed (scoring is still due: it will be marked late)
    late: bool = False


def reminders_for(actor: Actor, today: dt.date | None = None) -> list[Reminder]:
    """What the actor must do next: file their self-assessment (until its deadline); plan,
    score (once submitted, or once the self-assessment deadline passed without it) or finalise
    the reviews they score, naming whose. Two queries whatever the number."""
    now = today or agency_today()
    found: list[Reminder] = []
    if actor.employee_id is not None:
        for review, period in db.session.execute(
            select(Review, ReviewPeriod)
            .join(ReviewPeriod, ReviewPeriod.id == Review.period_id)
            .where(
                Review.employee_id == actor.employee_id,
                Review.state == ReviewState.SELF_ASSESSMENT.value,
                ReviewPeriod.self_deadline >= now,
            )
            .order_by(ReviewPeriod.starts_on, Review.id)
        ):
            found.append(Reminder(review.id, period.title, "self_assess", period.self_deadline))
    scope = Scope.for_actor(actor, Permission.REVIEWS_SCORE)
    if scope.everything or scope.subtree_paths:
        actions = {
            ReviewState.PLANNING.value: "plan",
            ReviewState.SELF_ASSESSMENT.value: "score",
            ReviewState.SUBMITTED.value: "score",
            ReviewState.SCORED.value: "finalise",
        }
        led = aliased(Unit)
        query = (
            select(Review, ReviewPeriod, Employee.full_name, Unit.path, led.path)
            .join(ReviewPeriod, ReviewPeriod.id == Review.period_id)
            .join(Employee, Employee.id == Review.employee_id)
            .join(Unit, Unit.id == Review.unit_id)
            .outerjoin(led, led.id == Review.leads_unit_id)
            .where(
                scope.filter(Unit.path),
                Review.state.in_(list(actions)),
                ReviewPeriod.state == PeriodState.OPEN.value,
            )
            .order_by(ReviewPeriod.starts_on, Unit.path, Employee.search_name, Review.id)
        )
        if actor.employee_id is not None:
            query = query.where(Review.employee_id != actor.employee_id)
        for review, period, name, unit_path, led_unit_path in db.session.execute(query):
            if review.state == ReviewState.SELF_ASSESSMENT.value and now <= period.self_deadline:
                continue  # the person is still filing it
            if not can_score(actor, review.employee_id, unit_path, led_unit_path):
                continue  # a unit head's review: for the head of the unit above
            due = period.scoring_deadline if review.state != ReviewState.PLANNING.value else None
            late = due is not None and now > due
            found.append(Reminder(review.id, period.title, actions[review.state], due, name, late))
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


#: years the annual pages and the API accept
YEARS = range(2000, 2101)


def rating_unit_for(actor: Actor, unit_id: int, year: int) -> Unit:
    """The unit whose year the actor rates: 404 unless it is in their scope (personnel officers
    of the subtree) and the year is a plausible one."""
    unit = db.session.get(Unit, unit_id)
    visible = unit is not None and year in YEARS and can_open_periods(actor, unit.path)
    return authorize(unit, visible=visible)


def annual_for(actor: Actor, annual_id: int) -> tuple[AnnualRating, Unit]:
    """An annual rating and its unit: 404 unless the actor rates the unit's year."""
    annual = db.session.get(AnnualRating, annual_id)
    unit = db.session.get(Unit, annual.unit_id) if annual is not None else None
    visible = unit is not None and can_open_periods(actor, unit.path)
    authorize(annual, visible=visible)
    assert annual is not None and unit is not None
    return annual, unit


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
