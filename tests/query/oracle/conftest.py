"""The oracle's fixtures: the generated traffic is loaded once per test run and backend.

Every oracle test runs on the DuckDB store and on chDB (ClickHouse in-process). Both worlds load
at once in the background when the first oracle test asks for one (`Worlds`), and stay up until
the package's last test; `oracle` only picks one, so the tests of both backends interleave and the
CARTS minute (`test_oracle_zz_abandoned_carts.py`) is waited out once, mostly while tests run.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from e2e.server import BACKENDS
from query.oracle.world import Oracle, Worlds

#: the backends the collected oracle tests ask for (a `-k` selection may leave one out)
WANTED = pytest.StashKey[tuple[str, ...]]()


# why trylast: after `-k`/`-m` deselected what will not run
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Note which backends the selected oracle tests need, so only those are loaded."""
    wanted = {
        item.callspec.params["oracle"]
        for item in items
        if isinstance(item, pytest.Function)
        and hasattr(item, "callspec")
        and "oracle" in item.callspec.params
    }
    config.stash[WANTED] = tuple(b for b in BACKENDS if b in wanted)


@pytest.fixture(scope="package")
def worlds(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Worlds]:
    """The worlds of the selected backends, each a real `footfall serve` over the loaded plan."""
    loaded = Worlds(tmp_path_factory.mktemp("oracle"), request.config.stash.get(WANTED, BACKENDS))
    yield loaded
    loaded.close()


@pytest.fixture(params=BACKENDS)
def oracle(request: pytest.FixtureRequest, worlds: Worlds) -> Oracle:
    """Four apps loaded through a real `footfall serve` on the event store `request.param`."""
    return worlds.get(str(request.param))
