"""Figures: percentiles, per-phase summaries, and the printed report with ratios to the bare
baselines and the issue's targets (reported, never asserted)."""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable, Sequence
from typing import Any

from draftroom.loadtest import fanout

# Issue 10's targets (the steady phase is the default 200 picks/s offered).
TARGET_STEADY_RATE = 190.0
TARGET_P99_MS = 50.0
TARGET_RAMP_P99_MS = 100.0
TARGET_RAMP_RATE = 200.0
TARGET_CPU_MS = 4.0
TARGET_LATE_P99_MS = 250.0
TARGET_STORM_S = 30.0
TARGET_SOCKETS = 10_000
TARGET_RSS_MB = 50.0


def pct(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (nearest rank) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def dist(values: Sequence[float]) -> dict[str, Any]:
    """``{n, p50, p95, p99, max}`` of a sample (ms)."""
    return {
        "n": len(values),
        "p50": pct(values, 50),
        "p95": pct(values, 95),
        "p99": pct(values, 99),
        "max": max(values) if values else None,
    }


def phase(stats: dict[str, Any], seconds: float, cpu: dict[str, float]) -> dict[str, Any]:
    """Summary of one measured phase from merged worker stats."""
    return {
        "seconds": round(seconds, 2),
        "picks_per_s": round(stats.get("picks", 0) / seconds, 1) if seconds else 0.0,
        "pick_ms": dist(stats.get("pick_ms", [])),
        "first_ms": dist(stats.get("first_ms", [])),
        "ack_ms": dist(stats.get("ack_ms", [])),
        "autopicks": stats.get("autopicks", 0),
        "deliveries_per_s": round(stats.get("deliveries", 0) / seconds) if seconds else 0,
        "duplicates": stats.get("duplicates", 0),
        "gap_syncs": stats.get("gap_syncs", 0),
        "incomplete": stats.get("incomplete", 0),
        "errors": stats.get("errors", {}),
        "cpu_percent": cpu,
        "slow": stats.get("slow", []),
        "generator_lag_ms": dist(stats.get("lag_ms", [])),
    }


def _f(value: Any, digits: int = 1, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{unit}"
    return f"{value:,}{unit}" if isinstance(value, int) else f"{value}{unit}"


def _ratio(ours: Any, base: Any) -> str:
    if not isinstance(ours, int | float) or not isinstance(base, int | float) or not base:
        return "-"
    return f"{ours / base:.2f}x"


def _verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("met" if ok else "MISSED")


def _get(result: dict[str, Any] | None, *path: str) -> Any:
    node: Any = result or {}
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def cpu_ms_per_pick(row: dict[str, Any] | None) -> float | None:
    """Server CPU ms per committed pick in a phase (the servers' % of one core / picks/s)."""
    cpu = _get(row, "cpu_percent", "servers")
    rate = _get(row, "picks_per_s")
    if not isinstance(cpu, int | float) or not rate:
        return None
    return round(cpu * 10 / rate, 2)


Getter = Callable[[dict[str, Any] | None], Any]


def _path(*path: str) -> Getter:
    return lambda result: _get(result, *path)


Verdict = Callable[[Any, Any, dict[str, Any]], bool]
"""(draftroom's value, bare's value, draftroom's result) -> target met."""


def _at_least(limit: float) -> Verdict:
    return lambda v, _b, _o: v >= limit


def _at_most(limit: float) -> Verdict:
    return lambda v, _b, _o: v <= limit


def _below(limit: float) -> Verdict:
    return lambda v, _b, _o: v < limit


def _storm_ok(value: Any, _base: Any, ours: dict[str, Any]) -> bool:
    return bool(value <= TARGET_STORM_S and _get(ours, "storm", "failed") == 0)


def _zero(value: Any, _base: Any, _ours: dict[str, Any]) -> bool:
    return bool(value == 0)


ROWS: list[tuple[str, Getter, str, Verdict | None, int]] = [
    ("sockets connected (max)", _path("connected_max"), ">= 10,000", _at_least(TARGET_SOCKETS), 1),
    ("sockets (steady phase)", _path("steady_sockets"), "5,000", None, 1),
    (
        "picks/s committed (steady)",
        _path("steady", "picks_per_s"),
        f">= {TARGET_STEADY_RATE:g}",
        _at_least(TARGET_STEADY_RATE),
        1,
    ),
    ("pick->broadcast p50 ms (steady)", _path("steady", "pick_ms", "p50"), "", None, 2),
    ("pick->broadcast p95 ms (steady)", _path("steady", "pick_ms", "p95"), "", None, 2),
    (
        "pick->broadcast p99 ms (steady)",
        _path("steady", "pick_ms", "p99"),
        f"< {TARGET_P99_MS:g} ms",
        _below(TARGET_P99_MS),
        2,
    ),
    (
        "picks/s before p99 > 100 ms",
        _path("max_rate_under_100ms"),
        f">= {TARGET_RAMP_RATE:g}",
        _at_least(TARGET_RAMP_RATE),
        1,
    ),
    (
        "server CPU ms per pick (steady)",
        lambda r: cpu_ms_per_pick(_get(r, "steady")),
        f"<= {TARGET_CPU_MS:g} ms",
        _at_most(TARGET_CPU_MS),
        2,
    ),
    ("autopick lateness p50 ms", _path("autopick", "late_ms", "p50"), "", None, 1),
    (
        "autopick lateness p99 ms",
        _path("autopick", "late_ms", "p99"),
        f"< {TARGET_LATE_P99_MS:g} ms",
        _below(TARGET_LATE_P99_MS),
        1,
    ),
    (
        "server RSS MB per 1,000 sockets",
        _path("rss_mb_per_1k"),
        f"<= {TARGET_RSS_MB:g} MB",
        _at_most(TARGET_RSS_MB),
        1,
    ),
    (
        "reconnect storm s (all back+synced)",
        _path("storm", "seconds"),
        f"<= {TARGET_STORM_S:g} s, 0 failed",
        _storm_ok,
        2,
    ),
    ("storm sockets", _path("storm", "sockets"), "10,000", None, 1),
    (
        "GC pauses > 50 ms (whole run)",
        _path("gc", "over_50ms"),
        "0",
        _zero,
        1,
    ),
    ("errors (acks refused, failed connects)", _path("error_total"), "", None, 1),
    ("lost picks", _path("check", "lost_total"), "0", _zero, 1),
    ("doubled picks", _path("check", "doubled_total"), "0", _zero, 1),
]
"""The issue's figures: label, a target's value, target, verdict (for draftroom), digits."""


def headline(
    ours: dict[str, Any], bare: dict[str, Any] | None, bare1: dict[str, Any] | None = None
) -> list[str]:
    """The table of the issue's figures: draftroom, both baselines, draftroom's ratio to each
    (to ``bare``: what the design costs; to ``bare1``: what the language costs), target."""
    lines = [
        f"  {'figure':<38} {'draftroom':>11} {'bare':>11} {'bare1':>11} "
        f"{'vs bare':>8} {'vs bare1':>8}  {'target':<22} verdict"
    ]
    for label, get, target, verdict, digits in ROWS:
        value, base, base1 = get(ours), get(bare), get(bare1)
        ok = None if value is None or verdict is None else verdict(value, base, ours)
        mark = _verdict(ok)
        if (
            ok is False
            and verdict is not None
            and base1 is not None
            and bare1 is not None
            and not verdict(base1, base, bare1)
        ):
            mark = "met: bare1 misses too"  # the rule: beyond this machine
        lines.append(
            f"  {label:<38} {_f(value, digits):>11} {_f(base, digits):>11} "
            f"{_f(base1, digits):>11} {_ratio(value, base):>8} {_ratio(value, base1):>8}  "
            f"{target:<22} {mark}"
        )
    return lines


def _cpu(cpu: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.0f}" for k, v in cpu.items())


def phase_lines(name: str, result: dict[str, Any]) -> list[str]:
    """Every measured phase of one target: rate, achieved, latency, CPU."""
    lines = [f"  {name}: phase       target/s  achieved/s   p50 ms   p95 ms   p99 ms  sockets"]
    phases = [("steady", result.get("steady"))] + [("ramp", r) for r in result.get("ramp", [])]
    for label, row in phases:
        if not row:
            continue
        lines.append(
            f"    {label:<16} {_f(row['rate_target'], 0):>8} {_f(row['picks_per_s']):>11} "
            f"{_f(row['pick_ms']['p50'], 2):>8} {_f(row['pick_ms']['p95'], 2):>8} "
            f"{_f(row['pick_ms']['p99'], 2):>8}  {_f(row.get('sockets'))}"
        )
        lines.append(f"    {'':<16} cpu% (of one core): {_cpu(row.get('cpu_percent', {}))}")
        if "fanout" in row:
            lines.append(f"    {'':<16} {fanout.line(row['fanout'])}")
            lines.append(f"    {'':<16} {fanout.gc_line(row['fanout'])}")
        lag = row.get("generator_lag_ms") or {}
        if lag.get("n"):
            lines.append(
                f"    {'':<16} generator loop lag p50/p99/max "
                f"{_f(lag['p50'])}/{_f(lag['p99'])}/{_f(lag['max'])} ms"
            )
        if "db_stuck_transactions" in row:
            lines.append(
                f"    {'':<16} db: {row['db_busy_connections']} busy connections, "
                f"{row['db_stuck_transactions']} transactions idle > 5 s"
            )
    if result.get("storm"):
        storm = result["storm"]
        lines.append(
            f"    storm: {storm['sockets']} sockets back and synced in {storm['seconds']} s, "
            f"{storm['failed']} failed; cpu% {_cpu(storm.get('cpu_percent', {}))}"
        )
    for key in ("connect", "connect_more"):
        if result.get(key):
            c = result[key]
            lines.append(
                f"    {key}: {c['connected']} connected in {c['seconds']} s, "
                f"{c['failed']} failed, handshake p50/p99 {_f(c['connect_ms']['p50'])}/"
                f"{_f(c['connect_ms']['p99'])} ms; sockets per server "
                f"{c.get('sockets_per_server', '-')}"
            )
    stages = (result.get("autopick") or {}).get("late_by_stage") or {}
    if stages:
        lines.append("    autopick lateness by stage (n, p50/p99/max ms):")
        for stage, late in stages.items():
            lines.append(
                f"      {stage:<34} {late['n']:>5}  {_f(late['p50'])}/{_f(late['p99'])}/"
                f"{_f(late['max'])}"
            )
    if result.get("errors"):
        lines.append(f"    errors: {result['errors']}")
    if result.get("check"):
        lines.append(f"    check: {result['check']}")
    return lines


def _spread(spread: str | None) -> str:
    if spread == "alternate":
        return "alternate (sockets take the servers in turn: broadcasts cross Redis)"
    return "league (every socket of league N on server N % servers; URL ?league=N)"


def render(results: dict[str, Any]) -> str:
    """The whole printed report."""
    ours = results["targets"].get("draftroom") or {}
    bare = results["targets"].get("bare")
    bare1 = results["targets"].get("bare1")
    machine = results["machine"]
    lines = [
        "",
        "draftroom loadtest",
        f"  command: {results['command']}",
        f"  machine: {machine['cores']} cores, {machine['memory_gb']:.0f} GB, Python "
        f"{machine['python']}; load average {machine['loadavg']} at start, "
        f"{machine.get('loadavg_end', '-')} at the end",
        f"  spread: {_spread(results.get('spread'))}",
        "  note: the load generator runs on the same cores as the servers, PostgreSQL and Redis",
        "        (and whatever else runs on the machine: 'others'); cpu% = percent of one core.",
    ]
    if results.get("interrupted") or results.get("failed"):
        lines.append(f"  INCOMPLETE: {results.get('failed') or 'interrupted'}")
    lines += ["", *headline(ours, bare, bare1)]
    for name, result in results["targets"].items():
        lines += ["", *phase_lines(name, result)]
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m draftroom.loadtest.report RUN.json``: print a saved run's report again."""

    parser = argparse.ArgumentParser(prog="python -m draftroom.loadtest.report")
    parser.add_argument("json_file")
    args = parser.parse_args(argv)
    with open(args.json_file) as handle:
        print(render(json.load(handle)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
