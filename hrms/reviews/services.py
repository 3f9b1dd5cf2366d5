"""The review cycle: open a period, plan, self-assess, score, finalise, reopen, comment, and rate
the year under the 20% cap.

Services take the acting account and validated data, enforce the rules (refusals name the field
at fault), let the audit log capture every change, and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from hrms.core import dates
from hrms.core.audit import record_event
from hrms.core.db import utcnow
from hrms.core.errors import FORM, DomainError, ValidationFailed
from hrms.core.security import Actor
from hrms.core.transaction import check_version, flush_or_conflict
from hrms.employees.models import Decision, DecisionKind, Employee
from hrms.extensions import db
from hrms.org.models import Unit
from hrms.reviews import queries
from hrms.reviews.models import (
    PERSONNEL_KINDS,
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
from hrms.reviews.policies import can_manage_schemes, can_open_periods, is_own
from hrms.reviews.scheme import Method, PeriodKind, Rating, SchemeRules, parse_rules, worse
from hrms.reviews.scoring import (
    HUNDRED,
    ZERO,
    Breakdown,
    CapCheck,
    OutputResult,
    annual_criteria,
    annual_points,
    check_cap,
    score,
    unit_result,
)
from positions.models import PositionOutput, PositionTask, UnitPosition

STALE = _l("This review was changed by someone else since you opened it. Reload the page.")
STALE_ANNUAL = _l("This annual rating was changed by someone else. Reload the page.")
STALE_PERIOD = _l("This period was changed by someone else since you opened it. Reload the page.")
FINALISED = _l("This review is finalised; reopen it first to change it.")
#: a delivered quantity above this many times the assigned one must be confirmed
ABSURD_FACTOR = Decimal(10)
CENT = Decimal("0.01")


def today() -> dt.date:
    """The agency's date (tests replace it to stand before or after a deadline)."""
    return dates.today()


def shown(number: Decimal) -> str:
    """A quantity as people write it: 90, 12.5 (no trailing zeros)."""
    return f"{number.normalize():f}"


class _Errors:
    """Field errors gathered over a whole form, raised together."""

    def __init__(self) -> None:
        self.found: dict[str, list[Any]] = {}

    def add(self, name: str, message: Any) -> None:
        self.found.setdefault(name, []).append(message)

    def raise_any(self) -> None:
        if self.found:
            raise ValidationFailed(self.found)


# Periods and work plans ------------------------------------------------------------------------


def period_dates(kind: PeriodKind, year: int, number: int) -> tuple[dt.date, dt.date]:
    """First and last day of month ``number`` (1-12) or quarter ``number`` (1-4) of ``year``."""
    months = 1 if kind is PeriodKind.MONTH else 3
    last = 12 if kind is PeriodKind.MONTH else 4
    if not 1 <= number <= last:
        raise DomainError(
            "number",
            _l("Give a month from 1 to 12.")
            if kind is PeriodKind.MONTH
            else _l("Give a quarter from 1 to 4."),
        )
    first_month = (number - 1) * months + 1
    starts = dt.date(year, first_month, 1)
    after = dt.date(year + (first_month + months > 12), (first_month + months - 1) % 12 + 1, 1)
    return starts, after - dt.timedelta(days=1)


def balanced_weights(values: Sequence[Decimal]) -> list[Decimal]:
    """Weights proportional to ``values`` at 0.01, adding up to exactly 100 (largest
    remainders get the leftover hundredths)."""
    total = sum(values, ZERO)
    if not values:
        return []
    if total <= 0:
        values, total = [Decimal(1)] * len(values), Decimal(len(values))
    exact = [value * HUNDRED / total for value in values]
    floors = [share.quantize(CENT, rounding=ROUND_FLOOR) for share in exact]
    leftover = int((HUNDRED - sum(floors, ZERO)) / CENT)
    by_remainder = sorted(range(len(exact)), key=lambda i: (floors[i] - exact[i], i))
    for index in by_remainder[:leftover]:
        floors[index] += CENT
    return floors


def plan_from_position(position_id: int | None, months: int) -> list[ReviewItem]:
    """Work-plan items from the outputs of a position: monthly quantity × months of the period,
    weighted by quantity × conversion factor."""
    if position_id is None:
        return []
    outputs = list(
        db.session.execute(
            select(PositionOutput, PositionTask)
            .join(PositionTask, PositionTask.id == PositionOutput.task_id)
            .where(
                PositionTask.position_id == position_id,
                PositionOutput.monthly_quantity > 0,
            )
            .order_by(PositionTask.ordinal, PositionTask.id, PositionOutput.id)
        )
    )
    quantities = [(output.monthly_quantity or ZERO) * months for output, _task in outputs]
    weights = balanced_weights(
        [q * output.conversion_factor for q, (output, _t) in zip(quantities, outputs, strict=True)]
    )
    return [
        ReviewItem(
            ordinal=index,
            source_output_id=output.id,
            title=task.description[:255],
            expected_output=output.name,
            unit_of_measure=output.unit_of_measure,
            assigned_quantity=quantity,
            weight=weight,
            ad_hoc=False,
        )
        for index, ((output, task), quantity, weight) in enumerate(
            zip(outputs, quantities, weights, strict=True)
        )
    ]


@dataclass
class Opened:
    period: ReviewPeriod
    reviews: list[Review]
    #: people of the units not reviewed in this period, with why
    skipped: list[tuple[Employee, str]] = field(default_factory=list)


