"""Secrets: argon2 hashes for passwords and client secrets, random tokens, constant-time compares."""

from __future__ import annotations

import hashlib
import hmac
import secrets as _random
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = [
    "DUMMY_HASH",
    "constant_time_equals",
    "hash_secret",
    "is_argon2_hash",
    "random_client_id",
    "random_string",
    "random_token_auth",
    "sha256_hex",
    "verify_secret",
]

_LOWER_DIGITS = string.ascii_lowercase + string.digits
_ALPHANUMERIC = string.ascii_letters + string.digits

# RFC 9106 "second recommended" profile (argon2-cffi's default): argon2id, t=3, m=64 MiB, p=4.
_hasher = PasswordHasher()


def hash_secret(secret: str) -> str:
    """The argon2id hash (PHC string) of a secret."""
    return _hasher.hash(secret)


def verify_secret(stored_hash: str, secret: str) -> bool:
    """True when `secret` matches `stored_hash`; False on mismatch or a malformed hash."""
    try:
        return _hasher.verify(stored_hash, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# Verified against when a client id is unknown, so that both paths cost one argon2 verification.
DUMMY_HASH = hash_secret(_random.token_hex(16))


def is_argon2_hash(value: str) -> bool:
    """True for an argon2 PHC string such as `$argon2id$v=19$...`."""
    return value.startswith(("$argon2id$", "$argon2i$", "$argon2d$"))


def random_string(length: int, alphabet: str = _ALPHANUMERIC) -> str:
    """A random string from a cryptographic source."""
    return "".join(_random.choice(alphabet) for _ in range(length))


def random_client_id() -> str:
    """A client id: 32 characters of [a-z0-9]."""
    return random_string(32, _LOWER_DIGITS)


def random_token_auth() -> str:
    """A Matomo-style token_auth: 32 lowercase hex digits."""
    return _random.token_hex(16)


def sha256_hex(value: str) -> str:
    """SHA-256 of a high-entropy token, as hex: for lookups of token_auth by hash."""
    return hashlib.sha256(value.encode()).hexdigest()


def constant_time_equals(a: str, b: str) -> bool:
    """Compare two strings in time independent of where they differ."""
    return hmac.compare_digest(a.encode(), b.encode())
