"""A later row back-dated behind its page view (a Pirsch batch `time`) gives 0 s on the page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from footfall.query.execute import run
from footfall.query.model import ColumnRef, Period, Query
from footfall.store.clickhouse import ClickHouseStore, parse_url
from footfall.store.duckdb import DuckDBStore

from .conftest import AnyStore, compiler_for

WEBSITE = "0b6e6c34-2a59-4d6b-9a0e-6f1d5f1c2a01"
T0 = datetime(2026, 11, 2, 12).timestamp() - datetime(1970, 1, 1).timestamp()


@pytest.mark.parametrize("backend", ("duckdb", "chdb"))
def test_time_on_page_is_never_negative(tmp_path: Path, backend: str) -> None:
    store: AnyStore = (
        DuckDBStore(str(tmp_path / "events.duckdb"))
        if backend == "duckdb"
        else ClickHouseStore(parse_url(f"chdb://{tmp_path / 'chdb'}"))
    )
    store.migrate()
    base = {"website_id": WEBSITE, "session_id": 1}
    events = [
        {
            **base,
            "event_id": 1,
            "event_index": 0,
            "event_type": 1,
            "timestamp": T0,
            "page_view_index": 0,
            "is_entry": 1,
            "event_url": "https://a.example/x",
        },
        {**base, "event_id": 2, "event_index": 1, "event_type": 5, "timestamp": T0 - 4},
    ]
    session = {
        **base,
        "session_version": 1,
        "timestamp": T0 - 4,
        "last_event_time": T0,
        "visitor_id": 1,
        "session_total_page_views": 1,
    }
    store.write(events, [session], checkpoint=1)
    query = Query(
        website_ids=(WEBSITE,),
        period=Period(datetime(2026, 11, 2), datetime(2026, 11, 3), "UTC"),
        columns=(ColumnRef("time_on_page", "max"),),
    )
    try:
        assert run(store, compiler_for(store), query, {}).rows == [[0]]
    finally:
        store.close()