def open_period(actor: Actor, data: Mapping[str, Any]) -> Opened:
    """Open a month or quarter for a unit's subtree: one review per working person whose
    scheme is run by that kind of period, its plan drawn from their main position's outputs.

    ``data``: unit_id, kind, year, number, self_deadline, scoring_deadline."""
    unit = db.session.get(Unit, data["unit_id"])
    if unit is None or not can_open_periods(actor, unit.path):
        raise DomainError("unit_id", _l("Choose a unit you manage."))
    kind = PeriodKind(data["kind"])
    starts_on, ends_on = period_dates(kind, data["year"], data["number"])
    errors = _Errors()
    if data["self_deadline"] < starts_on:
        errors.add("self_deadline", _l("The self-assessment deadline must fall after the start."))
    if data["scoring_deadline"] < data["self_deadline"]:
        errors.add(
            "scoring_deadline",
            _l("The scoring deadline cannot come before the self-assessment deadline."),
        )
    errors.raise_any()

    chosen: list[tuple[Employee, Unit, EvaluationScheme]] = []
    skipped: list[tuple[Employee, str]] = []
    for employee, in_unit in queries.people_in_service(unit):
        scheme = queries.scheme_for(employee.kind, in_unit, starts_on)
        if scheme is None:
            skipped.append((employee, str(_l("No evaluation scheme applies to this kind."))))
        elif scheme.parsed.period is not kind:
            skipped.append((employee, str(_l("The scheme is run by another kind of period."))))
        else:
            chosen.append((employee, in_unit, scheme))
    if not chosen:
        raise DomainError(FORM, _l("Nobody in these units is reviewed in such a period."))
    clashes = queries.overlapping([e.id for e, _u, _s in chosen], starts_on, ends_on)
    if clashes:
        names = ", ".join(f"{e.full_name} ({p.title})" for e, p in clashes)
        raise DomainError(
            "number",
            _l(
                "These people already have a review for days of this period: %(names)s.",
                names=names,
            ),
        )

    period = ReviewPeriod(
        kind=kind.value,
        starts_on=starts_on,
        ends_on=ends_on,
        unit_id=unit.id,
        self_deadline=data["self_deadline"],
        scoring_deadline=data["scoring_deadline"],
        opened_by=actor.id,
    )
    db.session.add(period)
    db.session.flush()
    headed = queries.units_headed([e.id for e, _u, _s in chosen])
    reviews = []
    for employee, in_unit, scheme in chosen:
        review = Review(
            period_id=period.id,
            employee_id=employee.id,
            unit_id=in_unit.id,
            position_id=employee.position_id,
            leads_unit_id=headed[employee.id].id if employee.id in headed else None,
            scheme_id=scheme.id,
            state=ReviewState.PLANNING.value,
        )
        review.items = plan_from_position(employee.position_id, period.months)
        db.session.add(review)
        reviews.append(review)
    db.session.flush()
    return Opened(period, reviews, skipped)


def _editable(review: Review) -> None:
    if review.state == ReviewState.FINALISED.value:
        raise DomainError(FORM, FINALISED)


def _period_open(period: ReviewPeriod) -> None:
    """A closed period is read-only: plans, self-assessments, scores, comments, deadlines."""
    if period.state == PeriodState.CLOSED.value:
        raise DomainError(
            FORM,
            _l(
                "The period %(title)s is closed; its reviews can no longer change.",
                title=period.title,
            ),
        )


def _touch(review: Review) -> None:
    """Changes to items count as changes to the review: its version moves on."""
    review.updated_at = utcnow()


def _check_weights(weights: Sequence[Decimal], rules: SchemeRules, errors: _Errors) -> None:
    if not weights:
        if rules.method is Method.POINTS:
            errors.add("items", _l("Add at least one item to the work plan."))
        return
    total = sum(weights, ZERO)
    if total != HUNDRED:
        errors.add(
            "items",
            _l("The weights must add up to 100; they add up to %(total)s.", total=shown(total)),
        )


def save_plan(actor: Actor, loaded: queries.Loaded, data: Mapping[str, Any]) -> Review:
    """The head's whole work plan at once: items with an ``id`` are adjusted, items without one
    added, items left out removed. Once self-assessment is open (ad-hoc tasks), the weights must
    still add up to 100.

    ``data``: version, items [{id?, title, expected_output?, unit_of_measure?,
    assigned_quantity, deadline?, weight, ad_hoc?}]."""
    review = loaded.review
    if not loaded.can_score:
        raise DomainError(FORM, _l("You may not plan this review."))
    _period_open(loaded.period)
    check_version(review, data["version"], STALE)
    _editable(review)
    if review.state not in (ReviewState.PLANNING.value, ReviewState.SELF_ASSESSMENT.value):
        raise DomainError(FORM, _l("The plan cannot change once the person has submitted."))
    existing = {item.id: item for item in review.items}
    errors = _Errors()
    kept: list[ReviewItem] = []
    for index, row in enumerate(data["items"]):
        name = f"items.{index}"
        if not str(row.get("title") or "").strip():
            errors.add(f"{name}.title", _l("Say what the task is."))
        assigned = row.get("assigned_quantity")
        if assigned is None or Decimal(assigned) <= 0:
            errors.add(f"{name}.assigned_quantity", _l("The quantity must be more than 0."))
        weight = row.get("weight")
        if weight is None or not ZERO < Decimal(weight) <= HUNDRED:
            errors.add(f"{name}.weight", _l("The weight must be more than 0 and at most 100."))
        if row.get("id") is not None and row["id"] not in existing:
            errors.add(f"{name}.id", _l("This item is not part of the plan."))
        if (
            row.get("deadline") is not None
            and not loaded.period.starts_on <= row["deadline"] <= loaded.period.scoring_deadline
        ):
            errors.add(f"{name}.deadline", _l("The deadline must fall within the period."))
    errors.raise_any()
    if review.state != ReviewState.PLANNING.value:
        _check_weights(
            [Decimal(row["weight"]).quantize(CENT) for row in data["items"]],
            loaded.scheme.parsed,
            errors,
        )
        errors.raise_any()
    for index, row in enumerate(data["items"]):
        item = existing.get(row["id"]) if row.get("id") is not None else None
        if item is None:
            item = ReviewItem(ad_hoc=row.get("ad_hoc", review.state != ReviewState.PLANNING.value))
        elif "ad_hoc" in row:
            item.ad_hoc = row["ad_hoc"]
        item.ordinal = index
        item.title = row["title"].strip()
        item.expected_output = row.get("expected_output")
        item.unit_of_measure = row.get("unit_of_measure")
        item.assigned_quantity = Decimal(row["assigned_quantity"]).quantize(CENT)
        item.deadline = row.get("deadline")
        item.weight = Decimal(row["weight"]).quantize(CENT)
        kept.append(item)
    review.items = kept
    _touch(review)
    flush_or_conflict(STALE)
    return review


