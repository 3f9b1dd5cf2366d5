"""Retirement dates for every year of the roadmap of Nghị định 135/2020 (Appendix I for men,
Appendix II for women), before it and after its end, people born on the last day of a month,
on 29 February, with a birth year only; notice dates and the early raise on notice.

The expected dates are written out by hand from the appendices (month of birth → month of
retirement: the age of a year applies to those who reach it in that year), not computed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from hrms.extensions import db
from hrms.salary.retirement import Pay, early_raise_on_notice, retirement_of
from hrms.salary.rules import RuleBook


@pytest.fixture
def book(service_context: None) -> Iterator[RuleBook]:
    """The seeded rule data (migration 0012)."""
    yield RuleBook.load(db.session)


def d(text: str) -> dt.date:
    day, month, year = (int(part) for part in text.split("/"))
    return dt.date(year, month, day)


# (born, age years, age months, retires on): first and last birth month of each roadmap year
MEN = [
    # before the roadmap: 60
    ("15/03/1959", 60, 0, "31/03/2019"),
    ("30/11/1960", 60, 0, "30/11/2020"),
    ("31/12/1960", 60, 0, "31/12/2020"),
    # 2021: 60y3m
    ("01/01/1961", 60, 3, "30/04/2021"),
    ("30/09/1961", 60, 3, "31/12/2021"),
    # 2022: 60y6m — born 10/1961 reaches 60y3m only in 01/2022
    ("10/10/1961", 60, 6, "30/04/2022"),
    ("20/06/1962", 60, 6, "31/12/2022"),
    # 2023: 60y9m
    ("01/07/1962", 60, 9, "30/04/2023"),
    ("31/03/1963", 60, 9, "31/12/2023"),
    # 2024: 61y
    ("01/04/1963", 61, 0, "30/04/2024"),
    ("31/12/1963", 61, 0, "31/12/2024"),
    # 2025: 61y3m
    ("01/01/1964", 61, 3, "30/04/2025"),
    ("30/09/1964", 61, 3, "31/12/2025"),
    # 2026: 61y6m
    ("01/10/1964", 61, 6, "30/04/2026"),
    ("30/06/1965", 61, 6, "31/12/2026"),
    # 2027: 61y9m
    ("01/07/1965", 61, 9, "30/04/2027"),
    ("31/03/1966", 61, 9, "31/12/2027"),
    # 2028: 62y, and after the end of the roadmap
    ("01/04/1966", 62, 0, "30/04/2028"),
    ("31/12/1966", 62, 0, "31/12/2028"),
    ("17/05/1970", 62, 0, "31/05/2032"),
    ("31/01/1975", 62, 0, "31/01/2037"),
]

WOMEN = [
    # before the roadmap: 55
    ("31/12/1965", 55, 0, "31/12/2020"),
    ("10/06/1962", 55, 0, "30/06/2017"),
    # 2021: 55y4m
    ("01/01/1966", 55, 4, "31/05/2021"),
    ("31/08/1966", 55, 4, "31/12/2021"),
    # 2022: 55y8m
    ("01/09/1966", 55, 8, "31/05/2022"),
    ("30/04/1967", 55, 8, "31/12/2022"),
    # 2023: 56y
    ("01/05/1967", 56, 0, "31/05/2023"),
    ("31/12/1967", 56, 0, "31/12/2023"),
    # 2024: 56y4m
    ("01/01/1968", 56, 4, "31/05/2024"),
    ("31/08/1968", 56, 4, "31/12/2024"),
    # 2025: 56y8m
    ("01/09/1968", 56, 8, "31/05/2025"),
    ("30/04/1969", 56, 8, "31/12/2025"),
    # 2026: 57y
    ("01/05/1969", 57, 0, "31/05/2026"),
    ("31/12/1969", 57, 0, "31/12/2026"),
    # 2027: 57y4m
    ("01/01/1970", 57, 4, "31/05/2027"),
    ("31/08/1970", 57, 4, "31/12/2027"),
    # 2028: 57y8m
    ("01/09/1970", 57, 8, "31/05/2028"),
    ("30/04/1971", 57, 8, "31/12/2028"),
    # 2029: 58y
    ("01/05/1971", 58, 0, "31/05/2029"),
    ("31/12/1971", 58, 0, "31/12/2029"),
    # 2030: 58y4m
    ("01/01/1972", 58, 4, "31/05/2030"),
    ("31/08/1972", 58, 4, "31/12/2030"),
    # 2031: 58y8m
    ("01/09/1972", 58, 8, "31/05/2031"),
    ("30/04/1973", 58, 8, "31/12/2031"),
    # 2032: 59y
    ("01/05/1973", 59, 0, "31/05/2032"),
    ("31/12/1973", 59, 0, "31/12/2032"),
    # 2033: 59y4m
    ("01/01/1974", 59, 4, "31/05/2033"),
    ("31/08/1974", 59, 4, "31/12/2033"),
    # 2034: 59y8m
    ("01/09/1974", 59, 8, "31/05/2034"),
    ("30/04/1975", 59, 8, "31/12/2034"),
    # 2035: 60y, and after the end of the roadmap
    ("01/05/1975", 60, 0, "31/05/2035"),
    ("31/12/1975", 60, 0, "31/12/2035"),
    ("12/12/1980", 60, 0, "31/12/2040"),
]


@pytest.mark.parametrize(("born", "years", "months", "retires"), MEN)
def test_men_every_roadmap_year(
    book: RuleBook, born: str, years: int, months: int, retires: str
) -> None:
    found = retirement_of(book, "male", d(born))
    assert found is not None
    assert (found.age_years, found.age_months) == (years, months)
    assert found.retires_on == d(retires)


@pytest.mark.parametrize(("born", "years", "months", "retires"), WOMEN)
def test_women_every_roadmap_year(
    book: RuleBook, born: str, years: int, months: int, retires: str
) -> None:
    found = retirement_of(book, "female", d(born))
    assert found is not None
    assert (found.age_years, found.age_months) == (years, months)
    assert found.retires_on == d(retires)


def test_every_roadmap_year_is_covered() -> None:
    men = {int(retires[-4:]) for *_, retires in MEN}
    women = {int(retires[-4:]) for *_, retires in WOMEN}
    assert set(range(2021, 2029)) <= men and min(men) < 2021 and max(men) > 2028
    assert set(range(2021, 2036)) <= women and min(women) < 2021 and max(women) > 2035


@pytest.mark.parametrize(
    ("sex", "born", "reached", "retires"),
    [
        # born on the 31st, the age reached in a 30-day month: its last day, same month
        ("male", "31/08/1964", "30/11/2025", "30/11/2025"),
        ("female", "31/10/1971", "31/10/2029", "31/10/2029"),
        ("female", "31/05/1969", "31/05/2026", "31/05/2026"),
        # born on 29 February: in a month without a 29th the month still counts
        ("male", "29/02/1964", "29/05/2025", "31/05/2025"),
        ("female", "29/02/1968", "29/06/2024", "30/06/2024"),
        ("male", "29/02/1968", "28/02/2030", "28/02/2030"),
        # retiring in February of a leap year: 29 February
        ("male", "15/02/1970", "15/02/2032", "29/02/2032"),
        ("male", "12/02/1956", "12/02/2016", "29/02/2016"),
        ("female", "10/02/1977", "10/02/2037", "28/02/2037"),
        ("female", "28/02/1980", "28/02/2040", "29/02/2040"),
    ],
)
def test_last_day_of_month_births(
    book: RuleBook, sex: str, born: str, reached: str, retires: str
) -> None:
    found = retirement_of(book, sex, d(born))
    assert found is not None
    assert found.reached_on == d(reached)
    assert found.retires_on == d(retires)


def test_birth_year_only_counts_from_first_january(book: RuleBook) -> None:
    # 1969 only: 01/01/1969 + 56y8m (2025) = 09/2025
    woman = retirement_of(book, "female", d("01/01/1969"), birth_year_only=True)
    assert woman is not None and woman.retires_on == d("30/09/2025")
    # whatever day was stored, a year alone counts from 1 January: 01/01/1965 + 61y6m = 07/2026
    man = retirement_of(book, "male", d("20/11/1965"), birth_year_only=True)
    assert man is not None
    assert man.born == d("01/01/1965")
    assert man.retires_on == d("31/07/2026")
    assert retirement_of(book, "male", d("20/11/1965")).retires_on == d("31/08/2027")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("sex", "born", "retires", "notice"),
    [
        # the notice is due six months before the moment of retirement (the end of the
        # retirement date): always the first day of a month
        ("male", "10/10/1961", "30/04/2022", "01/11/2021"),
        ("female", "31/12/1969", "31/12/2026", "01/07/2026"),
        ("male", "15/02/1970", "29/02/2032", "01/09/2031"),
        ("female", "31/08/1970", "31/12/2027", "01/07/2027"),
        ("male", "01/04/1966", "30/04/2028", "01/11/2027"),
    ],
)
def test_notice_dates(book: RuleBook, sex: str, born: str, retires: str, notice: str) -> None:
    found = retirement_of(book, sex, d(born))
    assert found is not None
    assert found.retires_on == d(retires)
    assert found.notice_on == d(notice)


def test_notice_overdue_between_notice_and_retirement(book: RuleBook) -> None:
    found = retirement_of(book, "male", d("10/10/1961"))
    assert found is not None
    assert not found.notice_overdue(d("01/11/2021"))
    assert found.notice_overdue(d("02/11/2021"))
    assert found.notice_overdue(d("30/04/2022"))
    assert not found.notice_overdue(d("01/05/2022"))


class TestEarlyRaiseOnNotice:
    """Notice 01/07/2026 (retirement 31/12/2026); rank 01.003 is scale A1, 9 steps."""

    @pytest.fixture
    def retirement(self, book: RuleBook) -> object:
        found = retirement_of(book, "female", d("31/12/1969"))
        assert found is not None and found.notice_on == d("01/07/2026")
        return found

    def test_raise_due_within_twelve_months_after_notice(
        self, book: RuleBook, retirement: object
    ) -> None:
        early = early_raise_on_notice(book, retirement, Pay("01.003", 5, d("15/03/2027")))  # type: ignore[arg-type]
        assert early is not None
        assert (early.on, early.step_from, early.step_to) == (d("01/07/2026"), 5, 6)
        assert early.regular_on == d("15/03/2027")
        assert early.months_early == 9  # 8 months and 14 days: a started month counts

    def test_exactly_twelve_months_after_notice(self, book: RuleBook, retirement: object) -> None:
        early = early_raise_on_notice(book, retirement, Pay("01.003", 5, d("01/07/2027")))  # type: ignore[arg-type]
        assert early is not None and early.months_early == 12

    @pytest.mark.parametrize(
        "due",
        [
            "02/07/2027",  # more than twelve months after the notice
            "01/07/2026",  # on the notice date: the regular raise, not an early one
            "10/01/2026",  # before the notice
        ],
    )
    def test_outside_the_window(self, book: RuleBook, retirement: object, due: str) -> None:
        assert early_raise_on_notice(book, retirement, Pay("01.003", 5, d(due))) is None  # type: ignore[arg-type]

    def test_not_at_the_last_step(self, book: RuleBook, retirement: object) -> None:
        assert early_raise_on_notice(book, retirement, Pay("01.003", 9, d("15/03/2027"))) is None  # type: ignore[arg-type]
        assert early_raise_on_notice(book, retirement, Pay("01.003", 8, d("15/03/2027")))  # type: ignore[arg-type]
        # scale B (rank 01.004) has 12 steps
        assert early_raise_on_notice(book, retirement, Pay("01.004", 9, d("15/03/2027")))  # type: ignore[arg-type]

    def test_no_rank_or_no_raise_date(self, book: RuleBook, retirement: object) -> None:
        assert early_raise_on_notice(book, retirement, Pay(None, 5, d("15/03/2027"))) is None  # type: ignore[arg-type]
        assert early_raise_on_notice(book, retirement, Pay("01.003", 5, None)) is None  # type: ignore[arg-type]
