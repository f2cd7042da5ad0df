"""Queries on the mail outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

from draftroom.db.tables import OutboxMail


async def insert(**values: Any) -> int:
    """Store a mail; its id."""
    rows = await OutboxMail.insert(OutboxMail(**values)).returning(OutboxMail.id)
    mail_id: int = rows[0]["id"]
    return mail_id


async def insert_many(
    conn: asyncpg.Connection,
    mails: Sequence[tuple[str, str, str]],
    *,
    kind: str,
    now: datetime,
) -> None:
    """Store mails ``(to_address, subject, body)`` on ``conn`` in one statement (inside
    the caller's transaction)."""
    await conn.execute(
        "INSERT INTO outbox_mail (to_address, subject, body, kind, created_at, "
        "next_attempt_at, attempts) SELECT t, s, b, $4, $5, $5, 0 "
        "FROM unnest($1::text[], $2::text[], $3::text[]) AS m(t, s, b)",
        [m[0] for m in mails],
        [m[1][:200] for m in mails],
        [m[2] for m in mails],
        kind,
        now,
    )


async def recent(limit: int) -> list[dict[str, Any]]:
    """The newest mails first: ``{id, to, subject, body, kind, created_at, sent_at}``."""
    rows = (
        await OutboxMail.select(
            OutboxMail.id,
            OutboxMail.to_address.as_alias("to"),
            OutboxMail.subject,
            OutboxMail.body,
            OutboxMail.kind,
            OutboxMail.created_at,
            OutboxMail.sent_at,
        )
        .order_by(OutboxMail.id, ascending=False)
        .limit(limit)
    )
    return list(rows)


async def due(now: datetime, max_attempts: int, limit: int) -> list[dict[str, Any]]:
    """Unsent mails due by ``now`` with attempts left, oldest first:
    ``id, to_address, subject, body, attempts``."""
    rows = (
        await OutboxMail.select(
            OutboxMail.id,
            OutboxMail.to_address,
            OutboxMail.subject,
            OutboxMail.body,
            OutboxMail.attempts,
        )
        .where(
            OutboxMail.sent_at.is_null()
            & (OutboxMail.next_attempt_at <= now)
            & (OutboxMail.attempts < max_attempts)
        )
        .order_by(OutboxMail.id)
        .limit(limit)
    )
    return list(rows)


async def claim(mail_id: int, seen_attempts: int, next_attempt_at: datetime) -> bool:
    """Count one more attempt and move the next one to ``next_attempt_at`` when nobody
    claimed the mail since it was read with ``seen_attempts``; True when claimed."""
    claimed = (
        await OutboxMail.update(
            {
                OutboxMail.attempts: seen_attempts + 1,
                OutboxMail.next_attempt_at: next_attempt_at,
            }
        )
        .where((OutboxMail.id == mail_id) & (OutboxMail.attempts == seen_attempts))
        .returning(OutboxMail.id)
    )
    return bool(claimed)


async def failed(mail_id: int, error: str) -> None:
    """Record why the last attempt failed."""
    await OutboxMail.update({OutboxMail.last_error: error}).where(OutboxMail.id == mail_id)


async def sent(mail_id: int, at: datetime) -> None:
    """The mail was sent."""
    await OutboxMail.update({OutboxMail.sent_at: at, OutboxMail.last_error: None}).where(
        OutboxMail.id == mail_id
    )
