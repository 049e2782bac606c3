"""The metadata tables as SQLAlchemy Core objects: the current shape, for queries.

Migrations under `meta/migrations/versions/` build the same shape step by step; a test compares
the two. Types are portable: UUIDs are 36-character strings, JSON columns use `sa.JSON` (JSON on
PostgreSQL, TEXT on SQLite), times are UTC `DateTime(timezone=True)`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _times() -> list[sa.Column[Any]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("email", sa.String(254), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=True),
    sa.Column("token_auth_hash", sa.String(64), nullable=True, unique=True),
    sa.Column("language", sa.String(35), nullable=False),
    *_times(),
)

api_credentials = sa.Table(
    "api_credentials",
    metadata,
    sa.Column("client_id", sa.String(32), primary_key=True),
    sa.Column("secret_hash", sa.String(255), nullable=False),
    sa.Column(
        "user_id", sa.String(36), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
)

apps = sa.Table(
    "apps",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("alias", sa.Integer, nullable=False, unique=True),
    sa.Column("name", sa.String(90), nullable=False),
    sa.Column("urls", sa.JSON, nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("app_type", sa.String(16), nullable=False),
    sa.Column("attributes", sa.JSON, nullable=False),
    *_times(),
)

# Named counters that only grow (app aliases are never reused, as Matomo idsites).
counters = sa.Table(
    "counters",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Integer, nullable=False),
)

tracker_settings = sa.Table(
    "tracker_settings",
    metadata,
    sa.Column("scope", sa.String(36), primary_key=True),  # "global" or an app id
    sa.Column("attributes", sa.JSON, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

goals = sa.Table(
    "goals",
    metadata,
    sa.Column(
        "app_id", sa.String(36), sa.ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("uuid", sa.String(36), nullable=False, unique=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("trigger", sa.String(32), nullable=False),
    sa.Column("pattern_type", sa.String(16), nullable=False),
    sa.Column("pattern", sa.Text, nullable=False),
    sa.Column("case_sensitive", sa.Boolean, nullable=False),
    sa.Column("allow_multiple", sa.Boolean, nullable=False),
    sa.Column("revenue", sa.Float, nullable=False),
    *_times(),
    sa.Column("description", sa.Text, nullable=False, server_default=""),  # r0004
)

permissions = sa.Table(
    "permissions",
    metadata,
    sa.Column(
        "user_id", sa.String(36), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "app_id", sa.String(36), sa.ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("level", sa.String(16), nullable=False),  # view|edit|edit-publish|manage
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("type", sa.String(64), nullable=False, index=True),  # e.g. app.added
    sa.Column("author_id", sa.String(36), nullable=True),
    sa.Column("author_email", sa.String(254), nullable=True),
    sa.Column("subject_id", sa.String(36), nullable=True, index=True),
    sa.Column("ip", sa.String(45), nullable=True),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
)

# -- r0002: meta sites, user groups, group and meta-site permissions, module access ---------------

meta_sites = sa.Table(
    "meta_sites",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("name", sa.String(191), nullable=False, unique=True),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("e_commerce_tracking", sa.Boolean, nullable=False),
    sa.Column("sharepoint_integration", sa.Boolean, nullable=False),
    *_times(),
)

meta_site_apps = sa.Table(
    "meta_site_apps",
    metadata,
    sa.Column(
        "meta_site_id",
        sa.String(36),
        sa.ForeignKey("meta_sites.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "app_id", sa.String(36), sa.ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True
    ),
)

user_groups = sa.Table(
    "user_groups",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("name", sa.String(191), nullable=False),
    sa.Column("external_id", sa.String(191), nullable=True),
    *_times(),
)

user_group_members = sa.Table(
    "user_group_members",
    metadata,
    sa.Column(
        "group_id",
        sa.String(36),
        sa.ForeignKey("user_groups.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "user_id", sa.String(36), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    ),
)

# A user's level on a meta site (apps keep theirs in `permissions`).
meta_site_permissions = sa.Table(
    "meta_site_permissions",
    metadata,
    sa.Column(
        "user_id", sa.String(36), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "meta_site_id",
        sa.String(36),
        sa.ForeignKey("meta_sites.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("level", sa.String(16), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# A group's level on an app or a meta site (`entity_id`; both are UUIDs, never equal). No foreign
# key on the entity: deleting an app or a meta site deletes its rows here in the same transaction.
group_permissions = sa.Table(
    "group_permissions",
    metadata,
    sa.Column(
        "group_id",
        sa.String(36),
        sa.ForeignKey("user_groups.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("entity_id", sa.String(36), primary_key=True),
    sa.Column("level", sa.String(16), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# Modules a user may not use (api-notes §8.2); a module without a row is accessible.
module_access = sa.Table(
    "module_access",
    metadata,
    sa.Column(
        "user_id", sa.String(36), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("module", sa.String(64), primary_key=True),
    sa.Column("access", sa.Boolean, nullable=False),
)

# -- r0004: analytics objects (api-notes §2): custom dimensions, product ones, user annotations ---

# `tracking_id` is the N of `dimensionN`, numbered per app across both scopes; `slot` is the
# column (`session_custom_dimension_<slot>` or `event_custom_dimension_<slot>`), per scope.
custom_dimensions = sa.Table(
    "custom_dimensions",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column(
        "app_id", sa.String(36), sa.ForeignKey("apps.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("tracking_id", sa.Integer, nullable=False),
    sa.Column("scope", sa.String(16), nullable=False),  # session|event
    sa.Column("slot", sa.Integer, nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("description", sa.String(300), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("case_sensitive", sa.Boolean, nullable=False),
    sa.Column("extractions", sa.JSON, nullable=False),
    *_times(),
    sa.UniqueConstraint("app_id", "tracking_id", name="uq_custom_dimensions_tracking_id"),
    sa.UniqueConstraint("app_id", "scope", "slot", name="uq_custom_dimensions_slot"),
)

product_custom_dimensions = sa.Table(
    "product_custom_dimensions",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column(
        "app_id", sa.String(36), sa.ForeignKey("apps.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("slot", sa.Integer, nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    *_times(),
    sa.UniqueConstraint("app_id", "slot", name="uq_product_custom_dimensions_slot"),
)

user_annotations = sa.Table(
    "user_annotations",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column(
        "app_id", sa.String(36), sa.ForeignKey("apps.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("content", sa.String(150), nullable=False),
    sa.Column("visibility", sa.String(16), nullable=False),  # private|public
    sa.Column("author_id", sa.String(36), nullable=True),  # None: made by the CLI
    sa.Column("author_email", sa.String(254), nullable=True),
    *_times(),
    sa.Index("ix_user_annotations_app_id_date", "app_id", "date"),
)

# Pirsch API (api-notes pirsch.md §2, §7). A credential with a row here is a Pirsch client with
# its own scopes, bound to one app (a "domain client") or to its user (`app_id` NULL); a
# credential without a row acts with every scope its user's permissions allow.
pirsch_clients = sa.Table(
    "pirsch_clients",
    metadata,
    sa.Column(
        "client_id",
        sa.String(32),
        sa.ForeignKey("api_credentials.client_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("app_id", sa.String(36), sa.ForeignKey("apps.id", ondelete="CASCADE"), nullable=True),
    sa.Column("description", sa.String(255), nullable=False),
    sa.Column("scopes", sa.JSON, nullable=False),  # {"hit": "w", "statistics": "r", ...}
)

# Single access keys `pa_…` (write-only, one app). `lookup` is the key's first 12 characters
# after `pa_` (an index, not a secret on its own); the whole key is stored as argon2.
pirsch_access_keys = sa.Table(
    "pirsch_access_keys",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("lookup", sa.String(12), nullable=False, unique=True),
    sa.Column("key_hash", sa.String(255), nullable=False),
    sa.Column(
        "app_id", sa.String(36), sa.ForeignKey("apps.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column(
        "user_id", sa.String(36), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("description", sa.String(255), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# Pirsch domain attributes of an app; an app without a row has the defaults.
pirsch_domains = sa.Table(
    "pirsch_domains",
    metadata,
    sa.Column(
        "app_id", sa.String(36), sa.ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("subdomain", sa.String(63), nullable=False),
    sa.Column("identification_code", sa.String(32), nullable=False, unique=True),
    sa.Column("public", sa.Boolean, nullable=False),
    sa.Column("group_by_title", sa.Boolean, nullable=False),
    sa.Column("honour_dnt", sa.Boolean, nullable=False),
    *_times(),
)


def _pirsch_resource(name: str, *columns: sa.Column[Any]) -> sa.Table:
    """A Pirsch management object of one app: short id, app, its columns, times."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "app_id",
            sa.String(36),
            sa.ForeignKey("apps.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        *columns,
        *_times(),
    )


