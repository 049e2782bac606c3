"""Shared fixtures: one warm PutDevice and PutGeo per test session (they load data once)."""

from __future__ import annotations

from typing import Any

import pytest

from footfall.model.hit import Hit
from footfall.pipeline.steps import PutDevice, PutGeo

#: 2024-03-01 12:00:00 UTC
NOON = 1709294400.0


def make_hit(**fields: Any) -> Hit:
    """A page-view Hit with sensible defaults, overridden by `fields`."""
    base: dict[str, Any] = {
        "website_id": "00000000-0000-0000-0000-000000000001",
        "seq": 1,
        "received_at": NOON,
        "timestamp": NOON,
        "url": "https://example.com/",
    }
    base.update(fields)
    return Hit(**base)


@pytest.fixture(scope="session")
def put_device() -> PutDevice:
    return PutDevice(1000)


@pytest.fixture(scope="session")
def put_geo() -> PutGeo:
    return PutGeo()
