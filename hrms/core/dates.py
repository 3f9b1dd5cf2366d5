"""Calendar dates as the agency sees them (Vietnam time), and their display format."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from zoneinfo import ZoneInfo

AGENCY_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%d/%m/%Y"


#: set by ``as_of`` while a job replays the past
_REPLAYED_DAY: ContextVar[dt.date | None] = ContextVar("replayed_day", default=None)


def today() -> dt.date:
    """Today's date in Vietnam, whatever the server's clock zone (or the day being replayed)."""
    replayed = _REPLAYED_DAY.get()
    return replayed if replayed is not None else dt.datetime.now(AGENCY_TIMEZONE).date()


@contextmanager
def as_of(day: dt.date) -> Iterator[None]:
    """Stand on a past ``day``: for jobs that replay history through the services (the demo's
    past review months), so every rule that reads today's date sees the day it happened."""
    token = _REPLAYED_DAY.set(day)
    try:
        yield
    finally:
        _REPLAYED_DAY.reset(token)


def format_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(AGENCY_TIMEZONE).strftime(f"{DATE_FORMAT} %H:%M")
    return value.strftime(DATE_FORMAT)
