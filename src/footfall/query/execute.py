"""Run a compiled query on a store and render its answer (the I/O half of the query model)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from footfall.query.compile import Compiler, OutputColumn
from footfall.query.model import Query
from footfall.query.render import Labels, cells


class Reader(Protocol):
    """What the query model needs of a store: one read-only statement with bound parameters."""

    #: the dialect its SQL is written in (`dialects.by_name`)
    dialect: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of one SELECT."""
        ...


@dataclass(frozen=True, slots=True)
class Result:
    """An answer: its columns, the page of rows asked for, and the total number of rows."""

    columns: tuple[OutputColumn, ...]
    rows: list[list[Any]]
    count: int


def run(reader: Reader, compiler: Compiler, query: Query, labels: Labels) -> Result:
    """Compile, execute and render `query`."""
    compiled = compiler.compile(query)
    if compiled.volume is not None:
        counted = reader.execute(*compiled.volume)
        compiled = compiler.compile(query, int(counted[0][0]))
    rows = reader.execute(compiled.sql, compiled.params)
    if rows:
        count = int(rows[0][-1])
    elif query.offset > 0:
        # the page is past the end: ask once more from the start for the total
        first = compiler.compile(replace(query, offset=0, limit=1))
        head = reader.execute(first.sql, first.params)
        count = int(head[0][-1]) if head else 0
    else:
        count = 0
    return Result(compiled.columns, cells(compiled.columns, rows, labels), count)
