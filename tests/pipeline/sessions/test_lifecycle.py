"""drain_dirty versions, expiry with abandoned carts, restore after a restart (ARCHITECTURE)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from footfall.model.hit import EcommerceItem, Hit
from footfall.model.settings import Goal
from footfall.pipeline.sessions import Sessionizer
from footfall.store.base import VisitorHistory

from .factory import APP, T0, event, feed, page

MIN = 60.0


def test_drain_dirty_versions_increase_only_for_changed_sessions() -> None:
    sz = Sessionizer()
    feed(sz, [page(1, 0, "/a"), page(2, 0, "/b", cookie_visitor_id="00000000000000b2")])
    first = {r["session_id"]: r["session_version"] for r in sz.drain_dirty()}
    assert first == {16: 1, 32: 1}
    assert sz.drain_dirty() == []
    feed(sz, [page(3, 10, "/c")])
    second = sz.drain_dirty()
    assert [(r["session_id"], r["session_version"]) for r in second] == [(16, 2)]
    assert second[0]["session_total_page_views"] == 2


def test_expire_closes_idle_sessions_only() -> None:
    sz = Sessionizer()
    short = dataclasses.replace(APP, session_timeout_seconds=300)
    feed(sz, [page(1, 0, "/a")])
    sz.add(page(2, 0, "/b", cookie_visitor_id="00000000000000b2"), short)
    sz.drain_dirty()
    extra, closed = sz.expire(T0 + 10 * MIN)
    assert extra == [] and closed == []  # nothing changed since the drain: no final row
    assert sz.open_sessions() == 1  # the 5-minute app's session is gone
    feed(sz, [page(3, 20 * MIN, "/c")])
    extra, closed = sz.expire(T0 + 20 * MIN + 31 * MIN)
    assert [(r["session_id"], r["session_version"]) for r in closed] == [(16, 2)]
    assert sz.open_sessions() == 0 and sz.drain_dirty() == []
    rows, _ = feed(sz, [page(4, 52 * MIN, "/d")])
    assert rows[0]["session_id"] == 4 << 4  # the closed session is forgotten


def test_abandoned_cart_at_expiry() -> None:
    items = [EcommerceItem("s1", "Shoe", "", 10.0, 3)]
    sz = Sessionizer()
    hits = [
        page(1, 0, "/shop", "Shop", pv_id="p1"),
        event(2, 10, 16, revenue=20.0, ecommerce_items=items[:0], has_ecommerce_items=True),
        event(3, 20, 16, revenue=30.0, ecommerce_items=items, has_ecommerce_items=True, pv_id="p1"),
        page(4, 30, "/about", "About"),
    ]
    rows, _ = feed(sz, hits)
    sz.drain_dirty()
    extra, closed = sz.expire(T0 + 2 * 3600)
    assert len(extra) == 1
    cart = extra[0]
    assert cart["event_type"] == 10 and cart["event_id"] == (3 << 4) | 15
    assert cart["session_id"] == 16 and cart["event_index"] == 4
    assert cart["timestamp"] == T0 + 20 and cart["lost_revenue"] == 30.0
    assert cart["item_count"] == 1 and cart["ecommerce_items"] == rows[2]["ecommerce_items"]
    assert cart["event_url"] == "https://example.com/shop" and cart["previous_event_url"].endswith(
        "/about"
    )
    (s,) = closed
    assert s["session_total_abandoned_carts"] == 1 and s["session_ecommerce_status"] == 2
    assert s["session_version"] == 2 and s["session_total_events"] == 4


def test_no_abandoned_cart_when_the_order_came_last() -> None:
    sz = Sessionizer()
    feed(sz, [event(1, 0, 16, revenue=5.0), event(2, 10, 9, order_id="o", revenue=5.0)])
    extra, closed = sz.expire(T0 + 3600)
    assert extra == [] and closed[0]["session_total_abandoned_carts"] == 0


def scenario() -> list[Hit]:
    """Two visitors, goals, a cart, a uid appearing, a split; ends with open sessions."""
    other = "00000000000000b2"
    items = [EcommerceItem("s", "Shoe", "", 5.0, 1)]
    return [
        page(1, 0, "/a", "A", pv_id="p1", visit_count=3),
        page(2, 5, "/thanks", "T", pv_id="p2", cookie_visitor_id=other),
        event(3, 8, 5, pv_id="p1", event_category="video", event_action="play"),
        event(4, 9, 16, revenue=5.0, ecommerce_items=items, has_ecommerce_items=True),
        event(5, 20, 19, pv_id="p2", cookie_visitor_id=other),
        # --- restart here ---
        page(6, 30, "/thanks", "T", user_id="alice"),
        event(7, 35, 5, event_category="video", event_action="play", cookie_visitor_id=other),
        event(8, 40, 9, order_id="o-1", revenue=5.0, cookie_visitor_id=other),
        event(9, 41, 9, order_id="o-1", revenue=5.0, cookie_visitor_id=other),
        page(10, 50, "/c", "C", pv_id="p3"),
        event(11, 55, 16, revenue=9.0, pv_id="p1"),
        page(12, 45 * MIN, "/back", "Back", cookie_visitor_id=other),
    ]


GOAL_APP = dataclasses.replace(
    APP,
    goals=(
        Goal(1, "thanks", trigger="url", pattern="/thanks"),
        Goal(2, "video", trigger="event_category", pattern="video", allow_multiple=True),
    ),
)


class Store:
    """The store half of a restart: rows as written, and visitor_history over them."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.sessions: dict[int, dict[str, Any]] = {}

    def write(self, events: list[dict[str, Any]], sessions: list[dict[str, Any]]) -> None:
        self.events.extend(events)
        for row in sessions:
            self.sessions[row["session_id"]] = row

    def history(self, website_id: str, visitor_id: int, before: float) -> VisitorHistory | None:
        starts = [
            s["timestamp"]
            for s in self.sessions.values()
            if s["visitor_id"] == visitor_id and s["timestamp"] < before
        ]
        if not starts:
            return None
        mine = {sid for sid, s in self.sessions.items() if s["visitor_id"] == visitor_id}
        orders = [
            e["timestamp"]
            for e in self.events
            if e["event_type"] == 9 and e["session_id"] in mine and e["timestamp"] < before
        ]
        return VisitorHistory(len(starts), min(starts), max(starts), max(orders, default=None))


