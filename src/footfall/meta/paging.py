"""Pages of a list: offset, limit, one sort key and a search term (api-notes §0.4)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

__all__ = ["Page", "fetch_page"]


@dataclass(frozen=True, slots=True)
class Page:
    """Which slice of a list to return: `sort` is a key name, `-name` for descending."""

    offset: int = 0
    limit: int = 10
    sort: str = ""
    search: str = ""


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fetch_page(
    conn: Connection,
    query: sa.Select[Any],
    page: Page,
    *,
    sort_columns: Mapping[str, sa.ColumnElement[Any]],
    search_columns: Sequence[sa.ColumnElement[Any]] = (),
    tie_breaker: sa.ColumnElement[Any] | None = None,
) -> tuple[int, list[RowMapping]]:
    """The total count of matching rows and the rows of the page.

    `search` matches any of `search_columns` case-insensitively as a substring (a bound LIKE
    pattern with its wildcards escaped); an unknown sort key is the caller's job to refuse."""
    if page.search and search_columns:
        pattern = f"%{_escape_like(page.search.lower())}%"
        query = query.where(
            sa.or_(*(sa.func.lower(c).like(pattern, escape="\\") for c in search_columns))
        )
    total = conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    if page.sort:
        column = sort_columns[page.sort.removeprefix("-")]
        query = query.order_by(column.desc() if page.sort.startswith("-") else column.asc())
    if tie_breaker is not None:
        query = query.order_by(tie_breaker)
    rows = conn.execute(query.offset(page.offset).limit(page.limit)).mappings().all()
    return int(total), list(rows)
