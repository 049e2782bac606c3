"""ClickHouse event store (scale-out): a ClickHouse server, or chDB in-process."""

from footfall.store.clickhouse.clients import Target, parse_url
from footfall.store.clickhouse.retention import Retention, parse_retention
from footfall.store.clickhouse.store import ClickHouseStore

__all__ = ["ClickHouseStore", "Retention", "Target", "parse_retention", "parse_url"]
