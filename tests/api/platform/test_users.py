"""Users API v2: shapes of seed 002, password rules, paging, every documented error."""

from __future__ import annotations

import pytest

from conftest import Api, doc
from footfall.meta import services
from footfall.meta.store import MetaStore

T = "ppms/user"


def test_seed_002_invite_get_change_language_delete(api: Api, owner: services.User) -> None:
    r = api.call(
        "POST", "/api/users/v2", owner, doc(T, {"email": "user@example.com", "language": "en-US"})
    )
    assert r.status_code == 201
    data = r.json()["data"]
    assert data["type"] == T and len(data["id"]) == 36
    attributes = data["attributes"]
    assert {k: attributes[k] for k in ("email", "role", "language")} == {
        "email": "user@example.com",
        "role": "USER",
        "language": "en-US",
    }
    assert attributes["addedAt"].endswith("+00:00")
    user_id = data["id"]
    assert api.call("GET", f"/api/users/v2/{user_id}", owner).json()["data"] == data
    r = api.call("PATCH", f"/api/users/v2/{user_id}", owner, doc(T, {"language": "de-DE"}, user_id))
    assert (r.status_code, r.content) == (204, b"")
    assert (
        api.call("GET", f"/api/users/v2/{user_id}", owner).json()["data"]["attributes"]["language"]
        == "de-DE"
    )
    r = api.call("DELETE", f"/api/users/v2/{user_id}", owner)
    assert (r.status_code, r.content) == (204, b"")
    r = api.call("GET", f"/api/users/v2/{user_id}", owner)
    assert r.status_code == 404
    assert r.json() == {
        "errors": [
            {
                "status": "404",
                "code": "users.error.user-does-not-exist",
                "title": f"User with id: {user_id} does not exist",
            }
        ]
    }


def test_invite_and_duplicate(api: Api, owner: services.User) -> None:
    r = api.call("POST", "/api/users/v2/invite", owner, doc(T, {"email": "a@example.com"}))
    assert r.status_code == 201 and r.json()["data"]["attributes"]["language"] == "en-US"
    r = api.call("POST", "/api/users/v2/invite", owner, doc(T, {"email": "A@example.com"}))
    assert r.status_code == 400
    error = r.json()["errors"][0]
    assert error["code"] == "users.error.user-already-exists"
    assert error["title"] == "User with email: 'a@example.com' already exists."
    r = api.call(
        "POST", "/api/users/v2/invite", owner, doc(T, {"email": "b@example.com", "role": "OWNER"})
    )
    assert r.status_code == 400 and r.json()["errors"][0]["source"] == {
        "pointer": "/data/attributes/role"
    }


def test_create_with_password_rules(api: Api, owner: services.User, meta: MetaStore) -> None:
    for bad in ("Short1a", "alllowercase123", "ALLUPPERCASE123", "NoDigitsHereAtAll", "x" * 129):
        body = doc(T, {"email": "p@example.com", "password": bad})
        r = api.call("POST", "/api/users/v2", owner, body)
        assert r.status_code == 400, bad
        assert r.json()["errors"][0]["source"] == {"pointer": "/data/attributes/password"}
    body = doc(T, {"email": "p@example.com", "password": "GoodPassword123", "role": "OWNER"})
    r = api.call("POST", "/api/users/v2", owner, body)
    assert r.status_code == 201 and r.json()["data"]["attributes"]["role"] == "OWNER"
    assert services.verify_password(meta, "p@example.com", "GoodPassword123") is not None
    r = api.call("POST", "/api/users/v2", owner, doc(T, {"language": "en"}))
    assert r.json()["errors"][0]["source"] == {"pointer": "/data/attributes/email"}
    r = api.call(
        "POST", "/api/users/v2", owner, doc(T, {"email": "q@example.com", "language": "xx-YY"})
    )
    assert r.json()["errors"][0]["source"] == {"pointer": "/data/attributes/language"}


