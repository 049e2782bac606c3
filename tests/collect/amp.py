"""What amp-analytics sends for `type="ppasanalytics"` (seed 001 §2.4.1), as URLs.

The vendor configuration of the AMP project builds each request as
`https://${host}/ppms.php?<request part><base suffix>`; these helpers build the same parameter
lists, with the page variables filled in the way the AMP runtime fills them (unset trigger
variables become empty strings, an empty referrer turns `urlref` into `ignored`).
"""

from __future__ import annotations

from urllib.parse import quote

#: the request part of each AMP request kind, from the trigger variables of seed 001 §2.4.1
KINDS: dict[str, list[tuple[str, str]]] = {
    "pageview": [("action_name", "title")],
    "customevent": [
        ("e_c", "event_category"),
        ("e_a", "event_action"),
        ("e_n", "event_name"),
        ("e_v", "event_value"),
    ],
    "download": [("download", "download_url")],
    "outlink": [("link", "outlink_url")],
    "search": [
        ("search", "search_keyword"),
        ("search_cat", "search_category"),
        ("search_count", "search_result_count"),
    ],
    "goal": [("idgoal", "goal_id"), ("revenue", "revenue")],
}


def amp_params(
    kind: str, website_id: str, page: dict[str, str], vars: dict[str, str]
) -> list[tuple[str, str]]:
    """The parameters of one AMP request of `kind`, in the order AMP writes them."""
    values = {**page, **vars}
    if kind == "customevent" and not values.get("event_value"):
        values["event_value"] = "0"  # the vendor config defaults e_v to 0
    params = [(name, values.get(var, "")) for name, var in KINDS[kind]]
    referrer = page.get("referrer", "")
    params += [
        ("idsite", website_id),
        ("rec", "1"),
        ("r", "482913"),
        ("url", page["url"]),
        ("_id", page["visitor_id"]),
        ("apiv", "1"),
        ("urlref" if referrer else "ignored", referrer),
        ("res", "412x915"),
        ("lang", "en-US"),
        ("gt_ms", ""),
        ("cs", "UTF-8"),
        ("pv_id", page["pv_id"]),
    ]
    return params


def amp_query(params: list[tuple[str, str]]) -> str:
    """The query string, percent-encoded as AMP's URL expansion does."""
    return "&".join(f"{k}={quote(v, safe='')}" for k, v in params)
