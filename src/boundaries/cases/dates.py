"""Dates and times as people at a school type them (UK local time), stored in UTC."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from boundaries.registers.training import InvalidDate, parse_date

LONDON = ZoneInfo("Europe/London")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")
TIME_HINT = "Enter the time on the 24-hour clock, for example 14:05."

__all__ = [
    "LONDON",
    "InvalidDate",
    "end_of_day",
    "local_moment",
    "parse_date",
    "uk_day",
    "uk_today",
]


def uk_today(now: datetime | None = None) -> date:
    """Today's date in the UK. Not ``date.today()``: the server's clock may be on UTC, and
    between midnight and 01:00 in summer the UK is already on the next day."""
    return (now or datetime.now(UTC)).astimezone(LONDON).date()


def uk_day(value: datetime | date | None) -> str:
    """25/11/2026: the UK date of a stored (UTC) moment, or of a plain date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON) if value.tzinfo else value
    return value.strftime("%d/%m/%Y")


def parse_time(text: str) -> time:
    """A time typed as ``14:05`` or ``9.30``."""
    value = text.strip()
    match = _TIME.fullmatch(value)
    if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        return time(int(match.group(1)), int(match.group(2)))
    raise InvalidDate(f"“{value}” is not a time. {TIME_HINT}")


def local_moment(day: date, at: time | None) -> datetime:
    """The UTC instant of a UK wall-clock date and time (midday when no time is given, so that
    the date survives the change to and from summer time)."""
    wall = datetime.combine(day, at or time(12, 0), tzinfo=LONDON)
    return wall.astimezone(UTC)


def end_of_day(day: date) -> datetime:
    """The last moment of a UK date, in UTC: a deadline "by 25/11/2026" means until midnight."""
    midnight = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=LONDON)
    return (midnight - timedelta(microseconds=1)).astimezone(UTC)
