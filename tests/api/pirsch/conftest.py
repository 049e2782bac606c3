"""Fixtures: the Pirsch routes over a real SQLite metadata store, key ring, spool and DuckDB."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from starlette.applications import Starlette

from footfall.api.pirsch import PirschContext, make_pirsch_routes
from footfall.auth import secrets
from footfall.auth.access import SCOPE_KEY, Authorizer
from footfall.auth.tokens import KeyRing
from footfall.meta import pirsch, services
from footfall.meta.store import MetaStore
from footfall.model.record import RawRecord
from footfall.spool import Spool
from footfall.store import open_store


@dataclass
class Pirsch:
    """The app under test, its stores, and helpers to make clients and call the API."""

    meta: MetaStore
    keys: KeyRing
    spool: Spool
    app: Any
    owner_id: str
    shop_id: str
    blog_id: str

    def request(
        self, method: str, path: str, token: str | None = None, **kw: Any
    ) -> httpx.Response:
        headers = dict(kw.pop("headers", {}))
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"

        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, client=("203.0.113.7", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
                return await http.request(method, path, headers=headers, **kw)

        return asyncio.run(go())

    def client(
        self, app_id: str | None, scopes: str, user_id: str | None = None
    ) -> tuple[str, str]:
        new = pirsch.create_client(
            self.meta, user_id or self.owner_id, app_id, pirsch.parse_scopes(scopes), "test"
        )
        return new.credential.client_id, new.client_secret

    def token(self, app_id: str | None, scopes: str, user_id: str | None = None) -> str:
        client_id, secret = self.client(app_id, scopes, user_id)
        r = self.request(
            "POST", "/api/v1/token", json={"client_id": client_id, "client_secret": secret}
        )
        assert r.status_code == 200, r.text
        return str(r.json()["access_token"])

    def spooled(self) -> list[RawRecord]:
        return [RawRecord.decode(p, s) for s, p in self.spool.read(0)]


@pytest.fixture
def api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pirsch]:
    # why: the default argon2 cost makes each client creation ~50 ms; tests need no strength
    monkeypatch.setattr(
        secrets, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    meta = MetaStore(f"sqlite:///{tmp_path / 'meta.sqlite'}")
    meta.migrate()
    keys = KeyRing(tmp_path / "keys")
    spool = Spool(tmp_path / "spool")
    store = open_store(f"duckdb:///{tmp_path / 'events.duckdb'}")
    store.migrate()
    owner = services.create_user(meta, "owner@example.com", role="OWNER").user
    shop = services.create_app(meta, name="Shop", urls=["https://shop.example.com"])
    blog = services.create_app(meta, name="Blog", urls=["https://www.blog.example.org"])
    authorizer = Authorizer(meta, keys)
    routes = make_pirsch_routes(PirschContext(meta, keys, spool, store))
    starlette = Starlette(routes=routes)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        scope[SCOPE_KEY] = authorizer
        await starlette(scope, receive, send)

    try:
        yield Pirsch(meta, keys, spool, app, owner.id, shop.id, blog.id)
    finally:
        store.close()
        spool.close()
        meta.close()
