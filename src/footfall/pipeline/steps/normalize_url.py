"""normalize_url: `event_url` and `event_title` of a hit (DATA-MODEL §1.7)."""

from __future__ import annotations

import functools
from urllib.parse import unquote_plus

from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings

from ._shared import URL_CACHE_SIZE, Interned, PerApp, interned


def _removed(app: AppSettings) -> Interned[tuple[frozenset[str], bool]]:
    """Lowercased names of the query parameters removed from `event_url`; keep the fragment?"""
    names = set(app.excluded_url_params)
    if app.strip_site_search_query_parameters:
        names |= set(app.site_search_query_params) | set(app.site_search_category_params)
    removed = frozenset(n.strip().lower() for n in names if n.strip())
    return interned("normalize_url", (removed, bool(app.keep_url_fragment)))


_names = PerApp(_removed)


def normalize(url: str, app: AppSettings) -> str:
    """`url` without its fragment (unless kept) and without the excluded parameters."""
    return _normalize(url, _names.get(app))


@functools.lru_cache(maxsize=URL_CACHE_SIZE)
def _normalize(url: str, config: Interned[tuple[frozenset[str], bool]]) -> str:
    removed, keep_fragment = config.value
    base, hash_, fragment = url.partition("#")
    path, q, query = base.partition("?")
    if query:
        kept = [
            p
            for p in query.split("&")
            if p and unquote_plus(p.partition("=")[0]).strip().lower() not in removed
        ]
        query = "&".join(kept)
        q = "?" if kept else ""
    out = path + q + query
    # why: the fragment is dropped unless `keep_url_fragment` (TS)
    if hash_ and keep_fragment:
        out += "#" + fragment
    return out


def normalize_url(hit: Hit, app: AppSettings) -> Reason | None:
    """Fills `event_url` from the raw url and `event_title` from `action_name`."""
    url = hit.url
    hit.event_url = _normalize(url, _names.get(app)) if ("?" in url or "#" in url) else url
    hit.event_title = hit.action_name
    return None
