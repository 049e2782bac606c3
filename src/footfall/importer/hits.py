"""A classified log line as tracking parameters: what the Piwik PRO log importer puts in each bulk
item (api-notes §12.4), so both importers hand the pipeline the same request.

Differences, on purpose: `cdt` is sent as unix seconds (the same instant; the parser reads both
forms) and `apiv`, `queuedtracking` and `dp` are left out (Footfall gives them no meaning).
"""

from __future__ import annotations

from urllib.parse import quote

import orjson

from footfall import __version__
from footfall.importer.classify import BOT, DOWNLOAD, ERROR
from footfall.importer.entry import LogEntry

__all__ = ["TRACKING_SOURCE", "tracking_params", "url_prefix"]

#: `ts_n`/`ts_v`: the tracking source of imported hits ("wla" = web log analytics, as Piwik PRO)
TRACKING_SOURCE = ("wla", f"footfall-{__version__}")
_MAX_URL = 1024  # the importer cuts url and urlref at 1024 characters


def url_prefix(main_url: str, host: str) -> str:
    """Scheme and host the path is appended to: the log's host with the app URL's scheme, else
    the app URL itself (a log without hosts)."""
    main = main_url.rstrip("/")
    if not host:
        return main
    scheme = main.partition("://")[0] if "://" in main else "https"
    return f"{scheme}://{host}"


def tracking_params(
    entry: LogEntry,
    site_id: str,
    prefix: str,
    flags: int,
    *,
    strip_query: bool = False,
    bots_enabled: bool = False,
) -> dict[str, str]:
    """The bulk-item parameters of one imported line."""
    path = entry.path
    if entry.query and not strip_query:
        path = f"{path}?{entry.query}"
    url = (prefix + path if path[:1] == "/" else path)[:_MAX_URL]
    ua = entry.user_agent
    params = {
        "idsite": site_id,
        "rec": "1",
        "url": url,
        "cip": entry.ip,
        "cdt": str(int(entry.time or 0)),
        "ua": ua,
        "ts_n": TRACKING_SOURCE[0],
        "ts_v": TRACKING_SOURCE[1],
        "cvar": f'{{"1":["HTTP-code","{entry.status}"]}}',
    }
    referrer = entry.referrer
    if referrer:
        params["urlref"] = referrer[:_MAX_URL]
    if entry.userid:
        params["uid"] = entry.userid
    if flags & DOWNLOAD:
        params["download"] = url
    if bots_enabled:
        params["bots"] = "1"
        kind = "Bot" if flags & BOT else "Not-Bot"
        params["_cvar"] = orjson.dumps({"1": [kind, ua]}).decode()
    if flags & ERROR:
        title = f"{entry.status}/URL = {quote(url, '')}"
        if referrer:
            title += f"/From = {quote(params['urlref'], '')}"
        params["action_name"] = title
    if entry.generation_ms > 0:
        params["gt_ms"] = str(int(entry.generation_ms))
    if entry.event_category and entry.event_action:
        params["e_c"] = entry.event_category
        params["e_a"] = entry.event_action
        if entry.event_name:
            params["e_n"] = entry.event_name
    length = entry.length
    if length and length != "0" and length.isdigit():
        params["bw_bytes"] = length
    return params
