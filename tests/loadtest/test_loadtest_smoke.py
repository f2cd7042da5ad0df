"""``draftroom loadtest`` end to end, tiny: 2 leagues x 4 teams and 50 sockets for a few
seconds against its own ``draftroom serve`` and bare-baseline processes (on the test
session's PostgreSQL and Redis). It checks behaviour, not timings: both targets ran every
phase, the storm came back, and no pick was lost or doubled."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_tiny_run_reports_no_lost_or_doubled_picks(
    db: None, server_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "loadtest.json"
    argv = [
        sys.executable, "-m", "draftroom.cli", "loadtest", "--env-services",
        "--leagues", "2", "--teams", "4", "--autopick-leagues", "0", "--drafts", "3",
        "--sockets", "50", "--max-sockets", "50", "--rate", "8", "--ramp", "",
        "--warmup-seconds", "0.5", "--opening-seconds", "1", "--steady-seconds", "2",
        "--servers", "1", "--workers", "1", "--json", str(out),
    ]  # fmt: skip
    done = subprocess.run(
        argv, env=server_env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "lost picks" in done.stdout
    results: dict[str, Any] = json.loads(out.read_text())
    ours, bare = results["targets"]["draftroom"], results["targets"]["bare"]
    for target in (ours, bare):
        assert target["connected_max"] == 50
        assert target["steady"]["picks_per_s"] > 0
        assert target["steady"]["pick_ms"]["n"] > 0
        assert target["storm"]["sockets"] == 50
        assert target["storm"]["failed"] == 0
    check = ours["check"]
    assert check["stored_picks"] > 0
    assert check["acked"] > 0
    assert check["lost_total"] == 0, check
    assert check["doubled_total"] == 0, check
    assert check["sockets"] == 50
