"""Pirsch ingestion: what each write endpoint spools, and the 400s naming the field at fault."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.pirsch.conftest import Pirsch
from footfall.collect.params import parse_hit
from footfall.collect.pirsch import InvalidItem, to_record
from footfall.meta import pirsch

HIT = {"url": "https://shop.example.com/p?q=1", "ip": "198.51.100.7", "user_agent": "UA/1.0"}


def test_a_hit_becomes_a_page_view_record(api: Pirsch) -> None:
    token = api.token(api.shop_id, "hit")
    body = {
        **HIT,
        "accept_language": "fr",
        "title": "Prices",
        "referrer": "https://ref.example.net/",
        "screen_width": 390,
        "screen_height": 844,
        "sec_ch_ua_mobile": "?1",
        "sec_ch_ua_platform": '"Android"',
        "tags": {"author": "kim", "n": 2},
        "dnt": "1",
        "unknown_key": {"nested": True},
    }
    r = api.request("POST", "/api/v1/hit", token, json=body)
    assert (r.status_code, r.content) == (200, b"")
    [record] = api.spooled()
    assert (record.protocol, record.ip, record.user_agent, record.accept_language) == (
        "pirsch",
        "198.51.100.7",
        "UA/1.0",
        "fr",
    )
    hit = parse_hit(record)
    assert (hit.url, hit.action_name, hit.referrer_url, hit.resolution) == (
        "https://shop.example.com/p?q=1",
        "Prices",
        "https://ref.example.net/",
        "390x844",
    )
    # tags take slots 6..10, which event metadata never uses
    assert hit.page_custom_variables == {6: ("author", "kim"), 7: ("n", "2")}
    assert record.headers == {
        "sec-ch-ua-mobile": "?1",
        "sec-ch-ua-platform": '"Android"',
        "dnt": "1",
    }
    assert hit.cookie_visitor_id == "" and hit.forced_visitor_id == ""  # cookieless


def test_an_event_becomes_a_custom_event(api: Pirsch) -> None:
    token = api.token(api.shop_id, "event")
    body = {
        **HIT,
        "event_name": "Buy",
        "event_duration": 7,
        "event_meta": {"sku": "A1", "ok": False},
    }
    assert api.request("POST", "/api/v1/event", token, json=body).status_code == 200
    hit = parse_hit(api.spooled()[0])
    assert (hit.event_category, hit.event_action, hit.event_name, hit.event_value) == (
        "pirsch",
        "Buy",
        "Buy",
        7.0,
    )
    assert hit.page_custom_variables == {1: ("sku", "A1"), 2: ("ok", "false")}


def test_event_metadata_and_tags_keep_their_own_slots() -> None:
    """Six metadata pairs and six tags: five of each are kept, none in the other's slots."""
    meta = {f"m{i}": str(i) for i in range(6)}
    tags = {f"t{i}": f"v{i}" for i in range(6)}
    item = {**HIT, "event_name": "e", "event_meta": meta, "tags": tags}
    slots = parse_hit(to_record(item, "event", "app", 1.0)).page_custom_variables
    assert {k: slots[k] for k in range(1, 6)} == {i + 1: (f"m{i}", str(i)) for i in range(5)}
    assert {k: slots[k] for k in range(6, 11)} == {i + 6: (f"t{i}", f"v{i}") for i in range(5)}
    assert set(slots) == set(range(1, 11))
    # tags alone still start at slot 6; a page view carries no metadata
    alone = parse_hit(to_record({**HIT, "tags": {"a": "b"}}, "hit", "app", 1.0))
    assert alone.page_custom_variables == {6: ("a", "b")}


def test_a_session_is_a_keep_alive_ping(api: Pirsch) -> None:
    token = api.token(api.shop_id, "session")
    body = {"ip": "198.51.100.7", "user_agent": "UA/1.0"}
    assert api.request("POST", "/api/v1/session", token, json=body).status_code == 200
    hit = parse_hit(api.spooled()[0])
    assert (hit.ping, hit.url) == (1, "")


