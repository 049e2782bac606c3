"""The ClickHouse dialect (ClickHouse servers and chDB; the store is `store/clickhouse/`).

Same answers as the DuckDB dialect for every catalog column (`tests/query/test_query_backends.py`
compares both on the same rows); the quirks that make that so are commented where they are.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from footfall.query.dialects.base import Dialect

_SCHEME = "^[a-zA-Z][a-zA-Z0-9+.-]*://"
_PARTITION = "PARTITION BY website_id, session_id ORDER BY event_index"
# why an explicit frame: ClickHouse's default frame ends at the current row (and lagInFrame /
# leadInFrame see only the frame), so every window names the rows it reads
_FOLLOWING = f"OVER ({_PARTITION} ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)"
# why no IGNORE NULLS: ClickHouse's first_value skips NULLs already (respect-nulls is a variant)
_NEXT_PAGE_VIEW_TIME = (
    f'first_value(if(event_type = 1, toNullable("timestamp"), NULL)) {_FOLLOWING}'
)
# why maxOrNull: ClickHouse's max over an empty frame is the type's default (1970-01-01), where
# SQL gives NULL; the end of a page view is the next page view, else the last later event of the
# same pv_id (any later event without a pv_id). DATA-MODEL §1.7.
_LAST_LATER_EVENT = (
    f"if(pv_id = '', maxOrNull(\"timestamp\") {_FOLLOWING}, "
    'maxOrNull("timestamp") OVER (PARTITION BY website_id, session_id, pv_id ORDER BY event_index '
    "ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING))"
)
#: microseconds from a page view to the end of its time on the page (NULL: no later row)
_SPAN = (
    f"(toUnixTimestamp64Micro(coalesce({_NEXT_PAGE_VIEW_TIME}, {_LAST_LATER_EVENT}))"
    ' - toUnixTimestamp64Micro("timestamp"))'
)
#: aggregates as ClickHouse function names; a row filter becomes the -If combinator
_AGGREGATE_FUNCTIONS = {
    "count": "count",
    # exact like DuckDB's count(DISTINCT): uniq() is approximate
    "count_distinct": "uniqExact",
    "sum": "sum",
    "min": "min",
    "max": "max",
    "avg": "avg",
    # why Inclusive: it interpolates between the two middle values like DuckDB's median
    # (DATA-MODEL §3.4); quantileExact returns one of them
    "median": "quantileExactInclusive(0.5)",
}
#: ClickHouse's sum/min/max/avg of no rows are 0 or nan; SQL (and DuckDB) say NULL
_OR_NULL = frozenset({"sum", "min", "max", "avg", "median"})


def _next_page_view(column: str) -> str:
    return f"coalesce(first_value(if(event_type = 1, toNullable({column}), NULL)) {_FOLLOWING}, '')"


def _combined(fn: str, suffix: str) -> str:
    """The ClickHouse aggregate of `fn` with combinators: `sumIfOrNull`, `quantile…If(0.5)`."""
    name, _, params = _AGGREGATE_FUNCTIONS[fn].partition("(")
    return name + suffix + ("(" + params if params else "")


def _placeholder_type(value: Any) -> str:
    """The ClickHouse type of a bound value (placeholders carry one: `{p0:String}`)."""
    if isinstance(value, bool):
        return "Bool"
    if isinstance(value, int):
        return "UInt64" if value >= 2**63 else "Int64"
    if isinstance(value, float):
        return "Float64"
    if isinstance(value, datetime):
        return "DateTime64(6, 'UTC')"
    if isinstance(value, date):
        return "Date"
    if isinstance(value, str):
        return "String"
    raise TypeError(f"no ClickHouse placeholder type for {type(value).__name__}")


class ClickHouseDialect(Dialect):
    """SQL for ClickHouse (scale-out store; chDB in-process)."""

    name = "clickhouse"
    aggregates: ClassVar[dict[str, str]] = {
        fn: ("count()" if fn == "count" else f"{name}({{0}})")
        for fn, name in _AGGREGATE_FUNCTIONS.items()
    }
    functions: ClassVar[dict[str, str]] = {
        "coalesce": "coalesce({0}, {1})",
        "list_len": "length({0})",
        "list_contains": "has({0}, {1})",
        "to_date": "toDate({0})",
        "to_start_of_hour": "toStartOfHour({0})",
        "to_start_of_week": "toMonday({0})",  # ISO weeks start Monday
        "to_start_of_month": "toStartOfMonth({0})",
        "to_start_of_quarter": "toStartOfQuarter({0})",
        "to_start_of_year": "toStartOfYear({0})",
        "to_hour_of_day": "toHour({0})",
        "to_minute_of_hour": "toMinute({0})",
        "to_day_of_week": "toDayOfWeek({0})",  # mode 0: Monday 1 … Sunday 7, like isodow
        "to_month_number": "toMonth({0})",
        # extract() gives the first capture group, or the whole match without one
        "to_path": (
            f"if({{0}} = '', '', coalesce(nullIf(extract("
            f"{{0}}, '^(?:{_SCHEME[1:]}[^/?#]*)?([^?#]*)'), ''), '/'))"
        ),
        "to_domain": f"lower(extract({{0}}, '{_SCHEME}(?:[^@/?#]*@)?([^:/?#]*)'))",
        "strip_qs": "replaceRegexpOne({0}, '[?][^#]*', '')",
        # local_time is a `Time` column (docs/deploy.md), which toHour() refuses (chDB 4.4); as an
        # integer it is seconds since midnight
        "hour_of_time": "intDiv(toInt32({0}), 3600)",
        "local_datetime": "toStartOfSecond({0})",
        "uuid_text": "toString({0})",
    }
    string_matches: ClassVar[dict[str, str]] = {
        "contains": "(position({0}, {1}) > 0)",
        "icontains": "(position(lowerUTF8({0}), lowerUTF8({1})) > 0)",
        "starts_with": "startsWith({0}, {1})",
        "ends_with": "endsWith({0}, {1})",
        "matches": "match({0}, {1})",
    }
    windows: ClassVar[dict[str, str]] = {
        "is_exit": (
            "if(event_type = 1 AND page_view_index = max(page_view_index) "
            "OVER (PARTITION BY website_id, session_id), 1, 0)"
        ),
        "next_event_url": _next_page_view("event_url"),
        "next_event_title": _next_page_view("event_title"),
        # why: a batch may back-date a later row of the session (Pirsch `time`) behind its page
        # view; a negative span is no time on the page (0), as in DuckDB, not a UInt32 that wrapped
        # around; a NULL span (no later row) fails `< 0` and stays NULL through intDiv
        "time_on_page": (
            f"if(event_type = 1, toUInt32(if({_SPAN} < 0, 0, intDiv({_SPAN}, 1000000))), NULL)"
        ),
    }

    def param(self, index: int) -> str:
        """Untyped placeholders do not exist in ClickHouse: see `bind`."""
        raise TypeError("ClickHouse placeholders carry a type: use bind()")

    def bind(self, index: int, value: Any) -> str:
        """`{p0:Type}` for the first value: the store binds params[i] to `p<i>`."""
        return f"{{p{index - 1}:{_placeholder_type(value)}}}"

    def table(self, name: str, alias: str) -> str:
        """Sessions are read FINAL: the newest version of each visit, right before any merge.

        why FINAL and not argMax: measured 4x faster at 1M sessions (BENCHMARKS.md, "ClickHouse
        store").
        """
        return f"{name} AS {alias} FINAL" if name == "sessions" else f"{name} AS {alias}"

    def aggregate(self, fn: str, arg: str | None, where: str | None) -> str:
        """A row filter is the -If combinator; -OrNull gives NULL for no rows, as SQL does."""
        suffix = ("If" if where else "") + ("OrNull" if fn in _OR_NULL else "")
        args = [a for a in (arg, where) if a is not None]
        return f"{_combined(fn, suffix)}({', '.join(args)})"

    def session_aggregate(self, fn: str, session: str, value: str) -> str:
        """Aggregate the distinct (session, value) pairs: each session of the group once."""
        pairs = f"groupUniqArrayIf(({session}, assumeNotNull({value})), {value} IS NOT NULL)"
        values = f"arrayMap(x -> x.2, {pairs})"
        return f"arrayReduce('{_combined(fn, 'OrNull')}', {values})"

    def ratio(self, num: str, den: str) -> str:
        """num / den as a Float64; NULL when den is 0."""
        return f"(toFloat64({num}) / nullIf({den}, 0))"

    def shift_seconds(self, timestamp: str, seconds: str) -> str:
        """DateTime64 + an interval of `seconds`."""
        return f"({timestamp} + toIntervalSecond({seconds}))"
