"""put_site_search: a page view whose URL carries a site-search parameter becomes a search (DATA-MODEL §4.1 row 15)."""

from __future__ import annotations

from footfall.model.columns import PAGE_VIEW, SEARCH
from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings

from ._shared import PerApp, query_params


def _names(app: AppSettings) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Lowercased keyword and category parameter names."""
    return (
        tuple(p.strip().lower() for p in app.site_search_query_params if p.strip()),
        tuple(p.strip().lower() for p in app.site_search_category_params if p.strip()),
    )


_params = PerApp(_names)


def put_site_search(hit: Hit, app: AppSettings) -> Reason | None:
    """Runs after classify: only row 15 (a plain page view) can become a search."""
    if hit.event_type != PAGE_VIEW or not app.site_search_tracking or "?" not in hit.url:
        return None
    keywords, categories = _params.get(app)
    # why: the search parameters are read from the query only, the fragment is not sent to servers
    params = query_params(hit.url, fragment_too=False)
    keyword = next((params[k] for k in keywords if params.get(k)), "")
    if not keyword:
        return None
    hit.event_type = SEARCH
    hit.search_keyword = keyword
    if not hit.search_category:
        hit.search_category = next((params[c] for c in categories if params.get(c)), "")
    return None
