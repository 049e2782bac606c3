"""Session counters, unique counters, paths, bounce and ecommerce status (DATA-MODEL §1.2)."""

from __future__ import annotations

import dataclasses

from footfall.model.columns import COUNTED_EVENT_TYPES, SESSION_COLUMN_NAMES
from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import Goal
from footfall.pipeline.sessions import Sessionizer

from .factory import APP, T0, event, feed, make_hit, one_session, page


def mixed_session() -> tuple[list[dict[str, object]], dict[str, object]]:
    hits = [
        page(1, 0, "/a", "A"),
        page(2, 10, "/b", "B"),
        page(3, 20, "/a", "A again"),
        event(4, 21, 2, outlink_url="https://x.example/"),
        event(5, 22, 2, outlink_url="https://x.example/"),
        event(6, 23, 3, download_url="https://example.com/f.pdf"),
        event(7, 24, 4, search_keyword="shoes"),
        event(8, 25, 4, search_keyword="shoes"),
        event(9, 26, 4, search_keyword="boots"),
        event(10, 27, 5, event_category="c", event_action="a", event_name="n"),
        event(11, 28, 5, event_category="c", event_action="a", event_name="m"),
        event(12, 29, 5, event_category="c", event_action="a", event_name="n"),
        event(13, 30, 6, content_name="banner", content_piece="p1"),
        event(14, 31, 6, content_name="banner", content_piece="p2"),
        event(15, 32, 7, content_name="banner", content_piece="p1", content_interaction="click"),
        event(16, 33, 8, goal_id=2),
        event(17, 34, 8, goal_id=1),
        event(18, 35, 19),  # heartbeat: stored, not counted
        event(19, 36, 14, consent={"consent_scope": 1}),
        event(20, 37, 22),
        event(21, 38, 16, revenue=5.0, has_ecommerce_items=True),
        event(22, 39, 9, order_id="o-1", revenue=12.5),
    ]
    sz = Sessionizer()
    goals = dataclasses.replace(APP, goals=(Goal(1, "one", allow_multiple=True), Goal(2, "two")))
    rows, reasons = feed(sz, hits, goals)
    assert reasons == [None] * len(hits)
    return rows, one_session(sz)


def test_every_total_counter() -> None:
    rows, s = mixed_session()
    assert s["session_total_page_views"] == 3
    assert s["session_total_outlinks"] == 2
    assert s["session_total_downloads"] == 1
    assert s["session_total_site_searches"] == 3
    assert s["session_total_custom_events"] == 3
    assert s["session_total_content_impressions"] == 2
    assert s["session_total_content_interactions"] == 1
    assert s["session_total_goal_conversions"] == 2
    assert s["session_total_ecommerce_conversions"] == 1
    assert s["session_total_abandoned_carts"] == 0
    assert s["session_total_events"] == sum(r["event_type"] in COUNTED_EVENT_TYPES for r in rows)
    assert s["session_total_events"] == len(rows) - 1  # all but the heartbeat
    assert s["session_total_time"] == 39


def test_every_unique_counter() -> None:
    _, s = mixed_session()
    assert s["session_unique_page_views"] == 2
    assert s["session_unique_outlinks"] == 1
    assert s["session_unique_downloads"] == 1
    assert s["session_unique_searches"] == 2
    assert s["session_unique_custom_events"] == 2
    assert s["session_unique_content_impressions"] == 2
    assert s["session_unique_content_interactions"] == 1
    assert s["session_goals"] == [1, 2]


def test_session_row_is_complete() -> None:
    _, s = mixed_session()
    assert set(s) == set(SESSION_COLUMN_NAMES)


def test_entry_second_exit_pages() -> None:
    _, s = mixed_session()
    assert (s["session_entry_url"], s["session_entry_title"]) == ("https://example.com/a", "A")
    assert (s["session_second_url"], s["session_second_title"]) == ("https://example.com/b", "B")
    assert (s["session_exit_url"], s["session_exit_title"]) == ("https://example.com/a", "A again")


