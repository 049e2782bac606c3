"""Event rows (DATA-MODEL §1.7), event ids, automatic goal conversions (§4.2)."""

from __future__ import annotations

import dataclasses

import orjson
import pytest

from footfall.model.columns import EVENT_COLUMN_NAMES
from footfall.model.hit import EcommerceItem, Hit
from footfall.model.reasons import Reason
from footfall.model.settings import Goal
from footfall.pipeline.sessions import Sessionizer
from footfall.pipeline.sessions.timings import timing_columns

from .factory import APP, T0, event, feed, make_hit, page


def test_page_view_row() -> None:
    rows, _ = feed(Sessionizer(), [page(1, 0, "/a", "A", pv_id="p1", local_time=(23, 59, 1))])
    r = rows[0]
    assert set(r) == set(EVENT_COLUMN_NAMES)
    assert r["event_id"] == 16 and r["session_id"] == 16 and r["timestamp"] == T0
    assert (r["event_type"], r["event_index"], r["page_view_index"], r["is_entry"]) == (1, 0, 0, 1)
    assert (r["event_url"], r["event_title"]) == ("https://example.com/a", "A")
    assert r["previous_event_url"] == "" and r["local_time"] == "23:59:01" and r["pv_id"] == "p1"


def test_indexes_and_previous_page() -> None:
    hits = [
        page(1, 0, "/a", "A", pv_id="p1"),
        page(2, 10, "/b", "B", pv_id="p2"),
        event(3, 11, 5, pv_id="p1", event_category="c", event_action="a"),  # late event of /a
        event(4, 12, 2, outlink_url="https://out.example/"),
        page(5, 20, "/c", "C"),
    ]
    rows, _ = feed(Sessionizer(), hits)
    assert [r["event_index"] for r in rows] == [0, 1, 2, 3, 4]
    assert [r["page_view_index"] for r in rows] == [0, 1, None, None, 2]
    assert [r["is_entry"] for r in rows] == [1, 0, 0, 0, 0]
    assert [r["event_url"][-2:] for r in rows] == ["/a", "/b", "/a", "/b", "/c"]
    assert [r["event_title"] for r in rows] == ["A", "B", "A", "B", "C"]
    assert [r["previous_event_url"][-2:] for r in rows] == ["", "/a", "/b", "/b", "/b"]
    assert rows[0]["previous_event_url"] == ""
    assert rows[4]["previous_event_title"] == "B"


def test_event_with_its_own_url_keeps_it() -> None:
    hits = [
        page(1, 0, "/a", "A"),
        make_hit(
            2, 5, event_type=3, event_url="https://example.com/x", event_title="", download_url="d"
        ),
    ]
    rows, _ = feed(Sessionizer(), hits)
    assert rows[1]["event_url"] == "https://example.com/x" and rows[1]["event_title"] == "A"


def test_type_specific_columns() -> None:
    items = [EcommerceItem("sku1", "Shoe", "Shoes/Men", 49.5, 2), EcommerceItem("sku2", "Sock")]
    hits = [
        event(1, 0, 4, search_keyword="q", search_category="cat", search_count=70000),
        event(2, 1, 5, event_category="c", event_action="a", event_name="n", event_value=2.5),
        event(
            3,
            2,
            7,
            content_name="n",
            content_piece="p",
            content_target="t",
            content_interaction="click",
        ),
        event(4, 3, 16, revenue=99.0, ecommerce_items=items, has_ecommerce_items=True),
        event(
            5,
            4,
            9,
            order_id="o",
            revenue=120.0,
            revenue_subtotal=100.0,
            revenue_tax=20.0,
            revenue_shipping=5.0,
            revenue_discount=5.0,
            ecommerce_items=items,
            has_ecommerce_items=True,
        ),
        event(
            6,
            5,
            14,
            event_category="Consents",
            event_action="Full consent",
            consent={"consent_scope": 1, "bogus": 3},
        ),
        event(7, 6, 2, outlink_url="https://o.example/", search_keyword="ignored"),
    ]
    rows, _ = feed(Sessionizer(), hits)
    search, custom, content, cart, order, consent, outlink = rows
    assert (
        search["search_keyword"],
        search["search_category"],
        search["search_results_count"],
    ) == ("q", "cat", 65535)
    assert (custom["custom_event_category"], custom["custom_event_value"]) == ("c", 2.5)
    assert (content["content_piece"], content["content_interaction"]) == ("p", "click")
    assert cart["cart_amount"] == 99.0 and cart["revenue"] is None and cart["item_count"] == 2
    assert orjson.loads(cart["ecommerce_items"]) == [
        ["sku1", "Shoe", "Shoes/Men", 49.5, 2],
        ["sku2", "Sock", "", 0.0, 1],
    ]
    assert (order["order_id"], order["revenue"], order["revenue_tax"], order["item_count"]) == (
        "o",
        120.0,
        20.0,
        2,
    )
    assert order["cart_amount"] is None
    assert consent["consent_scope"] == 1 and "bogus" not in consent
    assert consent["custom_event_action"] == "Full consent"
    assert outlink["outlink_url"] == "https://o.example/" and outlink["search_keyword"] == ""


