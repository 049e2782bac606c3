"""The dashboard's administration pages in Chromium: tracker settings (per app and global), app
create/edit, and invitation links, each checked through the platform API or a tracking hit.

One server for the module: an owner, a manager and a viewer of the app "Shop", and a second app.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conftest import sign_in
from e2e.server import Server, access_token
from footfall.meta import services
from footfall.meta.store import MetaStore, utcnow

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

OWNER = ("owner@example.com", "Owner-Passw0rd-1")
MANAGER = ("manager@example.com", "Manager-Passw0rd-2")
VIEWER = ("viewer@example.com", "Viewer-Passw0rd-3")


@dataclass
class Admin:
    """The running server, its apps, and an API client signed in as the owner."""

    server: Server
    meta_url: str
    shop: str
    blog: str
    api: httpx.Client
    token_auth: str

    @property
    def url(self) -> str:
        return self.server.url

    def settings(self, scope: str) -> dict[str, Any]:
        """Tracker settings through the platform API (`global` or an app id)."""
        r = self.api.get(f"/api/tracker/v2/settings/app/{scope}")
        assert r.status_code == 200, r.text
        return r.json()["data"]["attributes"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Admin]:
    data_dir = tmp_path_factory.mktemp("dashboard-admin") / "data"
    data_dir.mkdir()
    meta_url = f"sqlite:///{data_dir / 'meta.sqlite'}"
    meta = MetaStore(meta_url)
    try:
        meta.migrate()
        owner = services.create_user(meta, OWNER[0], role="OWNER", password=OWNER[1])
        credential = services.create_credential(meta, owner.user.id, "tests")
        shop = services.create_app(meta, name="Shop", urls=["https://shop.example.com"])
        blog = services.create_app(meta, name="Blog", urls=["https://blog.example.com"])
        manager = services.create_user(meta, MANAGER[0], password=MANAGER[1]).user
        viewer = services.create_user(meta, VIEWER[0], password=VIEWER[1]).user
        services.set_permission(meta, manager.id, shop.id, "manage")
        services.set_permission(meta, viewer.id, shop.id, "view")
    finally:
        meta.close()
    server = Server(data_dir)
    server.start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as api:
            token = access_token(
                server.url, credential.credential.client_id, credential.client_secret
            )
            api.headers["Authorization"] = f"Bearer {token}"
            yield Admin(server, meta_url, shop.id, blog.id, api, owner.token_auth)
    finally:
        server.stop()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def submit(page: Any, button: str) -> int:
    """Click a submit button; the HTTP status of the page the form answered with."""
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    status: int = posted.value.status
    return status


def assert_every_control_is_labelled(page: Any) -> None:
    """Every visible form control has a label (accessible name) a screen reader announces."""
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('main input, main select, main textarea')]
            .filter((e) => e.type !== 'hidden' && !e.hidden)
            .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
            .map((e) => e.name)"""
    )
    assert unlabelled == []


def test_tracker_settings_of_an_app_apply_to_tracking(page: Any, admin: Admin) -> None:
    sign_in(page, admin.url, MANAGER, f"/dashboard/apps/{admin.shop}/settings")
    page.get_by_role("link", name="Tracker settings").click()
    page.wait_for_load_state()
    assert_every_control_is_labelled(page)
    # keyboard only: Tab reaches the session timeout, typing and Enter submit the form
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "setting-session_timeout_seconds":
            break
    else:
        pytest.fail("Tab never reached the session timeout field")
    page.keyboard.press("Control+A")
    page.keyboard.type("900")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert posted.value.status == 303
    assert page.get_by_role("status").inner_text() == "Saved."
    assert admin.settings(admin.shop)["session_timeout_seconds"] == 900
    assert admin.settings("global")["session_timeout_seconds"] == 1800  # the app's own value

    page.get_by_label("Excluded IP addresses").fill("203.0.113.7\n198.51.100.0/24")
    assert submit(page, "Save settings") == 303
    assert admin.settings(admin.shop)["excluded_ips"] == ["203.0.113.7", "198.51.100.0/24"]
    assert admin.settings(admin.blog)["excluded_ips"] == []

    # a hit from an excluded address is dropped, one from elsewhere is counted
    for ip in ("203.0.113.7", "198.51.100.9", "192.0.2.55"):
        r = admin.api.get(
            "/ppms.php",
            params={
                "idsite": admin.shop,
                "rec": "1",
                "url": "https://shop.example.com/",
                "action_name": "Home",
                "cip": ip,
                "token_auth": admin.token_auth,
                "_id": f"{abs(hash(ip)):016x}"[:16],
            },
        )
        assert r.status_code == 202
    admin.server.wait_idle()
    time.sleep(1.0)  # session rows are written at most every 0.8 s
    page.goto(f"{admin.url}/dashboard/apps/{admin.shop}/?range=today&compare=none")
    assert page.locator('[data-figure="visitors"] .value').inner_text() == "1"

    # the app's value can be dropped again, so the global one applies
    page.goto(f"{admin.url}/dashboard/apps/{admin.shop}/tracker")
    page.get_by_role("button", name="Use the global value for Session timeout (seconds)").click()
    page.wait_for_load_state()
    assert admin.settings(admin.shop)["session_timeout_seconds"] == 1800


