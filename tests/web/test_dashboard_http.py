"""The dashboard over HTTP: a real `footfall serve`, real traffic, numbers against brute force."""

from __future__ import annotations

import contextlib
import csv
import io
import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from e2e.server import BACKENDS
from scenarios.dashboard_world import OWNER, VIEWER, World, device_class, serve_world

pytestmark = pytest.mark.e2e

RANGE = "range=custom&from=2026-11-01&to=2026-11-05&compare=previous"


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    yield from serve_world(tmp_path_factory.mktemp("dashboard") / "data", str(request.param))


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]{64})"', html)
    assert found, html
    return found.group(1)


@contextlib.contextmanager
def sign_in(world: World, who: tuple[str, str]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=world.url, timeout=60) as client:
        token = csrf_of(client.get("/dashboard/login").text)
        r = client.post(
            "/dashboard/login",
            data={"csrf": token, "email": who[0], "password": who[1], "next": "/dashboard/"},
        )
        assert r.status_code == 303, r.text
        assert r.headers["location"] == "/dashboard/"
        yield client


def figures(html: str) -> dict[str, float]:
    return {
        key: float(raw)
        for key, raw in re.findall(r'data-figure="([a-z_]+)" data-raw="([^"]*)"', html)
        if raw
    }


def table(html: str, slug: str) -> dict[str, float]:
    found = re.search(rf'<table data-report="{slug}">(.*?)</table>', html, re.S)
    assert found, f"no {slug} table"
    rows = re.findall(r'<tr data-value="([^"]*)" data-count="([^"]*)">', found.group(1))
    return {value.replace("&amp;", "&"): float(count) for value, count in rows}


def series_sums(html: str) -> list[float]:
    """Column sums of the chart's data table (visitors, sessions, page views)."""
    found = re.search(r'<table class="series">(.*?)</table>', html, re.S)
    assert found
    rows = re.findall(r"<tr><th scope=\"row\">[^<]*</th>(.*?)</tr>", found.group(1))
    cells = [[float(c.replace(",", "")) for c in re.findall(r"<td>([^<]*)</td>", r)] for r in rows]
    return [sum(col) for col in zip(*cells, strict=True)]


def row_value(html: str, slug: str, label: str) -> str:
    """The filter value (data-value) of the row labelled `label` in a table."""
    found = re.search(rf'<table data-report="{slug}">(.*?)</table>', html, re.S)
    assert found, f"no {slug} table"
    for value, text in re.findall(
        r'<tr data-value="([^"]*)".*?title="Filter by [^"]*">([^<]*)</a>', found.group(1), re.S
    ):
        if text == label:
            return value
    raise AssertionError(f"no row {label} in {slug}")


def test_pages_need_a_signed_in_user(world: World) -> None:
    r = httpx.get(f"{world.url}/dashboard/apps/{world.shop}/?{RANGE}")
    assert r.status_code == 303
    assert r.headers["location"].startswith("/dashboard/login?next=/dashboard/apps/")
    assert httpx.get(f"{world.url}/dashboard/apps/{world.shop}/export/pages.csv").status_code == 303


def test_sign_in_refuses_a_wrong_password_and_a_missing_csrf_token(world: World) -> None:
    with httpx.Client(base_url=world.url) as client:
        token = csrf_of(client.get("/dashboard/login").text)
        wrong = client.post(
            "/dashboard/login", data={"csrf": token, "email": OWNER[0], "password": "nope"}
        )
        assert wrong.status_code == 401
        assert "The email or password is not correct." in wrong.text
        assert "footfall_session" not in wrong.cookies
        forged = client.post(
            "/dashboard/login", data={"csrf": "0" * 64, "email": OWNER[0], "password": OWNER[1]}
        )
        assert forged.status_code == 403
        assert "footfall_session" not in client.cookies


def test_session_cookie_is_http_only_and_same_site(world: World) -> None:
    with httpx.Client(base_url=world.url) as client:
        token = csrf_of(client.get("/dashboard/login").text)
        r = client.post(
            "/dashboard/login", data={"csrf": token, "email": OWNER[0], "password": OWNER[1]}
        )
        header = next(
            v for k, v in r.headers.multi_items() if k == "set-cookie" and "footfall_session" in v
        )
        assert "HttpOnly" in header
        assert "SameSite=lax" in header
        assert "Max-Age=43200" in header


