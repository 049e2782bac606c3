"""The ClickHouse dialect's SQL text: typed placeholders, FINAL sessions, combinator aggregates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from footfall.query.compile import Compiler
from footfall.query.dialects import ClickHouseDialect, DuckDBDialect, by_name
from footfall.query.parse import parse

from .conftest import WEBSITE, resolve

CH = ClickHouseDialect()


@pytest.mark.parametrize(
    ("value", "placeholder"),
    [
        ("x", "{p0:String}"),
        (7, "{p0:Int64}"),
        (2**64 - 1, "{p0:UInt64}"),  # hex ids up to 16 digits
        (1.5, "{p0:Float64}"),
        (True, "{p0:Bool}"),
        (datetime(2026, 11, 6, tzinfo=UTC), "{p0:DateTime64(6, 'UTC')}"),
        (date(2026, 11, 6), "{p0:Date}"),
    ],
)
def test_placeholders_carry_the_type_of_their_value(value: Any, placeholder: str) -> None:
    assert CH.bind(1, value) == placeholder


@given(st.integers(min_value=-(2**63), max_value=2**64 - 1))
def test_every_integer_has_a_placeholder_type_that_holds_it(value: int) -> None:
    kind = CH.bind(3, value)
    assert kind == ("{p2:UInt64}" if value >= 2**63 else "{p2:Int64}")


def test_an_unknown_value_type_is_refused() -> None:
    with pytest.raises(TypeError, match="no ClickHouse placeholder type"):
        CH.bind(1, object())


def test_aggregates_use_combinators_and_give_null_for_no_rows() -> None:
    assert CH.aggregate("count", None, None) == "count()"
    assert CH.aggregate("count", None, "x = 1") == "countIf(x = 1)"
    assert CH.aggregate("count_distinct", "v", "x = 1") == "uniqExactIf(v, x = 1)"
    assert CH.aggregate("sum", "v", None) == "sumOrNull(v)"
    assert CH.aggregate("median", "v", "x = 1") == "quantileExactInclusiveIfOrNull(0.5)(v, x = 1)"


def test_the_compiler_reads_sessions_final_and_binds_every_value() -> None:
    body = {
        "website_id": WEBSITE,
        "date_from": "2026-11-06",
        "date_to": "2026-11-09",
        "columns": [{"column_id": "browser_name"}, {"column_id": "visitors"}],
        "filters": {
            "operator": "and",
            "conditions": [
                {"column_id": "browser_name", "condition": {"operator": "eq", "value": "x'--"}}
            ],
        },
    }
    compiled = Compiler(CH).compile(parse(body, "query", resolve))
    assert "FROM sessions AS s FINAL" in compiled.sql
    assert "x'--" not in compiled.sql and "x'--" in compiled.params
    assert "uniqExact(" in compiled.sql
    # one placeholder per parameter, numbered from p0 as the store binds them
    for i, value in enumerate(compiled.params):
        assert CH.bind(i + 1, value) in compiled.sql


def test_dialects_by_store_name() -> None:
    assert isinstance(by_name("duckdb"), DuckDBDialect)
    assert isinstance(by_name("clickhouse"), ClickHouseDialect)
    with pytest.raises(ValueError, match="no query dialect 'sqlite'"):
        by_name("sqlite")
