"""Real draftroom processes for end-to-end tests: start, wait until healthy, stop."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from draftroom.embedded import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]


class ServerProcess:
    """A ``draftroom serve`` subprocess on its own port."""

    def __init__(self, env: dict[str, str], port: int | None = None, log_dir: Path | None = None):
        self.port = port or free_port()
        self.env = dict(env, DRAFTROOM_PORT=str(self.port), DRAFTROOM_ENV="development")
        # JSON log lines (production's format), so a test can read each record whole
        self.env.setdefault("DRAFTROOM_LOG_FORMAT", "json")
        self.log_path = (
            log_dir or Path(env.get("DRAFTROOM_DATA_DIR", "/tmp"))
        ) / f"serve-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 30.0) -> ServerProcess:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "draftroom.cli", "serve"],
            env=self.env, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited early; log: {self.log_path.read_text()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self
            time.sleep(0.1)
        raise RuntimeError(
            f"serve did not become healthy; log: {self.log_path.read_text()[-3000:]}"
        )

    def kill(self) -> None:
        """kill -9, as a crash."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self, timeout_s: float = 15.0) -> int | None:
        """SIGTERM and wait; returns the exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return self.process.returncode


@contextlib.contextmanager
def serve_processes(
    database_url: str, redis_url: str, count: int = 2
) -> Iterator[list[ServerProcess]]:
    """``count`` ``draftroom serve`` processes on these services, started together; all
    stopped at the end of the block (one a test killed included)."""
    env = dict(os.environ, DATABASE_URL=database_url, REDIS_URL=redis_url)
    procs = [ServerProcess(env) for _ in range(count)]
    try:
        with ThreadPoolExecutor(count) as pool:
            list(pool.map(lambda p: p.start(), procs))
        yield procs
    finally:
        for proc in procs:
            proc.stop()