def test_bad_tracker_settings_are_named_next_to_the_field(page: Any, admin: Admin) -> None:
    sign_in(page, admin.url, OWNER, f"/dashboard/apps/{admin.blog}/tracker")
    before = admin.settings(admin.blog)
    field = page.get_by_label("Excluded IP addresses")
    field.fill("10.0.0.1\nnot-an-ip")
    page.get_by_label("Longest session (seconds)").fill("many")
    assert submit(page, "Save settings") == 400
    error = page.locator('[data-setting="session_max_duration_seconds"] .field-error')
    assert error.inner_text() == "must be a whole number"
    duration = page.get_by_label("Longest session (seconds)")
    assert duration.get_attribute("aria-invalid") == "true"
    assert "setting-session_max_duration_seconds-error" in (
        duration.get_attribute("aria-describedby") or ""
    )
    assert duration.input_value() == "many"  # what was typed stays
    assert admin.settings(admin.blog) == before

    page.get_by_label("Longest session (seconds)").fill("7200")
    assert submit(page, "Save settings") == 400
    error = page.locator('[data-setting="excluded_ips"] .field-error')
    assert error.inner_text() == "invalid value 'not-an-ip'"
    assert page.get_by_label("Excluded IP addresses").input_value() == "10.0.0.1\nnot-an-ip"
    assert admin.settings(admin.blog) == before


def test_global_tracker_settings_are_for_owners(page: Any, admin: Admin) -> None:
    sign_in(page, admin.url, MANAGER, "/dashboard/tracker")
    assert page.get_by_role("alert").inner_text() == "The global tracker settings are for owners."
    response = page.goto(f"{admin.url}/dashboard/apps/{admin.blog}/tracker")
    assert response.status == 403  # manage on Shop only
    page.context.clear_cookies()

    sign_in(page, admin.url, OWNER, "/dashboard/")
    page.get_by_role("link", name="Global tracker settings").click()
    page.wait_for_load_state()
    assert_every_control_is_labelled(page)
    page.get_by_label("Excluded user agents").fill("HeadlessChrome")
    page.get_by_label("Exclude bots and crawlers").uncheck()
    page.get_by_label("IP anonymization (bytes masked)").fill("1")
    assert submit(page, "Save settings") == 303
    settings = admin.settings("global")
    assert settings["excluded_user_agents"] == ["HeadlessChrome"]
    assert settings["exclude_crawlers"] is False
    assert settings["anonymize_visitor_ip_level"] == 1
    # an app without its own value follows the global one
    assert admin.settings(admin.blog)["excluded_user_agents"] == ["HeadlessChrome"]
    assert page.get_by_label("Exclude bots and crawlers").is_checked() is False


