"""Secrets: argon2 hashing, random tokens, constant-time compares."""

from __future__ import annotations

import re

from footfall.auth import secrets


def test_hash_and_verify() -> None:
    stored = secrets.hash_secret("s3cret")
    assert secrets.is_argon2_hash(stored) and stored.startswith("$argon2id$")
    assert "s3cret" not in stored
    assert secrets.verify_secret(stored, "s3cret")
    assert not secrets.verify_secret(stored, "S3cret")
    assert not secrets.verify_secret("not a hash", "s3cret")


def test_random_values() -> None:
    assert re.fullmatch(r"[a-z0-9]{32}", secrets.random_client_id())
    assert re.fullmatch(r"[0-9a-f]{32}", secrets.random_token_auth())
    assert re.fullmatch(r"[A-Za-z0-9]{64}", secrets.random_string(64))
    assert secrets.random_client_id() != secrets.random_client_id()


def test_sha256_and_compare() -> None:
    assert secrets.sha256_hex("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert secrets.constant_time_equals("abc", "abc")
    assert not secrets.constant_time_equals("abc", "abd")