def test_single_page_leaves_second_empty() -> None:
    sz = Sessionizer()
    feed(sz, [page(1, 0, "/only", "Only")])
    s = one_session(sz)
    assert s["session_entry_url"] == s["session_exit_url"] == "https://example.com/only"
    assert s["session_second_url"] == "" and s["session_second_title"] == ""


def bounce_of(*hits: Hit) -> int:
    sz = Sessionizer()
    feed(sz, list(hits))
    return int(one_session(sz)["is_bounce"])


def test_bounce_cases() -> None:
    assert bounce_of(page(1, 0, "/a")) == 1
    assert bounce_of(page(1, 0, "/a"), event(2, 5, 5, event_category="c", event_action="a")) == 1
    assert bounce_of(page(1, 0, "/a"), event(2, 5, 3, download_url="f")) == 1
    assert bounce_of(page(1, 0, "/a"), event(2, 5, 8, goal_id=1)) == 0
    assert bounce_of(page(1, 0, "/a"), event(2, 5, 9, order_id="o")) == 0
    assert bounce_of(page(1, 0, "/a"), page(2, 5, "/b")) == 0
    assert bounce_of(event(1, 0, 5, event_category="c", event_action="a")) == 0  # no page view


def test_pings_extend_session_total_time_but_not_counters() -> None:
    sz = Sessionizer()
    feed(sz, [page(1, 0, "/a"), event(2, 15, 19), event(3, 95.7, 19)])
    s = one_session(sz)
    assert s["session_total_time"] == 95
    assert s["last_event_time"] == T0 + 95.7
    assert s["session_total_events"] == 1 and s["is_bounce"] == 1


def status_of(*hits: Hit) -> tuple[int, int]:
    sz = Sessionizer()
    feed(sz, list(hits))
    extra, closed = sz.expire(T0 + 10 * 3600)
    assert len(closed) == 1
    return int(closed[0]["session_ecommerce_status"]), len(extra)


def cart(seq: int, at: float, amount: float = 10.0) -> Hit:
    return event(seq, at, 16, revenue=amount, has_ecommerce_items=True)


def test_ecommerce_status_precedence() -> None:
    assert status_of(page(1, 0, "/")) == (0, 0)
    assert status_of(page(1, 0, "/"), event(2, 5, 22)) == (4, 0)
    assert status_of(page(1, 0, "/", ecommerce_view=("sku", "n", "c", 1.0))) == (4, 0)
    assert status_of(event(2, 5, 22), cart(3, 6)) == (2, 1)
    assert status_of(cart(3, 6), event(4, 7, 9, order_id="o")) == (1, 0)
    assert status_of(event(4, 7, 9, order_id="o"), cart(5, 8)) == (3, 1)
    assert status_of(event(2, 5, 22), event(4, 7, 9, order_id="o")) == (1, 0)


def test_duplicate_orders_are_dropped_per_website() -> None:
    sz = Sessionizer()
    hits = [
        event(1, 0, 9, order_id="o-1", revenue=5.0),
        event(2, 5, 9, order_id="o-1", revenue=5.0),
        event(3, 99999, 9, order_id="o-1", revenue=5.0),  # even in a later session
        event(4, 99999, 9, order_id="o-2", revenue=5.0),
    ]
    _, reasons = feed(sz, hits)
    assert reasons == [None, Reason.DUPLICATE_ORDER, Reason.DUPLICATE_ORDER, None]
    other = dataclasses.replace(APP, website_id="00000000-0000-0000-0000-0000000000bb")
    _, reason = sz.add(
        make_hit(5, 0, website_id=other.website_id, event_type=9, order_id="o-1"), other
    )
    assert reason is None


