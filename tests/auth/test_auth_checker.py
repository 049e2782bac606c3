"""MetaTokenChecker: token_auth and bearer JWTs of owners and of users with edit rights."""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.auth.checker import MetaTokenChecker
from footfall.auth.tokens import KeyRing
from footfall.meta import services
from footfall.meta.store import MetaStore


@pytest.fixture
def keys(tmp_path: Path) -> KeyRing:
    return KeyRing(tmp_path / "keys")


def test_owner_token_auth_and_bearer(meta: MetaStore, keys: KeyRing) -> None:
    app = services.create_app(meta, name="Shop", urls=["shop.example"])
    owner = services.create_user(meta, "o@b.c", role="OWNER")
    checker = MetaTokenChecker(meta, keys, ttl=0)
    assert checker.is_authorized(owner.token_auth, None, app.id)
    assert checker.is_authorized(owner.token_auth, None, "1")  # alias works too
    bearer = keys.issue(user_id=owner.user.id, email="o@b.c", audience="ci")
    assert checker.is_authorized(None, bearer, app.id)
    assert checker.is_authorized(None, "Bearer " + bearer, app.id)
    assert not checker.is_authorized(None, None, app.id)
    assert not checker.is_authorized("f" * 32, None, app.id)
    assert not checker.is_authorized(None, "not.a.jwt", app.id)
    assert not checker.is_authorized(owner.token_auth, None, "00000000-0000-0000-0000-000000000000")


@pytest.mark.parametrize(
    ("level", "allowed"),
    [(None, False), ("view", False), ("edit", True), ("edit-publish", True), ("manage", True)],
)
def test_user_needs_edit(meta: MetaStore, keys: KeyRing, level: str | None, allowed: bool) -> None:
    app = services.create_app(meta, name="Shop", urls=["shop.example"])
    other = services.create_app(meta, name="Blog", urls=["blog.example"])
    user = services.create_user(meta, "u@b.c")
    services.set_permission(meta, user.user.id, app.id, level)
    checker = MetaTokenChecker(meta, keys, ttl=0)
    bearer = keys.issue(user_id=user.user.id, email="u@b.c", audience="ci")
    assert checker.is_authorized(user.token_auth, None, app.id) is allowed
    assert checker.is_authorized(None, bearer, app.id) is allowed
    assert not checker.is_authorized(user.token_auth, bearer, other.id)


def test_expired_bearer_and_cache(meta: MetaStore, keys: KeyRing) -> None:
    app = services.create_app(meta, name="Shop", urls=["shop.example"])
    user = services.create_user(meta, "u@b.c")
    expired = keys.issue(user_id=user.user.id, email="u@b.c", audience="ci", now=0)
    services.set_permission(meta, user.user.id, app.id, "edit")
    checker = MetaTokenChecker(meta, keys, ttl=60)
    assert not checker.is_authorized(None, expired, app.id)
    assert checker.is_authorized(user.token_auth, None, app.id)
    services.set_permission(meta, user.user.id, app.id, None)
    assert checker.is_authorized(user.token_auth, None, app.id)  # cached answer
    assert not MetaTokenChecker(meta, keys, ttl=0).is_authorized(user.token_auth, None, app.id)
