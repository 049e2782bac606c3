"""The oracle's session fixture: the generated traffic is loaded once per test session and backend.

Every oracle test runs on the DuckDB store. On chDB (ClickHouse in-process) a subset runs by
default: the load, every metric alone and by day, the main metrics by hour, two-dimension tables,
the date-range edges, filters, paging and the exports (`CHDB_SUBSET`). Left out by default: the
large dimension × metric crosses (every dimension and transformation is compared between the two
backends by `tests/query/test_query_backends.py` instead) and the abandoned carts, whose minute of
waiting would double. The chDB load alone takes about 80 s on a loaded 2-core machine, the left-out
tests another minute and a half. `FOOTFALL_ORACLE_CHDB=all` runs every oracle test on chDB too
(all pass), `=none` none.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from query.oracle.world import Oracle, running

BACKENDS = ("duckdb", "chdb")
#: the oracle tests that run on chDB by default (see above)
CHDB_SUBSET = frozenset(
    {
        "test_the_collector_accepted_every_request",
        "test_stored_events_by_type_match_the_plan",
        "test_stored_sessions_and_visitors_match_the_plan",
        "test_metric_alone",
        "test_metric_by_day",
        "test_main_metric_by_hour",
        "test_two_dimensions_with_the_main_metrics",
        "test_a_shorter_range_counts_only_its_days",
        "test_days_outside_the_range_exist_and_are_left_out",
        "test_every_catalog_metric_is_checked_or_excluded",
        "test_dimension_filter",
        "test_datetime_range_is_local_and_excludes_its_end",
        "test_metric_filter_keeps_only_matching_rows",
        "test_order_and_paging",
        "test_sessions_export_matches_the_plan",
        "test_events_export_matches_the_plan",
        "test_exports_agree_on_session_ids",
    }
)


@pytest.fixture(scope="session", params=BACKENDS)
def oracle(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Oracle]:
    """Four apps loaded through a real `footfall serve`, which keeps running for the queries."""
    backend = str(request.param)
    with running(tmp_path_factory.mktemp(f"oracle-{backend}") / "data", backend) as world:
        yield world


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the chDB runs that FOOTFALL_ORACLE_CHDB does not ask for."""
    wanted = os.environ.get("FOOTFALL_ORACLE_CHDB", "subset")
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_chdb = callspec is not None and callspec.params.get("oracle") == "chdb"
        name = getattr(item, "originalname", item.name)
        if on_chdb and (wanted == "none" or (wanted != "all" and name not in CHDB_SUBSET)):
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
