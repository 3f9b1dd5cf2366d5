"""Next raise dates (hrms.salary.raises): intervals, month ends and leap years, delays alone and
combined, uncounted leave, early raises and the seniority allowance beyond the frame, each
date with the lines that add up to it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from hrms.extensions import db
from hrms.reviews.scheme import Rating
from hrms.salary.raises import DueKind, LineKind, RaiseDue, add_months, next_raise
from hrms.salary.rules import RuleBook
from tests.salary.factories_raises import decision, ledger, step

D = dt.date


@pytest.fixture
def book(app) -> RuleBook:  # type: ignore[no-untyped-def]
    return RuleBook.load(db.session)


def _sum(due: RaiseDue) -> dt.date:
    """What the explanation adds up to: the start plus the months, then the days."""
    months = sum(line.months for line in due.lines)
    days = sum(line.days for line in due.lines)
    return add_months(due.start, months) + dt.timedelta(days=days)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2023, 11, 30), 3, D(2024, 2, 29)),
        (D(2024, 8, 31), -6, D(2024, 2, 29)),
        (D(2021, 3, 31), 36, D(2024, 3, 31)),
        (D(2021, 12, 31), 1, D(2022, 1, 31)),
        (D(2021, 12, 15), -12, D(2020, 12, 15)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_of_a_shorter_month(
    day: dt.date, months: int, expected: dt.date
) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("since", "due"),
    [
        (D(2021, 1, 31), D(2024, 1, 31)),
        (D(2020, 2, 29), D(2023, 2, 28)),  # leap day, three years on: 28 February
        (D(2021, 2, 28), D(2024, 2, 28)),  # not moved to the 29th
        (D(2021, 5, 31), D(2024, 5, 31)),
    ],
)
def test_a_regular_step_raise_is_due_after_the_interval_of_the_scale(
    book: RuleBook, since: dt.date, due: dt.date
) -> None:
    result = next_raise(ledger(step(since, 3)), book)
    assert result is not None
    assert (result.kind, result.step, result.next_step) == (DueKind.STEP, 3, 4)
    assert result.next_coefficient == Decimal("3.33")
    assert result.due == due == _sum(result)
    assert [line.kind for line in result.lines] == [LineKind.START, LineKind.INTERVAL]
    assert "36" in result.lines[1].text and "A1" in result.lines[1].text


def test_lower_ranks_wait_24_months(book: RuleBook) -> None:
    """Rank 01.004 (cán sự) is paid on scale B: 24 months, across a leap day."""
    result = next_raise(
        ledger(step(D(2022, 2, 28), 2, "01.004", coefficient=Decimal("2.06"))), book
    )
    assert result is not None and result.due == D(2024, 2, 28)
    assert result.next_coefficient == Decimal("2.26")


def test_recruitment_sets_the_first_step(book: RuleBook) -> None:
    first = decision(
        "recruitment",
        D(2022, 8, 31),
        rank_code="01.003",
        salary_step=1,
        salary_coefficient=Decimal("2.34"),
    )
    result = next_raise(ledger(first), book)
    assert result is not None and result.due == D(2025, 8, 31) and result.next_step == 2


def test_a_failed_year_delays_six_months_across_a_month_end(book: RuleBook) -> None:
    result = next_raise(
        ledger(
            step(D(2021, 8, 31), 3),
            ratings={2020: Rating.INCOMPLETE, 2022: Rating.INCOMPLETE, 2023: Rating.GOOD},
        ),
        book,
    )
    assert result is not None
    # 2020 was rated before the step started: only 2022 counts
    assert result.due == D(2025, 2, 28) == _sum(result)
    failed = [line for line in result.lines if line.kind is LineKind.FAILED_YEAR]
    assert [(line.months, line.on) for line in failed] == [(6, D(2022, 12, 31))]
    assert "2022" in failed[0].text


def test_discipline_forms_are_matched_without_case_or_diacritics(book: RuleBook) -> None:
    since = D(2021, 8, 31)
    forms = {
        "Khiển trách": 6,
        "CẢNH CÁO": 6,
        "giang chuc": 12,
        "Cách chức": 12,
        "Hạ bậc lương": 0,
    }
    for form, months in forms.items():
        punished = decision("discipline", D(2022, 3, 1), title=form)
        result = next_raise(ledger(step(since, 3), punished), book)
        assert result is not None
        assert result.delay_months == months, form
        assert result.due == add_months(D(2024, 8, 31), months)
        assert form in result.lines[-1].text


def test_several_delays_add_up_and_a_delay_can_bring_in_another(book: RuleBook) -> None:
    """Step 4 since 01/03/2021: due 01/03/2024. 2023 failed (+6: 01/09/2024); a warning on
    01/06/2024, before that date (+6: 01/03/2025); 2024 failed, whose end now falls before the
    date (+6: 01/09/2025); a dismissal from post on 01/10/2025 comes after it and does not
    count."""
    result = next_raise(
        ledger(
            step(D(2021, 3, 1), 4),
            decision("discipline", D(2024, 6, 1), title="Cảnh cáo"),
            decision("discipline", D(2025, 10, 1), title="Cách chức"),
            ratings={2021: Rating.GOOD, 2023: Rating.INCOMPLETE, 2024: Rating.INCOMPLETE},
        ),
        book,
    )
    assert result is not None
    assert result.due == D(2025, 9, 1) == _sum(result)
    assert result.delay_months == 18
    kinds = [line.kind for line in result.lines]
    assert kinds.count(LineKind.FAILED_YEAR) == 2 and kinds.count(LineKind.DISCIPLINE) == 1


def test_discipline_before_the_step_does_not_count(book: RuleBook) -> None:
    result = next_raise(
        ledger(
            decision("discipline", D(2020, 6, 1), title="Khiển trách"),
            step(D(2021, 3, 1), 4),
        ),
        book,
    )
    assert result is not None and result.due == D(2024, 3, 1)


def test_unpaid_leave_does_not_count(book: RuleBook) -> None:
    result = next_raise(
        ledger(
            step(D(2021, 1, 10), 3),
            decision("leave", D(2022, 3, 1)),
            decision("return_from_leave", D(2022, 6, 1)),
        ),
        book,
    )
    assert result is not None
    assert result.uncounted_days == 92
    assert result.due == D(2024, 1, 10) + dt.timedelta(days=92) == D(2024, 4, 11)
    assert result.due == _sum(result)
    line = result.lines[-1]
    assert line.kind is LineKind.UNCOUNTED and "01/03/2022" in line.text
    assert "31/05/2022" in line.text


def test_leave_begun_before_the_step_counts_from_the_step(book: RuleBook) -> None:
    result = next_raise(
        ledger(
            decision("leave", D(2020, 12, 1)),
            step(D(2021, 1, 10), 3),
            decision("return_from_leave", D(2021, 2, 1)),
        ),
        book,
    )
    assert result is not None and result.uncounted_days == 22
    assert result.due == D(2024, 2, 1)


def test_an_open_leave_gives_no_date(book: RuleBook) -> None:
    result = next_raise(ledger(step(D(2021, 1, 10), 3), decision("leave", D(2023, 5, 1))), book)
    assert result is not None and result.due is None
    assert result.pending is not None and "01/05/2023" in result.pending


def test_an_early_raise_moves_the_step_start_and_the_next_interval_counts_from_it(
    book: RuleBook,
) -> None:
    """Step 4 was regularly due on 01/01/2024; granted 9 months early, from 01/04/2023. The
    next interval runs from 01/04/2023: step 5 on 01/04/2026."""
    result = next_raise(
        ledger(step(D(2020, 1, 1), 3), step(D(2023, 4, 1), 4, early_raise_months=9)), book
    )
    assert result is not None
    assert result.due == D(2026, 4, 1) and result.early_raised
    start, early, interval = result.lines
    assert (start.kind, start.on) == (LineKind.START, D(2024, 1, 1))
    assert (early.kind, early.months) == (LineKind.EARLY_RAISE, -9)
    assert interval.months == 36
    assert add_months(start.on, early.months + interval.months) == result.due


def test_a_corrected_decision_is_ignored(book: RuleBook) -> None:
    wrong = step(D(2021, 1, 1), 3)
    right = step(D(2021, 7, 1), 3, supersedes_id=wrong.id)
    result = next_raise(ledger(wrong, right), book)
    assert result is not None and result.due == D(2024, 7, 1)


def test_no_rank_no_date(book: RuleBook) -> None:
    assert next_raise(ledger(decision("recruitment", D(2020, 1, 1))), book) is None
    assert next_raise(ledger(step(D(2020, 1, 1), 3, "99.999", coefficient=1)), book) is None


def test_seniority_percentages_over_the_years(book: RuleBook) -> None:
    """Last step of A1 (9) from 15/05/2020: 5% after 36 months, then 6%, 7%... a year apart,
    a failed year delaying one of them."""
    last = step(D(2020, 5, 15), 9)
    first = next_raise(ledger(last), book)
    assert first is not None
    assert (first.kind, first.due, first.next_seniority_percent) == (
        DueKind.SENIORITY,
        D(2023, 5, 15),
        5,
    )
    assert first.next_step == 9 and first.lines[1].kind is LineKind.SENIORITY_WAIT
    five = step(D(2023, 5, 15), 9, seniority_percent=5)
    second = next_raise(ledger(last, five), book)
    assert second is not None
    assert (second.due, second.seniority_percent, second.next_seniority_percent) == (
        D(2024, 5, 15),
        5,
        6,
    )
    six = step(D(2024, 5, 15), 9, seniority_percent=6)
    third = next_raise(ledger(last, five, six, ratings={2024: Rating.INCOMPLETE}), book)
    assert third is not None
    assert (third.due, third.next_seniority_percent) == (D(2025, 11, 15), 7)
    assert third.start == D(2024, 5, 15) and third.due == _sum(third)
    percents = []
    held = [last]
    for year in range(2023, 2031):
        held.append(step(D(year, 5, 15), 9, seniority_percent=5 + year - 2023))
        result = next_raise(ledger(*held), book)
        assert result is not None and result.due == D(year + 1, 5, 15)
        percents.append(result.next_seniority_percent)
    assert percents == [6, 7, 8, 9, 10, 11, 12, 13]


def test_seniority_on_a_leap_day(book: RuleBook) -> None:
    result = next_raise(ledger(step(D(2020, 2, 29), 9)), book)
    assert result is not None and result.due == D(2023, 2, 28)
    five = step(D(2024, 2, 29), 9, seniority_percent=5)
    after = next_raise(ledger(step(D(2020, 2, 29), 9), five), book)
    assert after is not None and after.due == D(2025, 2, 28)
