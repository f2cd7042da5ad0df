"""The main process's side of the generator processes: start them, send a command to all."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from draftroom.loadtest.spec import LeagueSpec
from draftroom.loadtest.worker import worker_main


class WorkerError(RuntimeError):
    """A generator process failed a command."""


class WorkerPool:
    """``count`` generator processes sharing the leagues round-robin."""

    def __init__(self, specs: list[LeagueSpec], count: int) -> None:
        count = max(1, min(count, len(specs)))
        ctx = multiprocessing.get_context("spawn")
        self.conns: list[Connection] = []
        self.processes: list[BaseProcess] = []
        for index in range(count):
            parent, child = ctx.Pipe()
            process = ctx.Process(
                target=worker_main,
                args=(child, specs[index::count]),
                daemon=True,
                name=f"loadtest-worker-{index}",
            )
            process.start()
            child.close()
            self.conns.append(parent)
            self.processes.append(process)

    @property
    def pids(self) -> list[int]:
        """Process ids of the generator processes."""
        return [p.pid for p in self.processes if p.pid is not None]

    async def call(
        self, op: str, per_worker: list[dict[str, Any]] | None = None, **args: Any
    ) -> list[dict[str, Any]]:
        """Send ``op`` to every worker (``per_worker`` adds arguments per worker) and return
        their answers; raise WorkerError when one failed."""
        for index, conn in enumerate(self.conns):
            extra = per_worker[index] if per_worker else {}
            conn.send({"op": op, "args": {**args, **extra}})
        answers = await asyncio.gather(*(asyncio.to_thread(conn.recv) for conn in self.conns))
        failed = [a["error"] for a in answers if "error" in a]
        if failed:
            raise WorkerError("; ".join(failed))
        return list(answers)

    async def close(self) -> None:
        """Stop the workers (``quit``, then terminate whatever is left)."""
        for conn in self.conns:
            with contextlib.suppress(OSError):
                conn.send({"op": "quit"})
        for process in self.processes:
            await asyncio.to_thread(process.join, 5)
            if process.is_alive():
                process.terminate()
                await asyncio.to_thread(process.join, 5)
