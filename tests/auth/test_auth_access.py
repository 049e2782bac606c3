"""Authorizer and `require`: token errors with the FAQ's messages, levels via grants and groups."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from starlette.requests import Request

from footfall.auth.access import (
    EXPIRED,
    JWT_NOT_FOUND,
    NOT_AUTHORIZED,
    SCOPE_KEY,
    Authorizer,
    Forbidden,
    NotAuthenticated,
    require,
)
from footfall.auth.tokens import InvalidToken, KeyRing, TokenExpired
from footfall.meta import services
from footfall.meta.groups import add_members, create_group
from footfall.meta.permissions import set_group_permission, set_user_permission
from footfall.meta.store import MetaStore


@pytest.fixture
def keys(tmp_path: Path) -> KeyRing:
    return KeyRing(tmp_path / "keys")


def _request(authorizer: Authorizer, authorization: str | None) -> Request:
    headers = [(b"authorization", authorization.encode())] if authorization else []
    scope = {"type": "http", "headers": headers, "client": ("10.1.2.3", 1), SCOPE_KEY: authorizer}
    return Request(scope)


def test_token_errors(meta: MetaStore, keys: KeyRing, tmp_path: Path) -> None:
    user = services.create_user(meta, "u@example.com").user
    authorizer = Authorizer(meta, keys)
    for header in (None, "", "Bearer", "Basic abc", "Bearer   "):
        with pytest.raises(NotAuthenticated) as e:
            authorizer.authenticate(header)
        assert e.value.message == JWT_NOT_FOUND
    old = keys.issue(user_id=user.id, email=user.email, audience="a", now=time.time() - 1801)
    with pytest.raises(TokenExpired):
        keys.decode(old)
    with pytest.raises(NotAuthenticated, match=EXPIRED):
        authorizer.authenticate(f"Bearer {old}")
    forged = KeyRing(tmp_path / "other").issue(user_id=user.id, email=user.email, audience="a")
    for token in (forged, "abc", "a.b.c", forged[:-4] + "AAAA"):
        with pytest.raises(InvalidToken):
            keys.decode(token)
        with pytest.raises(NotAuthenticated, match=NOT_AUTHORIZED):
            authorizer.authenticate(f"Bearer {token}")
    ghost = keys.issue(user_id="00000000-0000-4000-8000-000000000000", email="g@x", audience="a")
    with pytest.raises(NotAuthenticated, match=NOT_AUTHORIZED):
        authorizer.authenticate(f"Bearer {ghost}")


def test_tokens_of_a_revoked_credential_stop_working(meta: MetaStore, keys: KeyRing) -> None:
    user = services.create_user(meta, "u@example.com").user
    client_id = services.create_credential(meta, user.id, "ci").credential.client_id
    token = keys.issue(user_id=user.id, email=user.email, audience="ci", client_id=client_id)
    assert keys.decode(token).client_id == client_id
    authorizer = Authorizer(meta, keys)
    assert authorizer.authenticate(f"Bearer {token}").user.id == user.id
    services.revoke_credential(meta, client_id)
    with pytest.raises(NotAuthenticated, match=NOT_AUTHORIZED):
        authorizer.authenticate(f"Bearer {token}")


def test_require_levels_groups_and_owner(meta: MetaStore, keys: KeyRing) -> None:
    app = services.create_app(meta, name="A", urls=["a.example"]).id
    other = services.create_app(meta, name="B", urls=["b.example"]).id
    user = services.create_user(meta, "u@example.com").user
    owner = services.create_user(meta, "o@example.com", role="OWNER").user
    authorizer = Authorizer(meta, keys)

    def bearer(u: services.User) -> str:
        return "Bearer " + keys.issue(user_id=u.id, email=u.email, audience="t")

    request = _request(authorizer, bearer(user))
    with pytest.raises(Forbidden):
        require(request, [app], "view")
    set_user_permission(meta, user.id, app, "edit")
    principal = require(request, [app], "view")
    assert (principal.user.id, principal.ip) == (user.id, "10.1.2.3")
    require(request, [app], "edit")
    with pytest.raises(Forbidden):
        require(request, [app], "publish")
    with pytest.raises(Forbidden):
        require(request, [app, other], "view")  # every app must be allowed
    group = create_group(meta, {"name": "G"})
    add_members(meta, group.id, [user.id])
    set_group_permission(meta, group.id, app, "manage")
    require(request, [app], "manage")  # the group's grant is stronger than the user's own
    owner_request = _request(authorizer, bearer(owner))
    assert require(owner_request, [app, other], "manage").is_owner
    with pytest.raises(NotAuthenticated, match=JWT_NOT_FOUND):
        require(_request(authorizer, None), [app], "view")
    with pytest.raises(ValueError):
        require(request, [app], "superuser")
