"""visitor_id, cookie_id and the returning-visitor fields (DATA-MODEL §1.1, §5.2)."""

from __future__ import annotations

import hashlib

from footfall.pipeline.sessions import Sessionizer
from footfall.pipeline.sessions.visitors import hex64, uid_visitor_id
from footfall.store.base import VisitorHistory

from .factory import COOKIE, T0, WEBSITE, feed, make_hit, one_session, page

DAY = 86400.0


def test_uid_visitor_id_is_the_first_16_hex_of_sha1() -> None:
    expected = int(hashlib.sha1(b"alice@example.com").hexdigest()[:16], 16)
    assert uid_visitor_id("alice@example.com") == expected


def test_hex64() -> None:
    assert hex64("ffffffffffffffff") == 2**64 - 1
    assert hex64("") is None and hex64("zz") is None and hex64("1" * 17) is None


def visitor_of(**fields: object) -> dict[str, object]:
    sz = Sessionizer()
    feed(sz, [make_hit(1, 0, **fields)])
    return one_session(sz)


def test_visitor_id_precedence() -> None:
    both = {"forced_visitor_id": "00000000000000c1", "cookie_visitor_id": "00000000000000a1"}
    row = visitor_of(user_id="u1", **both)
    assert row["visitor_id"] == uid_visitor_id("u1") and row["cookie_id"] == 0xA1
    row = visitor_of(**both)
    assert row["visitor_id"] == 0xC1 and row["cookie_id"] == 0xA1
    row = visitor_of(cookie_visitor_id="00000000000000a1")
    assert row["visitor_id"] == 0xA1 and row["cookie_id"] == 0xA1
    row = visitor_of(cookie_visitor_id="", fingerprint=2**63 + 5)
    assert row["visitor_id"] == 2**63 + 5 and row["cookie_id"] == 2**63 + 5
    assert row["browser_fingerprint"] == 2**63 + 5


def test_new_visitor_without_cookie_values() -> None:
    row = visitor_of()
    assert row["visitor_returning"] == 0
    assert row["visitor_session_number"] == 1
    assert row["visitor_days_since_last_session"] is None
    assert row["visitor_days_since_first_session"] is None
    assert row["visitor_days_since_order"] is None


def test_returning_visitor_from_cookie_values() -> None:
    row = visitor_of(
        visit_count=4,
        previous_visit_ts=int(T0 - 2.5 * DAY),
        first_visit_ts=int(T0 - 40 * DAY),
    )
    assert row["visitor_returning"] == 1
    assert row["visitor_session_number"] == 4
    assert row["visitor_days_since_last_session"] == 2
    assert row["visitor_days_since_first_session"] == 40
    assert row["visitor_days_since_order"] is None


def test_idvc_alone_or_viewts_alone_makes_a_returning_visitor() -> None:
    assert visitor_of(visit_count=2)["visitor_returning"] == 1
    assert visitor_of(visit_count=1)["visitor_returning"] == 0
    assert visitor_of(previous_visit_ts=int(T0 - 60))["visitor_returning"] == 1


def test_returning_customer_from_ects() -> None:
    row = visitor_of(visit_count=1, last_order_ts=int(T0 - 3 * DAY))
    assert row["visitor_returning"] == 2
    assert row["visitor_days_since_order"] == 3


def test_first_session_of_a_js_visitor_has_zero_days_since_first() -> None:
    row = visitor_of(visit_count=1, first_visit_ts=int(T0))
    assert row["visitor_days_since_first_session"] == 0


def test_cache_fills_fields_for_clients_without_cookie_values() -> None:
    sz = Sessionizer()
    hits = [
        page(1, 0, "/a"),
        make_hit(2, 60, event_type=9, order_id="o1", revenue=10.0),
        page(3, DAY + 3600, "/b"),
    ]
    feed(sz, hits)
    rows = sorted(sz.drain_dirty(), key=lambda r: r["timestamp"])
    assert [r["visitor_session_number"] for r in rows] == [1, 2]
    second = rows[1]
    assert second["visitor_returning"] == 2  # the cache knows the order of session 1
    assert second["visitor_days_since_last_session"] == 1
    assert second["visitor_days_since_first_session"] == 1
    assert second["visitor_days_since_order"] == 1


def test_history_lookup_on_a_cache_miss() -> None:
    calls: list[tuple[str, int, float]] = []

    def history(website_id: str, visitor_id: int, before: float) -> VisitorHistory | None:
        calls.append((website_id, visitor_id, before))
        return VisitorHistory(
            sessions=6, first_seen=T0 - 100 * DAY, last_seen=T0 - 7 * DAY, last_order=None
        )

    sz = Sessionizer(history)
    feed(sz, [page(1, 0, "/a"), page(2, 5, "/b"), page(3, 3600, "/c")])
    rows = sorted(sz.drain_dirty(), key=lambda r: r["timestamp"])
    assert calls == [(WEBSITE, int(COOKIE, 16), T0)]  # then served by the cache
    assert rows[0]["visitor_returning"] == 1
    assert rows[0]["visitor_session_number"] == 7
    assert rows[0]["visitor_days_since_last_session"] == 7
    assert rows[0]["visitor_days_since_first_session"] == 100
    assert rows[1]["visitor_session_number"] == 8
    assert rows[1]["visitor_days_since_last_session"] == 0


def test_history_none_means_a_new_visitor() -> None:
    sz = Sessionizer(lambda w, v, b: None)
    feed(sz, [page(1, 0, "/a")])
    row = one_session(sz)
    assert row["visitor_returning"] == 0 and row["visitor_session_number"] == 1


def test_history_with_an_order_makes_a_returning_customer() -> None:
    known = VisitorHistory(sessions=1, first_seen=T0 - DAY, last_seen=T0 - DAY, last_order=T0 - DAY)
    sz = Sessionizer(lambda w, v, b: known)
    feed(sz, [page(1, 0, "/a")])
    row = one_session(sz)
    assert row["visitor_returning"] == 2 and row["visitor_days_since_order"] == 1
