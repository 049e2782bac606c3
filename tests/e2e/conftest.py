"""Fixtures: a provisioned data dir (owner, API credential, app, token_auth) and a live server."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from e2e.server import Server, cli


@dataclass
class Provisioned:
    """What `footfall init`, `apps create` and `users create` printed."""

    data_dir: Path
    app_id: str
    app_alias: int
    token_auth: str
    client_id: str
    client_secret: str | None


def provision(data_dir: Path, name: str = "Shop") -> Provisioned:
    """Create the owner, a credential, an app and a tracking user through the real CLI."""
    creds = cli(data_dir, "init", "--json")
    app = cli(
        data_dir,
        "apps",
        "create",
        "--name",
        name,
        "--url",
        "https://shop.example.com",
        "--timezone",
        "Europe/Warsaw",
        "--json",
    )
    user = cli(
        data_dir, "users", "create", "--email", "importer@example.com", "--role", "OWNER", "--json"
    )
    return Provisioned(
        data_dir=data_dir,
        app_id=app["id"],
        app_alias=int(app["alias"]),
        token_auth=user["token_auth"],
        client_id=creds["client_id"],
        client_secret=creds.get("client_secret"),
    )


@pytest.fixture
def provisioned(tmp_path: Path) -> Provisioned:
    """A data dir with one app."""
    return provision(tmp_path / "data")


@pytest.fixture
def server(provisioned: Provisioned) -> Iterator[Server]:
    """A running server over the provisioned data dir (stopped at the end)."""
    s = Server(provisioned.data_dir)
    s.start()
    try:
        yield s
    finally:
        s.stop()
