"""`footfall credentials create --app/--scopes/--access-key` in-process, over a real data dir."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from footfall.cli import main
from footfall.meta import pirsch
from footfall.meta.store import MetaStore


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    d = str(tmp_path / "data")
    assert run(capsys, "init", "--data-dir", d, "--json")[0] == 0
    _, out, _ = run(
        capsys,
        "apps",
        "create",
        "--name",
        "S",
        "--url",
        "https://s.example",
        "--data-dir",
        d,
        "--json",
    )
    return d, json.loads(out)["id"]


def test_a_domain_client_with_scopes(
    data: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    d, app = data
    code, out, err = run(
        capsys,
        "credentials",
        "create",
        "--app",
        app,
        "--scopes",
        "hit,statistics,domains:w",
        "--data-dir",
        d,
        "--json",
    )
    assert code == 0, err
    made = json.loads(out)
    assert (len(made["client_id"]), len(made["client_secret"])) == (32, 64)
    assert made["scopes"] == {"hit": "w", "statistics": "r", "domains": "w"} and made["app"] == app
    with MetaStore(f"sqlite:///{Path(d) / 'meta.sqlite'}") as meta:
        grant = pirsch.client_grant(meta, made["client_id"])
    assert grant.app_id == app and grant.scopes["event"] == ""


def test_an_access_key(data: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    d, app = data
    code, out, err = run(
        capsys, "credentials", "create", "--app", app, "--access-key", "--data-dir", d, "--json"
    )
    assert code == 0, err
    key = json.loads(out)["access_key"]
    with MetaStore(f"sqlite:///{Path(d) / 'meta.sqlite'}") as meta:
        grant = pirsch.verify_access_key(meta, key)
    assert grant is not None and grant.app_id == app


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--access-key"], "--access-key needs --app"),
        (["--app", "APP", "--access-key", "--scopes", "hit"], "exclude each other"),
        (["--app", "APP", "--scopes", "hit,billing"], "unknown scope"),
        (["--app", "APP", "--scopes", "hit:x"], "must be 'r' or 'w'"),
        (["--app", "nope", "--scopes", "hit"], "nope"),
        ([], "--name is required"),
    ],
)
def test_errors_are_one_line(
    data: tuple[str, str], capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    d, app = data
    argv = [a.replace("APP", app) for a in args]
    code, _, err = run(capsys, "credentials", "create", *argv, "--data-dir", d)
    assert code != 0 and message in err, err
