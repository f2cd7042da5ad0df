"""The one PostgreSQL engine of the process and its connection pool.

The engine is created unconfigured at import; :func:`configure` gives it the DATABASE_URL
at start, so importing tables never depends on the environment.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from piccolo.engine.postgres import PostgresEngine

from draftroom.config import export_piccolo_conf


class DraftroomEngine(PostgresEngine):
    """PostgresEngine without Piccolo's I/O at construction (a version check and extension
    set-up against a database that is not configured yet); `migrate` runs after configure."""

    async def check_version(self) -> None:
        """Skipped at import; PostgreSQL 15+ is what pgserver and compose provide."""

    async def prep_database(self) -> None:
        """No extensions are needed."""


DB = DraftroomEngine(config={}, log_queries=False)


def configure(database_url: str) -> None:
    """Give the engine its DATABASE_URL (before any query)."""
    DB.config = {"dsn": database_url}


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Pool reset: nothing beyond asyncpg's own rollback of an open transaction.

    asyncpg's default reset sends ``RESET ALL; UNLISTEN *; CLOSE ALL; advisory unlock``,
    a round trip on every release; draftroom keeps no session state (no SET, LISTEN,
    cursors or session advisory locks: the reference-data lock is transaction-scoped)."""


_clock_pool: asyncpg.Pool | None = None


async def open_pool(size: int = 10, clock_size: int = 0) -> None:
    """Open the asyncpg pool used by every query of this process (no-op when open), and,
    with ``clock_size``, a pool reserved for the draft clocks (:func:`clock_pool`)."""
    global _clock_pool
    if DB.pool is None:
        await DB.start_connection_pool(min_size=1, max_size=size, reset=_keep_session)
    if clock_size and _clock_pool is None:
        _clock_pool = await asyncpg.create_pool(
            **DB.config, min_size=1, max_size=clock_size, reset=_keep_session
        )


def pool() -> asyncpg.Pool:
    """The open asyncpg pool (raw SQL in hot paths); RuntimeError before :func:`open_pool`."""
    if DB.pool is None:
        raise RuntimeError("the database pool is not open")
    return DB.pool


def clock_pool() -> asyncpg.Pool:
    """The draft clocks' own connections (timeouts, autodraft, lock-time completion never
    wait behind user traffic); the main pool where none was opened."""
    return _clock_pool if _clock_pool is not None else pool()


@asynccontextmanager
async def transaction() -> AsyncIterator[asyncpg.Connection]:
    """A pooled connection inside a transaction, for a service that owns one: it passes
    the connection to the queries (``conn=``) that must commit together."""
    async with pool().acquire() as conn, conn.transaction():
        yield conn


@asynccontextmanager
async def connection() -> AsyncIterator[asyncpg.Connection]:
    """A pooled connection without a transaction, for several reads on one connection."""
    async with pool().acquire() as conn:
        yield conn


async def close_pool() -> None:
    """Close the pools; safe to call when none is open."""
    global _clock_pool
    if _clock_pool is not None:
        await _clock_pool.close()
        _clock_pool = None
    if DB.pool is not None:
        await DB.close_connection_pool()


async def ping() -> bool:
    """True when PostgreSQL answers a trivial query within 2 seconds."""
    try:
        if DB.pool is not None:
            async with DB.pool.acquire(timeout=2) as conn:
                await conn.fetchval("SELECT 1", timeout=2)
        else:
            conn = await asyncpg.connect(**DB.config, timeout=2)
            try:
                await conn.fetchval("SELECT 1", timeout=2)
            finally:
                await conn.close()
    except Exception:
        return False
    return True


async def migrate() -> int:
    """Apply every pending migration of the draftroom app; how many were applied.

    Piccolo's migration runner finds our app through ``PICCOLO_CONF``, set here rather than
    at import. Its printed report is kept back (it calls every migration "already
    complete", even on an empty database); it is shown only when a migration fails."""
    # keeps start-up light: only the migrate command loads Piccolo's migration machinery
    from piccolo.apps.migrations.commands.forwards import run_forwards

    export_piccolo_conf()
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        response = await run_forwards(app_name="draftroom", migration_id="all", fake=False)
    if not response.success:
        raise RuntimeError(f"migrations failed: {response.message}\n{report.getvalue()}")
    return sum(1 for line in report.getvalue().splitlines() if "[forwards]" in line)


def migrated_line(applied: int) -> str:
    """What ``migrate`` did, in words (``draftroom migrate``, ``make dev``)."""
    if applied == 0:
        return "database schema up to date"
    return f"database schema migrated ({applied} migration{'s' if applied != 1 else ''} applied)"