def test_headline_figures_match_the_truth(world: World) -> None:
    with sign_in(world, OWNER) as client:
        r = client.get(f"/dashboard/apps/{world.shop}/?{RANGE}")
        assert r.status_code == 200, r.text
    got = figures(r.text)
    truth = world.truth()
    assert got["visitors"] == truth.visitors
    assert got["sessions"] == truth.sessions
    assert got["page_views"] == truth.page_views
    orders = [h for h in world.requests if h.get("ec_id")]
    assert got["revenue"] == pytest.approx(45.0 * len(orders))


def test_top_pages_match_the_truth(world: World) -> None:
    with sign_in(world, OWNER) as client:
        html = client.get(f"/dashboard/apps/{world.shop}/?{RANGE}").text
    pages = table(html, "pages")
    truth = world.page_views_by_url()
    assert len(pages) == min(10, len(truth))
    for url, count in pages.items():
        assert count == truth[url], url
    # ranked by page views, descending
    assert list(pages.values()) == sorted(pages.values(), reverse=True)


def test_device_types_count_sessions_per_device(world: World) -> None:
    with sign_in(world, OWNER) as client:
        html = client.get(f"/dashboard/apps/{world.shop}/?{RANGE}").text
    found = re.search(r'<table data-report="devices">(.*?)</table>', html, re.S)
    assert found
    shown = {
        label: float(count)
        for count, label in re.findall(
            r'data-count="([^"]*)">.*?title="Filter by [^"]*">([^<]*)</a>', found.group(1), re.S
        )
    }
    expected = {
        kind: float(world.truth(lambda h, k=kind: device_class(h["ua"]) == k).sessions)
        for kind in ("Desktop", "Smartphone", "Tablet")
    }
    assert shown == {k: v for k, v in expected.items() if v}


def test_a_filter_chip_narrows_every_figure(world: World) -> None:
    with sign_in(world, OWNER) as client:
        html = client.get(f"/dashboard/apps/{world.shop}/?{RANGE}").text
        desktop = row_value(html, "devices", "Desktop")
        filtered = client.get(f"/dashboard/apps/{world.shop}/?{RANGE}&f=device_type:{desktop}")
        assert filtered.status_code == 200
    got = figures(filtered.text)
    truth = world.truth(lambda h: device_class(h["ua"]) == "Desktop")
    assert (got["visitors"], got["sessions"], got["page_views"]) == (
        truth.visitors,
        truth.sessions,
        truth.page_views,
    )
    assert 'class="chip" data-column="device_type"' in filtered.text


def test_a_one_day_range_counts_only_that_day(world: World) -> None:
    day = date(2026, 11, 3)
    with sign_in(world, OWNER) as client:
        html = client.get(
            f"/dashboard/apps/{world.shop}/?range=custom&from={day}&to={day}&compare=none"
        ).text
    got = figures(html)
    truth = world.truth(first=day, last=day)
    assert (got["sessions"], got["page_views"]) == (truth.sessions, truth.page_views)
    assert html.count('<tr><th scope="row">2026-11-03T') == 24  # hourly buckets
    assert series_sums(html) == [truth.visitors, truth.sessions, truth.page_views]


def test_the_daily_series_adds_up_to_the_sessions(world: World) -> None:
    with sign_in(world, OWNER) as client:
        html = client.get(f"/dashboard/apps/{world.shop}/?{RANGE}&interval=day").text
    truth = world.truth()
    assert html.count('<tr><th scope="row">2026-11-0') == 5
    # visitors are unique per day, so their daily sum is at least the period's visitors
    visitors, sessions, page_views = series_sums(html)
    assert (sessions, page_views) == (truth.sessions, truth.page_views)
    assert visitors >= truth.visitors


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("range=last_9999_days", "range"),
        ("range=custom&from=2026-11-05&to=2026-11-01", "to"),
        ("range=custom&from=yesterday&to=2026-11-01", "from"),
        ("compare=sometimes", "compare"),
        ("interval=minute", "interval"),
        ("f=visitor_ip:1.2.3.4", "f"),
        ("f=device_type:desktop", "f"),
        ("f=nocolon", "f"),
    ],
)
def test_bad_parameters_answer_400_naming_them(world: World, query: str, parameter: str) -> None:
    with sign_in(world, OWNER) as client:
        r = client.get(f"/dashboard/apps/{world.shop}/?{query}")
    assert r.status_code == 400
    assert f"{parameter}: " in r.text


