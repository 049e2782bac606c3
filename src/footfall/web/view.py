"""What a dashboard URL asks for: a date range, a comparison, an interval and filter chips.

Everything lives in the query string so that a view can be bookmarked and shared:
`?range=last_7_days&compare=previous&interval=day&f=browser_name:CH&f=event_url:https://…`.
`range` is one of the relative dates of the analytics API (api-notes §1.1) or `custom` with
`from`/`to` (YYYY-MM-DD, inclusive, in the app's timezone). Bad input is a `ViewError` naming the
parameter; the page answers 400 with it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from footfall.query import catalog
from footfall.query.dates import DateError, relative_days

#: the choices of the range picker, in its order
RANGES = (
    ("today", "Today"),
    ("yesterday", "Yesterday"),
    ("last_7_days", "Last 7 days"),
    ("last_30_days", "Last 30 days"),
    ("last_week", "Last week"),
    ("last_month", "Last month"),
    ("last_year", "Last year"),
    ("custom", "Custom range"),
)
COMPARES = ("previous", "year", "none")
#: how the picker and the chart's legend name each comparison
COMPARE_LABELS = {
    "previous": "Previous period",
    "year": "Previous year",
    "none": "No comparison",
}
INTERVALS = {
    "hour": "to_start_of_hour",
    "day": "to_date",
    "week": "to_start_of_week",
    "month": "to_start_of_month",
}
MAX_FILTERS = 10
_LAST_DAYS = re.compile(r"last_(\d{1,3})_days")


class ViewError(ValueError):
    """A query-string parameter the dashboard cannot use."""

    def __init__(self, parameter: str, detail: str) -> None:
        super().__init__(detail)
        self.parameter = parameter
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Chip:
    """One filter: a dimension equal to a value (the value as it appears in the URL)."""

    column_id: str
    value: str

    @property
    def param(self) -> str:
        """The `f=` value of this chip."""
        return f"{self.column_id}:{self.value}"

    @property
    def typed(self) -> object:
        """The value as the query model compares it: a number for integer-id columns."""
        if catalog.columns()[self.column_id].type in ("[int, str]", "int"):
            return int(self.value)
        return self.value

    def condition(self) -> dict[str, object]:
        """The analytics API filter condition of this chip."""
        return {
            "column_id": self.column_id,
            "condition": {"operator": "eq", "value": self.typed},
        }


@dataclass(frozen=True, slots=True)
class View:
    """A parsed dashboard query string."""

    range: str
    first: date  #: first day of the range (inclusive, app timezone)
    last: date  #: last day of the range (inclusive)
    compare: str
    interval: str
    chips: tuple[Chip, ...]

    @property
    def days(self) -> int:
        """Length of the range in days."""
        return (self.last - self.first).days + 1

    def previous(self) -> tuple[date, date] | None:
        """The comparison range: the same number of days before, or the same dates a year ago."""
        if self.compare == "none":
            return None
        if self.compare == "year":
            return _year_before(self.first), _year_before(self.last)
        return self.first - timedelta(days=self.days), self.first - timedelta(days=1)

    def params(self, **changes: object) -> list[tuple[str, str]]:
        """The query string of this view as pairs, with some parameters changed."""
        values: dict[str, object] = {
            "range": self.range,
            "compare": self.compare,
            "interval": self.interval,
            "chips": self.chips,
        }
        values.update(changes)
        pairs: list[tuple[str, str]] = [("range", str(values["range"]))]
        if values["range"] == "custom":
            pairs += [("from", self.first.isoformat()), ("to", self.last.isoformat())]
        pairs += [("compare", str(values["compare"])), ("interval", str(values["interval"]))]
        chips = values["chips"]
        assert isinstance(chips, tuple)
        pairs += [("f", chip.param) for chip in chips]
        return pairs

    def url(self, **changes: object) -> str:
        """`?…` of this view with some parameters changed."""
        return "?" + urlencode(self.params(**changes))

    def with_chip(self, column_id: str, value: str) -> str:
        """The URL that adds a filter (replacing one on the same column)."""
        kept = tuple(c for c in self.chips if c.column_id != column_id)
        return self.url(chips=(*kept, Chip(column_id, value)))

    def without_chip(self, chip: Chip) -> str:
        """The URL that removes one filter."""
        return self.url(chips=tuple(c for c in self.chips if c != chip))

    def filters(self) -> dict[str, object] | None:
        """The analytics API `filters` of the chips."""
        if not self.chips:
            return None
        return {"operator": "and", "conditions": [c.condition() for c in self.chips]}


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _day(value: str | None, parameter: str) -> date:
    if value is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ViewError(parameter, f"{parameter} must be a date YYYY-MM-DD.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ViewError(parameter, f"{parameter} is not a valid date.") from None


def default_interval(days: int) -> str:
    """The finest interval that keeps the chart readable."""
    if days <= 2:
        return "hour"
    if days <= 92:
        return "day"
    if days <= 731:
        return "week"
    return "month"


def parse_view(
    query: Mapping[str, str],
    chips: Sequence[str],
    timezone: str,
    dimensions: frozenset[str],
    now: datetime | None = None,
) -> View:
    """Read a dashboard query string; `chips` are the `f` values, `dimensions` the filterable."""
    name = query.get("range", "last_7_days")
    today = (now or datetime.now(UTC)).astimezone(ZoneInfo(timezone)).date()
    if name == "custom":
        first, last = _day(query.get("from"), "from"), _day(query.get("to"), "to")
        if last < first:
            raise ViewError("to", "to must not be before from.")
        if (last - first).days > 3660:
            raise ViewError("to", "A custom range spans at most 10 years.")
    else:
        if not _LAST_DAYS.fullmatch(name) and name not in dict(RANGES):
            raise ViewError("range", f'range "{name}" is not a relative date or "custom".')
        try:
            first, last = relative_days(name, today)
        except DateError as e:
            raise ViewError("range", e.detail) from None
    compare = query.get("compare", "previous")
    if compare not in COMPARES:
        raise ViewError("compare", "compare must be previous, year or none.")
    interval = query.get("interval") or default_interval((last - first).days + 1)
    if interval not in INTERVALS:
        raise ViewError("interval", "interval must be hour, day, week or month.")
    if len(chips) > MAX_FILTERS:
        raise ViewError("f", f"At most {MAX_FILTERS} filters.")
    parsed: list[Chip] = []
    for raw in chips:
        column_id, sep, value = raw.partition(":")
        if not sep or column_id not in dimensions:
            raise ViewError("f", f'Filter "{raw[:80]}" is not column:value of a dashboard table.')
        if len(value) > 2000:
            raise ViewError("f", "A filter value has at most 2000 characters.")
        if catalog.columns()[column_id].type in ("[int, str]", "int") and not re.fullmatch(
            r"-?\d{1,18}", value
        ):
            raise ViewError("f", f'Filter "{column_id}" needs a whole number.')
        parsed.append(Chip(column_id, value))
    return View(name, first, last, compare, interval, tuple(parsed))
