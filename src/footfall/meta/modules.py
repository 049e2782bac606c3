"""Modules (api-notes §8.2): the product parts a user may use; every module is on unless denied."""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa

from footfall.meta.accounts import get_user
from footfall.meta.audit import Actor, record
from footfall.meta.errors import NotFound
from footfall.meta.schema import module_access
from footfall.meta.store import MetaStore

__all__ = ["MODULES", "module_access_of", "set_module_access"]

MODULES = (
    "analytics",
    "consent_manager",
    "customer_data_platform",
    "tag_manager",
    "administration",
)


def module_access_of(meta: MetaStore, user_id: str) -> dict[str, bool]:
    """Whether the user may use each module (default: yes)."""
    get_user(meta, user_id)
    with meta.connect() as conn:
        rows = conn.execute(
            sa.select(module_access.c.module, module_access.c.access).where(
                module_access.c.user_id == user_id
            )
        ).all()
    denied = {str(m): bool(a) for m, a in rows}
    return {m: denied.get(m, True) for m in MODULES}


def set_module_access(
    meta: MetaStore, user_id: str, access: Mapping[str, bool], actor: Actor | None = None
) -> None:
    """Allow or deny modules to a user (modules not named keep their access)."""
    user = get_user(meta, user_id)
    for module in access:
        if module not in MODULES:
            raise NotFound(f"Module {module} does not exist")
    with meta.begin() as conn:
        for module, allowed in access.items():
            conn.execute(
                module_access.delete().where(
                    module_access.c.user_id == user.id, module_access.c.module == module
                )
            )
            conn.execute(
                module_access.insert().values(user_id=user.id, module=module, access=allowed)
            )
        record(conn, "user.changed.modules", user.id, {"modules": dict(access)}, actor)
