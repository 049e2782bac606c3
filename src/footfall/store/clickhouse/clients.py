"""clickhouse-connect clients for a store URL: a ClickHouse server over HTTP, or chDB in-process.

Both kinds are the same `clickhouse_connect` `Client` API (its chDB backend runs the engine inside
this process), so `ClickHouseStore` has one code path and the test suite, which runs on chDB,
exercises the calls a server deployment makes; only the HTTP transport itself goes untested here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from footfall.store.clickhouse.schema import identifier

#: settings of every session of the store: NULL in a non-nullable column takes its DEFAULT
#: (what a missing key means, `model.columns`); lightweight deletes finish before returning; and
#: no "implicit SELECT" (chDB's default, which would read `DELETE FROM t` as a SELECT of `DELETE`)
SESSION_SETTINGS: dict[str, Any] = {
    "insert_null_as_default": 1,
    "lightweight_deletes_sync": 2,
    "implicit_select": 0,
}
#: the reader refuses anything that writes (settings may still be changed by a query)
READONLY: dict[str, Any] = {"readonly": 2}


@dataclass(frozen=True, slots=True)
class Target:
    """Where a store lives: a server (host, port, credentials, database) or a chDB directory."""

    kind: str  #: "http" or "chdb"
    database: str
    host: str = ""
    port: int = 8123
    username: str = "default"
    password: str = ""
    path: str = ""

    @property
    def label(self) -> str:
        """The URL without credentials, for logs and errors."""
        if self.kind == "chdb":
            return f"chdb://{self.path}"
        return f"clickhouse://{self.host}:{self.port}/{self.database}"


def parse_url(dsn: str) -> Target:
    """`clickhouse://user:pass@host:8123/db` or `chdb:///abs/dir` as a Target (ValueError if bad)."""
    parts = urlsplit(dsn)
    if parts.scheme == "chdb":
        if parts.netloc or not parts.path.startswith("/") or parts.path == "/":
            raise ValueError(f"a chDB event store URL is chdb:///<absolute directory>, got {dsn!r}")
        return Target("chdb", "default", path=parts.path)
    if parts.scheme != "clickhouse":
        raise ValueError(f"not a ClickHouse URL: {dsn!r}")
    if not parts.hostname:
        raise ValueError(f"no host in {dsn!r} (clickhouse://user:pass@host:8123/database)")
    database = identifier(parts.path.strip("/") or "default")
    return Target(
        "http",
        database,
        host=parts.hostname,
        port=parts.port or 8123,
        username=unquote(parts.username or "default"),
        password=unquote(parts.password or ""),
    )


def connect(target: Target, *, readonly: bool = False) -> Any:
    """A clickhouse-connect Client on `target` (the database is created first if missing)."""
    import clickhouse_connect  # imported here: `footfall.store` loads without the driver

    settings = {**SESSION_SETTINGS, **(READONLY if readonly else {})}
    if target.kind == "chdb":
        # why chdb_options for readonly: the chDB backend applies per-query settings to its one
        # engine session, so a readonly query would leave the writer read-only too; options make
        # a connection of its own
        options = {k: str(v) for k, v in settings.items()}
        return clickhouse_connect.get_client(
            interface="chdb", path=target.path, chdb_options=options
        )
    common: dict[str, Any] = {
        "host": target.host,
        "port": target.port,
        "username": target.username,
        "password": target.password,
        # why: one client serves concurrent readers; a shared session id would make the server
        # refuse the second query while the first runs ("session is locked")
        "autogenerate_session_id": False,
    }
    if not readonly and target.database != "default":
        bootstrap = clickhouse_connect.get_client(**common)
        try:
            bootstrap.command(f"CREATE DATABASE IF NOT EXISTS {target.database}")
        finally:
            bootstrap.close()
    return clickhouse_connect.get_client(database=target.database, settings=settings, **common)
