"""MetaDirectory: the AppDirectory of a running server, read from the metadata store.

Answers come from a small cache that lives at most `ttl` seconds (default 1 s), so an app created
or a setting changed through the CLI or the API (even in another process) is seen within a second,
while the collector's hot path rarely touches the database. Thread-safe.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa

from footfall.meta.schema import apps
from footfall.meta.store import MetaStore
from footfall.meta.tracker import effective_settings
from footfall.model.settings import AppSettings

__all__ = ["MetaDirectory", "host_of"]


def host_of(value: str) -> str:
    """The lower-case host of a bare host or URL, without `www.` and port ("" when none)."""
    text = value.strip()
    try:
        host = urlsplit(text if "//" in text else "//" + text).hostname or ""
    except ValueError:
        return ""
    return host.lower().rstrip(".").removeprefix("www.")


@dataclass(frozen=True, slots=True)
class _Index:
    """Every app's id, alias and hosts, read at once."""

    loaded_at: float
    by_id: frozenset[str]
    by_alias: dict[int, str]
    hosts: tuple[tuple[str, str], ...]  # (host, app id) in alias order: first match wins


class MetaDirectory:
    """AppDirectory over a MetaStore with a short TTL cache (≤ 1 s by default)."""

    def __init__(
        self, meta: MetaStore, ttl: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._meta = meta
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._index: _Index | None = None
        self._settings: dict[str, tuple[float, AppSettings | None]] = {}

    def _load_index(self) -> _Index:
        with self._meta.connect() as conn:
            rows = conn.execute(
                sa.select(apps.c.id, apps.c.alias, apps.c.urls).order_by(apps.c.alias)
            )
            triples = [(r[0], int(r[1]), list(r[2])) for r in rows]
        hosts = tuple((h, i) for i, _, urls in triples for h in map(host_of, urls) if h)
        return _Index(
            loaded_at=self._clock(),
            by_id=frozenset(i for i, _, _ in triples),
            by_alias={a: i for i, a, _ in triples},
            hosts=hosts,
        )

    def _current_index(self) -> _Index:
        with self._lock:
            index = self._index
        if index is not None and self._clock() - index.loaded_at < self._ttl:
            return index
        index = self._load_index()
        with self._lock:
            self._index = index
        return index

    def resolve(self, idsite: str) -> str | None:
        """The app UUID for an `idsite` given as UUID or integer alias; None when unknown."""
        text = idsite.strip().lower()
        index = self._current_index()
        if text.isdigit():
            return index.by_alias.get(int(text))
        return text if text in index.by_id else None

    def settings(self, website_id: str) -> AppSettings | None:
        """The effective settings of an app (app → global → default); None when unknown."""
        now = self._clock()
        with self._lock:
            cached = self._settings.get(website_id)
        if cached is not None and now - cached[0] < self._ttl:
            return cached[1]
        value = effective_settings(self._meta, website_id)
        with self._lock:
            if len(self._settings) > 10_000:  # unknown ids must not grow the cache forever
                self._settings.clear()
            self._settings[website_id] = (self._clock(), value)
        return value

    def app_for_host(self, host: str) -> str | None:
        """The UUID of the first app (by alias) whose urls match `host` (bare host or URL)."""
        wanted = host_of(host)
        if not wanted:
            return None
        for candidate, app_id in self._current_index().hosts:
            if candidate == wanted:
                return app_id
        return None

    def invalidate(self) -> None:
        """Forget every cached answer (after a change made in this process)."""
        with self._lock:
            self._index = None
            self._settings.clear()
