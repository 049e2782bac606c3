"""Pirsch domain management: domains and their settings, clients, links, alternative domains,
reports, goals and the goal regex check, with their scope denials and errors."""

from __future__ import annotations

import re

import pytest

from api.pirsch.conftest import Pirsch
from footfall.api.pirsch.objects import goal_pattern
from footfall.meta import pirsch, services

RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
DOMAIN_KEYS = {
    "id",
    "def_time",
    "mod_time",
    "user_id",
    "organization_id",
    "hostname",
    "subdomain",
    "identification_code",
    "public",
    "google_user_id",
    "google_user_email",
    "gsc_domain",
    "new_owner",
    "timezone",
    "group_by_title",
    "active_visitors_seconds",
    "disable_scripts",
    "statistics_start",
    "imported_statistics",
    "display_name",
    "user_role",
    "metadata",
    "settings",
    "pinned",
    "subscription_active",
}


@pytest.fixture
def admin(api: Pirsch) -> str:
    """A user client of the owner with the domains scope."""
    return api.token(None, "domains:w,statistics")


def test_domains_list_create_and_delete(api: Pirsch, admin: str) -> None:
    listed = api.request("GET", "/api/v1/domain", admin).json()
    assert [d["hostname"] for d in listed] == ["shop.example.com", "www.blog.example.org"]
    assert all(set(d) == DOMAIN_KEYS and RFC3339.fullmatch(d["def_time"]) for d in listed)
    assert listed[0]["user_role"] == "Owner" and len(listed[0]["identification_code"]) == 32
    body = {"hostname": "news.example.net", "subdomain": "news", "timezone": "Europe/Berlin"}
    r = api.request("POST", "/api/v1/domain", admin, json=body)
    assert r.status_code == 200, r.text
    made = r.json()
    assert (made["hostname"], made["subdomain"], made["timezone"]) == (
        "news.example.net",
        "news",
        "Europe/Berlin",
    )
    assert services.find_app(api.meta, made["id"]) is not None
    assert api.request("DELETE", f"/api/v1/domain?id={made['id']}", admin).status_code == 200
    assert services.find_app(api.meta, made["id"]) is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "hostname"),
        ({"hostname": "a.example", "timezone": "Mars/Base"}, "timezone"),
        ({"hostname": "a.example", "subdomain": "Bad Name"}, "subdomain"),
    ],
)
def test_domain_creation_errors_name_the_field(
    api: Pirsch, admin: str, body: dict[str, str], field: str
) -> None:
    r = api.request("POST", "/api/v1/domain", admin, json=body)
    assert r.status_code == 400 and field in r.json()["validation"], r.json()


def test_domain_settings(api: Pirsch, admin: str) -> None:
    before = pirsch.domain_attributes(api.meta, api.shop_id)
    r = api.request("PUT", "/api/v1/domain", admin, json={"id": api.shop_id})
    code = r.json()["identification_code"]
    assert len(code) == 32 and code != before.identification_code
    assert (
        api.request(
            "POST",
            "/api/v1/domain/subdomain",
            admin,
            json={"domain_id": api.shop_id, "subdomain": "shop"},
        ).status_code
        == 200
    )
    assert (
        api.request(
            "POST", "/api/v1/domain/public", admin, json={"domain_id": api.shop_id}
        ).status_code
        == 200
    )
    assert (
        api.request(
            "POST", "/api/v1/domain/title", admin, json={"domain_id": api.shop_id}
        ).status_code
        == 200
    )
    r = api.request(
        "POST",
        "/api/v1/domain/timezone",
        admin,
        json={"domain_id": api.shop_id, "timezone": "Asia/Tokyo"},
    )
    assert r.status_code == 200
    after = pirsch.domain_attributes(api.meta, api.shop_id)
    assert (after.subdomain, after.public, after.group_by_title) == ("shop", True, True)
    assert services.get_app(api.meta, api.shop_id).timezone == "Asia/Tokyo"
    api.request("POST", "/api/v1/domain/public", admin, json={"domain_id": api.shop_id})
    assert pirsch.domain_attributes(api.meta, api.shop_id).public is False  # a toggle


