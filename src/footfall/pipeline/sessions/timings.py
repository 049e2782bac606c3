"""Page timing columns from Piwik PRO `t_*` or Matomo `pf_*` parameters (DATA-MODEL §1.7 [P])."""

from __future__ import annotations

from typing import Any

_U16 = 65535
_U32 = 2**32 - 1

#: column → (range maximum, Piwik PRO end key, start key or "" for a raw value)
_PIWIK: tuple[tuple[str, int, str, str], ...] = (
    ("timing_dom_interactive", _U32, "t_di", ""),
    ("timing_event_end", _U32, "t_ee", ""),
    ("redirections_time", _U16, "t_re", "t_rs"),
    ("domain_lookup_time", _U16, "t_cs", "t_ds"),  # no domainLookupEnd parameter exists
    ("server_connection_time", _U16, "t_ce", "t_cs"),
    ("server_response_time", _U16, "t_ae", "t_qs"),
    ("page_rendering_time", _U32, "t_dc", "t_dl"),
)
#: column → Matomo pf_* parts summed when no `t_*` value gives it (DATA-MODEL §1.7)
_MATOMO: dict[str, tuple[str, ...]] = {
    "timing_dom_interactive": ("pf_net", "pf_srv", "pf_tfr", "pf_dm1"),
    "timing_event_end": ("pf_net", "pf_srv", "pf_tfr", "pf_dm1", "pf_dm2", "pf_onl"),
    "server_connection_time": ("pf_net",),
    "server_response_time": ("pf_srv", "pf_tfr"),
    "page_rendering_time": ("pf_dm1", "pf_dm2"),
}


def _clamp(value: int | None, limit: int) -> int | None:
    """Negative or absent → None; above the column range → the range maximum."""
    if value is None or value < 0:
        return None
    return min(value, limit)


def _piwik(timings: dict[str, int], end: str, start: str) -> int | None:
    """A `t_*` value, or the difference of two of them; None when a part is missing."""
    stop = timings.get(end)
    if stop is None or not start:
        return stop
    begin = timings.get(start)
    return None if begin is None else stop - begin


def _matomo(timings: dict[str, int], parts: tuple[str, ...]) -> int | None:
    """Sum of the `pf_*` parts that were sent; None when none was (Matomo omits unknown ones)."""
    values = [timings[p] for p in parts if p in timings]
    return sum(values) if values else None


def timing_columns(timings: dict[str, int]) -> dict[str, Any]:
    """The seven timing columns: Piwik PRO `t_*` first, else Matomo `pf_*`; clamped, None if absent."""
    out: dict[str, Any] = {}
    for column, limit, end, start in _PIWIK:
        value = _piwik(timings, end, start)
        if value is None and column in _MATOMO:
            value = _matomo(timings, _MATOMO[column])
        out[column] = _clamp(value, limit)
    return out
