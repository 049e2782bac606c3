"""Fixtures of the query-model tests: a real DuckDB and a real chDB store holding known sessions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from footfall.query.compile import Compiler
from footfall.query.dialects import by_name
from footfall.query.parse import Site
from footfall.store.clickhouse import ClickHouseStore, parse_url
from footfall.store.duckdb import DuckDBStore

WEBSITE = "0b6e6c34-2a59-4d6b-9a0e-6f1d5f1c2a01"
OTHER = "7f3d2a10-9c4e-4b8a-8f57-3e2d1c0b9a88"
T0 = 1_794_000_000.0  # 2026-11-06 21:20 UTC
TIMEZONE = "Europe/Warsaw"


def _rows(website: str, sessions: int) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Sessions of 1..4 page views plus a custom event and an order now and then."""
    events: list[dict[str, object]] = []
    rows: list[dict[str, object]] = []
    for sid in range(1, sessions + 1):
        start = T0 + sid * 1800
        pages = 1 + sid % 4
        types = [1] * pages + ([5] if sid % 3 == 0 else []) + ([9] if sid % 5 == 0 else [])
        for i, t in enumerate(types):
            events.append(
                {
                    "website_id": website,
                    "event_id": sid * 100 + i,
                    "session_id": sid,
                    "timestamp": start + 30 * i,
                    "event_index": i,
                    "event_type": t,
                    "page_view_index": i if t == 1 else None,
                    "is_entry": int(i == 0),
                    "event_url": f"https://shop.example.com/p{i}?x={sid}#top",
                    "event_title": f"Page {i}",
                    "custom_event_category": "Video" if t == 5 else "",
                    "revenue": 10.0 * sid if t == 9 else None,
                    "order_id": f"O{sid}" if t == 9 else "",
                }
            )
        rows.append(
            {
                "website_id": website,
                "session_id": sid,
                "session_version": 1,
                "timestamp": start,
                "last_event_time": start + 30 * (len(types) - 1),
                "visitor_id": sid % 7,
                "session_total_events": len(types),
                "session_total_page_views": pages,
                "session_unique_page_views": pages,
                "session_total_custom_events": types.count(5),
                "session_total_ecommerce_conversions": types.count(9),
                "session_total_time": 30 * (len(types) - 1),
                "is_bounce": int(pages == 1 and 9 not in types),
                "device_type": sid % 3,
                "referrer_type": (1, 2, 3, 6, 7)[sid % 5],
                "browser_name": ("CH", "FF", None)[sid % 3],
                "location_country_name": ("PL", "DE")[sid % 2],
                "session_goals": [1] if sid % 4 == 0 else [],
            }
        )
    return events, rows


#: a store of either backend (both answer `execute` with their dialect's SQL)
AnyStore = DuckDBStore | ClickHouseStore


def compiler_for(store: AnyStore) -> Compiler:
    """The compiler of the store's dialect, as the server picks it."""
    return Compiler(by_name(store.dialect))


# why module scope: chDB runs one engine directory per process, so the chDB store must be closed
# before another test module opens its own
@pytest.fixture(scope="module", params=("duckdb", "chdb"))
def query_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AnyStore]:
    """A migrated DuckDB file or chDB directory with 40 sessions of WEBSITE and 5 of OTHER."""
    path: Path = tmp_path_factory.mktemp("query")
    store: AnyStore = (
        DuckDBStore(str(path / "events.duckdb"))
        if request.param == "duckdb"
        else ClickHouseStore(parse_url(f"chdb://{path / 'chdb'}"))
    )
    store.migrate()
    for website, n in ((WEBSITE, 40), (OTHER, 5)):
        events, sessions = _rows(website, n)
        store.write(events, sessions, checkpoint=n)
    yield store
    store.close()


def resolve(website_id: str) -> Site | None:
    """The two known websites; anything else does not exist."""
    return Site((website_id,), TIMEZONE) if website_id in (WEBSITE, OTHER) else None
