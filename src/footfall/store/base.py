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
