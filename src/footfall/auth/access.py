"""Who is calling and what they may do: a bearer JWT resolved to a user and to a level on an app.

Every API family checks permissions through this module (api-notes §0.1, §8.1):

    principal = require(request, [app_id], "view")      # raises NotAuthenticated or Forbidden

Levels, weakest first: `view`, `edit`, `edit-publish` (alias `publish`), `manage`. A user's level on
an app or a meta site is the highest of their own grant and their groups' grants; an OWNER holds
`manage` on everything. `require` reads the database: from async code call `require_async`.
Each family renders the two errors in its own body shape; `NotAuthenticated.message` is the text
of the seed's FAQ (`JWT not found`, `Expired JWT Token`, `access token not authorized`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from footfall.auth.tokens import InvalidToken, KeyRing, TokenExpired
from footfall.meta import permissions as grants
from footfall.meta.accounts import User, get_credential, get_user
from footfall.meta.audit import Actor
from footfall.meta.errors import NotFound
from footfall.meta.store import MetaStore

__all__ = [
    "EXPIRED",
    "JWT_NOT_FOUND",
    "NOT_AUTHORIZED",
    "Authorizer",
    "Forbidden",
    "NotAuthenticated",
    "Principal",
    "authenticate",
    "require",
    "require_async",
]

JWT_NOT_FOUND = "JWT not found"
EXPIRED = "Expired JWT Token"
NOT_AUTHORIZED = "access token not authorized"
SCOPE_KEY = "footfall.authorizer"

_ALIASES = {"publish": "edit-publish"}


class NotAuthenticated(Exception):
    """No usable access token: missing, expired, or not valid (forged, revoked, unknown user)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Forbidden(Exception):
    """The caller is authenticated but lacks the level the action needs."""


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller: the user, the credential the token came from, the client IP."""

    user: User
    client_id: str = ""
    ip: str | None = None

    @property
    def is_owner(self) -> bool:
        """OWNERs may do everything."""
        return self.user.role == "OWNER"

    def actor(self) -> Actor:
        """The audit log's author of changes this caller makes."""
        return Actor(user_id=self.user.id, email=self.user.email, ip=self.ip)


def _rank(level: str) -> int:
    level = _ALIASES.get(level, level)
    if level not in grants.RANK:
        raise ValueError(f"unknown permission level {level!r}")
    return grants.RANK[level]


class Authorizer:
    """Resolves bearer tokens to principals and checks their level on apps and meta sites."""

    def __init__(self, meta: MetaStore, keys: KeyRing) -> None:
        self.meta = meta
        self.keys = keys

    def authenticate(self, authorization: str | None, ip: str | None = None) -> Principal:
        """The principal of an `Authorization: Bearer <jwt>` header; NotAuthenticated otherwise."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated(JWT_NOT_FOUND)
        try:
            claims = self.keys.decode(token.strip())
        except TokenExpired:
            raise NotAuthenticated(EXPIRED) from None
        except InvalidToken:
            raise NotAuthenticated(NOT_AUTHORIZED) from None
        try:
            if claims.client_id and get_credential(self.meta, claims.client_id).revoked_at:
                raise NotAuthenticated(NOT_AUTHORIZED)
            user = get_user(self.meta, claims.user_id)
        except NotFound:
            raise NotAuthenticated(NOT_AUTHORIZED) from None
        return Principal(user, claims.client_id, ip)

    def levels(self, principal: Principal) -> dict[str, str] | None:
        """The caller's level on each entity they hold one on; None for an OWNER (everything)."""
        return None if principal.is_owner else grants.levels_of_user(self.meta, principal.user.id)

    def level(self, principal: Principal, entity_id: str) -> str:
        """The caller's level on one app or meta site ("manage" for an OWNER)."""
        if principal.is_owner:
            return "manage"
        return grants.effective_level(self.meta, principal.user.id, entity_id)

    def allows(self, principal: Principal, entity_id: str, level: str) -> bool:
        """True when the caller holds at least `level` on the entity."""
        return principal.is_owner or _rank(self.level(principal, entity_id)) >= _rank(level)

    def check(self, principal: Principal, entity_ids: Iterable[str], level: str) -> None:
        """Forbidden unless the caller holds at least `level` on every entity."""
        needed = _rank(level)
        if principal.is_owner:
            return
        held = grants.levels_of_user(self.meta, principal.user.id)
        for entity_id in entity_ids:
            if grants.RANK.get(held.get(str(entity_id), "no-access"), 0) < needed:
                raise Forbidden(f"{level} on {entity_id} is required")

    def check_owner(self, principal: Principal) -> None:
        """Forbidden unless the caller is an OWNER."""
        if not principal.is_owner:
            raise Forbidden("the OWNER role is required")


def authorizer_of(connection: HTTPConnection) -> Authorizer:
    """The Authorizer the server put into the ASGI scope."""
    found = connection.scope.get(SCOPE_KEY)
    if not isinstance(found, Authorizer):
        raise RuntimeError(f"no Authorizer in the ASGI scope under {SCOPE_KEY!r}")
    return found


def authenticate(connection: HTTPConnection) -> Principal:
    """The caller of a request (blocking: reads the metadata store)."""
    ip = connection.client.host if connection.client else None
    return authorizer_of(connection).authenticate(connection.headers.get("authorization"), ip)


def require(connection: HTTPConnection, app_ids: Iterable[str], level: str) -> Principal:
    """The caller, when they hold at least `level` (`view`, `edit`, `edit-publish`/`publish`,
    `manage`) on every app or meta site of `app_ids`; raises NotAuthenticated or Forbidden."""
    principal = authenticate(connection)
    authorizer_of(connection).check(principal, app_ids, level)
    return principal


async def require_async(
    connection: HTTPConnection, app_ids: Iterable[str], level: str
) -> Principal:
    """`require` from async code: the database work runs in the thread pool."""
    return await run_in_threadpool(require, connection, list(app_ids), level)