def open_self_assessment(actor: Actor, loaded: queries.Loaded, version: int) -> Review:
    """The plan is ready: the person sees it and reports on it."""
    review = loaded.review
    if not loaded.can_score:
        raise DomainError(FORM, _l("You may not plan this review."))
    _period_open(loaded.period)
    check_version(review, version, STALE)
    _editable(review)
    if review.state != ReviewState.PLANNING.value:
        raise DomainError(FORM, _l("The self-assessment is already open."))
    errors = _Errors()
    _check_weights([Decimal(i.weight) for i in review.items], loaded.scheme.parsed, errors)
    errors.raise_any()
    review.state = ReviewState.SELF_ASSESSMENT.value
    flush_or_conflict(STALE)
    return review


def _period_in_scope(actor: Actor, period: ReviewPeriod) -> Unit:
    unit = db.session.get(Unit, period.unit_id)
    if unit is None or not can_open_periods(actor, unit.path):
        raise DomainError(FORM, _l("Only the personnel officers of the unit manage this period."))
    return unit


def close_period(actor: Actor, period: ReviewPeriod, version: int) -> ReviewPeriod:
    """Close a period once every review of it is finalised; refused with the names of those
    that are not. A closed period is read-only."""
    _period_in_scope(actor, period)
    _period_open(period)
    check_version(period, version, STALE_PERIOD)
    waiting = queries.unfinalised_reviews(period)
    if waiting:
        shown_names = ", ".join(
            f"{employee.full_name} ({review.state_label})" for review, employee in waiting[:20]
        )
        more = len(waiting) - 20
        raise DomainError(
            FORM,
            _l(
                "The period cannot be closed: %(count)s reviews are not finalised: %(names)s.",
                count=len(waiting),
                names=shown_names + (f" … (+{more})" if more > 0 else ""),
            ),
        )
    period.state = PeriodState.CLOSED.value
    period.closed_at = utcnow()
    period.closed_by = actor.id
    flush_or_conflict(STALE_PERIOD)
    return period


def extend_deadlines(actor: Actor, period: ReviewPeriod, data: Mapping[str, Any]) -> ReviewPeriod:
    """Move a period's deadlines later, saying why (kept in the audit log). Deadlines are never
    brought forward: people planned their work on them.

    ``data``: version, self_deadline, scoring_deadline, reason."""
    _period_in_scope(actor, period)
    _period_open(period)
    check_version(period, data["version"], STALE_PERIOD)
    errors = _Errors()
    self_deadline, scoring_deadline = data["self_deadline"], data["scoring_deadline"]
    if self_deadline < period.self_deadline:
        errors.add(
            "self_deadline",
            _l(
                "A deadline can only be moved later than %(date)s.",
                date=dates.format_date(period.self_deadline),
            ),
        )
    if scoring_deadline < period.scoring_deadline:
        errors.add(
            "scoring_deadline",
            _l(
                "A deadline can only be moved later than %(date)s.",
                date=dates.format_date(period.scoring_deadline),
            ),
        )
    elif scoring_deadline < self_deadline:
        errors.add(
            "scoring_deadline",
            _l("The scoring deadline cannot come before the self-assessment deadline."),
        )
    if (self_deadline, scoring_deadline) == (period.self_deadline, period.scoring_deadline):
        errors.add("self_deadline", _l("Give a later date for at least one deadline."))
    reason = str(data.get("reason") or "").strip()
    if len(reason) < 10:
        errors.add("reason", _l("Say why the deadlines move (at least 10 characters)."))
    errors.raise_any()
    before = {
        "self_deadline": period.self_deadline.isoformat(),
        "scoring_deadline": period.scoring_deadline.isoformat(),
    }
    period.self_deadline, period.scoring_deadline = self_deadline, scoring_deadline
    record_event(
        db.session(),
        "reviews.deadlines_extended",
        "review_periods",
        period.id,
        {
            "reason": reason,
            "before": before,
            "after": {
                "self_deadline": self_deadline.isoformat(),
                "scoring_deadline": scoring_deadline.isoformat(),
            },
        },
    )
    flush_or_conflict(STALE_PERIOD)
    return period


# Self-assessment -------------------------------------------------------------------------------


def _points(
    rules: SchemeRules, given: Mapping[str, Any] | None, name: str, errors: _Errors
) -> dict[str, str]:
    """Points per general criterion, each within its maximum; every criterion given."""
    given = dict(given or {})
    kept: dict[str, str] = {}
    for criterion in rules.criteria:
        value = given.pop(criterion.code, None)
        if value is None:
            errors.add(f"{name}.{criterion.code}", _l("Give the points of this criterion."))
            continue
        points = Decimal(value)
        if not ZERO <= points <= criterion.max_points:
            errors.add(
                f"{name}.{criterion.code}",
                _l("Give 0 to %(max)s points.", max=shown(criterion.max_points)),
            )
            continue
        kept[criterion.code] = str(points)
    for code in given:
        errors.add(f"{name}.{code}", _l("This criterion is not part of the scheme."))
    return kept