# read-only dashboard links (`code` opens the domain's statistics without an account)
pirsch_links = _pirsch_resource(
    "pirsch_links",
    sa.Column("code", sa.String(32), nullable=False, unique=True),
    sa.Column("description", sa.String(255), nullable=False),
    sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
)
# further hostnames a user client's hits are matched against
pirsch_alternative_domains = _pirsch_resource(
    "pirsch_alternative_domains",
    sa.Column("hostname", sa.String(253), nullable=False),
)
# email reports: one row per recipient, sent every `interval` weeks (0: daily)
pirsch_reports = _pirsch_resource(
    "pirsch_reports",
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("interval", sa.Integer, nullable=False),
    sa.Column("next_report", sa.DateTime(timezone=True), nullable=False),
)
# conversion goals: `path_pattern` as the user wrote it, `pattern` the regex made from it
pirsch_goals = _pirsch_resource(
    "pirsch_goals",
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("path_pattern", sa.String(2000), nullable=False),
    sa.Column("pattern", sa.String(4000), nullable=False),
    sa.Column("visitor_goal", sa.Integer, nullable=True),
    sa.Column("cr_goal", sa.Float, nullable=True),
    sa.Column("delete_reached", sa.Boolean, nullable=False),
    sa.Column("email_reached", sa.Boolean, nullable=False),
)
# funnels: ordered steps, each a name and a statistics filter (query-string keys → values)
pirsch_funnels = _pirsch_resource(
    "pirsch_funnels",
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("steps", sa.JSON, nullable=False),
)

# Invitation links (r0005): one-time links to set a dashboard password. `id` is the public half of
# the link, the secret half is stored as argon2 only; a link is spent (`used_at`) or expires.
invitations = sa.Table(
    "invitations",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("secret_hash", sa.String(255), nullable=False),
    sa.Column(
        "user_id",
        sa.String(36),
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
)
