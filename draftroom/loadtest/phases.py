"""The phases of one target's run: connect, steady rate, ramp, more sockets, reconnect storm,
and (for draftroom) the lost/doubled check against the database."""

from __future__ import annotations

import asyncio
import math
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import psutil

from draftroom.loadtest import fanout, report, stack
from draftroom.loadtest.pool import WorkerPool
from draftroom.loadtest.routing import LEAGUE
from draftroom.loadtest.spec import LeagueSpec, Target
from draftroom.loadtest.tracking import merge

PidSource = Callable[[], list[int]]
Probe = Callable[[], Awaitable[dict[str, Any]]]
RAMP_LIMIT_MS = 100.0
RECOVER_S = 6.0
"""Warm-up before a lower rate: the queues of an overloaded phase must drain first."""


@dataclass(frozen=True)
class Plan:
    """Sizes and durations of a run (from the command line)."""

    sockets: int
    max_sockets: int
    rate: float
    ramp: tuple[float, ...]
    """Target picks/s of the ramp steps (0: as fast as the bots are allowed)."""
    warmup_s: float
    opening_s: float
    """Extra warm-up of the first steady phase: the first drafts open meanwhile."""
    steady_s: float
    step_s: float
    storm: bool
    connect_concurrency: int
    spread: str = LEAGUE
    """Which server each socket connects to (``routing``)."""


class Meter:
    """CPU use of process groups between two marks, in percent of one core; ``machine`` is
    the whole machine's busy time, ``others`` what no group accounts for (other users), and
    ``steal`` the time the hypervisor gave our virtual CPUs to someone else (not ours to
    use: a phase with much of it ran on less than two cores)."""

    def __init__(self, groups: dict[str, PidSource]) -> None:
        self.groups = groups

    def mark(self) -> tuple[float, dict[str, float]]:
        """A snapshot: (monotonic time, CPU seconds per group)."""
        cpu = {k: stack.cpu_seconds(f()) for k, f in self.groups.items()}
        times = psutil.cpu_times()
        steal = getattr(times, "steal", 0.0)
        cpu["machine"] = sum(times) - times.idle - getattr(times, "iowait", 0.0) - steal
        cpu["steal"] = steal
        return time.monotonic(), cpu

    def since(self, snap: tuple[float, dict[str, float]]) -> dict[str, float]:
        """Percent of one core used by each group since ``snap``."""
        now, cpu = self.mark()
        wall = max(1e-6, now - snap[0])
        out = {k: round(100 * (cpu[k] - snap[1].get(k, 0.0)) / wall, 1) for k in cpu}
        known = sum(
            v
            for k, v in out.items()
            if k not in ("machine", "steal") and not k.startswith("server ")
        )
        out["others"] = round(max(0.0, out["machine"] - known), 1)
        return out


def overloaded(row: dict[str, Any]) -> bool:
    """A phase whose p99 passed RAMP_LIMIT_MS, that timed no pick at all (every round trip
    outlasted it), or that committed under 80 % of the rate it was offered."""
    p99 = row["pick_ms"]["p99"]
    rate = row.get("rate_target") or 0
    return p99 is None or p99 > RAMP_LIMIT_MS or bool(rate and row["picks_per_s"] < 0.8 * rate)


