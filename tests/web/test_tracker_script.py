"""/ppms.js, /piwik.js, /matomo.js: encodings, ETag revalidation and caching headers."""

from __future__ import annotations

import asyncio
import gzip
from dataclasses import dataclass

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

from footfall.web.tracker_script import SCRIPT_PATHS, TrackerScript, tracker_script_routes

SCRIPT = TrackerScript.load()


@dataclass
class Answer:
    status_code: int
    headers: httpx.Headers
    content: bytes  # as sent: not decoded


class Client:
    """Requests over ASGI to the tracker routes, returning the raw (still encoded) body."""

    def __init__(self) -> None:
        self.app = Starlette(routes=tracker_script_routes(SCRIPT))

    def request(self, method: str, path: str, headers: dict[str, str] | None = None) -> Answer:
        async def go() -> Answer:
            transport = httpx.ASGITransport(app=self.app)
            async with (
                httpx.AsyncClient(transport=transport, base_url="http://test") as http,
                http.stream(method, path, headers=headers or {}) as r,
            ):
                raw = b"".join([chunk async for chunk in r.aiter_raw()])
                return Answer(r.status_code, r.headers, raw)

        return asyncio.run(go())

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        return self.request("GET", path, headers)


@pytest.fixture(scope="module")
def client() -> Client:
    return Client()


@pytest.mark.parametrize("path", SCRIPT_PATHS)
def test_every_path_serves_the_tracker(client: Client, path: str) -> None:
    r = client.get(path, headers={"accept-encoding": "identity"})
    assert r.status_code == 200
    assert r.content == SCRIPT.identity
    assert r.headers["content-type"] == "text/javascript; charset=utf-8"
    assert r.headers["cache-control"].startswith("public, max-age=604800")
    assert r.headers["vary"] == "Accept-Encoding"
    assert "content-encoding" not in r.headers


@pytest.mark.parametrize(
    ("accept", "encoding", "body"),
    [
        ("gzip, deflate, br", "br", SCRIPT.brotli),
        ("gzip;q=1, br;q=0", "gzip", SCRIPT.gzip),
        ("*", "gzip", SCRIPT.gzip),
        ("deflate", None, SCRIPT.identity),
        ("br;q=zero, gzip", "gzip", SCRIPT.gzip),
    ],
)
def test_precompressed_variants_by_accept_encoding(
    client: Client, accept: str, encoding: str | None, body: bytes
) -> None:
    r = client.get("/ppms.js", headers={"accept-encoding": accept})
    raw = r.content
    assert r.headers.get("content-encoding") == encoding
    assert raw == body
    if encoding == "gzip":
        assert gzip.decompress(raw) == SCRIPT.identity


def test_etag_revalidation_answers_304(client: Client) -> None:
    first = client.get("/ppms.js", headers={"accept-encoding": "br"})
    etag = first.headers["etag"]
    again = client.get("/ppms.js", headers={"accept-encoding": "br", "if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    # a tag of another encoding names the same script
    other = client.get("/ppms.js", headers={"accept-encoding": "gzip", "if-none-match": etag})
    assert other.status_code == 304
    stale = client.get("/ppms.js", headers={"if-none-match": '"0000"'})
    assert stale.status_code == 200


def test_head_and_other_methods(client: Client) -> None:
    head = client.request("HEAD", "/matomo.js")
    assert head.status_code == 200 and head.content == b""
    assert client.request("POST", "/ppms.js").status_code == 405


@given(st.text(max_size=200), st.text(max_size=80))
@settings(max_examples=200, deadline=None)
def test_any_header_values_pick_a_variant_and_never_raise(accept: str, if_none_match: str) -> None:
    body, encoding, etag = SCRIPT.variant(accept)
    assert (body, encoding) in {(SCRIPT.brotli, "br"), (SCRIPT.gzip, "gzip"), (SCRIPT.identity, "")}
    assert etag.startswith(SCRIPT.etag[:-1])
    SCRIPT.matches(if_none_match)
