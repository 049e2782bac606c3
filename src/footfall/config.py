"""One settings registry: each setting has a name, an env variable, a type, a default and help.

The registry drives validation, `footfall serve --help`, `docs/settings.md` and the test that every
setting is documented. Precedence: command-line flag > environment (`FOOTFALL_*`) > settings file
(`footfall.toml` in the data dir, optional) > default.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Setting:
    """A documented setting."""

    name: str
    type: type
    default: Any
    help: str
    choices: tuple[str, ...] = ()

    @property
    def env(self) -> str:
        return "FOOTFALL_" + self.name.upper()


REGISTRY: tuple[Setting, ...] = (
    Setting(
        "data_dir",
        str,
        "./footfall-data",
        "Directory holding the spool, the DuckDB file, the metadata database and keys.",
    ),
    Setting("host", str, "127.0.0.1", "Address `footfall serve` listens on."),
    Setting("port", int, 8000, "Port `footfall serve` listens on."),
    Setting(
        "events_url",
        str,
        "",
        "Event store: `duckdb:///path/events.duckdb` (default: in the data dir), `clickhouse://user:password@host:8123/database` (a ClickHouse server) or `chdb:///abs/dir` (ClickHouse in-process; `pip install footfall[chdb]`).",
    ),
    Setting(
        "clickhouse_retention",
        str,
        "",
        "Data retention of a ClickHouse event store as TTL rules: `DAYS` for every app, or `DAYS,APP_ID=DAYS,…` with per-app overrides; 0 or empty keeps data forever. Rows older than their app's limit go at the next merge (docs/deploy.md). Refused with DuckDB.",
    ),
    Setting(
        "meta_url",
        str,
        "",
        "Metadata store: `sqlite:///path/meta.sqlite` (default: in the data dir) or `postgresql://…`.",
    ),
    Setting(
        "secret_key",
        str,
        "",
        "Key for fingerprint hashing and cookies; generated into the data dir when empty.",
    ),
    Setting(
        "token_ttl_seconds",
        int,
        1800,
        "Lifetime of the access tokens `/auth/token` issues (its `expires_in`, seconds).",
    ),
    Setting(
        "public_url",
        str,
        "",
        "External base URL of this instance (for printed links and snippets); default http://HOST:PORT.",
    ),
    Setting(
        "spool_durability",
        str,
        "process",
        "`process`: acknowledge after write() (survives kill -9); `fsync`: after fsync, group commit (survives power loss).",
        ("process", "fsync"),
    ),
    Setting(
        "spool_segment_bytes",
        int,
        64 * 1024 * 1024,
        "Size at which the spool starts a new segment file.",
    ),
    Setting(
        "flush_interval_ms",
        int,
        200,
        "Longest time between pipeline flushes to the event store (data is queryable after a flush).",
    ),
    Setting(
        "flush_max_rows", int, 50_000, "Rows that trigger a flush before the interval is over."
    ),
    Setting(
        "pipeline_workers",
        int,
        -1,
        "Worker processes that decode, parse and enrich a backlog (0: none, all in the pipeline thread; -1: one on machines with 4 or more cores, none below: on 2 cores it measured slower).",
    ),
    Setting(
        "pipeline_inline_records",
        int,
        1000,
        "Read batches smaller than this are enriched in the pipeline thread, without the round trip to a worker.",
    ),
    Setting(
        "tracker_debug",
        bool,
        False,
        "Debug mode of the collector: rejected requests answer with the reason in the body (seed 000 'Debugging the Tracker').",
    ),
    Setting(
        "max_body_bytes",
        int,
        8 * 1024 * 1024,
        "Largest tracking request body accepted (bulk included); larger answers 400.",
    ),
    Setting("max_bulk_requests", int, 10_000, "Largest number of requests in one bulk body."),
    Setting(
        "ppms_require_auth",
        bool,
        False,
        "Require authentication for cdt/cip on /ppms.php as on the Matomo endpoints.",
    ),
    Setting(
        "trust_proxy_headers",
        bool,
        False,
        "Take the client IP from X-Forwarded-For / X-Real-IP (only behind a trusted proxy).",
    ),
    Setting(
        "geoip_mmdb",
        str,
        "",
        "Path to a MaxMind GeoIP2/GeoLite2 City .mmdb for city, region and coordinates (country works without it).",
    ),
    Setting("device_cache_size", int, 50_000, "Entries of the user-agent parsing LRU cache."),
    Setting(
        "smtp_url",
        str,
        "",
        "SMTP server for Pirsch email reports: `smtp://user:password@host:587` (STARTTLS when offered) or `smtps://…:465`; empty: reports are stored and previewed, not sent.",
    ),
    Setting("smtp_from", str, "footfall@localhost", "Sender address of email reports."),
    Setting(
        "log_format",
        str,
        "text",
        "Log lines as `text` or one JSON object per line (`json`).",
        ("text", "json"),
    ),
    Setting("log_level", str, "info", "Log level.", ("debug", "info", "warning", "error")),
)

_BY_NAME = {s.name: s for s in REGISTRY}


def _coerce(setting: Setting, raw: Any) -> Any:
    if setting.type is bool:
        if isinstance(raw, bool):
            return raw
        s = str(raw).strip().lower()
        if s in ("1", "true", "yes", "on"):
            return True
        if s in ("0", "false", "no", "off", ""):
            return False
        raise ValueError(f"{setting.env}: expected a boolean, got {raw!r}")
    try:
        value = setting.type(raw)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{setting.env}: expected {setting.type.__name__}, got {raw!r}") from e
    if setting.choices and value not in setting.choices:
        raise ValueError(f"{setting.env}: must be one of {', '.join(setting.choices)}, got {raw!r}")
    return value


@dataclass(frozen=True)
class Settings:
    """Resolved settings. Build with `Settings.load()`."""

    values: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def data_path(self) -> Path:
        return Path(self.values["data_dir"]).expanduser().resolve()

    @property
    def events_dsn(self) -> str:
        return str(self.values["events_url"] or f"duckdb:///{self.data_path / 'events.duckdb'}")

    @property
    def meta_dsn(self) -> str:
        return str(self.values["meta_url"] or f"sqlite:///{self.data_path / 'meta.sqlite'}")

    @property
    def spool_path(self) -> Path:
        return self.data_path / "spool"

    @property
    def base_url(self) -> str:
        return str(
            self.values["public_url"] or f"http://{self.values['host']}:{self.values['port']}"
        ).rstrip("/")

    @classmethod
    def load(
        cls, overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
    ) -> Settings:
        """Resolve every setting; raises ValueError naming the setting on a bad value."""
        env = os.environ if environ is None else environ
        given = {k: v for k, v in (overrides or {}).items() if v is not None}
        values: dict[str, Any] = {}
        for s in REGISTRY:
            if s.name in given:
                values[s.name] = _coerce(s, given[s.name])
            elif s.env in env:
                values[s.name] = _coerce(s, env[s.env])
            else:
                values[s.name] = s.default
        file = Path(values["data_dir"]).expanduser() / "footfall.toml"
        if file.is_file():
            data = tomllib.loads(file.read_text())
            for k, v in data.items():
                known = _BY_NAME.get(k)
                if known is None:
                    raise ValueError(f"{file}: unknown setting {k!r}")
                if k not in given and known.env not in env:
                    values[k] = _coerce(known, v)
        return cls(values)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some values changed (validated)."""
        new = dict(self.values)
        for k, v in changes.items():
            new[k] = _coerce(_BY_NAME[k], v)
        return Settings(new)


def settings_markdown() -> str:
    """The table of docs/settings.md."""
    rows = ["| setting | environment | default | meaning |", "|---|---|---|---|"]
    for s in REGISTRY:
        default = f"`{s.default}`" if s.default != "" else "(empty)"
        extra = f" One of: {', '.join(s.choices)}." if s.choices else ""
        rows.append(f"| `{s.name}` | `{s.env}` | {default} | {s.help}{extra} |")
    return "\n".join(rows) + "\n"
