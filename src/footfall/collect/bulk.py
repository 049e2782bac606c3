"""Bulk tracking bodies (seed 000 "Bulk Tracking"): `{"requests": [...], "token_auth": "..."}`.

Items are query strings (seed 000, with a leading `?`) or, as Piwik PRO's log importer sends
them (api-notes §12.2 item 4), objects of string values.
"""

from __future__ import annotations

from typing import Any

import orjson

from footfall.collect.structured import scalar_text
from footfall.collect.values import parse_query

__all__ = ["BulkBody", "InvalidBody", "is_bulk", "item_params", "parse_bulk"]

_ONLY_STR = frozenset((str,))


class InvalidBody(Exception):
    """The bulk body itself is unusable (not JSON, no `requests` array, too many items)."""


class BulkBody:
    """A parsed bulk body: one params dict per item (None for a malformed item) and its token."""

    __slots__ = ("items", "token_auth")

    def __init__(self, items: list[dict[str, str] | None], token_auth: str | None) -> None:
        self.items = items
        self.token_auth = token_auth


def is_bulk(body: bytes) -> bool:
    """Whether a POST body is bulk JSON, whatever its content type.

    why: Matomo looks for `"requests"` in the raw body, not at the content type; the JS tracker
    posts its request queue as form-typed JSON.
    """
    return body[:1] == b"{" or body.lstrip()[:1] == b"{"


def item_params(item: Any) -> dict[str, str] | None:
    """One bulk item as params: a query string (leading `?` or a `path?` optional) or an object."""
    if isinstance(item, str):
        qs = item.strip()
        if qs.startswith("?"):
            qs = qs[1:]
        else:
            head, sep, tail = qs.partition("?")
            # why: seed 000 items are "the query string you'd send", sometimes with the path.
            if sep and "=" not in head and "&" not in head:
                qs = tail
        return parse_query(qs)
    if isinstance(item, dict):
        params: dict[str, str] = {}
        for key, value in item.items():
            if value is None:
                continue
            text = scalar_text(value)
            if text is None:
                # why: a nested array/object (e.g. ec_items sent unencoded) becomes its JSON text.
                text = orjson.dumps(value).decode()
            params[str(key)] = text
        return params
    return None


def parse_bulk(body: bytes, max_requests: int) -> BulkBody:
    """Parse a bulk body; raises InvalidBody when the body as a whole is unusable."""
    try:
        doc = orjson.loads(body)
    except ValueError as e:
        raise InvalidBody(f"bulk body is not valid JSON: {e}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("requests"), list):
        raise InvalidBody('bulk body needs a "requests" array')
    requests: list[Any] = doc["requests"]
    if len(requests) > max_requests:
        raise InvalidBody(f"bulk body has {len(requests)} requests, more than {max_requests}")
    token = doc.get("token_auth")
    token_auth = scalar_text(token) if token is not None else None
    return BulkBody([_params_of(item) for item in requests], token_auth or None)


def _params_of(item: Any) -> dict[str, str] | None:
    # why: the common log-importer item is an object of strings; orjson made it a fresh dict with
    # str keys, so it already is its params (item_params would copy it unchanged).
    if type(item) is dict and _ONLY_STR.issuperset(map(type, item.values())):
        return item
    return item_params(item)