class TargetRun:
    """Drives the generator processes through the phases against one target."""

    def __init__(
        self,
        pool: WorkerPool,
        specs: list[LeagueSpec],
        target: Target,
        plan: Plan,
        meter: Meter,
        probe: Probe | None = None,
    ) -> None:
        self.probe = probe
        self.pool = pool
        self.specs = specs
        self.target = target
        self.plan = plan
        self.meter = meter
        self.result: dict[str, Any] = {"name": target.name}
        self.late: list[float] = []
        self.late_server: list[float] = []
        self.errors: dict[str, int] = {}
        self.duplicates = 0
        self.stormed = False
        self.late_after_storm: list[float] = []
        self.stage = "setup"
        """What the load was doing since the last collect (autopick lateness by stage)."""
        self.late_by_stage: dict[str, list[float]] = {}
        self.active_rooms = sum(1 for s in specs if not s.autopick)
        self.team_socks = sum(len(s.teams) for s in specs)

    def log(self, text: str) -> None:
        """Progress on stderr-like output (flushed at once)."""
        print(f"[{self.target.name}] {text}", flush=True)

    async def collect(self) -> dict[str, Any]:
        """Merged worker stats since the last collect (autopick samples and errors kept)."""
        stats = merge(await self.pool.call("collect"))
        if self.stormed:  # after the storm: reported apart (reconnections, failover)
            self.late_after_storm += stats.get("late_ms", [])
        else:
            self.late += stats.get("late_ms", [])
            self.late_server += stats.get("late_server_ms", [])
        self.late_by_stage.setdefault(self.stage, []).extend(stats.get("late_ms", []))
        self.duplicates += stats.get("duplicates", 0)
        for code, n in stats.get("errors", {}).items():
            self.errors[code] = self.errors.get(code, 0) + n
        return stats

    async def connect(self, total: int) -> dict[str, Any]:
        """Open sockets until about ``total`` are connected (spectators spread evenly)."""
        have = (await self.collect())["connected"]
        self.stage = f"connecting to {total:,} sockets"
        spectators = max(0, total - max(have, self.team_socks))
        per_room = math.ceil(spectators / len(self.specs)) if spectators else 0
        gate = max(1, self.plan.connect_concurrency // len(self.pool.conns))
        answers = await self.pool.call("connect", spectators=per_room, concurrency=gate)
        times = [t for a in answers for t in a["connect_ms"]]
        per_port: dict[int, int] = {}
        for a in answers:
            for port, n in a["per_port"].items():
                per_port[port] = per_port.get(port, 0) + n
        failed = sum(a["failed"] for a in answers)
        if failed:
            self.errors["connect_failed"] = self.errors.get("connect_failed", 0) + failed
        out = {
            "connected": sum(a["connected"] for a in answers),
            "opened": sum(a["opened"] for a in answers),
            "failed": failed,
            "failures": [f for a in answers for f in a["failures"]][:5],
            "seconds": round(max(a["seconds"] for a in answers), 2),
            "connect_ms": report.dist(times),
            "sockets_per_server": [per_port.get(port, 0) for port in self.target.ports],
        }
        self.log(f"connected {out['connected']} sockets in {out['seconds']} s ({failed} failed)")
        return out

    async def measure(self, rate: float | None, seconds: float, warmup: float) -> dict[str, Any]:
        """Bots at ``rate`` picks/s: warm up, then measure ``seconds``."""
        await self.collect()
        self.stage = f"warm-up at {rate or 'max'} picks/s"
        await self.pool.call(
            "start", rate=rate, active_rooms=self.active_rooms, autopick=not self.target.bare
        )
        await asyncio.sleep(warmup)
        await self.collect()
        self.stage = f"measured at {rate or 'max'} picks/s"
        before = await self.scrape()
        snap = self.meter.mark()
        started = time.monotonic()
        await asyncio.sleep(seconds)
        after = await self.scrape()
        stats = await self.collect()
        self.stage = "between phases"
        out = report.phase(stats, time.monotonic() - started, self.meter.since(snap))
        out["fanout"] = fanout.delta(before, after) if before and after else None
        out["rate_target"] = rate or 0
        out["sockets"] = stats.get("connected", 0)
        if self.probe is not None:
            out.update(await self.probe())
        p99 = out["pick_ms"]["p99"]
        self.log(
            f"rate {rate or 'max'}: {out['picks_per_s']} picks/s, p99 {p99} ms, "
            f"cpu {out['cpu_percent']}"
        )
        return out

    async def scrape(self) -> list[fanout.Counters | None] | None:
        """The servers' counters (``/metrics``); None for the bare baselines (no metrics)."""
        if self.target.bare:
            return None
        return await fanout.scrape(
            self.target.host, self.target.ports, token=self.target.metrics_token
        )

    async def run(self, verify: Callable[[], Any] | None) -> dict[str, Any]:
        """Every phase; returns the target's figures."""
        plan, result = self.plan, self.result
        await self.pool.call(
            "target",
            target=self.target,
            spread=plan.spread,
            per_worker=[{"offset": i} for i in range(len(self.pool.conns))],
        )
        result["processes"] = len(self.target.ports)
        rss_idle = stack.rss_bytes(self.target.pids)
        run_start = await self.scrape()
        result["connect"] = await self.connect(plan.sockets)
        result["steady_sockets"] = result["connect"]["connected"]
        first_warmup = plan.warmup_s + plan.opening_s
        result["steady"] = await self.measure(plan.rate, plan.steady_s, first_warmup)
        result["ramp"] = await self.ramp(result["steady"])
        under = [r["picks_per_s"] for r in [result["steady"], *result["ramp"]] if not overloaded(r)]
        result["max_rate_under_100ms"] = max(under) if under else None
        rates = [r["rate_target"] for r in [result["steady"], *result["ramp"]] if r["rate_target"]]
        background = min(plan.rate, result["max_rate_under_100ms"] or min(rates, default=plan.rate))
        result["background_rate"] = background  # while more sockets connect and in the storm
        await self.pool.call(
            "start", rate=background, active_rooms=self.active_rooms, autopick=not self.target.bare
        )
        if plan.max_sockets > result["steady_sockets"]:
            result["connect_more"] = await self.connect(plan.max_sockets)
        await asyncio.sleep(1.0)
        connected = (await self.collect())["connected"]
        result["connected_max"] = connected
        rss = stack.rss_bytes(self.target.pids)
        result["rss_mb"] = round(rss / 1e6, 1)
        if connected and self.target.pids:
            result["rss_mb_per_1k"] = round((rss - rss_idle) / connected * 1000 / 1e6, 1)
        if plan.storm:
            await self.storm()
        await asyncio.sleep(1.0)
        run_end = await self.scrape()
        if run_start and run_end:  # every phase, 10,000 sockets and the storm included
            result["gc"] = fanout.delta(run_start, run_end)["gc"]
        await self.collect()
        await self.pool.call("stop")
        await asyncio.sleep(1.0)
        if verify is not None:
            check = await verify()
            check["duplicate_deliveries"] = self.duplicates
            check["doubled_total"] += self.duplicates
            result["check"] = check
        await self.collect()
        result["autopick"] = {
            "late_ms": report.dist(self.late),
            "late_server_ms": report.dist(self.late_server),
            "late_after_storm_ms": report.dist(self.late_after_storm),
            "late_by_stage": {
                stage: report.dist(samples)
                for stage, samples in self.late_by_stage.items()
                if samples
            },
        }
        result["errors"] = self.errors
        result["error_total"] = sum(self.errors.values())
        await self.pool.call("close")
        return result

    async def ramp(self, steady: dict[str, Any]) -> list[dict[str, Any]]:
        """Up through ``plan.ramp`` until a step is overloaded; or, when the steady phase
        already is, down by halves until a step is not."""
        rows: list[dict[str, Any]] = []
        if overloaded(steady):
            for k in (1, 2, 3):
                rate = self.plan.rate / 2**k
                rows.append(await self.measure(rate, self.plan.step_s, RECOVER_S))
                if not overloaded(rows[-1]):
                    break
            return rows
        for rate in self.plan.ramp:
            row = await self.measure(rate or None, self.plan.step_s, self.plan.warmup_s)
            rows.append(row)
            if overloaded(row):
                break
        return rows

    async def storm(self) -> None:
        """Drop every socket at once; time until all are back and resynced."""
        await self.collect()
        self.stage = "storm and after"
        snap = self.meter.mark()
        gate = max(1, self.plan.connect_concurrency // len(self.pool.conns))
        self.stormed = True
        answers = await self.pool.call("storm", concurrency=gate)
        cpu = self.meter.since(snap)
        stats = await self.collect()
        self.result["storm"] = {
            "sockets": sum(a["sockets"] for a in answers),
            "failed": sum(a["failed"] for a in answers),
            "failures": [f for a in answers for f in a["failures"]][:5],
            "seconds": round(max(a["seconds"] for a in answers), 2),
            "gap_syncs": stats.get("gap_syncs", 0),
            "cpu_percent": cpu,
        }
        self.log(f"storm: {self.result['storm']}")


def generator_pids(pool: WorkerPool) -> PidSource:
    """The generator's processes: this one and the workers."""
    return lambda: [os.getpid(), *pool.pids]
