"""Data retention of a ClickHouse store: the `clickhouse_retention` setting as TTL rules.

The setting reads `DAYS` or `DAYS,APP_ID=DAYS,...`: the first number is the default for every app,
each `APP_ID=DAYS` overrides it for one app, and 0 keeps data forever. ClickHouse drops a row once
`timestamp` (the event time; the session start) is older than its app's limit, when its part is
next merged (`ALTER TABLE ... MATERIALIZE TTL` applies a change to old parts at once).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

_DAYS = re.compile(r"^[0-9]{1,6}$")


@dataclass(frozen=True, slots=True)
class Retention:
    """Days to keep rows: a default and per-app overrides; 0 = forever."""

    default_days: int = 0
    app_days: dict[str, int] = field(default_factory=dict)

    @property
    def keeps_everything(self) -> bool:
        """Whether no rule would ever drop a row."""
        return self.default_days == 0 and not any(self.app_days.values())

    def ttl_rules(self) -> list[str]:
        """TTL ... WHERE rules for the tables (empty: no TTL at all)."""
        if self.keeps_everything:
            return []
        age = "toDateTime(`timestamp`)"
        rules = [
            f"{age} + toIntervalDay({days}) WHERE website_id = toUUID('{app}')"
            for app, days in sorted(self.app_days.items())
            if days
        ]
        if self.default_days:
            listed = ", ".join(f"toUUID('{app}')" for app in sorted(self.app_days))
            where = f" WHERE website_id NOT IN ({listed})" if listed else ""
            rules.append(f"{age} + toIntervalDay({self.default_days}){where}")
        return rules


def parse_retention(spec: str) -> Retention:
    """Parse the setting text; ValueError names the bad part."""
    text = spec.strip()
    if not text:
        return Retention()
    first, *overrides = (part.strip() for part in text.split(","))
    default = _days(first, "the default")
    apps: dict[str, int] = {}
    for part in overrides:
        app, sep, days = part.partition("=")
        if not sep:
            raise ValueError(f"clickhouse_retention: {part!r} is not APP_ID=DAYS")
        try:
            # canonical lowercase text: the only thing interpolated into the TTL clause
            key = str(uuid.UUID(app.strip()))
        except ValueError:
            raise ValueError(f"clickhouse_retention: {app.strip()!r} is not an app id") from None
        if key in apps:
            raise ValueError(f"clickhouse_retention: app {key} is listed twice")
        apps[key] = _days(days.strip(), f"app {key}")
    return Retention(default, apps)


def _days(text: str, what: str) -> int:
    """A whole number of days (0 = forever)."""
    if not _DAYS.match(text):
        raise ValueError(
            f"clickhouse_retention: days for {what} must be a whole number, got {text!r}"
        )
    return int(text)
