"""Custom events, goals, site search and e-commerce (seed 001 §2.1.1-2.1.2), request and store."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_events_goals_and_site_search(tab_factory: Any) -> None:
    tab = tab_factory("events")
    goal = tab.footfall.goals["events"]
    tab.open(
        "shop.test",
        "/events.html",
        "x",
        f"""_paq.push(["trackPageView", "Events page"]);
        _paq.push(["trackEvent", "assignment", "assignment-submitted", "Math 4", 10]);
        _paq.push(["trackEvent", "category", "action"]);
        _paq.push(["trackEvent", "category", "no-name", undefined, 10.5]);
        _paq.push(["trackEvent", "", "missing category is not sent"]);
        _paq.push(["trackGoal", {goal}, 15]);
        _paq.push(["trackSiteSearch", "les paul", "electric guitars", 5, {{dimension10: "amber%20x"}}]);
        _paq.push(["trackSiteSearch", "playstation", undefined, 7]);""",
    )
    events = tab.wait_hits(lambda h: "e_c" in h, 3)
    assert [(e["e_c"], e["e_a"], e.get("e_n"), e.get("e_v")) for e in events] == [
        ("assignment", "assignment-submitted", "Math 4", "10"),
        ("category", "action", None, None),
        ("category", "no-name", None, "10.5"),
    ]
    [conversion] = tab.wait_hits(lambda h: "idgoal" in h)
    assert (conversion["idgoal"], conversion["revenue"]) == (str(goal), "15")
    searches = tab.wait_hits(lambda h: "search" in h, 2)
    assert searches[0]["search_cat"] == "electric guitars" and searches[0]["search_count"] == "5"
    assert searches[0]["dimension10"] == "amber x"  # the dimensions object is percent-encoded
    assert "search_cat" not in searches[1] and searches[1]["search_count"] == "7"
    tab.footfall.expect(
        "SELECT event_type, custom_event_category, custom_event_action, custom_event_name,"
        " custom_event_value, goal_id, goal_revenue, search_keyword, search_category,"
        " search_results_count FROM events WHERE website_id = ? AND event_type IN (4, 5, 8)"
        " ORDER BY event_type DESC, custom_event_action, search_keyword",
        [tab.app],
        [
            (8, "", "", "", None, goal, 15.0, "", "", None),
            (5, "category", "action", "", None, None, None, "", "", None),
            (5, "assignment", "assignment-submitted", "Math 4", 10.0, None, None, "", "", None),
            (5, "category", "no-name", "", 10.5, None, None, "", "", None),
            (4, "", "", "", None, None, None, "les paul", "electric guitars", 5),
            (4, "", "", "", None, None, None, "playstation", "", 7),
        ],
    )


def test_ecommerce_cart_order_and_product_views(tab_factory: Any) -> None:
    tab = tab_factory("ecommerce")
    tab.open(
        "shop.test",
        "/product.html",
        "x",
        """_paq.push(["setEcommerceView", "00492710", "SUPER Watch B20", ["New offer", "Smartwatches"], 700]);
        _paq.push(["trackPageView", "Product page"]);
        _paq.push(["addEcommerceItem", "82775027", "MEGA Milk Chocolate 200g", "Candy", 6.00, 1]);
        _paq.push(["addEcommerceItem", "01809926", "FRUTASTIC Mango", "Fruits", 4.00, 1]);
        _paq.push(["addEcommerceItem", "01809926", "FRUTASTIC Mango", "Fruits", 4.00, 2]);
        _paq.push(["trackEcommerceCartUpdate", 14.00]);
        _paq.push(["removeEcommerceItem", "82775027"]);
        _paq.push([function () { window.cart = this.getEcommerceItems(); }]);""",
    )
    [view] = tab.wait_hits(lambda h: h.get("action_name") == "Product page")
    assert (view["_pks"], view["_pkn"], view["_pkp"]) == ("00492710", "SUPER Watch B20", "700")
    assert json.loads(view["_pkc"]) == ["New offer", "Smartwatches"]
    [cart] = tab.wait_hits(lambda h: h.get("idgoal") == "0" and "ec_id" not in h)
    assert cart["revenue"] == "14"
    assert json.loads(cart["ec_items"]) == [
        ["82775027", "MEGA Milk Chocolate 200g", "Candy", 6, 1],
        ["01809926", "FRUTASTIC Mango", "Fruits", 4, 2],  # same SKU again replaces, not adds
    ]
    assert tab.run("() => window.cart") == {
        "01809926": ["01809926", "FRUTASTIC Mango", "Fruits", 4, 2]
    }
    tab.run(
        """() => {
        _paq.push(["clearEcommerceCart"]);
        _paq.push(["addEcommerceItem", "66251929", "Red Unicorn Coffee Mug", "Tableware", 8.00, 1]);
        _paq.push(["addEcommerceItem", "08273511", "SUPER Blue Ink Pen 0.2", "Office", 2.00, 2]);
        _paq.push(["trackEcommerceOrder", "online-5289", 16.00, 10.00, 1.00, 6.00, 2.00]);
        _paq.push([function () { window.afterOrder = this.getEcommerceItems(); }]);
    }"""
    )
    [order] = tab.wait_hits(lambda h: h.get("ec_id") == "online-5289")
    assert (order["revenue"], order["ec_st"], order["ec_tx"], order["ec_sh"], order["ec_dt"]) == (
        "16",
        "10",
        "1",
        "6",
        "2",
    )
    assert [i[0] for i in json.loads(order["ec_items"])] == ["66251929", "08273511"]
    assert tab.run("() => window.afterOrder") == {}  # the order clears the cart
    tab.footfall.expect(
        "SELECT event_type, cart_amount, revenue, revenue_subtotal, revenue_tax, revenue_shipping,"
        " revenue_discount, order_id, item_count, ecommerce_items FROM events"
        " WHERE website_id = ? AND event_type IN (9, 16) ORDER BY event_type DESC",
        [tab.app],
        [
            (
                16,
                14.0,
                None,
                None,
                None,
                None,
                None,
                "",
                2,
                '[["82775027","MEGA Milk Chocolate 200g","Candy",6.0,1],["01809926","FRUTASTIC Mango","Fruits",4.0,2]]',
            ),
            (
                9,
                None,
                16.0,
                10.0,
                1.0,
                6.0,
                2.0,
                "online-5289",
                2,
                '[["66251929","Red Unicorn Coffee Mug","Tableware",8.0,1],["08273511","SUPER Blue Ink Pen 0.2","Office",2.0,2]]',
            ),
        ],
    )
    tab.footfall.expect(
        "SELECT session_ecommerce_status FROM sessions WHERE website_id = ?"
        " ORDER BY session_version DESC LIMIT 1",
        [tab.app],
        [(1,)],
    )
