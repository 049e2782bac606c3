"""verify_client: right secret, wrong secret, unknown and revoked credentials."""

from __future__ import annotations

from footfall.auth.clients import verify_client
from footfall.meta import services
from footfall.meta.store import MetaStore


def test_verify_client(meta: MetaStore) -> None:
    user = services.create_user(meta, "a@b.c").user
    new = services.create_credential(meta, user.id, "ci")
    client = verify_client(meta, new.credential.client_id, new.client_secret)
    assert client is not None
    assert (client.name, client.user_id, client.email) == ("ci", user.id, "a@b.c")
    assert verify_client(meta, new.credential.client_id, new.client_secret[:-1] + "?") is None
    assert verify_client(meta, new.credential.client_id, "") is None
    assert verify_client(meta, "x" * 32, new.client_secret) is None
    assert verify_client(meta, "short", new.client_secret) is None


def test_revoked_client_fails(meta: MetaStore) -> None:
    user = services.create_user(meta, "a@b.c").user
    new = services.create_credential(meta, user.id, "ci")
    services.revoke_credential(meta, new.credential.client_id)
    assert verify_client(meta, new.credential.client_id, new.client_secret) is None
