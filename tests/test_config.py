"""The settings registry: precedence, validation, and docs that match it."""

from __future__ import annotations

from pathlib import Path

import pytest

from footfall.config import REGISTRY, Settings, settings_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text()
    assert settings_markdown() in doc, (
        "docs/settings.md is stale: regenerate it from footfall.config"
    )
    for s in REGISTRY:
        assert s.help and s.env in doc


def test_precedence_flag_env_file_default(tmp_path: Path) -> None:
    (tmp_path / "footfall.toml").write_text(
        'port = 9001\nlog_format = "json"\nflush_interval_ms = 50\n'
    )
    env = {"FOOTFALL_DATA_DIR": str(tmp_path), "FOOTFALL_PORT": "9002"}
    s = Settings.load({"host": "0.0.0.0"}, environ=env)
    assert s.host == "0.0.0.0"  # flag
    assert s.port == 9002  # env beats file
    assert s.log_format == "json"  # file beats default
    assert s.flush_interval_ms == 50
    assert s.spool_durability == "process"  # default
    assert s.events_dsn == f"duckdb:///{tmp_path.resolve() / 'events.duckdb'}"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"FOOTFALL_PORT": "eighty"}, "FOOTFALL_PORT"),
        ({"FOOTFALL_SPOOL_DURABILITY": "sometimes"}, "FOOTFALL_SPOOL_DURABILITY"),
        ({"FOOTFALL_TRACKER_DEBUG": "maybe"}, "FOOTFALL_TRACKER_DEBUG"),
    ],
)
def test_bad_values_name_the_setting(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Settings.load(environ=env)


def test_unknown_setting_in_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "footfall.toml").write_text("colour = 3\n")
    with pytest.raises(ValueError, match="colour"):
        Settings.load(environ={"FOOTFALL_DATA_DIR": str(tmp_path)})
