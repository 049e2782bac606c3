"""Users, their token_auth and passwords, API credentials and per-app permissions (api-notes §5, §8.1)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from footfall.auth.secrets import (
    hash_secret,
    random_client_id,
    random_string,
    random_token_auth,
    sha256_hex,
    verify_secret,
)
from footfall.meta.apps import get_app
from footfall.meta.audit import Actor, record, record_changes
from footfall.meta.errors import Conflict, NotFound, Refused, ValidationError
from footfall.meta.paging import Page, fetch_page
from footfall.meta.schema import api_credentials, permissions, users
from footfall.meta.store import MetaStore, as_utc, utcnow

__all__ = [
    "LEVELS",
    "ROLES",
    "Credential",
    "NewCredential",
    "NewUser",
    "User",
    "change_password",
    "create_credential",
    "create_user",
    "credential_secret_hash",
    "delete_user",
    "find_user",
    "get_credential",
    "get_user",
    "list_credentials",
    "list_users",
    "page_users",
    "permission_level",
    "revoke_credential",
    "set_password",
    "set_permission",
    "update_user",
    "user_for_token_auth",
    "user_from_row",
    "validate_language",
    "validate_password",
    "verify_password",
]

ROLES = ("OWNER", "USER")
LEVELS = ("view", "edit", "edit-publish", "manage")  # weakest first (api-notes §8.1)
# Languages of the Piwik PRO UI as of 2023-11 (api-notes §5); a tag adds a region: `de-DE`.
LANGUAGES = ("ca", "de", "en", "es", "fi", "fr", "nl", "sv")
_USER_NOT_FOUND = "users.error.user-does-not-exist"


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


def user_from_row(row: RowMapping) -> User:
    """A User from a row of the `users` table."""
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
    role = _validate_role(role)
    language = validate_language(language)
    token_auth = random_token_auth()
    now = utcnow()
    user_id = str(uuid.uuid4())
    with meta.begin() as conn:
        if conn.execute(sa.select(users.c.id).where(users.c.email == email)).first():
            raise Conflict(
                f"User with email: '{email}' already exists.",
                "users.error.user-already-exists",
                field="email",
            )
        conn.execute(
            users.insert().values(
                id=user_id,
                email=email,
                role=role,
                language=language,
                password_hash=hash_secret(validate_password(password)) if password else None,
                token_auth_hash=sha256_hex(token_auth),
                created_at=now,
                updated_at=now,
            )
        )
        record(conn, "user.added", user_id, {"email": email, "role": role}, actor)
    return NewUser(get_user(meta, user_id), token_auth)


def validate_password(password: Any, field: str = "password") -> str:
    """A password of 12 to 128 characters with a digit, an upper- and a lower-case letter."""
    if not isinstance(password, str) or not 12 <= len(password) <= 128:
        raise ValidationError(field, "must be 12 to 128 characters long")
    if not (
        re.search(r"\d", password)
        and re.search(r"[A-Z]", password)
        and re.search(r"[a-z]", password)
    ):
        raise ValidationError(field, "must contain a digit, an upper-case and a lower-case letter")
    return password


def validate_language(language: Any) -> str:
    """An IETF language tag whose language is one the UI speaks (`en-US`, `de`, `sv-SE`)."""
    if not isinstance(language, str) or not re.fullmatch(
        r"[A-Za-z]{2}(-[A-Za-z0-9]{2,8})*", language
    ):
        raise ValidationError("language", f"invalid language tag {language!r}")
    if language.split("-")[0].lower() not in LANGUAGES:
        raise ValidationError("language", "must be one of " + ", ".join(LANGUAGES))
    return language


def _validate_role(role: Any) -> str:
    if role not in ROLES:
        raise ValidationError("role", "must be one of " + ", ".join(ROLES))
    return str(role)


def get_user(meta: MetaStore, user_id: str) -> User:
    """The user with this id; NotFound otherwise."""
    with meta.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.id == user_id)).mappings().first()
    if row is None:
        raise NotFound(f"User with id: {user_id} does not exist", _USER_NOT_FOUND)
    return user_from_row(row)


def find_user(meta: MetaStore, email: str) -> User | None:
    """The user with this email (case-insensitive), or None."""
    with meta.connect() as conn:
        query = sa.select(users).where(users.c.email == email.strip().lower())
        row = conn.execute(query).mappings().first()
    return user_from_row(row) if row else None


def list_users(meta: MetaStore) -> list[User]:
    """Every user, oldest first."""
    with meta.connect() as conn:
        rows = conn.execute(sa.select(users).order_by(users.c.created_at)).mappings().all()
    return [user_from_row(r) for r in rows]


def user_for_token_auth(meta: MetaStore, token_auth: str) -> User | None:
    """The user owning a Matomo-style token_auth (looked up by its SHA-256), or None."""
    if not re.fullmatch(r"[0-9a-fA-F]{32}", token_auth or ""):
        return None
    with meta.connect() as conn:
        query = sa.select(users).where(users.c.token_auth_hash == sha256_hex(token_auth.lower()))
        row = conn.execute(query).mappings().first()
    return user_from_row(row) if row else None


def set_password(meta: MetaStore, user_id: str, password: str) -> None:
    """Store a new password (argon2 hash)."""
    hashed = hash_secret(validate_password(password))
    with meta.begin() as conn:
        done = conn.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(password_hash=hashed, updated_at=utcnow())
        )
        if done.rowcount == 0:
            raise NotFound(f"User with id: {user_id} does not exist", _USER_NOT_FOUND)


def change_password(
    meta: MetaStore, user_id: str, current: Any, new: Any, actor: Actor | None = None
) -> None:
    """Replace a password after checking the current one (users API `me/change-password`)."""
    if not isinstance(current, str):
        raise ValidationError("currentPassword", "must be a string")
    new = validate_password(new, "newPassword")
    with meta.connect() as conn:
        stored = conn.execute(
            sa.select(users.c.password_hash).where(users.c.id == user_id)
        ).scalar_one_or_none()
    if stored is None or not verify_secret(stored, current):
        raise Refused(
            "Invalid current password",
            "users.error.invalid-current-password",
            field="currentPassword",
        )
    with meta.begin() as conn:
        conn.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(password_hash=hash_secret(new), updated_at=utcnow())
        )
        record(conn, "user.changed.password", user_id, {}, actor)


def _owners(conn: Connection) -> int:
    return int(
        conn.execute(
            sa.select(sa.func.count()).select_from(users).where(users.c.role == "OWNER")
        ).scalar_one()
    )


def update_user(
    meta: MetaStore, user_id: str, changes: Mapping[str, Any], actor: Actor | None = None
) -> User:
    """Change a user's `role` and/or `language`; the last owner cannot become a USER."""
    checks = {"role": _validate_role, "language": validate_language}
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in checks:
            raise ValidationError(key, "unknown or read-only attribute")
        values[key] = checks[key](value)
    user = get_user(meta, user_id)
    with meta.begin() as conn:
        if user.role == "OWNER" and values.get("role") == "USER" and _owners(conn) <= 1:
            raise Refused("Cannot change role of last owner", field="role")
        conn.execute(
            users.update().where(users.c.id == user.id).values(**values, updated_at=utcnow())
        )
        record_changes(conn, "user", user, values, actor, {"email": user.email})
    return get_user(meta, user.id)


