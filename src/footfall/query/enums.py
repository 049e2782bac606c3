"""Labels of enum dimensions: the id → label tables of DATA-MODEL §2.

Closed enums are listed here. Open ones take their labels from the device-detector package
(browser, OS, device brand) or from the metadata store (goals, apps, passed in by the caller);
an id without a known label is its own label.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

EVENT_TYPES: dict[int, str] = {
    1: "Page view",
    2: "Outlink",
    3: "Download",
    4: "Search",
    5: "Custom event",
    6: "Content impression",
    7: "Content interaction",
    8: "Goal conversion",
    9: "Order",
    10: "Abandoned cart",
    11: "SharePoint",
    12: "Consent form impression",
    13: "Consent form click",
    14: "Consent decision",
    15: "Custom Ping",
    16: "Cart update",
    17: "Broken event",
    18: "Excluded event",
    19: "Heartbeat",
    20: "Deanonymization",
    21: "Page performance",
    22: "Product detail view",
    23: "Add to cart",
    24: "Remove from cart",
}

CLOSED: dict[str, Mapping[Any, str]] = {
    "event_type": EVENT_TYPES,
    "referrer_type": {
        1: "Direct entry",
        2: "Search engine",
        3: "Website",
        6: "Campaign",
        7: "Social",
    },
    "device_type": {
        0: "Desktop",
        1: "Smartphone",
        2: "Tablet",
        3: "Feature phone",
        4: "Console",
        5: "TV",
        6: "Car browser",
        7: "Smart display",
        8: "Camera",
        9: "Portable media player",
        10: "Phablet",
        11: "Smart speaker",
        12: "Wearable",
        13: "Peripheral",
    },
    "visitor_returning": {0: "New", 1: "Returning", 2: "Returning customer"},
    "session_ecommerce_status": {
        0: "No shopping activity",
        1: "Ordered",
        2: "Abandoned cart",
        3: "Ordered and abandoned cart",
        4: "Viewed product details",
    },
    "consent_source": {1: "Popup or bottom bar", 2: "Reminder", 3: "Privacy settings on a page"},
    "consent_form_button": {1: "Agree to all", 2: "Reject all", 3: "Save choices", 4: "Close"},
    "consent_scope": {1: "Full consent", 2: "Any consent", 3: "No consent"},
    "consent_action": {1: "First consent", 2: "Changed consent"},
    "location_continent_iso_code": {
        "AF": "Africa",
        "AN": "Antarctica",
        "AS": "Asia",
        "EU": "Europe",
        "NA": "North America",
        "OC": "Oceania",
        "SA": "South America",
    },
}


@cache
def _device_detector(column_id: str) -> Mapping[str, str]:
    """Short code → name tables of device-detector (the codes the pipeline stores)."""
    try:
        if column_id == "browser_name":
            from device_detector.parser.settings import AVAILABLE_BROWSERS

            return dict(AVAILABLE_BROWSERS)
        if column_id == "operating_system":
            from device_detector.parser.settings import OPERATING_SYSTEMS

            return dict(OPERATING_SYSTEMS)
        if column_id == "device_brand":
            from device_detector.parser.device.base import DEVICE_BRANDS

            return dict(DEVICE_BRANDS)
    except ImportError:  # pragma: no cover - the package is a runtime dependency
        return {}
    return {}


def labels(column_id: str) -> Mapping[Any, str]:
    """The known id → label table of an enum column (may be empty for open enums)."""
    closed = CLOSED.get(column_id)
    if closed is not None:
        return closed
    return _device_detector(column_id)


def label(column_id: str, value: Any, extra: Mapping[Any, str] | None = None) -> Any:
    """The label of one id: from `extra` (goals, apps), the tables above, else the id itself."""
    if value is None:
        return None
    if extra is not None and value in extra:
        return extra[value]
    return labels(column_id).get(value, value)
