"""Dialect: everything that differs between engines, as tables of SQL templates.

A dialect lists a template for every aggregate, function, transformation, filter operator and
window column the compiler can ask for; `__init_subclass__` checks that the tables are total, so a
new engine (ClickHouse) cannot miss an operation silently. Templates take already-rendered SQL
arguments as `{0}`, `{1}`…; values reach them only as parameter placeholders.
"""

from __future__ import annotations

from typing import ClassVar

#: aggregates of `expr.Agg` / `expr.SessionAgg`
AGGREGATES = frozenset({"count", "count_distinct", "sum", "min", "max", "avg", "median"})
#: scalar functions of `expr.Fn` (and the transformations of seed Table 4)
FUNCTIONS = frozenset(
    {
        "coalesce",
        "list_len",
        "list_contains",
        "to_date",
        "to_start_of_hour",
        "to_start_of_week",
        "to_start_of_month",
        "to_start_of_quarter",
        "to_start_of_year",
        "to_hour_of_day",
        "to_minute_of_hour",
        "to_day_of_week",
        "to_month_number",
        "to_path",
        "to_domain",
        "strip_qs",
        "hour_of_time",
        "local_datetime",
        "uuid_text",
    }
)
#: string filter operators of api-notes §1.1
STRING_MATCHES = frozenset({"contains", "icontains", "starts_with", "ends_with", "matches"})
#: derived event columns (DATA-MODEL §0), as window expressions over one session's events
WINDOWS = frozenset({"is_exit", "next_event_url", "next_event_title", "time_on_page"})


class Dialect:
    """Base of every dialect; subclasses fill the tables."""

    name: ClassVar[str] = ""
    aggregates: ClassVar[dict[str, str]] = {}
    functions: ClassVar[dict[str, str]] = {}
    string_matches: ClassVar[dict[str, str]] = {}
    windows: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        for table, required in (
            ("aggregates", AGGREGATES),
            ("functions", FUNCTIONS),
            ("string_matches", STRING_MATCHES),
            ("windows", WINDOWS),
        ):
            missing = required - set(getattr(cls, table))
            if missing:
                raise TypeError(f"{cls.__name__}.{table} lacks {sorted(missing)}")

    def param(self, index: int) -> str:
        """The placeholder of the `index`-th (1-based) bound parameter."""
        raise NotImplementedError

    def bind(self, index: int, value: object) -> str:
        """The placeholder of the `index`-th (1-based) parameter, which binds `value`.

        Engines whose placeholders carry a type (ClickHouse: `{p0:String}`) override this.
        """
        return self.param(index)

    def table(self, name: str, alias: str) -> str:
        """A stored table in FROM or JOIN (ClickHouse reads `sessions` FINAL)."""
        return f"{name} AS {alias}"

    def quote(self, name: str) -> str:
        """A quoted identifier."""
        return '"' + name.replace('"', '""') + '"'

    def aggregate(self, fn: str, arg: str | None, where: str | None) -> str:
        """An aggregate with an optional row filter."""
        raise NotImplementedError

    def session_aggregate(self, fn: str, session: str, value: str) -> str:
        """An aggregate over the distinct (session, value) pairs of a group."""
        raise NotImplementedError

    def function(self, name: str, args: list[str]) -> str:
        """A scalar function of the table."""
        return self.functions[name].format(*args)

    def ratio(self, num: str, den: str) -> str:
        """num / den as a float; NULL when den is 0."""
        return f"CAST({num} AS DOUBLE) / NULLIF({den}, 0)"

    def row(self, items: list[str]) -> str:
        """A tuple of values (distinct counts over several columns)."""
        return "(" + ", ".join(items) + ")"

    def shift_seconds(self, timestamp: str, seconds: str) -> str:
        """A timestamp moved by an integer number of seconds (UTC → local wall clock)."""
        raise NotImplementedError

    def string_literal(self, text: str) -> str:
        """A constant of our own code as an SQL string literal (never request input)."""
        return "'" + text.replace("'", "''") + "'"

    def limit(self, limit: str, offset: str) -> str:
        """The LIMIT/OFFSET clause."""
        return f"LIMIT {limit} OFFSET {offset}"