def _self_assessment_open(loaded: queries.Loaded) -> None:
    review = loaded.review
    if not loaded.own:
        raise DomainError(FORM, _l("Only the person reviewed fills in the self-assessment."))
    _period_open(loaded.period)
    _editable(review)
    if review.state == ReviewState.PLANNING.value:
        raise DomainError(FORM, _l("The work plan is not ready yet."))
    if review.state != ReviewState.SELF_ASSESSMENT.value:
        raise DomainError(FORM, _l("The self-assessment was submitted; it can no longer change."))
    if today() > loaded.period.self_deadline:
        raise DomainError(
            FORM,
            _l(
                "The self-assessment deadline (%(date)s) has passed.",
                date=dates.format_date(loaded.period.self_deadline),
            ),
        )


def save_self_assessment(actor: Actor, loaded: queries.Loaded, data: Mapping[str, Any]) -> Review:
    """What the person delivered per item, with dates and evidence, and their own points.

    ``data``: version, items [{id, delivered_quantity?, delivered_on?, evidence?}],
    self_points? {code: points}, self_note?, confirm_large? (delivered over 10 × assigned)."""
    review = loaded.review
    _self_assessment_open(loaded)
    check_version(review, data["version"], STALE)
    items = {item.id: item for item in review.items}
    rules = loaded.scheme.parsed
    errors = _Errors()
    for index, row in enumerate(data.get("items", [])):
        name = f"items.{index}"
        item = items.get(row.get("id"))
        if item is None:
            errors.add(f"{name}.id", _l("This item is not part of the plan."))
            continue
        delivered = row.get("delivered_quantity")
        if delivered is not None:
            delivered = Decimal(delivered)
            if delivered < 0:
                errors.add(
                    f"{name}.delivered_quantity", _l("The quantity delivered cannot be negative.")
                )
            elif delivered > ABSURD_FACTOR * item.assigned_quantity and not data.get(
                "confirm_large"
            ):
                errors.add(
                    f"{name}.delivered_quantity",
                    _l(
                        "This is more than ten times the quantity assigned (%(assigned)s). "
                        "Check it, and confirm it if it is right.",
                        assigned=shown(Decimal(item.assigned_quantity)),
                    ),
                )
        delivered_on = row.get("delivered_on")
        if delivered_on is not None and delivered_on > today():
            errors.add(f"{name}.delivered_on", _l("The delivery date cannot be in the future."))
    self_points = (
        _points(rules, data["self_points"], "self_points", errors)
        if data.get("self_points") is not None
        else None
    )
    errors.raise_any()
    for row in data.get("items", []):
        item = items[row["id"]]
        if "delivered_quantity" in row:
            value = row["delivered_quantity"]
            item.delivered_quantity = Decimal(value) if value is not None else None
        if "delivered_on" in row:
            item.delivered_on = row["delivered_on"]
        if "evidence" in row:
            item.evidence = row["evidence"]
    if self_points is not None:
        review.self_points = self_points
    if "self_note" in data:
        review.self_note = data["self_note"]
    _touch(review)
    flush_or_conflict(STALE)
    return review


def submit(actor: Actor, loaded: queries.Loaded, version: int) -> Review:
    """Hand the self-assessment to the head: every item needs a delivered quantity (0 if
    nothing)."""
    review = loaded.review
    _self_assessment_open(loaded)
    check_version(review, version, STALE)
    errors = _Errors()
    for index, item in enumerate(review.items):
        if item.delivered_quantity is None:
            errors.add(
                f"items.{index}.delivered_quantity",
                _l("Say how much was delivered (0 if nothing)."),
            )
    errors.raise_any()
    review.state = ReviewState.SUBMITTED.value
    review.submitted_at = utcnow()
    flush_or_conflict(STALE)
    return review


# Scoring ---------------------------------------------------------------------------------------


def breakdown_json(result: Breakdown) -> dict[str, Any]:
    """Every step of the score, as stored with the review and shown line by line."""
    return {
        "method": Method.POINTS.value,
        "outputs": [
            {
                "title": o.item.title,
                "weight": str(o.item.weight),
                "assigned": str(o.item.assigned),
                "delivered": str(o.item.delivered),
                "returns": o.item.returns,
                "delays": o.item.delays,
                "excused_delays": o.item.excused_delays,
                "quantity": str(o.quantity),
                "quality": str(o.quality),
                "timeliness": str(o.timeliness),
                "combined": str(o.combined),
            }
            for o in result.outputs
        ],
        "outputs_percent": str(result.outputs_percent),
        "unit_percent": None if result.unit_percent is None else str(result.unit_percent),
        "task_percent": str(result.task_percent),
        "task_points": str(result.task_points),
        "task_max": str(result.task_max),
        "criteria": [
            {"code": c.code, "name": c.name, "points": str(c.points), "max": str(c.max_points)}
            for c in result.criteria
        ],
        "general_points": str(result.general_points),
        "total": str(result.total),
        "band": result.band.value,
        "rating": result.rating.value,
        "reasons": list(result.reasons),
    }


def _leader_percent(loaded: queries.Loaded, rules: SchemeRules) -> Decimal | None:
    """A head's unit result from the ratings of the unit's people in the same period."""
    if rules.leader is None or loaded.review.leads_unit_id is None:
        return None
    subordinates = queries.subordinate_reviews(loaded.review)
    if not subordinates:
        return None
    unscored = [r for r in subordinates if r.final_rating is None]
    if unscored:
        raise DomainError(
            FORM,
            _l(
                "Score the people of the unit this person heads first: %(count)s not scored.",
                count=len(unscored),
            ),
        )
    return unit_result(rules, [r.final_rating for r in subordinates if r.final_rating])


