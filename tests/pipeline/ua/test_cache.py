"""The parsed-UA file: rows survive a reopen, other namespaces are dropped, PutDevice reads it first."""

from __future__ import annotations

import json
from pathlib import Path

from footfall.model.hit import Hit
from footfall.model.settings import AppSettings
from footfall.pipeline.steps.put_device import Device, PutDevice, _namespace
from footfall.pipeline.ua.cache import ParsedFile

FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"


def make_hit(user_agent: str) -> Hit:
    return Hit(
        website_id="w",
        seq=1,
        received_at=0.0,
        timestamp=0.0,
        url="https://example.com/",
        user_agent=user_agent,
    )


def test_rows_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "ua.sqlite3"
    first = ParsedFile(path, "v1")
    first.put("a", ["WIN", "10", None, "", "", 0, None, "", False])
    assert first.get("a") is None or first.get("a") == [
        "WIN",
        "10",
        None,
        "",
        "",
        0,
        None,
        "",
        False,
    ]
    first.close()
    again = ParsedFile(path, "v1")
    assert again.get("a") == ["WIN", "10", None, "", "", 0, None, "", False]
    assert again.get("b") is None
    again.close()


def test_batches_are_written_when_full(tmp_path: Path) -> None:
    path = tmp_path / "ua.sqlite3"
    writer = ParsedFile(path, "v1", batch_rows=3, batch_seconds=3600)
    reader = ParsedFile(path, "v1")
    writer.put("a", [1])
    writer.put("b", [2])
    assert reader.get("a") is None  # queued, not yet written
    writer.put("c", [3])
    assert [reader.get(k) for k in "abc"] == [[1], [2], [3]]
    writer.close()
    reader.close()


def test_another_namespace_starts_empty_and_prunes(tmp_path: Path) -> None:
    path = tmp_path / "ua.sqlite3"
    old = ParsedFile(path, "old")
    old.put("a", [1])
    old.close()
    new = ParsedFile(path, "new")
    assert new.get("a") is None
    new.close()
    assert ParsedFile(path, "old").get("a") is None  # dropped when "new" opened


def test_put_device_reads_the_file_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "ua.sqlite3"
    planted = Device("LIN", "9", "FF", "1.0", "Gecko", 0, None, "", False)
    seed = ParsedFile(path, _namespace())
    seed.put(json.dumps([FIREFOX, None]), planted)
    seed.close()
    step = PutDevice(100, path)
    hit = make_hit(user_agent=FIREFOX)
    step(hit, AppSettings(website_id="w"))
    assert (hit.operating_system, hit.operating_system_version, hit.browser_version) == (
        "LIN",
        "9",
        "1.0",
    )


def test_put_device_writes_what_it_parsed(tmp_path: Path) -> None:
    path = tmp_path / "ua.sqlite3"
    step = PutDevice(100, path)
    hit = make_hit(user_agent=FIREFOX)
    step(hit, AppSettings(website_id="w"))
    step.flush()
    stored = ParsedFile(path, _namespace()).get(json.dumps([FIREFOX, None]))
    assert stored is not None and Device(*stored).browser_name == "FF" == hit.browser_name
