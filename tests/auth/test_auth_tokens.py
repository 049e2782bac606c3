"""KeyRing: JWT issue and verify, expiry, alg none, forged signatures, rotation."""

from __future__ import annotations

import base64
import json
import stat
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from footfall.auth.tokens import KeyRing


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.fixture
def keys(tmp_path: Path) -> KeyRing:
    return KeyRing(tmp_path / "keys")


def test_issue_and_verify(keys: KeyRing) -> None:
    token = keys.issue(user_id="u1", email="a@b.c", audience="ci")
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["kid"] == keys.kids()[0]
    payload = jwt.decode(token, options={"verify_signature": False})
    assert payload["iss"] == "oauth" and payload["org"] == "default"
    assert payload["exp"] - payload["iat"] == 1800
    claims = keys.verify(token)
    assert claims is not None
    assert (claims.user_id, claims.email, claims.audience) == ("u1", "a@b.c", "ci")


def test_key_file_is_private_pem(keys: KeyRing) -> None:
    keys.issue(user_id="u1", email="a@b.c", audience="ci")
    [path] = list(keys.keys_dir.glob("*.pem"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")


def test_expired_token_is_rejected(keys: KeyRing) -> None:
    token = keys.issue(user_id="u1", email="a@b.c", audience="ci", now=time.time() - 1801)
    assert keys.verify(token) is None


def test_alg_none_is_rejected(keys: KeyRing) -> None:
    good = keys.issue(user_id="u1", email="a@b.c", audience="ci")
    payload = jwt.decode(good, options={"verify_signature": False})
    payload["sub"] = "attacker"
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(payload)}."
    assert keys.verify(unsigned) is None
    kid = keys.kids()[0]
    assert keys.verify(f"{_b64({'alg': 'none', 'kid': kid})}.{_b64(payload)}.") is None


def test_forged_signature_is_rejected(keys: KeyRing) -> None:
    good = keys.issue(user_id="u1", email="a@b.c", audience="ci")
    kid = keys.kids()[0]
    claims = jwt.decode(good, options={"verify_signature": False})
    forged = jwt.encode(
        claims, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": kid}
    )
    assert keys.verify(forged) is None
    head, _payload, signature = good.split(".")
    tampered_claims = {**claims, "sub": "attacker"}
    assert keys.verify(f"{head}.{_b64(tampered_claims)}.{signature}") is None
    hs256 = jwt.encode(claims, "secret-guess-that-is-long-enough-32b", algorithm="HS256")
    assert keys.verify(hs256) is None
    assert keys.verify("garbage") is None
    assert keys.verify("") is None


def test_rotation_keeps_old_tokens_valid(keys: KeyRing, tmp_path: Path) -> None:
    old = keys.issue(user_id="u1", email="a@b.c", audience="ci")
    old_kid = keys.kids()[0]
    new_kid = keys.rotate()
    assert new_kid > old_kid and keys.kids() == [old_kid, new_kid]
    new = keys.issue(user_id="u1", email="a@b.c", audience="ci")
    assert jwt.get_unverified_header(new)["kid"] == new_kid
    assert keys.verify(old) is not None and keys.verify(new) is not None
    other_process = KeyRing(tmp_path / "keys")  # sees the keys written by this one
    assert other_process.verify(old) is not None and other_process.verify(new) is not None


def test_rotation_prunes_keys_retired_long_ago(tmp_path: Path) -> None:
    keys = KeyRing(tmp_path / "keys", ttl=0)
    keys.issue(user_id="u1", email="a@b.c", audience="ci")
    first = keys.kids()[0]
    time.sleep(0.01)
    second = keys.rotate()  # with ttl 0, a retired key is expired at once
    assert keys.kids() == [second] and first != second
