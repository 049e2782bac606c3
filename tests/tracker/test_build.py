"""The committed ppms.js: built from tracker/src, within the 12 KB gzip budget, unit-tested."""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

from footfall.web.tracker_script import STATIC_DIR

TRACKER = Path(__file__).resolve().parents[2] / "tracker"
#: issue 5: everything of seed 001 §2.1.2 in at most 12 KB gzipped
BUDGET_BYTES = 12 * 1024


def _node(*args: str) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node, "Node.js is missing: the tracker is built with esbuild (make test installs it)"
    assert (TRACKER / "node_modules").is_dir(), "run `npm ci` in tracker/ (make test does)"
    return subprocess.run(
        [node, *args], cwd=TRACKER, capture_output=True, text=True, timeout=120, check=False
    )


def test_gzipped_tracker_is_within_budget() -> None:
    script = (STATIC_DIR / "ppms.js").read_bytes()
    assert gzip.decompress((STATIC_DIR / "ppms.js.gz").read_bytes()) == script
    size = len(gzip.compress(script, compresslevel=9))
    assert size <= BUDGET_BYTES, f"ppms.js is {size} B gzipped, over the {BUDGET_BYTES} B budget"
    assert len((STATIC_DIR / "ppms.js.br").read_bytes()) < size


def test_committed_build_matches_the_sources() -> None:
    out = _node("build.mjs", "--check")
    assert out.returncode == 0, out.stderr + out.stdout


def test_tracker_unit_tests_pass() -> None:
    out = _node("--test", "test/")
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "# fail 0" in out.stdout
