"""``draftroom loadtest``: N leagues of T bot teams drafting at once over real websockets,
plus idle spectators, against draftroom and two bare python-socketio baselines: ``bare1``
(one process, rooms in memory) and ``bare`` (as many processes as draftroom, sharing rooms
through Redis).

By default it starts everything itself (embedded PostgreSQL + Redis, migrate, seed,
``--servers`` ``draftroom serve`` processes and the bare-baseline processes), sets the
leagues up in the database, and spreads the sockets over ``--workers`` generator processes.
``--url`` drives an existing deployment instead (DATABASE_URL, REDIS_URL and the secret key
come from the environment, as for ``draftroom serve``). Figures are reported, not asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shlex
import signal
import sys
from pathlib import Path
from typing import Any

import psutil
import uvloop

from draftroom.loadtest import report
from draftroom.loadtest.deployment import Deployment, prepare, wait_ready
from draftroom.loadtest.phases import Meter, PidSource, Plan, TargetRun, generator_pids
from draftroom.loadtest.pool import WorkerPool
from draftroom.loadtest.populate import Plan as Population
from draftroom.loadtest.populate import populate
from draftroom.loadtest.routing import LEAGUE, SPREADS
from draftroom.loadtest.spec import Target
from draftroom.loadtest.verify import database_probe, read_database
from draftroom.loadtest.worker import raise_nofile

TARGETS = ("bare1", "bare", "draftroom")
"""What ``--targets`` may name, in the order they run."""


def _rates(text: str) -> tuple[float, ...]:
    return tuple(float(x) for x in text.split(",") if x.strip())


def _targets(text: str) -> tuple[str, ...]:
    names = {t.strip() for t in text.split(",") if t.strip()}
    unknown = names - set(TARGETS)
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"{', '.join(sorted(unknown)) or 'nothing'}: expected a subset of {','.join(TARGETS)}"
        )
    return tuple(t for t in TARGETS if t in names)


def parser() -> argparse.ArgumentParser:
    """The command line of ``draftroom loadtest``."""
    p = argparse.ArgumentParser(
        prog="draftroom loadtest",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    a = p.add_argument
    a("--url", action="append", default=[], help="an existing server (repeat for several)")
    a("--server-pid", type=int, action="append", default=[], help="pid of a --url server (RSS)")
    a(
        "--env-services",
        action="store_true",
        help="use DATABASE_URL/REDIS_URL of the environment instead of embedded services",
    )
    a("--servers", type=int, default=2, help="draftroom serve processes to start (default 2)")
    a(
        "--spread",
        choices=SPREADS,
        default=LEAGUE,
        help="league: every socket of league N on server N %% servers (default); "
        "alternate: sockets alternate between the servers, so broadcasts cross Redis",
    )
    a("--workers", type=int, default=2, help="load generator processes (default 2)")
    a("--leagues", type=int, default=400, help="leagues whose bots pick (default 400)")
    a(
        "--autopick-leagues",
        type=int,
        default=40,
        help="leagues with a 5 s clock whose odd teams never pick (default 40)",
    )
    a("--teams", type=int, default=10, help="teams per league (default 10)")
    a("--drafts", type=int, default=8, help="drafts prepared per league (default 8)")
    a("--sockets", type=int, default=5000, help="sockets for the steady and ramp phases")
    a("--max-sockets", type=int, default=10000, help="sockets for the storm phase")
    a("--rate", type=float, default=200.0, help="picks/s of the steady phase (default 200)")
    a(
        "--ramp",
        type=_rates,
        default=(300.0, 400.0, 500.0, 700.0, 1000.0, 0.0),
        help="picks/s of the ramp steps, 0 = as fast as allowed (default 300,...,1000,0)",
    )
    a("--warmup-seconds", type=float, default=2.0)
    a(
        "--opening-seconds",
        type=float,
        default=15.0,
        help="extra warm-up before the first steady phase, while the first drafts open "
        "(default 15)",
    )
    a("--steady-seconds", type=float, default=15.0)
    a("--step-seconds", type=float, default=5.0)
    a("--no-storm", action="store_true", help="skip the reconnect storm")
    a(
        "--targets",
        type=_targets,
        default=TARGETS,
        help="what to drive, any subset of bare1 (one bare process, no Redis), bare "
        "(--servers bare processes sharing rooms through Redis) and draftroom; they run in "
        "that order (default: all three)",
    )
    a("--db-pool-size", type=int, default=None, help="DRAFTROOM_DB_POOL_SIZE of the servers")
    a(
        "--bare-freeze-sockets",
        action="store_true",
        help="the bare baseline also gc.freeze()s as sockets connect (default: like ours)",
    )
    a("--connect-concurrency", type=int, default=200, help="handshakes in flight (all workers)")
    a("--json", type=Path, default=None, help="also write every figure to this file")
    a("--keep-data", action="store_true", help="keep the data directory (logs) at the end")
    return p


def machine() -> dict[str, Any]:
    """The machine the figures were measured on."""
    return {
        "cores": os.cpu_count(),
        "memory_gb": psutil.virtual_memory().total / 1e9,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def cpu_groups(deployment: Deployment, pool: WorkerPool, target: Target) -> dict[str, PidSource]:
    """The process groups whose CPU is reported: generator, servers (and each), services."""
    groups: dict[str, PidSource] = {
        "generator": generator_pids(pool),
        "servers": lambda: list(target.pids),
        "postgres": deployment.postgres_pids,
        "redis": deployment.redis_pids,
    }
    for i, pid in enumerate(target.pids):
        groups[f"server {i}"] = lambda pid=pid: [pid]  # type: ignore[misc]
    return groups


async def benchmark(args: argparse.Namespace, results: dict[str, Any]) -> None:
    """Set up, run the bare baselines then draftroom, tear down; fill ``results``."""
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    deployment: Deployment = await prepare(
        urls=args.url,
        servers=args.servers,
        env_services=args.env_services,
        server_pids=args.server_pid,
        keep=args.keep_data,
        db_pool_size=args.db_pool_size,
    )
    pool: WorkerPool | None = None
    try:
        print(f"data and logs: {deployment.data_dir}", flush=True)
        population = Population(
            leagues=args.leagues,
            autopick_leagues=args.autopick_leagues,
            teams=args.teams,
            drafts_per_league=args.drafts,
        )
        loop = asyncio.get_running_loop()
        began = loop.time()
        specs = await populate(deployment.settings, deployment.redis_url, population)
        print(f"set up {len(specs)} leagues in {loop.time() - began:.1f} s", flush=True)
        await wait_ready(deployment)
        pool = WorkerPool(specs, args.workers)
        plan = Plan(
            sockets=args.sockets,
            max_sockets=max(args.sockets, args.max_sockets),
            rate=args.rate,
            ramp=args.ramp,
            warmup_s=args.warmup_seconds,
            opening_s=args.opening_seconds,
            steady_s=args.steady_seconds,
            step_s=args.step_seconds,
            storm=not args.no_storm,
            connect_concurrency=args.connect_concurrency,
            spread=args.spread,
        )
        ours = deployment.target()
        results["servers"] = len(ours.ports)
        extra = ["--freeze-sockets"] if args.bare_freeze_sockets else []
        for name in (t for t in args.targets if t != "draftroom"):
            redis = name == "bare"  # bare1: one process, rooms in memory
            count = max(1, len(ours.ports)) if redis else 1
            bare = await deployment.start_bare(name, count, extra, redis=redis)
            run = TargetRun(pool, specs, bare, plan, Meter(cpu_groups(deployment, pool, bare)))
            results["targets"][name] = run.result
            await run.run(None)
            deployment.stop_bare()
        draft_ids = [d.draft_id for s in specs for d in s.drafts]

        async def verify() -> dict[str, Any]:
            assert pool is not None
            return await check(pool, draft_ids)

        if "draftroom" in args.targets:
            run = TargetRun(
                pool,
                specs,
                ours,
                plan,
                Meter(cpu_groups(deployment, pool, ours)),
                probe=database_probe,
            )
            results["targets"]["draftroom"] = run.result
            await run.run(verify)
    finally:
        if pool is not None:
            await pool.close()
        await deployment.close()


async def check(pool: WorkerPool, draft_ids: list[int]) -> dict[str, Any]:
    """Lost and doubled picks: the database against every socket's view."""
    db = await read_database(draft_ids)
    answers = await pool.call(
        "final", final_seq=db["final_seq"], pick_seqs=db["pick_seqs"], picks=db["picks"]
    )
    examples = [e for a in answers for e in a.pop("seen_not_stored_examples")]
    seen = {k: sum(a[k] for a in answers) for k in answers[0]}
    seen["seen_not_stored_examples"] = examples[:5]
    out = {k: v for k, v in db.items() if k not in ("final_seq", "pick_seqs", "picks")}
    out.update(seen)
    out["lost_total"] = (
        seen["lost_pick_deliveries"] + seen["acked_not_stored"] + seen["seen_not_stored"]
        + db["picks_without_event"]
    )  # fmt: skip
    out["doubled_total"] = (
        db["doubled_events"] + db["non_contiguous_drafts"] + seen["mismatched_deliveries"]
    )
    return out


def main(argv: list[str]) -> int:
    """Run the benchmark; print the report (and write ``--json``); 0 unless it failed."""

    args = parser().parse_args(argv)
    limit = raise_nofile()
    if limit < args.max_sockets + 1000:
        print(f"warning: open-file limit {limit} < {args.max_sockets} sockets", file=sys.stderr)
    command = shlex.join(["draftroom", "loadtest", *argv])
    results: dict[str, Any] = {
        "command": command,
        "machine": machine(),
        "targets": {},
        "spread": args.spread,
        "open_file_limit": limit,
    }
    code = 0
    try:
        uvloop.run(benchmark(args, results))
    except KeyboardInterrupt:
        results["interrupted"] = True
        code = 130
    except Exception as error:  # report what was measured before the failure
        results["failed"] = repr(error)
        code = 1
    results["machine"]["loadavg_end"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(report.render(results), flush=True)
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return code