def test_management_needs_the_domains_scope_and_manage_level(api: Pirsch) -> None:
    stats = api.token(api.shop_id, "statistics")
    r = api.request("POST", "/api/v1/domain/public", stats, json={"domain_id": api.shop_id})
    assert r.status_code == 403
    assert (
        api.request("POST", "/api/v1/domain", stats, json={"hostname": "x.example"}).status_code
        == 403
    )
    # a domain client cannot create domains, nor touch another domain
    bound = api.token(api.shop_id, "domains:w")
    assert (
        api.request("POST", "/api/v1/domain", bound, json={"hostname": "x.example"}).status_code
        == 403
    )
    r = api.request("POST", "/api/v1/domain/public", bound, json={"domain_id": api.blog_id})
    assert r.status_code == 404
    # a viewer's user client sees the domain but may not change it
    viewer = services.create_user(api.meta, "v@example.com").user
    services.set_permission(api.meta, viewer.id, api.shop_id, "view")
    token = api.token(None, "domains:w", user_id=viewer.id)
    r = api.request("POST", "/api/v1/domain/public", token, json={"domain_id": api.shop_id})
    assert r.status_code == 403
    r = api.request("POST", "/api/v1/domain/public", token, json={"domain_id": api.blog_id})
    assert r.status_code == 404
    r = api.request("POST", "/api/v1/domain/public", token, json={})
    assert r.status_code == 400 and "domain_id" in r.json()["validation"]


def test_clients_create_list_and_delete(api: Pirsch, admin: str) -> None:
    body = {
        "domain_id": api.shop_id,
        "description": "CI",
        "scope_hit": "w",
        "scope_statistics": "r",
    }
    made = api.request("POST", "/api/v1/client", admin, json=body).json()
    assert len(made["client_id"]) == 32 and len(made["client_secret"]) == 64
    assert (made["scope_hit"], made["scope_event"], made["scope_statistics"]) == ("w", "", "r")
    listed = api.request("GET", f"/api/v1/client?id={api.shop_id}", admin).json()
    assert [c["client_id"] for c in listed] == [made["client_id"]]
    token = api.request(
        "POST",
        "/api/v1/token",
        json={"client_id": made["client_id"], "client_secret": made["client_secret"]},
    )
    assert token.status_code == 200
    assert api.request("DELETE", f"/api/v1/client?id={made['client_id']}", admin).status_code == 200
    assert api.request("GET", f"/api/v1/client?id={api.shop_id}", admin).json() == []
    bad = api.request("POST", "/api/v1/client", admin, json={**body, "scope_hit": "x"})
    assert bad.status_code == 400 and "scopes" in bad.json()["validation"]


def test_goal_regex(api: Pirsch, admin: str) -> None:
    def check(regex: str, sample: str) -> object:
        return api.request(
            "POST", "/api/v1/goal/regex", admin, json={"regex": regex, "sample": sample}
        )

    assert check("^/blog/.*$", "/blog/post").json() == {"match": True}
    assert check("^/blog/.*$", "/shop").json() == {"match": False}
    for bad in ("(", "(?=x)", r"(a)\1"):
        r = check(bad, "x")
        assert r.status_code == 400 and "regex" in r.json()["validation"]