def delete_user(meta: MetaStore, user_id: str, actor: Actor | None = None) -> None:
    """Delete a user with their credentials and permissions; never the last owner or oneself."""
    user = get_user(meta, user_id)
    if actor is not None and actor.user_id == user.id:
        raise Refused("User can't delete own account.")
    with meta.begin() as conn:
        if user.role == "OWNER" and _owners(conn) <= 1:
            raise Refused("Cannot delete last owner")
        conn.execute(users.delete().where(users.c.id == user.id))
        record(conn, "user.deleted", user.id, {"email": user.email}, actor)


def page_users(meta: MetaStore, page: Page) -> tuple[int, list[User]]:
    """A page of users: sort by `email`, `addedAt` or `role`; search in the email."""
    with meta.connect() as conn:
        total, rows = fetch_page(
            conn,
            sa.select(users),
            page,
            sort_columns={
                "email": users.c.email,
                "addedAt": users.c.created_at,
                "role": users.c.role,
            },
            search_columns=[users.c.email, users.c.id],
            tie_breaker=users.c.id,
        )
    return total, [user_from_row(r) for r in rows]


def verify_password(meta: MetaStore, email: str, password: str) -> User | None:
    """The user when email and password match, else None."""
    with meta.connect() as conn:
        query = sa.select(users).where(users.c.email == email.strip().lower())
        row = conn.execute(query).mappings().first()
    if row is None or row["password_hash"] is None:
        return None
    return user_from_row(row) if verify_secret(row["password_hash"], password) else None


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
