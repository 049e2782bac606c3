"""Invitation links: how a new user (or one who lost a password) sets a dashboard password.

No email is sent: whoever issues the link (an OWNER through the users API or the dashboard, an
operator through `footfall users invite`) is given it once and passes it on. A link is
`/dashboard/invitation/{id}.{secret}`: the id finds the row, the secret is checked against its
argon2 hash (the secret is never stored), so a copy of the database opens no account. A link works
once and expires after `LIFETIME`; issuing a new one for a user voids the older ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from footfall.auth.secrets import (
    DUMMY_HASH,
    hash_secret,
    random_client_id,
    random_string,
    verify_secret,
)
from footfall.meta.accounts import (
    NewUser,
    User,
    create_user,
    get_user,
    validate_password,
)
from footfall.meta.audit import Actor, record
from footfall.meta.errors import MetaError
from footfall.meta.schema import invitations, users
from footfall.meta.store import MetaStore, as_utc, utcnow

__all__ = [
    "LIFETIME",
    "LINK_PATH",
    "Invitation",
    "InvitationError",
    "NewInvitation",
    "accept_invitation",
    "check_invitation",
    "invite_user",
    "issue_invitation",
]

LIFETIME = timedelta(days=7)
#: where the dashboard redeems a link (the token follows)
LINK_PATH = "/dashboard/invitation/"
_SECRET_LENGTH = 43  # ~256 bits of [A-Za-z0-9]


class InvitationError(MetaError):
    """A link that cannot be used: `reason` is unknown, expired or used."""

    code = "error.invitation"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message, field="token")
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Invitation:
    """One issued link (without its secret)."""

    id: str
    user: User
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class NewInvitation:
    """A link just issued: its token is shown only now."""

    invitation: Invitation
    token: str

    def url(self, base_url: str) -> str:
        """The whole link under the server's public URL."""
        return base_url.rstrip("/") + LINK_PATH + self.token


def issue_invitation(
    meta: MetaStore,
    user_id: str,
    actor: Actor | None = None,
    now: datetime | None = None,
    lifetime: timedelta = LIFETIME,
) -> NewInvitation:
    """A fresh link for a user; the user's older unused links stop working."""
    user = get_user(meta, user_id)
    moment = now or utcnow()
    invitation_id, secret = random_client_id(), random_string(_SECRET_LENGTH)
    with meta.begin() as conn:
        conn.execute(
            invitations.delete().where(
                invitations.c.user_id == user.id, invitations.c.used_at.is_(None)
            )
        )
        conn.execute(
            invitations.insert().values(
                id=invitation_id,
                secret_hash=hash_secret(secret),
                user_id=user.id,
                created_at=moment,
                expires_at=moment + lifetime,
            )
        )
        record(conn, "user.invited", user.id, {"email": user.email}, actor)
    invitation = Invitation(invitation_id, user, moment, moment + lifetime)
    return NewInvitation(invitation, f"{invitation_id}.{secret}")


def invite_user(
    meta: MetaStore,
    email: str,
    *,
    role: str = "USER",
    language: str = "en-US",
    actor: Actor | None = None,
) -> tuple[NewUser, NewInvitation]:
    """Create a user without a password and issue their first link."""
    new = create_user(meta, email, role=role, language=language, actor=actor)
    return new, issue_invitation(meta, new.user.id, actor)


def check_invitation(meta: MetaStore, token: str, now: datetime | None = None) -> Invitation:
    """The invitation a token opens; InvitationError when it is unknown, spent or expired."""
    invitation_id, _, secret = token.partition(".")
    row = None
    if invitation_id.isalnum() and len(invitation_id) == 32 and secret.isalnum():
        with meta.connect() as conn:
            query = sa.select(invitations).where(invitations.c.id == invitation_id)
            row = conn.execute(query).mappings().first()
    # why: an unknown id costs one argon2 verification too, so timing tells nothing
    if not verify_secret(row["secret_hash"] if row else DUMMY_HASH, secret) or row is None:
        raise InvitationError("unknown", "This invitation link is not valid.")
    if row["used_at"] is not None:
        raise InvitationError(
            "used", "This invitation link has already been used; sign in with your password."
        )
    if as_utc(row["expires_at"]) <= (now or utcnow()):
        raise InvitationError(
            "expired", "This invitation link has expired; ask an owner for a new one."
        )
    return Invitation(
        row["id"],
        get_user(meta, row["user_id"]),
        as_utc(row["created_at"]),
        as_utc(row["expires_at"]),
    )


def accept_invitation(
    meta: MetaStore, token: str, password: str, ip: str | None = None, now: datetime | None = None
) -> User:
    """Spend a link: set the user's password (argon2) and return the user, now able to sign in."""
    validate_password(password)
    moment = now or utcnow()
    invitation = check_invitation(meta, token, moment)
    hashed = hash_secret(password)
    with meta.begin() as conn:
        spent = conn.execute(
            invitations.update()
            .where(invitations.c.id == invitation.id, invitations.c.used_at.is_(None))
            .values(used_at=moment)
        )
        if spent.rowcount == 0:  # spent by a concurrent request since the check
            raise InvitationError("used", "This invitation link has already been used.")
        conn.execute(
            users.update()
            .where(users.c.id == invitation.user.id)
            .values(password_hash=hashed, updated_at=moment)
        )
        actor = Actor(user_id=invitation.user.id, email=invitation.user.email, ip=ip)
        record(conn, "user.changed.password", invitation.user.id, {}, actor)
    return get_user(meta, invitation.user.id)
