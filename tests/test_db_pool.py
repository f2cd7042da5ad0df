"""The asyncpg pool: a released connection is clean for its next user, in one round trip less."""

from __future__ import annotations

from typing import Any


async def test_a_released_connection_never_carries_a_transaction_or_its_rows(
    database: Any,
) -> None:
    import asyncpg

    from draftroom.db.engine import DB, _keep_session

    # one connection, reset as the app's pools reset: the next user gets the same one
    single = await asyncpg.create_pool(**DB.config, min_size=1, max_size=1, reset=_keep_session)
    try:
        async with single.acquire() as conn:
            await conn.execute("CREATE TEMP TABLE IF NOT EXISTS pool_probe (x int)")
            await conn.execute("BEGIN")  # left open on purpose (not a managed transaction)
            await conn.execute("INSERT INTO pool_probe VALUES (1)")
            pid = await conn.fetchval("SELECT pg_backend_pid()")
        async with single.acquire() as conn:
            assert await conn.fetchval("SELECT pg_backend_pid()") == pid
            assert not conn.is_in_transaction()
            assert await conn.fetchval("SELECT count(*) FROM pool_probe") == 0  # rolled back
    finally:
        await single.close()


async def test_release_sends_no_session_reset(database: Any) -> None:
    from draftroom.db.engine import pool

    sent: list[str] = []

    def record(query: Any) -> None:
        sent.append(query.query)

    async with pool().acquire() as conn:
        conn.add_query_logger(record)
        await conn.fetchval("SELECT 1")
    async with pool().acquire() as conn:
        conn.remove_query_logger(record)
    assert sent == ["SELECT 1"]  # no "RESET ALL; UNLISTEN *; ..." on release