def test_csv_export_holds_the_whole_table(world: World) -> None:
    with sign_in(world, OWNER) as client:
        r = client.get(f"/dashboard/apps/{world.shop}/export/pages.csv?{RANGE}")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["Pages", "id", "Page views", "share"]
    assert {row[1]: float(row[2]) for row in rows[1:]} == dict(world.page_views_by_url())


def test_unknown_export_table_is_404(world: World) -> None:
    with sign_in(world, OWNER) as client:
        assert client.get(f"/dashboard/apps/{world.shop}/export/nope.csv").status_code == 404


def test_a_viewer_sees_only_their_app(world: World) -> None:
    with sign_in(world, VIEWER) as client:
        home = client.get("/dashboard/")
        assert f"/dashboard/apps/{world.other}/" in home.text
        assert f"/dashboard/apps/{world.shop}/" not in home.text
        assert client.get(f"/dashboard/apps/{world.other}/").status_code == 200
        denied = client.get(f"/dashboard/apps/{world.shop}/?{RANGE}")
        assert denied.status_code == 403
        assert "visitors" not in denied.text
        assert client.get(f"/dashboard/apps/{world.shop}/export/pages.csv").status_code == 403


def test_logout_needs_csrf_and_ends_the_session(world: World) -> None:
    with sign_in(world, OWNER) as client:
        page = client.get("/dashboard/").text
        assert client.post("/dashboard/logout", data={"csrf": "x"}).status_code == 403
        r = client.post("/dashboard/logout", data={"csrf": csrf_of(page)})
        assert r.status_code == 303
        assert client.get("/dashboard/").status_code == 303


def test_sign_in_does_not_redirect_off_site(world: World) -> None:
    with httpx.Client(base_url=world.url) as client:
        token = csrf_of(client.get("/dashboard/login").text)
        r = client.post(
            "/dashboard/login",
            data={
                "csrf": token,
                "email": OWNER[0],
                "password": OWNER[1],
                "next": "//evil.example/dashboard/",
            },
        )
        assert r.headers["location"] == "/dashboard/"


