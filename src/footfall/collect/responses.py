"""What the tracking endpoints answer: the GIF beacon, 202/204, bulk JSON, CORS, rejections.

A response is a plain `(status, headers, body)` triple with raw ASGI headers, built from
precomputed pieces because this is the hot path.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import orjson

__all__ = [
    "GIF",
    "Response",
    "bulk_response",
    "cors_headers",
    "empty_response",
    "gif_response",
    "preflight_response",
    "text_response",
]

Header = tuple[bytes, bytes]
Response = tuple[int, list[Header], bytes]

#: The 1×1 transparent GIF Matomo answers tracking requests with (43 bytes).
GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAAAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")

_NO_CACHE: Header = (b"cache-control", b"no-cache, no-store")
_CREDENTIALS: Header = (b"access-control-allow-credentials", b"true")
_GIF_HEADERS: list[Header] = [
    (b"content-type", b"image/gif"),
    (b"content-length", str(len(GIF)).encode()),
    _NO_CACHE,
]
_EMPTY_HEADERS: list[Header] = [(b"content-length", b"0"), _NO_CACHE]
# why: api-notes §11: ppms.php answers 202 with an empty text/html body by default.
_EMPTY_HTML_HEADERS: list[Header] = [
    (b"content-type", b"text/html; charset=UTF-8"),
    (b"content-length", b"0"),
    _NO_CACHE,
]
_ANY_ORIGIN: list[Header] = [(b"access-control-allow-origin", b"*"), _CREDENTIALS]


def cors_headers(origin: bytes | None) -> list[Header]:
    """Allow any page to send hits, with cookies: echo the Origin (or `*` without one)."""
    if not origin:
        return _ANY_ORIGIN
    return [(b"access-control-allow-origin", origin), _CREDENTIALS, (b"vary", b"Origin")]


def gif_response(status: int, cors: list[Header]) -> Response:
    """The transparent GIF beacon."""
    return status, _GIF_HEADERS + cors, GIF


def empty_response(status: int, cors: list[Header], html: bool = False) -> Response:
    """No body: 204 on Matomo endpoints with send_image=0, 202 on ppms.php, 400 when rejected."""
    return status, (_EMPTY_HTML_HEADERS if html else _EMPTY_HEADERS) + cors, b""


def text_response(status: int, text: str, cors: list[Header]) -> Response:
    """A text/plain body: debug-mode reasons (seed 000 "Debugging the Tracker")."""
    body = text.encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        _NO_CACHE,
    ]
    return status, headers + cors, body


def bulk_response(
    status: int,
    tracked: int,
    invalid_indices: Sequence[int],
    cors: list[Header],
    reasons: Sequence[str] | None = None,
) -> Response:
    """Matomo's bulk answer `{"status","tracked","invalid","invalid_indices"}` (+ reasons in debug)."""
    doc: dict[str, object] = {
        "status": "success",
        "tracked": tracked,
        "invalid": len(invalid_indices),
        "invalid_indices": list(invalid_indices),
    }
    if reasons is not None:
        doc["invalid_reasons"] = list(reasons)
    body = orjson.dumps(doc)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        _NO_CACHE,
    ]
    return status, headers + cors, body


def preflight_response(origin: bytes | None, request_headers: bytes | None) -> Response:
    """CORS preflight: 204 allowing GET, POST, OPTIONS and whatever headers were asked for."""
    headers = [
        (b"content-length", b"0"),
        (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
        (b"access-control-max-age", b"86400"),
        *cors_headers(origin),
    ]
    if request_headers:
        headers.append((b"access-control-allow-headers", request_headers))
    return 204, headers, b""
