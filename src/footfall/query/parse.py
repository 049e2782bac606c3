"""JSON request body → `Query`, validated against the catalog (api-notes §1.1–1.3).

Every error is a `QueryError` naming the offending parameter in the dotted form of the Piwik PRO
answers (`columns.column_id`, `filters.conditions.condition.operator`), so the API answers 400
with `source.parameter` and never lets bad input reach the database.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast

from footfall.query import catalog, dates
from footfall.query.catalog import CatalogColumn
from footfall.query.metrics import GOAL_METRICS, session_formula
from footfall.query.model import ColumnRef, Condition, FilterGroup, Mode, Period, Query

MAX_LIMIT = 100_000
MAX_FILTER_DEPTH = 8
MAX_CONDITIONS = 200
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_HEX16 = re.compile(r"[0-9a-fA-F]{1,16}")
# RE2 (the regex engine of DuckDB and ClickHouse) has no look-around and no back-references
_NOT_RE2 = re.compile(r"\(\?<?[=!]|\\[1-9]|\(\?P=")
_INTEGRATIONS = {
    "google_ads": "Google Ads",
    "google_search_console": "Google Search Console",
    "sharepoint": "SharePoint",
}

STRING_OPERATORS = frozenset(
    {
        "eq",
        "neq",
        "contains",
        "not_contains",
        "icontains",
        "not_icontains",
        "starts_with",
        "ends_with",
        "matches",
        "not_matches",
    }
)
NUMBER_OPERATORS = frozenset({"eq", "neq", "gt", "gte", "lt", "lte"})
ENUM_OPERATORS = frozenset({"eq", "neq", "empty", "not_empty"})
BOOLEAN_OPERATORS = frozenset({"eq", "neq"})
NULL_OPERATORS = frozenset({"empty", "not_empty"})


class QueryError(ValueError):
    """Bad input: `detail` says what, `parameter` names where (api-notes §0.3 analytics errors)."""

    def __init__(self, parameter: str, detail: str, status: int = 400) -> None:
        super().__init__(detail)
        self.parameter = parameter
        self.detail = detail
        self.status = status


@dataclass(frozen=True, slots=True)
class Site:
    """What the caller knows of a website id: the app ids it covers and the timezone to use."""

    website_ids: tuple[str, ...]
    timezone: str


Resolver = Callable[[str], Site | None]


def column_type(ref: ColumnRef) -> str:
    """The result type of a (validated) column reference."""
    column = catalog.columns()[ref.column_id]
    if ref.transformation_id is None:
        return column.type
    return catalog.TRANSFORMATIONS[ref.transformation_id].result(column.type)


def is_metric(ref: ColumnRef) -> bool:
    """Whether a (validated) column reference is a metric (base or transformed)."""
    column = catalog.columns()[ref.column_id]
    if column.kind == "metric":
        return True
    return (
        ref.transformation_id is not None
        and catalog.TRANSFORMATIONS[ref.transformation_id].kind == "metric"
    )


def _object(value: Any, parameter: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise QueryError(parameter, f"{parameter or 'The request body'} must be a JSON object.")
    return value


def _int(value: Any, parameter: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise QueryError(parameter, f"{parameter} must be an integer in {low}..{high}.")
    return value


def _column(spec: Any, parameter: str, *, raw: bool, in_filter: str | None = None) -> ColumnRef:
    """One {column_id, transformation_id?, goal_id?} object, checked against the catalog."""
    spec = _object(spec, parameter)
    column_id = spec.get("column_id")
    if not isinstance(column_id, str):
        raise QueryError(f"{parameter}.column_id", "column_id is required and must be a string.")
    transformation_id = spec.get("transformation_id")
    goal_id = spec.get("goal_id")
    # a legacy name only counts where the catalog has no column of that id (`revenue` is both)
    known = catalog.get(column_id) is not None
    alias = None if known else catalog.LEGACY_ALIASES.get(column_id)
    legacy_goal = None if known else catalog.LEGACY_GOAL.fullmatch(column_id)
    if alias is not None and transformation_id is None:
        column_id, transformation_id = alias.column_id, alias.transformation_id
    elif legacy_goal is not None and goal_id is None:
        goal_id = int(legacy_goal.group(1))
        if legacy_goal.group(2) == "revenue":
            column_id, transformation_id = "goal_revenue", "sum"
        else:
            column_id = "goal_conversions"
    column = catalog.get(column_id)
    if column is None:
        raise QueryError(f"{parameter}.column_id", f'Dimension "{column_id}" does not exist.')
    if column.integration is not None:
        raise QueryError(
            f"{parameter}.column_id",
            f'Column "{column_id}" needs the {_INTEGRATIONS[column.integration]} integration, '
            "which is not configured for this website.",
        )
    ref = ColumnRef(column_id, _transformation(column, transformation_id, parameter, raw))
    goal = _goal(column, ref, goal_id, parameter)
    ref = ColumnRef(ref.column_id, ref.transformation_id, goal)
    metric = is_metric(ref)
    if raw and metric:
        raise QueryError(
            f"{parameter}.column_id", f'Metric "{column_id}" is not available in raw data.'
        )
    if in_filter == "filters" and metric:
        raise QueryError(
            f"{parameter}.column_id",
            f'"{ref.key}" is a metric: filter it in metric_filters.',
        )
    if in_filter == "metric_filters" and not metric:
        raise QueryError(
            f"{parameter}.column_id",
            f'"{ref.key}" is a dimension: filter it in filters, or give a dimension to metric '
            "transformation.",
        )
    return ref


def _transformation(
    column: CatalogColumn, transformation_id: Any, parameter: str, raw: bool
) -> str | None:
    if transformation_id is None:
        return None
    where = f"{parameter}.transformation_id"
    if not isinstance(transformation_id, str):
        raise QueryError(where, "transformation_id must be a string.")
    transformation = catalog.TRANSFORMATIONS.get(transformation_id)
    if transformation is None:
        raise QueryError(where, f'Transformation "{transformation_id}" does not exist.')
    if column.kind == "metric" or column.type not in transformation.source_types:
        raise QueryError(
            where,
            f'Transformation "{transformation_id}" cannot be applied to "{column.id}" '
            f"(type {column.type}).",
        )
    if raw and transformation.kind == "metric":
        raise QueryError(
            where, f'Transformation "{transformation_id}" gives a metric: not in raw data.'
        )
    return transformation_id


def _goal(column: CatalogColumn, ref: ColumnRef, goal_id: Any, parameter: str) -> int | None:
    if goal_id is None:
        return None
    where = f"{parameter}.goal_id"
    value = _int(goal_id, where, 0, 2**31 - 1)
    transformed_metric = (
        ref.transformation_id is not None
        and catalog.TRANSFORMATIONS[ref.transformation_id].kind == "metric"
        and column.scope == "event"
    )
    if column.id not in GOAL_METRICS and not transformed_metric:
        raise QueryError(where, f'goal_id cannot be used with "{column.id}".')
    return value


def _columns(body: Mapping[str, Any], raw: bool) -> tuple[ColumnRef, ...]:
    specs = body.get("columns")
    if not isinstance(specs, list) or not specs:
        raise QueryError("columns", "columns is required: a non-empty list of columns.")
    if len(specs) > 100:
        raise QueryError("columns", "At most 100 columns per query.")
    return tuple(_column(spec, "columns", raw=raw) for spec in specs)


def _period(body: Mapping[str, Any], mode: str, site: Site) -> Period:
    try:
        if mode == "real-time":
            minutes = _int(body.get("lookback_window"), "lookback_window", 1, 1440)
            return dates.lookback(minutes, site.timezone)
        relative = body.get("relative_date")
        has_dates = body.get("date_from") is not None or body.get("date_to") is not None
        if relative is not None:
            if has_dates or mode == "real-time-events":
                raise QueryError(
                    "relative_date", "relative_date cannot be combined with date_from/date_to."
                )
            return dates.relative(relative, site.timezone)
        for name in ("date_from", "date_to"):
            if body.get(name) is None:
                raise QueryError(name, f"{name} is required (or relative_date).")
        return dates.absolute(body["date_from"], body["date_to"], site.timezone)
    except dates.DateError as e:
        raise QueryError(e.parameter, e.detail) from None


def _order_by(value: Any, count: int) -> tuple[tuple[int, Literal["asc", "desc"]], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise QueryError("order_by", 'order_by must be a list of [column index, "asc"|"desc"].')
    out: list[tuple[int, Literal["asc", "desc"]]] = []
    for item in value:
        if not isinstance(item, list) or len(item) != 2 or item[1] not in ("asc", "desc"):
            raise QueryError("order_by", 'Each order_by item is [column index, "asc"|"desc"].')
        index = _int(item[0], "order_by", 0, count - 1)
        out.append((index, cast(Literal["asc", "desc"], item[1])))
    return tuple(out)


def parse(body: Any, mode: str, resolve: Resolver) -> Query:
    """Validate a request body for an endpoint (`query`, `real-time`, `sessions`, `events`,
    `real-time-events`) and build its `Query`."""
    body = _object(body, "")
    website_id = body.get("website_id")
    if not isinstance(website_id, str) or not _UUID.fullmatch(website_id):
        raise QueryError("website_id", "website_id is required and must be a UUID.")
    site = resolve(website_id.lower())
    if site is None:
        raise QueryError("website_id", f'Website "{website_id}" does not exist.')
    raw = mode in ("sessions", "events", "real-time-events")
    columns = _columns(body, raw)
    period = _period(body, mode, site)
    filters = _filters(body.get("filters"), "filters", raw=raw)
    metric_filters = None
    if raw:
        if body.get("metric_filters") is not None:
            raise QueryError("metric_filters", "metric_filters are not available in raw data.")
    else:
        metric_filters = _filters(body.get("metric_filters"), "metric_filters", raw=False)
    offset = _int(body.get("offset", 0), "offset", 0, 2**62)
    limit = _int(body.get("limit", 100), "limit", 1, MAX_LIMIT)
    order_by = () if raw else _order_by(body.get("order_by"), len(columns))
    options = body.get("options")
    if options is not None:
        _options(options)
    query_mode: Mode = "aggregate"
    if mode == "sessions":
        query_mode = "sessions"
    elif mode in ("events", "real-time-events"):
        query_mode = "events"
    return Query(
        website_ids=site.website_ids,
        period=period,
        columns=columns,
        filters=filters,
        metric_filters=metric_filters,
        order_by=order_by,
        offset=offset,
        limit=limit,
        mode=query_mode,
    )


def _options(options: Any) -> None:
    options = _object(options, "options")
    sampling = options.get("sampling")
    if sampling is not None and (
        isinstance(sampling, bool)
        or not isinstance(sampling, int | float)
        or not 0.01 <= sampling <= 1
    ):
        raise QueryError("options.sampling", "options.sampling must be a number in 0.01..1.")


def _filters(value: Any, parameter: str, *, raw: bool) -> FilterGroup | None:
    if value is None:
        return None
    counter = [0]
    return _group(value, parameter, raw=raw, depth=0, counter=counter)


def _group(value: Any, parameter: str, *, raw: bool, depth: int, counter: list[int]) -> FilterGroup:
    value = _object(value, parameter)
    if depth > MAX_FILTER_DEPTH:
        raise QueryError(parameter, f"Filters nest at most {MAX_FILTER_DEPTH} levels deep.")
    operator = value.get("operator")
    if operator not in ("and", "or"):
        raise QueryError(f"{parameter}.operator", 'operator must be "and" or "or".')
    conditions = value.get("conditions")
    where = f"{parameter}.conditions"
    if not isinstance(conditions, list) or not conditions:
        raise QueryError(where, "conditions must be a non-empty list.")
    out: list[Condition | FilterGroup] = []
    for item in conditions:
        counter[0] += 1
        if counter[0] > MAX_CONDITIONS:
            raise QueryError(where, f"At most {MAX_CONDITIONS} conditions.")
        if isinstance(item, Mapping) and "conditions" in item:
            out.append(_group(item, where, raw=raw, depth=depth + 1, counter=counter))
        else:
            out.append(_condition(item, where, raw=raw, kind=parameter.split(".")[0]))
    return FilterGroup(cast(Literal["and", "or"], operator), tuple(out))


def _condition(item: Any, parameter: str, *, raw: bool, kind: str) -> Condition:
    item = _object(item, parameter)
    ref = _column(item, parameter, raw=raw, in_filter=kind)
    condition = _object(item.get("condition"), f"{parameter}.condition")
    operator = condition.get("operator")
    type_ = column_type(ref)
    metric = is_metric(ref)
    allowed = operators_for(type_, metric, _nullable(ref))
    if operator not in allowed:
        raise QueryError(
            f"{parameter}.condition.operator",
            f'Operator "{operator}" is not valid for "{ref.key}" (type {type_}); '
            f"use one of {', '.join(sorted(allowed))}.",
        )
    value = _value(condition.get("value"), type_, operator, metric, f"{parameter}.condition.value")
    return Condition(ref, operator, value)


def _nullable(ref: ColumnRef) -> bool:
    return ref.transformation_id is None and catalog.columns()[ref.column_id].nullable


def operators_for(type_: str, metric: bool, nullable: bool) -> frozenset[str]:
    """The filter operators a column type accepts (api-notes §1.1)."""
    if metric:
        return NUMBER_OPERATORS
    if type_ in catalog.ENUM_TYPES:
        return ENUM_OPERATORS
    if type_ == "int(0,1)":
        ops = BOOLEAN_OPERATORS
    elif type_ in ("int", "float", "hex", "date", "datetime"):
        ops = NUMBER_OPERATORS
    elif type_ == "array":
        ops = BOOLEAN_OPERATORS
    else:  # str, ipv4, ipv6
        ops = STRING_OPERATORS
    return ops | NULL_OPERATORS if nullable else ops


def _value(value: Any, type_: str, operator: str, metric: bool, parameter: str) -> Any:
    """The filter value, converted to what the stored column compares with."""
    if operator in NULL_OPERATORS:
        return None
    if metric or type_ in ("int", "float", "int(0,1)", "array", "[int, str]"):
        return _number(value, parameter, integer=type_ in ("[int, str]", "array"))
    if type_ == "hex":
        if not isinstance(value, str) or not _HEX16.fullmatch(value):
            raise QueryError(parameter, "value must be a hex string of up to 16 digits.")
        return int(value, 16)
    if type_ in ("date", "datetime"):
        try:
            return dates.parse_moment(value, parameter)
        except dates.DateError as e:
            raise QueryError(e.parameter, e.detail) from None
    if not isinstance(value, str) or len(value) > 10_000:
        raise QueryError(parameter, "value must be a string (at most 10000 characters).")
    if operator in ("matches", "not_matches"):
        try:
            re.compile(value)
        except re.error as e:
            raise QueryError(parameter, f"value is not a valid regular expression: {e}.") from None
        if _NOT_RE2.search(value):
            raise QueryError(
                parameter, "value uses look-around or back-references, which RE2 does not support."
            )
    return value


def _number(value: Any, parameter: str, *, integer: bool) -> int | float:
    if isinstance(value, bool) and not integer:
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise QueryError(parameter, "value must be a number.")
    if isinstance(value, float) and (not math.isfinite(value) or integer):
        if integer and math.isfinite(value) and value.is_integer():
            return int(value)
        raise QueryError(
            parameter, "value must be a finite number" + (" (an id)." if integer else ".")
        )
    if isinstance(value, int) and not -(2**63) <= value < 2**64:
        raise QueryError(parameter, "value is out of range.")
    return value


def has_session_formula(ref: ColumnRef) -> bool:
    """Whether a metric column can be computed from session rows alone."""
    column = catalog.columns()[ref.column_id]
    if column.kind == "metric":
        return session_formula(ref.column_id, ref.goal_id) is not None
    return column.scope == "session"