def test_batches_carry_their_time(api: Pirsch) -> None:
    token = api.token(api.shop_id, "hit,event,session")
    # the Node SDK's toISOString(), and Go's time.Time as the Go SDK marshals it: RFC3339Nano in
    # the sender's local offset
    times = [
        "2023-01-02T14:15:32Z",
        "2023-01-02T14:15:33.5Z",
        "2023-01-02T15:15:34.123456789+01:00",
        "2023-01-02T09:45:35-04:30",
    ]
    batch = [{**HIT, "time": t} for t in times]
    assert api.request("POST", "/api/v1/hit/batch", token, json=batch).status_code == 200
    assert [parse_hit(r).timestamp for r in api.spooled()] == [
        1672668932.0,
        1672668933.5,
        1672668934.123456,
        1672668935.0,
    ]
    r = api.request("POST", "/api/v1/hit/batch", token, json=[{**HIT}])
    assert r.status_code == 400 and r.json()["validation"] == {
        "0.time": "must be an RFC 3339 date and time"
    }
    assert api.request("POST", "/api/v1/session/batch", token, json=[]).status_code == 200


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/hit", {**HIT, "url": ""}, "url"),
        ("/api/v1/hit", {**HIT, "url": "ftp://x.example/"}, "url"),
        ("/api/v1/hit", {**HIT, "url": "/relative"}, "url"),
        ("/api/v1/hit", {**HIT, "ip": "999.1.1.1"}, "ip"),
        ("/api/v1/hit", {k: v for k, v in HIT.items() if k != "ip"}, "ip"),
        ("/api/v1/hit", {k: v for k, v in HIT.items() if k != "user_agent"}, "user_agent"),
        ("/api/v1/hit", {**HIT, "title": 5}, "title"),
        ("/api/v1/hit", {**HIT, "screen_width": "wide"}, "screen_width"),
        ("/api/v1/hit", {**HIT, "screen_width": -1}, "screen_width"),
        ("/api/v1/hit", {**HIT, "tags": ["a"]}, "tags"),
        ("/api/v1/hit", {**HIT, "tags": {"a": {"b": 1}}}, "tags.a"),
        ("/api/v1/hit", [HIT], "body"),
        ("/api/v1/event", {**HIT}, "event_name"),
        ("/api/v1/event", {**HIT, "event_name": "  "}, "event_name"),
        ("/api/v1/event", {**HIT, "event_name": "e", "event_duration": "x"}, "event_duration"),
        ("/api/v1/event", {**HIT, "event_name": "e", "event_meta": "x"}, "event_meta"),
        ("/api/v1/session", {"ip": "1.2.3.4"}, "user_agent"),
        ("/api/v1/hit/batch", HIT, "body"),
        ("/api/v1/hit/batch", [{**HIT, "time": "2023-01-02T00:00:00Z"}, 3], "1.body"),
        ("/api/v1/event/batch", [{**HIT, "time": "2023-01-02T00:00:00Z"}], "0.event_name"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api: Pirsch, path: str, body: Any, field: str) -> None:
    token = api.token(api.shop_id, "hit,event,session")
    r = api.request("POST", path, token, json=body)
    assert r.status_code == 400, r.text
    assert field in r.json()["validation"], r.json()
    assert api.spooled() == []


def test_invalid_json_is_a_400(api: Pirsch) -> None:
    token = api.token(api.shop_id, "hit")
    r = api.request("POST", "/api/v1/hit", token, content=b"{not json")
    assert r.status_code == 400 and r.json()["validation"] == {"body": "is not valid JSON"}


def test_do_not_track_is_honoured_when_the_domain_says_so(api: Pirsch) -> None:
    token = api.token(api.shop_id, "hit")
    assert api.request("POST", "/api/v1/hit", token, json={**HIT, "dnt": "1"}).status_code == 200
    assert len(api.spooled()) == 1  # the default: DNT is not honoured
    admin = api.token(None, "domains:w")
    r = api.request("POST", "/api/v1/domain/dnt", admin, json={"domain_id": api.shop_id})
    assert r.status_code == 200
    assert pirsch.domain_attributes(api.meta, api.shop_id).honour_dnt is True
    assert api.request("POST", "/api/v1/hit", token, json={**HIT, "dnt": "1"}).status_code == 200
    assert api.request("POST", "/api/v1/hit", token, json={**HIT, "dnt": "0"}).status_code == 200
    assert len(api.spooled()) == 2  # the DNT hit was answered 200 and dropped


_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20))
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
_keys = st.sampled_from(
    [
        "url",
        "ip",
        "user_agent",
        "title",
        "referrer",
        "screen_width",
        "screen_height",
        "tags",
        "event_name",
        "event_duration",
        "event_meta",
        "time",
        "dnt",
        "sec_ch_ua",
        "other",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    item=st.one_of(_values, st.dictionaries(_keys, _values, max_size=10)),
    kind=st.sampled_from(["hit", "event", "session"]),
    batch=st.booleans(),
)
def test_to_record_accepts_or_names_a_field_never_crashes(
    item: Any, kind: Any, batch: bool
) -> None:
    try:
        record = to_record(item, kind, "app", 1.0, batch)
    except InvalidItem as e:
        assert e.field and e.message
        return
    again = type(record).decode(record.encode())
    assert again.params == record.params
    parse_hit(again)  # the pipeline can read whatever was accepted


def test_an_accepted_record_round_trips_meta_as_json() -> None:
    record = to_record({**HIT, "event_name": "e", "event_meta": {"a": "b"}}, "event", "app", 1.0)
    assert orjson.loads(record.params["cvar"]) == {"1": ["a", "b"]}


def test_an_oversized_body_is_a_413(api: Pirsch) -> None:
    token = api.token(api.shop_id, "hit")
    huge = {**HIT, "title": "x" * (300 * 1024)}
    r = api.request("POST", "/api/v1/hit", token, json=huge)
    assert r.status_code == 413 and r.json()["error"]
    assert api.spooled() == []