def test_order_memory_is_bounded() -> None:
    sz = Sessionizer(order_memory=2)
    hits = [event(i, i, 9, order_id=f"o-{i}") for i in range(1, 4)]
    hits.append(event(9, 9, 9, order_id="o-1"))  # forgotten: accepted again
    _, reasons = feed(sz, hits)
    assert reasons == [None] * 4


def test_session_attributes_from_the_first_hit() -> None:
    sz = Sessionizer()
    first = page(
        1,
        0,
        "/a",
        resolution="1920X1080",
        plugins={"pdf": True, "fla": True, "ag": True, "cookie": False},
        local_time=(9, 5, 7),
        browser_name="CH",
        country="PL",
        ipv4_address="1.2.0.0",
        source="google",
        medium="organic",
        referrer_type=2,
        referrer_url="https://google.com/",
        tracking_source="jstc/1.0",
        is_anonymous=False,
    )
    later = page(
        2, 5, "/b", resolution="800x600", browser_name="FF", country="DE", local_time=(9, 5, 12)
    )
    feed(sz, [first, later])
    s = one_session(sz)
    assert (s["resolution"], s["resolution_width"], s["resolution_height"]) == (
        "1920x1080",
        1920,
        1080,
    )
    assert s["plugin_pdf"] == s["plugin_flash"] == s["plugin_silverlight"] == 1
    assert s["plugin_cookie"] == s["plugin_java"] == 0
    assert s["local_time"] == "09:05:07"
    assert s["browser_name"] == "CH" and s["location_country_name"] == "PL"
    assert s["source_medium"] == "google / organic" and s["referrer_type"] == 2
    assert s["ipv4_address"] == "1.2.0.0" and s["tracking_source"] == "jstc/1.0"


def test_unparsable_resolution_is_null() -> None:
    sz = Sessionizer()
    feed(sz, [page(1, 0, "/a", resolution="big")])
    s = one_session(sz)
    assert s["resolution"] is None and s["resolution_width"] is None


def test_session_custom_dimensions_and_variables_last_value_wins() -> None:
    app = dataclasses.replace(
        APP, custom_dimensions={3: ("session", 1), 4: ("event", 2), 9: ("session", 5)}
    )
    hits = [
        page(1, 0, "/a", dimensions={3: "free", 4: "x"}, visit_custom_variables={1: ("k", "v1")}),
        page(2, 5, "/b", dimensions={3: "paid"}, visit_custom_variables={1: ("k", "v2")}),
        event(3, 9, 15, dimensions={9: "from-ping"}),
    ]
    sz = Sessionizer()
    rows, _ = feed(sz, hits, app)
    s = one_session(sz)
    assert s["session_custom_dimension_1"] == "paid"
    assert s["session_custom_dimension_5"] == "from-ping"
    assert s["session_custom_dimension_2"] == ""  # event-scope dimension
    assert (s["session_custom_variable_key_1"], s["session_custom_variable_value_1"]) == ("k", "v2")
    assert rows[0]["event_custom_dimension_2"] == "x"


def test_deanonymization_overwrites_anonymized_attributes() -> None:
    sz = Sessionizer()
    anon = page(
        1, 0, "/a", is_anonymous=True, ipv4_address="0.0.0.0", country=None, cookie_visitor_id=""
    )
    deanon = event(
        2,
        5,
        20,
        ipv4_address="1.2.3.0",
        country="FR",
        city="Paris",
        browser_name="FF",
        cookie_visitor_id="",
        fingerprint=77,
    )
    rows, reasons = feed(
        sz, [anon, deanon, page(3, 9, "/b", is_anonymous=False, cookie_visitor_id="")]
    )
    assert reasons == [None, None, None]
    s = one_session(sz)
    assert s["session_version"] == 1
    assert s["is_anonymous"] == 0 and s["ipv4_address"] == "1.2.3.0"
    assert s["location_country_name"] == "FR" and s["location_city_name"] == "Paris"
    assert s["session_total_events"] == 2  # type 20 is stored, not counted
    assert [r["event_type"] for r in rows] == [1, 20, 1]
