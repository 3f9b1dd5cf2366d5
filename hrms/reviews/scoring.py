"""Scoring a review under its scheme, every step kept so it can be shown line by line.

Pure functions of the scheme's rules and the review's numbers: no database, no clock. The pages,
the PDF of the evaluation form and the tests all read the same ``Breakdown``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from hrms.reviews.scheme import CapRules, Method, Rating, SchemeRules, worse

HUNDRED = Decimal(100)
ZERO = Decimal(0)
CENT = Decimal("0.01")


def rounded(value: Decimal) -> Decimal:
    """Points and percentages are shown, compared with the bands and averaged at 2 decimals."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OutputResult:
    """What was planned and what happened for one item of the work plan."""

    title: str
    #: the item's weight in the task score (the plan's weights add up to 100)
    weight: Decimal
    assigned: Decimal
    delivered: Decimal
    #: returns for a major error
    returns: int = 0
    #: delays, and how many of them the head excused (objective causes)
    delays: int = 0
    excused_delays: int = 0


@dataclass(frozen=True)
class OutputScore:
    item: OutputResult
    quantity: Decimal
    quality: Decimal
    timeliness: Decimal
    #: the weighted mean of the three percentages
    combined: Decimal

    @property
    def counted_delays(self) -> int:
        return self.item.delays - self.item.excused_delays


@dataclass(frozen=True)
class CriterionScore:
    code: str
    name: str
    points: Decimal
    max_points: Decimal


@dataclass(frozen=True)
class Breakdown:
    outputs: tuple[OutputScore, ...]
    #: output-weighted mean of the items' combined percentages
    outputs_percent: Decimal
    #: the unit's results (%) when the person heads a unit, else None
    unit_percent: Decimal | None
    #: the task-results percentage after the unit's share
    task_percent: Decimal
    task_points: Decimal
    task_max: Decimal
    criteria: tuple[CriterionScore, ...]
    general_points: Decimal
    total: Decimal
    #: the rating the total reaches
    band: Rating
    #: the rating given, after the discipline rule
    rating: Rating
    #: why the rating differs from the band (empty when it does not)
    reasons: tuple[str, ...] = field(default=())


class ScoringError(ValueError):
    """Numbers the scheme cannot score (the services check them first, with field messages)."""


def score_output(rules: SchemeRules, item: OutputResult) -> OutputScore:
    outputs = rules.outputs
    if outputs is None:
        raise ScoringError("The scheme scores no outputs.")
    if item.assigned <= 0:
        raise ScoringError(f"{item.title}: the assigned quantity must be positive.")
    if item.delivered < 0 or item.returns < 0 or item.delays < 0:
        raise ScoringError(f"{item.title}: quantities and counts cannot be negative.")
    if not 0 <= item.excused_delays <= item.delays:
        raise ScoringError(f"{item.title}: more delays excused than there were.")
    quantity = min(item.delivered / item.assigned * HUNDRED, outputs.quantity_cap)
    quality = max(ZERO, HUNDRED - outputs.return_penalty * item.returns)
    timeliness = max(ZERO, HUNDRED - outputs.delay_penalty * (item.delays - item.excused_delays))
    weights = (outputs.quantity_weight, outputs.quality_weight, outputs.timeliness_weight)
    combined = sum(
        (w * p for w, p in zip(weights, (quantity, quality, timeliness), strict=True)), ZERO
    ) / sum(weights, ZERO)
    return OutputScore(
        item, rounded(quantity), rounded(quality), rounded(timeliness), rounded(combined)
    )


def band_of(rules: SchemeRules, total: Decimal) -> Rating:
    for band in rules.bands:  # best first
        if total >= band.min_points:
            return band.rating
    return rules.bands[-1].rating


def unit_result(rules: SchemeRules, subordinate_ratings: Iterable[Rating]) -> Decimal:
    """A head's unit result: full when every subordinate is at least ``complete``."""
    if rules.leader is None:
        raise ScoringError("The scheme does not score heads on their unit's results.")
    if any(rating is Rating.INCOMPLETE for rating in subordinate_ratings):
        return rules.leader.any_incomplete
    return rules.leader.all_complete


def score(
    rules: SchemeRules,
    items: Sequence[OutputResult],
    general: Mapping[str, Decimal],
    *,
    unit_percent: Decimal | None = None,
    disciplined: bool = False,
) -> Breakdown:
    """The 100-point score of a period (Nghị định 335/2025 and schemes like it).

    ``general`` holds the head's points per general criterion; ``unit_percent`` is given for
    heads of units (see ``unit_result``)."""
    if rules.method is not Method.POINTS or rules.outputs is None:
        raise ScoringError("The scheme is not scored in points.")
    if not items:
        raise ScoringError("The work plan has no item.")
    weight_total = sum((item.weight for item in items), ZERO)
    if weight_total != HUNDRED or any(item.weight <= 0 for item in items):
        raise ScoringError("The weights of the work plan must be positive and add up to 100.")
    outputs = tuple(score_output(rules, item) for item in items)
    outputs_percent = rounded(
        sum((o.item.weight * o.combined for o in outputs), ZERO) / weight_total
    )
    task_percent = outputs_percent
    if unit_percent is not None:
        if rules.leader is None:
            raise ScoringError("The scheme does not score heads on their unit's results.")
        share = rules.leader.unit_share
        task_percent = rounded(
            (outputs_percent * (HUNDRED - share) + unit_percent * share) / HUNDRED
        )
    task_max = rules.outputs.max_points
    task_points = rounded(task_max * task_percent / HUNDRED)
    criteria = []
    for criterion in rules.criteria:
        points = general.get(criterion.code)
        if points is None or not ZERO <= points <= criterion.max_points:
            raise ScoringError(f"{criterion.name}: give 0 to {criterion.max_points} points.")
        criteria.append(
            CriterionScore(criterion.code, criterion.name, points, criterion.max_points)
        )
    unknown = set(general) - {c.code for c in rules.criteria}
    if unknown:
        raise ScoringError(f"Criteria not in the scheme: {', '.join(sorted(unknown))}.")
    general_points = sum((c.points for c in criteria), ZERO)
    total = rounded(task_points + general_points)
    band = band_of(rules, total)
    rating: Rating = band
    reasons: tuple[str, ...] = ()
    if disciplined:
        rating = worse(band, rules.discipline_rating)
        if rating is not band:
            reasons = ("discipline",)
    return Breakdown(
        outputs=outputs,
        outputs_percent=outputs_percent,
        unit_percent=unit_percent,
        task_percent=task_percent,
        task_points=task_points,
        task_max=task_max,
        criteria=tuple(criteria),
        general_points=general_points,
        total=total,
        band=band,
        rating=rating,
        reasons=reasons,
    )


@dataclass(frozen=True)
class AnnualResult:
    #: the average of the year's period totals
    average: Decimal
    periods: int
    band: Rating
    rating: Rating
    reasons: tuple[str, ...] = ()


def annual_points(
    rules: SchemeRules, totals: Sequence[Decimal], *, disciplined: bool = False
) -> AnnualResult:
    """The annual rating of a points scheme: the average of the year's period scores (for a
    transferred person, the old agency's periods count; leave counts only the periods worked)."""
    if not totals:
        raise ScoringError("No scored period in the year.")
    average = rounded(sum(totals, ZERO) / len(totals))
    band = band_of(rules, average)
    rating = worse(band, rules.discipline_rating) if disciplined else band
    return AnnualResult(
        average, len(totals), band, rating, ("discipline",) if rating is not band else ()
    )


@dataclass(frozen=True)
class CriteriaResult:
    #: None: not rated this year
    rating: Rating | None
    reasons: tuple[str, ...] = ()


def annual_criteria(
    rules: SchemeRules,
    decided: Rating,
    *,
    months_worked: int,
    months_absent: int = 0,
    maternity: bool = False,
    disciplined: bool = False,
) -> CriteriaResult:
    """The annual rating of a criteria scheme (Nghị định 90/2020): the head's decision, unless
    the person worked too little to be rated, or was absent long enough to be capped."""
    attendance = rules.attendance
    reasons: list[str] = []
    rating = decided
    if attendance is not None:
        if months_worked < attendance.min_months_worked and not maternity:
            return CriteriaResult(None, ("worked_too_little",))
        if months_absent >= attendance.absence_months and not maternity:
            capped = worse(rating, attendance.absence_cap)
            if capped is not rating:
                rating, reasons = capped, [*reasons, "absence"]
    if disciplined:
        capped = worse(rating, rules.discipline_rating)
        if capped is not rating:
            rating, reasons = capped, [*reasons, "discipline"]
    return CriteriaResult(rating, tuple(reasons))


@dataclass(frozen=True)
class CapCheck:
    """The top-rating cap of one agency or task group."""

    counted: int
    allowed: int
    rated: int

    @property
    def excess(self) -> int:
        return max(0, self.rated - self.allowed)


def check_cap(cap: CapRules, ratings: Iterable[Rating]) -> CapCheck:
    """How many may get the top rating (a whole number: 20 % of 7 "good" allows 1), and how many
    have it."""
    ratings = list(ratings)
    counted = sum(1 for rating in ratings if rating is cap.of_rating)
    allowed = int((counted * cap.percent / HUNDRED).to_integral_value(rounding=ROUND_FLOOR))
    return CapCheck(counted, allowed, sum(1 for rating in ratings if rating is cap.rating))
