"""Pirsch API: clients with scopes and a domain binding, access keys, domain attributes, links,
alternative domains, email reports, conversion goals and funnels.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def _tz() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the Pirsch tables."""
    op.create_table(
        "pirsch_clients",
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("app_id", sa.String(36), nullable=True),
        sa.Column("description", sa.String(255), nullable=False),
        sa.Column("scopes", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("client_id", name="pk_pirsch_clients"),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["api_credentials.client_id"],
            name="fk_pirsch_clients_client_id_api_credentials",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name="fk_pirsch_clients_app_id_apps", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "pirsch_access_keys",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("lookup", sa.String(12), nullable=False),
        sa.Column("key_hash", sa.String(255), nullable=False),
        sa.Column("app_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("description", sa.String(255), nullable=False),
        sa.Column("created_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_pirsch_access_keys"),
        sa.UniqueConstraint("lookup", name="uq_pirsch_access_keys_lookup"),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name="fk_pirsch_access_keys_app_id_apps", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_pirsch_access_keys_user_id_users",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "pirsch_domains",
        sa.Column("app_id", sa.String(36), nullable=False),
        sa.Column("subdomain", sa.String(63), nullable=False),
        sa.Column("identification_code", sa.String(32), nullable=False),
        sa.Column("public", sa.Boolean, nullable=False),
        sa.Column("group_by_title", sa.Boolean, nullable=False),
        sa.Column("honour_dnt", sa.Boolean, nullable=False),
        sa.Column("created_at", _tz(), nullable=False),
        sa.Column("updated_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("app_id", name="pk_pirsch_domains"),
        sa.UniqueConstraint("identification_code", name="uq_pirsch_domains_identification_code"),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name="fk_pirsch_domains_app_id_apps", ondelete="CASCADE"
        ),
    )
    _resources()


def _resource(name: str, *columns: sa.schema.SchemaItem) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("app_id", sa.String(36), nullable=False),
        *columns,
        sa.Column("created_at", _tz(), nullable=False),
        sa.Column("updated_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name=f"fk_{name}_app_id_apps", ondelete="CASCADE"
        ),
    )
    op.create_index(f"ix_{name}_app_id", name, ["app_id"])


def _resources() -> None:
    _resource(
        "pirsch_links",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("description", sa.String(255), nullable=False),
        sa.Column("valid_until", _tz(), nullable=True),
        sa.UniqueConstraint("code", name="uq_pirsch_links_code"),
    )
    _resource("pirsch_alternative_domains", sa.Column("hostname", sa.String(253), nullable=False))
    _resource(
        "pirsch_reports",
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("interval", sa.Integer, nullable=False),
        sa.Column("next_report", _tz(), nullable=False),
    )
    _resource(
        "pirsch_goals",
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("path_pattern", sa.String(2000), nullable=False),
        sa.Column("pattern", sa.String(4000), nullable=False),
        sa.Column("visitor_goal", sa.Integer, nullable=True),
        sa.Column("cr_goal", sa.Float, nullable=True),
        sa.Column("delete_reached", sa.Boolean, nullable=False),
        sa.Column("email_reached", sa.Boolean, nullable=False),
    )
    _resource(
        "pirsch_funnels",
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("steps", sa.JSON, nullable=False),
    )


_RESOURCES = (
    "pirsch_funnels",
    "pirsch_goals",
    "pirsch_reports",
    "pirsch_alternative_domains",
    "pirsch_links",
)


def downgrade() -> None:
    """Drop the Pirsch tables."""
    for name in _RESOURCES:
        op.drop_table(name)
    op.drop_table("pirsch_domains")
    op.drop_table("pirsch_access_keys")
    op.drop_table("pirsch_clients")
