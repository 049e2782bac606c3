"""Compiler: a validated `Query` → one SQL statement and its bound parameters.

The compiler is the only SQL writer (CONVENTIONS). It adds the website guard to every table it
reads, binds every value from the request as a parameter, and takes everything engine-specific
from the dialect. Output rows are `[columns..., label extras..., total count]`; `OutputColumn`
says how `render` turns each cell into its wire form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from footfall.query import catalog, dates, metrics
from footfall.query.dialects.base import Dialect
from footfall.query.expr import (
    Agg,
    And,
    Cmp,
    Col,
    Const,
    Div,
    Expr,
    Fn,
    In,
    IsNull,
    Lit,
    Minus,
    Not,
    Or,
    SessionAgg,
    Tuple,
)
from footfall.query.model import ColumnRef, Condition, FilterGroup, Query
from footfall.query.parse import column_type, is_metric
from footfall.query.plan import Plan, plan

#: how far a session may reach beyond the period: sessions last at most 12 h by default
#: (DATA-MODEL §5.1 `session_max_duration_seconds`); windows and joins read this margin around it
SESSION_REACH = timedelta(hours=24)
#: raw data prepends these identifier columns (api-notes §1.2)
RAW_PREFIX = {
    "sessions": ("session_id", "visitor_id", "timestamp"),
    "events": ("session_id", "event_id", "visitor_id", "timestamp"),
}
_DATE_TRANSFORMS = frozenset(
    t.id for t in catalog.TRANSFORMATIONS.values() if "date" in t.source_types
)
_NEGATED = {
    "not_contains": "contains",
    "not_icontains": "icontains",
    "not_matches": "matches",
}
_COMPARISONS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
#: time buckets that grow with the local timestamp (the bucket of `timestamp` without a
#: transformation is its day), by the unit of `dates.bucket_starts`
_MONOTONE_BUCKETS = {
    None: "day",
    "to_date": "day",
    "to_start_of_hour": "hour",
    "to_start_of_week": "week",
    "to_start_of_month": "month",
    "to_start_of_quarter": "quarter",
    "to_start_of_year": "year",
}
#: at most this many time slices (UNION ALL branches) per query; see `_Builder.slices`
MAX_SLICES = 16
#: a time slice is worth it from about this many rows read (below, the fixed cost of a branch
#: and of the row groups it shares with its neighbours outweighs the smaller hash table)
ROWS_PER_SLICE = 200_000


@dataclass(frozen=True, slots=True)
class OutputColumn:
    """One column of the answer: its id, name, wire type and where its label comes from."""

    column_id: str
    name: str
    type: str
    metric: bool
    label_index: int | None = None  #: a row cell holding this enum's label (city names)


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """SQL text, its parameters, and the description of the cells of each row."""

    sql: str
    params: tuple[Any, ...]
    columns: tuple[OutputColumn, ...]
    scope: str
    #: SQL and parameters counting the rows the query reads, when that count would change the
    #: SQL (time slices): compile again with the count as `volume`
    volume: tuple[str, tuple[Any, ...]] | None = None


def output_name(ref: ColumnRef) -> str:
    """The human name of a column (column_format=name)."""
    name = catalog.columns()[ref.column_id].name
    if ref.transformation_id is not None:
        name += f" ({catalog.TRANSFORMATIONS[ref.transformation_id].name})"
    if ref.goal_id is not None:
        name += f" (goal {ref.goal_id})"
    return name


class _Builder:
    """Renders the expressions of one query; collects parameters and the tables it touched."""

    def __init__(self, dialect: Dialect, query: Query, scope: str, prewindow: bool = False) -> None:
        self.d = dialect
        self.query = query
        self.scope = scope
        #: compute transformed event dimensions below the window subquery (see `dimension`)
        self.prewindow = prewindow
        self.before_window: dict[str, str] = {}
        self.movable = False  #: a dimension `prewindow` would move was rendered
        self.params: list[Any] = []
        self.uses_sessions = scope == "session"
        self.windows: set[str] = set()
        self.offsets: list[tuple[datetime, int]] = []
        self.locals: dict[str, str] = {}
        self.hidden: list[str] = []
        self.distinct = False  #: an aggregate over distinct values was rendered

    def p(self, value: Any) -> str:
        self.params.append(value)
        return self.d.bind(len(self.params), value)

    def local(self, timestamp_sql: str) -> str:
        """A stored UTC timestamp as wall-clock time of the query's timezone.

        why: a per-row time-zone conversion (ICU) cost ~1 µs a row, most of a daily report; the
        offsets of the period are known in advance, so the SQL only adds seconds, chosen by a
        CASE over the period's DST transitions (bound as parameters).
        """
        if timestamp_sql in self.locals:
            return self.locals[timestamp_sql]
        period = self.query.period
        if not self.offsets:
            self.offsets = dates.utc_offsets(
                period.timezone, period.start - 2 * SESSION_REACH, period.end + 2 * SESSION_REACH
            )
        if len(self.offsets) == 1:
            seconds = str(self.offsets[0][1])
        else:
            cases = " ".join(
                f"WHEN {timestamp_sql} < {self.p(moment)} THEN {previous}"
                for (_, previous), (moment, _) in zip(self.offsets, self.offsets[1:], strict=False)
            )
            seconds = f"CASE {cases} ELSE {self.offsets[-1][1]} END"
        self.locals[timestamp_sql] = self.d.shift_seconds(timestamp_sql, seconds)
        return self.locals[timestamp_sql]

    # columns -----------------------------------------------------------------------------
    def col(self, column_id: str) -> str:
        q = self.d.quote
        if column_id == "website_name":
            return self.d.function(
                "uuid_text", [("s" if self.scope == "session" else "e") + ".website_id"]
            )
        if column_id == "local_hour":
            self.uses_sessions = True
            return self.d.function(
                "coalesce",
                [
                    self.d.function("hour_of_time", [f"s.{q('local_time')}"]),
                    self.d.function("to_hour_of_day", [self.local(f"s.{q('timestamp')}")]),
                ],
            )
        if self.scope == "session":
            return f"s.{q(column_id)}"
        if column_id in catalog.WINDOW_COLUMNS:
            self.windows.add(column_id)
            return f"e.{q(column_id)}"
        column = catalog.get(column_id)
        if column_id in ("session_id", "timestamp", "pv_id") or (
            column is not None and column.scope == "event"
        ):
            return f"e.{q(column_id)}"
        self.uses_sessions = True
        return f"s.{q(column_id)}"

    def is_session_column(self, column_id: str) -> bool:
        column = catalog.columns()[column_id]
        return column.scope == "session" and column_id not in ("session_id", "timestamp")

    # expressions -------------------------------------------------------------------------
    def expr(self, node: Expr) -> str:
        if isinstance(node, Col):
            return self.col(node.id)
        if isinstance(node, Lit):
            return self.p(node.value)
        if isinstance(node, Const):
            return str(int(node.value))
        if isinstance(node, Cmp):
            return f"({self.expr(node.left)} {node.op} {self.expr(node.right)})"
        if isinstance(node, In):
            return f"({self.expr(node.expr)} IN ({', '.join(str(int(v)) for v in node.values)}))"
        if isinstance(node, And | Or):
            word = " AND " if isinstance(node, And) else " OR "
            return "(" + word.join(self.expr(i) for i in node.items) + ")"
        if isinstance(node, Not):
            return f"(NOT {self.expr(node.item)})"
        if isinstance(node, IsNull):
            return f"({self.expr(node.item)} IS NULL)"
        if isinstance(node, Tuple):
            return self.d.row([self.expr(i) for i in node.items])
        if isinstance(node, Fn):
            return self.d.function(node.name, [self.expr(a) for a in node.args])
        if isinstance(node, Agg):
            self.distinct = self.distinct or node.fn == "count_distinct"
            arg = None if node.arg is None else self.expr(node.arg)
            where = None if node.where is None else self.expr(node.where)
            return self.d.aggregate(node.fn, arg, where)
        if isinstance(node, SessionAgg):
            self.distinct = True
            return self.d.session_aggregate(node.fn, self.col("session_id"), self.expr(node.arg))
        if isinstance(node, Div):
            return self.d.ratio(self.expr(node.num), self.expr(node.den))
        if isinstance(node, Minus):
            diff = f"({self.expr(node.left)} - {self.expr(node.right)})"
            return f"greatest({diff}, 0)" if node.clamp else diff
        raise TypeError(f"no SQL for {node!r}")

    # dimensions and metrics ----------------------------------------------------------------
    def dimension(self, ref: ColumnRef, *, raw: bool = False) -> str:
        """The SQL of a dimension value (the id, for enums)."""
        column_id, transformation = ref.column_id, ref.transformation_id
        if column_id == "location_city_name":
            return self.col("location_city_geoname_id")
        base = self.col(column_id)
        if column_id == "timestamp":
            local = self.local(base)
            if transformation is None:
                return self.d.function("local_datetime" if raw else "to_date", [local])
            return self.d.function(transformation, [local])
        if transformation is not None and self._movable(column_id):
            # why: the window subquery's rows come out flat, so a URL transformation above it
            # runs once a row (to_path: ~3.5 µs); at the scan, DuckDB runs it once per distinct
            # value of a dictionary-compressed vector. So, with windows, it is computed below them
            # and read by name (BENCHMARKS.md, /statistics/page with include_avg_time_on_page)
            self.movable = True
            if self.prewindow:
                name = f"__t{len(self.before_window)}"
                sql = self.d.function(transformation, [self.d.quote(column_id)])
                self.before_window.setdefault(sql, name)
                return f"e.{self.d.quote(self.before_window[sql])}"
        if transformation is not None:
            return self.d.function(transformation, [base])
        return base

    def _movable(self, column_id: str) -> bool:
        """A stored event column (a transformation of it can be computed at the scan)."""
        column = catalog.get(column_id)
        return (
            self.scope == "event"
            and column is not None
            and column.table == "events"
            and column_id not in ("session_id", "timestamp")
        )

    def metric(self, ref: ColumnRef) -> str:
        """The SQL of a metric column: a base metric or a dimension → metric transformation."""
        column = catalog.columns()[ref.column_id]
        if column.kind == "metric":
            formula = (
                metrics.session_formula(ref.column_id, ref.goal_id)
                if self.scope == "session"
                else metrics.event_formula(ref.column_id, ref.goal_id)
            )
            assert formula is not None  # plan() chose event scope otherwise
            return self.expr(formula)
        assert ref.transformation_id is not None
        formula = metrics.transformed(
            ref.column_id,
            ref.transformation_id,
            column_type=column.type,
            session_column_in_event_scope=self.scope == "event"
            and self.is_session_column(ref.column_id),
            goal_id=ref.goal_id,
        )
        return self.expr(formula)

    # filters ---------------------------------------------------------------------------
    def group(self, group: FilterGroup) -> str:
        word = " AND " if group.operator == "and" else " OR "
        parts = [
            self.group(c) if isinstance(c, FilterGroup) else self.condition(c)
            for c in group.conditions
        ]
        return "(" + word.join(parts) + ")"

    def condition(self, cond: Condition) -> str:
        ref, op, value = cond.column, cond.operator, cond.value
        if is_metric(ref):
            # why: metric filters are applied to the grouped rows through hidden output columns
            # (h0, h1, ...) in an outer WHERE, not in HAVING: DuckDB does not bind the lambdas of
            # a per-session aggregate inside HAVING
            self.hidden.append(self.metric(ref))
            return self._compare(f"h{len(self.hidden) - 1}", op, value)
        type_ = column_type(ref)
        sql = self.dimension(ref)
        if (
            ref.column_id == "timestamp"
            and ref.transformation_id is None
            and isinstance(value, datetime)
        ):
            sql = self.local(self.col("timestamp"))
        if ref.column_id == "location_city_name" and isinstance(value, str):
            # why: the city enum is keyed by GeoNames id; a name (the Pirsch filter) is compared
            # with the stored city name instead
            sql = self.col("location_city_name")
        if ref.column_id == "website_name" and isinstance(value, str):
            value = value.lower()
        if op == "empty":
            return f"({sql} IS NULL OR {sql} = '')" if type_ == "str" else f"({sql} IS NULL)"
        if op == "not_empty":
            return (
                f"({sql} IS NOT NULL AND {sql} <> '')" if type_ == "str" else f"({sql} IS NOT NULL)"
            )
        if type_ == "array":
            has = self.d.function("list_contains", [sql, self.p(value)])
            return has if op == "eq" else f"(NOT {has})"
        if op in self.d.string_matches:
            return self.d.string_matches[op].format(sql, self.p(value))
        if op in _NEGATED:
            match = self.d.string_matches[_NEGATED[op]].format(sql, self.p(value))
            return f"(NOT coalesce({match}, false))"
        return self._compare(sql, op, value)

    def _compare(self, sql: str, op: str, value: Any) -> str:
        if op == "eq":
            return f"({sql} = {self.p(value)})"
        if op == "neq":
            return f"({sql} IS DISTINCT FROM {self.p(value)})"
        return f"({sql} {_COMPARISONS[op]} {self.p(value)})"

    # tables ----------------------------------------------------------------------------
    def websites(self, column: str) -> str:
        ids = ", ".join(f"CAST({self.p(w)} AS UUID)" for w in self.query.website_ids)
        return f"{column} IN ({ids})"

    def source(self) -> tuple[str, list[str]]:
        """FROM clause and the WHERE conditions of the period and the website guard."""
        q = self.d.quote
        period = self.query.period
        start, end = self.p(period.start), self.p(period.end)
        if self.scope == "session":
            where = [
                self.websites("s.website_id"),
                f's."timestamp" >= {start}',
                f's."timestamp" < {end}',
            ]
            return self.d.table("sessions", "s"), where
        if self.windows:
            wide_start = self.p(period.start - SESSION_REACH)
            wide_end = self.p(period.end + SESSION_REACH)
            windows = ", ".join(f"{self.d.windows[w]} AS {q(w)}" for w in sorted(self.windows))
            rows = (
                f"events WHERE {self.websites('website_id')}"
                f' AND "timestamp" >= {wide_start} AND "timestamp" < {wide_end}'
            )
            if self.before_window:
                moved = ", ".join(f"{sql} AS {q(name)}" for sql, name in self.before_window.items())
                rows = f"(SELECT *, {moved} FROM {rows}) AS r"
            table = f"(SELECT *, {windows} FROM {rows}) AS e"
        else:
            table = self.d.table("events", "e")
        if self.uses_sessions:
            reach = self.p(period.start - SESSION_REACH)
            # why: with one website both sides are already limited to it, and a join on the
            # session id alone hashes 8 bytes instead of 24 (~15% of the event-scoped join)
            keys = "s.session_id = e.session_id"
            if len(self.query.website_ids) > 1:
                keys = f"s.website_id = e.website_id AND {keys}"
            table += (
                f" JOIN {self.d.table('sessions', 's')} ON {keys} AND {self.websites('s.website_id')}"
                f' AND s."timestamp" >= {reach} AND s."timestamp" < {end}'
            )
        where = [
            self.websites("e.website_id"),
            f'e."timestamp" >= {start}',
            f'e."timestamp" < {end}',
        ]
        return table, where

    def slice_unit(self, dimensions: list[ColumnRef]) -> str | None:
        """The bucket unit to split this aggregate into time slices by, if it is worth it.

        why: an exact distinct count (visitors) hashes every (group, value) pair of the period
        at once; 3M pairs a month at 10M events outgrow the CPU caches, and the daily report
        spent ~2/3 of its time there. When a monotone time bucket of `timestamp` is a dimension,
        slices of local time that start and end on bucket boundaries hold disjoint sets of
        groups, so their answers are simply concatenated (any aggregate stays exact), and each
        hashes a fraction of the pairs (BENCHMARKS.md: daily report at 10M, 1.4-1.65x in-process,
        ~1.25x over HTTP on a loaded machine).

        Only for distinct aggregates; not for window columns, whose subquery each branch would
        compute again.
        """
        units = [
            _MONOTONE_BUCKETS[ref.transformation_id]
            for ref in dimensions
            if ref.column_id == "timestamp" and ref.transformation_id in _MONOTONE_BUCKETS
        ]
        return units[0] if units and self.distinct and not self.windows else None

    def volume(self) -> tuple[str, tuple[Any, ...]]:
        """A count of the rows of the period in the scope's table (sizes the time slices)."""
        alias = "s" if self.scope == "session" else "e"
        table = "sessions" if self.scope == "session" else "events"
        period = self.query.period
        where = [
            self.websites(f"{alias}.website_id"),
            f'{alias}."timestamp" >= {self.p(period.start)}',
            f'{alias}."timestamp" < {self.p(period.end)}',
        ]
        return f"SELECT count(*) FROM {table} AS {alias} WHERE {' AND '.join(where)}", tuple(
            self.params
        )

    def slices(self, unit: str, count: int) -> list[list[str]]:
        """WHERE conditions of at most `count` time slices, one UNION ALL branch each.

        The slices tile local time at bucket starts of `unit`; each also gets a UTC range (the
        local one widened by the period's extreme UTC offsets) so DuckDB skips the row groups of
        other slices, and in event scope a range of session starts for the join.
        """
        if count < 2:
            return [[]]
        period = self.query.period
        starts = dates.bucket_starts(
            unit,
            dates.local_wall(period.start, period.timezone),
            dates.local_wall(period.end, period.timezone),
            count - 1,
        )
        if not starts:
            return [[]]
        alias = "s" if self.scope == "session" else "e"
        stamp = f'{alias}."timestamp"'
        local = self.local(stamp)
        low = min(seconds for _, seconds in self.offsets)
        high = max(seconds for _, seconds in self.offsets)
        joined = self.scope == "event" and self.uses_sessions
        bounds: list[tuple[datetime | None, datetime | None]] = list(
            zip([None, *starts], [*starts, None], strict=True)
        )
        branches: list[list[str]] = []
        for first, last in bounds:
            conditions: list[str] = []
            if first is not None:
                utc = first - timedelta(seconds=high)
                conditions += [f"{local} >= {self.p(first)}", f"{stamp} >= {self.p(utc)}"]
                if joined:  # a session starts at most SESSION_REACH before its events
                    conditions.append(f's."timestamp" >= {self.p(utc - SESSION_REACH)}')
            if last is not None:
                utc = last - timedelta(seconds=low)
                conditions += [f"{local} < {self.p(last)}", f"{stamp} < {self.p(utc)}"]
                if joined:
                    conditions.append(f's."timestamp" < {self.p(utc)}')
            branches.append(conditions)
        return branches


