"""API clients: verify a client_id and client_secret against the stored argon2 hash."""

from __future__ import annotations

from dataclasses import dataclass

from footfall.auth.secrets import DUMMY_HASH, verify_secret
from footfall.meta import services
from footfall.meta.store import MetaStore

__all__ = ["AuthenticatedClient", "verify_client"]


@dataclass(frozen=True, slots=True)
class AuthenticatedClient:
    """A credential whose secret matched, with the user it acts for."""

    client_id: str
    name: str
    user_id: str
    email: str


def verify_client(
    meta: MetaStore, client_id: str, client_secret: str
) -> AuthenticatedClient | None:
    """The client when the secret matches an active (not revoked) credential, else None.

    An unknown client id still costs one argon2 verification, so timing does not reveal which
    client ids exist."""
    found = services.credential_secret_hash(meta, client_id) if len(client_id) == 32 else None
    if found is None:
        verify_secret(DUMMY_HASH, client_secret)
        return None
    credential, secret_hash = found
    if not verify_secret(secret_hash, client_secret) or credential.revoked_at is not None:
        return None
    try:
        user = services.get_user(meta, credential.user_id)
    except services.NotFound:
        return None
    return AuthenticatedClient(credential.client_id, credential.name, user.id, user.email)
