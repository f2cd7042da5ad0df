"""A load-generator process: the rooms of some leagues, driven by commands from the main process.

Commands arrive over a multiprocessing pipe as ``{"op": name, "args": {...}}`` and each is
answered with one dict, in order. The process runs uvloop and keeps no task per socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import random
import resource
import threading
import time
from functools import partial
from multiprocessing.connection import Connection
from typing import Any

import uvloop

from draftroom.loadtest.bots import DraftRoom
from draftroom.loadtest.routing import LEAGUE, Router
from draftroom.loadtest.spec import LeagueSpec, Target
from draftroom.loadtest.tracking import Stats, settler
from draftroom.loadtest.wsclient import Refused, Sock

TICK_S = 0.25
LAG_PERIOD_S = 0.05
AUTOPICK_SPREAD_S = 5.0
MAX_RETRIED_REFUSALS = 100_000
"""Connects refused ``overloaded`` that are retried (past it, they count as failed)."""


def raise_nofile() -> int:
    """Raise this process's open-file limit to its hard limit; return the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 1_048_576)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def quiet_gc() -> None:
    """Keep the collector from pausing this loop: the sockets just opened are frozen out
    of collections and the thresholds are high (as the servers do)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def cpu_seconds() -> float:
    """User + system CPU seconds of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Worker:
    """The rooms of this process and the commands that drive them."""

    def __init__(self, conn: Connection, specs: list[LeagueSpec]) -> None:
        self.conn = conn
        self.specs = specs
        self.stats = Stats()
        self.rooms: list[DraftRoom] = []
        self.target: Target | None = None
        self.router: Router | None = None
        self.connect_ms: list[float] = []
        self.refusals_retried = 0

    async def run(self) -> None:
        """Serve commands until ``quit``."""
        loop = asyncio.get_running_loop()
        inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

        def reader() -> None:  # a thread: the pipe stays blocking (big messages arrive whole)
            while True:
                try:
                    message = self.conn.recv()
                except (EOFError, OSError):
                    message = {"op": "quit"}
                loop.call_soon_threadsafe(inbox.put_nowait, message)
                if message["op"] == "quit":
                    return

        threading.Thread(target=reader, name="commands", daemon=True).start()
        ticker = loop.create_task(self._ticks())
        lag = loop.create_task(self._lag())
        while True:
            message = await inbox.get()
            op = message["op"]
            if op == "quit":
                self._close()
                with contextlib.suppress(OSError):
                    self.conn.send({"ok": True})
                break
            try:
                result = await getattr(self, f"op_{op}")(**message.get("args", {}))
            except Exception as error:  # reported to the main process, which stops
                result = {"error": f"{op}: {error!r}"}
            self.conn.send(result)
        ticker.cancel()
        lag.cancel()

    async def _ticks(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            for room in self.rooms:
                room.tick()

    async def _lag(self) -> None:
        """How late this loop wakes up: the generator's own delay, included in every figure."""
        while True:
            began = time.monotonic()
            await asyncio.sleep(LAG_PERIOD_S)
            self.stats.lag_ms.append((time.monotonic() - began - LAG_PERIOD_S) * 1000)

    def address(self, league_id: int) -> tuple[str, int]:
        """Host and port of the next socket of ``league_id`` (see ``routing``)."""
        assert self.target is not None and self.router is not None
        return self.target.host, self.router.port(league_id)

    def new_socks(self, spectators: int) -> list[tuple[DraftRoom, Sock]]:
        """New (unopened) sockets of every room, each routed to its server."""
        return [
            (room, sock)
            for room in self.rooms
            for sock in room.add_socks(spectators, partial(self.address, room.spec.league_id))
        ]

    def sockets_per_port(self) -> dict[int, int]:
        """How many sockets of this process go to each server port."""
        out: dict[int, int] = {}
        for _, sock in self.all_socks():
            out[sock.port] = out.get(sock.port, 0) + 1
        return out

    def all_socks(self) -> list[tuple[DraftRoom, Sock]]:
        """Every socket with its room."""
        return [(room, sock) for room in self.rooms for sock in room.socks]

    # --- commands ------------------------------------------------------------------------

    async def op_target(self, target: Target, offset: int, spread: str = LEAGUE) -> dict[str, Any]:
        """Drop every socket and prepare fresh rooms against ``target``."""
        self._close()
        self.target = target
        self.router = Router(target.ports, spread, offset)
        self.rooms = [DraftRoom(spec, self.stats, bare=target.bare) for spec in self.specs]
        self.stats.drain()
        return {"ok": True}

    async def op_connect(self, spectators: int, concurrency: int) -> dict[str, Any]:
        """Open the team sockets (first time) and ``spectators`` more sockets per room."""
        started = time.monotonic()
        jobs = self.new_socks(spectators)
        gate = asyncio.Semaphore(concurrency)
        results = await asyncio.gather(*(self._open(room, sock, gate) for room, sock in jobs))
        failures = [r for r in results if r is not None]
        times, self.connect_ms = self.connect_ms, []
        quiet_gc()
        return {
            "opened": len(jobs) - len(failures),
            "failed": len(failures),
            "overloaded_retried": self.refusals_retried,
            "failures": failures[:5],
            "seconds": time.monotonic() - started,
            "connected": sum(room.connected for room in self.rooms),
            "connect_ms": times,
            "per_port": self.sockets_per_port(),
        }

    async def _open(self, room: DraftRoom, sock: Sock, gate: asyncio.Semaphore) -> str | None:
        """Connect ``sock`` (up to 4 tries on network errors); a connect refused
        ``overloaded`` waits the ``retry_after_ms`` it was told, with jitter, outside the
        concurrency gate, as a browser does, and tries again."""
        error = "?"
        attempt = 0
        while attempt < 4:
            async with gate:
                began = time.monotonic()
                try:
                    await sock.open()
                except Refused as refused:
                    wait = refused.retry_after_s
                    if wait is None or self.refusals_retried >= MAX_RETRIED_REFUSALS:
                        return f"refused: {refused}"[:200]
                    self.refusals_retried += 1
                except (OSError, TimeoutError) as exc:
                    error = repr(exc)[:200]
                    attempt += 1
                    wait = 0.2 * attempt
                else:
                    self.connect_ms.append((time.monotonic() - began) * 1000)
                    room.on_open(sock)
                    return None
            await asyncio.sleep(wait * (1 + random.random() / 2))
        return error

    async def op_start(
        self, rate: float | None, active_rooms: int, autopick: bool
    ) -> dict[str, Any]:
        """Bots pick at ``rate`` picks/s over all active rooms (None: as fast as allowed)."""
        interval = active_rooms / rate if rate else 0.0
        loop = asyncio.get_running_loop()
        for room in self.rooms:
            if room.spec.autopick:
                if autopick and not room.picking and not room.started:
                    room.started = True  # spread over one clock: not every deadline at once
                    loop.call_later(random.random() * AUTOPICK_SPREAD_S, room.start, 0.0)
            else:
                room.start(interval)
        return {"ok": True}

    async def op_collect(self) -> dict[str, Any]:
        """Samples and counters since the last collect, plus sockets and CPU now."""
        out = self.stats.drain()
        out["connected"] = sum(room.connected for room in self.rooms)
        out["cpu"] = cpu_seconds()
        return out

    async def op_storm(self, concurrency: int) -> dict[str, Any]:
        """Drop every socket at once, reconnect all and resync each with ``sync``."""
        socks = self.all_socks()
        started = time.monotonic()
        for _, sock in socks:
            sock.abort()
        while any(room.connected for room in self.rooms):  # noqa: ASYNC110 (callbacks count)
            await asyncio.sleep(0.01)
        dropped = time.monotonic() - started
        gate = asyncio.Semaphore(concurrency)
        loop = asyncio.get_running_loop()

        async def back(room: DraftRoom, sock: Sock) -> str | None:
            error = await self._open(room, sock, gate)
            if error is not None:
                return error
            synced: asyncio.Future[None] = loop.create_future()
            room.resync(sock, settler(synced))
            try:
                await asyncio.wait_for(synced, 30)
            except TimeoutError:
                return "sync timed out"
            return None

        results = await asyncio.gather(*(back(room, sock) for room, sock in socks))
        failures = [r for r in results if r is not None]
        self.connect_ms = []
        quiet_gc()
        return {
            "sockets": len(socks),
            "failed": len(failures),
            "overloaded_retried": self.refusals_retried,
            "failures": failures[:5],
            "seconds": time.monotonic() - started,
            "drop_seconds": dropped,
        }

    async def op_stop(self) -> dict[str, Any]:
        """Stop every bot and pause the live drafts."""
        loop = asyncio.get_running_loop()
        waits = []
        for room in self.rooms:
            done: asyncio.Future[None] = loop.create_future()
            room.stop(settler(done))
            waits.append(done)
        if waits:
            await asyncio.wait(waits, timeout=10)
        return {"ok": True}

    async def op_final(
        self, final_seq: dict[int, int], pick_seqs: dict[int, int], picks: dict[int, dict[int, int]]
    ) -> dict[str, Any]:
        """Compare what the sockets saw with the database; sync what is missing first."""
        # keeps the load generators light: the database layer loads only for this check
        from draftroom.loadtest.verify import check_worker

        return await check_worker(self.rooms, final_seq, pick_seqs, picks)

    async def op_close(self) -> dict[str, Any]:
        """Drop every socket and forget the rooms."""
        self._close()
        await asyncio.sleep(0.1)
        return {"ok": True}

    def _close(self) -> None:
        for _, sock in self.all_socks():
            sock.abort()
        self.rooms = []


def worker_main(conn: Connection, specs: list[LeagueSpec]) -> None:
    """Entry point of a generator process."""

    raise_nofile()
    uvloop.run(Worker(conn, specs).run())
