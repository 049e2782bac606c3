"""Untrusted input never gives a 5xx, never raises out of the app, never breaks parse_hit."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import MutableMapping
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footfall.collect.http import Collector
from footfall.collect.params import PLUGIN_PARAMS, parse_hit
from footfall.collect.validation import InvalidRequest, validate
from footfall.model.record import RawRecord

from .conftest import APP, Harness

KNOWN = [
    "idsite", "rec", "url", "action_name", "_id", "cid", "uid", "_cvar", "cvar", "_idvc", "_viewts",
    "_idts", "_ects", "res", "h", "m", "s", "ua", "lang", "new_visit", "link", "download", "search",
    "search_cat", "search_cats", "search_count", "idgoal", "revenue", "gt_ms", "cs", "e_c", "e_a",
    "e_n", "e_v", "c_n", "c_p", "c_t", "c_i", "ec_id", "ec_items", "ec_products", "ec_st", "e_t",
    "cip", "cdt", "country", "region", "city", "lat", "long", "lon", "bots", "dimension1", "ca",
    "ping", "ts_n", "uadata", "bw_bytes", "uia", "t_us", "pf_srv", "_pks", "_pkp", "_pkc",
    "token_auth", "send_image", *PLUGIN_PARAMS,
]  # fmt: skip
JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats()
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["1", "0", "-1", "1e309", "nan", "2011-04-05 00:11:42", APP, "[]", "{}", "%"]),
    JSONISH.map(lambda v: orjson.dumps(v, option=orjson.OPT_NON_STR_KEYS).decode()),
)
PARAMS = st.dictionaries(st.sampled_from(KNOWN) | st.text(max_size=12), VALUES, max_size=25)


def call(
    app: Collector,
    method: str,
    path: str,
    query: bytes,
    body: bytes,
    headers: list[tuple[bytes, bytes]],
) -> int:
    """Run one request straight through the ASGI callable; returns the status sent."""
    sent: list[MutableMapping[str, Any]] = []
    messages: list[MutableMapping[str, Any]] = [
        {"type": "http.request", "body": body[:7], "more_body": True},
        {"type": "http.request", "body": body[7:]},
    ]

    async def receive() -> MutableMapping[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query,
        "headers": headers,
        "client": ("192.0.2.1", 1),
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["type"] == "http.response.start" and sent[-1]["type"] == "http.response.body"
    return int(sent[0]["status"])


FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
PATHS = st.sampled_from(["/ppms.php", "/matomo.php", "/piwik.php", "/js/"])


@FUZZ
@given(
    path=PATHS,
    query=st.binary(max_size=200)
    | PARAMS.map(lambda p: "&".join(f"{k}={v}" for k, v in p.items()).encode()),
)
def test_arbitrary_query_strings(harness: Harness, path: str, query: bytes) -> None:
    assert call(harness.app, "GET", path, query, b"", []) < 500


@FUZZ
@given(
    path=PATHS,
    body=st.one_of(
        st.binary(max_size=300),
        JSONISH.map(lambda v: orjson.dumps(v, option=orjson.OPT_NON_STR_KEYS)),
        st.lists(
            st.one_of(
                PARAMS,
                PARAMS.map(lambda p: "?" + "&".join(f"{k}={v}" for k, v in p.items())),
                JSONISH,
            ),
            max_size=5,
        ).map(
            lambda items: orjson.dumps(
                {"requests": items, "token_auth": "x"}, option=orjson.OPT_NON_STR_KEYS
            )
        ),
    ),
    headers=st.lists(
        st.tuples(
            st.sampled_from(
                [b"content-length", b"authorization", b"x-forwarded-for", b"origin", b"user-agent"]
            )
            | st.binary(max_size=10),
            st.binary(max_size=30),
        ),
        max_size=4,
    ),
)
def test_arbitrary_bodies_and_headers(
    harness: Harness, path: str, body: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    assert call(harness.app, "POST", path, b"", body, headers) < 500


@FUZZ
@given(
    params=PARAMS,
    ip=st.text(max_size=10),
    headers=st.dictionaries(st.text(max_size=12), st.text(max_size=12)),
)
def test_parse_hit_is_total(params: dict[str, str], ip: str, headers: dict[str, str]) -> None:
    record = RawRecord(APP, params, 1.7e9, ip=ip, headers=headers)
    hit = parse_hit(record)
    assert hit.website_id == APP
    parse_hit(RawRecord.decode(record.encode()))  # anything parse_hit reads survives the spool


@FUZZ
@given(params=PARAMS)
def test_validate_raises_only_invalid_request(params: dict[str, str]) -> None:
    def resolve(idsite: str) -> str | None:
        return APP if idsite else None

    with contextlib.suppress(InvalidRequest):
        validate(params, protocol="matomo", resolve=resolve, authorize=lambda _: False, now=1.7e9)
