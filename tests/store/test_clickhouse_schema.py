"""ClickHouse schema: types per seed 001 Table 2, engines and keys, migrations, retention TTL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from footfall.model.columns import EVENT_COLUMNS, SESSION_COLUMNS
from footfall.store.clickhouse import (
    ClickHouseStore,
    Retention,
    migrator,
    parse_retention,
    parse_url,
)

APP_A = "0b6e6c34-2a59-4d6b-9a0e-6f1d5f1c2a01"
APP_B = "7f3d2a10-9c4e-4b8a-8f57-3e2d1c0b9a88"


@pytest.fixture
def store(chdb_dir: str) -> Iterator[ClickHouseStore]:
    """This module tests the ClickHouse backend only."""
    opened = ClickHouseStore(parse_url(f"chdb://{chdb_dir}"))
    opened.migrate()
    yield opened
    opened.close()


def _columns(store: ClickHouseStore, table: str) -> dict[str, str]:
    rows = store.execute(
        "SELECT name, type FROM system.columns WHERE database = currentDatabase()"
        " AND table = {p0:String} ORDER BY position",
        [table],
    )
    return {str(n): str(t) for n, t in rows}


def test_columns_follow_the_seed_database_types(store: ClickHouseStore) -> None:
    sessions, events = _columns(store, "sessions"), _columns(store, "events")
    assert list(sessions)[:-1] == [c.name for c in SESSION_COLUMNS]
    assert list(events)[:-1] == [c.name for c in EVENT_COLUMNS]
    assert sessions["write_id"] == events["write_id"] == "UInt64"
    expected = {
        "visitor_id": "UInt64",  # hex → uint64
        "visitor_returning": "UInt8",  # [int,str] enum → its id type
        "visitor_days_since_order": "Nullable(UInt16)",
        "session_total_time": "UInt32",
        "session_goals": "Array(Int32)",
        "operating_system": "LowCardinality(Nullable(String))",  # [str,str] string(3)
        "device_brand": "LowCardinality(Nullable(String))",
        "device_type": "Nullable(UInt8)",
        "location_latitude": "Nullable(Float64)",
        "website_id": "UUID",
        "timestamp": "DateTime64(6, 'UTC')",
        "local_time": "Nullable(Time)",
        "user_id": "String",
    }
    assert {k: sessions[k] for k in expected} == expected
    assert events["event_type"] == "UInt8"
    assert events["goal_id"] == "Nullable(Int32)"
    assert events["custom_event_category"] == "LowCardinality(String)"


def test_engines_partition_by_month_and_order_for_per_app_scans(store: ClickHouseStore) -> None:
    rows = dict(
        store.execute(
            "SELECT name, engine_full FROM system.tables WHERE database = currentDatabase()"
        )
    )
    assert str(rows["events"]).startswith(
        "MergeTree PARTITION BY toYYYYMM(timestamp)"
        " ORDER BY (website_id, toDate(timestamp), session_id, event_id)"
    )
    assert str(rows["sessions"]).startswith(
        "ReplacingMergeTree(session_version) PARTITION BY toYYYYMM(timestamp)"
        " ORDER BY (website_id, toDate(timestamp), session_id)"
    )


def test_missing_keys_take_the_declared_defaults(store: ClickHouseStore) -> None:
    store.write([{"website_id": APP_A}], [{"website_id": APP_A}], 1)
    [event] = store.session_events(APP_A, 0)
    [session] = store.recent_sessions(0.0)
    for columns, row in ((EVENT_COLUMNS, event), (SESSION_COLUMNS, session)):
        for column in columns:
            if column.name != "website_id":
                expected = None if column.nullable else column.default
                assert row[column.name] == expected, column.name


def test_migrate_twice_is_a_no_op(store: ClickHouseStore) -> None:
    store.write([], [], 5)
    store.migrate()
    assert store.checkpoint() == 5
    assert sorted(store.execute("SELECT version, name FROM schema_migrations")) == [
        (1, "initial"),
        (2, "event_custom_variables_6_10"),
    ]


def test_a_store_of_before_0002_gets_event_variables_6_to_10(store: ClickHouseStore) -> None:
    """The packaged 0002 brings a store made before it to model.columns (and may run twice)."""
    for k in range(6, 11):
        for part in ("key", "value"):
            store._writer.command(
                f"ALTER TABLE events DROP COLUMN event_custom_variable_{part}_{k}"
            )
    assert migrator.schema_drift(store._writer) != []
    [file] = [m for m in migrator.available() if m.version == 2]
    for _ in range(2):
        for statement in file.statements():
            store._writer.command(statement)
    assert migrator.schema_drift(store._writer) == []


def test_older_store_runs_pending_files_then_checks_drift(
    store: ClickHouseStore, tmp_path: Path
) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "0001_initial.sql").write_text("-- baseline\n")
    # 0003: the store fixture already holds the packaged 0001 and 0002
    (folder / "0003_extra.sql").write_text(
        "-- a column model.columns does not know\n"
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS extra UInt8;\n"
    )
    with pytest.raises(RuntimeError, match="unexpected \\('extra', 'UInt8'\\)"):
        migrator.migrate(store._writer, folder)
    # the file ran and was recorded before the drift check refused the result
    assert store.execute("SELECT max(version) FROM schema_migrations") == [(3,)]


def test_retention_sets_ttl_rules_per_app(chdb_dir: str) -> None:
    retention = parse_retention(f"395,{APP_A}=30,{APP_B}=0")
    store = ClickHouseStore(parse_url(f"chdb://{chdb_dir}"), retention)
    store.migrate()
    [(ddl,)] = store.execute(
        "SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = 'events'"
    )
    assert f"toIntervalDay(30) WHERE website_id = toUUID('{APP_A}')" in ddl
    assert f"toIntervalDay(395) WHERE website_id NOT IN (toUUID('{APP_A}'), toUUID('{APP_B}'))" in (
        ddl
    )
    store.close()
    forever = ClickHouseStore(parse_url(f"chdb://{chdb_dir}"))
    forever.migrate()  # an empty setting removes the rules again
    [(ddl,)] = forever.execute(
        "SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = 'sessions'"
    )
    assert " TTL " not in ddl
    forever.close()


def test_retention_deletes_rows_past_their_apps_limit(chdb_dir: str) -> None:
    store = ClickHouseStore(parse_url(f"chdb://{chdb_dir}"), parse_retention(f"0,{APP_A}=1"))
    store.migrate()
    old = 1_600_000_000.0  # 2020: older than a day
    rows = [
        {"website_id": app, "event_id": i, "timestamp": old} for i, app in enumerate((APP_A, APP_B))
    ]
    store.write(rows, [], 1)
    store._writer.command("OPTIMIZE TABLE events FINAL")  # a merge applies the TTL
    assert store.execute("SELECT toString(website_id) FROM events") == [(APP_B,)]
    store.close()


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("", Retention()),
        (" 0 ", Retention()),
        ("400", Retention(400)),
        (f"0, {APP_A.upper()} = 30", Retention(0, {APP_A: 30})),
    ],
)
def test_parse_retention(spec: str, expected: Retention) -> None:
    assert parse_retention(spec) == expected


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("forever", "whole number"),
        ("-5", "whole number"),
        ("30,abc=4", "not an app id"),
        (f"30,{APP_A}", "APP_ID=DAYS"),
        (f"30,{APP_A}=1,{APP_A}=2", "twice"),
        (f"30,{APP_A}=x", "whole number"),
    ],
)
def test_parse_retention_names_the_bad_part(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_retention(spec)


@given(st.text(max_size=60))
def test_parse_retention_only_ever_raises_value_error(spec: str) -> None:
    try:
        retention = parse_retention(spec)
    except ValueError:
        return
    # whatever parses yields rules that interpolate only numbers and canonical UUIDs
    for rule in retention.ttl_rules():
        for app in retention.app_days:
            assert str(uuid.UUID(app)) == app
        assert "'" not in rule.replace("toUUID('", "").replace("')", "")


@given(
    st.integers(0, 999_999),
    st.dictionaries(st.uuids().map(str), st.integers(0, 999_999), max_size=4),
)
def test_parse_retention_round_trips(default: int, apps: dict[str, int]) -> None:
    spec = ",".join([str(default), *(f"{app}={days}" for app, days in apps.items())])
    assert parse_retention(spec) == Retention(default, apps)