def test_creating_and_editing_an_app(page: Any, admin: Admin) -> None:
    sign_in(page, admin.url, OWNER, "/dashboard/")
    page.get_by_role("link", name="Add an app").click()
    page.wait_for_load_state()
    assert_every_control_is_labelled(page)
    page.get_by_label("Name", exact=True).fill("Docs")
    page.get_by_label("URLs").fill("https://docs.example.com\ndocs.example.org")
    page.get_by_label("Time zone").fill("Mars/Olympus_Mons")
    page.get_by_label("Currency").fill("eur")
    assert submit(page, "Add app") == 400
    assert page.locator("#timezone-error").inner_text() == "unknown time zone 'Mars/Olympus_Mons'"
    assert page.get_by_label("Time zone").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("URLs").input_value() == "https://docs.example.com\ndocs.example.org"

    page.get_by_label("Time zone").fill("Europe/Berlin")
    assert submit(page, "Add app") == 303
    assert page.get_by_role("status").inner_text() == "The app was added."
    app_id = page.url.split("/apps/")[1].split("/")[0]
    attributes = admin.api.get(f"/api/apps/v2/{app_id}").json()["data"]["attributes"]
    assert (attributes["name"], attributes["timezone"], attributes["currency"]) == (
        "Docs",
        "Europe/Berlin",
        "EUR",
    )
    assert attributes["urls"] == ["https://docs.example.com", "docs.example.org"]

    page.get_by_role("link", name="Edit name, URLs, time zone and currency").click()
    page.wait_for_load_state()
    page.get_by_label("Name", exact=True).fill("")
    assert submit(page, "Save") == 400
    assert page.locator("#name-error").inner_text() == "must not be blank"
    page.get_by_label("Name", exact=True).fill("Documentation")
    page.get_by_label("Currency").fill("PLN")
    assert submit(page, "Save") == 303
    attributes = admin.api.get(f"/api/apps/v2/{app_id}").json()["data"]["attributes"]
    assert (attributes["name"], attributes["currency"]) == ("Documentation", "PLN")


def test_only_owners_create_apps_and_only_managers_edit_them(page: Any, admin: Admin) -> None:
    sign_in(page, admin.url, VIEWER, "/dashboard/")
    assert page.get_by_role("link", name="Add an app").count() == 0
    for path in ("/dashboard/apps/new", f"/dashboard/apps/{admin.shop}/edit"):
        assert page.goto(admin.url + path).status == 403
    page.context.clear_cookies()
    sign_in(page, admin.url, MANAGER, f"/dashboard/apps/{admin.shop}/edit")
    assert page.get_by_label("Name", exact=True).input_value() == "Shop"
    assert page.goto(f"{admin.url}/dashboard/apps/new").status == 403
    # a form without its CSRF token is refused, even with the session cookie
    r = page.request.post(f"{admin.url}/dashboard/apps/{admin.shop}/edit", form={"name": "Hijack"})
    assert r.status == 403
    assert (
        admin.api.get(f"/api/apps/v2/{admin.shop}").json()["data"]["attributes"]["name"] == "Shop"
    )


def test_an_invitation_link_sets_a_password_once(page: Any, browser: Any, admin: Admin) -> None:
    sign_in(page, admin.url, OWNER, "/dashboard/users")
    page.get_by_label("Email", exact=True).fill("new.analyst@example.com")
    assert submit(page, "Invite") == 200
    link = page.get_by_label("Invitation link").input_value()
    assert link.startswith(admin.url + "/dashboard/invitation/")
    page.goto(f"{admin.url}/dashboard/users")
    assert page.get_by_label("Invitation link").count() == 0  # shown once
    assert "(no password)" in page.locator('tr[data-user="new.analyst@example.com"]').inner_text()

    guest = browser.new_context().new_page()
    try:
        guest.goto(link)
        assert guest.locator("#invited-email").inner_text() == "new.analyst@example.com"
        assert_every_control_is_labelled(guest)
        guest.get_by_label("New password").fill("Analyst-Passw0rd-9")
        guest.get_by_label("Repeat the password").fill("Analyst-Passw0rd-8")
        assert submit(guest, "Set password and sign in") == 400
        assert guest.locator("#repeat-error").inner_text() == "The passwords differ."
        guest.get_by_label("New password").fill("short")
        guest.get_by_label("Repeat the password").fill("short")
        assert submit(guest, "Set password and sign in") == 400
        assert guest.locator("#password-error").inner_text() == "must be 12 to 128 characters long"
        guest.get_by_label("New password").fill("Analyst-Passw0rd-9")
        guest.get_by_label("Repeat the password").fill("Analyst-Passw0rd-9")
        assert submit(guest, "Set password and sign in") == 303
        assert guest.url == admin.url + "/dashboard/"
        assert "new.analyst@example.com" in guest.locator(".who").inner_text()

        response = guest.goto(link)  # a second use
        assert response.status == 410
        assert "already been used" in guest.get_by_role("alert").inner_text()
        guest.context.clear_cookies()
        sign_in(guest, admin.url, ("new.analyst@example.com", "Analyst-Passw0rd-9"), "/dashboard/")
        assert guest.url == admin.url + "/dashboard/"
    finally:
        guest.context.close()


