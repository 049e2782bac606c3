"""LogEntry: one access-log line in named fields, whatever format it was written in."""

from __future__ import annotations

__all__ = ["LogEntry"]


class LogEntry:
    """The fields of one request a web server logged (strings as written; "" when absent).

    `time` is unix seconds (UTC) once the format has read the date; `generation_ms` is the server
    time in milliseconds (0 when unknown). `query` is the query string without the `?` (the path
    holds none).
    """

    __slots__ = (
        "event_action",
        "event_category",
        "event_name",
        "generation_ms",
        "host",
        "ip",
        "length",
        "method",
        "path",
        "query",
        "referrer",
        "status",
        "time",
        "user_agent",
        "userid",
    )

    def __init__(
        self,
        ip: str,
        host: str,
        userid: str,
        time: float | None,
        method: str,
        path: str,
        query: str,
        status: str,
        length: str,
        referrer: str,
        user_agent: str,
        generation_ms: float = 0.0,
    ) -> None:
        self.ip = ip
        self.host = host
        self.userid = userid
        self.time = time
        self.method = method
        self.path = path
        self.query = query
        self.status = status
        self.length = length
        self.referrer = referrer
        self.user_agent = user_agent
        self.generation_ms = generation_ms
        self.event_category = ""
        self.event_action = ""
        self.event_name = ""

    def __repr__(self) -> str:
        return f"LogEntry({self.ip!r}, {self.method!r}, {self.path!r}, {self.status!r})"
