"""MetaStore: migrations create every table, run twice, and match the schema module."""

from __future__ import annotations

import stat
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from footfall.meta.schema import metadata
from footfall.meta.store import MetaStore

TABLES = {
    "users",
    "api_credentials",
    "apps",
    "counters",
    "tracker_settings",
    "goals",
    "permissions",
    "audit_log",
    "meta_sites",
    "meta_site_apps",
    "user_groups",
    "user_group_members",
    "meta_site_permissions",
    "group_permissions",
    "module_access",
    "custom_dimensions",
    "product_custom_dimensions",
    "user_annotations",
    "pirsch_clients",
    "pirsch_access_keys",
    "pirsch_domains",
    "pirsch_links",
    "pirsch_alternative_domains",
    "pirsch_reports",
    "pirsch_goals",
    "pirsch_funnels",
    "invitations",
    "alembic_version",
}


def test_migrate_creates_every_table(tmp_path: Path) -> None:
    with MetaStore(f"sqlite:///{tmp_path / 'sub' / 'meta.sqlite'}") as store:
        assert store.revision() is None
        store.migrate()
        assert set(sa.inspect(store.engine).get_table_names()) == TABLES
        assert store.revision() == "0005"


def test_migrate_twice_is_idempotent(meta: MetaStore) -> None:
    meta.migrate()
    meta.migrate()
    assert meta.revision() == "0005"


def test_migrations_match_schema_module(meta: MetaStore) -> None:
    with meta.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_database_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "meta.sqlite"
    with MetaStore(f"sqlite:///{path}") as store:
        store.migrate()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_sqlite_pragmas(meta: MetaStore) -> None:
    with meta.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_r0002_upgrades_a_0001_database_and_downgrades(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    with MetaStore(f"sqlite:///{tmp_path / 'meta.sqlite'}") as store:
        config = Config()
        config.set_main_option("script_location", "footfall.meta:migrations")
        with store.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0001")
        assert "meta_sites" not in sa.inspect(store.engine).get_table_names()
        store.migrate()
        assert store.revision() == "0005"
        with store.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
        assert set(sa.inspect(store.engine).get_table_names()) == TABLES - {
            "invitations",
            "custom_dimensions",
            "product_custom_dimensions",
            "user_annotations",
            "meta_sites",
            "meta_site_apps",
            "user_groups",
            "user_group_members",
            "meta_site_permissions",
            "group_permissions",
            "module_access",
            "pirsch_clients",
            "pirsch_access_keys",
            "pirsch_domains",
            "pirsch_links",
            "pirsch_alternative_domains",
            "pirsch_reports",
            "pirsch_goals",
            "pirsch_funnels",
        }
