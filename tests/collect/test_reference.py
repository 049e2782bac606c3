"""Differential tests: the fast parser gives exactly what the frozen reference gives."""

from __future__ import annotations

from dataclasses import astuple
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from footfall.collect import bulk, structured, values
from footfall.collect.params import PLUGIN_PARAMS, parse_hit
from footfall.model.hit import Hit
from footfall.model.record import RawRecord, shared_encoder

from . import reference as ref
from .test_fuzz import APP, JSONISH, KNOWN, VALUES

DIFF = settings(max_examples=400, deadline=None)

#: Every name the parser knows, plus prefixed families and their near misses.
NAMES = st.sampled_from(
    [
        *KNOWN,
        *PLUGIN_PARAMS,
        *("_rcn", "_rck", "dda", "rmip", "_pkn", "ec_tx", "ec_sh", "ec_dt", "ec_id", "ts_v"),
        *("pf_net", "pf_onl", "pf_xx", "t_", "t_dns", "t_toolong", "dimension", "dimension0"),
        *("dimension7", "dimension100001", "dimension²", "gt_ms", "m", "s", "rand", "apiv", ""),
    ]
) | st.text(max_size=12)
#: Values near the edges of the scalar rules: numbers, timestamps, addresses, ids, flags.
TRICKY = [
    *("0", "7", "23", "59", "60", " 12 ", "1.5", "12,50", "-3", "1e3", "0x10", "٣", "²"),
    *("1714550000", "1714550000123", "1714550000.5", "4102444801", "1_000", "9" * 70),
    *("2024-05-01 11:58:31", "2024-05-01T11:58:31Z", "2024-02-30 00:00:00", "0000-01-01"),
    *("2024-05-01 11:58:60", "2024-05-01 11:58:31.25", "2024-5-1 1:2:3", "2024-05-01"),
    *("2024-05-01T11:58:31.123456789+02:00", "2024-05-01t11:58:31z", "2024-05-01T11:58:31-0730"),
    *("203.0.113.7", "01.2.3.4", "256.1.1.1", "[::1]", " 10.0.0.1 ", "::ffff:1.2.3.4"),
    *("AF344A398DF83874", " af344a398df83874", "af344a398df8387g", "0123456789abcdef0"),
    *("0d8f6a5e-3c2b-4a19-9e7d-5b1c2a3f4e60", "order", " Add-To-Cart ", "true", "DE"),
]
NUMBERISH = st.sampled_from(TRICKY)
#: RFC 3339 shapes and near misses: digit runs of any length, both separators and cases, fractions
#: up to ten digits, zones with and without a colon, out-of-range fields.
_DIGITS = st.text("0123456789", min_size=1, max_size=5)
DATETIMES = st.builds(
    "".join,
    st.tuples(
        _DIGITS, st.just("-"), _DIGITS, st.just("-"), _DIGITS, st.sampled_from(["T", "t", " ", "x"]),
        _DIGITS, st.just(":"), _DIGITS, st.just(":"), _DIGITS,
        st.sampled_from(["", "."]) | st.text("0123456789", min_size=1, max_size=10).map(".".__add__),
        st.sampled_from(["", "Z", "z", "+00:00", "-05:30", "+0100", "+24:00", "-00:60", "+1", " Z"]),
    ),
)  # fmt: skip
PARAMS = st.dictionaries(NAMES, VALUES | NUMBERISH, max_size=30)


def fields(hit: Hit) -> tuple[Any, ...]:
    """Every field, dicts as ordered item lists so that key order counts too."""
    return tuple(
        list(v.items()) if isinstance(v, dict) else v
        for v in (getattr(hit, name) for name in Hit.__dataclass_fields__)
    )


@DIFF
@given(
    params=PARAMS,
    ip=st.sampled_from(["", "192.0.2.1"]),
    headers=st.dictionaries(st.sampled_from(["dnt", "sec-ch-ua", "sec-ch-ua-mobile", "x"]), VALUES),
)
def test_parse_hit_matches_reference(
    params: dict[str, str], ip: str, headers: dict[str, str]
) -> None:
    record = RawRecord(APP, params, 1.7e9, ip=ip, user_agent="UA", headers=headers, seq=3)
    assert fields(parse_hit(record)) == fields(ref.parse_hit(record))


SINGLE_NAMES = sorted(
    {
        *KNOWN,
        *PLUGIN_PARAMS,
        *("_rcn", "_rck", "dda", "rmip", "_pkn", "ec_tx", "ec_sh", "ec_dt", "ts_v", "pf_net"),
        *("t_dns", "dimension7", "gt_ms", "m", "s", "long", "lon", "search_cats", "ec_products"),
    }
)
SINGLE_VALUES = [*TRICKY, "", " ", "[]", '["a","b"]', '{"1":["k","v"]}']


