"""Shared pieces of the collector tests: a list-backed spool, two apps, a token checker, a client."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest

from footfall import telemetry
from footfall.collect.http import Collector, make_collector
from footfall.config import Settings
from footfall.model.directory import StaticDirectory
from footfall.model.record import RawRecord
from footfall.model.settings import AppSettings

APP = "0d8f6a5e-3c2b-4a19-9e7d-5b1c2a3f4e60"
OTHER_APP = "7b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e"
TOKEN = "33dc3f2536d3025974cccb4b4d2d98f4"
BEARER = "jwt-for-app"


class ListSpool:
    """A real in-memory spool with the collector's two methods; each call is one batch."""

    def __init__(self) -> None:
        self.batches: list[list[bytes]] = []
        self.fail = False

    def append(self, payloads: Sequence[bytes]) -> int:
        if self.fail:
            raise OSError("disk full")
        self.batches.append(list(payloads))
        return sum(len(b) for b in self.batches)

    async def append_async(self, payloads: Sequence[bytes]) -> int:
        return self.append(payloads)

    @property
    def records(self) -> list[RawRecord]:
        return [RawRecord.decode(p) for batch in self.batches for p in batch]


class Tokens:
    """Grants APP to TOKEN and BEARER; OTHER_APP to nobody."""

    def __init__(self) -> None:
        self.calls = 0

    def is_authorized(self, token_auth: str | None, bearer: str | None, website_id: str) -> bool:
        self.calls += 1
        return website_id == APP and (token_auth == TOKEN or bearer == BEARER)


class Harness:
    """The collector under test with its spool, and a way to call it over httpx in-process."""

    def __init__(self, tmp: Path, **settings: Any) -> None:
        self.spool = ListSpool()
        self.tokens = Tokens()
        directory = StaticDirectory(
            [AppSettings(website_id=APP, alias=1), AppSettings(website_id=OTHER_APP, alias=2)]
        )
        values = Settings.load(overrides={"data_dir": str(tmp), **settings}, environ={})
        self.app: Collector = make_collector(self.spool, directory, self.tokens, values)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, client=("203.0.113.9", 5555))
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(go())

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    telemetry.reset()
    return Harness(tmp_path)


@pytest.fixture
def make_harness(tmp_path: Path) -> Callable[..., Harness]:
    telemetry.reset()
    return lambda **settings: Harness(tmp_path, **settings)