def test_event_custom_variables_and_generation_time() -> None:
    hits = [
        page(
            1,
            0,
            "/a",
            page_custom_variables={2: ("k", "v"), 9: ("x", "y")},
            generation_time_ms=123.0,
        )
    ]
    rows, _ = feed(Sessionizer(), hits)
    assert (rows[0]["event_custom_variable_key_2"], rows[0]["event_custom_variable_value_2"]) == (
        "k",
        "v",
    )
    # slots 6..10 exist since migration 0002 (Pirsch tags use them)
    assert (rows[0]["event_custom_variable_key_9"], rows[0]["event_custom_variable_value_9"]) == (
        "x",
        "y",
    )
    assert rows[0]["page_generation_time"] == 123.0


def test_piwik_timings() -> None:
    t = {
        "t_di": 800,
        "t_ee": 1500,
        "t_rs": 0,
        "t_re": 10,
        "t_ds": 10,
        "t_cs": 30,
        "t_ce": 60,
        "t_qs": 60,
        "t_ae": 300,
        "t_dl": 400,
        "t_dc": 900,
    }
    assert timing_columns(t) == {
        "timing_dom_interactive": 800,
        "timing_event_end": 1500,
        "redirections_time": 10,
        "domain_lookup_time": 20,
        "server_connection_time": 30,
        "server_response_time": 240,
        "page_rendering_time": 500,
    }


def test_matomo_timings_and_clamping() -> None:
    t = {"pf_net": 10, "pf_srv": 20, "pf_tfr": 30, "pf_dm1": 40, "pf_dm2": 50, "pf_onl": 60}
    assert timing_columns(t) == {
        "timing_dom_interactive": 100,
        "timing_event_end": 210,
        "redirections_time": None,
        "domain_lookup_time": None,
        "server_connection_time": 10,
        "server_response_time": 50,
        "page_rendering_time": 90,
    }
    odd = timing_columns({"t_cs": 5, "t_ce": 4, "t_qs": 0, "t_ae": 100_000})
    assert odd["server_connection_time"] is None  # negative
    assert odd["server_response_time"] == 65535  # USMALLINT
    assert odd["timing_dom_interactive"] is None


def test_timings_reach_the_row() -> None:
    rows, _ = feed(
        Sessionizer(), [page(1, 0, "/a"), event(2, 1, 21, pv_id="", timings={"t_di": 5})]
    )
    assert rows[1]["timing_dom_interactive"] == 5 and rows[0]["timing_dom_interactive"] is None


def test_event_ids_are_deterministic() -> None:
    goals = dataclasses.replace(APP, goals=(Goal(1, "any page", trigger="url", pattern="/"),))

    def run() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
        sz = Sessionizer()
        hits = [
            page(5, 0, "/a"),
            page(6, 10, "/b"),
            page(8, 9999, "/c"),
            event(9, 10000, 16, revenue=1.0),
        ]
        rows, _ = feed(sz, hits, goals)
        extra, closed = sz.expire(T0 + 99999)
        return rows + extra, closed

    first, second = run(), run()
    assert first == second
    ids = [r["event_id"] for r in first[0]]
    assert ids == [5 << 4, (5 << 4) | 1, 6 << 4, 8 << 4, (8 << 4) | 1, 9 << 4, (9 << 4) | 15]
    assert len(set(ids)) == len(ids)


