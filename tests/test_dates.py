"""The agency's calendar: today in Vietnam, and standing on a past day while replaying it."""

from __future__ import annotations

import datetime as dt

from hrms.core.dates import AGENCY_TIMEZONE, as_of, format_date, today


def test_today_is_vietnam_time() -> None:
    assert today() == dt.datetime.now(AGENCY_TIMEZONE).date()


def test_as_of_stands_on_the_day_and_restores_the_clock() -> None:
    real = today()
    with as_of(dt.date(2026, 8, 31)):
        assert today() == dt.date(2026, 8, 31)
        with as_of(dt.date(2026, 9, 6)):
            assert today() == dt.date(2026, 9, 6)
        assert today() == dt.date(2026, 8, 31)
    assert today() == real


def test_dates_print_the_vietnamese_way() -> None:
    assert format_date(dt.date(2026, 7, 1)) == "01/07/2026"
    assert format_date(None) == ""
