"""parse_hit, table-driven over every parameter group of seed 000 and api-notes §11."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from footfall.collect.params import parse_hit
from footfall.model.hit import EcommerceItem, Hit
from footfall.model.record import RawRecord

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC).timestamp()
APP = "0d8f6a5e-3c2b-4a19-9e7d-5b1c2a3f4e60"


def hit_of(params: dict[str, str], **record: Any) -> Hit:
    base = {"idsite": "1", "rec": "1", "url": "https://example.org/"}
    fields: dict[str, Any] = {
        "ip": "203.0.113.9",
        "user_agent": "Header-UA",
        "accept_language": "de-DE",
    }
    fields.update(record)
    return parse_hit(RawRecord(APP, {**base, **params}, NOW, **fields))


Case = tuple[dict[str, str], str, object]


def check(cases: list[Case]) -> None:
    for params, attribute, expected in cases:
        assert getattr(hit_of(params), attribute) == expected, (params, attribute)


USER_INFO: list[Case] = [
    ({"_id": "AF344A398DF83874"}, "cookie_visitor_id", "af344a398df83874"),
    ({"_id": "not-hex"}, "cookie_visitor_id", ""),
    ({"cid": "0123456789abcdef"}, "forced_visitor_id", "0123456789abcdef"),
    ({"cid": "0123"}, "forced_visitor_id", ""),
    ({"uid": " alice@example.org "}, "user_id", "alice@example.org"),
    ({"new_visit": "1"}, "new_visit", True),
    ({"new_visit": "0"}, "new_visit", False),
    ({"_idvc": "19"}, "visit_count", 19),
    ({"_idvc": "-3"}, "visit_count", None),
    ({"_viewts": "1700000000"}, "previous_visit_ts", 1700000000),
    ({"_idts": "1600000000"}, "first_visit_ts", 1600000000),
    ({"_ects": "1650000000"}, "last_order_ts", 1650000000),
    ({"_ects": "soon"}, "last_order_ts", None),
    ({"urlref": "iphone.mobileapp.piwik.org"}, "referrer_url", "iphone.mobileapp.piwik.org"),
    ({"_rcn": "spring"}, "campaign_name_param", "spring"),
    ({"_rck": "shoes"}, "campaign_keyword_param", "shoes"),
    ({"res": "320x480"}, "resolution", "320x480"),
    ({"h": "18", "m": "13", "s": "3"}, "local_time", (18, 13, 3)),
    ({"h": "18"}, "local_time", (18, 0, 0)),
    ({"h": "25", "m": "1", "s": "1"}, "local_time", None),
    ({"h": "7", "m": "99", "s": "x"}, "local_time", (7, 0, 0)),
    ({"ua": "Override-UA"}, "user_agent", "Override-UA"),
    ({}, "user_agent", "Header-UA"),
    ({"lang": "fr"}, "accept_language", "fr"),
    ({}, "accept_language", "de-DE"),
    ({"uia": "1", "dda": "1", "rmip": "1"}, "is_anonymous", True),
    ({"uia": "1", "dda": "1", "rmip": "1"}, "dont_deanonymize", True),
    ({"uia": "1", "dda": "1", "rmip": "1"}, "remove_ip", True),
    (
        {"_cvar": '{"1":["OS","iphone 5.0"],"2":["Piwik Mobile Version","1.6.2"]}'},
        "visit_custom_variables",
        {1: ("OS", "iphone 5.0"), 2: ("Piwik Mobile Version", "1.6.2")},
    ),
    (
        {"_cvar": '{"1":["k", 5], "x":["a","b"], "2":["only"]}'},
        "visit_custom_variables",
        {1: ("k", "5")},
    ),
    ({"_cvar": "{not json"}, "visit_custom_variables", {}),
    ({"_cvar": '{"1":["' + "k" * 300 + '","v"]}'}, "visit_custom_variables", {1: ("k" * 200, "v")}),
]

PLUGINS: list[Case] = [
    (
        {"fla": "1", "java": "0", "pdf": "1", "cookie": "1", "ag": "0"},
        "plugins",
        {"fla": True, "java": False, "pdf": True, "cookie": True, "ag": False},
    ),
    (
        {"dir": "1", "qt": "1", "realp": "1", "wma": "1", "gears": "1"},
        "plugins",
        dict.fromkeys(("dir", "qt", "realp", "wma", "gears"), True),
    ),
    ({}, "plugins", {}),
]

ACTION_INFO: list[Case] = [
    ({"url": " https://example.org/a "}, "url", "https://example.org/a"),
    ({"action_name": "Help / Feedback"}, "action_name", "Help / Feedback"),
    ({"cvar": '{"3":["HTTP-code","200"]}'}, "page_custom_variables", {3: ("HTTP-code", "200")}),
    ({"link": "https://out.example.com"}, "outlink_url", "https://out.example.com"),
    ({"download": "https://example.org/f.pdf"}, "download_url", "https://example.org/f.pdf"),
    ({"search": "shoes"}, "search_keyword", "shoes"),
    ({"search": "shoes", "search_cat": "Men"}, "search_category", "Men"),
    ({"search_cats": '["", "Women", "Kids"]'}, "search_category", "Women"),
    ({"search_cat": "Men", "search_cats": '["Women"]'}, "search_category", "Men"),
    ({"search_cats": "Plain"}, "search_category", "Plain"),
    ({"search_cats": "[broken"}, "search_category", ""),
    ({"search_count": "0"}, "search_count", 0),
    ({"search_count": "-1"}, "search_count", None),
    ({"idgoal": "3"}, "goal_ref", "3"),
    ({"idgoal": "0"}, "goal_ref", "0"),
    (
        {"idgoal": "0B9A6C1E-1B2C-4D3E-8F90-A1B2C3D4E5F6"},
        "goal_ref",
        "0b9a6c1e-1b2c-4d3e-8f90-a1b2c3d4e5f6",
    ),
    ({"idgoal": "goal!"}, "goal_ref", None),
    ({}, "goal_ref", None),
    ({"revenue": "12.5"}, "revenue", 12.5),
    ({"revenue": "lots"}, "revenue", None),
    ({"gt_ms": "153"}, "generation_time_ms", 153.0),
    ({"pf_srv": "88"}, "generation_time_ms", 88.0),
    ({"gt_ms": "153", "pf_srv": "88"}, "generation_time_ms", 153.0),
    ({"gt_ms": "-5"}, "generation_time_ms", None),
    ({"cs": "windows-1252"}, "charset", "windows-1252"),
    ({"pv_id": "aB3dE6"}, "pv_id", "aB3dE6"),
    ({"bw_bytes": "2048"}, "bandwidth_bytes", 2048),
    ({"bw_bytes": "many"}, "bandwidth_bytes", None),
]

EVENTS_AND_CONTENT: list[Case] = [
    ({"e_c": "Videos", "e_a": "Play"}, "event_category", "Videos"),
    ({"e_c": "Videos", "e_a": "Play"}, "event_action", "Play"),
    ({"e_n": "Movie"}, "event_name", "Movie"),
    ({"e_v": "4.5"}, "event_value", 4.5),
    ({"e_v": "four"}, "event_value", None),
    ({"c_n": "Ad Foo Bar"}, "content_name", "Ad Foo Bar"),
    ({"c_p": "/img/ad.png"}, "content_piece", "/img/ad.png"),
    ({"c_t": "https://landing.example"}, "content_target", "https://landing.example"),
    ({"c_i": "click"}, "content_interaction", "click"),
]

ECOMMERCE: list[Case] = [
    ({"ec_id": "A-1"}, "order_id", "A-1"),
    ({"ec_st": "10", "ec_tx": "2", "ec_sh": "3.5", "ec_dt": "1"}, "revenue_subtotal", 10.0),
    ({"ec_st": "10", "ec_tx": "2", "ec_sh": "3.5", "ec_dt": "1"}, "revenue_tax", 2.0),
    ({"ec_st": "10", "ec_tx": "2", "ec_sh": "3.5", "ec_dt": "1"}, "revenue_shipping", 3.5),
    ({"ec_st": "10", "ec_tx": "2", "ec_sh": "3.5", "ec_dt": "1"}, "revenue_discount", 1.0),
    ({"e_t": "add-to-cart"}, "ecommerce_kind", "add-to-cart"),
    ({"e_t": "ORDER"}, "ecommerce_kind", "order"),
    ({"e_t": "refund"}, "ecommerce_kind", ""),
    (
        {"ec_items": '[["SKU1","Shoe","Men",49.9,2],["SKU2","Sock",["A","B"],"3.5","1"]]'},
        "ecommerce_items",
        [
            EcommerceItem("SKU1", "Shoe", "Men", 49.9, 2),
            EcommerceItem("SKU2", "Sock", "A/B", 3.5, 1),
        ],
    ),
    (
        {
            "ec_products": '[{"sku":"S","name":"N","category":["c1","c2"],"price":"9.99","quantity":"3","brand":"x"}]'
        },
        "ecommerce_items",
        [EcommerceItem("S", "N", "c1/c2", 9.99, 3)],
    ),
    (
        {"ec_items": '[["S"], 5, null, {"price": 1}, ["T","n","c","bad","bad"]]'},
        "ecommerce_items",
        [EcommerceItem("S"), EcommerceItem("T", "n", "c")],
    ),
    (
        {"ec_items": '{"0":["S","N","C",1,1],"2":["T","M","D",2,1]}'},
        "ecommerce_items",
        [EcommerceItem("S", "N", "C", 1.0, 1), EcommerceItem("T", "M", "D", 2.0, 1)],
    ),
    ({"ec_items": "[]"}, "has_ecommerce_items", True),
    ({"ec_items": "garbage"}, "has_ecommerce_items", True),
    ({"ec_items": "garbage"}, "ecommerce_items", []),
    ({}, "has_ecommerce_items", False),
    (
        {"_pks": "SKU9", "_pkn": "Lamp", "_pkc": '["Home","Light"]', "_pkp": "25"},
        "ecommerce_view",
        ("SKU9", "Lamp", "Home/Light", 25.0),
    ),
    (
        {
            "cvar": '{"3":["_pkc","Cat"],"4":["_pkp",12],"5":["_pks","S1"],"6":["_pkn","N1"],"1":["a","b"]}'
        },
        "ecommerce_view",
        ("S1", "N1", "Cat", 12.0),
    ),
    ({"cvar": '{"5":["_pks","S1"],"1":["a","b"]}'}, "page_custom_variables", {1: ("a", "b")}),
    ({}, "ecommerce_view", None),
]

SPECIAL: list[Case] = [
    ({"cip": "198.51.100.7"}, "ip", "198.51.100.7"),
    ({"cip": "2001:DB8::7"}, "ip", "2001:db8::7"),
    ({"cip": "not-an-ip"}, "ip", "203.0.113.9"),
    ({"cdt": "2024-05-01 10:00:00"}, "timestamp", NOW - 7200),
    ({"cdt": str(int(NOW) - 60)}, "timestamp", NOW - 60),
    ({"cdt": "2024-05-01 13:00:00"}, "timestamp", NOW),  # an hour ahead: ignored
    ({"cdt": "garbage"}, "timestamp", NOW),
    ({"country": "FR"}, "country_override", "fr"),
    ({"country": "France"}, "country_override", ""),
    ({"region": "DS"}, "region_override", "DS"),
    ({"region": "Lower Silesia"}, "region_override", ""),
    ({"city": "Tokyo"}, "city_override", "Tokyo"),
    ({"lat": "22.456"}, "latitude_override", 22.456),
    ({"lat": "95"}, "latitude_override", None),
    ({"long": "-22.5"}, "longitude_override", -22.5),
    ({"lon": "100.25"}, "longitude_override", 100.25),
    ({"long": "200"}, "longitude_override", None),
    ({"bots": "1"}, "track_bots", True),
    ({}, "track_bots", False),
]

DIMENSIONS_PINGS_TIMINGS: list[Case] = [
    (
        {"dimension1": "gold", "dimension12": " x ", "dimension": "no", "dimensionX": "no"},
        "dimensions",
        {1: "gold", 12: "x"},
    ),
    ({"dimension3": "  "}, "dimensions", {}),
    ({"ca": "1"}, "custom_action", True),
    ({"ping": "1"}, "ping", 1),
    ({"ping": "6"}, "ping", 6),
    ({"ping": "7"}, "ping", None),
    ({"ping": "x"}, "ping", None),
    (
        {"t_us": "0", "t_ee": "1500", "t_dc": "-1", "t_xx": "abc"},
        "timings",
        {"t_us": 0, "t_ee": 1500},
    ),
    (
        {
            "pf_net": "10",
            "pf_srv": "20",
            "pf_tfr": "5",
            "pf_dm1": "100",
            "pf_dm2": "50",
            "pf_onl": "3",
        },
        "timings",
        {"pf_net": 10, "pf_srv": 20, "pf_tfr": 5, "pf_dm1": 100, "pf_dm2": 50, "pf_onl": 3},
    ),
    ({"ts_n": "wla", "ts_v": "4.1.0"}, "tracking_source", "wla/4.1.0"),
    ({"ts_n": "jstc"}, "tracking_source", "jstc"),
]


@pytest.mark.parametrize(
    "cases",
    [
        USER_INFO,
        PLUGINS,
        ACTION_INFO,
        EVENTS_AND_CONTENT,
        ECOMMERCE,
        SPECIAL,
        DIMENSIONS_PINGS_TIMINGS,
    ],
    ids=[
        "user",
        "plugins",
        "action",
        "events-content",
        "ecommerce",
        "special",
        "dims-pings-timings",
    ],
)
def test_parameter_groups(cases: list[Case]) -> None:
    check(cases)


def test_origin_fields_come_from_the_record() -> None:
    hit = hit_of({}, protocol="ppms", headers={"dnt": "1"}, seq=7)
    assert (hit.website_id, hit.seq, hit.received_at, hit.timestamp) == (APP, 7, NOW, NOW)
    assert (hit.protocol, hit.ip, hit.headers) == ("ppms", "203.0.113.9", {"dnt": "1"})


def test_client_hints_from_uadata_else_headers() -> None:
    uadata = '{"fullVersionList":[{"brand":"Chromium","version":"124.0.6367.60"}],"mobile":false,"platform":"Windows","platformVersion":"15.0.0"}'
    assert hit_of({"uadata": uadata}).client_hints["platformVersion"] == "15.0.0"
    headers = {"sec-ch-ua-platform": '"Linux"', "dnt": "1"}
    assert hit_of({"uadata": "[1]"}, headers=headers).client_hints == {
        "sec-ch-ua-platform": '"Linux"'
    }
    assert hit_of({}).client_hints == {}


def test_seed_000_example_request() -> None:
    params = {
        "_cvar": '{"1":["OS","iphone 5.0"],"2":["Piwik Mobile Version","1.6.2"],"3":["Locale","en::en"],"4":["Num Accounts","2"]}',
        "action_name": "View settings",
        "url": "mobileapp.piwik.org/window/settings ",
        "idsite": "8876",
        "rand": "351459",
        "h": "18",
        "m": "13",
        "s": "3",
        "rec": "1",
        "apiv": "1",
        "cookie": " ",
        "urlref": "iphone.mobileapp.piwik.org",
        "_id": "af344a398df83874",
        "_idvc": "19",
        "res": "320×480",
    }
    hit = hit_of(params)
    assert hit.action_name == "View settings" and hit.url == "mobileapp.piwik.org/window/settings"
    assert hit.visit_custom_variables[3] == ("Locale", "en::en")
    assert (hit.cookie_visitor_id, hit.visit_count, hit.local_time) == (
        "af344a398df83874",
        19,
        (18, 13, 3),
    )
    assert hit.plugins == {"cookie": False} and hit.resolution == "320×480"