def test_goals_crud_and_pattern(api: Pirsch, admin: str) -> None:
    body = {
        "domain_id": api.shop_id,
        "name": "Checkout",
        "path_pattern": "/checkout/**",
        "visitors": 10,
        "cr": 0,
        "delete_reached": False,
        "email_reached": True,
    }
    goal = api.request("POST", "/api/v1/goal", admin, json=body).json()
    assert (goal["pattern"], goal["visitor_goal"], goal["cr_goal"], goal["email_reached"]) == (
        "^/checkout/.*$",
        10,
        None,
        True,
    )
    changed = api.request(
        "PUT",
        "/api/v1/goal",
        admin,
        json={**body, "id": goal["id"], "cr": 2.5, "path_pattern": "/p/*/buy"},
    ).json()
    assert (changed["pattern"], changed["cr_goal"]) == ("^/p/[^/]*/buy$", 2.5)
    assert [
        g["id"] for g in api.request("GET", f"/api/v1/goal?id={api.shop_id}", admin).json()
    ] == [goal["id"]]
    # the same goal on the platform side, tested by the pipeline against whole URLs
    [platform] = services.list_goals(api.meta, api.shop_id)
    assert (platform.uuid, platform.name, platform.trigger) == (goal["id"], "Checkout", "url")
    assert re.fullmatch(platform.pattern, "https://shop.example.com/p/7/buy?x=1")
    assert not re.fullmatch(platform.pattern, "https://shop.example.com/p/7/8/buy")
    assert api.request("DELETE", f"/api/v1/goal?id={goal['id']}", admin).status_code == 200
    assert api.request("GET", f"/api/v1/goal?id={api.shop_id}", admin).json() == []
    assert services.list_goals(api.meta, api.shop_id) == []
    r = api.request("POST", "/api/v1/goal", admin, json={**body, "path_pattern": "checkout"})
    assert r.status_code == 400 and "path_pattern" in r.json()["validation"]
    assert api.request("DELETE", "/api/v1/goal?id=nope", admin).status_code == 404


def test_goal_pattern_escapes_everything_but_stars() -> None:
    assert goal_pattern("/a.b/*/c**") == r"^/a\.b/[^/]*/c.*$"


def test_links(api: Pirsch, admin: str) -> None:
    body = {"domain_id": api.shop_id, "description": "board", "valid_until": "2030-01-01T00:00:00Z"}
    link = api.request("POST", "/api/v1/domain/link", admin, json=body).json()
    assert set(link) == {
        "id",
        "def_time",
        "mod_time",
        "domain_id",
        "code",
        "description",
        "valid_until",
    }
    assert link["valid_until"] == "2030-01-01T00:00:00.000000Z" and len(link["code"]) == 20
    assert (
        api.request(
            "PUT", "/api/v1/domain/link", admin, json={"id": link["id"], "description": "wall"}
        ).status_code
        == 200
    )
    [listed] = api.request("GET", f"/api/v1/domain/link?domain_id={api.shop_id}", admin).json()
    assert (listed["description"], listed["valid_until"]) == ("wall", None)
    bad = api.request("POST", "/api/v1/domain/link", admin, json={**body, "valid_until": "soon"})
    assert bad.status_code == 400 and "valid_until" in bad.json()["validation"]
    assert api.request("DELETE", f"/api/v1/domain/link?id={link['id']}", admin).status_code == 200


def test_alternative_domains_route_user_client_hits(api: Pirsch, admin: str) -> None:
    body = {"domain_id": api.shop_id, "hostname": "shop.example.de"}
    alt = api.request("POST", "/api/v1/domain/alternative", admin, json=body).json()
    assert alt["hostname"] == "shop.example.de"
    hit = {"url": "https://shop.example.de/", "ip": "198.51.100.7", "user_agent": "UA/1.0"}
    writer = api.token(None, "hit")
    assert api.request("POST", "/api/v1/hit", writer, json=hit).status_code == 200
    assert [r.website_id for r in api.spooled()] == [api.shop_id]
    bad = api.request(
        "PUT", "/api/v1/domain/alternative", admin, json={"id": alt["id"], "hostname": "not a host"}
    )
    assert bad.status_code == 400 and "hostname" in bad.json()["validation"]
    assert (
        api.request("DELETE", f"/api/v1/domain/alternative?id={alt['id']}", admin).status_code
        == 200
    )
    assert api.request("POST", "/api/v1/hit", writer, json=hit).status_code == 404


