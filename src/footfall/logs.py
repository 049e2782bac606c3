"""Structured logging: text lines for people, or one JSON object per line for log collectors."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

__all__ = ["JsonFormatter", "TextFormatter", "configure_logging"]

# Attributes every LogRecord has; anything else was passed through `extra=` and is a field.
_STANDARD = frozenset(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


def _extra(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


def _timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg, then the `extra` fields (and exc)."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        line: dict[str, Any] = {
            "ts": _timestamp(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        line.update(_extra(record))
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """`ts level logger: msg key=value …` for reading in a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of text (plus a traceback when there is one)."""
        fields = " ".join(f"{k}={v}" for k, v in _extra(record).items())
        line = f"{_timestamp(record)} {record.levelname.lower():7} {record.name}: {record.getMessage()}"
        if fields:
            line += " " + fields
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class _FootfallHandler(logging.StreamHandler[TextIO]):
    """Marks the handler `configure_logging` installs, so a second call replaces it."""


def configure_logging(
    format: str = "text", level: str = "info", stream: TextIO | None = None
) -> None:
    """Send every log record to stderr (or `stream`) as `text` or `json` at `level` and above."""
    if format not in ("text", "json"):
        raise ValueError(f"log format must be text or json, got {format!r}")
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise ValueError(f"unknown log level {level!r}")
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _FootfallHandler):
            root.removeHandler(handler)
    handler = _FootfallHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if format == "json" else TextFormatter())
    root.addHandler(handler)
    root.setLevel(numeric)
    # Alembic reports every migration step at INFO; that is noise at each start.
    logging.getLogger("alembic").setLevel(max(numeric, logging.WARNING))