def score_review(actor: Actor, loaded: queries.Loaded, data: Mapping[str, Any]) -> Review:
    """The head's scoring: per item the returns, delays and excused delays; the general
    criteria; the computed breakdown, or an override with a written reason. Nothing changes
    unless everything is accepted.

    ``data``: version, items [{id, returns, delays, excused_delays, excuse_reason?}],
    general_points {code: points}, disciplined?, override_rating?, override_reason?,
    head_note?; criteria schemes: rating instead of items and points."""
    review = loaded.review
    if is_own(actor, review.employee_id):
        raise DomainError(FORM, _l("Nobody scores their own review."))
    if not loaded.can_score:
        raise DomainError(FORM, _l("You may not score this review."))
    _period_open(loaded.period)
    check_version(review, data["version"], STALE)
    _editable(review)
    if review.state == ReviewState.PLANNING.value:
        raise DomainError(FORM, _l("The work plan is not open yet; there is nothing to score."))
    if review.state == ReviewState.SELF_ASSESSMENT.value and today() <= loaded.period.self_deadline:
        raise DomainError(
            FORM,
            _l(
                "The person has not submitted the self-assessment; you can score it after the "
                "deadline (%(date)s).",
                date=dates.format_date(loaded.period.self_deadline),
            ),
        )
    rules = loaded.scheme.parsed
    disciplined = bool(data.get("disciplined"))
    counts: dict[int, dict[str, Any]] = {}
    general: dict[str, str] | None = None
    breakdown: Breakdown | None = None
    if rules.method is Method.CRITERIA:
        computed = _decided(rules, data, disciplined)
    else:
        counts, general = _scoring_input(review, rules, data)
        breakdown = _computed(loaded, rules, counts, general, disciplined)
        computed = breakdown.rating
    override = Rating(data["override_rating"]) if data.get("override_rating") else None
    reason = str(data.get("override_reason") or "").strip()
    if override is not None and override is not computed and len(reason) < 10:
        raise DomainError(
            "override_reason",
            _l("Explain in writing (at least 10 characters) why the rating differs."),
        )

    items = {item.id: item for item in review.items}
    for item_id, values in counts.items():
        for key, value in values.items():
            setattr(items[item_id], key, value)
    if breakdown is None:
        review.total, review.band, review.general_points = None, None, None
        review.breakdown = {
            "method": Method.CRITERIA.value,
            "decided": data["rating"],
            "rating": computed.value,
            "reasons": ["discipline"] if computed.value != data["rating"] else [],
        }
    else:
        review.general_points = general
        review.total, review.band = breakdown.total, breakdown.band.value
        review.breakdown = breakdown_json(breakdown)
    review.rating = computed.value
    if override is not None and override is not computed:
        review.override_rating, review.override_reason = override.value, reason
    else:
        review.override_rating, review.override_reason = None, None
    review.disciplined = disciplined
    if "head_note" in data:
        review.head_note = data["head_note"]
    review.state = ReviewState.SCORED.value
    review.reviewer_id = actor.id
    review.scored_at = utcnow()
    # allowed after the deadline (the review must still be scored), but shown as late
    review.scored_late = today() > loaded.period.scoring_deadline
    _touch(review)
    flush_or_conflict(STALE)
    return review


def _decided(rules: SchemeRules, data: Mapping[str, Any], disciplined: bool) -> Rating:
    """Criteria schemes: the head decides; discipline caps the decision."""
    if data.get("rating") is None:
        raise ValidationFailed({"rating": [_l("Choose the rating.")]})
    decided = Rating(data["rating"])
    return worse(decided, rules.discipline_rating) if disciplined else decided


def _scoring_input(
    review: Review, rules: SchemeRules, data: Mapping[str, Any]
) -> tuple[dict[int, dict[str, Any]], dict[str, str]]:
    """The head's counts per item and points per criterion, checked."""
    errors = _Errors()
    items = {item.id: item for item in review.items}
    counts: dict[int, dict[str, Any]] = {}
    for index, row in enumerate(data.get("items", [])):
        name = f"items.{index}"
        item = items.get(row.get("id"))
        if item is None:
            errors.add(f"{name}.id", _l("This item is not part of the plan."))
            continue
        returns, delays = row.get("returns") or 0, row.get("delays") or 0
        excused = row.get("excused_delays") or 0
        if returns < 0:
            errors.add(f"{name}.returns", _l("Give 0 or more."))
        if delays < 0:
            errors.add(f"{name}.delays", _l("Give 0 or more."))
        if not 0 <= excused <= max(delays, 0):
            errors.add(
                f"{name}.excused_delays", _l("No more delays can be excused than there were.")
            )
        excuse = str(row.get("excuse_reason") or "").strip()
        if excused > 0 and not excuse:
            errors.add(f"{name}.excuse_reason", _l("Say what objective cause excuses the delays."))
        counts[item.id] = {
            "returns": returns,
            "delays": delays,
            "excused_delays": excused,
            "excuse_reason": excuse or None,
        }
    general = _points(rules, data.get("general_points"), "general_points", errors)
    errors.raise_any()
    return counts, general


def _computed(
    loaded: queries.Loaded,
    rules: SchemeRules,
    counts: Mapping[int, Mapping[str, Any]],
    general: Mapping[str, str],
    disciplined: bool,
) -> Breakdown:
    """The breakdown the counts and points give (nothing changed yet); undelivered items count
    as nothing delivered."""
    outputs = []
    for item in loaded.review.items:
        given = counts.get(item.id, {})
        outputs.append(
            OutputResult(
                item.title,
                Decimal(item.weight),
                Decimal(item.assigned_quantity),
                Decimal(item.delivered_quantity or 0),
                returns=given.get("returns", item.returns or 0),
                delays=given.get("delays", item.delays or 0),
                excused_delays=given.get("excused_delays", item.excused_delays or 0),
            )
        )
    if not outputs or sum((o.weight for o in outputs), ZERO) != HUNDRED:
        raise DomainError("items", _l("The weights of the work plan must add up to 100."))
    return score(
        rules,
        outputs,
        {code: Decimal(value) for code, value in general.items()},
        unit_percent=_leader_percent(loaded, rules),
        disciplined=disciplined,
    )


