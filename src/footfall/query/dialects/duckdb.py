"""The DuckDB dialect."""

from __future__ import annotations

from typing import ClassVar

from footfall.query.dialects.base import Dialect

_SCHEME = "^[a-zA-Z][a-zA-Z0-9+.-]*://"
_PARTITION = "PARTITION BY website_id, session_id ORDER BY event_index"
_FOLLOWING = f"OVER ({_PARTITION} ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)"
_NEXT_PAGE_VIEW_TIME = (
    f'first_value(CASE WHEN event_type = 1 THEN "timestamp" END IGNORE NULLS) {_FOLLOWING}'
)
# why: the end of a page view is the next page view; for the last one, the last later event of
# the same pv_id (or any later event when the tracker sent no pv_id). DATA-MODEL §1.7.
_LAST_LATER_EVENT = (
    f"CASE WHEN pv_id = '' THEN max(\"timestamp\") {_FOLLOWING} "
    'ELSE max("timestamp") OVER (PARTITION BY website_id, session_id, pv_id ORDER BY event_index '
    "ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) END"
)


def _next_page_view(column: str) -> str:
    return (
        f"coalesce(first_value(CASE WHEN event_type = 1 THEN {column} END IGNORE NULLS) "
        f"{_FOLLOWING}, '')"
    )


#: microseconds from a page view to the next page view, else to the last later row of its page
_SPAN = f'(epoch_us(coalesce({_NEXT_PAGE_VIEW_TIME}, {_LAST_LATER_EVENT})) - epoch_us("timestamp"))'


class DuckDBDialect(Dialect):
    """SQL for DuckDB (embedded default store)."""

    name = "duckdb"
    aggregates: ClassVar[dict[str, str]] = {
        "count": "count(*)",
        "count_distinct": "count(DISTINCT {0})",
        "sum": "sum({0})",
        "min": "min({0})",
        "max": "max({0})",
        "avg": "avg({0})",
        # exact: DuckDB's median interpolates between the two middle values (DATA-MODEL §3.4)
        "median": "median({0})",
    }
    functions: ClassVar[dict[str, str]] = {
        "coalesce": "coalesce({0}, {1})",
        "list_len": "len({0})",
        "list_contains": "list_contains({0}, {1})",
        "to_date": "CAST({0} AS DATE)",
        "to_start_of_hour": "date_trunc('hour', {0})",
        "to_start_of_week": "CAST(date_trunc('week', {0}) AS DATE)",  # ISO weeks start Monday
        "to_start_of_month": "CAST(date_trunc('month', {0}) AS DATE)",
        "to_start_of_quarter": "CAST(date_trunc('quarter', {0}) AS DATE)",
        "to_start_of_year": "CAST(date_trunc('year', {0}) AS DATE)",
        "to_hour_of_day": "hour({0})",
        "to_minute_of_hour": "minute({0})",
        "to_day_of_week": "isodow({0})",
        "to_month_number": "month({0})",
        # why one anchored regex with a capture group: a regexp_replace (a new string a row)
        # followed by a second regexp_extract cost ~0.6 s per million rows, and DuckDB evaluates a
        # grouping expression again for each distinct aggregate; this form costs ~0.05 s
        # (BENCHMARKS.md, "Pirsch statistics": /statistics/page at 1M events)
        "to_path": (
            f"CASE WHEN {{0}} = '' THEN '' ELSE coalesce(nullif(regexp_extract("
            f"{{0}}, '^(?:{_SCHEME[1:]}[^/?#]*)?([^?#]*)', 1), ''), '/') END"
        ),
        "to_domain": (f"lower(regexp_extract({{0}}, '{_SCHEME}(?:[^@/?#]*@)?([^:/?#]*)', 1))"),
        "strip_qs": "regexp_replace({0}, '[?][^#]*', '')",
        "hour_of_time": "hour({0})",
        "local_datetime": "date_trunc('second', {0})",
        "uuid_text": "CAST({0} AS VARCHAR)",
    }
    string_matches: ClassVar[dict[str, str]] = {
        "contains": "contains({0}, {1})",
        "icontains": "contains(lower({0}), lower({1}))",
        "starts_with": "starts_with({0}, {1})",
        "ends_with": "suffix({0}, {1})",
        "matches": "regexp_matches({0}, {1})",
    }
    windows: ClassVar[dict[str, str]] = {
        "is_exit": (
            "CASE WHEN event_type = 1 AND page_view_index = max(page_view_index) "
            "OVER (PARTITION BY website_id, session_id) THEN 1 ELSE 0 END"
        ),
        "next_event_url": _next_page_view("event_url"),
        "next_event_title": _next_page_view("event_title"),
        # why: a batch may back-date a later row of the session (Pirsch `time`) behind its page
        # view; a negative span is no time on the page (0), not a cast error; no later row stays
        # NULL (DuckDB's greatest() skips NULLs, so a CASE; its optimizer shares the repeat)
        "time_on_page": (
            f"CASE WHEN event_type = 1 THEN CASE WHEN {_SPAN} < 0 THEN 0 "
            f"ELSE CAST(floor({_SPAN} / 1000000) AS UINTEGER) END END"
        ),
    }

    def param(self, index: int) -> str:
        """DuckDB numbered parameters: `$1` is the first value of the list."""
        return f"${index}"

    def aggregate(self, fn: str, arg: str | None, where: str | None) -> str:
        """Aggregates take a FILTER clause."""
        sql = self.aggregates[fn].format(arg)
        return f"{sql} FILTER (WHERE {where})" if where else sql

    def session_aggregate(self, fn: str, session: str, value: str) -> str:
        """Aggregate the distinct (session, value) pairs: each session of the group once."""
        pairs = (
            f"list(DISTINCT {{'s': {session}, 'v': {value}}}) FILTER (WHERE {value} IS NOT NULL)"
        )
        fn_name = {"avg": "avg", "sum": "sum", "median": "median"}[fn]
        return f"list_aggregate(list_transform({pairs}, lambda x: x.v), '{fn_name}')"

    def shift_seconds(self, timestamp: str, seconds: str) -> str:
        """TIMESTAMP + INTERVAL of `seconds`."""
        return f"({timestamp} + to_seconds({seconds}))"