@pytest.mark.parametrize("name", SINGLE_NAMES)
def test_each_parameter_alone_matches_reference(name: str) -> None:
    for value in SINGLE_VALUES:
        for extra in ({}, {"h": "7", "gt_ms": "x", "long": "", "search_cat": " "}):
            record = RawRecord(APP, {**extra, name: value}, 1.7e9, ip="192.0.2.1")
            assert fields(parse_hit(record)) == fields(ref.parse_hit(record)), (name, value)


@DIFF
@given(raw=NUMBERISH | VALUES | st.text(max_size=20) | DATETIMES)
def test_scalars_match_reference(raw: str) -> None:
    assert values.to_int(raw, 0, 10**10) == ref.to_int(raw, 0, 10**10)
    assert values.to_int(raw) == ref.to_int(raw)
    assert values.to_hex16(raw) == ref.to_hex16(raw)
    assert values.to_ip(raw) == ref.to_ip(raw)
    assert values.parse_cdt(raw) == ref.parse_cdt(raw)


@DIFF
@given(
    item=st.lists(JSONISH, max_size=6)
    | st.dictionaries(st.sampled_from(["sku", "name", "category", "price", "quantity"]), JSONISH)
    | st.tuples(
        st.text(max_size=5),
        st.text(max_size=5),
        st.lists(JSONISH, max_size=6),
        st.floats() | st.integers(-(2**63), 2**64 - 1),
        st.floats() | st.integers(-(2**63), 2**64 - 1),
    ).map(list)
)
def test_items_match_reference(item: Any) -> None:
    raw = orjson.dumps([item], option=orjson.OPT_NON_STR_KEYS).decode()
    got, want = structured.parse_items(raw), ref.parse_items(raw)
    assert [astuple(i) for i in got or []] == [astuple(i) for i in want or []]
    assert (got is None) == (want is None)


@DIFF
@given(params=PARAMS, headers=st.dictionaries(st.text(max_size=5), st.text(max_size=5)))
def test_decode_matches_reference(params: dict[str, str], headers: dict[str, str]) -> None:
    payload = RawRecord(APP, params, 1.7e9, ip="::1", headers=headers, trusted=True).encode()
    assert RawRecord.decode(payload, 9) == ref.decode(payload, 9)


@pytest.mark.parametrize(
    "payload",
    [
        b'["a",{"k":1,"j":null},1,"","","","matomo",0,{}]',
        b'["a",{"k":"v"},"2",1,2,3,4,5,{"h":7}]',
        b'[1,{"k":"v"},2.5,"","","","ppms",true,{},"extra"]',
    ],
)
def test_decode_converts_foreign_values_like_reference(payload: bytes) -> None:
    assert RawRecord.decode(payload) == ref.decode(payload)


@pytest.mark.parametrize(
    "payload", [b"[]", b'"abcdefghij"', b'{"0":1}', b'["a",[],1,"","","","m",0,{}]', b"nope"]
)
def test_decode_rejects_like_reference(payload: bytes) -> None:
    with pytest.raises(ValueError):
        ref.decode(payload)
    with pytest.raises(ValueError):
        RawRecord.decode(payload)


@DIFF
@given(items=st.lists(st.dictionaries(st.text(max_size=6), JSONISH, max_size=6), max_size=4))
def test_bulk_object_items_match_reference(items: list[dict[str, Any]]) -> None:
    body = orjson.dumps({"requests": items}, option=orjson.OPT_NON_STR_KEYS)
    got = bulk.parse_bulk(body, 100).items
    assert [list(p.items()) if p else p for p in got] == [
        list(p.items()) if p else p for p in map(ref.item_params, orjson.loads(body)["requests"])
    ]


@DIFF
@given(
    website_id=st.text(max_size=8),
    params=st.dictionaries(st.text(max_size=6), st.text(max_size=6)),
    trusted=st.booleans(),
    headers=st.dictionaries(st.text(max_size=6), st.text(max_size=6)),
    received_at=st.floats(0, 4e9),
    text=st.text(max_size=8),
)
def test_shared_encoder_matches_encode(
    website_id: str,
    params: dict[str, str],
    trusted: bool,
    headers: dict[str, str],
    received_at: float,
    text: str,
) -> None:
    encode = shared_encoder(received_at, text, "UA " + text, "de", "ppms", headers)
    record = RawRecord(
        website_id, params, received_at, text, "UA " + text, "de", "ppms", trusted, headers
    )
    assert encode(website_id, params, trusted) == record.encode()
