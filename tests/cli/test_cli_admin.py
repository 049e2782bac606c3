"""`footfall` admin commands in-process: init, apps, users, credentials, keys, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from footfall.cli import main
from footfall.meta import services
from footfall.meta.store import MetaStore


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_init_is_idempotent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    first = run_json(capsys, "init", "--data-dir", data)
    assert isinstance(first, dict)
    assert len(first["client_id"]) == 32 and len(first["client_secret"]) == 64
    assert first["owner_email"] == "owner@localhost" and first["owner_password"]
    second = run_json(capsys, "--data-dir", data, "init")  # global option before the command
    assert isinstance(second, dict)
    assert second["client_id"] == first["client_id"]
    assert second["client_secret"] is None and "shown once" in second["note"]
    code, out, _ = run(capsys, "init", "--data-dir", data)
    assert code == 0 and first["client_id"] in out and first["client_secret"] not in out
    with MetaStore(f"sqlite:///{tmp_path / 'data' / 'meta.sqlite'}") as meta:
        assert len(services.list_users(meta)) == 1


def test_init_in_a_subprocess(tmp_path: Path) -> None:
    footfall = Path(sys.executable).with_name("footfall")
    done = subprocess.run(
        [str(footfall), "init", "--data-dir", str(tmp_path / "d"), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["client_id"] and data["client_secret"]


def test_apps_create_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path)
    app = run_json(
        capsys,
        "apps", "create", "--data-dir", data, "--name", "Shop",
        "--url", "https://shop.example", "--url", "shop.example:8080",
        "--timezone", "Europe/Warsaw", "--currency", "EUR",
    )  # fmt: skip
    assert isinstance(app, dict)
    assert (app["alias"], app["timezone"], app["currency"]) == (1, "Europe/Warsaw", "EUR")
    assert app["urls"] == ["https://shop.example", "shop.example:8080"]
    code, out, _ = run(
        capsys, "apps", "create", "--data-dir", data, "--name", "Blog", "--url", "b.example"
    )
    assert code == 0 and "alias 2" in out
    listed = run_json(capsys, "apps", "list", "--data-dir", data)
    assert isinstance(listed, list)
    assert [a["name"] for a in listed] == ["Shop", "Blog"] and listed[0]["id"] == app["id"]
    code, out, _ = run(capsys, "apps", "list", "--data-dir", data)
    assert code == 0 and "ALIAS" in out and app["id"] in out and "Blog" in out
    again = run_json(
        capsys,
        "apps",
        "create",
        "--data-dir",
        data,
        "--name",
        "Shop",
        "--url",
        "x.example",
        "--if-absent",
    )
    assert isinstance(again, dict) and again["id"] == app["id"]


def test_apps_list_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_json(capsys, "apps", "list", "--data-dir", str(tmp_path)) == []
    code, out, _ = run(capsys, "apps", "list", "--data-dir", str(tmp_path))
    assert code == 0 and "no apps yet" in out


def test_users_and_credentials(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path)
    code, _, err = run(capsys, "credentials", "create", "--data-dir", data, "--name", "ci")
    assert code == 1 and err.strip() == "footfall: error: no owner yet: run `footfall init` first"
    run_json(capsys, "init", "--data-dir", data)
    user = run_json(capsys, "users", "create", "--data-dir", data, "--email", "Ann@B.c")
    assert isinstance(user, dict)
    assert (user["email"], user["role"], len(user["token_auth"])) == ("ann@b.c", "USER", 32)
    cred = run_json(
        capsys, "credentials", "create", "--data-dir", data, "--name", "ci", "--user", "ann@b.c"
    )
    assert isinstance(cred, dict) and cred["user"] == "ann@b.c" and len(cred["client_secret"]) == 64
    owner_cred = run_json(capsys, "credentials", "create", "--data-dir", data, "--name", "ops")
    assert isinstance(owner_cred, dict) and owner_cred["user"] == "owner@localhost"
    code, out, _ = run(capsys, "credentials", "revoke", "--data-dir", data, cred["client_id"])
    assert code == 0 and "Revoked" in out
    code, out, _ = run(capsys, "keys", "rotate", "--data-dir", data)
    assert code == 0 and list((tmp_path / "keys").glob("*.pem"))


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["apps", "create", "--name", "X", "--url", "x.example", "--timezone", "Mars/Base"], 2, "invalid timezone: unknown time zone 'Mars/Base'"),
        (["apps", "create", "--name", "X", "--url", "x y"], 2, "invalid urls: invalid URL 'x y'"),
        (["users", "create", "--email", "nope"], 2, "invalid email: invalid email address 'nope'"),
        (["credentials", "create", "--name", "x", "--user", "z@z.z"], 1, "no user with email 'z@z.z'"),
        (["credentials", "revoke", "0" * 32], 1, "does not exist"),
        (["apps"], 2, "missing command: see `footfall apps --help`"),
    ],
)  # fmt: skip
def test_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], code: int, message: str
) -> None:
    got, out, err = run(capsys, *argv, "--data-dir", str(tmp_path))
    assert got == code
    assert err.count("\n") == 1 and err.startswith("footfall: error: ") and message in err
    assert "Traceback" not in err and out == ""


def test_duplicate_user(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_json(capsys, "users", "create", "--data-dir", str(tmp_path), "--email", "a@b.c")
    code, _, err = run(capsys, "users", "create", "--data-dir", str(tmp_path), "--email", "a@b.c")
    assert code == 1 and "already exists" in err and err.count("\n") == 1


def test_bad_setting_and_usage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOOTFALL_PORT", "eighty")
    code, _, err = run(capsys, "apps", "list", "--data-dir", str(tmp_path))
    assert code == 2 and "FOOTFALL_PORT" in err and err.count("\n") == 1
    with pytest.raises(SystemExit) as caught:
        main(["apps", "create", "--name", "X"])  # argparse: missing --url
    assert caught.value.code == 2
    assert main([]) == 2


def test_help_texts(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["--help"],
        ["apps", "create", "--help"],
        ["serve", "--help"],
        ["status", "--help"],
    ):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 0
    out = capsys.readouterr().out
    assert "IANA time zone" in out and "--data-dir" in out and "--port" in out
