"""put_custom_dimensions: event-scope dimensions without a `dimensionN` value take one from their
extractions (DATA-MODEL §1.6, api-notes §2): a page URL or title regex, or a URL query parameter.

The first extraction that yields a non-empty value wins; a value sent with the request is never
replaced. `case_sensitive: false` makes the regex, or the parameter name, ignore case.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from urllib.parse import unquote_plus

from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings, Extraction

from ._shared import PerApp, query_params

#: dimension values are cut to this length, as the trackers do (seed 001: "Limited to 200 characters")
MAX_VALUE = 200
#: distinct URLs (or titles) remembered per rule
RULE_CACHE_SIZE = 4096


@functools.lru_cache(maxsize=1024)
def _regex(pattern: str, case_sensitive: bool) -> re.Pattern[str]:
    return re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)


def _parameter(url: str, name: str, case_sensitive: bool) -> str:
    if not case_sensitive:
        # why: query_params lowercases names; a case-sensitive rule reads the raw pairs below
        return query_params(url, fragment_too=False).get(name.strip().lower(), "")
    found = ""
    for pair in url.partition("#")[0].partition("?")[2].split("&"):
        key, _, value = pair.partition("=")
        if unquote_plus(key).strip() == name.strip():
            found = unquote_plus(value).strip()  # the last one wins, as in query_params
    return found


def _value(rule: Extraction, text: str) -> str:
    if not text:
        return ""
    if rule.target == "page_query_parameter":
        return _parameter(text, rule.pattern, rule.case_sensitive) if "?" in text else ""
    match = _regex(rule.pattern, rule.case_sensitive).search(text)
    return (match.group(1) or "") if match is not None else ""


@functools.lru_cache(maxsize=1024)
def _matcher(rule: Extraction) -> Callable[[str], str]:
    """`rule` as a function of the page URL or title, cached per text (a site has far fewer
    pages than hits, as the other URL steps assume)."""

    @functools.lru_cache(maxsize=RULE_CACHE_SIZE)
    def find(text: str) -> str:
        return _value(rule, text)

    return find


def _compiled(app: AppSettings) -> tuple[tuple[int, bool, Callable[[str], str]], ...]:
    """(tracking id, reads the title, matcher) per rule of the app."""
    return tuple(
        (r.tracking_id, r.target == "page_title_regex", _matcher(r))
        for r in app.custom_dimension_extractions
    )


_rules = PerApp(_compiled)


def extract(rule: Extraction, url: str, title: str) -> str:
    """The value one extraction rule finds in a page URL and title ("" when none)."""
    return _matcher(rule)(title if rule.target == "page_title_regex" else url)


def put_custom_dimensions(hit: Hit, app: AppSettings) -> Reason | None:
    """Fills `hit.dimensions[tracking_id]` from the extractions of the dimensions left empty."""
    if not app.custom_dimension_extractions:
        return None
    dimensions = hit.dimensions
    for tracking_id, reads_title, find in _rules.get(app):
        if dimensions.get(tracking_id):
            continue
        value = find(hit.action_name if reads_title else hit.url).strip()
        if value:
            dimensions[tracking_id] = value[:MAX_VALUE]
    return None
