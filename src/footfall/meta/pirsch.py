"""Pirsch clients, single access keys and domain attributes (api-notes pirsch.md §2, §6, §7).

A Pirsch client is a platform API credential (client id 32 characters, secret 64) plus a row
that binds it to one app or to its user and grants scopes, so one credential works with both
`/auth/token` and `/api/v1/token`. An access key `pa_` + 45 characters may only send data to
its one app; it is stored as argon2, found by its first 12 characters.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from footfall.auth.secrets import DUMMY_HASH, hash_secret, random_string, verify_secret
from footfall.meta.accounts import NewCredential, create_credential, get_user
from footfall.meta.apps import get_app
from footfall.meta.audit import Actor, record
from footfall.meta.errors import ValidationError
from footfall.meta.schema import pirsch_access_keys, pirsch_clients, pirsch_domains
from footfall.meta.store import MetaStore, utcnow

__all__ = [
    "ACCESS_KEY_LENGTH",
    "ACCESS_KEY_PREFIX",
    "SCOPES",
    "USER_SCOPES",
    "ClientGrant",
    "DomainAttributes",
    "KeyGrant",
    "client_grant",
    "create_access_key",
    "create_client",
    "domain_attributes",
    "parse_scopes",
    "update_domain",
    "verify_access_key",
]

SCOPES = ("hit", "event", "session", "statistics", "domains")
#: what a credential without a Pirsch row may do (its user's permissions still apply)
USER_SCOPES: Mapping[str, str] = {
    "hit": "w",
    "event": "w",
    "session": "w",
    "statistics": "r",
    "domains": "w",
}
ACCESS_KEY_PREFIX = "pa_"
ACCESS_KEY_LENGTH = 48
_LOOKUP = 12
_KEY_CACHE_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class ClientGrant:
    """What a Pirsch client may do: its app (None: its user's apps) and its scopes."""

    app_id: str | None
    scopes: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class KeyGrant:
    """The app and user a verified access key writes for."""

    app_id: str
    user_id: str


@dataclass(frozen=True, slots=True)
class DomainAttributes:
    """The Pirsch-only attributes of an app."""

    app_id: str
    subdomain: str
    identification_code: str
    public: bool
    group_by_title: bool
    honour_dnt: bool


def parse_scopes(raw: Mapping[str, Any] | str) -> dict[str, str]:
    """Scopes from `{"hit": "w", …}` or the CLI form `hit,event,statistics` (write scopes get
    `w`, `statistics` gets `r`, `domains` as `domains` = `r` or `domains:w`)."""
    if isinstance(raw, str):
        scopes: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in raw.split(","))):
            name, _, mode = part.partition(":")
            scopes[name] = mode or ("w" if name in ("hit", "event", "session") else "r")
    else:
        scopes = {str(k): str(v) for k, v in raw.items() if v}
    for name, mode in scopes.items():
        if name not in SCOPES:
            raise ValidationError("scopes", f"unknown scope {name!r}; use {', '.join(SCOPES)}")
        if mode not in ("r", "w"):
            raise ValidationError("scopes", f"scope {name} must be 'r' or 'w', not {mode!r}")
    return {name: scopes.get(name, "") for name in SCOPES}


def create_client(
    meta: MetaStore,
    user_id: str,
    app_id: str | None,
    scopes: Mapping[str, str],
    description: str,
    actor: Actor | None = None,
) -> NewCredential:
    """A credential bound to `app_id` (or to its user when None) with these scopes."""
    if app_id is not None:
        app_id = get_app(meta, app_id).id
    checked = parse_scopes(scopes)
    new = create_credential(meta, user_id, description, actor)
    with meta.begin() as conn:
        conn.execute(
            pirsch_clients.insert().values(
                client_id=new.credential.client_id,
                app_id=app_id,
                description=description.strip(),
                scopes=checked,
            )
        )
    return new


def client_grant(meta: MetaStore, client_id: str) -> ClientGrant:
    """The grant of a credential: its Pirsch row, else every scope on its user's apps."""
    query = sa.select(pirsch_clients).where(pirsch_clients.c.client_id == client_id)
    with meta.connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        return ClientGrant(None, USER_SCOPES)
    return ClientGrant(row["app_id"], dict(row["scopes"]))


