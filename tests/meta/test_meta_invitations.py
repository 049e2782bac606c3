"""Invitation links: one-time, expiring, secret stored as argon2 only, newest link wins."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from footfall.auth.secrets import is_argon2_hash
from footfall.meta import services
from footfall.meta.errors import Conflict, ValidationError
from footfall.meta.invitations import LIFETIME, LINK_PATH
from footfall.meta.schema import audit_log, invitations
from footfall.meta.store import MetaStore, utcnow

PASSWORD = "Invited-Passw0rd-1"


def reason(meta: MetaStore, token: str) -> str:
    with pytest.raises(services.InvitationError) as caught:
        services.check_invitation(meta, token)
    return caught.value.reason


def test_invite_then_accept_sets_the_password_once(meta: MetaStore) -> None:
    new, link = services.invite_user(meta, "Ann@Example.com", role="USER")
    assert new.user.has_password is False
    assert re.fullmatch(r"[a-z0-9]{32}\.[A-Za-z0-9]{43}", link.token)
    assert link.url("https://stats.example.com/") == (
        f"https://stats.example.com{LINK_PATH}{link.token}"
    )
    assert link.invitation.expires_at - link.invitation.created_at == LIFETIME
    with meta.connect() as conn:
        (stored,) = conn.execute(sa.select(invitations.c.secret_hash)).one()
    secret = link.token.split(".")[1]
    assert is_argon2_hash(stored) and secret not in stored
    assert services.check_invitation(meta, link.token).user.email == "ann@example.com"

    user = services.accept_invitation(meta, link.token, PASSWORD, ip="192.0.2.1")
    assert user.has_password
    assert services.verify_password(meta, "ann@example.com", PASSWORD) == user
    assert reason(meta, link.token) == "used"
    with pytest.raises(services.InvitationError):
        services.accept_invitation(meta, link.token, "Another-Passw0rd-2")
    assert services.verify_password(meta, "ann@example.com", PASSWORD) == user
    with meta.connect() as conn:
        kinds = conn.execute(sa.select(audit_log.c.type, audit_log.c.ip)).all()
    assert ("user.invited", None) in kinds and ("user.changed.password", "192.0.2.1") in kinds


def test_expired_unknown_and_forged_links(meta: MetaStore) -> None:
    user = services.create_user(meta, "bob@example.com").user
    old = services.issue_invitation(meta, user.id, now=utcnow() - LIFETIME - timedelta(seconds=1))
    assert reason(meta, old.token) == "expired"
    with pytest.raises(services.InvitationError):
        services.accept_invitation(meta, old.token, PASSWORD)
    fresh = services.issue_invitation(meta, user.id)
    invitation_id, secret = fresh.token.split(".")
    assert reason(meta, old.token) == "unknown"  # a new link voids the older ones
    assert reason(meta, f"{invitation_id}.{secret[:-1]}x") == "unknown"
    for garbage in ("", ".", "x" * 32, f"{invitation_id}.", "../../etc", f"{invitation_id}.é"):
        assert reason(meta, garbage) == "unknown"
    assert services.check_invitation(meta, fresh.token).user.id == user.id


def test_a_weak_password_leaves_the_link_usable(meta: MetaStore) -> None:
    _, link = services.invite_user(meta, "cy@example.com")
    with pytest.raises(ValidationError) as caught:
        services.accept_invitation(meta, link.token, "short")
    assert caught.value.field == "password"
    assert services.check_invitation(meta, link.token).user.email == "cy@example.com"


def test_inviting_a_taken_email_is_a_conflict(meta: MetaStore) -> None:
    services.invite_user(meta, "dee@example.com")
    with pytest.raises(Conflict):
        services.invite_user(meta, "DEE@example.com")


def test_deleting_a_user_drops_their_links(meta: MetaStore) -> None:
    owner = services.create_user(meta, "owner@example.com", role="OWNER").user
    new, link = services.invite_user(meta, "eve@example.com")
    services.delete_user(meta, new.user.id, services.Actor(user_id=owner.id))
    assert reason(meta, link.token) == "unknown"
