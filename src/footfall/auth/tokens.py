"""JWT access tokens of the platform API (api-notes §0.1), signed with Ed25519 keys in the data dir.

Keys live in `<data_dir>/keys/<kid>.pem` (PKCS#8 PEM, mode 0600). The newest key signs; every key
verifies, so tokens signed before a rotation stay valid until they expire. A key retired more than
one token lifetime ago is deleted by the next rotation.
"""

from __future__ import annotations

import itertools
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = [
    "ALGORITHM",
    "ISSUER",
    "TOKEN_TTL",
    "InvalidToken",
    "KeyRing",
    "TokenClaims",
    "TokenExpired",
]

ALGORITHM = "EdDSA"
ISSUER = "oauth"
ORGANIZATION = "default"
TOKEN_TTL = 1800  # seconds; `expires_in` of /auth/token


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """The verified claims of an access token."""

    user_id: str  # sub
    email: str  # eml
    audience: str  # aud: the credential name
    issued_at: int
    expires_at: int
    organization: str = ORGANIZATION
    client_id: str = ""  # cid: the credential it was issued to ("" for tokens of other origin)


class InvalidToken(Exception):
    """The token is malformed, forged, unsigned or signed with an unknown key."""


class TokenExpired(InvalidToken):
    """The token was valid but its `exp` has passed."""


def _kid_ns(kid: str) -> int:
    try:
        return int(kid.split("-", 1)[0])
    except ValueError:
        return 0


def _new_kid(existing: list[str]) -> str:
    # Sortable by creation time (ns, zero-padded): the largest kid is the current key. Strictly
    # after every existing key even when the clock is coarse or steps back.
    ns = max([time.time_ns(), *(_kid_ns(k) + 1 for k in existing)])
    return f"{ns:020d}-{secrets.token_hex(4)}"


def _kid_time(kid: str) -> float:
    return _kid_ns(kid) / 1e9


class KeyRing:
    """The signing keys in a directory: issue, verify and rotate access tokens. Thread-safe."""

    def __init__(self, keys_dir: Path, ttl: int = TOKEN_TTL) -> None:
        self.keys_dir = Path(keys_dir)
        self.ttl = ttl
        self._lock = threading.Lock()
        self._keys: dict[str, Ed25519PrivateKey] = {}
        self._mtime_ns = -1

    def _reload(self) -> None:
        """Re-read the directory when it changed (another process may have rotated)."""
        try:
            mtime = self.keys_dir.stat().st_mtime_ns
        except FileNotFoundError:
            self._keys, self._mtime_ns = {}, -1
            return
        if mtime == self._mtime_ns:
            return
        keys: dict[str, Ed25519PrivateKey] = {}
        for path in sorted(self.keys_dir.glob("*.pem")):
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if isinstance(key, Ed25519PrivateKey):
                keys[path.stem] = key
        self._keys, self._mtime_ns = keys, mtime

    def _write_key(self) -> str:
        self.keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        kid = _new_kid([p.stem for p in self.keys_dir.glob("*.pem")])
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd = os.open(self.keys_dir / f"{kid}.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        self._mtime_ns = -1
        return kid

    def _current(self) -> tuple[str, Ed25519PrivateKey]:
        with self._lock:
            self._reload()
            if not self._keys:
                self._write_key()
                self._reload()
            kid = max(self._keys)
            return kid, self._keys[kid]

    def kids(self) -> list[str]:
        """The ids of every key on disk, oldest first."""
        with self._lock:
            self._reload()
            return sorted(self._keys)

    def issue(
        self,
        *,
        user_id: str,
        email: str,
        audience: str,
        client_id: str = "",
        now: float | None = None,
    ) -> str:
        """A signed access token: iss "oauth", aud, iat, exp (iat + ttl), sub, org, eml, and cid
        (the credential, so revoking it ends its tokens); `kid` header."""
        kid, key = self._current()
        iat = int(time.time() if now is None else now)
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": audience,
            "iat": iat,
            "exp": iat + self.ttl,
            "sub": user_id,
            "org": ORGANIZATION,
            "eml": email,
        }
        if client_id:
            claims["cid"] = client_id
        return jwt.encode(claims, key, algorithm=ALGORITHM, headers={"kid": kid})

    def _candidates(self, token: str) -> list[Ed25519PublicKey]:
        header = jwt.get_unverified_header(token)
        kid = header.get("kid")
        with self._lock:
            self._reload()
            if isinstance(kid, str) and kid not in self._keys:
                self._mtime_ns = -1  # a key written within the same mtime tick
                self._reload()
            keys = dict(self._keys)
        if isinstance(kid, str) and kid in keys:
            return [keys[kid].public_key()]
        return [k.public_key() for k in keys.values()]

    def decode(self, token: str) -> TokenClaims:
        """The claims of a valid token; TokenExpired after `exp`, InvalidToken otherwise."""
        try:
            candidates = self._candidates(token)
        except jwt.PyJWTError:
            raise InvalidToken("malformed token") from None
        for public_key in candidates:
            try:
                claims = jwt.decode(
                    token,
                    public_key,
                    algorithms=[ALGORITHM],  # a fixed list: "none" and HS256 tricks never pass
                    issuer=ISSUER,
                    options={"require": ["exp", "iat", "sub", "iss"], "verify_aud": False},
                )
            except jwt.InvalidSignatureError:
                continue
            except jwt.ExpiredSignatureError:
                # why: PyJWT checks `exp` only after the signature matched, so this is genuine
                raise TokenExpired("expired token") from None
            except jwt.PyJWTError:
                raise InvalidToken("invalid token") from None
            found = _claims(claims)
            if found is None:
                raise InvalidToken("invalid claims")
            return found
        raise InvalidToken("no key verifies the signature")

    def verify(self, token: str) -> TokenClaims | None:
        """The claims of a valid token; None when malformed, forged, unsigned or expired."""
        try:
            return self.decode(token)
        except InvalidToken:
            return None

    def rotate(self) -> str:
        """Make a new current key and delete keys retired more than one token lifetime ago."""
        with self._lock:
            kid = self._write_key()
            self._reload()
            kids = sorted(self._keys)
            for older, successor in itertools.pairwise(kids):
                if _kid_time(successor) + self.ttl < time.time():
                    (self.keys_dir / f"{older}.pem").unlink(missing_ok=True)
            self._mtime_ns = -1
            self._reload()
            return kid


def _claims(claims: dict[str, Any]) -> TokenClaims | None:
    sub, eml, aud = claims.get("sub"), claims.get("eml", ""), claims.get("aud", "")
    cid = claims.get("cid", "")
    if not (isinstance(sub, str) and isinstance(eml, str) and isinstance(aud, str)):
        return None
    if not isinstance(cid, str):
        return None
    return TokenClaims(sub, eml, aud, int(claims["iat"]), int(claims["exp"]), client_id=cid)
