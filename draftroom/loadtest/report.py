"""Figures: percentiles, per-phase summaries, and the printed report with ratios to the bare
baseline and the issue's targets (reported, never asserted)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

TARGET_P99_MS = 25.0
TARGET_RATIO = 1.5
TARGET_RAMP_P99_MS = 100.0
TARGET_RAMP_RATE = 500.0
TARGET_LATE_P99_MS = 50.0
TARGET_STORM_S = 20.0
TARGET_SOCKETS = 10_000


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


def _ratio(ours: Any, bare: Any) -> str:
    if not isinstance(ours, int | float) or not isinstance(bare, int | float) or not bare:
        return "-"
    return f"{ours / bare:.2f}x"


def _verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("met" if ok else "MISSED")


def _row(name: str, ours: Any, bare: Any, target: str, ok: bool | None, digits: int = 1) -> str:
    return (
        f"  {name:<38} {_f(ours, digits):>12} {_f(bare, digits):>12} "
        f"{_ratio(ours, bare):>8}  {target:<22} {_verdict(ok)}"
    )


def _get(result: dict[str, Any] | None, *path: str) -> Any:
    node: Any = result or {}
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def headline(ours: dict[str, Any], bare: dict[str, Any] | None) -> list[str]:
    """The table of the issue's figures: ours, bare, ratio, target."""
    p99 = _get(ours, "steady", "pick_ms", "p99")
    bare_p99 = _get(bare, "steady", "pick_ms", "p99")
    late = _get(ours, "autopick", "late_ms", "p99")
    storm = _get(ours, "storm", "seconds")
    storm_ok = storm is not None and _get(ours, "storm", "failed") == 0 and storm < TARGET_STORM_S
    ramp = _get(ours, "max_rate_under_100ms")
    check = _get(ours, "check") or {}
    lost = check.get("lost_total")
    doubled = check.get("doubled_total")
    ratio_ok = None if not (p99 and bare_p99) else p99 <= TARGET_RATIO * bare_p99
    connected = _get(ours, "connected_max")
    header = f"  {'figure':<38} {'draftroom':>12} {'bare':>12} {'ratio':>8}  {'target':<22} verdict"
    return [
        header,
        _row(
            "sockets connected (max)",
            connected,
            _get(bare, "connected_max"),
            f">= {TARGET_SOCKETS:,}",
            None if connected is None else connected >= TARGET_SOCKETS,
        ),
        _row(
            "sockets in the steady phase",
            _get(ours, "steady_sockets"),
            _get(bare, "steady_sockets"),
            "5,000",
            None,
        ),
        _row(
            "picks/s committed (steady)",
            _get(ours, "steady", "picks_per_s"),
            _get(bare, "steady", "picks_per_s"),
            "200",
            None,
        ),
        _row(
            "pick->broadcast p50 ms (steady)",
            _get(ours, "steady", "pick_ms", "p50"),
            _get(bare, "steady", "pick_ms", "p50"),
            "",
            None,
            2,
        ),
        _row(
            "pick->broadcast p95 ms (steady)",
            _get(ours, "steady", "pick_ms", "p95"),
            _get(bare, "steady", "pick_ms", "p95"),
            "",
            None,
            2,
        ),
        _row(
            "pick->broadcast p99 ms (steady)",
            p99,
            bare_p99,
            f"< {TARGET_P99_MS:g} ms, <= {TARGET_RATIO}x bare",
            None if p99 is None else p99 < TARGET_P99_MS and ratio_ok is not False,
            2,
        ),
        _row(
            "picks/s before p99 > 100 ms",
            ramp,
            _get(bare, "max_rate_under_100ms"),
            f">= {TARGET_RAMP_RATE:g}",
            None if ramp is None else ramp >= TARGET_RAMP_RATE,
        ),
        _row("autopick lateness p50 ms", _get(ours, "autopick", "late_ms", "p50"), None, "", None),
        _row(
            "autopick lateness p99 ms",
            late,
            None,
            f"< {TARGET_LATE_P99_MS:g} ms",
            None if late is None else late < TARGET_LATE_P99_MS,
        ),
        _row(
            "server RSS MB per 1,000 sockets",
            _get(ours, "rss_mb_per_1k"),
            _get(bare, "rss_mb_per_1k"),
            "",
            None,
        ),
        _row(
            "reconnect storm s (all back+synced)",
            storm,
            _get(bare, "storm", "seconds"),
            f"< {TARGET_STORM_S:g} s",
            None if storm is None else storm_ok,
            2,
        ),
        _row(
            "storm sockets",
            _get(ours, "storm", "sockets"),
            _get(bare, "storm", "sockets"),
            "10,000",
            None,
        ),
        _row(
            "errors (acks refused, failed connects)",
            _get(ours, "error_total"),
            _get(bare, "error_total"),
            "",
            None,
        ),
        _row("lost picks", lost, None, "0", None if lost is None else lost == 0),
        _row("doubled picks", doubled, None, "0", None if doubled is None else doubled == 0),
    ]


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
    lines += ["", *headline(ours, bare)]
    for name, result in results["targets"].items():
        lines += ["", *phase_lines(name, result)]
    lines.append("")
    return "\n".join(lines)