def create_access_key(
    meta: MetaStore, user_id: str, app_id: str, description: str, actor: Actor | None = None
) -> str:
    """A new write-only key for one app, shown only now."""
    user = get_user(meta, user_id)
    app = get_app(meta, app_id)
    key = ACCESS_KEY_PREFIX + random_string(ACCESS_KEY_LENGTH - len(ACCESS_KEY_PREFIX))
    key_id = str(uuid.uuid4())
    with meta.begin() as conn:
        conn.execute(
            pirsch_access_keys.insert().values(
                id=key_id,
                lookup=key[len(ACCESS_KEY_PREFIX) :][:_LOOKUP],
                key_hash=hash_secret(key),
                app_id=app.id,
                user_id=user.id,
                description=description.strip(),
                created_at=utcnow(),
            )
        )
        record(conn, "pirsch_access_key.added", app.id, {"id": key_id}, actor)
    return key


_verified: dict[str, tuple[float, KeyGrant]] = {}
_verified_lock = threading.Lock()


def verify_access_key(meta: MetaStore, key: str) -> KeyGrant | None:
    """The grant of a valid access key, else None. A verified key is remembered for a minute:
    argon2 costs tens of milliseconds and every write of an SDK carries the key."""
    if len(key) != ACCESS_KEY_LENGTH or not key.startswith(ACCESS_KEY_PREFIX):
        return None
    now = time.monotonic()
    with _verified_lock:
        cached = _verified.get(key)
    if cached is not None and now - cached[0] < _KEY_CACHE_SECONDS:
        grant = cached[1]
        if _key_exists(meta, key):
            return grant
    lookup = key[len(ACCESS_KEY_PREFIX) :][:_LOOKUP]
    query = sa.select(pirsch_access_keys).where(pirsch_access_keys.c.lookup == lookup)
    with meta.connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        verify_secret(DUMMY_HASH, key)  # same cost as a wrong key: timing says nothing
        return None
    if not verify_secret(row["key_hash"], key):
        return None
    grant = KeyGrant(row["app_id"], row["user_id"])
    with _verified_lock:
        if len(_verified) > 10_000:
            _verified.clear()
        _verified[key] = (now, grant)
    return grant


def _key_exists(meta: MetaStore, key: str) -> bool:
    """A cached key is still stored (deleting a key or its app revokes it at once)."""
    lookup = key[len(ACCESS_KEY_PREFIX) :][:_LOOKUP]
    query = sa.select(pirsch_access_keys.c.id).where(pirsch_access_keys.c.lookup == lookup)
    with meta.connect() as conn:
        return conn.execute(query).first() is not None


def domain_attributes(meta: MetaStore, app_id: str) -> DomainAttributes:
    """The app's Pirsch attributes, created with defaults on first use."""
    query = sa.select(pirsch_domains).where(pirsch_domains.c.app_id == app_id)
    with meta.begin() as conn:
        row = conn.execute(query).mappings().first()
        if row is None:
            now = utcnow()
            conn.execute(
                pirsch_domains.insert().values(
                    app_id=app_id,
                    subdomain="",
                    identification_code=random_string(32),
                    public=False,
                    group_by_title=False,
                    honour_dnt=False,
                    created_at=now,
                    updated_at=now,
                )
            )
            row = conn.execute(query).mappings().one()
    return DomainAttributes(
        row["app_id"],
        row["subdomain"],
        row["identification_code"],
        bool(row["public"]),
        bool(row["group_by_title"]),
        bool(row["honour_dnt"]),
    )


def update_domain(meta: MetaStore, app_id: str, **changes: Any) -> DomainAttributes:
    """Change Pirsch attributes of an app (subdomain, public, group_by_title, honour_dnt,
    identification_code)."""
    domain_attributes(meta, app_id)
    allowed = {"subdomain", "public", "group_by_title", "honour_dnt", "identification_code"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"unknown domain attributes {sorted(unknown)}")
    with meta.begin() as conn:
        conn.execute(
            pirsch_domains.update()
            .where(pirsch_domains.c.app_id == app_id)
            .values(**changes, updated_at=utcnow())
        )
    return domain_attributes(meta, app_id)
