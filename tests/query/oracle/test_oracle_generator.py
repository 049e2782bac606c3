"""The generator and the brute force on their own (no server): the plan keeps the visit rules it
claims, its IPs are where GeoIP puts them, and the truth is self-consistent across scopes and
groupings. (The user agents' browser, OS and device type are checked through the store by the
dimension tests: device-detector's first parse costs seconds.)"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from datetime import timedelta

import pytest

from query.oracle.truth import Dim, Metric, StoredSession, answer, stored
from scenarios.oracle_traffic import (
    APPS,
    CAMPAIGN,
    CARTS,
    DAYS,
    FIRST_DAY,
    NETWORKS,
    NOT_COUNTED,
    OUTSIDE_DAYS,
    Plan,
    local_day,
    plan,
    requests,
)

LAST_DAY = FIRST_DAY + timedelta(days=DAYS - 1)
KEYS = [a.key for a in APPS]


@pytest.fixture(scope="module")
def p() -> Plan:
    return plan()


def test_the_plan_is_deterministic(p: Plan) -> None:
    ids = {k: k for k in p.apps}
    assert requests(plan(), ids) == requests(p, ids)


def test_cart_sessions_fit_the_short_timeout(p: Plan) -> None:
    sessions = p.sessions[CARTS.key]
    for s in sessions:
        times = [e.ts for e in s.events]
        assert all(0 <= b - a <= 40 for a, b in itertools.pairwise(times))
    abandoned = [s for s in sessions if any(e.type == 10 for e in s.events)]
    assert 0 < len(abandoned) < len(sessions)


@pytest.mark.parametrize("app", KEYS)
def test_sessions_keep_the_visit_rules(p: Plan, app: str) -> None:
    tz = p.apps[app].timezone
    by_visitor: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for s in p.sessions[app]:
        times = [e.ts for e in s.events]
        assert times == sorted(times), "rows in time order"
        assert all(b - a <= 29 * 60 for a, b in itertools.pairwise(times))
        assert local_day(times[0], tz) == local_day(times[-1], tz), "one local day"
        assert s.events[0].wire is not None, "a session opens with a request"
        by_visitor[id(s.visitor)].append((times[0], times[-1], s.referrer_type))
    splits = 0
    for visits in by_visitor.values():
        visits.sort()
        for (_, end, _), (start, _, rtype) in itertools.pairwise(visits):
            if start - end <= 30 * 60:
                assert rtype == CAMPAIGN, "only a campaign change splits within 30 minutes"
                splits += 1
    assert splits == 1


@pytest.mark.parametrize("app", KEYS)
def test_every_event_type_and_channel_occurs(p: Plan, app: str) -> None:
    rows = [r for s in stored(p, app) for r in s.rows]
    assert {r["event_type"] for r in rows} >= {
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        8,
        9,
        12,
        13,
        14,
        16,
        19,
        22,
        23,
    }
    assert {s.referrer_type for s in p.sessions[app]} == {1, 2, 3, 6, 7}
    days = {local_day(s.start, p.apps[app].timezone) for s in p.sessions[app]}
    assert days == {FIRST_DAY + timedelta(days=d) for d in range(-1, DAYS + 1)}
    assert set(OUTSIDE_DAYS) <= days
    assert any(s.visitor.cookie is None for s in p.sessions[app])
    assert any(s.user_id for s in p.sessions[app])
    assert any(e.ghost for s in p.sessions[app] for e in s.events)


def test_every_planned_ip_is_in_its_country(p: Plan) -> None:
    from geoip2fast import GeoIP2Fast

    geo = GeoIP2Fast()
    for sessions in p.sessions.values():
        for s in sessions:
            assert geo.lookup(s.visitor.ip).country_code == s.visitor.country, s.visitor.ip
    assert set(NETWORKS) == {
        s.visitor.country for sessions in p.sessions.values() for s in sessions
    }


def _total(p: Plan, app: str, dims: list[Dim], m: Metric, ss: list[StoredSession]) -> float:
    return sum(v[0] or 0 for v in answer(p, app, dims, [m], FIRST_DAY, LAST_DAY, ss).values())


@pytest.mark.parametrize("app", KEYS)
def test_additive_metrics_sum_over_any_grouping(p: Plan, app: str) -> None:
    ss = stored(p, app)
    additive = ("sessions", "events", "page_views", "entries", "bounces", "goal_conversions")
    for c in additive:
        whole = _total(p, app, [], Metric(c), ss)
        for d in (Dim("timestamp", "to_date"), Dim("browser_name"), Dim("referrer_type")):
            assert _total(p, app, [d], Metric(c), ss) == whole, (c, d)
    # page-level groups: entries and exits per page add up to the sessions with a page view
    entries = _total(p, app, [Dim("event_url")], Metric("entries"), ss)
    exits = _total(p, app, [Dim("event_url")], Metric("exits"), ss)
    assert entries == exits == _total(p, app, [], Metric("entries"), ss)


@pytest.mark.parametrize("app", KEYS)
def test_session_and_event_scope_agree_on_session_metrics(p: Plan, app: str) -> None:
    ss = stored(p, app)
    metrics = [Metric(c) for c in ("sessions", "visitors", "bounces", "events", "page_views")]
    by_session = answer(p, app, [Dim("browser_name")], metrics, FIRST_DAY, LAST_DAY, ss)
    # revenue (an event column) puts the same grouping in event scope
    event_scope = answer(
        p, app, [Dim("browser_name")], [*metrics, Metric("revenue", "sum")], FIRST_DAY, LAST_DAY, ss
    )
    assert {k: v[:-1] for k, v in event_scope.items()} == by_session


@pytest.mark.parametrize("app", KEYS)
def test_truth_counts_follow_the_rows(p: Plan, app: str) -> None:
    ss = [s for s in stored(p, app) if FIRST_DAY <= s.values["timestamp"].date() <= LAST_DAY]
    [[events, bounce_rate, visitors, sessions]] = answer(
        p,
        app,
        [],
        [Metric("events"), Metric("bounce_rate"), Metric("visitors"), Metric("sessions")],
        FIRST_DAY,
        LAST_DAY,
        ss,
    ).values()
    assert events == sum(1 for s in ss for r in s.rows if r["event_type"] not in NOT_COUNTED)
    assert sessions == len(ss)
    assert math.isclose(bounce_rate, sum(s.values["is_bounce"] for s in ss) / len(ss))
    assert visitors < sessions  # returning visitors exist
    pricing_bounce = [s for s in ss if [r["event_type"] for r in s.rows] == [1, 8]]
    assert pricing_bounce and all(not s.values["is_bounce"] for s in pricing_bounce)
