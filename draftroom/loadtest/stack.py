"""The processes the benchmark runs and watches: embedded PostgreSQL and Redis,
``draftroom serve`` and bare-baseline subprocesses on their own ports, CPU and RSS sampling.

Children inherit the raised open-file limit of the main process (see ``raise_nofile``).
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import httpx
import psutil

from draftroom.config import child_environment
from draftroom.embedded import EmbeddedPostgres, free_port


class ServerProcess:
    """A server subprocess on ``port``, logging to a file; healthy when ``health`` is 200."""

    def __init__(
        self, argv: list[str], env: Mapping[str, str], port: int, log_path: Path, health: str
    ) -> None:
        self.argv = argv
        self.env = dict(env)
        self.port = port
        self.log_path = log_path
        self.health = health
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """The process id (after start)."""
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        """Start the process (without waiting)."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    async def wait_healthy(self, timeout: float = 60.0) -> None:
        """Wait until the health URL answers 200 (RuntimeError with the log tail if not)."""
        url = f"http://127.0.0.1:{self.port}{self.health}"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with httpx.AsyncClient(timeout=2) as client:
            while loop.time() < deadline:
                if self.process is None or self.process.poll() is not None:
                    break
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(url)).status_code == 200:
                        return
                await asyncio.sleep(0.2)
        tail = self.log_path.read_text(errors="replace")[-2000:] if self.log_path.exists() else ""
        raise RuntimeError(f"{self.argv[2:4]} on port {self.port} did not start:\n{tail}")

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM, then SIGKILL after ``timeout``."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def serve_processes(
    count: int, base_env: Mapping[str, str], log_dir: Path, ports: list[int] | None = None
) -> list[ServerProcess]:
    """``count`` ``draftroom serve`` processes (not started) on free ports."""
    out = []
    for i in range(count):
        port = ports[i] if ports else free_port()
        env = child_environment({**base_env, "DRAFTROOM_PORT": str(port)})
        argv = [sys.executable, "-m", "draftroom.cli", "serve"]
        out.append(ServerProcess(argv, env, port, log_dir / f"serve-{port}.log", "/health"))
    return out


def bare_processes(
    count: int,
    redis_url: str | None,
    log_dir: Path,
    extra: list[str] | None = None,
    name: str = "bare",
) -> list[ServerProcess]:
    """``count`` bare-baseline processes (not started) sharing rooms through Redis, or
    keeping them in memory when ``redis_url`` is None (one process only, then)."""
    out = []
    for _ in range(count):
        port = free_port()
        argv = [sys.executable, "-m", "draftroom.loadtest.bare", "--port", str(port)]
        argv += ["--redis-url", redis_url] if redis_url else []
        argv += ["--log-gc", *(extra or [])]
        health = "/socket.io/?EIO=4&transport=polling"
        log = log_dir / f"{name}-{port}.log"
        out.append(ServerProcess(argv, child_environment({}), port, log, health))
    return out


async def start_all(servers: Iterable[ServerProcess]) -> None:
    """Start servers together and wait until each is healthy."""
    servers = list(servers)
    for server in servers:
        server.start()
    await asyncio.gather(*(s.wait_healthy() for s in servers))


def postgres_pids(postgres: EmbeddedPostgres) -> list[int]:
    """The postmaster of an embedded cluster and its backends."""
    pid_file = postgres.directory / "postmaster.pid"
    with contextlib.suppress(OSError, ValueError, psutil.Error):
        main = int(pid_file.read_text().split()[0])
        return [main] + [c.pid for c in psutil.Process(main).children(recursive=True)]
    return []


def cpu_seconds(pids: Iterable[int]) -> float:
    """User + system CPU seconds of live processes ``pids``."""
    total = 0.0
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            times = psutil.Process(pid).cpu_times()
            total += times.user + times.system
    return total


def rss_bytes(pids: Iterable[int]) -> int:
    """Resident memory of processes ``pids``."""
    total = 0
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            total += psutil.Process(pid).memory_info().rss
    return total
