"""The oracle's session fixture: the generated traffic is loaded once per test session and backend.

Every oracle test runs on the DuckDB store; on chDB (ClickHouse in-process) it runs every test but
the abandoned-carts module, whose minute of waiting for sessions to close would double. Set
`FOOTFALL_ORACLE_CHDB=all` to run that too on chDB, or `=none` to skip chDB.
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
#: oracle modules that run on DuckDB only unless FOOTFALL_ORACLE_CHDB=all (see above)
DUCKDB_ONLY = frozenset({"test_oracle_zz_abandoned_carts.py"})


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
        if on_chdb and (wanted == "none" or (wanted != "all" and item.path.name in DUCKDB_ONLY)):
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
