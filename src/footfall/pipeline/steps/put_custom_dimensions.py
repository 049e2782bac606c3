"""put_custom_dimensions: event-scope dimensions without a `dimensionN` value take one from their
extractions (DATA-MODEL §1.6, api-notes §2): a page URL or title regex, or a URL query parameter.

The first extraction that yields a non-empty value wins; a value sent with the request is never
replaced. `case_sensitive: false` makes the regex, or the parameter name, ignore case.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import unquote_plus

from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings, Extraction

from ._shared import URL_CACHE_SIZE, query_params

#: dimension values are cut to this length, as the trackers do (seed 001: "Limited to 200 characters")
MAX_VALUE = 200


@functools.lru_cache(maxsize=1024)
def _regex(pattern: str, case_sensitive: bool) -> re.Pattern[str]:
    return re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)


@functools.lru_cache(maxsize=URL_CACHE_SIZE)
def _params(url: str) -> dict[str, str]:
    # why: names come lowercased; a case-sensitive rule reads the raw pairs in _parameter
    return query_params(url, fragment_too=False)


def _parameter(url: str, name: str, case_sensitive: bool) -> str:
    if not case_sensitive:
        return _params(url).get(name.strip().lower(), "")
    found = ""
    for pair in url.partition("#")[0].partition("?")[2].split("&"):
        key, _, value = pair.partition("=")
        if unquote_plus(key).strip() == name.strip():
            found = unquote_plus(value).strip()  # the last one wins, as in query_params
    return found


def extract(rule: Extraction, url: str, title: str) -> str:
    """The value one extraction rule finds in a page URL and title ("" when none)."""
    if rule.target == "page_query_parameter":
        return _parameter(url, rule.pattern, rule.case_sensitive) if "?" in url else ""
    text = url if rule.target == "page_url_regex" else title
    match = _regex(rule.pattern, rule.case_sensitive).search(text) if text else None
    return (match.group(1) or "") if match is not None else ""


def put_custom_dimensions(hit: Hit, app: AppSettings) -> Reason | None:
    """Fills `hit.dimensions[tracking_id]` from the extractions of the dimensions left empty."""
    for rule in app.custom_dimension_extractions:
        if hit.dimensions.get(rule.tracking_id):
            continue
        value = extract(rule, hit.url, hit.action_name).strip()
        if value:
            hit.dimensions[rule.tracking_id] = value[:MAX_VALUE]
    return None
