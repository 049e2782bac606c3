"""Apps API v2: every attribute and default, list shape, permission filter, errors, live settings."""

from __future__ import annotations

from conftest import Api, doc
from footfall.meta import services
from footfall.meta.directory import MetaDirectory
from footfall.meta.permissions import set_user_permission
from footfall.meta.store import MetaStore

T = "ppms/app"
DEFAULTS = {
    "organization": "default",
    "appType": "web",
    "timezone": "UTC",
    "currency": "USD",
    "eCommerceTracking": True,
    "siteSearchTracking": True,
    "siteSearchQueryParams": ["q", "query", "s", "search", "searchword", "keyword"],
    "siteSearchCategoryParams": [],
    "delay": 500,
    "excludedIps": [],
    "excludedUserAgents": [],
    "gdpr": True,
    "gdprUserModeEnabled": False,
    "privacyCookieDomainsEnabled": False,
    "privacyCookieExpirationPeriod": 31536000,
    "privacyCookieDomains": [],
    "gdprLocationRecognition": False,
    "gdprDataAnonymization": True,
    "gdprDataAnonymizationMode": "session_cookie_id",
    "sharepointIntegration": False,
    "privacyUseCookies": True,
    "privacyUseFingerprinting": True,
    "cnil": False,
    "sessionIdStrictPrivacyMode": False,
    "realTimeDashboards": False,
    "excludeUnknownUrls": False,
}


def test_create_get_with_defaults(api: Api, owner: services.User) -> None:
    r = api.call(
        "POST",
        "/api/apps/v2",
        owner,
        doc(T, {"name": "Shop", "urls": ["https://shop.example.com"]}),
    )
    assert r.status_code == 201
    data = r.json()["data"]
    assert data["type"] == T
    attributes = data["attributes"]
    for name, value in DEFAULTS.items():
        assert attributes[name] == value, name
    assert {"keepUrlFragment", "excludedUrlParams", "addedAt", "updatedAt"} <= set(attributes)
    got = api.call("GET", f"/api/apps/v2/{data['id']}", owner).json()
    assert got["data"] == data
    # what the log importer reads (api-notes §12.2)
    assert (got["data"]["id"], got["data"]["attributes"]["urls"][0]) == (
        data["id"],
        "https://shop.example.com",
    )


def test_create_with_id_and_attributes_then_patch(
    api: Api, owner: services.User, meta: MetaStore
) -> None:
    app_id = "5a5e8f2e-6f1e-4a5c-9d2b-0f3b2a1c4d5e"
    attributes = {
        "id": app_id,
        "name": "Blog",
        "urls": ["blog.example.com"],
        "timezone": "Europe/Warsaw",
        "currency": "PLN",
        "excludedIps": ["10.0.0.0/8"],
        "gdpr": False,
        "delay": 250,
    }
    r = api.call("POST", "/api/apps/v2", owner, doc(T, attributes))
    assert r.status_code == 201 and r.json()["data"]["id"] == app_id
    got = r.json()["data"]["attributes"]
    assert (got["timezone"], got["currency"], got["excludedIps"], got["gdpr"], got["delay"]) == (
        "Europe/Warsaw",
        "PLN",
        ["10.0.0.0/8"],
        False,
        250,
    )
    r = api.call("POST", "/api/apps/v2", owner, doc(T, attributes))
    assert (
        r.status_code == 400
        and r.json()["errors"][0]["title"] == f'App with id: "{app_id}" already exists'
    )
    patch = {
        "urls": ["blog.example.com", "news.example.com"],
        "excludedUserAgents": ["curl"],
        "realTimeDashboards": True,
    }
    r = api.call("PATCH", f"/api/apps/v2/{app_id}", owner, doc(T, patch, app_id))
    assert r.status_code == 204
    got = api.call("GET", f"/api/apps/v2/{app_id}", owner).json()["data"]["attributes"]
    assert (got["urls"], got["excludedUserAgents"], got["realTimeDashboards"]) == (
        ["blog.example.com", "news.example.com"],
        ["curl"],
        True,
    )
    types = {e.type for e in services.list_audit_entries(meta) if e.subject_id == app_id}
    assert {
        "app.added",
        "app.changed.urls",
        "app.changed.excludedUserAgents",
        "app.changed.realTimeDashboards",
    } <= types
    # the collector sees the new settings (same store, fresh directory cache)
    settings = MetaDirectory(meta).settings(app_id)
    assert settings is not None and "curl" in settings.excluded_user_agents


