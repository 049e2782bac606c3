"""Platform API: meta sites, user groups, group and meta-site permissions, module access.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def _tz() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _fk(column: str, table: str, owner: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{table}.id"], name=f"fk_{owner}_{column}_{table}", ondelete="CASCADE"
    )


def upgrade() -> None:
    """Create the tables of the platform API."""
    op.create_table(
        "meta_sites",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(191), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("e_commerce_tracking", sa.Boolean, nullable=False),
        sa.Column("sharepoint_integration", sa.Boolean, nullable=False),
        sa.Column("created_at", _tz(), nullable=False),
        sa.Column("updated_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_meta_sites"),
        sa.UniqueConstraint("name", name="uq_meta_sites_name"),
    )
    op.create_table(
        "meta_site_apps",
        sa.Column("meta_site_id", sa.String(36), nullable=False),
        sa.Column("app_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("meta_site_id", "app_id", name="pk_meta_site_apps"),
        _fk("meta_site_id", "meta_sites", "meta_site_apps"),
        _fk("app_id", "apps", "meta_site_apps"),
    )
    op.create_table(
        "user_groups",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(191), nullable=False),
        sa.Column("external_id", sa.String(191), nullable=True),
        sa.Column("created_at", _tz(), nullable=False),
        sa.Column("updated_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_user_groups"),
    )
    op.create_table(
        "user_group_members",
        sa.Column("group_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "user_id", name="pk_user_group_members"),
        _fk("group_id", "user_groups", "user_group_members"),
        _fk("user_id", "users", "user_group_members"),
    )
    _create_permissions()


def _create_permissions() -> None:
    op.create_table(
        "meta_site_permissions",
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("meta_site_id", sa.String(36), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("created_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "meta_site_id", name="pk_meta_site_permissions"),
        _fk("user_id", "users", "meta_site_permissions"),
        _fk("meta_site_id", "meta_sites", "meta_site_permissions"),
    )
    op.create_table(
        "group_permissions",
        sa.Column("group_id", sa.String(36), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("created_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "entity_id", name="pk_group_permissions"),
        _fk("group_id", "user_groups", "group_permissions"),
    )
    op.create_table(
        "module_access",
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("module", sa.String(64), nullable=False),
        sa.Column("access", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "module", name="pk_module_access"),
        _fk("user_id", "users", "module_access"),
    )


def downgrade() -> None:
    """Drop the tables of the platform API."""
    for table in (
        "module_access",
        "group_permissions",
        "meta_site_permissions",
        "user_group_members",
        "user_groups",
        "meta_site_apps",
        "meta_sites",
    ):
        op.drop_table(table)
