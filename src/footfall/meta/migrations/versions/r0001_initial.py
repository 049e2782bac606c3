"""Initial metadata schema: users, credentials, apps, tracker settings, goals, permissions, audit.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _tz() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create every table of the first schema."""
    op.create_table(
        "users",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("token_auth_hash", sa.String(64), nullable=True),
        sa.Column("language", sa.String(35), nullable=False),
        sa.Column("created_at", _tz(), nullable=False),
        sa.Column("updated_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("email", name="uq_users_email"),
        sa.UniqueConstraint("token_auth_hash", name="uq_users_token_auth_hash"),
    )
    op.create_table(
        "api_credentials",
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("secret_hash", sa.String(255), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("created_at", _tz(), nullable=False),
        sa.Column("revoked_at", _tz(), nullable=True),
        sa.PrimaryKeyConstraint("client_id", name="pk_api_credentials"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_api_credentials_user_id_users",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "apps",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("alias", sa.Integer, nullable=False),
        sa.Column("name", sa.String(90), nullable=False),
        sa.Column("urls", sa.JSON, nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("app_type", sa.String(16), nullable=False),
        sa.Column("attributes", sa.JSON, nullable=False),
        sa.Column("created_at", _tz(), nullable=False),
        sa.Column("updated_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_apps"),
        sa.UniqueConstraint("alias", name="uq_apps_alias"),
    )
    op.create_table(
        "counters",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_counters"),
    )
    op.create_table(
        "tracker_settings",
        sa.Column("scope", sa.String(36), nullable=False),
        sa.Column("attributes", sa.JSON, nullable=False),
        sa.Column("updated_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("scope", name="pk_tracker_settings"),
    )
    _create_goals()
    _create_permissions_and_audit()


def _create_goals() -> None:
    op.create_table(
        "goals",
        sa.Column("app_id", sa.String(36), nullable=False),
        sa.Column("id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("trigger", sa.String(32), nullable=False),
        sa.Column("pattern_type", sa.String(16), nullable=False),
        sa.Column("pattern", sa.Text, nullable=False),
        sa.Column("case_sensitive", sa.Boolean, nullable=False),
        sa.Column("allow_multiple", sa.Boolean, nullable=False),
        sa.Column("revenue", sa.Float, nullable=False),
        sa.Column("created_at", _tz(), nullable=False),
        sa.Column("updated_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("app_id", "id", name="pk_goals"),
        sa.UniqueConstraint("uuid", name="uq_goals_uuid"),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name="fk_goals_app_id_apps", ondelete="CASCADE"
        ),
    )


def _create_permissions_and_audit() -> None:
    op.create_table(
        "permissions",
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("app_id", sa.String(36), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("created_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "app_id", name="pk_permissions"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_permissions_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name="fk_permissions_app_id_apps", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("author_id", sa.String(36), nullable=True),
        sa.Column("author_email", sa.String(254), nullable=True),
        sa.Column("subject_id", sa.String(36), nullable=True),
        sa.Column("ip", sa.String(45), nullable=True),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", _tz(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_type", "audit_log", ["type"])
    op.create_index("ix_audit_log_subject_id", "audit_log", ["subject_id"])
    op.create_index("ix_audit_log_created_at", "audit_log", ["created_at"])


def downgrade() -> None:
    """Drop every table."""
    for table in (
        "audit_log",
        "permissions",
        "goals",
        "tracker_settings",
        "counters",
        "apps",
        "api_credentials",
        "users",
    ):
        op.drop_table(table)
