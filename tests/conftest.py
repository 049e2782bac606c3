"""Shared fixtures: a migrated metadata store in a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from footfall.meta.store import MetaStore


@pytest.fixture
def meta(tmp_path: Path) -> Iterator[MetaStore]:
    store = MetaStore(f"sqlite:///{tmp_path / 'meta.sqlite'}")
    store.migrate()
    yield store
    store.close()
