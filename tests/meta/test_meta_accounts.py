"""Users, token_auth, passwords, credentials, permissions and the first-run bootstrap."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from footfall.auth.secrets import is_argon2_hash, sha256_hex
from footfall.meta import services
from footfall.meta.errors import Conflict, NotFound, ValidationError
from footfall.meta.schema import api_credentials, users
from footfall.meta.store import MetaStore


def test_create_user_and_token_auth(meta: MetaStore) -> None:
    new = services.create_user(meta, "Ann@Example.com")
    assert new.user.email == "ann@example.com"
    assert (new.user.role, new.user.language, new.user.has_password) == ("USER", "en-US", False)
    assert re.fullmatch(r"[0-9a-f]{32}", new.token_auth)
    with meta.connect() as conn:
        stored = conn.execute(sa.select(users.c.token_auth_hash)).scalar_one()
    assert stored == sha256_hex(new.token_auth)
    assert services.user_for_token_auth(meta, new.token_auth) == new.user
    assert services.user_for_token_auth(meta, new.token_auth.upper()) == new.user
    assert services.user_for_token_auth(meta, "0" * 32) is None
    assert services.user_for_token_auth(meta, "short") is None


def test_user_rules(meta: MetaStore) -> None:
    services.create_user(meta, "a@b.c")
    with pytest.raises(Conflict):
        services.create_user(meta, "A@B.C")
    with pytest.raises(ValidationError):
        services.create_user(meta, "not-an-email")
    with pytest.raises(ValidationError):
        services.create_user(meta, "x@y.z", role="ADMIN")
    with pytest.raises(ValidationError):
        services.create_user(meta, "x@y.z", password="short")
    with pytest.raises(NotFound):
        services.get_user(meta, "missing")


def test_passwords(meta: MetaStore) -> None:
    new = services.create_user(meta, "a@b.c", password="Correct horse 1")
    assert services.verify_password(meta, "a@b.c", "Correct horse 1") == services.get_user(
        meta, new.user.id
    )
    assert services.verify_password(meta, "a@b.c", "wrong password 1") is None
    assert services.verify_password(meta, "nobody@b.c", "Correct horse 1") is None
    with meta.connect() as conn:
        assert is_argon2_hash(conn.execute(sa.select(users.c.password_hash)).scalar_one())


def test_credentials(meta: MetaStore) -> None:
    user = services.create_user(meta, "a@b.c").user
    new = services.create_credential(meta, user.id, "ci")
    assert re.fullmatch(r"[a-z0-9]{32}", new.credential.client_id)
    assert len(new.client_secret) == 64
    with meta.connect() as conn:
        stored = conn.execute(sa.select(api_credentials.c.secret_hash)).scalar_one()
    assert is_argon2_hash(stored) and new.client_secret not in stored
    assert services.list_credentials(meta, user.id) == [new.credential]
    services.revoke_credential(meta, new.credential.client_id)
    assert services.get_credential(meta, new.credential.client_id).revoked_at is not None
    with pytest.raises(NotFound):
        services.revoke_credential(meta, new.credential.client_id)
    with pytest.raises(ValidationError):
        services.create_credential(meta, user.id, " ")


def test_permissions(meta: MetaStore) -> None:
    user = services.create_user(meta, "a@b.c").user
    app = services.create_app(meta, name="Shop", urls=["shop.example"])
    assert services.permission_level(meta, user.id, app.id) is None
    services.set_permission(meta, user.id, app.id, "edit")
    assert services.permission_level(meta, user.id, app.id) == "edit"
    services.set_permission(meta, user.id, "1", "no-access")
    assert services.permission_level(meta, user.id, app.id) is None
    with pytest.raises(ValidationError):
        services.set_permission(meta, user.id, app.id, "admin")


def test_init_owner_is_idempotent(meta: MetaStore) -> None:
    first = services.init_owner(meta)
    assert first.created and first.owner_email == services.OWNER_EMAIL
    assert first.owner_password and first.client_secret and first.token_auth
    again = services.init_owner(meta)
    assert not again.created
    assert again.client_id == first.client_id
    assert (again.client_secret, again.owner_password, again.token_auth) == (None, None, None)
    assert len(services.list_users(meta)) == 1
    assert len(services.list_credentials(meta)) == 1
    services.revoke_credential(meta, first.client_id)
    renewed = services.init_owner(meta)  # no active credential left: a new one
    assert renewed.created and renewed.client_secret and renewed.client_id != first.client_id


def test_first_run_bootstrap(meta: MetaStore) -> None:
    boot = services.first_run_bootstrap(meta)
    assert boot is not None
    assert boot["email"] == "owner@localhost"
    owner = services.verify_password(meta, boot["email"], boot["password"])
    assert owner is not None and owner.role == "OWNER"
    assert boot["client_id"] and boot["client_secret"]
    assert services.first_run_bootstrap(meta) is None
