"""Bulk end to end only: `footfall serve` on loopback, N hits in bulk POSTs, wait until committed.

The quick A/B figure for ingestion work (bench/ingest.py measures the same among its figures):
the load generator's figures plus the end-to-end rate, the server's CPU time per event, session
rows per event and events per transaction. Usage:
`.venv/bin/python bench/bulk.py [--hits 500000] [--profile OUT.raw]`; with --profile the server
is sampled by py-spy (when installed) for the whole run, in collapsed-stack form.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from ingest import bulk_end_to_end  # noqa: E402

from e2e.conftest import provision  # noqa: E402
from e2e.server import Server  # noqa: E402


def main() -> None:
    """Run one bulk end-to-end measurement and print it as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--hits", type=int, default=500_000, help="hits to send (fixed work)")
    ap.add_argument("--profile", help="write py-spy samples of the server here")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        p = provision(Path(tmp) / "data")
        s = Server(p.data_dir)
        s.start()
        spy = None
        try:
            if a.profile and s.proc is not None:
                spy_bin = str(Path(sys.executable).parent / "py-spy")
                pid = str(s.proc.pid)
                spy = subprocess.Popen(
                    [spy_bin, "record", "-r", "100", "-f", "raw", "-o", a.profile, "--pid", pid],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            bulk = bulk_end_to_end(s, p.app_id, a.hits, a.connections)
        finally:
            if spy is not None:
                spy.send_signal(2)
                spy.wait(30)
            s.stop()
    print(json.dumps(bulk))


if __name__ == "__main__":
    main()
