"""put_campaign: the campaign channel from the page URL parameters or `_rcn`/`_rck` (DATA-MODEL §1.3 step 1)."""

from __future__ import annotations

import functools

from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings

from ._shared import URL_CACHE_SIZE, Interned, PerApp, interned, query_params

CAMPAIGN = 6  # referrer_type (DATA-MODEL §2)
_FIELDS = ("name", "source", "medium", "keyword", "content", "id")
_NONE: dict[str, str] = {}  # shared "no campaign" answer; never mutated

Params = tuple[tuple[str, tuple[str, ...]], ...]


def _build(app: AppSettings) -> Interned[Params]:
    """Per field, its lowercased parameter names in configured order."""
    lists = (
        app.campaign_name_params,
        app.campaign_source_params,
        app.campaign_medium_params,
        app.campaign_keyword_params,
        app.campaign_content_params,
        app.campaign_id_params,
    )
    params = tuple(
        (f, tuple(p.strip().lower() for p in names))
        for f, names in zip(_FIELDS, lists, strict=True)
    )
    return interned("campaign_params", params)


_params = PerApp(_build)


def campaign_values(url: str, app: AppSettings) -> dict[str, str]:
    """Campaign fields found in `url` (empty when none); `gclid` under its own key."""
    if "?" not in url and "#" not in url:
        return {}
    return dict(_values(url, _params.get(app)))


@functools.lru_cache(maxsize=URL_CACHE_SIZE)
def _values(url: str, config: Interned[Params]) -> dict[str, str]:
    """campaign_values for a url with a query or fragment; cached, so callers must not mutate it."""
    # why: the last occurrence wins and the fragment beats the query (HC-ch)
    params = query_params(url)
    found: dict[str, str] = {}
    for field, names in config.value:
        for name in names:
            # why: several configured names present → the one listed last wins (HC-ch, [P])
            if params.get(name):
                found[field] = params[name]
    if params.get("gclid"):
        found["gclid"] = params["gclid"]
    return found


def put_campaign(hit: Hit, app: AppSettings) -> Reason | None:
    """Marks the hit as a campaign (type 6) when its raw URL or `_rcn` names one."""
    url = hit.url
    found = _values(url, _params.get(app)) if ("?" in url or "#" in url) else _NONE
    if found.get("name") or found.get("gclid"):
        hit.has_campaign = True
    elif hit.campaign_name_param.strip():
        # why: `_rcn`/`_rck` count only without URL parameters (S0: first page view of a visit)
        found = {"name": hit.campaign_name_param.strip()}
        if hit.campaign_keyword_param.strip():
            found["keyword"] = hit.campaign_keyword_param.strip()
    else:
        return None
    gclid = found.get("gclid")
    hit.referrer_type = CAMPAIGN
    # why: gclid without source/medium is a Google Ads click (DATA-MODEL §1.3)
    hit.source = found.get("source") or ("google" if gclid else "")
    hit.medium = found.get("medium") or ("cpc" if gclid else "")
    hit.keyword = found.get("keyword", "")
    hit.campaign_name = found.get("name", "")
    hit.campaign_id = found.get("id", "")
    hit.campaign_content = found.get("content", "")
    hit.campaign_gclid = gclid
    return None
