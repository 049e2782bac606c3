"""How the dashboard writes numbers: counts, rates, durations, money and changes (Jinja filters)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment


def number(value: Any) -> str:
    """A count as an integer with thousands separators, other numbers with two decimals."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{float(value):,.2f}"


def figure(value: Any, fmt: str) -> str:
    """A headline figure in its display format (int, percent, duration, float, money)."""
    if value is None:
        return "–"
    if fmt == "percent":
        return f"{float(value) * 100:.1f}%"
    if fmt == "duration":
        seconds = round(float(value))
        hours, rest = divmod(seconds, 3600)
        return (
            f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
            if hours
            else f"{rest // 60}:{rest % 60:02d}"
        )
    if fmt in ("float", "money"):
        return f"{float(value):,.2f}"
    return number(value)


def change(current: Any, previous: Any) -> tuple[str, str] | None:
    """The relative change against the previous period and its direction (up, down, flat)."""
    if current is None or previous is None:
        return None
    now, before = float(current), float(previous)
    if before == 0:
        return ("new", "up") if now > 0 else ("0%", "flat")
    delta = (now - before) / before * 100
    direction = "up" if delta > 0.05 else "down" if delta < -0.05 else "flat"
    return f"{delta:+.1f}%", direction


def install(env: Environment) -> None:
    """Register the filters on a Jinja environment."""
    env.filters["number"] = number
    env.filters["figure"] = figure
    env.globals["change"] = change
