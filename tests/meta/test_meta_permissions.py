"""Permissions, groups and meta sites in the metadata store: effective levels, cleanup on delete."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from footfall.auth.checker import MetaTokenChecker
from footfall.auth.tokens import KeyRing
from footfall.meta import services
from footfall.meta.groups import add_members, create_group, delete_group, groups_of_user
from footfall.meta.meta_sites import (
    add_apps,
    create_meta_site,
    delete_meta_site,
    page_meta_site_apps,
)
from footfall.meta.paging import Page
from footfall.meta.permissions import (
    effective_level,
    levels_of_user,
    set_group_permission,
    set_user_permission,
    strongest,
)
from footfall.meta.schema import group_permissions
from footfall.meta.store import MetaStore


def test_effective_level_is_the_strongest_grant(meta: MetaStore) -> None:
    app = services.create_app(meta, name="A", urls=["a.example"]).id
    user = services.create_user(meta, "u@example.com").user
    assert effective_level(meta, user.id, app) == "no-access"
    set_user_permission(meta, user.id, app, "view")
    group = create_group(meta, {"name": "G"})
    add_members(meta, group.id, [user.id])
    set_group_permission(meta, group.id, app, "edit-publish")
    assert effective_level(meta, user.id, app) == "edit-publish"
    assert groups_of_user(meta, user.id) == {group.id: "G"}
    delete_group(meta, group.id)
    assert effective_level(meta, user.id, app) == "view"
    assert strongest(["view", "manage", "edit"]) == "manage" and strongest([]) == "no-access"


def test_meta_site_levels_and_cleanup(meta: MetaStore) -> None:
    app = services.create_app(meta, name="A", urls=["a.example"]).id
    site = create_meta_site(meta, {"name": "S"}).id
    user = services.create_user(meta, "u@example.com").user
    group = create_group(meta, {"name": "G"})
    with pytest.raises(services.ValidationError):
        set_user_permission(meta, user.id, site, "edit-publish")  # no publishing on meta sites
    set_user_permission(meta, user.id, site, "manage")
    set_group_permission(meta, group.id, site, "view")
    set_group_permission(meta, group.id, app, "view")
    add_apps(meta, site, [app])
    assert [a.id for a in page_meta_site_apps(meta, site, Page())[1]] == [app]
    assert levels_of_user(meta, user.id) == {site: "manage"}
    delete_meta_site(meta, site)
    services.delete_app(meta, app)
    with meta.connect() as conn:
        assert conn.execute(sa.select(group_permissions)).all() == []
    assert levels_of_user(meta, user.id) == {}
    with pytest.raises(services.NotFound):
        set_user_permission(meta, user.id, app, "view")


def test_tracking_checker_honours_group_grants(meta: MetaStore, tmp_path: Path) -> None:
    app = services.create_app(meta, name="A", urls=["a.example"]).id
    new = services.create_user(meta, "u@example.com")
    checker = MetaTokenChecker(meta, KeyRing(tmp_path / "keys"), ttl=0)
    assert not checker.is_authorized(new.token_auth, None, app)
    group = create_group(meta, {"name": "Importers"})
    add_members(meta, group.id, [new.user.id])
    set_group_permission(meta, group.id, app, "edit")
    assert checker.is_authorized(new.token_auth, None, app)
