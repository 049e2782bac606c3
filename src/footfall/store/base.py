"""EventStore: the interface every event-store backend implements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class VisitorHistory:
    """What the store knows of a visitor before now (DATA-MODEL §1.1 "visitor cache")."""

    sessions: int  #: number of earlier sessions
    first_seen: float | None  #: unix s of the first session start
    last_seen: float | None  #: unix s of the last session start
    last_order: float | None  #: unix s of the last order (type 9)


class EventStore(Protocol):
    """Stores rows of `events` and `sessions` and answers SQL built by the query compiler."""

    #: the name of the query compiler's dialect that writes this store's SQL
    dialect: str

    def migrate(self) -> None:
        """Create or upgrade the schema (idempotent)."""
        ...

    def write(
        self, events: Sequence[dict[str, Any]], sessions: Sequence[dict[str, Any]], checkpoint: int
    ) -> None:
        """In one transaction: append `events`, upsert `sessions` by (website_id, session_id), keeping
        the row with the highest `session_version`, and record `checkpoint` (the last spool seq the
        rows account for). Missing keys take the column default (`model.columns`)."""
        ...

    def checkpoint(self) -> int:
        """The last spool seq whose rows are committed (0 for an empty store)."""
        ...

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read-only statement with bound parameters; thread-safe. Input the engine refuses
        (a bad regular expression, a value out of range) raises ValueError."""
        ...

    def recent_sessions(self, since: float) -> list[dict[str, Any]]:
        """Session rows whose last_event_time >= since (unix s): to restore open sessions on start."""
        ...

    def session_events(self, website_id: str, session_id: int) -> list[dict[str, Any]]:
        """All event rows of one session ordered by event_index (restoring open sessions)."""
        ...

    def visitor_history(
        self, website_id: str, visitor_id: int, before: float
    ) -> VisitorHistory | None:
        """Aggregate of the visitor's sessions starting before `before`; None when never seen."""
        ...

    def visitor_histories(
        self, website_id: str, keys: Sequence[tuple[int, float]]
    ) -> dict[int, VisitorHistory]:
        """visitor_history for many (visitor_id, before) pairs of one website, in one round trip;
        visitors never seen are absent from the result."""
        ...

    def close(self) -> None:
        """Release files and connections."""
        ...


def latest_versions(sessions: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (website_id, session_id): the highest session_version, the later row on ties.

    Every backend writes only these: DuckDB refuses to touch one key twice in a statement, and
    ClickHouse's ReplacingMergeTree would pick the survivor of two equal versions in one insert
    block by its own order, so both keep the rule "an equal version replaces" here.
    """
    latest: dict[tuple[Any, Any], dict[str, Any]] = {}
    for row in sessions:
        key = (row.get("website_id"), row.get("session_id", 0))
        kept = latest.get(key)
        if kept is None or row.get("session_version", 0) >= kept.get("session_version", 0):
            latest[key] = row
    return list(latest.values())
