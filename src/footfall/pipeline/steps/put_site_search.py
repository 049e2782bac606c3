"""put_site_search: a page view whose URL carries a site-search parameter becomes a search (DATA-MODEL §4.1 row 15)."""

from __future__ import annotations

import functools

from footfall.model.columns import PAGE_VIEW, SEARCH
from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings

from ._shared import URL_CACHE_SIZE, Interned, PerApp, interned, query_params

Names = tuple[tuple[str, ...], tuple[str, ...]]


def _names(app: AppSettings) -> Interned[Names]:
    """Lowercased keyword and category parameter names."""
    names = (
        tuple(p.strip().lower() for p in app.site_search_query_params if p.strip()),
        tuple(p.strip().lower() for p in app.site_search_category_params if p.strip()),
    )
    return interned("site_search_params", names)


_params = PerApp(_names)


@functools.lru_cache(maxsize=URL_CACHE_SIZE)
def _search(url: str, config: Interned[Names]) -> tuple[str, str]:
    """(keyword, category) a url with a query carries; keyword "" when it is no search."""
    keywords, categories = config.value
    # why: the search parameters are read from the query only, the fragment is not sent to servers
    params = query_params(url, fragment_too=False)
    keyword = next((params[k] for k in keywords if params.get(k)), "")
    if not keyword:
        return "", ""
    return keyword, next((params[c] for c in categories if params.get(c)), "")


def put_site_search(hit: Hit, app: AppSettings) -> Reason | None:
    """Runs after classify: only row 15 (a plain page view) can become a search."""
    if hit.event_type != PAGE_VIEW or not app.site_search_tracking or "?" not in hit.url:
        return None
    keyword, category = _search(hit.url, _params.get(app))
    if not keyword:
        return None
    hit.event_type = SEARCH
    hit.search_keyword = keyword
    if not hit.search_category:
        hit.search_category = category
    return None
