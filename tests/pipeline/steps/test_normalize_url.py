"""normalize_url: fragment, excluded parameters, site-search stripping, title (DATA-MODEL §1.7)."""

from __future__ import annotations

import pytest

from footfall.model.settings import AppSettings
from footfall.pipeline.steps.normalize_url import normalize_url

from .conftest import make_hit

DEFAULT = AppSettings(website_id="w")
KEEP = AppSettings(website_id="w", keep_url_fragment=True)
STRIP = AppSettings(
    website_id="w", strip_site_search_query_parameters=True, site_search_category_params=("cat",)
)

CASES = [
    (DEFAULT, "https://e.com/a", "https://e.com/a"),
    (DEFAULT, "https://e.com/a#top", "https://e.com/a"),
    (KEEP, "https://e.com/a#top", "https://e.com/a#top"),
    (DEFAULT, "https://e.com/a?x=1&gclid=abc&y=2", "https://e.com/a?x=1&y=2"),
    (DEFAULT, "https://e.com/a?GCLID=abc&FbClid=1", "https://e.com/a"),
    (DEFAULT, "https://e.com/a?x=%20&pk_vid=1#f", "https://e.com/a?x=%20"),
    (DEFAULT, "https://e.com/a?q=shoes", "https://e.com/a?q=shoes"),
    (STRIP, "https://e.com/a?q=shoes&cat=x&page=2", "https://e.com/a?page=2"),
    (DEFAULT, "", ""),
]


@pytest.mark.parametrize(("app", "url", "expected"), CASES)
def test_event_url(app: AppSettings, url: str, expected: str) -> None:
    hit = make_hit(url=url, action_name="Title")
    assert normalize_url(hit, app) is None
    assert (hit.event_url, hit.event_title, hit.url) == (expected, "Title", url)