GOALS = (
    Goal(1, "url", trigger="url", pattern_type="contains", pattern="/Thanks"),
    Goal(
        2,
        "title exact",
        trigger="title",
        pattern_type="exact",
        pattern="Order done",
        case_sensitive=True,
    ),
    Goal(3, "cat", trigger="event_category", pattern="video"),
    Goal(4, "action regex", trigger="event_action", pattern_type="regex", pattern="^pl(a|ay)$"),
    Goal(5, "name", trigger="event_name", pattern_type="exact", pattern="intro"),
    Goal(
        6,
        "file",
        trigger="file",
        pattern_type="regex",
        pattern=r"\.pdf$",
        allow_multiple=True,
        revenue=1.5,
    ),
    Goal(7, "outlink", trigger="external_website", pattern="partner.example"),
    Goal(8, "manual", trigger="manually", pattern="x", revenue=7.0),
    Goal(9, "bad regex", trigger="url", pattern_type="regex", pattern="("),
)


def goal_ids(hits: list[Hit]) -> list[tuple[int, int | None]]:
    rows, _ = feed(Sessionizer(), hits, dataclasses.replace(APP, goals=GOALS))
    return [(r["event_type"], r["goal_id"]) for r in rows]


@pytest.mark.parametrize(
    ("hit", "goals"),
    [
        (page(1, 0, "/thanks"), [1]),  # case-insensitive contains
        (page(1, 0, "/x", "Order done"), [2]),
        (page(1, 0, "/x", "order done"), []),  # case-sensitive exact
        (
            event(1, 0, 5, event_category="Video", event_action="play", event_name="intro"),
            [3, 4, 5],
        ),
        (event(1, 0, 5, event_category="audio", event_action="playing"), []),
        (event(1, 0, 3, download_url="https://example.com/a.PDF"), [6]),
        (event(1, 0, 2, outlink_url="https://partner.example/x"), [7]),
        (event(1, 0, 4, search_keyword="/thanks"), []),  # url goals test page views only
    ],
)
def test_automatic_goal_triggers(hit: Hit, goals: list[int]) -> None:
    result = goal_ids([hit])
    assert result[1:] == [(8, g) for g in goals]


def test_goal_rows_follow_their_event() -> None:
    rows, _ = feed(
        Sessionizer(),
        [page(1, 0, "/a", "A"), event(2, 5, 3, download_url="f.pdf", pv_id="")],
        dataclasses.replace(APP, goals=GOALS),
    )
    goal = rows[2]
    assert goal["event_id"] == (2 << 4) | 1 and goal["event_index"] == 2
    assert goal["timestamp"] == rows[1]["timestamp"] and goal["goal_revenue"] == 1.5
    assert goal["event_url"] == "https://example.com/a" and goal["page_view_index"] is None


def test_allow_multiple() -> None:
    hits = [
        page(1, 0, "/thanks"),
        page(2, 5, "/thanks"),
        event(3, 6, 3, download_url="a.pdf"),
        event(4, 7, 3, download_url="b.pdf"),
    ]
    assert goal_ids(hits) == [(1, None), (8, 1), (1, None), (3, None), (8, 6), (3, None), (8, 6)]


def test_manual_goal_revenue_and_allow_multiple() -> None:
    sz = Sessionizer()
    app = dataclasses.replace(APP, goals=GOALS)
    rows, reasons = feed(
        sz,
        [
            page(1, 0, "/a"),
            event(2, 5, 8, goal_id=8),
            event(3, 6, 8, goal_id=8),
            event(4, 7, 8, goal_id=6, revenue=3.0),
            event(5, 8, 8, goal_id=6),
        ],
        app,
    )
    assert reasons == [None, None, Reason.DUPLICATE_GOAL, None, None]
    assert [(r["goal_id"], r["goal_revenue"]) for r in rows[1:]] == [(8, 7.0), (6, 3.0), (6, 1.5)]


def test_goals_preset_by_an_earlier_step_are_converted_once() -> None:
    hits = [page(1, 0, "/thanks", matched_goals=[1, 5])]
    assert goal_ids(hits) == [(1, None), (8, 1), (8, 5)]
