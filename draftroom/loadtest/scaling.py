"""The scaling table: one row per target and server count, from ``draftroom loadtest --json``
files of separate runs (one per ``--servers`` value; each starts its own deployment)::

    opts="--no-storm --max-sockets 0"   # the table uses the steady phase and the ramp
    draftroom loadtest --servers 1 $opts --json scaling-1.json
    for n in 2 4; do
        draftroom loadtest --servers $n --targets bare,draftroom $opts --json scaling-$n.json
    done
    python -m draftroom.loadtest.scaling scaling-1.json scaling-2.json scaling-4.json

Every figure is the steady phase's (at ``--rate``), except the rate before p99 passes
100 ms, which comes from the ramp.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from draftroom.loadtest.report import cpu_ms_per_pick

ORDER = ("bare1", "bare", "draftroom")
COLUMNS = (
    ("target", 10),
    ("servers", 7),
    ("offered/s", 9),
    ("picks/s", 9),
    ("p99 ms", 9),
    ("picks/s before p99 > 100 ms", 27),
    ("CPU ms/pick", 11),
    ("Redis received/pick/process", 27),
)


def processes(result: dict[str, Any]) -> int | None:
    """The target's server processes (older files: counted from the per-server CPU)."""
    if isinstance(result.get("processes"), int):
        return int(result["processes"])
    cpu = (result.get("steady") or {}).get("cpu_percent") or {}
    count = sum(1 for key in cpu if key.startswith("server "))
    return count or None


def row(name: str, result: dict[str, Any], run: str) -> dict[str, Any]:
    """The scaling figures of one target in one run."""
    steady = result.get("steady") or {}
    fan = steady.get("fanout") or {}
    return {
        "target": name,
        "servers": processes(result),
        "offered": steady.get("rate_target"),
        "picks_per_s": steady.get("picks_per_s"),
        "p99_ms": (steady.get("pick_ms") or {}).get("p99"),
        "max_rate_under_100ms": result.get("max_rate_under_100ms"),
        "cpu_ms_per_pick": cpu_ms_per_pick(steady),
        "received_per_pick_per_process": fan.get("received_per_pick_per_process"),
        "run": run,
    }


def rows(files: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Every target of every run, grouped by target (bare1, bare, draftroom), by servers."""
    out = [
        row(name, result, run)
        for run, results in files.items()
        for name, result in (results.get("targets") or {}).items()
    ]
    rank = {name: i for i, name in enumerate(ORDER)}
    return sorted(out, key=lambda r: (rank.get(r["target"], len(ORDER)), r["servers"] or 0))


def _f(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def _cells(r: dict[str, Any]) -> list[str]:
    return [
        r["target"],
        _f(r["servers"]),
        _f(r["offered"], 0),
        _f(r["picks_per_s"]),
        _f(r["p99_ms"], 2),
        _f(r["max_rate_under_100ms"]),
        _f(r["cpu_ms_per_pick"], 2),
        _f(r["received_per_pick_per_process"], 3),
        r["run"],
    ]


def table(files: dict[str, dict[str, Any]], *, markdown: bool = False) -> str:
    """The printed scaling table (plain, after the command of each run; or Markdown)."""
    titles = [title for title, _ in COLUMNS] + ["run"]
    if markdown:
        lines = ["| " + " | ".join(titles) + " |", "|" + "---|" * len(titles)]
        lines += ["| " + " | ".join(_cells(r)) + " |" for r in rows(files)]
        return "\n".join(lines)
    widths = [w for _, w in COLUMNS] + [0]
    lines = ["scaling (steady phase; '-': not measured or no fan-out metrics)", ""]
    lines += [f"  {run}: {results.get('command', '?')}" for run, results in files.items()]
    lines.append("")
    for cells in [titles, *(_cells(r) for r in rows(files))]:
        first, *rest, run = cells
        middle = " ".join(f"{c:>{w}}" for c, w in zip(rest, widths[1:-1], strict=True))
        lines.append(f"  {first:<{widths[0]}} {middle}  {run}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the scaling table of the given ``--json`` files."""
    parser = argparse.ArgumentParser(
        prog="python -m draftroom.loadtest.scaling",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", type=Path, nargs="+", help="draftroom loadtest --json files")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table (for the docs)")
    args = parser.parse_args(argv)
    files: dict[str, dict[str, Any]] = {}
    for path in args.files:
        try:
            files[path.name] = json.loads(path.read_text())
        except (OSError, ValueError) as error:
            print(f"{path}: {error}", file=sys.stderr)
            return 2
    print(table(files, markdown=args.markdown))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
