"""Fixtures: the platform APIs over a real SQLite metadata store, a key ring, and signed-in users."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from argon2 import PasswordHasher
from starlette.applications import Starlette

from footfall.api.platform import Context, make_platform_routes
from footfall.auth import secrets
from footfall.auth.access import SCOPE_KEY, Authorizer
from footfall.auth.oauth import make_auth_routes
from footfall.auth.tokens import KeyRing
from footfall.meta import services
from footfall.meta.store import MetaStore

JSONAPI = "application/vnd.api+json"


def make_asgi(meta: MetaStore, keys: KeyRing) -> Any:
    """The auth and platform routes with the authorizer in the scope, as `footfall serve` has."""
    authorizer = Authorizer(meta, keys)
    api = Starlette(
        routes=[*make_auth_routes(meta, keys), *make_platform_routes(Context(meta, authorizer))]
    )

    async def app(scope: Any, receive: Any, send: Any) -> None:
        scope[SCOPE_KEY] = authorizer
        await api(scope, receive, send)

    return app


class SyncClient:
    """Synchronous requests to an ASGI app over httpx's ASGI transport (one event loop a call)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, client=("203.0.113.7", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
                return await http.request(method, path, **kwargs)

        return asyncio.run(go())


@dataclass
class Api:
    """A test client with helpers for bearer tokens and JSON:API bodies."""

    http: SyncClient
    meta: MetaStore
    keys: KeyRing

    def token(self, user: services.User, client_id: str = "") -> dict[str, str]:
        """Authorization headers with a fresh token for `user`."""
        token = self.keys.issue(
            user_id=user.id, email=user.email, audience="t", client_id=client_id
        )
        return {"Authorization": f"Bearer {token}"}

    def call(
        self,
        method: str,
        path: str,
        user: services.User | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> Any:
        """One request; a `body` is sent as JSON:API."""
        sent = dict(self.token(user) if user is not None else {})
        content = None
        if body is not None:
            content = orjson.dumps(body)
            sent["Content-Type"] = JSONAPI
        sent.update(headers or {})
        return self.http.request(method, path, content=content, headers=sent, params=params or None)


@pytest.fixture(scope="session", autouse=True)
def cheap_argon2() -> Iterator[None]:
    """Real argon2id hashes, at a low cost: these tests hash dozens of secrets, and the default
    profile (64 MiB, t=3) costs up to half a second each on a shared 2-core machine."""
    saved = secrets._hasher
    secrets._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    secrets._hasher = saved


@pytest.fixture
def keys(tmp_path: Path) -> KeyRing:
    return KeyRing(tmp_path / "keys")


@pytest.fixture
def api(meta: MetaStore, keys: KeyRing) -> Iterator[Api]:
    yield Api(SyncClient(make_asgi(meta, keys)), meta, keys)


@pytest.fixture
def owner(meta: MetaStore) -> services.User:
    return services.create_user(meta, "owner@example.com", role="OWNER").user


@pytest.fixture
def app_id(meta: MetaStore) -> str:
    return services.create_app(meta, name="Shop", urls=["https://shop.example.com"]).id


def doc(type_: str, attributes: dict[str, Any], id_: str | None = None) -> dict[str, Any]:
    """A JSON:API request document."""
    data: dict[str, Any] = {"type": type_, "attributes": attributes}
    if id_ is not None:
        data["id"] = id_
    return {"data": data}
