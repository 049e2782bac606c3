"""Users, their token_auth and passwords, API credentials and per-app permissions (api-notes §5, §8.1)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import RowMapping

from footfall.auth.secrets import (
    hash_secret,
    random_client_id,
    random_string,
    random_token_auth,
    sha256_hex,
    verify_secret,
)
from footfall.meta.apps import get_app
from footfall.meta.audit import Actor, record
from footfall.meta.errors import Conflict, NotFound, ValidationError
from footfall.meta.schema import api_credentials, permissions, users
from footfall.meta.store import MetaStore, as_utc, utcnow

__all__ = [
    "LEVELS",
    "ROLES",
    "Credential",
    "NewCredential",
    "NewUser",
    "User",
    "create_credential",
    "create_user",
    "credential_secret_hash",
    "find_user",
    "get_credential",
    "get_user",
    "list_credentials",
    "list_users",
    "permission_level",
    "revoke_credential",
    "set_password",
    "set_permission",
    "user_for_token_auth",
    "verify_password",
]

ROLES = ("OWNER", "USER")
LEVELS = ("view", "edit", "edit-publish", "manage")  # weakest first (api-notes §8.1)


@dataclass(frozen=True, slots=True)
class User:
    """A user of the platform."""

    id: str
    email: str
    role: str
    language: str
    has_password: bool
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "id": self.id,
            "email": self.email,
            "role": self.role,
            "language": self.language,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class NewUser:
    """A user just created, with the token_auth that is shown only now."""

    user: User
    token_auth: str


@dataclass(frozen=True, slots=True)
class Credential:
    """An API credential (client_credentials grant of /auth/token); the secret is never stored."""

    client_id: str
    user_id: str
    name: str
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class NewCredential:
    """A credential just created, with the client_secret that is shown only now."""

    credential: Credential
    client_secret: str


def _user(row: RowMapping) -> User:
    return User(
        id=row["id"],
        email=row["email"],
        role=row["role"],
        language=row["language"],
        has_password=row["password_hash"] is not None,
        created_at=as_utc(row["created_at"]),
    )


def _credential(row: RowMapping) -> Credential:
    revoked = row["revoked_at"]
    return Credential(
        client_id=row["client_id"],
        user_id=row["user_id"],
        name=row["name"],
        created_at=as_utc(row["created_at"]),
        revoked_at=as_utc(revoked) if revoked else None,
    )


def validate_email(email: Any) -> str:
    """An email address, lower-cased (`owner@localhost` is valid)."""
    if not isinstance(email, str) or not re.fullmatch(r"[^@\s]{1,64}@[^@\s]{1,189}", email.strip()):
        raise ValidationError("email", f"invalid email address {email!r}")
    return email.strip().lower()


def create_user(
    meta: MetaStore,
    email: str,
    *,
    role: str = "USER",
    language: str = "en-US",
    password: str | None = None,
    actor: Actor | None = None,
) -> NewUser:
    """Create a user with a fresh token_auth; Conflict when the email is taken."""
    email = validate_email(email)
    if role not in ROLES:
        raise ValidationError("role", "must be one of " + ", ".join(ROLES))
    token_auth = random_token_auth()
    now = utcnow()
    user_id = str(uuid.uuid4())
    with meta.begin() as conn:
        if conn.execute(sa.select(users.c.id).where(users.c.email == email)).first():
            raise Conflict(f"User with email: '{email}' already exists.")
        conn.execute(
            users.insert().values(
                id=user_id,
                email=email,
                role=role,
                language=language,
                password_hash=hash_secret(_checked_password(password)) if password else None,
                token_auth_hash=sha256_hex(token_auth),
                created_at=now,
                updated_at=now,
            )
        )
        record(conn, "user.added", user_id, {"email": email, "role": role}, actor)
    return NewUser(get_user(meta, user_id), token_auth)


def _checked_password(password: str) -> str:
    if not 12 <= len(password) <= 128:
        raise ValidationError("password", "must be 12 to 128 characters long")
    return password


def get_user(meta: MetaStore, user_id: str) -> User:
    """The user with this id; NotFound otherwise."""
    with meta.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.id == user_id)).mappings().first()
    if row is None:
        raise NotFound(f"User with id: {user_id} does not exist")
    return _user(row)


def find_user(meta: MetaStore, email: str) -> User | None:
    """The user with this email (case-insensitive), or None."""
    with meta.connect() as conn:
        query = sa.select(users).where(users.c.email == email.strip().lower())
        row = conn.execute(query).mappings().first()
    return _user(row) if row else None


def list_users(meta: MetaStore) -> list[User]:
    """Every user, oldest first."""
    with meta.connect() as conn:
        rows = conn.execute(sa.select(users).order_by(users.c.created_at)).mappings().all()
    return [_user(r) for r in rows]


def user_for_token_auth(meta: MetaStore, token_auth: str) -> User | None:
    """The user owning a Matomo-style token_auth (looked up by its SHA-256), or None."""
    if not re.fullmatch(r"[0-9a-fA-F]{32}", token_auth or ""):
        return None
    with meta.connect() as conn:
        query = sa.select(users).where(users.c.token_auth_hash == sha256_hex(token_auth.lower()))
        row = conn.execute(query).mappings().first()
    return _user(row) if row else None


def set_password(meta: MetaStore, user_id: str, password: str) -> None:
    """Store a new password (argon2 hash)."""
    hashed = hash_secret(_checked_password(password))
    with meta.begin() as conn:
        done = conn.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(password_hash=hashed, updated_at=utcnow())
        )
        if done.rowcount == 0:
            raise NotFound(f"User with id: {user_id} does not exist")


def verify_password(meta: MetaStore, email: str, password: str) -> User | None:
    """The user when email and password match, else None."""
    with meta.connect() as conn:
        query = sa.select(users).where(users.c.email == email.strip().lower())
        row = conn.execute(query).mappings().first()
    if row is None or row["password_hash"] is None:
        return None
    return _user(row) if verify_secret(row["password_hash"], password) else None


def create_credential(
    meta: MetaStore, user_id: str, name: str, actor: Actor | None = None
) -> NewCredential:
    """A new client_id (32 [a-z0-9]) and client_secret (64 characters, stored as argon2)."""
    if not name.strip() or len(name) > 255:
        raise ValidationError("name", "must be 1 to 255 characters")
    user = get_user(meta, user_id)
    client_id, secret = random_client_id(), random_string(64)
    with meta.begin() as conn:
        conn.execute(
            api_credentials.insert().values(
                client_id=client_id,
                secret_hash=hash_secret(secret),
                user_id=user.id,
                name=name.strip(),
                created_at=utcnow(),
            )
        )
        record(conn, "api_credential.added", user.id, {"client_id": client_id}, actor)
    return NewCredential(get_credential(meta, client_id), secret)


def get_credential(meta: MetaStore, client_id: str) -> Credential:
    """The credential with this client id (revoked or not); NotFound otherwise."""
    with meta.connect() as conn:
        query = sa.select(api_credentials).where(api_credentials.c.client_id == client_id)
        row = conn.execute(query).mappings().first()
    if row is None:
        raise NotFound(f"Credential {client_id} does not exist")
    return _credential(row)


def credential_secret_hash(meta: MetaStore, client_id: str) -> tuple[Credential, str] | None:
    """The credential and its secret hash, for authentication; None when unknown."""
    with meta.connect() as conn:
        query = sa.select(api_credentials).where(api_credentials.c.client_id == client_id)
        row = conn.execute(query).mappings().first()
    return (_credential(row), row["secret_hash"]) if row else None


def list_credentials(meta: MetaStore, user_id: str | None = None) -> list[Credential]:
    """Credentials (revoked ones included), oldest first, optionally of one user."""
    query = sa.select(api_credentials).order_by(api_credentials.c.created_at)
    if user_id is not None:
        query = query.where(api_credentials.c.user_id == user_id)
    with meta.connect() as conn:
        return [_credential(r) for r in conn.execute(query).mappings()]


def revoke_credential(meta: MetaStore, client_id: str, actor: Actor | None = None) -> None:
    """Mark a credential revoked: /auth/token refuses it from now on."""
    with meta.begin() as conn:
        done = conn.execute(
            api_credentials.update()
            .where(api_credentials.c.client_id == client_id, api_credentials.c.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        if done.rowcount == 0:
            raise NotFound(f"Credential {client_id} does not exist or is already revoked")
        record(conn, "api_credential.revoked", None, {"client_id": client_id}, actor)


def set_permission(
    meta: MetaStore, user_id: str, app_ref: str, level: str | None, actor: Actor | None = None
) -> None:
    """Grant `level` on an app to a user; None or "no-access" removes the permission."""
    if level not in (*LEVELS, None, "no-access"):
        raise ValidationError("permission", "must be one of no-access, " + ", ".join(LEVELS))
    user, app = get_user(meta, user_id), get_app(meta, app_ref)
    where = (permissions.c.user_id == user.id, permissions.c.app_id == app.id)
    with meta.begin() as conn:
        conn.execute(permissions.delete().where(*where))
        if level in LEVELS:
            conn.execute(
                permissions.insert().values(
                    user_id=user.id, app_id=app.id, level=level, created_at=utcnow()
                )
            )
        payload = {"user_id": user.id, "permission": level or "no-access"}
        record(conn, "permission.user.changed.app", app.id, payload, actor)


def permission_level(meta: MetaStore, user_id: str, app_id: str) -> str | None:
    """The level a user holds on an app (not counting the OWNER role), or None."""
    with meta.connect() as conn:
        query = sa.select(permissions.c.level).where(
            permissions.c.user_id == user_id, permissions.c.app_id == app_id
        )
        return conn.execute(query).scalar_one_or_none()
