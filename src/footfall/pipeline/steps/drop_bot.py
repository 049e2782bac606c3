"""drop_bot: drops hits that device-detector recognised as bots (DATA-MODEL §4.1 pre-checks)."""

from __future__ import annotations

from footfall.model.hit import Hit
from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings


def drop_bot(hit: Hit, app: AppSettings) -> Reason | None:
    """Drops a bot hit unless the request sent `bots=1` (S0) or the app keeps crawlers."""
    if hit.is_bot and not (hit.track_bots or app.keep_bots):
        return Reason.BOT
    return None
