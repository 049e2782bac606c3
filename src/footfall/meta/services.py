"""The metadata services: create/update rules shared by the CLI, the APIs and the dashboard.

Every function takes the `MetaStore` first. Bad input raises `ValidationError(field, message)`,
a missing object `NotFound`, a uniqueness clash `Conflict`. Changes are written to the audit log
in the same transaction; pass an `Actor` to name who made them (default: the CLI).
"""

from __future__ import annotations

from footfall.meta.accounts import (
    LEVELS,
    ROLES,
    Credential,
    NewCredential,
    NewUser,
    User,
    change_password,
    create_credential,
    create_user,
    credential_secret_hash,
    delete_user,
    find_user,
    get_credential,
    get_user,
    list_credentials,
    list_users,
    page_users,
    permission_level,
    revoke_credential,
    set_password,
    set_permission,
    update_user,
    user_for_token_auth,
    verify_password,
)
from footfall.meta.apps import (
    App,
    create_app,
    delete_app,
    find_app,
    find_app_by_url,
    get_app,
    list_apps,
    page_apps,
    update_app,
)
from footfall.meta.audit import Actor, AuditEntry, list_entries
from footfall.meta.bootstrap import OWNER_EMAIL, Bootstrap, first_run_bootstrap, init_owner
from footfall.meta.errors import Conflict, MetaError, NotFound, Refused, ValidationError
from footfall.meta.goals import create_goal, list_goals
from footfall.meta.tracker import (
    GLOBAL,
    effective_settings,
    get_tracker_settings,
    reset_tracker_setting,
    set_tracker_settings,
)

__all__ = [
    "GLOBAL",
    "LEVELS",
    "OWNER_EMAIL",
    "ROLES",
    "Actor",
    "App",
    "AuditEntry",
    "Bootstrap",
    "Conflict",
    "Credential",
    "MetaError",
    "NewCredential",
    "NewUser",
    "NotFound",
    "Refused",
    "User",
    "ValidationError",
    "change_password",
    "create_app",
    "create_credential",
    "create_goal",
    "create_user",
    "credential_secret_hash",
    "delete_app",
    "delete_user",
    "effective_settings",
    "find_app",
    "find_app_by_url",
    "find_user",
    "first_run_bootstrap",
    "get_app",
    "get_credential",
    "get_tracker_settings",
    "get_user",
    "init_owner",
    "list_apps",
    "list_audit_entries",
    "list_credentials",
    "list_goals",
    "list_users",
    "page_apps",
    "page_users",
    "permission_level",
    "reset_tracker_setting",
    "revoke_credential",
    "set_password",
    "set_permission",
    "set_tracker_settings",
    "update_app",
    "update_user",
    "user_for_token_auth",
    "verify_password",
]

list_audit_entries = list_entries