def finalise(actor: Actor, loaded: queries.Loaded, version: int) -> Review:
    """Lock the scored review; its breakdown stays as scored."""
    review = loaded.review
    if is_own(actor, review.employee_id):
        raise DomainError(FORM, _l("Nobody finalises their own review."))
    if not loaded.can_score:
        raise DomainError(FORM, _l("You may not finalise this review."))
    _period_open(loaded.period)
    check_version(review, version, STALE)
    _editable(review)
    if review.state != ReviewState.SCORED.value:
        raise DomainError(FORM, _l("Score the review before finalising it."))
    review.state = ReviewState.FINALISED.value
    review.finalised_by = actor.id
    review.finalised_at = utcnow()
    flush_or_conflict(STALE)
    return review


def reopen(actor: Actor, loaded: queries.Loaded, data: Mapping[str, Any]) -> Review:
    """Unlock a finalised review for scoring again; the reason is kept and audited.

    ``data``: version, reason."""
    review = loaded.review
    if is_own(actor, review.employee_id) or not loaded.can_reopen:
        raise DomainError(FORM, _l("You may not reopen this review."))
    _period_open(loaded.period)
    check_version(review, data["version"], STALE)
    if review.state != ReviewState.FINALISED.value:
        raise DomainError(FORM, _l("Only a finalised review can be reopened."))
    reason = str(data.get("reason") or "").strip()
    if len(reason) < 10:
        raise DomainError("reason", _l("Say why the review is reopened (at least 10 characters)."))
    annual = queries.annual_rating_of(review.employee_id, loaded.period.starts_on.year)
    if annual is not None and annual.finalised:
        raise DomainError(
            FORM, _l("The annual rating of this year is finalised; the review stays locked.")
        )
    review.state = ReviewState.SUBMITTED.value
    review.finalised_by = None
    review.finalised_at = None
    review.reopen_reason = reason
    record_event(
        db.session(),
        "reviews.reopened",
        "reviews",
        review.id,
        {"reason": reason},
        subject=review.audit_subject,
    )
    flush_or_conflict(STALE)
    return review


def add_comment(actor: Actor, loaded: queries.Loaded, body: str) -> ReviewComment:
    if not queries.may_comment(actor, loaded):
        raise DomainError(FORM, _l("Only colleagues of the unit may comment on this review."))
    _period_open(loaded.period)
    text = (body or "").strip()
    if not text:
        raise DomainError("body", _l("Write the comment."))
    if len(text) > 4000:
        raise DomainError("body", _l("At most %(max)s characters.", max=4000))
    comment = ReviewComment(review_id=loaded.review.id, author_id=actor.id, body=text)
    db.session.add(comment)
    db.session.flush()
    return comment


# The year --------------------------------------------------------------------------------------


def _disciplined_in(employee_ids: Sequence[int], year: int) -> set[int]:
    """People with a disciplinary decision taking effect in the year."""
    if not employee_ids:
        return set()
    return set(
        db.session.scalars(
            select(Decision.employee_id).where(
                Decision.employee_id.in_(list(employee_ids)),
                Decision.kind == DecisionKind.DISCIPLINE.value,
                Decision.effective_on >= dt.date(year, 1, 1),
                Decision.effective_on <= dt.date(year, 12, 31),
            )
        )
    )


def annual_deadline(rules: SchemeRules, year: int) -> dt.date:
    """The day the year's annual ratings are due under the scheme (15 December under Nghị định
    335/2025)."""
    month, day = rules.annual_deadline
    return dt.date(year, month, day)


