"""Random hit sequences never raise and keep the session invariants (DATA-MODEL §1.2, §1.7)."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from footfall.model.columns import COUNTED_EVENT_TYPES
from footfall.model.hit import EcommerceItem, Hit
from footfall.model.settings import AppSettings, Goal
from footfall.pipeline.sessions import Sessionizer

from .factory import APP, T0, WEBSITE

TYPES = [1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 14, 15, 16, 19, 20, 21, 22, 23, 24]
VISITORS = [
    {"cookie_visitor_id": "00000000000000a1", "fingerprint": 1},
    {"cookie_visitor_id": "00000000000000a2", "fingerprint": 1},
    {"cookie_visitor_id": "", "fingerprint": 2},
    {"cookie_visitor_id": "00000000000000a3", "user_id": "alice", "fingerprint": 3},
    {"forced_visitor_id": "00000000000000c1", "fingerprint": 4},
    {"cookie_visitor_id": "", "user_id": "bob", "fingerprint": 2},
]

hit_spec = st.fixed_dictionaries(
    {
        "visitor": st.integers(0, len(VISITORS) - 1),
        "event_type": st.sampled_from(TYPES),
        "step": st.one_of(st.floats(0, 600), st.floats(0, 3600), st.floats(-900, 0)),
        "path": st.sampled_from(["/", "/a", "/thanks", ""]),
        "pv_id": st.sampled_from(["", "p1", "p2"]),
        "new_visit": st.booleans(),
        "campaign": st.sampled_from(["", "", "", "spring", "summer"]),
        "order": st.sampled_from(["o1", "o2", "o3"]),
        "goal": st.sampled_from([1, 2, 3]),
    }
)
app_spec = st.builds(
    lambda timeout, count, duration, split, referrer: dataclasses.replace(
        APP,
        session_timeout_seconds=timeout,
        session_max_event_count=count,
        session_max_duration_seconds=duration,
        session_limit_exceeded_action="just_split" if split else "split_and_exclude",
        create_new_visit_when_website_referrer_changes=referrer,
        goals=(
            Goal(1, "thanks", trigger="url", pattern="/thanks"),
            Goal(2, "any", trigger="title", pattern_type="regex", pattern=".", allow_multiple=True),
            Goal(3, "manual"),
        ),
    ),
    st.sampled_from([600, 1800]),
    st.integers(2, 30),
    st.sampled_from([1200, 43200]),
    st.booleans(),
    st.booleans(),
)


def build(seq: int, ts: float, spec: dict[str, Any]) -> Hit:
    url = f"https://example.com{spec['path']}" if spec["path"] else ""
    t = spec["event_type"]
    return Hit(
        website_id=WEBSITE,
        seq=seq,
        received_at=ts,
        timestamp=ts,
        event_type=t,
        url=url,
        event_url=url,
        event_title=spec["path"],
        pv_id=spec["pv_id"],
        new_visit=spec["new_visit"],
        has_campaign=bool(spec["campaign"]),
        campaign_name=spec["campaign"],
        referrer_type=6 if spec["campaign"] else 3,
        source="ref.example",
        order_id=spec["order"] if t == 9 else "",
        goal_id=spec["goal"] if t == 8 else None,
        revenue=3.0 if t in (8, 9, 16) else None,
        ecommerce_items=[EcommerceItem("s")] if t == 16 else [],
        has_ecommerce_items=t == 16,
        search_keyword="k" if t == 4 else "",
        **VISITORS[spec["visitor"]],
    )


def check(events: list[dict[str, Any]], sessions: dict[int, dict[str, Any]]) -> None:
    by_session: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in events:
        by_session[row["session_id"]].append(row)
    assert set(by_session) == set(sessions)
    assert len({r["event_id"] for r in events}) == len(events)
    for sid, rows in by_session.items():
        s = sessions[sid]
        assert [r["event_index"] for r in rows] == list(range(len(rows)))
        assert s["session_total_events"] == sum(
            r["event_type"] in COUNTED_EVENT_TYPES for r in rows
        )
        views = [r for r in rows if r["event_type"] == 1]
        assert [r["page_view_index"] for r in views] == list(range(len(views)))
        assert sum(r["is_entry"] for r in rows) == (1 if views else 0)
        assert s["session_total_page_views"] == len(views)
        assert s["is_bounce"] in (0, 1) and s["session_total_abandoned_carts"] in (0, 1)
        assert s["session_total_time"] >= 0
        assert min(r["timestamp"] for r in rows) == s["timestamp"]
        assert s["session_goals"] == sorted({r["goal_id"] for r in rows if r["event_type"] == 8})


@settings(max_examples=150, deadline=None)
@given(st.lists(hit_spec, max_size=60), app_spec)
def test_random_sequences_keep_invariants(specs: list[dict[str, Any]], app: AppSettings) -> None:
    sz = Sessionizer()
    events: list[dict[str, Any]] = []
    sessions: dict[int, dict[str, Any]] = {}
    versions: dict[int, int] = {}

    def keep(rows: list[dict[str, Any]]) -> None:
        for r in rows:
            assert r["session_version"] > versions.get(r["session_id"], 0)
            versions[r["session_id"]] = r["session_version"]
            sessions[r["session_id"]] = r

    ts = T0
    for seq, spec in enumerate(specs, start=1):
        ts += spec["step"]
        rows, reason = sz.add(build(seq, ts, spec), app)
        assert reason is None or rows == []
        events.extend(rows)
        if seq % 7 == 0:
            keep(sz.drain_dirty())
        if seq % 11 == 0:
            extra, closed = sz.expire(ts)
            events.extend(extra)
            keep(closed)
    extra, closed = sz.expire(ts + 10 * 3600)
    events.extend(extra)
    keep(closed)
    keep(sz.drain_dirty())
    assert sz.open_sessions() == 0
    check(events, sessions)
