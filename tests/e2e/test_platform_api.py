"""End to end: seed 002's curl walkthrough against a live `footfall serve`, plus the FAQ errors
and what the log importer reads (api-notes §12.2)."""

from __future__ import annotations

import json

import httpx
import pytest

from e2e.conftest import Provisioned
from e2e.server import Server

pytestmark = pytest.mark.e2e

JSONAPI = {"Content-Type": "application/vnd.api+json"}


def _token(server: Server, client_id: str, secret: str) -> str:
    # curl -X POST '<example>/auth/token' -H "Content-Type: application/json" --data '{...}'
    r = httpx.post(
        server.url + "/auth/token",
        content=json.dumps(
            {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
        ),
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 1800)
    return str(body["access_token"])


def test_seed_002_walkthrough(provisioned: Provisioned, server: Server) -> None:
    assert provisioned.client_secret is not None
    token = _token(server, provisioned.client_id, provisioned.client_secret)
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.url, timeout=10) as http:
        invite = {
            "data": {
                "type": "ppms/user",
                "attributes": {"email": "user@example.com", "language": "en-US"},
            }
        }
        r = http.post("/api/users/v2", content=json.dumps(invite), headers={**auth, **JSONAPI})
        assert r.status_code == 201, r.text
        user = r.json()["data"]
        assert user["type"] == "ppms/user"
        assert (user["attributes"]["email"], user["attributes"]["role"]) == (
            "user@example.com",
            "USER",
        )
        user_id = user["id"]
        r = http.get(f"/api/users/v2/{user_id}", headers=auth)
        assert r.status_code == 200 and r.json()["data"]["attributes"]["language"] == "en-US"
        change = {"data": {"type": "ppms/user", "id": user_id, "attributes": {"language": "de-DE"}}}
        r = http.patch(
            f"/api/users/v2/{user_id}", content=json.dumps(change), headers={**auth, **JSONAPI}
        )
        assert (r.status_code, r.content) == (204, b"")
        assert (
            http.get(f"/api/users/v2/{user_id}", headers=auth).json()["data"]["attributes"][
                "language"
            ]
            == "de-DE"
        )
        r = http.delete(f"/api/users/v2/{user_id}", headers=auth)
        assert (r.status_code, r.content) == (204, b"")
        assert http.get(f"/api/users/v2/{user_id}", headers=auth).status_code == 404

        # the FAQ's errors
        r = http.get("/api/users/v2")
        assert r.status_code == 401 and r.json()["errors"][0]["title"] == "JWT not found"
        r = http.get("/api/users/v2", headers={"Authorization": "Bearer not-a-jwt"})
        assert r.json()["errors"][0]["title"] == "access token not authorized"
        r = http.post("/api/users/v2", json=invite, headers=auth)
        assert r.json()["errors"][0]["title"] == (
            '"application/json" is not a valid JSON API Content-Type header, '
            'use "application/vnd.api+json" instead'
        )

        # what import_logs.py reads: the app by id, and the app of a host
        r = http.get(
            f"/api/apps/v2/{provisioned.app_id}",
            headers={**auth, "Content-type": "application/json"},
        )
        data = r.json()["data"]
        assert (data["id"], data["attributes"]["urls"][0]) == (
            provisioned.app_id,
            "https://shop.example.com",
        )
        r = http.get(
            "/api/tracker/v2/settings/app/url", params={"app_url": "shop.example.com"}, headers=auth
        )
        assert r.json()["data"]["id"] == provisioned.app_id
        r = http.get(
            "/api/tracker/v2/settings/app/url", params={"app_url": "other.example"}, headers=auth
        )
        assert r.status_code == 404
        assert http.get("/api/docs").json()["paths"]["/api/users/v2"]
        # one server start for both flows: starting `footfall serve` costs seconds
        _credentials_created_and_revoked_through_the_api(http, auth)


def _credentials_created_and_revoked_through_the_api(
    http: httpx.Client, auth: dict[str, str]
) -> None:
    body = {"data": {"type": "ppms/api-credential", "attributes": {"name": "importer"}}}
    r = http.post(
        "/api/users/v2/me/credentials", content=json.dumps(body), headers={**auth, **JSONAPI}
    )
    assert r.status_code == 201
    made = r.json()["data"]
    secret = made["attributes"]["client_secret"]
    # form-encoded, as the MCP client sends it
    r = http.post(
        "/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": made["id"],
            "client_secret": secret,
        },
    )
    fresh = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert http.get("/api/users/v2/me", headers=fresh).status_code == 200
    listed = http.get("/api/users/v2/me/credentials", headers=auth).json()["data"]
    assert all("client_secret" not in c["attributes"] for c in listed)
    assert (
        http.delete(f"/api/users/v2/me/credentials/{made['id']}", headers=auth).status_code == 204
    )
    r = http.get("/api/users/v2/me", headers=fresh)
    assert r.status_code == 401 and r.json()["errors"][0]["title"] == "access token not authorized"
    entries = http.get(
        "/api/audit-log/v1/entries",
        headers=auth,
        params={"filter[type]": "api_credential.revoked"},
    ).json()
    assert entries["meta"]["total"] == 1
