"""normalize_url: `event_url` and `event_title` of a hit (DATA-MODEL §1.7)."""

from __future__ import annotations

from urllib.parse import unquote_plus

from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings

from ._shared import PerApp


def _removed(app: AppSettings) -> frozenset[str]:
    """Lowercased names of the query parameters removed from `event_url`."""
    names = set(app.excluded_url_params)
    if app.strip_site_search_query_parameters:
        names |= set(app.site_search_query_params) | set(app.site_search_category_params)
    return frozenset(n.strip().lower() for n in names if n.strip())


_names = PerApp(_removed)


def normalize(url: str, app: AppSettings) -> str:
    """`url` without its fragment (unless kept) and without the excluded parameters."""
    base, hash_, fragment = url.partition("#")
    path, q, query = base.partition("?")
    if query:
        removed = _names.get(app)
        kept = [
            p
            for p in query.split("&")
            if p and unquote_plus(p.partition("=")[0]).strip().lower() not in removed
        ]
        query = "&".join(kept)
        q = "?" if kept else ""
    out = path + q + query
    # why: the fragment is dropped unless `keep_url_fragment` (TS)
    if hash_ and app.keep_url_fragment:
        out += "#" + fragment
    return out


def normalize_url(hit: Hit, app: AppSettings) -> Reason | None:
    """Fills `event_url` from the raw url and `event_title` from `action_name`."""
    hit.event_url = normalize(hit.url, app) if ("?" in hit.url or "#" in hit.url) else hit.url
    hit.event_title = hit.action_name
    return None
