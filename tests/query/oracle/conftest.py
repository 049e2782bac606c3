"""The oracle's session fixture: the generated traffic is loaded once per test session."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from query.oracle.world import Oracle, running


@pytest.fixture(scope="session")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oracle]:
    """Four apps loaded through a real `footfall serve`, which keeps running for the queries."""
    with running(tmp_path_factory.mktemp("oracle") / "data") as world:
        yield world
