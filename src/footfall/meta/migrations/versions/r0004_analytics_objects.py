"""Analytics objects (api-notes §2): goal descriptions, custom dimensions, product custom
dimensions and user annotations.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
# why: another branch adds 0003 in parallel; the merge re-chains this one after it
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def _times() -> list[sa.Column[Any]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _app(owner: str) -> list[Any]:
    return [
        sa.Column("app_id", sa.String(36), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name=f"fk_{owner}_app_id_apps", ondelete="CASCADE"
        ),
    ]


def upgrade() -> None:
    """Add the goal description and the tables of the analytics objects."""
    with op.batch_alter_table("goals") as batch:
        batch.add_column(sa.Column("description", sa.Text, nullable=False, server_default=""))
    op.create_table(
        "custom_dimensions",
        sa.Column("id", sa.String(36), nullable=False),
        *_app("custom_dimensions"),
        sa.Column("tracking_id", sa.Integer, nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("slot", sa.Integer, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("description", sa.String(300), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("case_sensitive", sa.Boolean, nullable=False),
        sa.Column("extractions", sa.JSON, nullable=False),
        *_times(),
        sa.PrimaryKeyConstraint("id", name="pk_custom_dimensions"),
        sa.UniqueConstraint("app_id", "tracking_id", name="uq_custom_dimensions_tracking_id"),
        sa.UniqueConstraint("app_id", "scope", "slot", name="uq_custom_dimensions_slot"),
    )
    op.create_table(
        "product_custom_dimensions",
        sa.Column("id", sa.String(36), nullable=False),
        *_app("product_custom_dimensions"),
        sa.Column("slot", sa.Integer, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        *_times(),
        sa.PrimaryKeyConstraint("id", name="pk_product_custom_dimensions"),
        sa.UniqueConstraint("app_id", "slot", name="uq_product_custom_dimensions_slot"),
    )
    op.create_table(
        "user_annotations",
        sa.Column("id", sa.String(36), nullable=False),
        *_app("user_annotations"),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("content", sa.String(150), nullable=False),
        sa.Column("visibility", sa.String(16), nullable=False),
        sa.Column("author_id", sa.String(36), nullable=True),
        sa.Column("author_email", sa.String(254), nullable=True),
        *_times(),
        sa.PrimaryKeyConstraint("id", name="pk_user_annotations"),
    )
    op.create_index("ix_user_annotations_app_id_date", "user_annotations", ["app_id", "date"])


def downgrade() -> None:
    """Drop the analytics object tables and the goal description."""
    op.drop_index("ix_user_annotations_app_id_date", "user_annotations")
    for table in ("user_annotations", "product_custom_dimensions", "custom_dimensions"):
        op.drop_table(table)
    with op.batch_alter_table("goals") as batch:
        batch.drop_column("description")
