"""What the Pirsch routes share: the stores, the signing keys and the spool."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from footfall.auth.tokens import KeyRing
from footfall.collect.http import SpoolWriter
from footfall.meta.store import MetaStore
from footfall.query.execute import Reader

__all__ = ["PirschContext"]


def _nothing() -> None:
    """The default change hook."""


@dataclass(frozen=True)
class PirschContext:
    """The server's parts the Pirsch family uses. `on_change` runs after a domain is created,
    changed or deleted (the collector's app directory caches apps)."""

    meta: MetaStore
    keys: KeyRing
    spool: SpoolWriter
    store: Reader
    on_change: Callable[[], None] = field(default=_nothing)
