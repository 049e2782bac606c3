"""The user-agent corpus: device-detector's own test fixtures (tens of thousands of real UAs).

Used by `bench/ua.py` and the differential tests: real-world user agents of every kind
(desktop and mobile browsers, apps, bots, TVs, consoles, cars, client hints).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import device_detector
import yaml_rs

__all__ = ["Sample", "fixture_corpus"]

#: one user agent and its client-hint headers (None when the fixture has none)
Sample = tuple[str, dict[str, Any] | None]


def fixture_corpus() -> list[Sample]:
    """Every (user agent, headers) pair of the installed device-detector's fixtures, in file order."""
    root = Path(device_detector.__file__).parent / "tests" / "fixtures"
    return list(_samples(sorted(root.glob("*/*.yml"))))


def _samples(files: list[Path]) -> Iterator[Sample]:
    for path in files:
        entries = yaml_rs.loads(path.read_text("utf-8"))
        if not isinstance(entries, list):
            continue
        for entry in entries:
            if isinstance(entry, dict) and isinstance(entry.get("user_agent"), str):
                headers = entry.get("headers")
                yield entry["user_agent"], dict(headers) if isinstance(headers, dict) else None