def test_list_paging_sorting_search(api: Api, owner: services.User, meta: MetaStore) -> None:
    for name in ("carol", "alice", "bob"):
        services.create_user(meta, f"{name}@example.com")
    r = api.call("GET", "/api/users/v2", owner, sort="email", limit=2)
    body = r.json()
    assert body["meta"] == {"total": 4}
    assert [u["attributes"]["email"] for u in body["data"]] == [
        "alice@example.com",
        "bob@example.com",
    ]
    r = api.call("GET", "/api/users/v2", owner, sort="-email", offset=1, limit=2)
    assert [u["attributes"]["email"] for u in r.json()["data"]] == [
        "carol@example.com",
        "bob@example.com",
    ]
    newest = api.call("GET", "/api/users/v2", owner).json()["data"]  # default -addedAt
    assert newest[0]["attributes"]["email"] == "bob@example.com"
    r = api.call("GET", "/api/users/v2", owner, search="AR", sort="email")
    assert [u["attributes"]["email"] for u in r.json()["data"]] == ["carol@example.com"]
    assert api.call("GET", "/api/users/v2", owner, search="%").json()["meta"] == {"total": 0}
    r = api.call("GET", "/api/users/v2", owner, sort="role")
    assert r.json()["data"][0]["attributes"]["role"] == "OWNER"


def test_list_errors(api: Api, owner: services.User) -> None:
    r = api.call("GET", "/api/users/v2", owner, offset=-1)
    assert r.status_code == 400
    assert r.json()["errors"][0]["title"] == (
        "Invalid query parameter 'offset' - value should be a positive integer - got '-1'"
    )
    r = api.call("GET", "/api/users/v2", owner, limit=1001)
    assert (
        r.json()["errors"][0]["title"]
        == 'Limit parameter exceeded maximum "1000" value, "1001" given'
    )
    assert r.json()["errors"][0]["source"] == {"parameter": "limit"}
    r = api.call("GET", "/api/users/v2", owner, sort="password")
    assert r.status_code == 400 and r.json()["errors"][0]["source"] == {"parameter": "sort"}


def test_get_invalid_uuid(api: Api, owner: services.User) -> None:
    r = api.call("GET", "/api/users/v2/example", owner)
    assert r.status_code == 400
    assert r.json()["errors"][0]["title"] == '"example" is not a valid UUID.'


def test_patch_document_rules(api: Api, owner: services.User, meta: MetaStore) -> None:
    user = services.create_user(meta, "u@example.com").user
    path = f"/api/users/v2/{user.id}"
    r = api.call("PATCH", path, owner, doc(T, {"language": "fr"}, owner.id))
    assert r.status_code == 409
    assert r.json() == {
        "errors": [
            {
                "status": "409",
                "code": "error",
                "title": "Conflict",
                "detail": f"The resource object's id ({owner.id}) does not match url's lookup id ({user.id})",
                "source": {"pointer": "/data"},
            }
        ]
    }
    r = api.call("PATCH", path, owner, doc(T, {"language": "fr"}))
    assert r.status_code == 400 and r.json()["errors"][0]["source"] == {"pointer": "/data/id"}
    r = api.call("PATCH", path, owner, doc("ppms/app", {"language": "fr"}, user.id))
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == "error.json-api-resource-type"
    r = api.call("PATCH", path, owner, {"data": {"id": user.id, "attributes": {}}})
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "error.not-blank"
    r = api.call("PATCH", path, owner, doc(T, {"email": "x@example.com"}, user.id))
    assert r.json()["errors"][0]["source"] == {"pointer": "/data/attributes/email"}
    r = api.call("PATCH", path, owner, headers={"Content-Type": "application/vnd.api+json"})
    assert r.json()["errors"][0]["title"] == "Invalid jsonapi message received"
    r = api.http.request(
        "PATCH", path, json=doc(T, {"language": "fr"}, user.id), headers=api.token(owner)
    )
    assert r.status_code == 400
    assert r.json()["errors"][0] == {
        "status": "400",
        "code": "error.json-api-content-type",
        "title": '"application/json" is not a valid JSON API Content-Type header, '
        'use "application/vnd.api+json" instead',
    }


def test_change_role_and_owner_rules(api: Api, owner: services.User, meta: MetaStore) -> None:
    user = services.create_user(meta, "u@example.com").user
    r = api.call(
        "PATCH", f"/api/users/v2/{user.id}/change-role", owner, doc(T, {"role": "OWNER"}, user.id)
    )
    assert r.status_code == 204 and services.get_user(meta, user.id).role == "OWNER"
    r = api.call("PATCH", f"/api/users/v2/{user.id}/change-role", owner, doc(T, {}, user.id))
    assert r.json()["errors"][0]["source"] == {"pointer": "/data/attributes/role"}
    r = api.call("DELETE", f"/api/users/v2/{owner.id}", owner)
    assert (
        r.status_code == 400 and r.json()["errors"][0]["title"] == "User can't delete own account."
    )
    assert (
        api.call(
            "DELETE", f"/api/users/v2/{owner.id}", services.get_user(meta, user.id)
        ).status_code
        == 204
    )
    r = api.call("DELETE", f"/api/users/v2/{user.id}", services.get_user(meta, user.id))
    assert r.json()["errors"][0]["title"] == "User can't delete own account."
    other = services.create_user(meta, "o2@example.com", role="OWNER").user
    services.update_user(meta, other.id, {"role": "USER"})
    r = api.call("DELETE", f"/api/users/v2/{user.id}", services.get_user(meta, other.id))
    assert r.status_code == 403  # a USER deletes nobody
    r = api.call(
        "PATCH",
        f"/api/users/v2/{user.id}/change-role",
        services.get_user(meta, user.id),
        doc(T, {"role": "USER"}, user.id),
    )
    assert (
        r.status_code == 400
        and r.json()["errors"][0]["title"] == "Cannot change role of last owner"
    )


