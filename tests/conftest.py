"""Shared fixtures: real PostgreSQL and Redis (embedded unless DATABASE_URL/REDIS_URL are
set), a migrated database cleaned per test, and the real app served by hypercorn."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fakes.fixtures import jolpica, jolpica_server

__all__ = ["jolpica", "jolpica_server"]

_EMBEDDED: list[Any] = []
TEST_SECRET = "test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


PURE_TESTS = Path(__file__).resolve().parent / "domain"
"""Tests of the pure rules: they need no database, no Redis and no services."""


def _only_pure_tests(config: pytest.Config) -> bool:
    paths = [Path(arg.split("::")[0]).resolve() for arg in config.args]
    return bool(paths) and all(p.is_relative_to(PURE_TESTS) for p in paths)


def pytest_configure(config: pytest.Config) -> None:
    """Start embedded services once per test session, before any test module imports
    (not for a run of the pure domain tests alone)."""
    if hasattr(config, "workerinput") or _only_pure_tests(config):
        return
    data_dir = Path(tempfile.mkdtemp(prefix="draftroom-test-"))
    os.environ.setdefault("DRAFTROOM_DATA_DIR", str(data_dir))
    os.environ["DRAFTROOM_ENV"] = "test"
    os.environ.setdefault("DRAFTROOM_SECRET_KEY", TEST_SECRET)
    os.environ.setdefault("DRAFTROOM_DEMO", "0")
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        from draftroom.embedded import EmbeddedPostgres, EmbeddedRedis

        if not os.environ.get("DATABASE_URL"):
            postgres = EmbeddedPostgres(data_dir / "postgres")
            os.environ["DATABASE_URL"] = postgres.start()
            _EMBEDDED.append(postgres)
        if not os.environ.get("REDIS_URL"):
            redis = EmbeddedRedis(data_dir / "redis")
            os.environ["REDIS_URL"] = redis.start()
            _EMBEDDED.append(redis)
    config.stash[_DATA_DIR] = data_dir


_DATA_DIR = pytest.StashKey[Path]()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the embedded services and remove their files."""
    for service in reversed(_EMBEDDED):
        with contextlib.suppress(Exception):
            service.stop()
    _EMBEDDED.clear()
    data_dir = config.stash.get(_DATA_DIR, None)
    if data_dir is not None:
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def embedded_services() -> list[Any]:
    """The embedded PostgreSQL/Redis objects (empty when external URLs were given)."""
    return _EMBEDDED


@pytest.fixture(scope="session")
def settings() -> Any:
    """Validated settings of the test session."""
    from draftroom.config import load_settings

    return load_settings()


@pytest.fixture(scope="session")
async def database(settings: Any) -> AsyncIterator[None]:
    """A migrated database and this process's open pool."""
    from draftroom.db import engine

    engine.configure(settings.database_url)
    await engine.open_pool(10)
    await engine.migrate()
    yield
    await engine.close_pool()


async def truncate_all() -> None:
    """Empty every draftroom table (fast, keeps the schema)."""
    from draftroom.db.engine import DB
    from draftroom.db.tables import ALL_TABLES

    names = ", ".join(table._meta.tablename for table in ALL_TABLES)
    await DB.run_ddl(f"TRUNCATE {names} CASCADE")


@pytest.fixture
async def redis(settings: Any) -> AsyncIterator[Any]:
    """A Redis client on the test Redis, flushed before the test."""
    from draftroom.coordination.redis import connect

    client = connect(settings.redis_url)
    await client.flushdb()
    yield client
    await client.aclose()


@pytest.fixture
async def db(database: None, redis: Any) -> AsyncIterator[None]:
    """A clean database and Redis for one test."""
    await truncate_all()
    yield


@pytest.fixture
async def runtime(db: None, settings: Any, redis: Any) -> Any:
    """A Runtime for service tests; its notifier records what services emit."""
    from draftroom.services.notifier import RecordingNotifier
    from draftroom.services.runtime import Runtime

    return Runtime(settings=settings, redis=redis, notifier=RecordingNotifier())


@pytest.fixture(scope="session")
async def live_server(database: None, settings: Any) -> AsyncIterator[str]:
    """The real ASGI app (REST + Socket.IO) served by hypercorn in this process."""
    from draftroom.asgi import create_app
    from tests.support.server import serve_app

    async with serve_app(create_app(settings)) as url:
        yield url


@pytest.fixture(scope="session")
async def mailbox_server(database: None, settings: Any) -> AsyncIterator[str]:
    """Like ``live_server``, with the development mailbox on (``/dev/mailbox``)."""
    from dataclasses import replace

    from draftroom.asgi import create_app
    from tests.support.server import serve_app

    async with serve_app(create_app(replace(settings, dev_mailbox=True))) as url:
        yield url


@pytest.fixture
async def http(live_server: str, db: None) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the live server, with a clean database; every answer from
    ``/api/v1`` is checked against the model its route documents (tests/support/contract)."""
    from tests.support.contract import checked_client

    async with checked_client(base_url=live_server, timeout=10) as client:
        yield client


@pytest.fixture
def server_env(settings: Any) -> Iterator[dict[str, str]]:
    """Environment for draftroom subprocesses pointing at the test services."""
    yield dict(os.environ, DATABASE_URL=settings.database_url, REDIS_URL=settings.redis_url)


@pytest.fixture
def make_user(db: None, settings: Any) -> Any:
    """Factory: ``await make_user("alice", is_admin=False)`` -> TestUser with a token."""
    from tests.support.users import make_user as _make_user

    async def factory(username: str | None = None, *, is_admin: bool = False) -> Any:
        return await _make_user(settings, username, is_admin=is_admin)

    return factory
