"""`footfall apps snippet ID`: the install snippet of seed 001 §2.1.2 for this instance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from footfall.cli import main
from footfall.web.snippet import tracking_code


def test_snippet_names_the_app_and_the_public_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = str(tmp_path / "data")
    assert (
        main(
            [
                "apps",
                "create",
                "--name",
                "Shop",
                "--url",
                "shop.example",
                "--json",
                "--data-dir",
                data,
            ]
        )
        == 0
    )
    app = json.loads(capsys.readouterr().out)
    monkeypatch.setenv("FOOTFALL_PUBLIC_URL", "https://analytics.example.com/")
    for ref in (app["id"], str(app["alias"])):
        assert main(["apps", "snippet", ref, "--data-dir", data]) == 0
        out = capsys.readouterr().out
        assert out == tracking_code("https://analytics.example.com", app["id"])
        assert 'var u="https://analytics.example.com/";' in out
        assert f'_paq.push(["setSiteId", "{app["id"]}"]);' in out
        assert 'g.src=u+"ppms.js"' in out and '_paq.push(["setTrackerUrl", u+"ppms.php"]);' in out
    assert main(["apps", "snippet", app["id"], "--json", "--data-dir", data]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == app["id"]


def test_unknown_app_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["apps", "snippet", "42", "--data-dir", str(tmp_path / "d")]) == 1
    assert capsys.readouterr().err == "footfall: error: App with id: 42 does not exist\n"


def test_snippet_escapes_what_it_embeds() -> None:
    code = tracking_code('https://x.example/"</script>', "id")
    assert '</script>"' not in code and '\\"' in code and "<\\/script>" in code
