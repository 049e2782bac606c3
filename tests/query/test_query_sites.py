"""Queries over several websites: session ids repeat across websites, the join must not mix them.

The compiler joins events to sessions on the session id alone when the query reads one website
(both sides are limited to it); these tests pin that a query over two websites whose session ids
collide still joins each event to its own website's session.
"""

from __future__ import annotations

from footfall.query.compile import Compiler
from footfall.query.dialects import by_name
from footfall.query.execute import run
from footfall.query.parse import Site, parse
from footfall.store.base import EventStore

from .conftest import OTHER, TIMEZONE, WEBSITE

BODY = {
    "date_from": "2026-11-06",
    "date_to": "2026-11-09",
    "columns": [{"column_id": "browser_name"}, {"column_id": "page_views"}],
    "filters": {  # a session column in an event-scoped query: events join sessions
        "operator": "and",
        "conditions": [{"column_id": "event_type", "condition": {"operator": "eq", "value": 1}}],
    },
}


def _rows(store: EventStore, sites: tuple[str, ...]) -> dict[str, int]:
    compiler = Compiler(by_name(store.dialect))  # the store's own dialect (DuckDB or ClickHouse)
    query = parse({"website_id": WEBSITE, **BODY}, "query", lambda w: Site(sites, TIMEZONE))
    assert compiler.compile(query).scope == "event"
    return {str(row[0]): row[1] for row in run(store, compiler, query, {}).rows}


def test_two_websites_sum_their_own_answers(query_store: EventStore) -> None:
    one, other = _rows(query_store, (WEBSITE,)), _rows(query_store, (OTHER,))
    both = _rows(query_store, (WEBSITE, OTHER))
    # OTHER's sessions 1..5 share their ids with WEBSITE's: a join on the id alone would pair
    # each of their events with both websites' sessions and count it twice
    assert set(other) <= set(one)
    assert both == {key: one[key] + other.get(key, 0) for key in one}
    assert sum(other.values()) > 0
