"""The rules that reject a whole tracking request before it is acknowledged (seed 000).

Everything else about a request is optional and is judged field by field by `parse_hit` later.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from footfall.collect.values import parse_cdt, to_ip
from footfall.model.reasons import Reason

__all__ = [
    "BACKDATING_LIMIT_SECONDS",
    "LOCATION_OVERRIDES",
    "PRIVILEGED_OVERRIDES",
    "InvalidRequest",
    "privilege_needed",
    "validate",
]

#: Seed 000 "Special parameters": a cdt older than four hours needs token_auth.
BACKDATING_LIMIT_SECONDS = 4 * 3600.0
#: Seed 000 location overrides; `lon` is the ppms.php spelling (api-notes §11).
LOCATION_OVERRIDES = ("country", "region", "city", "lat", "long", "lon")
#: Parameters that override server-side facts and so need authentication on Matomo endpoints.
PRIVILEGED_OVERRIDES = ("cip", *LOCATION_OVERRIDES)


class InvalidRequest(Exception):
    """A tracking request the collector must reject (answered 400, never spooled)."""

    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail


def privilege_needed(params: Mapping[str, str], now: float) -> Reason | None:
    """Why this request needs authentication: back-dating beyond 4 h, or an override; else None."""
    cdt = parse_cdt(params.get("cdt"))
    if cdt is not None and now - cdt >= BACKDATING_LIMIT_SECONDS:
        return Reason.UNAUTHENTICATED_BACKDATING
    for key in PRIVILEGED_OVERRIDES:
        value = params.get(key)
        if value and value.strip():
            # why: Matomo ignores a cip it cannot parse; so do we (no auth needed for nothing).
            if key == "cip" and not to_ip(value):
                continue
            return Reason.UNAUTHENTICATED_OVERRIDE
    return None


def validate(
    params: Mapping[str, str],
    *,
    protocol: str,
    resolve: Callable[[str], str | None],
    authorize: Callable[[str], bool],
    now: float,
    ppms_require_auth: bool = False,
) -> tuple[str, bool]:
    """Check `rec`, `idsite`, `url` and the auth rule; return (website_id, authenticated).

    `resolve` maps an idsite (UUID or integer alias) to the app UUID; `authorize(website_id)` says
    whether the request's credentials grant write access to that app (False without credentials).
    Raises InvalidRequest.
    """
    rec = params.get("rec")
    if rec is None or rec.strip() != "1":
        raise InvalidRequest(Reason.REC_NOT_1, "rec must be 1")
    idsite = params.get("idsite", "").strip()
    if not idsite:
        raise InvalidRequest(Reason.MISSING_IDSITE, "idsite is required")
    website_id = resolve(idsite)
    if website_id is None:
        raise InvalidRequest(Reason.UNKNOWN_APP, f"unknown idsite {idsite[:64]!r}")
    url = params.get("url")
    if not url or not url.strip():
        raise InvalidRequest(Reason.MISSING_URL, "url is required")
    authenticated = authorize(website_id)
    if authenticated:
        return website_id, True
    # why: Piwik PRO's own log importer sends cdt and cip to /ppms.php without any credentials
    # (api-notes §12.2 item 4), so there they are trusted unless the operator says otherwise.
    if protocol == "ppms" and not ppms_require_auth:
        return website_id, False
    needed = privilege_needed(params, now)
    if needed is Reason.UNAUTHENTICATED_BACKDATING:
        raise InvalidRequest(needed, "cdt older than 4 hours requires token_auth or a bearer token")
    if needed is not None:
        raise InvalidRequest(
            needed, "cip, country, region, city, lat, long require token_auth or a bearer token"
        )
    return website_id, False
