"""Differential: the same rows in DuckDB and in chDB give the same answer to every catalog column.

Each stored column the fixture rows leave unset gets a value from the session number (strings
with cases and URLs, numbers, NULLs where nullable), so every dimension has several groups. Every
catalog column is asked alone (metrics) or grouped with `sessions` (dimensions), and with each
transformation the catalog allows; the two backends must agree cell by cell, or both refuse.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from footfall.model.columns import EVENT_COLUMNS, SESSION_COLUMNS, Column
from footfall.query import catalog
from footfall.query.compile import Compiler
from footfall.query.dialects import ClickHouseDialect, DuckDBDialect
from footfall.query.execute import Reader, Result, run
from footfall.query.parse import QueryError, parse
from footfall.store.clickhouse import ClickHouseStore, parse_url
from footfall.store.duckdb import DuckDBStore

from .conftest import OTHER, WEBSITE, _rows, resolve

pytestmark = pytest.mark.clickhouse

PERIOD = {"date_from": "2026-11-06", "date_to": "2026-11-09"}
_WORDS = ("", "Alpha", "beta Gamma", "DELTA-δ")
_KEEP = {"website_id", "event_id", "session_id", "session_version", "event_index", "visitor_id"}


def _filled(column: Column, sid: int, i: int) -> Any:
    """A value of `column` for session `sid` (i: the column's position, to vary the pattern)."""
    k = sid + i
    if column.nullable and k % 5 == 0:
        return None
    if column.type == "VARCHAR":
        if "url" in column.name:
            return f"https://Ex{k % 3}.example.com/a/{k % 4}?q={k}#f" if k % 6 else ""
        return _WORDS[k % len(_WORDS)]
    if column.type == "DOUBLE":
        return (k % 7) * 1.25
    if column.type == "TIME":
        return f"{k % 24:02d}:{k % 60:02d}:00"
    if column.type in ("UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "INTEGER"):
        return k % 4
    return None  # timestamps, UUIDs, lists: the fixture rows set the ones that matter


def _enrich(rows: list[dict[str, Any]], columns: tuple[Column, ...]) -> None:
    for row in rows:
        sid = int(row["session_id"])
        for i, column in enumerate(columns):
            if column.name in row or column.name in _KEEP:
                continue
            value = _filled(column, sid, i)
            if value is not None:
                row[column.name] = value


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Reader, Reader]]:
    """(DuckDB, chDB) holding the same enriched rows."""
    d: Path = tmp_path_factory.mktemp("backends")
    duck = DuckDBStore(str(d / "events.duckdb"))
    ch = ClickHouseStore(parse_url(f"chdb://{d / 'chdb'}"))
    try:
        for store in (duck, ch):
            store.migrate()
        for website, n in ((WEBSITE, 40), (OTHER, 5)):
            events, sessions = _rows(website, n)
            _enrich(events, EVENT_COLUMNS)
            _enrich(sessions, SESSION_COLUMNS)
            for store in (duck, ch):
                store.write(events, sessions, checkpoint=n)
        yield duck, ch
    finally:
        ch.close()
        duck.close()


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _answer(store: Reader, compiler: Compiler, body: dict[str, Any], mode: str) -> Result | str:
    try:
        query = parse({"website_id": WEBSITE, **PERIOD, "limit": 1000, **body}, mode, resolve)
        return run(store, compiler, query, {})
    except (QueryError, ValueError) as e:
        return f"refused: {type(e).__name__}"
    except Exception as e:  # an engine error is a difference to report, with the others
        return f"error: {str(e)[:300]}"


def _requests() -> list[tuple[str, dict[str, Any]]]:
    """(mode, body) of every catalog column, plain and with each of its transformations.

    A column's dimension → metric transformations share one request (alone, and by day): one
    column per request would take a minute on 2 cores for nothing more.
    """
    by_day = {"column_id": "timestamp", "transformation_id": "to_date"}
    out: list[tuple[str, dict[str, Any]]] = []
    for column in catalog.columns().values():
        if column.integration is not None:
            continue
        metrics: list[dict[str, Any]] = []
        if column.kind == "metric":
            metrics.append({"column_id": column.id})
        else:
            out.append(
                ("query", {"columns": [{"column_id": column.id}, {"column_id": "sessions"}]})
            )
        for t in catalog.transformations_for(column):
            spec = {"column_id": column.id, "transformation_id": t.id}
            if t.kind == "metric":
                metrics.append(spec)
            else:
                out.append(("query", {"columns": [spec, {"column_id": "sessions"}]}))
        if metrics:
            out.append(("query", {"columns": metrics}))
            out.append(("query", {"columns": [by_day, *metrics]}))
    # transformed event dimensions next to window columns are computed below the windows
    path = {"column_id": "event_url", "transformation_id": "to_path"}
    for window in (
        {"column_id": "time_on_page", "transformation_id": "average"},
        {"column_id": "exits"},
        {"column_id": "next_event_url"},
    ):
        out.append(("query", {"columns": [path, window, {"column_id": "page_views"}]}))
    title = {"column_id": "event_url", "transformation_id": "strip_qs"}
    out.append(
        (
            "query",
            {"columns": [path, title, {"column_id": "time_on_page", "transformation_id": "sum"}]},
        )
    )
    return out


REQUESTS = _requests()


def _compare(stores: tuple[Reader, Reader], mode: str, body: dict[str, Any]) -> str | None:
    """None when both backends agree, else a description of the first difference."""
    duck, ch = stores
    a = _answer(duck, Compiler(DuckDBDialect()), body, mode)
    b = _answer(ch, Compiler(ClickHouseDialect()), body, mode)
    if isinstance(a, str) or isinstance(b, str):
        return None if a == b else f"{body}: duckdb {a if isinstance(a, str) else 'answered'}, {b}"
    if a.count != b.count or len(a.rows) != len(b.rows):
        return f"{body}: {a.count} rows vs {b.count}: {a.rows[:3]} / {b.rows[:3]}"
    for ra, rb in zip(a.rows, b.rows, strict=True):
        if not _same(ra, rb):
            return f"{body}: duckdb {ra} vs chdb {rb}"
    return None


def test_every_catalog_column_gives_the_same_answer(stores: tuple[Reader, Reader]) -> None:
    assert len(REQUESTS) > 500  # every column, every transformation
    differences = [d for mode, body in REQUESTS if (d := _compare(stores, mode, body))]
    assert not differences, f"{len(differences)} differences:\n" + "\n".join(differences[:30])


def test_both_backends_refuse_a_regular_expression_re2_rejects(
    stores: tuple[Reader, Reader],
) -> None:
    """Python's `re` accepts a{1001}; RE2 (both engines) caps repetitions at 1000: a 400, not a 500."""
    condition = {"column_id": "event_url", "condition": {"operator": "matches", "value": "a{1001}"}}
    body = {
        "columns": [{"column_id": "event_url"}, {"column_id": "page_views"}],
        "filters": {"operator": "and", "conditions": [condition]},
    }
    duck, ch = stores
    assert _answer(duck, Compiler(DuckDBDialect()), body, "query") == "refused: ValueError"
    assert _answer(ch, Compiler(ClickHouseDialect()), body, "query") == "refused: ValueError"
