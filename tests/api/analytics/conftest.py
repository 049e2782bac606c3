"""Fixtures: the object-management API over a real SQLite metadata store, with signed-in users."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from api.platform.conftest import Api, SyncClient
from footfall.api.analytics.manage import make_manage_routes
from footfall.api.platform import Context
from footfall.auth.access import SCOPE_KEY, Authorizer
from footfall.auth.tokens import KeyRing
from footfall.meta import services
from footfall.meta.permissions import set_user_permission
from footfall.meta.store import MetaStore


def _asgi(meta: MetaStore, keys: KeyRing) -> Any:
    authorizer = Authorizer(meta, keys)
    api = Starlette(routes=make_manage_routes(Context(meta, authorizer)))

    async def app(scope: Any, receive: Any, send: Any) -> None:
        scope[SCOPE_KEY] = authorizer
        await api(scope, receive, send)

    return app


@pytest.fixture
def api(meta: MetaStore, tmp_path: Path) -> Api:
    keys = KeyRing(tmp_path / "keys")
    return Api(SyncClient(_asgi(meta, keys)), meta, keys)


@pytest.fixture
def owner(meta: MetaStore) -> services.User:
    return services.create_user(meta, "owner@example.com", role="OWNER").user


@pytest.fixture
def app_id(meta: MetaStore) -> str:
    return services.create_app(meta, name="Shop", urls=["https://shop.example.com"]).id


def user_with(meta: MetaStore, email: str, app_id: str, level: str | None) -> services.User:
    """A USER holding `level` on the app (None: no grant)."""
    user = services.create_user(meta, email).user
    if level is not None:
        set_user_permission(meta, user.id, app_id, level)
    return user


@pytest.fixture
def viewer(meta: MetaStore, app_id: str) -> services.User:
    return user_with(meta, "viewer@example.com", app_id, "view")


@pytest.fixture
def editor(meta: MetaStore, app_id: str) -> services.User:
    return user_with(meta, "editor@example.com", app_id, "edit")


@pytest.fixture
def stranger(meta: MetaStore, app_id: str) -> services.User:
    return user_with(meta, "stranger@example.com", app_id, None)


@pytest.fixture
def other_editor(meta: MetaStore, app_id: str) -> services.User:
    return user_with(meta, "other@example.com", app_id, "edit")
