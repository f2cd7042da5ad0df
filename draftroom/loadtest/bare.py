"""The baseline: a bare python-socketio broadcast server with no database and no rules.

It answers the load generator's events like draftroom does, from what the client sends:
``pick`` broadcasts ``draft:pick`` then ``draft:turn`` (or ``draft:complete``) to the
namespace, ``draft:start`` broadcasts ``draft:started`` and ``draft:turn``, ``sync`` acks
an empty event list, connect sends a small ``draft:state``. It runs like ``draftroom serve``:
hypercorn on uvloop, python-socketio's tuned GC thresholds (:func:`tune_gc`), ``gc.freeze()``
after start-up, and fan-out through Redis (``AsyncRedisManager`` with a blocking connection
pool: :class:`draftroom.loadtest.redis_manager.PooledRedisManager`) so several processes
share rooms.

    python -m draftroom.loadtest.bare --port 8100 --redis-url redis://127.0.0.1:6379/0
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import time
from typing import Any

import socketio
import uvloop

from draftroom.loadtest.redis_manager import PooledRedisManager
from draftroom.serve import serve_until_signal

FREEZE_EVERY = 500


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def create_bare_app(redis_url: str | None, *, freeze_sockets: bool = False) -> Any:
    """The bare ASGI app (Redis fan-out when ``redis_url`` is given, else in memory).

    ``freeze_sockets``: every second, if 500 or more sockets connected since the last time,
    ``gc.freeze()`` again, so long-lived socket objects leave the collected generations
    (the "freeze after warm-up" variant; the default freezes at start-up only, like ours).
    """
    manager = PooledRedisManager(redis_url, channel="loadtest:bare") if redis_url else None
    sio = socketio.AsyncServer(
        async_mode="asgi",
        namespaces="*",
        client_manager=manager,
        cors_allowed_origins=[],
        ping_interval=20,
        ping_timeout=20,
    )
    tasks: set[asyncio.Task[None]] = set()

    async def welcome(namespace: str, sid: str) -> None:
        for _ in range(200):
            if sio.manager.is_connected(sid, namespace):
                break
            await asyncio.sleep(0.005)
        state = {"id": 0, "status": "live", "seq": 0, "picks": [], "server_now": _now_ms()}
        await sio.emit("draft:state", state, to=sid, namespace=namespace, ignore_queue=True)

    @sio.on("connect", namespace="*")
    async def _connect(namespace: str, sid: str, environ: Any, auth: Any = None) -> None:
        task = asyncio.get_running_loop().create_task(welcome(namespace, sid))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    @sio.on("*", namespace="*")
    async def _event(event: str, namespace: str, sid: str, *args: Any) -> Any:
        data = args[0] if args and isinstance(args[0], dict) else {}
        draft_id = data.get("draft_id", 0)
        seq = int(data.get("seq", 0))
        now = _now_ms()
        base = {"draft_id": draft_id, "at": now}
        if event == "pick":
            pick_no = int(data.get("pick_no", 0))
            pick = {
                **base,
                "seq": seq,
                "pick_no": pick_no,
                "round": data.get("round", 1),
                "team_id": data.get("team_id"),
                "driver_id": data.get("driver_id"),
                "by": "user",
            }
            await sio.emit("draft:pick", pick, namespace=namespace)
            await _next(namespace, base, seq + 1, pick_no + 1, data.get("next_team_id"), now)
            return {"ok": True, **pick}
        if event == "draft:start":
            await sio.emit("draft:started", {**base, "seq": 1}, namespace=namespace)
            await _next(namespace, base, 2, 1, data.get("next_team_id"), now)
            return {"ok": True, "draft_id": draft_id, "status": "live", "seq": 2}
        if event == "sync":
            return {"ok": True, "events": []}
        return {"ok": True}

    async def _next(
        namespace: str, base: dict[str, Any], seq: int, pick_no: int, team: Any, now: int
    ) -> None:
        if team is None:
            await sio.emit("draft:complete", {**base, "seq": seq}, namespace=namespace)
            return
        turn = {
            **base,
            "seq": seq,
            "pick_no": pick_no,
            "team_id": team,
            "deadline": now + 60_000,
            "server_now": now,
        }
        await sio.emit("draft:turn", turn, namespace=namespace)

    async def freezer() -> None:
        frozen = 0
        while True:
            await asyncio.sleep(1.0)
            count = len(sio.eio.sockets)
            if count - frozen >= FREEZE_EVERY:
                gc.freeze()
                frozen = count

    async def on_startup() -> None:
        gc.collect()
        gc.freeze()
        if freeze_sockets:
            task = asyncio.get_running_loop().create_task(freezer())
            tasks.add(task)

    return socketio.ASGIApp(sio, on_startup=on_startup)


async def _serve(host: str, port: int, redis_url: str | None, freeze_sockets: bool) -> None:
    app = create_bare_app(redis_url, freeze_sockets=freeze_sockets)
    await serve_until_signal(app, host, port)


def log_gc_pauses(min_ms: float = 5.0) -> None:
    """Print every garbage collection that takes ``min_ms`` or more (to the server log)."""
    started: list[float] = [0.0]

    def callback(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
            return
        ms = (time.perf_counter() - started[0]) * 1000
        if ms >= min_ms:
            print(f"gc pause: generation {info['generation']} {ms:.1f} ms", flush=True)

    gc.callbacks.append(callback)


GC_THRESHOLDS = (10_000, 50, 1_000_000)
"""The baselines' collector thresholds: young collections small and frequent, gen 2
effectively off (python-socketio's tail latency is set by GC pauses)."""


def tune_gc() -> None:
    """Set :data:`GC_THRESHOLDS` (the baselines'; draftroom's servers run
    :class:`draftroom.gcpolicy.GcPolicy`)."""
    gc.set_threshold(*GC_THRESHOLDS)


def main(argv: list[str] | None = None) -> int:
    """Run the bare server until SIGTERM (same event loop and GC settings as ours)."""

    parser = argparse.ArgumentParser(prog="python -m draftroom.loadtest.bare")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--redis-url", default=None)
    parser.add_argument("--log-gc", action="store_true", help="print collections >= 5 ms")
    parser.add_argument("--freeze-sockets", action="store_true", help="gc.freeze() as sockets come")
    args = parser.parse_args(argv)
    tune_gc()
    if args.log_gc:
        log_gc_pauses()
    uvloop.run(_serve(args.host, args.port, args.redis_url, args.freeze_sockets))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