class Compiler:
    """Compiles queries for one dialect (pure: no I/O)."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    def compile(self, query: Query, volume: int | None = None) -> CompiledQuery:
        """SQL and parameters of a validated query; `volume` is the count of rows it reads, when
        known (see `CompiledQuery.volume`)."""
        the_plan = plan(query)
        if query.mode == "aggregate":
            return self._aggregate(query, the_plan, volume)
        return self._raw(query, the_plan)

    def _aggregate(
        self, query: Query, the_plan: Plan, volume: int | None, prewindow: bool = False
    ) -> CompiledQuery:
        b = _Builder(self.dialect, query, the_plan.scope, prewindow)
        select: list[str] = []
        extras: list[str] = []
        outputs: list[OutputColumn] = []
        for i, ref in enumerate(query.columns):
            if i in the_plan.metrics:
                select.append(b.metric(ref))
            else:
                select.append(b.dimension(ref))
            label_index = None
            if ref.column_id == "location_city_name" and ref.transformation_id is None:
                label_index = len(query.columns) + len(extras)
                extras.append(f"any_value({b.col('location_city_name')})")
            outputs.append(
                OutputColumn(
                    ref.column_id,
                    output_name(ref),
                    column_type(ref),
                    i in the_plan.metrics,
                    label_index,
                )
            )
        where_filters = b.group(query.filters) if query.filters else None
        having = b.group(query.metric_filters) if query.metric_filters else None
        table, where = b.source()
        if where_filters:
            where.append(where_filters)
        items = [f"{sql} AS c{i}" for i, sql in enumerate(select + extras)]
        items += [f"{sql} AS h{i}" for i, sql in enumerate(b.hidden)]
        group = ""
        if the_plan.dimensions:
            group = " GROUP BY " + ", ".join(str(i + 1) for i in the_plan.dimensions)
        unit = b.slice_unit([query.columns[i] for i in the_plan.dimensions])
        counting = None
        branches: list[list[str]] = [[]]
        if unit is not None and volume is None:
            counting = _Builder(self.dialect, query, the_plan.scope).volume()
        elif unit is not None and volume is not None:
            branches = b.slices(unit, min(MAX_SLICES, volume // ROWS_PER_SLICE))
        inner = " UNION ALL ".join(
            f"SELECT {', '.join(items)} FROM {table} WHERE {' AND '.join(where + extra)}{group}"
            for extra in branches
        )
        order = _order(query, the_plan)
        limit = self.dialect.limit(b.p(query.limit), b.p(query.offset))
        sql = f"SELECT *, count(*) OVER () AS total FROM ({inner}) AS q"
        if having:
            sql += f" WHERE {having}"
        if order:
            sql += " ORDER BY " + ", ".join(order)
        sql += " " + limit
        if b.windows and b.movable and not prewindow:
            # windows are known once every column is rendered: render again, moving them
            return self._aggregate(query, the_plan, volume, prewindow=True)
        return CompiledQuery(sql, tuple(b.params), tuple(outputs), the_plan.scope, counting)

    def _raw(self, query: Query, the_plan: Plan) -> CompiledQuery:
        b = _Builder(self.dialect, query, the_plan.scope)
        q = self.dialect.quote
        prefix = RAW_PREFIX[query.mode]
        refs = [ColumnRef(c) for c in prefix] + list(query.columns)
        select: list[str] = []
        outputs: list[OutputColumn] = []
        for ref in refs:
            select.append(b.dimension(ref, raw=True))
            label_index = None
            if ref.column_id == "location_city_name" and ref.transformation_id is None:
                label_index = len(refs) + sum(1 for o in outputs if o.label_index is not None)
            type_ = (
                "datetime"
                if ref.column_id == "timestamp" and ref.transformation_id is None
                else column_type(ref)
            )
            outputs.append(OutputColumn(ref.column_id, output_name(ref), type_, False, label_index))
        extras = [b.col("location_city_name") for o in outputs if o.label_index is not None]
        where_filters = b.group(query.filters) if query.filters else None
        table, where = b.source()
        if where_filters:
            where.append(where_filters)
        alias = "s" if the_plan.scope == "session" else "e"
        order = [f'{alias}."timestamp"', f"{alias}.{q('session_id')}"]
        if the_plan.scope == "event":
            order.append(f"e.{q('event_index')}")
            order.append(f"e.{q('event_id')}")
        items = [f"{sql} AS c{i}" for i, sql in enumerate(select + extras)]
        sql = (
            f"SELECT {', '.join(items)}, count(*) OVER () AS total FROM {table}"
            f" WHERE {' AND '.join(where)} ORDER BY {', '.join(order)} "
            + self.dialect.limit(b.p(query.limit), b.p(query.offset))
        )
        return CompiledQuery(sql, tuple(b.params), tuple(outputs), the_plan.scope)


def _order(query: Query, the_plan: Plan) -> list[str]:
    """ORDER BY of the outer query: the request's order, then a stable tie-break.

    Default (api-notes §1.1): descending by the first metric. Ties are broken by every other
    column in request order, so paging with offset/limit never repeats or skips a row.
    """
    chosen = list(query.order_by)
    if not chosen and the_plan.metrics:
        chosen = [(the_plan.metrics[0], "desc")]
    used = {i for i, _ in chosen}
    chosen += [(i, "asc") for i in range(len(query.columns)) if i not in used]
    return [f"c{i} {direction.upper()} NULLS LAST" for i, direction in chosen]
