"""Every platform endpoint × every kind of caller: who gets through, who gets 403, who gets 401.

Callers: an OWNER; users holding manage, edit or view on the app and meta site under test; a user
with no access; and tokens that must never pass (expired, of a revoked credential, forged with
another key, `alg: none`, none at all). Endpoints that destroy something get a fresh target.
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import Api, SyncClient, doc, make_asgi
from footfall.auth.tokens import KeyRing
from footfall.meta import services
from footfall.meta.groups import create_group
from footfall.meta.meta_sites import create_meta_site
from footfall.meta.permissions import set_user_permission
from footfall.meta.store import MetaStore

LEVEL_OF = {"manager": "manage", "editor": "edit", "viewer": "view"}
RANK = {"owner": 9, "manager": 4, "editor": 2, "viewer": 1, "stranger": 0}
NEED = {"any": 0, "view": 1, "edit": 2, "manage": 4, "owner": 9}
PEOPLE = ("owner", "manager", "editor", "viewer", "stranger")
BAD = {
    "expired": "Expired JWT Token",
    "revoked": "access token not authorized",
    "forged": "access token not authorized",
    "alg-none": "access token not authorized",
    "missing": "JWT not found",
}
PASSWORD = "Password12345"


@dataclass
class World:
    api: Api
    meta: MetaStore
    users: dict[str, services.User]
    headers: dict[str, dict[str, str]]
    app_id: str
    site_id: str
    group_id: str

    def fresh_app(self) -> str:
        app_id = services.create_app(self.meta, name="Temp", urls=["temp.example"]).id
        for who, level in LEVEL_OF.items():
            set_user_permission(self.meta, self.users[who].id, app_id, level)
        return app_id

    def fresh_site(self) -> str:
        site_id = create_meta_site(self.meta, {"name": f"site {uuid.uuid4()}"}).id
        for who, level in LEVEL_OF.items():
            set_user_permission(self.meta, self.users[who].id, site_id, level)
        return site_id

    def fresh_user(self) -> str:
        return services.create_user(self.meta, f"{uuid.uuid4().hex}@example.com").user.id


def _alg_none(claims: dict[str, Any]) -> str:
    def b64(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp: Path = tmp_path_factory.mktemp("matrix")
    meta = MetaStore(f"sqlite:///{tmp / 'meta.sqlite'}")
    meta.migrate()
    keys = KeyRing(tmp / "keys")
    users = {
        who: services.create_user(
            meta,
            f"{who}@example.com",
            role="OWNER" if who == "owner" else "USER",
            password=PASSWORD,
        ).user
        for who in PEOPLE
    }
    app_id = services.create_app(meta, name="Shop", urls=["shop.example.com"]).id
    site_id = create_meta_site(meta, {"name": "All shops"}).id
    group_id = create_group(meta, {"name": "Team"}).id
    for who, level in LEVEL_OF.items():
        set_user_permission(meta, users[who].id, app_id, level)
        set_user_permission(meta, users[who].id, site_id, level)
    headers: dict[str, dict[str, str]] = {}
    for who, user in users.items():
        client_id = services.create_credential(meta, user.id, who).credential.client_id
        token = keys.issue(user_id=user.id, email=user.email, audience=who, client_id=client_id)
        headers[who] = {"Authorization": f"Bearer {token}"}
    owner = users["owner"]
    claims = {"user_id": owner.id, "email": owner.email, "audience": "x"}
    expired = keys.issue(**claims, now=time.time() - 4000)
    revoked_id = services.create_credential(meta, owner.id, "gone").credential.client_id
    revoked = keys.issue(**claims, client_id=revoked_id)
    services.revoke_credential(meta, revoked_id)
    forged = KeyRing(tmp / "other-keys").issue(**claims)
    now = int(time.time())
    none = _alg_none(
        {"iss": "oauth", "sub": owner.id, "iat": now, "exp": now + 600, "eml": owner.email}
    )
    for name, token in (
        ("expired", expired),
        ("revoked", revoked),
        ("forged", forged),
        ("alg-none", none),
    ):
        headers[name] = {"Authorization": f"Bearer {token}"}
    headers["missing"] = {}
    api = Api(SyncClient(make_asgi(meta, keys)), meta, keys)
    yield World(api, meta, users, headers, app_id, site_id, group_id)
    meta.close()


Request = tuple[str, str, Any]
Builder = Callable[[World, str], Request]


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # with {app}, {site}, {group}, {me}, {stranger} placeholders
    need: str
    status: int
    family: str = "jsonapi"
    body: Any = None
    setup: Callable[[World, str], dict[str, str]] | None = None  # extra placeholders
    denied: int = 403


def _uid() -> str:
    return uuid.uuid4().hex[:8]


U, A, TS, TA = "ppms/user", "ppms/app", "tracker/settings/app/global", "tracker/settings/app"
MS, G = "ppms/meta-site", "ppms/user-group"


def _users(w: World, who: str) -> dict[str, str]:
    return {"target": w.fresh_user()}


def _password(w: World, who: str) -> dict[str, str]:
    services.set_password(w.meta, w.users[who].id, PASSWORD)
    return {}


def _credential(w: World, who: str) -> dict[str, str]:
    return {
        "client": services.create_credential(w.meta, w.users[who].id, "tmp").credential.client_id
    }


def _app(w: World, who: str) -> dict[str, str]:
    return {"target": w.fresh_app()}


def _site(w: World, who: str) -> dict[str, str]:
    return {"target": w.fresh_site()}


def _group(w: World, who: str) -> dict[str, str]:
    return {"target": create_group(w.meta, {"name": "tmp"}).id}


CASES = [
    Case("GET", "/api/users/v2", "any", 200),
    Case("POST", "/api/users/v2", "owner", 201, body=lambda: doc(U, {"email": f"{_uid()}@e.com"})),
    Case(
        "POST",
        "/api/users/v2/invite",
        "owner",
        201,
        body=lambda: doc(U, {"email": f"{_uid()}@e.com"}),
    ),
    Case("GET", "/api/users/v2/me", "any", 200),
    Case("GET", "/api/users/v2/me/details", "any", 200),
    Case("PATCH", "/api/users/v2/me", "any", 204, body=lambda: doc(U, {"language": "de-DE"})),
    Case(
        "PATCH",
        "/api/users/v2/me/change-password",
        "any",
        204,
        body=lambda: doc(U, {"currentPassword": PASSWORD, "newPassword": "Another12345"}),
        setup=_password,
    ),
    Case("GET", "/api/users/v2/{stranger}", "any", 200),
    Case(
        "PATCH",
        "/api/users/v2/{target}",
        "owner",
        204,
        body=lambda: doc(U, {"language": "fi"}, "{target}"),
        setup=_users,
    ),
    Case(
        "PATCH",
        "/api/users/v2/{target}/change-role",
        "owner",
        204,
        body=lambda: doc(U, {"role": "USER"}, "{target}"),
        setup=_users,
    ),
    Case("DELETE", "/api/users/v2/{target}", "owner", 204, setup=_users),
    Case("GET", "/api/users/v2/me/credentials", "any", 200),
    Case(
        "POST",
        "/api/users/v2/me/credentials",
        "any",
        201,
        body=lambda: doc("ppms/api-credential", {"name": "n"}),
    ),
    Case("DELETE", "/api/users/v2/me/credentials/{client}", "any", 204, setup=_credential),
    Case("GET", "/api/apps/v2", "any", 200),
    Case(
        "POST",
        "/api/apps/v2",
        "owner",
        201,
        body=lambda: doc(A, {"name": "N", "urls": ["n.example"]}),
    ),
    Case("GET", "/api/apps/v2/{app}", "view", 200),
    Case(
        "PATCH", "/api/apps/v2/{app}", "manage", 204, body=lambda: doc(A, {"delay": 100}, "{app}")
    ),
    Case("DELETE", "/api/apps/v2/{target}", "manage", 204, setup=_app),
    Case("GET", "/api/apps/v2/{app}/permissions", "manage", 200),
    Case("GET", "/api/apps/v2/user-group/{group}/permissions", "any", 200),
    Case("GET", "/api/tracker/v2/settings/app/global", "any", 200, "error"),
    Case(
        "PATCH",
        "/api/tracker/v2/settings/app/global",
        "owner",
        204,
        "error",
        body=lambda: doc(TS, {"set_ip_tracking": True}, "global"),
    ),
    Case(
        "GET",
        "/api/tracker/v2/settings/app/url?app_url=shop.example.com",
        "view",
        200,
        "error",
        denied=404,
    ),
    Case("GET", "/api/tracker/v2/settings/app/{app}", "view", 200, "error"),
    Case(
        "PATCH",
        "/api/tracker/v2/settings/app/{app}",
        "manage",
        204,
        "error",
        body=lambda: doc(TA, {"exclude_crawlers": True}, "{app}"),
    ),
    Case("DELETE", "/api/tracker/v2/settings/app/{app}/exclude_crawlers", "manage", 204, "error"),
    Case("DELETE", "/api/tracker/v2/settings/app/global/set_ip_tracking", "owner", 204, "error"),
    Case("GET", "/api/meta-sites/v1", "any", 200, "message"),
    Case(
        "POST",
        "/api/meta-sites/v1",
        "owner",
        201,
        "message",
        body=lambda: doc(MS, {"name": _uid()}),
    ),
    Case("GET", "/api/meta-sites/v1/apps-with-meta-sites", "any", 200, "message"),
    Case("GET", "/api/meta-sites/v1/{site}", "view", 200, "message"),
    Case(
        "PATCH",
        "/api/meta-sites/v1/{site}",
        "manage",
        204,
        "message",
        body=lambda: doc(MS, {"currency": "EUR"}, "{site}"),
    ),
    Case("DELETE", "/api/meta-sites/v1/{target}", "manage", 204, "message", setup=_site),
    Case(
        "POST",
        "/api/meta-sites/v1/{site}/relationships/apps",
        "manage",
        204,
        "message",
        body=lambda: {"data": [{"type": A, "id": "{app}"}]},
    ),
    Case(
        "DELETE",
        "/api/meta-sites/v1/{site}/relationships/apps",
        "manage",
        204,
        "message",
        body=lambda: {"data": [{"type": A, "id": "{app}"}]},
    ),
    Case("GET", "/api/meta-sites/v1/{site}/apps", "view", 200, "message"),
    Case("GET", "/api/meta-sites/v1/{site}/apps/excluded", "view", 200, "message"),
    Case("GET", "/api/user-groups/v1", "any", 200),
    Case("POST", "/api/user-groups/v1", "owner", 201, body=lambda: doc(G, {"name": "g"})),
    Case("GET", "/api/user-groups/v1/{group}", "any", 200),
    Case(
        "PATCH",
        "/api/user-groups/v1/{group}",
        "owner",
        204,
        body=lambda: doc(G, {"name": "Team"}, "{group}"),
    ),
    Case("DELETE", "/api/user-groups/v1/{target}", "owner", 204, setup=_group),
    Case("GET", "/api/user-groups/v1/{group}/users", "any", 200),
    Case("GET", "/api/user-groups/v1/{group}/users/excluded", "any", 200),
    Case(
        "POST",
        "/api/user-groups/v1/{group}/relationships/users",
        "owner",
        204,
        body=lambda: {"data": [{"type": U, "id": "{stranger}"}]},
    ),
    Case(
        "DELETE",
        "/api/user-groups/v1/{group}/relationships/users",
        "owner",
        204,
        body=lambda: {"data": [{"type": U, "id": "{stranger}"}]},
    ),
    Case(
        "POST",
        "/api/user-groups/v1/{group}/permissions",
        "manage",
        204,
        body=lambda: doc("ppms/permissions/group", {"entity_id": "{app}", "group": "no-access"}),
    ),
    Case("GET", "/api/access-control/v2/entry/{app}", "any", 200, "message"),
    Case("GET", "/api/access-control/v2/entry/ppms/app/action/view", "any", 200, "message"),
    Case("GET", "/api/access-control/v2/entry/ppms/meta-site/action/edit", "any", 200, "message"),
    Case("GET", "/api/access-control/v2/entry/ppms/user/action/list", "any", 200, "message"),
    Case("GET", "/api/access-control/v2/global/actions", "any", 200, "message"),
    Case("GET", "/api/access-control/v2/app/{app}/permission/user", "manage", 200, "message"),
    Case("GET", "/api/access-control/v2/app/{app}/permission/user-group", "manage", 200, "message"),
    Case(
        "GET", "/api/access-control/v2/meta-site/{site}/permission/user", "manage", 200, "message"
    ),
    Case(
        "GET",
        "/api/access-control/v2/meta-site/{site}/permission/user-group",
        "manage",
        200,
        "message",
    ),
    Case(
        "POST",
        "/api/access-control/v2/app/{app}/permission/user/{stranger}",
        "manage",
        204,
        "message",
        body=lambda: doc("app/permission/user", {"permission": "no-access"}),
    ),
    Case(
        "POST",
        "/api/access-control/v2/app/{app}/permission/user-group/{group}",
        "manage",
        204,
        "message",
        body=lambda: doc("app/permission/user-group", {"permission": "no-access"}),
    ),
    Case(
        "POST",
        "/api/access-control/v2/meta-site/{site}/permission/user/{stranger}",
        "manage",
        204,
        "message",
        body=lambda: doc("meta-site/permission/user", {"permission": "no-access"}),
    ),
    Case(
        "POST",
        "/api/access-control/v2/meta-site/{site}/permission/user-group/{group}",
        "manage",
        204,
        "message",
        body=lambda: doc("meta-site/permission/user-group", {"permission": "no-access"}),
    ),
    Case(
        "POST",
        "/api/access-control/v2/entry/group",
        "manage",
        204,
        "message",
        body=lambda: doc(
            "ppms/permissions/group",
            {
                "entity": "ppms/app",
                "entityId": "{app}",
                "group": "no-access",
                "targetUserId": "{stranger}",
            },
        ),
    ),
    Case("GET", "/api/access-control/v2/entry/groups/ppms/app/{app}", "manage", 200, "message"),
    Case("GET", "/api/modules/v1", "any", 200, "message"),
    Case("GET", "/api/modules/v1/analytics", "any", 200, "message"),
    Case(
        "POST",
        "/api/modules/v1/by-users",
        "any",
        200,
        "message",
        body=lambda: {"data": [{"type": U, "id": "{me}"}]},
    ),
    Case("GET", "/api/modules/v1/access/user/{me}", "any", 200, "message"),
    Case(
        "PUT",
        "/api/modules/v1/access/user/{stranger}",
        "owner",
        204,
        "message",
        body=lambda: {
            "data": [{"type": "module/access", "id": "analytics", "attributes": {"access": True}}]
        },
    ),
    Case("GET", "/api/audit-log/v1/entries", "any", 200, "error"),
]


def _fill(value: Any, names: dict[str, str]) -> Any:
    text = json.dumps(value) if not isinstance(value, str) else value
    for key, replacement in names.items():
        text = text.replace("{" + key + "}", replacement)
    return json.loads(text) if not isinstance(value, str) else text


def _send(world: World, case: Case, who: str) -> Any:
    person = who if who in PEOPLE else "owner"
    names = {
        "app": world.app_id,
        "site": world.site_id,
        "group": world.group_id,
        "me": world.users[person].id,
        "stranger": world.users["stranger"].id,
        "target": str(uuid.uuid4()),
        "client": "0" * 32,
    }
    if case.setup is not None:
        names.update(case.setup(world, person))
    body = _fill(case.body(), names) if case.body is not None else None
    headers = dict(world.headers[who])
    content = None
    if body is not None:
        content = json.dumps(body).encode()
        headers["Content-Type"] = "application/vnd.api+json"
    return world.api.http.request(
        case.method, _fill(case.path, names), content=content, headers=headers
    )


def _message(response: Any, family: str) -> str:
    body = response.json()
    if family == "error":
        return str(body["error"])
    if family == "message":
        return str(body["message"])
    return str(body["errors"][0]["title"])


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.path}")
def test_matrix(world: World, case: Case) -> None:
    for who in PEOPLE:
        response = _send(world, case, who)
        if RANK[who] >= NEED[case.need]:
            assert response.status_code == case.status, (who, response.text)
        else:
            assert response.status_code == case.denied, (who, response.text)
            if case.denied == 403:
                assert response.json()["errors"][0]["code"] == "error.forbidden"
    for who, message in BAD.items():
        response = _send(world, case, who)
        assert response.status_code == 401, (who, response.text)
        assert _message(response, case.family) == message, who


def test_every_endpoint_is_in_the_matrix() -> None:
    from footfall.api.platform import ENDPOINTS

    cases = [(c.method, c.path.split("?")[0]) for c in CASES]
    missing = []
    for endpoint in ENDPOINTS:
        pattern = re.compile(re.sub(r"{\w+}", "[^/]+", endpoint.path))
        if not any(m == endpoint.method and pattern.fullmatch(p) for m, p in cases):
            missing.append((endpoint.method, endpoint.path))
    assert missing == []


def test_no_user_sees_an_app_or_meta_site_they_were_not_given(world: World) -> None:
    stranger = world.headers["stranger"]
    apps = world.api.http.request("GET", "/api/apps/v2", headers=stranger).json()
    sites = world.api.http.request("GET", "/api/meta-sites/v1", headers=stranger).json()
    both = world.api.http.request(
        "GET", "/api/meta-sites/v1/apps-with-meta-sites", headers=stranger
    ).json()
    entries = world.api.http.request(
        "GET", "/api/access-control/v2/entry/ppms/app/action/view", headers=stranger
    ).json()
    assert (apps["meta"], sites["meta"], both["meta"], entries["meta"]) == ({"total": 0},) * 4
    viewer = world.headers["viewer"]
    seen = world.api.http.request(
        "GET", "/api/apps/v2", headers=viewer, params={"limit": 1000}
    ).json()
    assert world.app_id in {a["id"] for a in seen["data"]}
    assert all(services.find_app(world.meta, a["id"]) is not None for a in seen["data"])
    acts = world.api.http.request(
        "GET", f"/api/access-control/v2/entry/{world.app_id}", headers=viewer
    ).json()
    assert acts["data"]["attributes"]["actions"] == ["view"]
