"""ClickHouseStore writes: validation before insert, uncommitted rows discarded, replay after a crash."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from footfall.store.clickhouse import ClickHouseStore, parse_url
from footfall.store.clickhouse import store as store_module

T0 = 1_700_000_000.0
RowFactory = Callable[..., dict[str, Any]]


@pytest.fixture
def store(chdb_dir: str) -> Iterator[ClickHouseStore]:
    """This module tests the ClickHouse backend only."""
    opened = ClickHouseStore(parse_url(f"chdb://{chdb_dir}"))
    opened.migrate()
    yield opened
    opened.close()


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        ({"website_id": None}, "UUID"),  # the tenant key is required
        ({"website_id": "not-a-uuid"}, "UUID"),  # ClickHouse would store the zero UUID
        ({"local_time": "25:99:00"}, "time of day"),  # ClickHouse would store 26:39:00
    ],
)
def test_invalid_event_writes_nothing(
    store: ClickHouseStore, event: RowFactory, bad: dict[str, object], error: str
) -> None:
    with pytest.raises(ValueError, match=error):
        store.write([event(1, 0), event(1, 1, **bad)], [], 8)
    assert (store.checkpoint(), store.counts()["events"]) == (0, 0)


def test_out_of_range_value_and_negative_checkpoint_write_nothing(
    store: ClickHouseStore, event: RowFactory
) -> None:
    with pytest.raises((OverflowError, ValueError)):
        store.write([event(1, 0, event_id=-1)], [], 1)
    with pytest.raises(ValueError, match="checkpoint"):
        store.write([event(1, 0)], [], -1)
    assert (store.checkpoint(), store.counts()["events"]) == (0, 0)


def test_failed_commit_discards_the_rows_already_inserted(
    store: ClickHouseStore, event: RowFactory, session: RowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.write([event(1, 0)], [session(1, 1)], 3)
    # The events and sessions inserts succeed; the commit row then fails on the server.
    monkeypatch.setattr(store_module, "_COMMIT", "INSERT INTO no_such_table VALUES (1)")
    with pytest.raises(Exception, match="no_such_table"):
        store.write([event(2, 0), event(2, 1)], [session(1, 2, is_bounce=1), session(2)], 4)
    monkeypatch.undo()
    assert store.checkpoint() == 3
    assert store.counts() == {"events": 1, "sessions": 1, "visitors": 1, "bounces": 0}
    [kept] = store.recent_sessions(0.0)
    assert kept["session_version"] == 1  # the uncommitted version 2 is gone too
    store.write([event(2, 0), event(2, 1)], [session(2)], 4)  # usable after the failure
    assert (store.checkpoint(), store.counts()["events"]) == (4, 3)


_CRASHING_WRITER = """
import os, sys
sys.path.insert(0, {tests!r})
from conftest import _event, _session
from footfall.store.clickhouse import ClickHouseStore, parse_url

store = ClickHouseStore(parse_url({url!r}))
store.migrate()
store.write([_event(1, 0), _event(1, 1)], [_session(1, 1)], 5)
# the process dies at the commit point: rows inserted, checkpoint row never written
store._writer.command = lambda *args, **kwargs: os._exit(17)
store.write([_event(2, 0), _event(2, 1), _event(2, 2)], [_session(1, 2), _session(2, 1)], 9)
"""


def test_replay_after_a_crash_before_the_checkpoint_stores_each_row_once(
    chdb_dir: str, event: RowFactory, session: RowFactory, website: str
) -> None:
    url = f"chdb://{chdb_dir}"
    tests = str(__import__("pathlib").Path(__file__).parent)
    script = textwrap.dedent(_CRASHING_WRITER.format(tests=tests, url=url))
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert child.returncode == 17, child.stderr.decode()[-2000:]

    store = ClickHouseStore(parse_url(url))
    try:
        [(stray,)] = store._reader.query(
            "SELECT count() FROM events WHERE write_id > 1"
        ).result_rows
        assert stray == 3  # the crashed write's rows are on disk before migrate()
        store.migrate()
        assert store.checkpoint() == 5
        assert store.counts() == {"events": 2, "sessions": 1, "visitors": 1, "bounces": 0}
        # the pipeline replays the spool after seq 5: the same rows (same event ids) again
        store.write([event(2, 0), event(2, 1), event(2, 2)], [session(1, 2), session(2, 1)], 9)
        assert store.checkpoint() == 9
        assert store.counts() == {"events": 5, "sessions": 2, "visitors": 1, "bounces": 0}
        [(ids, distinct)] = store.execute("SELECT count(), uniqExact(event_id) FROM events")
        assert ids == distinct == 5
        assert [e["event_index"] for e in store.session_events(website, 2)] == [0, 1, 2]
    finally:
        store.close()


def test_reads_see_the_newest_session_version_before_any_merge(
    store: ClickHouseStore, session: RowFactory, website: str
) -> None:
    store.write([], [session(1, 1, visitor_id=42, last_event_time=T0 + 10)], 1)
    # a uid seen mid-session re-versions the session under another visitor id
    store.write([], [session(1, 2, visitor_id=7, last_event_time=T0 + 20)], 2)
    [(parts,)] = store._reader.query(
        "SELECT count() FROM system.parts WHERE database = currentDatabase()"
        " AND table = 'sessions' AND active"
    ).result_rows
    assert parts == 2  # not merged: FINAL does the work at read time
    assert store.visitor_history(website, 42, T0 + 3600) is None
    assert store.visitor_history(website, 7, T0 + 3600) is not None
    assert [(s["session_version"], s["visitor_id"]) for s in store.recent_sessions(T0)] == [(2, 7)]
    assert store.counts()["sessions"] == 1


def test_reopened_directory_keeps_rows_and_checkpoint(
    chdb_dir: str, event: RowFactory, session: RowFactory, website: str
) -> None:
    first = ClickHouseStore(parse_url(f"chdb://{chdb_dir}"))
    first.migrate()
    first.write([event(1, 0), event(1, 1)], [session(1, 1)], 11)
    first.write([], [session(1, 2, is_bounce=1)], 12)
    first.close()
    first.close()  # idempotent
    again = ClickHouseStore(parse_url(f"chdb://{chdb_dir}"))
    again.migrate()
    assert again.checkpoint() == 12
    assert again.counts(website) == {"events": 2, "sessions": 1, "visitors": 1, "bounces": 1}
    again.write([event(1, 2)], [], 13)  # write ids continue after the committed one
    assert again.counts()["events"] == 3
    again.close()
    with pytest.raises(RuntimeError, match="closed"):
        again.checkpoint()