def test_invitation_links_from_the_api_expire(page: Any, admin: Admin) -> None:
    r = admin.api.post(
        "/api/users/v2/invite",
        json={"data": {"type": "ppms/user", "attributes": {"email": "late@example.com"}}},
        headers={"Content-Type": "application/vnd.api+json"},
    )
    assert r.status_code == 201, r.text
    link = r.json()["meta"]["invitation_url"]
    user_id = r.json()["data"]["id"]
    page.goto(link)
    assert page.locator("#invited-email").inner_text() == "late@example.com"

    # a link issued 8 days ago has expired; issuing it voided the API's link
    meta = MetaStore(admin.meta_url)
    try:
        old = services.issue_invitation(meta, user_id, now=utcnow() - timedelta(days=8))
    finally:
        meta.close()
    response = page.goto(f"{admin.url}/dashboard/invitation/{old.token}")
    assert response.status == 410
    assert "expired" in page.get_by_role("alert").inner_text()
    response = page.goto(link)
    assert response.status == 404
    assert page.get_by_role("alert").inner_text() == "This invitation link is not valid."


def test_malformed_forms_get_a_400_naming_the_field(page: Any, admin: Admin) -> None:
    sign_in(page, admin.url, OWNER, "/dashboard/")
    csrf = page.locator('input[name="csrf"]').first.input_value()
    before = admin.settings(admin.blog)
    tracker = f"{admin.url}/dashboard/apps/{admin.blog}/tracker"
    cases: list[tuple[str, dict[str, str], str]] = [
        (tracker, {}, "must be a whole number"),  # nothing posted at all
        (tracker, {"session_timeout_seconds": "9" * 12}, "must be between 60 and 43200"),
        (tracker, {"reset": "no_such_setting"}, "unknown attribute"),
        (f"{admin.url}/dashboard/apps/new", {"name": "X", "urls": "http://[::1"}, "invalid URL"),
        (
            f"{admin.url}/dashboard/apps/new",
            {"name": "X", "urls": "x.example", "timezone": "../../etc/passwd"},
            "unknown time zone",
        ),
        (
            f"{admin.url}/dashboard/apps/{admin.blog}/edit",
            {"name": "X" * 91, "urls": "x.example", "timezone": "UTC", "currency": "EUR"},
            "90 characters or less",
        ),
        (
            f"{admin.url}/dashboard/apps/{admin.blog}/edit",
            {"name": "X", "urls": "x.example", "timezone": "UTC", "currency": "€€€"},
            "ISO-4217",
        ),
    ]
    for url, form, message in cases:
        if "session_timeout_seconds" in form:  # every other field as the page would post it
            page.goto(tracker)
            form = {**_posted(page), **form}
        r = page.request.post(url, form={"csrf": csrf, **form}, max_redirects=0)
        assert r.status == 400, (url, form, r.status)
        assert message in r.text(), (url, form)
    assert admin.settings(admin.blog) == before
    r = page.request.post(f"{admin.url}/dashboard/invitation/x.y", form={"csrf": csrf})
    assert r.status == 404


def _posted(page: Any) -> dict[str, str]:
    """The tracker form's fields as the browser would post them."""
    pairs: list[list[str]] = page.evaluate(
        "() => [...new FormData(document.querySelector('form.tracker-form'))]"
    )
    return {name: value for name, value in pairs if name != "csrf"}