def test_delete_last_owner_is_refused(meta: MetaStore, owner: services.User) -> None:
    # why: through the API the caller is another owner, so the rule is reachable from the service
    with pytest.raises(services.Refused, match="Cannot delete last owner"):
        services.delete_user(meta, owner.id)


def test_me_and_change_password(api: Api, meta: MetaStore) -> None:
    user = services.create_user(meta, "me@example.com", password="OldPassword123").user
    r = api.call("GET", "/api/users/v2/me", user)
    assert (
        r.json()["data"]["id"] == user.id
        and r.json()["data"]["attributes"]["email"] == "me@example.com"
    )
    assert api.call("GET", "/api/users/v2/me/details", user).json() == r.json()
    assert (
        api.call("PATCH", "/api/users/v2/me", user, doc(T, {"language": "sv-SE"})).status_code
        == 204
    )
    assert services.get_user(meta, user.id).language == "sv-SE"
    assert api.call("PATCH", "/api/users/v2/me", user, doc(T, {"role": "OWNER"})).status_code == 403
    body = doc(T, {"currentPassword": "wrong", "newPassword": "NewPassword456"})
    r = api.call("PATCH", "/api/users/v2/me/change-password", user, body)
    assert (
        r.status_code == 400
        and r.json()["errors"][0]["code"] == "users.error.invalid-current-password"
    )
    body = doc(T, {"currentPassword": "OldPassword123", "newPassword": "weak"})
    r = api.call("PATCH", "/api/users/v2/me/change-password", user, body)
    assert r.json()["errors"][0]["source"] == {"pointer": "/data/attributes/newPassword"}
    body = doc(T, {"currentPassword": "OldPassword123", "newPassword": "NewPassword456"})
    assert api.call("PATCH", "/api/users/v2/me/change-password", user, body).status_code == 204
    assert services.verify_password(meta, "me@example.com", "NewPassword456") is not None


def test_changes_are_audited_with_author_and_ip(
    api: Api, owner: services.User, meta: MetaStore
) -> None:
    r = api.call("POST", "/api/users/v2", owner, doc(T, {"email": "a@example.com"}))
    user_id = r.json()["data"]["id"]
    api.call("PATCH", f"/api/users/v2/{user_id}", owner, doc(T, {"language": "fi"}, user_id))
    api.call("DELETE", f"/api/users/v2/{user_id}", owner)
    types = [e.type for e in services.list_audit_entries(meta) if e.subject_id == user_id]
    assert sorted(types) == [
        "user.added",
        "user.changed.language",
        "user.deleted",
        "user.invited",
    ]
    entry = services.list_audit_entries(meta, type_="user.changed.language")[0]
    assert (entry.author_id, entry.author_email, entry.ip) == (owner.id, owner.email, "203.0.113.7")
    assert entry.payload == {"email": "a@example.com", "old": "en-US", "new": "fi"}


def test_an_invitation_comes_with_a_one_time_link(
    api: Api, owner: services.User, meta: MetaStore
) -> None:
    for path in ("/api/users/v2/invite", "/api/users/v2"):
        email = f"link{len(path)}@example.com"
        r = api.call("POST", path, owner, doc(T, {"email": email}))
        assert r.status_code == 201
        link = r.json()["meta"]["invitation_url"]
        assert link.startswith("http://test/dashboard/invitation/")
        assert r.json()["meta"]["invitation_expires_at"].endswith("+00:00")
        token = link.rsplit("/", 1)[1]
        assert services.check_invitation(meta, token).user.email == email
    # a user created with a password needs no link
    body = doc(T, {"email": "pw@example.com", "password": "Strong-Passw0rd-1"})
    r = api.call("POST", "/api/users/v2", owner, body)
    assert r.status_code == 201 and "meta" not in r.json()
