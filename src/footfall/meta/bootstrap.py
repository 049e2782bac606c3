"""First run: the owner account and the first API credential (`footfall init`, first `serve`)."""

from __future__ import annotations

import string
from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa

from footfall.auth.secrets import random_string
from footfall.meta.accounts import create_credential, create_user, list_credentials, set_password
from footfall.meta.schema import users
from footfall.meta.store import MetaStore

__all__ = ["OWNER_EMAIL", "Bootstrap", "first_run_bootstrap", "init_owner"]

OWNER_EMAIL = "owner@localhost"
CREDENTIAL_NAME = "default"


@dataclass(frozen=True, slots=True)
class Bootstrap:
    """What `init_owner` found or made; secrets are None unless they were created just now."""

    owner_email: str
    owner_password: str | None
    token_auth: str | None
    client_id: str
    client_secret: str | None
    created: bool

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return asdict(self)


def generate_password() -> str:
    """A 20-character password with upper, lower case and digits (the users API policy)."""
    while True:
        candidate = random_string(20)
        if (
            any(c in string.ascii_lowercase for c in candidate)
            and any(c in string.ascii_uppercase for c in candidate)
            and any(c in string.digits for c in candidate)
        ):
            return candidate


def _oldest_owner(meta: MetaStore) -> tuple[str, str] | None:
    with meta.connect() as conn:
        query = (
            sa.select(users.c.id, users.c.email)
            .where(users.c.role == "OWNER")
            .order_by(users.c.created_at)
            .limit(1)
        )
        row = conn.execute(query).first()
    return (row[0], row[1]) if row else None


def init_owner(meta: MetaStore) -> Bootstrap:
    """Create the owner `owner@localhost` (with password and token_auth) unless an owner exists,
    and one API credential unless an active one exists. Idempotent: a second run creates
    nothing and reports the existing client_id with the secrets as None (they are shown once)."""
    created = False
    password = token_auth = None
    owner = _oldest_owner(meta)
    if owner is None:
        password = generate_password()
        new = create_user(meta, OWNER_EMAIL, role="OWNER")
        set_password(meta, new.user.id, password)
        owner, token_auth, created = (new.user.id, new.user.email), new.token_auth, True
    active = [c for c in list_credentials(meta) if c.revoked_at is None]
    secret = None
    if active:
        client_id = active[0].client_id
    else:
        fresh = create_credential(meta, owner[0], CREDENTIAL_NAME)
        client_id, secret, created = fresh.credential.client_id, fresh.client_secret, True
    return Bootstrap(owner[1], password, token_auth, client_id, secret, created)


def first_run_bootstrap(meta: MetaStore) -> dict[str, Any] | None:
    """On an empty store: create the owner and a credential and return `email`, `password`,
    `token_auth`, `client_id` and `client_secret`; None when users exist."""
    with meta.connect() as conn:
        if conn.execute(sa.select(users.c.id).limit(1)).first() is not None:
            return None
    made = init_owner(meta)
    return {
        "email": made.owner_email,
        "password": made.owner_password,
        "token_auth": made.token_auth,
        "client_id": made.client_id,
        "client_secret": made.client_secret,
    }