def _manageable_unit(actor: Actor, unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None or not can_open_periods(actor, unit.path):
        raise DomainError("unit_id", _l("Choose a unit you manage."))
    return unit


def compute_annual(actor: Actor, unit_id: int, year: int) -> list[AnnualRating]:
    """Draft annual ratings of the people of a unit's subtree with finalised reviews in the year:
    the average of the period totals (points schemes), or the head's decision under the
    attendance rules (criteria schemes; undecided until ``decide_annual``). Finalised annual
    ratings are left as they are."""
    unit = _manageable_unit(actor, unit_id)
    people = queries.people_in_service(unit)
    finalised = queries.finalised_reviews([e.id for e, _u in people], year)
    disciplined = _disciplined_in(list(finalised), year)
    positions = {
        p.id: p.grp
        for p in db.session.scalars(
            select(UnitPosition).where(
                UnitPosition.id.in_(
                    [
                        r.position_id
                        for rows in finalised.values()
                        for r, _p in rows
                        if r.position_id
                    ]
                )
            )
        )
    }
    agencies: dict[int, Unit] = {}
    existing = {
        a.employee_id: a
        for a in db.session.scalars(
            select(AnnualRating).where(
                AnnualRating.year == year, AnnualRating.employee_id.in_(list(finalised))
            )
        )
    }
    rated: list[AnnualRating] = []
    for employee, in_unit in people:
        rows = finalised.get(employee.id)
        if not rows:
            continue
        annual = existing.get(employee.id)
        if annual is not None and annual.finalised:
            rated.append(annual)
            continue
        latest, _period = rows[-1]
        scheme = db.session.get(EvaluationScheme, latest.scheme_id)
        assert scheme is not None
        rules = scheme.parsed
        if in_unit.id not in agencies:
            agencies[in_unit.id] = queries.agency_of(in_unit)
        if annual is None:
            annual = AnnualRating(employee_id=employee.id, year=year)
            db.session.add(annual)
        annual.scheme_id = scheme.id
        annual.unit_id = in_unit.id
        annual.agency_id = agencies[in_unit.id].id
        annual.task_group = positions.get(latest.position_id or 0, queries.NO_GROUP)
        annual.periods = len(rows)
        punished = employee.id in disciplined or any(r.disciplined for r, _p in rows)
        if rules.method is Method.POINTS:
            result = annual_points(
                rules,
                [Decimal(r.total) for r, _p in rows if r.total is not None],
                disciplined=punished,
            )
            annual.average, annual.band = result.average, result.band.value
            annual.rating, annual.reasons = result.rating.value, ",".join(result.reasons)
        else:
            _apply_criteria(annual, rules, punished)
        rated.append(annual)
    db.session.flush()
    return rated


def _apply_criteria(annual: AnnualRating, rules: SchemeRules, disciplined: bool) -> None:
    annual.average = None
    annual.band = None
    if annual.decided_rating is None or annual.months_worked is None:
        annual.rating, annual.reasons = None, "undecided"
        return
    result = annual_criteria(
        rules,
        Rating(annual.decided_rating),
        months_worked=annual.months_worked,
        months_absent=annual.months_absent or 0,
        maternity=annual.maternity,
        disciplined=disciplined,
    )
    annual.rating = result.rating.value if result.rating else None
    annual.reasons = ",".join(result.reasons)


def _annual_in_scope(actor: Actor, annual: AnnualRating) -> None:
    unit = db.session.get(Unit, annual.unit_id)
    if unit is None or not can_open_periods(actor, unit.path) or is_own(actor, annual.employee_id):
        raise DomainError(FORM, _l("You may not change this annual rating."))
    if annual.finalised:
        raise DomainError(FORM, _l("This annual rating is finalised."))


def decide_annual(actor: Actor, annual: AnnualRating, data: Mapping[str, Any]) -> AnnualRating:
    """Criteria schemes: the head's decision and the months worked and absent.

    ``data``: version, decided_rating, months_worked, months_absent?, maternity?"""
    _annual_in_scope(actor, annual)
    check_version(annual, data["version"], STALE_ANNUAL)
    scheme = db.session.get(EvaluationScheme, annual.scheme_id)
    assert scheme is not None
    rules = scheme.parsed
    if rules.method is not Method.CRITERIA:
        raise DomainError(FORM, _l("This scheme computes the annual rating from the periods."))
    errors = _Errors()
    worked, absent = data.get("months_worked"), data.get("months_absent") or 0
    if worked is None or not 0 <= worked <= 12:
        errors.add("months_worked", _l("Give 0 to 12 months."))
    if not 0 <= absent <= 12:
        errors.add("months_absent", _l("Give 0 to 12 months."))
    if data.get("decided_rating") is None:
        errors.add("decided_rating", _l("Choose the rating."))
    errors.raise_any()
    annual.decided_rating = Rating(data["decided_rating"]).value
    annual.months_worked = worked
    annual.months_absent = absent
    annual.maternity = bool(data.get("maternity"))
    punished = bool(_disciplined_in([annual.employee_id], annual.year))
    _apply_criteria(annual, rules, punished)
    flush_or_conflict(STALE_ANNUAL)
    return annual


def adjust_annual(actor: Actor, annual: AnnualRating, data: Mapping[str, Any]) -> AnnualRating:
    """Give a rating other than the computed one (to respect the cap, say), with a reason.

    ``data``: version, override_rating (None to drop the override), override_reason."""
    _annual_in_scope(actor, annual)
    check_version(annual, data["version"], STALE_ANNUAL)
    override = data.get("override_rating")
    if override is None or (annual.rating is not None and Rating(override).value == annual.rating):
        annual.override_rating, annual.override_reason = None, None
    else:
        reason = str(data.get("override_reason") or "").strip()
        if len(reason) < 10:
            raise DomainError(
                "override_reason",
                _l("Explain in writing (at least 10 characters) why the rating differs."),
            )
        annual.override_rating, annual.override_reason = Rating(override).value, reason
    flush_or_conflict(STALE_ANNUAL)
    return annual


@dataclass(frozen=True)
class CapGroup:
    """The cap in one agency and task group: how many may be rated at the top, how many are,
    and who (lowest average first: the first to reconsider)."""

    agency: Unit
    task_group: str
    check: CapCheck
    top: list[tuple[AnnualRating, Employee]]

    @property
    def over(self) -> bool:
        return self.check.excess > 0


def cap_report(actor: Actor, unit_id: int, year: int) -> list[CapGroup]:
    """The cap of each agency and task group among the year's annual ratings of the unit."""
    unit = _manageable_unit(actor, unit_id)
    rows = queries.annual_ratings(actor, unit, year)
    grouped: dict[tuple[int, str], list[tuple[AnnualRating, Employee]]] = {}
    for annual, employee in rows:
        grouped.setdefault((annual.agency_id, annual.task_group), []).append((annual, employee))
    report = []
    for (agency_id, group), members in sorted(grouped.items()):
        scheme = db.session.get(EvaluationScheme, members[0][0].scheme_id)
        cap = scheme.parsed.cap if scheme is not None else None
        if cap is None:
            continue
        check = check_cap(cap, [a.final_rating for a, _e in members if a.final_rating])
        top = sorted(
            [(a, e) for a, e in members if a.final_rating is cap.rating],
            key=_lowest_first,
        )
        agency = db.session.get(Unit, agency_id)
        assert agency is not None
        report.append(CapGroup(agency, group, check, top))
    return report


def _lowest_first(row: tuple[AnnualRating, Employee]) -> tuple[Decimal, str]:
    annual, employee = row
    return (annual.average if annual.average is not None else HUNDRED, employee.search_name)


@dataclass
class AnnualOutcome:
    finalised: list[AnnualRating]
    #: groups over the cap: their ratings stay drafts until someone is rated lower
    over_cap: list[CapGroup]
    #: not decided yet (criteria schemes), or one's own: left as drafts
    left: list[AnnualRating]


def finalise_annual(actor: Actor, unit_id: int, year: int) -> AnnualOutcome:
    """Lock the year's annual ratings of a unit's subtree, group by group: a group over the cap
    is not locked but reported with who is over and by how much."""
    report = cap_report(actor, unit_id, year)
    held = {(g.agency.id, g.task_group) for g in report if g.over}
    unit = _manageable_unit(actor, unit_id)
    outcome = AnnualOutcome([], [g for g in report if g.over], [])
    now = utcnow()
    for annual, _employee in queries.annual_ratings(actor, unit, year):
        if annual.finalised or (annual.agency_id, annual.task_group) in held:
            continue
        undecided = annual.rating is None and annual.reasons == "undecided"
        if undecided or is_own(actor, annual.employee_id):
            outcome.left.append(annual)
            continue
        annual.finalised = True
        annual.finalised_by = actor.id
        annual.finalised_at = now
        scheme = db.session.get(EvaluationScheme, annual.scheme_id)
        assert scheme is not None
        # allowed after the deadline (salary raises need the rating), but shown as late
        annual.finalised_late = today() > annual_deadline(scheme.parsed, annual.year)
        outcome.finalised.append(annual)
    db.session.flush()
    return outcome


# Scheme administration -------------------------------------------------------------------------


def _rule_messages(messages: Any, prefix: str = "") -> list[str]:
    """parse_rules' nested messages as lines "bands.0.min_points: …" shown under the field."""
    if isinstance(messages, dict):
        found: list[str] = []
        for key, inner in messages.items():
            found.extend(_rule_messages(inner, f"{prefix}{key}."))
        return found
    if isinstance(messages, list | tuple):
        found = []
        for message in messages:
            found.extend(_rule_messages(message, prefix))
        return found
    where = prefix.rstrip(".")
    return [f"{where}: {messages}" if where else str(messages)]


def add_scheme_version(actor: Actor, data: Mapping[str, Any]) -> EvaluationScheme:
    """A new version of a scheme (or a new scheme) in force from a date; versions are never
    edited. ``data``: code, name, kinds (list), effective_from, rules (dict)."""
    if not can_manage_schemes(actor):
        raise DomainError(FORM, _l("Only administrators manage evaluation schemes."))
    errors = _Errors()
    kinds = [str(kind) for kind in data.get("kinds") or []]
    if not kinds:
        errors.add("kinds", _l("Choose at least one kind of personnel."))
    for kind in kinds:
        if kind not in PERSONNEL_KINDS:
            errors.add("kinds", _l("Unknown kind of personnel: %(kind)s.", kind=kind))
    rules = data.get("rules")
    if not isinstance(rules, dict):
        errors.add("rules", _l("Give the rules as a JSON object."))
    else:
        try:
            parse_rules(rules)
        except ValidationFailed as refused:
            for message in _rule_messages(refused.errors):
                errors.add("rules", message)
    code, effective_from = data["code"], data["effective_from"]
    taken = db.session.scalar(
        select(EvaluationScheme.id).where(
            EvaluationScheme.code == code, EvaluationScheme.effective_from == effective_from
        )
    )
    if taken is not None:
        errors.add(
            "effective_from", _l("This scheme already has a version in force from this date.")
        )
    latest = db.session.scalar(
        select(func.max(EvaluationScheme.effective_from)).where(EvaluationScheme.code == code)
    )
    if taken is None and latest is not None and effective_from < latest:
        errors.add(
            "effective_from",
            _l(
                "A new version takes effect after the latest one (%(date)s).",
                date=dates.format_date(latest),
            ),
        )
    errors.raise_any()
    scheme = EvaluationScheme(
        code=code,
        name=data["name"],
        kinds=",".join(dict.fromkeys(kinds)),
        effective_from=effective_from,
        rules=rules,
        active=True,
    )
    db.session.add(scheme)
    db.session.flush()
    return scheme


def assign_scheme(actor: Actor, data: Mapping[str, Any]) -> SchemeAssignment:
    """An agency's choice of scheme for a kind of personnel from a date.

    ``data``: unit_id, kind, scheme_id, effective_from"""
    if not can_manage_schemes(actor):
        raise DomainError(FORM, _l("Only administrators manage evaluation schemes."))
    errors = _Errors()
    unit = db.session.get(Unit, data["unit_id"])
    if unit is None:
        errors.add("unit_id", _l("Choose an agency."))
    if data["kind"] not in PERSONNEL_KINDS:
        errors.add("kind", _l("Choose a kind of personnel."))
    scheme = db.session.get(EvaluationScheme, data["scheme_id"])
    if scheme is None or not scheme.active:
        errors.add("scheme_id", _l("Choose a scheme in use."))
    elif data["effective_from"] < scheme.effective_from:
        errors.add(
            "effective_from",
            _l(
                "The scheme is in force only from %(date)s.",
                date=dates.format_date(scheme.effective_from),
            ),
        )
    if unit is not None:
        taken = db.session.scalar(
            select(SchemeAssignment.id).where(
                SchemeAssignment.unit_id == unit.id,
                SchemeAssignment.kind == data["kind"],
                SchemeAssignment.effective_from == data["effective_from"],
            )
        )
        if taken is not None:
            errors.add(
                "effective_from",
                _l("This agency already chose a scheme for this kind from this date."),
            )
    errors.raise_any()
    assert unit is not None and scheme is not None
    assignment = SchemeAssignment(
        unit_id=unit.id,
        kind=data["kind"],
        scheme_id=scheme.id,
        effective_from=data["effective_from"],
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment
