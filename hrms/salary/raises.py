"""When a person's next salary raise is due, and why: pure functions over the person's decisions,
annual ratings and the rule data (``RuleBook``), so that a list of a thousand people is computed
from three or four queries (``load_ledgers``), never per person.

The rules (Nghị định 204/2004/NĐ-CP, Thông tư 08/2013/TT-BNV as amended by 03/2021/TT-BNV,
Thông tư 04/2005/TT-BNV), their numbers read from ``PayRules`` and the scales:

* **Regular step raise.** The current step counts from the effective date of the decision in
  force that set it (recruitment, transfer in, rank placement or salary step; a decision that
  only sets the seniority allowance does not restart the step). The next step is due after the
  raise interval of the rank's scale (36, 24 or 60 months).
* **Delays** (cumulative, each one a line of the explanation):
  - every year rated *không hoàn thành nhiệm vụ* while the step is held: ``failed_year_delay_
    months``. A year counts when its end (31 December, when the year is rated) falls on or after
    the start of the step and before the date due (a delay that pushes the date past another
    year end brings that year in too);
  - every discipline decision taking effect while the step is held, by its form (the decision's
    title, compared without case or diacritics): *khiển trách* (reprimand) and *cảnh cáo*
    (warning) ``reprimand_delay_months``; *giáng chức* (demotion) and *cách chức* (dismissal
    from post) ``demotion_delay_months``. Other forms (*hạ bậc lương*, which itself sets a
    step, *buộc thôi việc*, which ends the service) delay nothing and are listed with 0 months.
* **Time that does not count**: leave recorded in the ledger (a ``leave`` decision is unpaid
  leave, nghỉ việc riêng không hưởng lương: paid leave is not a decision) from its effective
  date to the day before the ``return_from_leave`` decision, counted in days and added after the
  months. A span started before the step counts only from the step start. While a leave is open
  (no return yet) no date can be given.
* **Early raise already granted.** A salary step decided ``early_raise_months`` ahead takes
  effect early and the new step counts from that earlier effective date: early-raise decisions
  under Thông tư 08/2013/TT-BNV state that the time for the next raise runs from the date the
  new step is held, so the advance is kept, not recovered at the next raise (the reading the
  brief queried, "from the date the step would regularly have been reached", would undo the
  advance at the next raise, which is not how agencies apply it). The explanation
  shows the date the step would regularly have started and the months of the advance, which
  add up to the effective date the interval runs from.
* **Last step: seniority allowance beyond the frame** (phụ cấp thâm niên vượt khung) instead:
  first due ``seniority_wait_months`` after the last step started, at ``seniority_start_
  percent``; then ``seniority_yearly_percent`` more every 12 months after the decision that
  set the previous percentage. The same delays and uncounted time apply within the year.

Month arithmetic (``add_months``): a day that the target month does not have becomes its last
day (31/01 + 1 month = 28/02 or 29/02 in a leap year; 29/02 + 12 months = 28/02).
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from hrms.core.dates import format_date
from hrms.core.text import fold
from hrms.employees.models import Decision, DecisionKind
from hrms.reviews.models import AnnualRating
from hrms.reviews.scheme import Rating
from hrms.salary.models import PayRules
from hrms.salary.rules import RuleBook

#: decisions that may set a rank, step and coefficient (as the ledger replay reads them)
STEP_KINDS = frozenset(
    {
        DecisionKind.RECRUITMENT.value,
        DecisionKind.TRANSFER_IN.value,
        DecisionKind.RANK_PLACEMENT.value,
        DecisionKind.SALARY_STEP.value,
    }
)
#: kinds compared in the loops over a ledger (plain strings: no enum lookup per decision)
_SALARY_STEP = DecisionKind.SALARY_STEP.value
_LEAVE = DecisionKind.LEAVE.value
_RETURN = DecisionKind.RETURN_FROM_LEAVE.value
_DISCIPLINE = DecisionKind.DISCIPLINE.value
#: discipline forms (folded: lower case, no diacritics) -> the pay-rules delay they bring
REPRIMAND_FORMS = ("khien trach", "canh cao")
DEMOTION_FORMS = ("giang chuc", "cach chuc")
#: months in a year of seniority allowance
SENIORITY_YEAR_MONTHS = 12
#: set while ``next_raise`` computes the date only (see its ``explain``)
_DATES_ONLY: ContextVar[bool] = ContextVar("hrms.salary.raises.dates_only", default=False)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus (or minus) whole months; a day the target month lacks becomes its last."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


class LineKind(enum.StrEnum):
    START = "start"
    EARLY_RAISE = "early_raise"
    INTERVAL = "interval"
    SENIORITY_WAIT = "seniority_wait"
    SENIORITY_YEAR = "seniority_year"
    FAILED_YEAR = "failed_year"
    DISCIPLINE = "discipline"
    UNCOUNTED = "uncounted"


class DueKind(enum.StrEnum):
    STEP = "step"
    SENIORITY = "seniority"


@dataclass(frozen=True)
class Line:
    """One line of the explanation: a date it starts from, or months and days it adds."""

    kind: LineKind
    text: str
    on: dt.date | None = None
    months: int = 0
    days: int = 0


@dataclass(frozen=True)
class RaiseDue:
    """The next raise of a person: a step or a seniority percentage, the date and the sum."""

    employee_id: int
    kind: DueKind
    rank_code: str
    scale_code: str
    step: int
    coefficient: Decimal | None
    #: step, coefficient and seniority % the raise gives
    next_step: int
    next_coefficient: Decimal | None
    seniority_percent: int | None
    next_seniority_percent: int | None
    #: what the months and days count from
    start: dt.date
    #: the date due; empty while on leave
    due: dt.date | None
    lines: tuple[Line, ...]
    #: the current step was an early raise (no early raise now: never twice in a row)
    early_raised: bool
    #: months of delay in all
    delay_months: int
    #: days that did not count
    uncounted_days: int
    #: why no date can be given (open leave)
    pending: str | None = None

    @property
    def explanation(self) -> list[str]:
        return [line.text for line in self.lines]


@dataclass
class Ledger:
    """What the computation reads of one person: decisions (any order) and annual ratings."""

    employee_id: int
    decisions: list[Decision] = field(default_factory=list)
    #: year -> final rating
    ratings: dict[int, Rating] = field(default_factory=dict)


def in_force(decisions: Iterable[Decision]) -> list[Decision]:
    """Decisions not corrected by a later one, in effective-date order."""
    rows = list(decisions)
    replaced = {d.supersedes_id for d in rows if d.supersedes_id is not None}
    return sorted(
        (d for d in rows if d.id not in replaced),
        key=lambda d: (d.effective_on, d.signed_on, d.id or 0),
    )


def discipline_delay(title: str | None, rules: PayRules) -> tuple[int, str]:
    """Months of delay for a discipline form, and the rule it falls under."""
    folded = fold(title or "")
    if any(form in folded for form in DEMOTION_FORMS):
        return rules.demotion_delay_months, "demotion"
    if any(form in folded for form in REPRIMAND_FORMS):
        return rules.reprimand_delay_months, "reprimand"
    return 0, "none"


@dataclass(frozen=True)
class _Current:
    rank_code: str
    step: int
    coefficient: Decimal | None
    step_decision: Decision
    seniority: Decision | None


def _current(decisions: list[Decision]) -> _Current | None:
    """The rank, the decision that set the current step, and the latest decision setting the
    seniority allowance on it. A decision of the step kinds that repeats the same step with a
    seniority percentage sets the allowance only; any other one restarts the step."""
    rank_code: str | None = None
    step_decision: Decision | None = None
    seniority: Decision | None = None
    for decision in decisions:
        if decision.kind in STEP_KINDS:
            if decision.rank_code:
                rank_code = decision.rank_code
            if decision.salary_coefficient is not None and decision.salary_step is not None:
                allowance_only = (
                    step_decision is not None
                    and decision.seniority_percent is not None
                    and decision.salary_step == step_decision.salary_step
                    and decision.kind == _SALARY_STEP
                )
                if not allowance_only:
                    step_decision, seniority = decision, None
        if decision.seniority_percent and step_decision is not None:
            seniority = decision
    if rank_code is None or step_decision is None or step_decision.salary_step is None:
        return None
    return _Current(
        rank_code,
        step_decision.salary_step,
        step_decision.salary_coefficient,
        step_decision,
        seniority,
    )


def _leave_spans(decisions: list[Decision]) -> tuple[list[tuple[dt.date, dt.date]], dt.date | None]:
    """Closed leave spans (first day, first day back) and the start of an open one."""
    spans: list[tuple[dt.date, dt.date]] = []
    opened: dt.date | None = None
    for decision in decisions:
        if decision.kind == _LEAVE and opened is None:
            opened = decision.effective_on
        elif decision.kind == _RETURN and opened is not None:
            if decision.effective_on > opened:
                spans.append((opened, decision.effective_on))
            opened = None
    return spans, opened


def next_raise(ledger: Ledger, book: RuleBook, *, explain: bool = True) -> RaiseDue | None:
    """The person's next step raise (or seniority percentage at the last step) and how its
    date adds up; None when the ledger places them on no scale (no rank, unknown rank).
    ``explain=False``: the same result with the lines' texts (and ``pending``) left empty, for
    the dates kept on every dossier (hrms.salary.schedule), at a fraction of the cost."""
    token = _DATES_ONLY.set(not explain)
    try:
        return _next_raise(ledger, book)
    finally:
        _DATES_ONLY.reset(token)


def _said(text: Any) -> str:
    """A line's text, or nothing while only the dates are wanted."""
    return "" if _DATES_ONLY.get() else str(text)


def _next_raise(ledger: Ledger, book: RuleBook) -> RaiseDue | None:
    decisions = in_force(ledger.decisions)
    current = _current(decisions)
    if current is None:
        return None
    step_start = current.step_decision.effective_on
    scale = book.scale_of_rank(current.rank_code, step_start)
    if scale is None or not scale.steps:
        return None
    last = current.step >= scale.last_step
    lines: list[Line] = []
    early = current.step_decision.early_raise_months
    if last:
        kind = DueKind.SENIORITY
        if current.seniority is not None:
            start = current.seniority.effective_on
            percent = current.seniority.seniority_percent
            base_months = SENIORITY_YEAR_MONTHS
            lines.append(
                Line(
                    LineKind.START,
                    _said(
                        _l(
                            "Seniority allowance of %(percent)s%% since %(date)s",
                            percent=percent,
                            date=format_date(start),
                        )
                    ),
                    on=start,
                )
            )
            lines.append(
                Line(
                    LineKind.SENIORITY_YEAR,
                    _said(_l("+%(months)s months: a further year", months=base_months)),
                    months=base_months,
                )
            )
        else:
            start = step_start
            percent = None
            base_months = scale.seniority_wait_months
            lines.append(_start_line(current, step_start, early, last=True))
            lines.extend(_early_lines(step_start, early))
            lines.append(
                Line(
                    LineKind.SENIORITY_WAIT,
                    _said(
                        _l(
                            "+%(months)s months on the last step (%(step)s) of scale %(scale)s",
                            months=base_months,
                            step=current.step,
                            scale=scale.code,
                        )
                    ),
                    months=base_months,
                )
            )
    else:
        kind = DueKind.STEP
        start = step_start
        percent = None
        base_months = scale.raise_interval_months
        lines.append(_start_line(current, step_start, early, last=False))
        lines.extend(_early_lines(step_start, early))
        lines.append(
            Line(
                LineKind.INTERVAL,
                _said(
                    _l(
                        "+%(months)s months: raise interval of scale %(scale)s",
                        months=base_months,
                        scale=scale.code,
                    )
                ),
                months=base_months,
            )
        )

    spans, open_leave = _leave_spans(decisions)
    delays: list[Line] = []
    uncounted: list[Line] = []
    due = add_months(start, base_months)
    # delays and uncounted time move the date, which may bring in more of them: repeat until
    # the date stays put (each pass only adds lines, so this ends)
    for _ in range(100):
        delays = _delays(decisions, ledger.ratings, book, start, due)
        months = base_months + sum(line.months for line in delays)
        uncounted = _uncounted(spans, start, add_months(start, months))
        days = sum(line.days for line in uncounted)
        moved = add_months(start, months) + dt.timedelta(days=days)
        if moved == due:
            break
        due = moved
    lines.extend(delays)
    lines.extend(uncounted)
    pending = None
    due_or_none: dt.date | None = due
    if open_leave is not None and open_leave < due:
        pending = _said(
            _l(
                "On leave since %(date)s: the date is set when the person returns.",
                date=format_date(open_leave),
            )
        )
        due_or_none = None
    rules = book.rules(due) or book.rules(start)
    next_step = current.step if last else current.step + 1
    next_percent: int | None = None
    if last and rules is not None:
        next_percent = (
            rules.seniority_start_percent
            if percent is None
            else percent + rules.seniority_yearly_percent
        )
    return RaiseDue(
        employee_id=ledger.employee_id,
        kind=kind,
        rank_code=current.rank_code,
        scale_code=scale.code,
        step=current.step,
        coefficient=current.coefficient,
        next_step=next_step,
        next_coefficient=scale.coefficient(next_step),
        seniority_percent=percent,
        next_seniority_percent=next_percent,
        start=start,
        due=due_or_none,
        lines=tuple(lines),
        early_raised=bool(early),
        delay_months=sum(line.months for line in delays),
        uncounted_days=sum(line.days for line in uncounted),
        pending=pending,
    )


def _start_line(current: _Current, step_start: dt.date, early: int | None, *, last: bool) -> Line:
    if early:
        return Line(
            LineKind.START,
            _said(
                _l(
                    "Step %(step)s would regularly have started on %(date)s",
                    step=current.step,
                    date=format_date(add_months(step_start, early)),
                )
            ),
            on=add_months(step_start, early),
            months=0,
        )
    text = (
        _l(
            "Last step %(step)s held since %(date)s",
            step=current.step,
            date=format_date(step_start),
        )
        if last
        else _l(
            "Step %(step)s held since %(date)s", step=current.step, date=format_date(step_start)
        )
    )
    return Line(LineKind.START, _said(text), on=step_start)


def _early_lines(step_start: dt.date, early: int | None) -> list[Line]:
    if not early:
        return []
    return [
        Line(
            LineKind.EARLY_RAISE,
            _said(
                _l(
                    "−%(months)s months: early raise granted, the step counts from %(date)s",
                    months=early,
                    date=format_date(step_start),
                )
            ),
            on=step_start,
            months=-early,
        )
    ]


def _delays(
    decisions: list[Decision],
    ratings: dict[int, Rating],
    book: RuleBook,
    start: dt.date,
    due: dt.date,
) -> list[Line]:
    lines: list[Line] = []
    for year in sorted(ratings):
        year_end = dt.date(year, 12, 31)
        if ratings[year] is not Rating.INCOMPLETE or not start <= year_end < due:
            continue
        rules = book.rules(year_end)
        if rules is None or not rules.failed_year_delay_months:
            continue
        lines.append(
            Line(
                LineKind.FAILED_YEAR,
                _said(
                    _l(
                        "+%(months)s months: %(year)s rated không hoàn thành nhiệm vụ",
                        months=rules.failed_year_delay_months,
                        year=year,
                    )
                ),
                on=year_end,
                months=rules.failed_year_delay_months,
            )
        )
    for decision in decisions:
        if decision.kind != _DISCIPLINE:
            continue
        if not start <= decision.effective_on < due:
            continue
        rules = book.rules(decision.effective_on)
        if rules is None:
            continue
        months, _rule = discipline_delay(decision.title, rules)
        lines.append(
            Line(
                LineKind.DISCIPLINE,
                _said(
                    _l(
                        "+%(months)s months: discipline “%(form)s” (decision %(number)s of "
                        "%(date)s)",
                        months=months,
                        form=decision.title or "",
                        number=decision.number,
                        date=format_date(decision.effective_on),
                    )
                ),
                on=decision.effective_on,
                months=months,
            )
        )
    return lines


def _uncounted(spans: list[tuple[dt.date, dt.date]], start: dt.date, until: dt.date) -> list[Line]:
    """Leave spans from the start on, those begun before ``until`` plus the days they add."""
    lines: list[Line] = []
    shift = 0
    for first, back in spans:
        first = max(first, start)
        if back <= first or first >= until + dt.timedelta(days=shift):
            continue
        days = (back - first).days
        shift += days
        lines.append(
            Line(
                LineKind.UNCOUNTED,
                _said(
                    _l(
                        "+%(days)s days: leave without pay from %(first)s to %(last)s",
                        days=days,
                        first=format_date(first),
                        last=format_date(back - dt.timedelta(days=1)),
                    )
                ),
                on=first,
                days=days,
            )
        )
    return lines


# Reading many people at once ---------------------------------------------------------------


def load_ledgers(session: Session, employee_ids: Select[Any]) -> dict[int, Ledger]:
    """Decisions and final annual ratings of the people ``employee_ids`` selects (a select of
    one column, the employee id): two queries whatever the number of people. Only finalised
    ratings count (what the reviews feature locks for salary raises)."""
    found: dict[int, Ledger] = {}
    for decision in session.scalars(
        select(Decision)
        .where(Decision.employee_id.in_(employee_ids))
        .order_by(Decision.employee_id, Decision.effective_on, Decision.id)
    ):
        ledger = found.setdefault(decision.employee_id, Ledger(decision.employee_id))
        ledger.decisions.append(decision)
    for rating in session.scalars(
        select(AnnualRating).where(
            AnnualRating.employee_id.in_(employee_ids), AnnualRating.finalised.is_(True)
        )
    ):
        final = rating.final_rating
        if final is not None:
            ledger = found.setdefault(rating.employee_id, Ledger(rating.employee_id))
            ledger.ratings[rating.year] = final
    return found


def raises_due(ledgers: Iterable[Ledger], book: RuleBook) -> dict[int, RaiseDue]:
    """Every person's next raise (people on no scale left out)."""
    results: dict[int, RaiseDue] = {}
    for ledger in ledgers:
        result = next_raise(ledger, book)
        if result is not None:
            results[ledger.employee_id] = result
    return results


def earliest_step_date(
    decisions: Sequence[Decision], ratings: dict[int, Rating], book: RuleBook
) -> RaiseDue | None:
    """The next raise as the ledger stands before a new decision (for the ledger's check)."""
    return next_raise(Ledger(0, list(decisions), ratings), book)


def ratings_of(session: Session, employee_id: int) -> dict[int, Rating]:
    """A person's final annual ratings by year (finalised only)."""
    found: dict[int, Rating] = {}
    for rating in session.scalars(
        select(AnnualRating).where(
            AnnualRating.employee_id == employee_id, AnnualRating.finalised.is_(True)
        )
    ):
        final = rating.final_rating
        if final is not None:
            found[rating.year] = final
    return found


def raise_date_problem(
    session: Session, employee_id: int, decisions: Sequence[Decision], data: dict[str, Any]
) -> tuple[str, str] | None:
    """The ledger's check of a new salary step decision: a step raise in the same rank earlier
    than the date the rules allow is refused unless it is an early raise, and an early raise
    may not come earlier than the months it states. ``(field, message)`` or None."""
    if data.get("kind") != DecisionKind.SALARY_STEP.value or data.get("salary_step") is None:
        return None
    on: dt.date = data["effective_on"]
    corrected = data.get("supersedes_id")
    earlier = [
        d for d in in_force(d for d in decisions if d.id != corrected) if d.effective_on <= on
    ]
    due = next_raise(
        Ledger(employee_id, earlier, ratings_of(session, employee_id)), RuleBook.load(session)
    )
    if due is None or due.kind is not DueKind.STEP or due.due is None:
        return None
    if data["salary_step"] <= due.step:
        return None
    if data.get("rank_code") and data["rank_code"] != due.rank_code:
        return None  # a new rank: placed by its own rules, not a step raise
    why = "; ".join(due.explanation)
    early = data.get("early_raise_months")
    if not early and on < due.due:
        return "effective_on", str(
            _l(
                "Step %(step)s is due on %(date)s (%(why)s). A raise before that date must be "
                "decided as an early raise, stating how many months ahead.",
                step=due.next_step,
                date=format_date(due.due),
                why=why,
            )
        )
    if early and on < add_months(due.due, -early):
        return "effective_on", str(
            _l(
                "Step %(step)s is due on %(date)s (%(why)s): an early raise of %(months)s months "
                "takes effect on %(earliest)s at the earliest.",
                step=due.next_step,
                date=format_date(due.due),
                why=why,
                months=early,
                earliest=format_date(add_months(due.due, -early)),
            )
        )
    return None
