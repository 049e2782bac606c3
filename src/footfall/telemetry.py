"""Counters, gauges and timings exposed at GET /metrics (Prometheus text format) and by `status`.

A leaf module with no dependencies, so every layer can count without importing the web stack.
Thread-safe enough for CPython: increments of a dict entry under one lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

_lock = threading.Lock()
_counters: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
_gauges: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
_help: dict[str, str] = {}


def describe(name: str, help_text: str) -> None:
    """Register the HELP line of a metric."""
    _help[name] = help_text


def inc(name: str, value: float = 1.0, **labels: str) -> None:
    """Add `value` to a counter."""
    key = (name, tuple(sorted(labels.items())))
    with _lock:
        _counters[key] = _counters.get(key, 0.0) + value


def set_gauge(name: str, value: float, **labels: str) -> None:
    """Set a gauge."""
    key = (name, tuple(sorted(labels.items())))
    with _lock:
        _gauges[key] = value


def value(name: str, **labels: str) -> float:
    """Current value of a counter or gauge (0 when never set)."""
    key = (name, tuple(sorted(labels.items())))
    with _lock:
        return _counters.get(key, _gauges.get(key, 0.0))


def snapshot() -> dict[str, dict[str, float]]:
    """All metrics as {name: {label-string: value}}, for `footfall status` and tests."""
    out: dict[str, dict[str, float]] = {}
    with _lock:
        items = list(_counters.items()) + list(_gauges.items())
    for (name, labels), v in items:
        out.setdefault(name, {})[",".join(f"{k}={x}" for k, x in labels)] = v
    return out


def reset() -> None:
    """Forget every value (tests)."""
    with _lock:
        _counters.clear()
        _gauges.clear()


def _render(
    kind: str, items: Iterable[tuple[tuple[str, tuple[tuple[str, str], ...]], float]]
) -> list[str]:
    lines: list[str] = []
    seen: set[str] = set()
    for (name, labels), v in sorted(items):
        if name not in seen:
            seen.add(name)
            if name in _help:
                lines.append(f"# HELP {name} {_help[name]}")
            lines.append(f"# TYPE {name} {kind}")
        lab = ",".join(f'{k}="{_escape(x)}"' for k, x in labels)
        num = repr(float(v)) if v != int(v) else str(int(v))
        lines.append(f"{name}{{{lab}}} {num}" if lab else f"{name} {num}")
    return lines


def _escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def render_prometheus() -> str:
    """The Prometheus text exposition of every metric."""
    with _lock:
        counters = list(_counters.items())
        gauges = list(_gauges.items())
    return "\n".join(_render("counter", counters) + _render("gauge", gauges)) + "\n"