def test_create_errors(api: Api, owner: services.User) -> None:
    r = api.call("POST", "/api/apps/v2", owner, doc(T, {"name": "x" * 91, "urls": ["a.example"]}))
    assert r.status_code == 400
    error = r.json()["errors"][0]
    assert (error["title"], error["code"], error["source"]) == (
        "Invalid form",
        "error.default",
        {"pointer": "/name"},
    )
    r = api.call(
        "POST",
        "/api/apps/v2",
        owner,
        doc(T, {"name": "A", "urls": ["a.example"], "appType": "demo"}),
    )
    assert r.json()["errors"][0]["source"] == {"pointer": "/appType"}
    r = api.call("POST", "/api/apps/v2", owner, doc(T, {"name": "A"}))
    assert r.json()["errors"][0]["source"] == {"pointer": "/urls"}
    r = api.call("POST", "/api/apps/v2", owner, doc(T, {"name": "A", "urls": "a.example"}))
    assert r.json()["errors"][0]["source"] == {"pointer": "/urls"}
    r = api.call(
        "POST",
        "/api/apps/v2",
        owner,
        doc(T, {"name": "A", "urls": ["a.example"], "timezone": "Mars/Base"}),
    )
    assert r.json()["errors"][0]["source"] == {"pointer": "/timezone"}
    r = api.call(
        "POST",
        "/api/apps/v2",
        owner,
        doc(T, {"name": "A", "urls": ["a.example"], "excludedIps": ["nope"]}),
    )
    assert r.json()["errors"][0]["source"] == {"pointer": "/excluded_ips"}
    r = api.call(
        "POST", "/api/apps/v2", owner, doc(T, {"name": "A", "urls": ["a.example"], "colour": "red"})
    )
    assert r.json()["errors"][0]["source"] == {"pointer": "/colour"}


def test_get_patch_delete_errors(api: Api, owner: services.User, app_id: str) -> None:
    assert (
        api.call("GET", "/api/apps/v2/nope", owner).json()["errors"][0]["title"]
        == '"nope" is not a valid UUID.'
    )
    missing = "00000000-0000-4000-8000-000000000000"
    assert api.call("GET", f"/api/apps/v2/{missing}", owner).status_code == 404
    r = api.call("PATCH", f"/api/apps/v2/{app_id}", owner, doc(T, {"name": "B"}, missing))
    assert r.status_code == 409
    assert api.call("DELETE", f"/api/apps/v2/{app_id}", owner).status_code == 204
    assert api.call("GET", f"/api/apps/v2/{app_id}", owner).status_code == 404
    assert api.call("DELETE", f"/api/apps/v2/{app_id}", owner).status_code == 404


def test_list_shape_sort_paging_and_permission_filter(
    api: Api, owner: services.User, meta: MetaStore
) -> None:
    ids = {
        n: services.create_app(meta, name=n, urls=[f"{n.lower()}.example"]).id
        for n in ("Beta", "Alpha", "Gamma")
    }
    r = api.call("GET", "/api/apps/v2", owner, sort="name")
    body = r.json()
    assert body["meta"] == {"total": 3}
    assert [a["attributes"]["name"] for a in body["data"]] == ["Alpha", "Beta", "Gamma"]
    assert set(body["data"][0]["attributes"]) == {"name", "addedAt", "updatedAt"}
    newest = api.call("GET", "/api/apps/v2", owner).json()["data"]
    assert newest[0]["attributes"]["name"] == "Gamma"  # default -addedAt
    r = api.call("GET", "/api/apps/v2", owner, sort="-name", limit=1, offset=1)
    assert [a["attributes"]["name"] for a in r.json()["data"]] == ["Beta"]
    assert api.call("GET", "/api/apps/v2", owner, search="amm").json()["meta"] == {"total": 1}
    user = services.create_user(meta, "u@example.com").user
    set_user_permission(meta, user.id, ids["Alpha"], "view")
    set_user_permission(meta, user.id, ids["Beta"], "manage")
    listed = api.call("GET", "/api/apps/v2", user, sort="name").json()
    assert [a["attributes"]["name"] for a in listed["data"]] == ["Alpha", "Beta"]
    managed = api.call("GET", "/api/apps/v2", user, permission="manage").json()
    assert [a["id"] for a in managed["data"]] == [ids["Beta"]]
    publish = api.call("GET", "/api/apps/v2", user, permission="publish").json()
    assert publish["meta"] == {"total": 1}
    r = api.call("GET", "/api/apps/v2", user, permission="own")
    assert r.status_code == 400 and r.json()["errors"][0]["source"] == {"parameter": "permission"}


def test_permission_listings(api: Api, owner: services.User, meta: MetaStore, app_id: str) -> None:
    from footfall.meta.groups import create_group
    from footfall.meta.permissions import set_group_permission

    user = services.create_user(meta, "u@example.com").user
    set_user_permission(meta, user.id, app_id, "edit")
    rows = api.call("GET", f"/api/apps/v2/{app_id}/permissions", owner).json()
    by_name = {r["attributes"]["displayName"]: r["attributes"]["access"] for r in rows["data"]}
    assert by_name == {
        "u@example.com": ["view", "edit"],
        owner.email: ["view", "edit", "publish", "delete", "manage"],
    }
    assert rows["data"][0]["type"] == "ppms/app_permissions_for_user"
    group = create_group(meta, {"name": "G"})
    set_group_permission(meta, group.id, app_id, "view")
    other = services.create_app(meta, name="Other", urls=["o.example"]).id
    listed = api.call("GET", f"/api/apps/v2/user-group/{group.id}/permissions", owner).json()
    access = {r["id"]: r["attributes"] for r in listed["data"]}
    assert access == {
        app_id: {"app_name": "Shop", "access": "view"},
        other: {"app_name": "Other", "access": "no-access"},
    }
    seen_by_user = api.call("GET", f"/api/apps/v2/user-group/{group.id}/permissions", user).json()
    assert [r["id"] for r in seen_by_user["data"]] == [app_id]
