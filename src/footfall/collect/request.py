"""Server-side facts of a tracking request, read once from the ASGI scope, and the body reader."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from footfall.collect.responses import Header, cors_headers
from footfall.collect.values import to_ip

__all__ = ["ClientGone", "RequestFacts", "read_body"]

#: Headers kept on the record for the pipeline (DNT, client hints, the page that sent the hit).
_KEPT = frozenset((b"dnt", b"referer"))


class ClientGone(Exception):
    """The client disconnected before the body was read: nothing to answer."""


class RequestFacts:
    """What the collector needs from the headers and the connection, in one pass."""

    __slots__ = (
        "accept_language",
        "bearer",
        "content_length",
        "cors",
        "cors_request_headers",
        "headers",
        "ip",
        "method",
        "origin",
        "user_agent",
    )

    def __init__(self) -> None:
        self.method = "GET"
        self.ip = ""
        self.user_agent = ""
        self.accept_language = ""
        self.bearer: str | None = None
        self.content_length: int | None = None
        self.origin: bytes | None = None
        self.cors_request_headers: bytes | None = None
        self.headers: dict[str, str] = {}
        self.cors: list[Header] = []

    @classmethod
    def from_scope(cls, scope: MutableMapping[str, Any], trust_proxy: bool) -> RequestFacts:
        """Read method, client IP, kept headers, credentials and CORS inputs from an http scope."""
        f = cls()
        f.method = str(scope.get("method", "GET")).upper()
        forwarded: bytes | None = None
        real_ip: bytes | None = None
        for name, value in scope.get("headers", ()):
            if name == b"user-agent":
                f.user_agent = value.decode("latin-1")
            elif name == b"accept-language":
                f.accept_language = value.decode("latin-1")
            elif name == b"content-length":
                f.content_length = _content_length(value)
            elif name == b"origin":
                f.origin = value
            elif name == b"authorization":
                scheme, _, credentials = value.decode("latin-1").strip().partition(" ")
                if scheme.lower() == "bearer" and credentials.strip():
                    f.bearer = credentials.strip()
            elif name == b"access-control-request-headers":
                f.cors_request_headers = value
            elif name in _KEPT or name.startswith(b"sec-ch-ua"):
                f.headers[name.decode("latin-1")] = value.decode("latin-1")
            elif name == b"x-forwarded-for":
                forwarded = value
            elif name == b"x-real-ip":
                real_ip = value
        client = scope.get("client")
        f.ip = str(client[0]) if client else ""
        if trust_proxy:
            f.ip = _proxied_ip(forwarded, real_ip) or f.ip
        f.cors = cors_headers(f.origin)
        return f


def _content_length(value: bytes) -> int | None:
    if not value.isdigit():
        return None
    return int(value) if len(value) < 19 else 2**63  # why: int() refuses > 4300 digits


def _proxied_ip(forwarded: bytes | None, real_ip: bytes | None) -> str:
    # why: like Matomo's proxy_client_headers, take the last address of X-Forwarded-For: it is the
    # one our trusted proxy appended; earlier entries are whatever the client claimed.
    if forwarded:
        for candidate in reversed(forwarded.decode("latin-1").split(",")):
            ip = to_ip(candidate)
            if ip:
                return ip
    if real_ip:
        return to_ip(real_ip.decode("latin-1"))
    return ""


async def read_body(
    receive: Callable[[], Awaitable[MutableMapping[str, Any]]], limit: int
) -> bytes | None:
    """The whole request body, or None as soon as it exceeds `limit` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        if chunk:
            chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)
