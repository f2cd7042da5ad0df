"""``draftroom loadtest`` end to end, tiny: 3 leagues x 4 teams and 48 sockets for a few
seconds against its own 2 ``draftroom serve`` processes and the bare baselines (``bare1``:
one process; ``bare``: 2 processes through Redis), on the test session's PostgreSQL and
Redis. It checks behaviour, not timings: every target ran every phase, the sockets of each
league went to one server, the storm came back, and no pick was lost or doubled."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
PER_ROOM = 16  # 4 bots + 12 spectators


def test_tiny_run_reports_no_lost_or_doubled_picks(
    db: None, server_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "loadtest.json"
    argv = [
        sys.executable, "-m", "draftroom.cli", "loadtest", "--env-services",
        "--leagues", "3", "--teams", "4", "--autopick-leagues", "0", "--drafts", "3",
        "--sockets", "48", "--max-sockets", "48", "--rate", "8", "--ramp", "",
        "--warmup-seconds", "0.5", "--opening-seconds", "1", "--steady-seconds", "2",
        "--servers", "2", "--workers", "1", "--json", str(out),
    ]  # fmt: skip
    done = subprocess.run(
        argv, env=server_env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "lost picks" in done.stdout
    assert "spread: league" in done.stdout
    results: dict[str, Any] = json.loads(out.read_text())
    assert results["spread"] == "league"
    assert list(results["targets"]) == ["bare1", "bare", "draftroom"]  # the order they ran
    targets = results["targets"]
    assert [targets[t]["processes"] for t in ("bare1", "bare", "draftroom")] == [1, 2, 2]
    for target in targets.values():
        assert target["connected_max"] == 48
        assert target["steady"]["picks_per_s"] > 0
        assert target["steady"]["pick_ms"]["n"] > 0
        assert target["storm"]["sockets"] == 48
        assert target["storm"]["failed"] == 0
    for name in ("bare", "draftroom"):  # whole rooms per server (alternating gives 24 + 24)
        per_server = targets[name]["connect"]["sockets_per_server"]
        assert sum(per_server) == 48
        assert all(n % PER_ROOM == 0 for n in per_server), per_server
    check = targets["draftroom"]["check"]
    assert check["stored_picks"] > 0
    assert check["acked"] > 0
    assert check["lost_total"] == 0, check
    assert check["doubled_total"] == 0, check
    assert check["sockets"] == 48
