"""classify: the event type of a request by the precedence of DATA-MODEL §4.1 (first match wins)."""

from __future__ import annotations

from footfall.model import columns as t
from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings

from ._shared import PerApp
from .consent import consent_event

_PINGS = {4: t.DEANONYMIZATION, 5: t.PAGE_PERFORMANCE, 1: t.HEARTBEAT, 2: t.HEARTBEAT}
_PINGS |= {3: t.HEARTBEAT, 6: t.CUSTOM_PING}
# e_t values and their ids (TAPI comments)
_ECOMMERCE = {
    "order": t.ORDER,
    "cart-update": t.CART_UPDATE,
    "product-detail-view": t.PRODUCT_DETAIL_VIEW,
    "add-to-cart": t.ADD_TO_CART,
    "remove-from-cart": t.REMOVE_FROM_CART,
}


def _goal_ids(app: AppSettings) -> tuple[frozenset[int], dict[str, int]]:
    """The app's goal ids, and goal UUIDs (lowercase) → id."""
    return frozenset(g.id for g in app.goals), {g.uuid.lower(): g.id for g in app.goals if g.uuid}


_goals = PerApp(_goal_ids)


def resolve_goal(ref: str, app: AppSettings) -> int | None:
    """`idgoal` as an integer id or a goal UUID → the app's goal id; None if unknown."""
    ids, by_uuid = _goals.get(app)
    ref = ref.strip()
    if ref.isascii() and ref.isdigit():  # why: "²".isdigit() is True, int("²") raises
        return int(ref) if int(ref) in ids else None
    return by_uuid.get(ref.lower())


def _commerce_or_goal(hit: Hit, app: AppSettings) -> int | Reason | None:
    """Rows 5-8: `e_t`, `idgoal=0` (order or cart update), `idgoal` ≠ 0 (manual goal)."""
    kind = _ECOMMERCE.get(hit.ecommerce_kind.strip().lower())
    if kind is not None:
        return kind
    ref = (hit.goal_ref or "").strip()
    if not ref:
        return None
    if ref == "0":
        return t.ORDER if hit.order_id.strip() else t.CART_UPDATE
    goal = resolve_goal(ref, app)
    if goal is None:
        return Reason.UNKNOWN_GOAL  # MT-goal: an unknown goal drops the request
    hit.goal_id = goal
    return t.GOAL_CONVERSION


def _interaction(hit: Hit) -> int | None:
    """Rows 9-13: download, outlink, custom/consent event, content, explicit search."""
    if hit.download_url:
        return t.DOWNLOAD
    if hit.outlink_url:
        return t.OUTLINK
    if hit.event_category.strip() and hit.event_action.strip():
        consent = consent_event(hit.event_category, hit.event_action, hit.event_name)
        if consent is None:
            return t.CUSTOM_EVENT
        hit.consent = dict(consent[1])
        return consent[0]
    if hit.content_name.strip():
        return t.CONTENT_INTERACTION if hit.content_interaction.strip() else t.CONTENT_IMPRESSION
    if hit.search_keyword.strip():
        return t.SEARCH
    return None


def classify(hit: Hit, app: AppSettings) -> Reason | None:
    """Sets `event_type`; drops unknown goals and `ca=1` requests with nothing to track."""
    kind: int | Reason | None = _PINGS.get(hit.ping) if hit.ping is not None else None
    # rows 5-13 each need one of these fields; a plain page view sends none (the common case)
    if kind is None and (
        hit.ecommerce_kind
        or hit.goal_ref
        or hit.download_url
        or hit.outlink_url
        or hit.event_category
        or hit.content_name
        or hit.search_keyword
    ):
        kind = _commerce_or_goal(hit, app)
        if kind is None:
            kind = _interaction(hit)
    if isinstance(kind, Reason):
        return kind
    if kind is None:
        if hit.custom_action:
            return Reason.PLUGIN_REQUEST  # row 14: a request meant for a plugin (MT-act)
        # row 15; put_site_search turns it into a search when the URL carries a search parameter
        kind = t.PAGE_VIEW
    hit.event_type = kind
    return None
