"""Calendar dates as the agency sees them (Vietnam time), and their display format."""

import datetime as dt
from zoneinfo import ZoneInfo

AGENCY_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%d/%m/%Y"


def today() -> dt.date:
    """Today's date in Vietnam, whatever the server's clock zone."""
    return dt.datetime.now(AGENCY_TIMEZONE).date()


def format_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(AGENCY_TIMEZONE).strftime(f"{DATE_FORMAT} %H:%M")
    return value.strftime(DATE_FORMAT)
