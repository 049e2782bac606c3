"""EventStore.write (every backend): values round-trip, defaults, newest session version, checkpoint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from footfall.store.clickhouse import ClickHouseStore
from footfall.store.duckdb import DuckDBStore

T0 = 1_700_000_000.0
RowFactory = Callable[..., dict[str, Any]]
AnyStore = DuckDBStore | ClickHouseStore


def test_round_trip_keeps_values_and_converts_time(
    store: AnyStore, event: RowFactory, session: RowFactory, website: str
) -> None:
    written_event = event(
        1,
        0,
        timestamp=T0 + 0.25,
        local_time="23:59:07",
        event_url="https://example.com/a?b=1",
        custom_event_value=2.5,
        goal_id=-3,
        ecommerce_items='[["sku", "name", "cat", 9.99, 1]]',
    )
    written_session = session(
        1,
        2,
        visitor_id=2**64 - 1,  # a 64-bit hash uses the whole UBIGINT range
        local_time="08:00:00",
        session_goals=[3, 1],
        location_latitude=52.2,
        session_entry_url="https://example.com/",
        browser_name="CH",
    )
    store.write([written_event], [written_session], 9)
    [read_event] = store.session_events(website, 1)
    [read_session] = store.recent_sessions(T0)
    assert {k: read_event[k] for k in written_event} == written_event
    assert {k: read_session[k] for k in written_session} == written_session
    assert read_event["previous_event_url"] == ""  # missing non-nullable → default
    assert read_event["page_generation_time"] is None  # missing nullable → NULL
    assert read_session["visitor_session_number"] == 1  # declared default
    assert read_session["referrer_type"] == 1
    assert read_session["operating_system"] is None


def test_none_in_a_non_nullable_column_takes_the_default(
    store: AnyStore, event: RowFactory, website: str
) -> None:
    store.write([event(1, 0, event_title=None, event_type=None)], [], 1)
    [row] = store.session_events(website, 1)
    assert (row["event_title"], row["event_type"]) == ("", 1)


def test_newest_session_version_wins_within_one_batch(store: AnyStore, session: RowFactory) -> None:
    batch = [session(1, 2, user_id="b"), session(1, 3, user_id="c"), session(1, 1, user_id="a")]
    store.write([], batch, 1)
    assert [(s["session_version"], s["user_id"]) for s in store.recent_sessions(0.0)] == [(3, "c")]


def test_newest_session_version_wins_across_batches(
    store: AnyStore, session: RowFactory, other_website: str
) -> None:
    store.write([], [session(1, 1, user_id="a"), session(2, 5, user_id="x")], 1)
    store.write([], [session(1, 2, user_id="b"), session(2, 4, user_id="stale")], 2)
    store.write([], [session(1, 2, user_id="b again"), session(1, website_id=other_website)], 3)
    rows = {(s["website_id"], s["session_id"]): s for s in store.recent_sessions(0.0)}
    assert len(rows) == 3  # same session_id on another website is another session
    assert [
        (s["session_version"], s["user_id"]) for s in rows.values() if s["session_id"] == 2
    ] == [(5, "x")]
    kept = [s for s in rows.values() if s["session_id"] == 1 and s["session_version"] == 2]
    assert [s["user_id"] for s in kept] == ["b again"]  # an equal version replaces (replays)
    assert store.counts()["sessions"] == 3


def test_checkpoint_advances_with_the_rows(
    store: AnyStore, event: RowFactory, session: RowFactory
) -> None:
    assert store.checkpoint() == 0
    store.write([event(1, 0), event(1, 1)], [session(1)], 17)
    assert store.checkpoint() == 17
    store.write([], [], 18)  # a batch of dropped hits still moves the checkpoint
    assert store.checkpoint() == 18
    assert store.counts() == {"events": 2, "sessions": 1, "visitors": 1, "bounces": 0}
