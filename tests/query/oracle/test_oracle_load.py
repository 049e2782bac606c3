"""The load itself: the generated traffic, through the real collector and pipeline, is stored as
the plan says (row counts per app and event type, sessions, visitors), before any query runs."""

from __future__ import annotations

from collections import Counter

import pytest

from query.oracle.world import Oracle
from scenarios.oracle_traffic import APPS

pytestmark = pytest.mark.e2e


def test_the_collector_accepted_every_request(oracle: Oracle) -> None:
    assert oracle.loaded.bulk_invalid == 0


@pytest.mark.parametrize("app", [a.key for a in APPS])
def test_stored_events_by_type_match_the_plan(oracle: Oracle, app: str) -> None:
    want = Counter(r["event_type"] for s in oracle.sessions(app) for r in s.rows)
    got = {t: n for (a, t), n in oracle.loaded.events_by_app_type.items() if a == app}
    assert got == dict(want)


@pytest.mark.parametrize("app", [a.key for a in APPS])
def test_stored_sessions_and_visitors_match_the_plan(oracle: Oracle, app: str) -> None:
    sessions = oracle.sessions(app)
    assert oracle.loaded.sessions_by_app[app] == len(sessions)
    assert oracle.loaded.visitors_by_app[app] == len({s.visitor_key for s in sessions})
