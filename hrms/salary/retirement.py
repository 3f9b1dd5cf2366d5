"""Retirement dates, retirement notices and the early raise on retirement notice: pure
computation over the rule data (a ``RuleBook`` loaded once), no database access.

The rules (numbers from the rule data, never from here):

- **Retirement age** (Nghị định 135/2020, Appendix I/II): the roadmap age of a year applies to
  the people who *reach it in that year*. A man born 10/1961 reaches 60y3m (the 2021 age) in
  01/2022, too late for 2021; the 2022 age, 60y6m, is reached in 04/2022, within 2022, so he
  retires in 04/2022. The age applied is therefore the one of the first roadmap year ``Y`` such
  that birth + age(Y) falls in a year ≤ Y. Before the roadmap (rows from 1900) the old ages
  apply; after its last step, its last age.
- **Retirement date**: the last day of the month in which that age is reached (the retirement
  takes effect at the end of that day). Someone born on the 31st reaches an age on the last day
  of a shorter month (Bộ luật Dân sự, art. 147): the month is what counts. When only the year of
  birth is known, the count starts on 1 January of that year (the dossier stores that date).
- **Notice date** (``retirement_notice_months`` of the pay rules in force on the retirement
  date): the notice is due at the latest that many months before the moment of retirement, which
  is the end of the retirement date, i.e. the start of the next day (the 1st of the following
  month). So the notice date is always the **first day of a month**: retirement on 30/04/2022,
  notice months 6 → notice on 01/11/2021 (six calendar months before 01/05/2022). A notice date
  already past on the "as of" day is overdue unless a retirement decision is recorded.
- **Early raise on retirement notice** (Thông tư 08/2013/TT-BNV art. 3, amended by Thông tư
  03/2021/TT-BNV): a person not yet at the last step of their scale whose next regular raise
  falls after the notice date and within ``retirement_early_raise_months`` of it is raised one
  step at the notice date, that many months early (rounded up to whole months).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass

from hrms.salary.rules import RuleBook


def end_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@functools.lru_cache(maxsize=8192)
def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), on the month's last day when it has none
    (31/01 + 1 month = 28 or 29/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end``, a started month counting as one."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) < end:
        months += 1
    return months


@dataclass(frozen=True)
class Retirement:
    """A person's retirement date and how it was found."""

    sex: str
    #: the date the age is counted from (1 January when only the year is known)
    born: dt.date
    birth_year_only: bool
    #: the roadmap year whose age applies (the year the person reaches it)
    roadmap_year: int
    age_years: int
    age_months: int
    #: the day the age is reached
    reached_on: dt.date
    #: the last day of that month
    retires_on: dt.date
    #: the day the retirement notice is due at the latest (empty without pay rules)
    notice_on: dt.date | None
    #: the legal source of the age applied
    source: str

    @property
    def age_label(self) -> str:
        """ "60y6m"-like, language-neutral; templates word it themselves."""
        return f"{self.age_years}y{self.age_months}m" if self.age_months else f"{self.age_years}y"

    def notice_overdue(self, as_of: dt.date) -> bool:
        """The notice should have been given by now (the retirement is still ahead)."""
        return overdue(self.notice_on, self.retires_on, as_of)


def retirement_of(
    book: RuleBook, sex: str, born: dt.date, *, birth_year_only: bool = False
) -> Retirement | None:
    """The retirement date of a person of ``sex`` born on ``born`` (None without a roadmap for
    that sex)."""
    if birth_year_only:
        born = dt.date(born.year, 1, 1)
    roadmap = book.retirement_ages.get(sex, [])
    if not roadmap:
        return None
    shortest = min(age.total_months for age in roadmap)
    longest = max(age.total_months for age in roadmap)
    # the year anyone reaches an age of the roadmap lies between these two
    for year in range(born.year + shortest // 12, born.year + longest // 12 + 2):
        age = book.retirement_age(sex, year)
        if age is None:
            continue
        reached = add_months(born, age.total_months)
        if reached.year <= year:
            retires_on = end_of_month(reached.year, reached.month)
            notice_on = notice_of(book, retires_on)
            return Retirement(
                sex=sex,
                born=born,
                birth_year_only=birth_year_only,
                roadmap_year=year,
                age_years=age.age_years,
                age_months=age.age_months,
                reached_on=reached,
                retires_on=retires_on,
                notice_on=notice_on,
                source=age.source,
            )
    return None


def notice_of(book: RuleBook, retires_on: dt.date) -> dt.date | None:
    """The day the retirement notice is due at the latest (empty without pay rules)."""
    rules = book.rules(retires_on)
    if rules is None:
        return None
    return add_months(retires_on + dt.timedelta(days=1), -rules.retirement_notice_months)


def overdue(notice_on: dt.date | None, retires_on: dt.date, as_of: dt.date) -> bool:
    """The notice should have been given by now (the retirement is still ahead)."""
    return notice_on is not None and notice_on < as_of <= retires_on


@dataclass(frozen=True)
class EarlyRaise:
    """The step raise a person is entitled to at their retirement notice."""

    #: the day of the raise: the notice date
    on: dt.date
    step_from: int
    step_to: int
    #: the date the regular raise would have been due
    regular_on: dt.date
    #: how many months early (whole months, a started month counting as one)
    months_early: int


@dataclass(frozen=True)
class Pay:
    """What the early-raise rule reads of a person's pay (the cached ledger columns)."""

    rank_code: str | None
    salary_step: int | None
    #: the date the next regular raise is due, as the raise schedule computes it
    next_raise_on: dt.date | None


def early_raise_on_notice(book: RuleBook, retirement: Retirement, pay: Pay) -> EarlyRaise | None:
    """The early raise at the notice, if the person is entitled to one (Thông tư 08/2013 art. 3):
    not at the last step, next regular raise after the notice and within the pay rules' months
    of it."""
    return early_raise_at(book, retirement.notice_on, pay)


def early_raise_at(book: RuleBook, notice_on: dt.date | None, pay: Pay) -> EarlyRaise | None:
    """``early_raise_on_notice`` from the notice date alone (counts over many people)."""
    if notice_on is None or pay.rank_code is None or pay.salary_step is None:
        return None
    if pay.next_raise_on is None:
        return None
    rules = book.rules(notice_on)
    last = book.last_step_of_rank(pay.rank_code, notice_on)
    if rules is None or last is None or pay.salary_step >= last:
        return None
    window_end = add_months(notice_on, rules.retirement_early_raise_months)
    if not notice_on < pay.next_raise_on <= window_end:
        return None
    return EarlyRaise(
        on=notice_on,
        step_from=pay.salary_step,
        step_to=pay.salary_step + 1,
        regular_on=pay.next_raise_on,
        months_early=max(1, months_between(notice_on, pay.next_raise_on)),
    )


#: computes the next regular raise of the people of a list at once (the raise schedule's)
NextRaises = Callable[[list[int]], dict[int, dt.date | None]]
