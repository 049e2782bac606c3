"""`bench/budget.py` keeps measuring the real ingest path: every stage runs and every event is stored.

Only that the benchmark works is checked here; its figures go to BENCHMARKS.md, never to a test.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_budget_measures_every_stage_over_stored_events(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCH))
    import budget  # bench/budget.py

    result = budget.measure(3_000, 1_000)  # asserts itself that all 3,000 events were stored
    stages = result["stages_us"]
    assert list(stages) == [name for name, _ in budget.STAGES]
    assert all(us > 0 for us in stages.values()), stages
    assert not result["compiled"] and 0 < result["session_rows_per_event"] <= 1
    total, state, bound = budget.bounds(stages)
    assert total == pytest.approx(sum(stages.values())) and 0 < state < total
    assert bound == pytest.approx(min(2e6 / total, 1e6 / state))
    section = budget.render({"interpreted": result}, "test machine", 0.0)
    assert section.startswith("<!-- budget:start -->") and section.endswith("<!-- budget:end -->")
    assert all(name in section for name in stages)
    sys.modules.pop("budget", None)