def test_reports(api: Pirsch, admin: str) -> None:
    body = {"domain_id": api.shop_id, "emails": ["a@example.com", "B@example.com"], "interval": 1}
    made = api.request("POST", "/api/v1/report", admin, json=body).json()
    assert [r["email"] for r in made] == ["a@example.com", "b@example.com"]
    assert all(r["interval"] == 1 and RFC3339.fullmatch(r["next_report"]) for r in made)
    changed = api.request(
        "PUT", "/api/v1/report", admin, json={"id": made[0]["id"], "interval": 0}
    ).json()
    assert changed["interval"] == 0
    assert len(api.request("GET", f"/api/v1/report?id={api.shop_id}", admin).json()) == 2
    for bad, field in (
        ({**body, "emails": ["x"]}, "emails.0"),
        ({**body, "interval": -1}, "interval"),
        ({**body, "emails": []}, "emails"),
    ):
        r = api.request("POST", "/api/v1/report", admin, json=bad)
        assert r.status_code == 400 and field in r.json()["validation"]


def test_members(api: Pirsch, admin: str) -> None:
    known = services.create_user(api.meta, "known@example.com").user
    r = api.request(
        "POST",
        "/api/v1/member",
        admin,
        json={"id": api.shop_id, "emails": ["known@example.com", "new@example.com"]},
    )
    assert r.status_code == 200, r.text
    members = api.request("GET", f"/api/v1/member?id={api.shop_id}", admin).json()
    assert sorted((m["user"]["email"], m["role"]) for m in members) == [
        ("known@example.com", "viewer"),
        ("new@example.com", "viewer"),
    ]
    member_id = f"{api.shop_id}.{known.id}"
    assert (
        api.request(
            "PUT", "/api/v1/member", admin, json={"id": member_id, "role": "admin"}
        ).status_code
        == 200
    )
    assert services.permission_level(api.meta, known.id, api.shop_id) == "manage"
    bad = api.request("PUT", "/api/v1/member", admin, json={"id": member_id, "role": "god"})
    assert bad.status_code == 400 and "role" in bad.json()["validation"]
    assert api.request("DELETE", f"/api/v1/member?id={member_id}", admin).status_code == 200
    assert services.permission_level(api.meta, known.id, api.shop_id) is None
    assert api.request("DELETE", f"/api/v1/member?id={member_id}", admin).status_code == 404
    # an admin who is not an owner may add accounts that exist, not invite new ones
    token = api.token(None, "domains:w", user_id=known.id)
    services.set_permission(api.meta, known.id, api.shop_id, "manage")
    r = api.request(
        "POST",
        "/api/v1/member",
        token,
        json={"id": api.shop_id, "emails": ["stranger@example.com"]},
    )
    assert r.status_code == 400 and "emails.0" in r.json()["validation"]


def test_funnels(api: Pirsch, admin: str) -> None:
    steps = [
        {"name": "Home", "filter": {"path": "/"}},
        {"name": "Pricing", "filter": {"path": ["/pricing", "/plans"]}},
    ]
    body = {"domain_id": api.shop_id, "name": "Signup", "steps": steps}
    funnel = api.request("POST", "/api/v1/funnel", admin, json=body).json()
    assert [(s["step"], s["name"], s["funnel_id"]) for s in funnel["steps"]] == [
        (0, "Home", funnel["id"]),
        (1, "Pricing", funnel["id"]),
    ]
    renamed = api.request(
        "POST", "/api/v1/funnel", admin, json={**body, "id": funnel["id"], "name": "Sign up"}
    ).json()
    assert (renamed["id"], renamed["name"]) == (funnel["id"], "Sign up")
    [listed] = api.request("GET", f"/api/v1/funnel?id={api.shop_id}", admin).json()
    assert listed["steps"][1]["filter"] == {"path": ["/pricing", "/plans"]}
    for bad, field in (
        ({**body, "steps": steps[:1]}, "steps"),
        ({**body, "steps": [steps[0], {"filter": {}}]}, "steps.1.name"),
        (
            {**body, "steps": [steps[0], {"name": "x", "filter": {"path": {"a": 1}}}]},
            "steps.1.filter.path",
        ),
        ({**body, "name": ""}, "name"),
    ):
        r = api.request("POST", "/api/v1/funnel", admin, json=bad)
        assert r.status_code == 400 and field in r.json()["validation"], r.json()
    assert api.request("DELETE", f"/api/v1/funnel?id={funnel['id']}", admin).status_code == 200
    assert api.request("GET", f"/api/v1/funnel?id={api.shop_id}", admin).json() == []
