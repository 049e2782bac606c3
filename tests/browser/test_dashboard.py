"""The dashboard in Chromium: sign in, read the overview off the page and match it to the truth,
filter by clicking a row, change the range, export CSV, and keep a viewer out of other apps.

Screenshots of the overview at desktop and phone widths go to tests/browser/screenshots/.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conftest import sign_in
from scenarios.dashboard_world import OWNER, VIEWER, World, device_class, serve_world

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

SCREENSHOTS = Path(__file__).parent / "screenshots"
RANGE = "range=custom&from=2026-11-01&to=2026-11-05"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from serve_world(tmp_path_factory.mktemp("dashboard-browser") / "data")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    yield context.new_page()
    context.close()


def figure(page: Any, key: str) -> float:
    """A headline figure as the page shows it (thousands separators removed)."""
    text = page.locator(f'[data-figure="{key}"] .value').inner_text()
    return float(text.replace(",", ""))


def top_list(page: Any, slug: str) -> dict[str, float]:
    """A top list as the page shows it: row label → number."""
    rows = page.locator(f'table[data-report="{slug}"] tbody tr')
    out: dict[str, float] = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        label = row.locator("td.name a").inner_text()
        count = row.locator("td.num").inner_text().split()[0]
        out[label] = float(count.replace(",", ""))
    return out


def test_overview_matches_the_truth_and_filters_by_a_click(page: Any, world: World) -> None:
    sign_in(page, world.url, OWNER, f"/dashboard/apps/{world.shop}/?{RANGE}")
    truth = world.truth()
    assert figure(page, "visitors") == truth.visitors
    assert figure(page, "sessions") == truth.sessions
    assert figure(page, "page_views") == truth.page_views
    pages = top_list(page, "pages")
    expected = world.page_views_by_url()
    assert pages and all(count == expected[url] for url, count in pages.items())
    page.wait_for_selector("#chart[data-ready='1'] canvas")  # the chart script ran
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "overview-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SCREENSHOTS / "overview-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # click the "Desktop" row of Device types: every figure narrows to desktop traffic
    page.locator('table[data-report="devices"]').get_by_role("link", name="Desktop").click()
    page.wait_for_load_state()
    assert "f=device_type" in page.url
    desktop = world.truth(lambda h: device_class(h["ua"]) == "Desktop")
    assert figure(page, "visitors") == desktop.visitors
    assert figure(page, "sessions") == desktop.sessions
    assert figure(page, "page_views") == desktop.page_views
    assert set(top_list(page, "devices")) == {"Desktop"}
    chip = page.locator(".chip")
    assert chip.count() == 1 and "Desktop" in chip.inner_text()

    # the chip's × removes the filter again
    page.get_by_role("link", name="Remove filter Device type: Desktop").click()
    page.wait_for_load_state()
    assert page.locator(".chip").count() == 0
    assert figure(page, "sessions") == truth.sessions


def test_changing_the_range_and_exporting_csv(page: Any, world: World) -> None:
    sign_in(page, world.url, OWNER, f"/dashboard/apps/{world.shop}/?{RANGE}")
    day = date(2026, 11, 2)
    page.get_by_label("From", exact=True).fill(
        day.isoformat()
    )  # picking a date switches to a custom range
    page.get_by_label("To", exact=True).fill(day.isoformat())
    page.get_by_label("Compare").select_option("none")
    page.get_by_label("Interval").select_option("hour")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state()
    assert "range=custom" in page.url and "from=2026-11-02" in page.url
    one_day = world.truth(first=day, last=day)
    assert figure(page, "sessions") == one_day.sessions
    assert figure(page, "page_views") == one_day.page_views

    with page.expect_download() as download:
        page.locator("#report-pages").get_by_role("link", name="CSV of Pages").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert rows[0] == ["Pages", "id", "Page views", "share"]
    shown = top_list(page, "pages")
    assert {r[0]: float(r[2]) for r in rows[1:]} == shown
    assert sum(float(r[2]) for r in rows[1:]) == one_day.page_views


def test_a_viewer_cannot_open_another_apps_dashboard(page: Any, world: World) -> None:
    sign_in(page, world.url, VIEWER, "/dashboard/")
    links = page.locator(".apps a")
    assert links.count() == 1 and links.inner_text() == "Blog"
    response = page.goto(f"{world.url}/dashboard/apps/{world.shop}/?{RANGE}")
    assert response.status == 403
    assert page.get_by_role("alert").inner_text() == "You do not have access to this app."
    assert page.locator("[data-figure]").count() == 0


@functools.cache
def _geoip() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from geoip2fast import GeoIP2Fast
    return GeoIP2Fast(geoip2fast_data_file="geoip2fast-ipv6.dat.gz")


def country_of(hit: dict[str, str]) -> str:
    """The country the pipeline gives a hit: GeoIP, else the region of the language (en-US)."""
    code = _geoip().lookup(hit["cip"]).country_code
    return code if code and len(code) == 2 and code.isalpha() else "US"


def test_the_world_map_shades_countries_and_filters_by_a_click(page: Any, world: World) -> None:
    sign_in(page, world.url, OWNER, f"/dashboard/apps/{world.shop}/?{RANGE}")
    links = page.locator("#world-map a[data-country]")
    shown = {
        links.nth(i).get_attribute("data-country"): float(
            links.nth(i).get_attribute("data-visitors")
        )
        for i in range(links.count())
    }
    assert len(shown) >= 3
    for code, visitors in shown.items():
        assert visitors == world.truth(lambda h, c=code: country_of(h) == c).visitors, code
    # every country on the map has a name for screen readers and a tooltip; the busiest is darkest
    top = max(shown, key=lambda c: shown[c])
    link = page.locator(f'#world-map a[data-country="{top}"]')
    label = link.get_attribute("aria-label")
    assert label and label.endswith(f"{int(shown[top])} visitors")
    assert link.locator("path").get_attribute("class") == "shade-5"
    assert page.locator("#world-map path > title").count() >= 170

    link.focus()  # keyboard: a country is a link; Enter filters like clicking its table row
    assert page.evaluate("document.activeElement.dataset.country") == top
    page.keyboard.press("Enter")
    page.wait_for_url(f"**f=location_country_name%3A{top}**")
    assert f"f=location_country_name%3A{top}" in page.url
    assert figure(page, "visitors") == shown[top]
    assert set(top_list(page, "countries")) == {top}
    assert page.locator("#world-map a[data-country]").count() == 1


def drawn_series(page: Any) -> dict[str, list[float | None]]:
    """The series the chart drew, by legend label."""
    page.wait_for_selector("#chart[data-ready='1'] canvas")
    raw = page.locator("#chart").get_attribute("data-series")
    return {label: values for label, values in json.loads(raw)}


def test_the_chart_draws_the_comparison_period(page: Any, world: World) -> None:
    current = "range=custom&from=2026-11-03&to=2026-11-05&interval=day"
    sign_in(page, world.url, OWNER, f"/dashboard/apps/{world.shop}/?{current}&compare=previous")
    series = drawn_series(page)
    before = world.truth(first=date(2026, 10, 31), last=date(2026, 11, 2))
    now = world.truth(first=date(2026, 11, 3), last=date(2026, 11, 5))
    assert sum(series["Sessions"]) == now.sessions == figure(page, "sessions")
    assert sum(series["Page views"]) == now.page_views
    # the dashed lines add up to the previous period's figures the headline compares with
    assert sum(v or 0 for v in series["Sessions (previous period)"]) == before.sessions > 0
    assert sum(v or 0 for v in series["Page views (previous period)"]) == before.page_views
    title = page.locator('[data-figure="sessions"] .change').get_attribute("title")
    assert title == f"Previous: {before.sessions}"
    legend = page.locator(".u-legend").inner_text()
    assert "Visitors (previous period)" in legend and "Page views (previous period)" in legend

    page.get_by_label("Compare").select_option("year")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state()
    series = drawn_series(page)
    assert set(series) == {
        "Visitors",
        "Sessions",
        "Page views",
        "Visitors (previous year)",
        "Sessions (previous year)",
        "Page views (previous year)",
    }
    assert sum(v or 0 for v in series["Sessions (previous year)"]) == 0  # no traffic in 2025

    page.get_by_label("Compare").select_option("none")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state()
    assert set(drawn_series(page)) == {"Visitors", "Sessions", "Page views"}
