"""Date ranges of api-notes §1.1: dates, datetimes and relative dates in the app's timezone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from footfall.query.model import Period

_LAST_DAYS = re.compile(r"last_(\d{1,3})_days")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}")
RELATIVE_DATES = ("today", "yesterday", "last_week", "last_month", "last_year", "last_X_days")


class DateError(ValueError):
    """A date parameter that cannot be read; `parameter` names it."""

    def __init__(self, parameter: str, detail: str) -> None:
        super().__init__(detail)
        self.parameter = parameter
        self.detail = detail


def _local(day: date, tz: ZoneInfo) -> datetime:
    """Local midnight of `day` as a naive UTC datetime (DST-aware)."""
    return datetime.combine(day, time(), tz).astimezone(UTC).replace(tzinfo=None)


def _to_utc(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.replace(tzinfo=tz).astimezone(UTC).replace(tzinfo=None)


def relative_days(name: str, today: date) -> tuple[date, date]:
    """First and last day (inclusive) of a relative date; last_X_days excludes today."""
    if name == "today":
        return today, today
    if name == "yesterday":
        return today - timedelta(days=1), today - timedelta(days=1)
    if name == "last_week":  # the previous full week, Monday to Sunday
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if name == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if name == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    match = _LAST_DAYS.fullmatch(name)
    if match and 1 <= int(match.group(1)) <= 365:
        days = int(match.group(1))
        return today - timedelta(days=days), today - timedelta(days=1)
    raise DateError(
        "relative_date",
        f'Relative date "{name}" is not one of today, yesterday, last_week, last_month, '
        "last_year, last_X_days (X in 1..365).",
    )


def _parse(value: object, parameter: str) -> date | datetime:
    if not isinstance(value, str):
        raise DateError(
            parameter, f"{parameter} must be a string YYYY-MM-DD or YYYY-MM-DD HH:MM:SS."
        )
    try:
        if _DATE.fullmatch(value):
            return date.fromisoformat(value)
        if _DATETIME.fullmatch(value):
            return datetime.fromisoformat(value.replace("T", " "))
    except ValueError:
        pass
    raise DateError(parameter, f'Invalid date "{value}": use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS.')


def parse_moment(value: object, parameter: str) -> date | datetime:
    """A filter value of a date column: a date, or a local datetime."""
    return _parse(value, parameter)


def absolute(date_from: object, date_to: object, timezone: str) -> Period:
    """date_from..date_to: dates inclusive, datetimes with an exclusive end (api-notes §1.1)."""
    tz = ZoneInfo(timezone)
    start = _parse(date_from, "date_from")
    end = _parse(date_to, "date_to")
    start_utc = _to_utc(start, tz) if isinstance(start, datetime) else _local(start, tz)
    end_utc = _to_utc(end, tz) if isinstance(end, datetime) else _local(end + timedelta(days=1), tz)
    if end_utc <= start_utc:
        raise DateError("date_to", "date_to must not be before date_from.")
    return Period(start_utc, end_utc, timezone)


def relative(name: object, timezone: str, now: datetime | None = None) -> Period:
    """A relative date resolved in the app's timezone at `now` (UTC, default: the clock)."""
    if not isinstance(name, str):
        raise DateError("relative_date", "relative_date must be a string.")
    tz = ZoneInfo(timezone)
    moment = (now or datetime.now(UTC)).astimezone(tz)
    first, last = relative_days(name, moment.date())
    return Period(_local(first, tz), _local(last + timedelta(days=1), tz), timezone)


def lookback(minutes: int, timezone: str, now: datetime | None = None) -> Period:
    """The last `minutes` minutes up to now (real-time queries)."""
    end = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    return Period(end - timedelta(minutes=minutes), end + timedelta(seconds=1), timezone)


def utc_offsets(timezone: str, start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """The UTC offsets (seconds) of `timezone` over [start, end) (naive UTC): the first entry
    starts at `start`, each further one at a transition (DST), found to the second."""
    tz = ZoneInfo(timezone)

    def offset(moment: datetime) -> int:
        delta = moment.replace(tzinfo=UTC).astimezone(tz).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    out = [(start, offset(start))]
    step = timedelta(hours=6)
    moment = start
    while moment < end:
        following = min(moment + step, end)
        if offset(following) != out[-1][1]:
            low, high = moment, following  # offset(low) == current, offset(high) differs
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if offset(middle) == out[-1][1]:
                    low = middle
                else:
                    high = middle
            out.append((high.replace(microsecond=0), offset(high)))
        moment = following
    return out


def local_wall(moment: datetime, timezone: str) -> datetime:
    """A naive UTC moment as the naive wall-clock time of `timezone`."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def _next_bucket(moment: datetime, unit: str) -> datetime:
    """The first start of a `unit` bucket (hour, day, week, month, quarter, year) after
    `moment` (naive wall-clock time; ISO weeks start on Monday)."""
    if unit == "hour":
        return moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    day = datetime.combine(moment.date(), time())
    if unit == "day":
        return day + timedelta(days=1)
    if unit == "week":
        return day + timedelta(days=7 - day.weekday())
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    index = day.year * 12 + day.month - 1
    index = index - index % months + months
    return datetime(index // 12, index % 12 + 1, 1)


def bucket_starts(unit: str, first: datetime, last: datetime, limit: int) -> list[datetime]:
    """Starts of `unit` buckets strictly after `first` and before `last` (wall-clock times),
    thinned evenly to at most `limit` of them (every n-th, so each is still a bucket start).

    Stops after 100,000 starts (11 years of hours): fewer starts only mean fewer, longer slices.
    """
    starts: list[datetime] = []
    moment = _next_bucket(first, unit)
    while moment < last and len(starts) < 100_000:
        starts.append(moment)
        moment = _next_bucket(moment, unit)
    step = -(-len(starts) // limit) if starts else 1
    return starts[step - 1 :: step]
