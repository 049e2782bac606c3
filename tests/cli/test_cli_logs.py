"""configure_logging: text lines, JSON lines with extra fields, levels."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from footfall.logs import configure_logging


@pytest.fixture(autouse=True)
def restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines() -> None:
    stream = io.StringIO()
    configure_logging("json", "info", stream=stream)
    log = logging.getLogger("footfall.test")
    log.info("hit %s", "accepted", extra={"website_id": "w1", "count": 3})
    log.debug("hidden")
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("failed")
    lines = [json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{")]
    assert len(lines) == 2
    first = lines[0]
    assert (first["level"], first["logger"], first["msg"]) == (
        "info",
        "footfall.test",
        "hit accepted",
    )
    assert (first["website_id"], first["count"]) == ("w1", 3)
    assert first["ts"].endswith("+00:00")
    assert "ValueError: boom" in lines[1]["exc"]


def test_text_lines_and_reconfigure() -> None:
    stream = io.StringIO()
    configure_logging("text", "debug", stream=stream)
    configure_logging("text", "debug", stream=stream)  # replaces, never duplicates
    logging.getLogger("footfall.test").debug("ready", extra={"port": 8000})
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert "debug" in lines[0] and "footfall.test: ready port=8000" in lines[0]


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        configure_logging("xml", "info")
    with pytest.raises(ValueError):
        configure_logging("text", "loud")