def test_realtime_panel_shows_the_last_30_minutes(world: World) -> None:
    hit = {
        "idsite": world.shop,
        "rec": "1",
        "url": "https://shop.example.com/live-now",
        "action_name": "Live",
        "_id": "00000000000000aa",
        "ua": "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    }
    assert httpx.get(f"{world.url}/matomo.php", params=hit).status_code in (200, 204)
    world.server.wait_idle()
    with sign_in(world, OWNER) as client:
        panel = client.get(f"/dashboard/apps/{world.shop}/realtime")
        overview = client.get(f"/dashboard/apps/{world.shop}/?{RANGE}").text
    assert panel.status_code == 200
    assert re.search(r'class="live-visitors">1</strong>', panel.text), panel.text
    assert "https://shop.example.com/live-now" in panel.text
    assert 'id="realtime"' in overview and "live-now" in overview
    # the traffic of 1-5 November is older than 30 minutes: one visitor, one event
    assert panel.text.count("<li><time>") == 1


def test_settings_show_the_snippet_and_add_a_goal(world: World) -> None:
    with sign_in(world, OWNER) as client:
        page = client.get(f"/dashboard/apps/{world.shop}/settings")
        assert page.status_code == 200
        assert f"_paq.push([&#34;setSiteId&#34;, &#34;{world.shop}&#34;]);" in page.text
        assert f"{world.url}/" in page.text  # the snippet loads from this instance
        bad = client.post(
            f"/dashboard/apps/{world.shop}/settings",
            data={"csrf": csrf_of(page.text), "name": "Pricing", "trigger": "url"},
        )
        assert bad.status_code == 400 and "pattern: must not be blank" in bad.text
        made = client.post(
            f"/dashboard/apps/{world.shop}/settings",
            data={
                "csrf": csrf_of(page.text),
                "name": "Pricing seen",
                "trigger": "url",
                "pattern_type": "contains",
                "pattern": "/pricing",
                "revenue": "2.5",
            },
        )
        assert made.status_code == 303
        listed = client.get(f"/dashboard/apps/{world.shop}/settings").text
        assert "<td>Pricing seen</td><td>url</td><td>contains /pricing</td>" in listed
        forged = client.post(
            f"/dashboard/apps/{world.shop}/settings", data={"csrf": "0" * 64, "name": "X"}
        )
        assert forged.status_code == 403
    with sign_in(world, VIEWER) as client:  # view is not enough to edit
        assert client.get(f"/dashboard/apps/{world.other}/settings").status_code == 403
        assert "App settings" not in client.get(f"/dashboard/apps/{world.other}/").text


def test_credentials_secret_shown_once_and_revocable(world: World) -> None:
    with sign_in(world, VIEWER) as client:
        page = client.get("/dashboard/credentials")
        assert page.status_code == 200 and "No credentials yet." in page.text
        made = client.post(
            "/dashboard/credentials", data={"csrf": csrf_of(page.text), "name": "reporting"}
        )
        assert made.status_code == 200
        client_id = re.search(r'id="new-client-id">([a-z0-9]{32})<', made.text)
        secret = re.search(r'id="new-client-secret">([^<]{64})<', made.text)
        assert client_id and secret
        grant = {
            "grant_type": "client_credentials",
            "client_id": client_id.group(1),
            "client_secret": secret.group(1).replace("&amp;", "&"),
        }
        assert httpx.post(f"{world.url}/auth/token", json=grant).status_code == 200
        listed = client.get("/dashboard/credentials").text
        assert client_id.group(1) in listed and secret.group(1) not in listed
        revoked = client.post(
            "/dashboard/credentials", data={"csrf": csrf_of(listed), "revoke": client_id.group(1)}
        )
        assert revoked.status_code == 200 and "revoked" in revoked.text
        assert httpx.post(f"{world.url}/auth/token", json=grant).status_code != 200
        # nobody else's credential can be revoked from here
        again = client.post(
            "/dashboard/credentials", data={"csrf": csrf_of(listed), "revoke": "x" * 32}
        )
        assert again.status_code == 404
        blank = client.post("/dashboard/credentials", data={"csrf": csrf_of(listed), "name": " "})
        assert blank.status_code == 400 and "name: must be 1 to 255 characters" in blank.text


def test_owners_grant_levels_on_the_users_page(world: World) -> None:
    with sign_in(world, VIEWER) as client:
        assert client.get("/dashboard/users").status_code == 403
    with sign_in(world, OWNER) as owner:
        page = owner.get("/dashboard/users")
        assert page.status_code == 200
        viewer_id = re.search(r'<option value="([0-9a-f-]{36})">viewer@example.com', page.text)
        assert viewer_id
        form = {"csrf": csrf_of(page.text), "user": viewer_id.group(1), "app": world.shop}
        bad = owner.post("/dashboard/users", data={**form, "level": "admin"})
        assert bad.status_code == 400 and "level: must be one of" in bad.text
        assert owner.post("/dashboard/users", data={**form, "level": "view"}).status_code == 303
        with sign_in(world, VIEWER) as viewer:
            assert viewer.get(f"/dashboard/apps/{world.shop}/?{RANGE}").status_code == 200
        assert (
            owner.post("/dashboard/users", data={**form, "level": "no-access"}).status_code == 303
        )
        with sign_in(world, VIEWER) as viewer:
            assert viewer.get(f"/dashboard/apps/{world.shop}/?{RANGE}").status_code == 403


def test_every_page_has_a_plain_text_title(world: World) -> None:
    """A page's <title> is its name only (a form once leaked into the users page's title)."""
    pages = {
        "/dashboard/users": "Users",
        "/dashboard/credentials": "API credentials",
        "/dashboard/apps/new": "New app",
        "/dashboard/tracker": "Global tracker settings",
        f"/dashboard/apps/{world.shop}/settings": " settings",
        f"/dashboard/apps/{world.shop}/tracker": " tracker settings",
        f"/dashboard/apps/{world.shop}/edit": " details",
        f"/dashboard/apps/{world.shop}/?{RANGE}": "",
    }
    with sign_in(world, OWNER) as owner:
        for path, name in pages.items():
            page = owner.get(path)
            assert page.status_code == 200, path
            title = re.search(r"<title>(.*?)</title>", page.text, re.S)
            assert title is not None, path
            assert "<" not in title.group(1) and name in title.group(1), (path, title.group(1))
            assert title.group(1).endswith(" · Footfall"), path
