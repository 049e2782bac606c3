"""POST /auth/token over ASGI: 200 shape, JSON and form bodies, errors, rate limit."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from footfall.auth.oauth import FailureLimiter, make_auth_routes
from footfall.auth.tokens import KeyRing
from footfall.meta import services
from footfall.meta.store import MetaStore

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def keys(tmp_path: Path) -> KeyRing:
    return KeyRing(tmp_path / "keys")


@pytest.fixture
def credential(meta: MetaStore) -> services.NewCredential:
    user = services.create_user(meta, "a@b.c").user
    return services.create_credential(meta, user.id, "ci")


@pytest.fixture
async def client(meta: MetaStore, keys: KeyRing) -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(
        routes=make_auth_routes(
            meta, keys, per_client=FailureLimiter(3, 60), per_ip=FailureLimiter(5, 60)
        )
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as http:
        yield http


def _body(credential: services.NewCredential, **changes: str) -> dict[str, str]:
    return {
        "grant_type": "client_credentials",
        "client_id": credential.credential.client_id,
        "client_secret": credential.client_secret,
        **changes,
    }


async def test_json_body(
    client: httpx.AsyncClient, credential: services.NewCredential, keys: KeyRing
) -> None:
    response = await client.post("/auth/token", json=_body(credential))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["cache-control"] == "no-store"
    data = response.json()
    assert set(data) == {"token_type", "expires_in", "access_token"}
    assert (data["token_type"], data["expires_in"]) == ("Bearer", 1800)
    claims = keys.verify(data["access_token"])
    assert claims is not None
    assert (claims.email, claims.audience) == ("a@b.c", "ci")


async def test_form_body(client: httpx.AsyncClient, credential: services.NewCredential) -> None:
    response = await client.post("/auth/token", data=_body(credential))
    assert response.status_code == 200
    assert response.json()["token_type"] == "Bearer"


async def test_unsupported_grant(
    client: httpx.AsyncClient, credential: services.NewCredential
) -> None:
    response = await client.post("/auth/token", json=_body(credential, grant_type="password"))
    assert response.status_code == 400
    data = response.json()
    assert data["error"] == "unsupported_grant_type"
    assert data["error_description"].startswith("The authorization grant type is not supported")
    assert {"hint", "message"} <= set(data)
    missing = await client.post("/auth/token", json={"client_id": "x"})
    assert missing.json()["error"] == "unsupported_grant_type"


async def test_bad_requests(client: httpx.AsyncClient) -> None:
    broken = await client.post(
        "/auth/token", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert (broken.status_code, broken.json()["error"]) == (400, "invalid_request")
    empty = await client.post("/auth/token", json={"grant_type": "client_credentials"})
    assert (empty.status_code, empty.json()["error"]) == (400, "invalid_request")
    assert (await client.get("/auth/token")).status_code == 405


async def test_wrong_secret(client: httpx.AsyncClient, credential: services.NewCredential) -> None:
    response = await client.post("/auth/token", json=_body(credential, client_secret="wrong"))
    assert (response.status_code, response.json()) == (401, {"error": "invalid_client"})


async def test_revoked(
    client: httpx.AsyncClient, credential: services.NewCredential, meta: MetaStore
) -> None:
    services.revoke_credential(meta, credential.credential.client_id)
    response = await client.post("/auth/token", json=_body(credential))
    assert response.status_code == 401


async def test_rate_limit_per_client(
    client: httpx.AsyncClient, credential: services.NewCredential
) -> None:
    for _ in range(3):
        response = await client.post("/auth/token", json=_body(credential, client_secret="bad"))
        assert response.status_code == 401
    limited = await client.post("/auth/token", json=_body(credential))  # even the right secret
    assert limited.status_code == 429
    assert limited.json()["error"] == "too_many_requests"
    assert int(limited.headers["retry-after"]) >= 1


async def test_rate_limit_per_ip(
    client: httpx.AsyncClient, credential: services.NewCredential
) -> None:
    for n in range(5):
        response = await client.post(
            "/auth/token", json=_body(credential, client_id=f"{n:032d}", client_secret="bad")
        )
        assert response.status_code == 401
    assert (await client.post("/auth/token", json=_body(credential))).status_code == 429


def test_failure_limiter_window() -> None:
    limiter = FailureLimiter(max_failures=2, window_seconds=0.05)
    limiter.fail("k")
    assert limiter.retry_after("k") == 0
    limiter.fail("k")
    assert limiter.retry_after("k") >= 1
    time.sleep(0.06)
    assert limiter.retry_after("k") == 0
