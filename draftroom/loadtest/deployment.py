"""The deployment under test: our own (embedded PostgreSQL + Redis, migrate, seed, K
``draftroom serve`` processes) or an existing one (``--url``), plus the bare baseline."""

from __future__ import annotations

import contextlib
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from draftroom.config import Settings, load_settings
from draftroom.config import child_environment as environment
from draftroom.db import engine
from draftroom.embedded import EmbeddedPostgres, EmbeddedRedis
from draftroom.loadtest import stack
from draftroom.loadtest.spec import Target


@dataclass
class Deployment:
    """Where the load goes, and what to stop at the end."""

    settings: Settings
    redis_url: str
    data_dir: Path
    servers: list[stack.ServerProcess] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    server_pids: list[int] = field(default_factory=list)
    postgres: EmbeddedPostgres | None = None
    redis: EmbeddedRedis | None = None
    bare: list[stack.ServerProcess] = field(default_factory=list)
    own_data_dir: bool = False

    def target(self) -> Target:
        """draftroom itself, as the generator sees it."""
        if self.servers:
            return Target(
                "draftroom",
                "127.0.0.1",
                tuple(s.port for s in self.servers),
                pids=tuple(s.pid for s in self.servers),
                metrics_token=self.settings.metrics_token,
            )
        parsed = [urlparse(u) for u in self.urls]
        host = parsed[0].hostname or "127.0.0.1"
        return Target(
            "draftroom",
            host,
            tuple(p.port or 80 for p in parsed),
            pids=tuple(self.server_pids),
            metrics_token=self.settings.metrics_token,
        )

    def postgres_pids(self) -> list[int]:
        """PostgreSQL processes (embedded cluster only)."""
        return stack.postgres_pids(self.postgres) if self.postgres else []

    def redis_pids(self) -> list[int]:
        """The Redis server (embedded only)."""
        pid = self.redis.pid if self.redis else None
        return [pid] if pid else []

    async def start_bare(
        self, name: str, count: int, extra: list[str] | None = None, *, redis: bool = True
    ) -> Target:
        """Start ``count`` bare-baseline processes (fan-out through Redis, or in memory
        without ``redis``); return them as the target ``name``."""
        log_dir = self.data_dir / "logs"
        url = self.redis_url if redis else None
        self.bare = stack.bare_processes(count, url, log_dir, extra, name)
        await stack.start_all(self.bare)
        return Target(
            name,
            "127.0.0.1",
            tuple(s.port for s in self.bare),
            bare=True,
            pids=tuple(s.pid for s in self.bare),
        )

    def stop_bare(self) -> None:
        """Stop the bare-baseline processes."""
        for server in self.bare:
            server.stop()
        self.bare = []

    async def close(self) -> None:
        """Stop everything this run started."""
        self.stop_bare()
        for server in self.servers:
            server.stop()
        with contextlib.suppress(Exception):
            await engine.close_pool()
        if self.redis is not None:
            self.redis.stop()
        if self.postgres is not None:
            self.postgres.stop()
        if self.own_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)


async def prepare(
    *,
    urls: list[str],
    servers: int,
    env_services: bool,
    server_pids: list[int],
    keep: bool,
    db_pool_size: int | None = None,
) -> Deployment:
    """Start (or find) the services and servers; the database pool is open on return.

    Servers are started but not yet waited for: call :func:`wait_ready` after set-up.
    """
    data_dir = Path(tempfile.mkdtemp(prefix="draftroom-loadtest-"))
    (data_dir / "logs").mkdir()
    postgres = redis = None
    overrides: dict[str, str] = {}
    if not urls and not env_services:
        postgres = EmbeddedPostgres(data_dir / "postgres")
        overrides = {"DATABASE_URL": postgres.start()}
        redis = EmbeddedRedis(data_dir / "redis")
        try:
            overrides["REDIS_URL"] = redis.start()
        except BaseException:
            postgres.stop()
            raise
    if not urls:
        overrides |= {
            "DRAFTROOM_SECRET_KEY": secrets.token_urlsafe(48),
            "DRAFTROOM_DEMO": "0",
            "DRAFTROOM_ENV": "development",
            "DRAFTROOM_LOG_LEVEL": "WARNING",
            "DRAFTROOM_ACCESS_TOKEN_TTL": "3600",
            "DRAFTROOM_DATA_DIR": str(data_dir),
            "DRAFTROOM_ADMIN_USERNAME": "",
            "DRAFTROOM_ADMIN_PASSWORD": "",
            "DRAFTROOM_HOST": "127.0.0.1",
        }
        if db_pool_size:
            overrides["DRAFTROOM_DB_POOL_SIZE"] = str(db_pool_size)
    env = environment(overrides)
    settings = load_settings(env)
    database_url, redis_url = settings.require_services()
    deployment = Deployment(
        settings,
        redis_url,
        data_dir,
        urls=urls,
        server_pids=server_pids,
        postgres=postgres,
        redis=redis,
        own_data_dir=not keep,
    )
    try:
        engine.configure(database_url)
        await engine.open_pool(10)
        if not urls:
            # keeps the deployment light: the seed (and the services) load only to seed
            from draftroom.oneshot import command_runtime
            from draftroom.services.seed import seed

            await engine.migrate()
            async with command_runtime(settings) as rt:
                await seed(rt, demo=False)
            deployment.servers = stack.serve_processes(servers, env, data_dir / "logs")
            for server in deployment.servers:
                server.start()
    except BaseException:
        await deployment.close()
        raise
    return deployment


async def wait_ready(deployment: Deployment) -> None:
    """Wait until every server started by :func:`prepare` is healthy."""
    for server in deployment.servers:
        await server.wait_healthy()