def run(
    hits: list[Hit], restart_after: int | None
) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]:
    store = Store()
    sz = Sessionizer(store.history)
    for i, hit in enumerate(hits):
        if i == restart_after:
            store.write([], sz.drain_dirty())
            as_stored = {  # a store hands back datetimes for TIMESTAMP columns
                sid: {**row, "timestamp": datetime.fromtimestamp(row["timestamp"], UTC)}
                for sid, row in store.sessions.items()
            }
            sz = Sessionizer(store.history)
            for sid, row in as_stored.items():
                events = [e for e in store.events if e["session_id"] == sid]
                sz.restore(row, events, GOAL_APP)
        rows, _ = sz.add(hit, GOAL_APP)
        store.write(rows, [])
    store.write([], sz.drain_dirty())
    extra, closed = sz.expire(T0 + 10 * 3600)
    store.write(extra, closed)
    return store.events, store.sessions


def test_restore_then_continue_gives_the_same_rows() -> None:
    hits = scenario()
    events, sessions = run(hits, None)
    assert len(sessions) == 3 and any(r["event_type"] == 10 for r in events)
    for restart in range(1, len(hits)):
        again_events, again_sessions = run(hits, restart)
        assert again_events == events, restart
        for sid, row in sessions.items():
            other = again_sessions[sid]
            assert {k: v for k, v in other.items() if k != "session_version"} == {
                k: v for k, v in row.items() if k != "session_version"
            }, restart


def test_processing_clock_keeps_imported_visits_open() -> None:
    """A log import replays old hits: event time alone would close each visit between two hits."""
    clock = [1000.0]
    sz = Sessionizer(clock=lambda: clock[0])
    feed(sz, [page(1, 0, "/a")])
    # wall time is days after the hits' event time, but the import touched the session just now
    sz.expire(T0 + 5 * 86400, processing=True)
    assert sz.open_sessions() == 1
    rows, _ = feed(sz, [page(2, 5 * MIN, "/b")])
    assert rows[0]["session_id"] == 1 << 4  # still the same visit
    clock[0] += 31 * MIN  # nothing touched it for longer than the timeout: now it closes
    sz.expire(T0 + 5 * 86400, processing=True)
    assert sz.open_sessions() == 0


def test_open_session_cap_closes_least_recently_touched() -> None:
    clock = [0.0]
    sz = Sessionizer(clock=lambda: clock[0], max_open=2)
    for i in range(4):
        clock[0] += 1
        sz.add(page(i + 1, 0, f"/{i}", cookie_visitor_id=f"{i + 1:016x}"), APP)
    sz.expire(T0 + 86400, processing=True)
    assert sz.open_sessions() == 2


def test_drain_with_staleness_holds_back_recently_written_sessions() -> None:
    clock = [100.0]
    sz = Sessionizer(clock=lambda: clock[0])
    feed(sz, [page(1, 0, "/a")])
    assert [r["session_version"] for r in sz.drain_dirty(0.8)] == [1]  # a new session: at once
    feed(sz, [page(2, 5, "/b")])
    clock[0] += 0.3
    assert sz.drain_dirty(0.8) == [] and sz.has_dirty()  # written 0.3 s ago: held back
    clock[0] += 0.6
    [row] = sz.drain_dirty(0.8)
    assert (row["session_version"], row["session_total_page_views"]) == (2, 2)
    assert not sz.has_dirty()
    feed(sz, [page(3, 9, "/c")])
    assert [r["session_total_page_views"] for r in sz.drain_dirty(0.0)] == [3]  # final: all
