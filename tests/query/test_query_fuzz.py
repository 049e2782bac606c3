"""Hypothesis: random valid queries compile and run on DuckDB; random invalid ones are refused
with a QueryError naming a parameter (the API's 400), never anything else."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footfall.model.columns import EVENT_COLUMN_NAMES
from footfall.query import catalog
from footfall.query.execute import run
from footfall.query.metrics import GOAL_METRICS
from footfall.query.model import ColumnRef
from footfall.query.parse import QueryError, is_metric, operators_for, parse

from .conftest import WEBSITE, AnyStore, compiler_for, resolve

USABLE = sorted(c.id for c in catalog.columns().values() if c.integration is None)
DIMENSIONS = sorted(c for c in USABLE if catalog.columns()[c].kind == "dimension")
EVENT_DIMENSIONS = [c for c in DIMENSIONS if catalog.columns()[c].scope == "event"]
SESSION_DIMENSIONS = [c for c in DIMENSIONS if c not in EVENT_DIMENSIONS]
FAST = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def column(draw: st.DrawFn, pool: list[str] = USABLE, raw: bool = False) -> dict[str, Any]:
    column_id = draw(st.sampled_from(pool))
    spec: dict[str, Any] = {"column_id": column_id}
    allowed = catalog.transformations_for(catalog.columns()[column_id])
    if raw:
        allowed = [t for t in allowed if t.kind == "dimension"]
    if allowed and draw(st.booleans()):
        spec["transformation_id"] = draw(st.sampled_from(allowed)).id
    if column_id in GOAL_METRICS and draw(st.booleans()):
        spec["goal_id"] = draw(st.integers(0, 5))
    return spec


def _value(type_: str, metric: bool) -> st.SearchStrategy[Any]:
    if metric or type_ in ("int", "float", "int(0,1)", "array", "[int, str]"):
        return st.integers(0, 70_000)
    if type_ == "hex":
        return st.integers(0, 2**64 - 1).map(lambda v: f"{v:016x}")
    if type_ in ("date", "datetime"):
        return st.dates().map(lambda d: d.isoformat())
    return st.text(max_size=12)


@st.composite
def condition(draw: st.DrawFn, pool: list[str], metric_filter: bool = False) -> dict[str, Any]:
    spec = draw(column(pool))
    ref = ColumnRef(spec["column_id"], spec.get("transformation_id"), spec.get("goal_id"))
    if is_metric(ref) != metric_filter:
        spec = {"column_id": "sessions"} if metric_filter else {"column_id": "device_type"}
        ref = ColumnRef(spec["column_id"])
    from footfall.query.parse import column_type

    type_ = column_type(ref)
    nullable = ref.transformation_id is None and catalog.columns()[ref.column_id].nullable
    operator = draw(st.sampled_from(sorted(operators_for(type_, is_metric(ref), nullable))))
    value = draw(_value(type_, is_metric(ref)))
    if operator in ("matches", "not_matches"):
        value = draw(st.sampled_from(["^/p[0-9]", "shop", "(a|b)+", ""]))
    return {**spec, "condition": {"operator": operator, "value": value}}


def filters(pool: list[str], metric: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    leaf = condition(pool, metric)
    return st.recursive(
        st.builds(
            lambda op, cs: {"operator": op, "conditions": cs},
            st.sampled_from(["and", "or"]),
            st.lists(leaf, min_size=1, max_size=3),
        ),
        lambda inner: st.builds(
            lambda op, cs: {"operator": op, "conditions": cs},
            st.sampled_from(["and", "or"]),
            st.lists(inner | leaf, min_size=1, max_size=3),
        ),
        max_leaves=5,
    )


@st.composite
def valid_query(draw: st.DrawFn) -> dict[str, Any]:
    columns = draw(st.lists(column(), min_size=1, max_size=5))
    body: dict[str, Any] = {
        "website_id": WEBSITE,
        "columns": columns,
        "offset": draw(st.integers(0, 50)),
        "limit": draw(st.integers(1, 100)),
    }
    if draw(st.booleans()):
        body["relative_date"] = draw(st.sampled_from(["today", "last_week", "last_30_days"]))
    else:
        body.update(date_from="2026-11-06", date_to="2026-11-09")
    if draw(st.booleans()):
        body["filters"] = draw(filters(DIMENSIONS))
    if draw(st.booleans()):
        body["metric_filters"] = draw(filters(USABLE, metric=True))
    if draw(st.booleans()):
        body["order_by"] = [
            [draw(st.integers(0, len(columns) - 1)), draw(st.sampled_from(["asc", "desc"]))]
        ]
    return body


@FAST
@given(body=valid_query())
def test_valid_queries_compile_and_run(query_store: AnyStore, body: dict[str, Any]) -> None:
    query = parse(body, "query", resolve)
    result = run(query_store, compiler_for(query_store), query, {})
    assert len(result.columns) == len(body["columns"])
    assert all(len(row) == len(body["columns"]) for row in result.rows)
    assert len(result.rows) <= body["limit"]
    assert result.count >= len(result.rows)


@FAST
@given(
    columns=st.lists(column(SESSION_DIMENSIONS, raw=True), min_size=1, max_size=4),
    where=st.none() | filters(SESSION_DIMENSIONS),
    mode=st.sampled_from(["sessions", "events"]),
    extra=st.lists(column(EVENT_DIMENSIONS, raw=True), max_size=2),
)
def test_raw_queries_compile_and_run(
    query_store: AnyStore,
    columns: list[dict[str, Any]],
    where: dict[str, Any] | None,
    mode: str,
    extra: list[dict[str, Any]],
) -> None:
    if mode == "events":
        columns = columns + extra
    body: dict[str, Any] = {
        "website_id": WEBSITE,
        "columns": columns,
        "date_from": "2026-11-06",
        "date_to": "2026-11-09",
    }
    if where:
        body["filters"] = where
    result = run(query_store, compiler_for(query_store), parse(body, mode, resolve), {})
    prefix = 3 if mode == "sessions" else 4
    assert all(len(row) == prefix + len(columns) for row in result.rows)
    assert len(result.rows) == min(result.count, 100)
    if mode == "sessions" and where is None:
        assert result.count == 40


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
MUTATIONS = st.sampled_from(
    [
        ("columns", JSON),
        ("filters", JSON),
        ("metric_filters", JSON),
        ("order_by", JSON),
        ("limit", JSON),
        ("offset", JSON),
        ("date_from", JSON),
        ("relative_date", JSON),
        ("website_id", JSON),
        ("options", JSON),
    ]
)


@FAST
@given(base=valid_query(), mutation=MUTATIONS, data=st.data())
def test_invalid_queries_name_the_parameter(
    query_store: AnyStore, base: dict[str, Any], mutation: tuple[str, Any], data: st.DataObject
) -> None:
    key, strategy = mutation
    body = {**base, key: data.draw(strategy)}
    try:
        query = parse(body, "query", resolve)
    except QueryError as e:
        assert e.status == 400
        assert e.parameter.split(".")[0] in {
            key,
            "columns",
            "filters",
            "metric_filters",
            "date_from",
            "date_to",
            "relative_date",
            "order_by",
        }
        return
    run(
        query_store, compiler_for(query_store), query, {}
    )  # a mutation that stayed valid must still run


@FAST
@given(
    body=JSON,
    mode=st.sampled_from(["query", "sessions", "events", "real-time", "real-time-events"]),
)
def test_any_json_is_a_query_or_a_named_error(body: Any, mode: str) -> None:
    try:
        parse(body, mode, resolve)
    except QueryError as e:
        assert e.parameter is not None and e.detail


def test_every_stored_event_column_of_the_catalog_exists() -> None:
    stored = set(EVENT_COLUMN_NAMES)
    for c in EVENT_DIMENSIONS:
        assert c in stored or c in catalog.WINDOW_COLUMNS, c
    assert catalog.check_storage() == []
