"""Queries on notifications (rows as mappings of the notification's columns + ``user_id``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import asyncpg

from draftroom.db.engine import pool

Row = Mapping[str, Any]

_SELECT = 'id, "user" AS user_id, kind, title, body, data, read_at, created_at'
_INSERT = f"""
INSERT INTO notification ("user", kind, title, body, data, dedupe_key, created_at)
SELECT u, k, t, b, d::jsonb, dk, $7
FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
    AS x(u, k, t, b, d, dk)
ON CONFLICT (dedupe_key) DO NOTHING
RETURNING {_SELECT}
"""


async def insert(
    conn: asyncpg.Connection,
    user_ids: Sequence[int],
    kinds: Sequence[str],
    titles: Sequence[str],
    bodies: Sequence[str],
    data: Sequence[str],
    dedupe_keys: Sequence[str | None],
    now: datetime,
) -> list[Row]:
    """Store notifications (columns as parallel lists, ``data`` as JSON text) in one
    statement on ``conn``; the stored rows (a used ``dedupe_key`` stores nothing)."""
    rows: list[Row] = await conn.fetch(
        _INSERT, user_ids, kinds, titles, bodies, data, dedupe_keys, now
    )
    return rows


def _where(unread: bool | None) -> str:
    where = '"user" = $1' + (" AND read_at IS NULL" if unread else "")
    if unread is False:
        where = '"user" = $1 AND read_at IS NOT NULL'
    return where


async def page(user_id: int, unread: bool | None, limit: int, offset: int) -> tuple[list[Row], int]:
    """A page of the user's notifications, newest first, and the total (``unread``: only
    unread, only read, or all when None)."""
    where = _where(unread)
    async with pool().acquire() as conn:
        total = await conn.fetchval(f"SELECT count(*) FROM notification WHERE {where}", user_id)
        rows: list[Row] = await conn.fetch(
            f"SELECT {_SELECT} FROM notification WHERE {where} "
            "ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
            user_id,
            limit,
            offset,
        )
    return rows, int(total)


async def mark_read(user_id: int, notification_id: int, at: datetime) -> Row | None:
    """Mark the user's notification read (kept when it already was); None if not theirs."""
    row: Row | None = await pool().fetchrow(
        f"""UPDATE notification SET read_at = COALESCE(read_at, $3)
        WHERE id = $1 AND "user" = $2 RETURNING {_SELECT}""",
        notification_id,
        user_id,
        at,
    )
    return row


async def mark_all_read(user_id: int, at: datetime) -> int:
    """Mark every unread notification of the user read; how many changed."""
    status = await pool().execute(
        'UPDATE notification SET read_at = $2 WHERE "user" = $1 AND read_at IS NULL',
        user_id,
        at,
    )
    return int(status.split()[-1])


async def unread_count(user_id: int) -> int:
    """How many notifications of the user are unread."""
    count = await pool().fetchval(
        'SELECT count(*) FROM notification WHERE "user" = $1 AND read_at IS NULL', user_id
    )
    return int(count)


_PRUNE_READ = """
WITH gone AS (
    DELETE FROM notification WHERE read_at IS NOT NULL AND created_at < $1 RETURNING 1
) SELECT count(*) FROM gone
"""


async def prune_read(created_before: datetime) -> int:
    """Delete read notifications created before ``created_before``; how many."""
    return int(await pool().fetchval(_PRUNE_READ, created_before))
