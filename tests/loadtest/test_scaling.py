"""The scaling table from ``draftroom loadtest --json`` files of separate runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from draftroom.loadtest.scaling import main, rows


def target(processes: int, picks: float, p99: float, cpu: float, received: float | None) -> Any:
    steady: dict[str, Any] = {
        "rate_target": 200.0,
        "picks_per_s": picks,
        "pick_ms": {"p99": p99},
        "cpu_percent": {"servers": cpu, **{f"server {i}": 1.0 for i in range(processes)}},
        "fanout": None if received is None else {"received_per_pick_per_process": received},
    }
    return {"processes": processes, "steady": steady, "max_rate_under_100ms": picks / 2}


def run(tmp_path: Path, servers: int) -> Path:
    results = {
        "command": f"draftroom loadtest --servers {servers}",
        "targets": {
            "bare1": target(1, 200.0, 10.0, 60.0, None),
            "bare": target(servers, 200.0, 20.0, 80.0, None),
            "draftroom": target(servers, 50.0 * servers, 40.0, 100.0, 1.0 / servers),
        },
    }
    path = tmp_path / f"scaling-{servers}.json"
    path.write_text(json.dumps(results))
    return path


def test_rows_are_grouped_by_target_then_servers(tmp_path: Path) -> None:
    files = {p.name: json.loads(p.read_text()) for p in (run(tmp_path, n) for n in (4, 1, 2))}
    table = [(r["target"], r["servers"]) for r in rows(files)]
    assert table == [
        ("bare1", 1), ("bare1", 1), ("bare1", 1),
        ("bare", 1), ("bare", 2), ("bare", 4),
        ("draftroom", 1), ("draftroom", 2), ("draftroom", 4),
    ]  # fmt: skip
    four = next(r for r in rows(files) if r["target"] == "draftroom" and r["servers"] == 4)
    assert four["picks_per_s"] == 200.0
    assert four["p99_ms"] == 40.0
    assert four["max_rate_under_100ms"] == 100.0
    assert four["cpu_ms_per_pick"] == 5.0  # 100 % of a core / 200 picks/s
    assert four["received_per_pick_per_process"] == 0.25
    assert four["run"] == "scaling-4.json"


def test_older_files_count_processes_from_the_cpu_groups(tmp_path: Path) -> None:
    result = target(3, 10.0, 1.0, 10.0, None)
    del result["processes"]
    assert rows({"old.json": {"targets": {"draftroom": result}}})[0]["servers"] == 3


def test_command_prints_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(run(tmp_path, 1)), str(run(tmp_path, 2))]) == 0
    out = capsys.readouterr().out
    assert "scaling-2.json: draftroom loadtest --servers 2" in out
    line = next(x for x in out.splitlines() if x.split()[:2] == ["draftroom", "2"])
    assert line.split() == ["draftroom", "2", "200", "100.0", "40.00", "50.0", "10.00", "0.500",
                            "scaling-2.json"]  # fmt: skip
    assert next(x for x in out.splitlines() if x.split()[:1] == ["bare"]).split()[-2] == "-"


def test_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--markdown", str(run(tmp_path, 1))]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("| target | servers |")
    assert "| draftroom | 1 | 200 | 50.0 | 40.00 | 25.0 | 20.00 | 1.000 | scaling-1.json |" in lines


def test_unreadable_file(tmp_path: Path) -> None:
    assert main([str(tmp_path / "missing.json")]) == 2
