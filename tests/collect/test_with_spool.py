"""The collector over the real durable spool: one bulk body is one append, read back as Hits."""

from __future__ import annotations

from pathlib import Path

import orjson

from footfall.collect.http import make_collector
from footfall.collect.params import parse_hit
from footfall.config import Settings
from footfall.model.directory import StaticDirectory
from footfall.model.record import RawRecord
from footfall.model.settings import AppSettings
from footfall.spool.log import Spool

from .conftest import APP, Harness, Tokens


def test_bulk_items_round_trip_through_the_spool(tmp_path: Path) -> None:
    with Spool(tmp_path / "spool") as spool:
        harness = Harness(tmp_path)
        harness.app = make_collector(
            spool,
            StaticDirectory([AppSettings(website_id=APP, alias=1)]),
            Tokens(),
            Settings.load(overrides={"data_dir": str(tmp_path)}, environ={}),
        )
        body = {
            "requests": [
                "?idsite=1&rec=1&url=a&e_c=C&e_a=A&e_v=2",
                {"idsite": APP, "rec": 1, "url": "b"},
            ]
        }
        r = harness.post("/matomo.php", content=orjson.dumps(body))
        assert r.json()["tracked"] == 2
        hits = [parse_hit(RawRecord.decode(payload, seq)) for seq, payload in spool.read(0)]
    assert [(h.seq, h.url) for h in hits] == [(1, "a"), (2, "b")]
    assert (hits[0].event_category, hits[0].event_value, hits[0].ip) == ("C", 2.0, "203.0.113.9")
