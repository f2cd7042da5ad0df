"""The e-mail outbox: mails are stored in PostgreSQL and delivered later by a worker job.

A use case only calls :func:`enqueue` (inside its own work, so a mail exists exactly when
its reason does). :func:`deliver_pending` sends what is due through a :class:`Sender`;
a failed send is retried with backoff (1 min doubling up to 1 h) and given up after
``MAX_ATTEMPTS``. Without SMTP, development shows the outbox at ``/dev/mailbox``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import asyncpg

from draftroom.db.queries import outbox as queries

log = logging.getLogger("draftroom.mail")

MAX_ATTEMPTS = 8
BATCH = 50


class Sender(Protocol):
    """Delivers one mail (raises on failure)."""

    async def send(self, to_address: str, subject: str, body: str) -> None: ...


async def enqueue(to_address: str, subject: str, body: str, *, kind: str) -> int:
    """Store a mail for delivery; its id."""
    now = datetime.now(UTC)
    return await queries.insert(
        to_address=to_address,
        subject=subject,
        body=body,
        kind=kind,
        created_at=now,
        next_attempt_at=now,
    )


async def enqueue_on(
    conn: asyncpg.Connection, mails: Sequence[tuple[str, str, str]], *, kind: str
) -> int:
    """Store mails ``(to_address, subject, body)`` on ``conn``, inside the caller's
    transaction (in one statement); how many."""
    if not mails:
        return 0
    await queries.insert_many(conn, mails, kind=kind, now=datetime.now(UTC))
    return len(mails)


async def recent(limit: int = 50) -> list[dict[str, Any]]:
    """The newest mails first: ``{id, to, subject, body, kind, created_at, sent_at}``."""
    return await queries.recent(limit)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 60 * 2 ** max(0, attempts - 1)))


async def deliver_pending(sender: Sender, *, now: datetime | None = None) -> dict[str, int]:
    """Send every due, unsent mail once; ``{sent, failed}``.

    Each mail is claimed by moving its next attempt forward before sending, so two workers
    running at once do not send it twice within the backoff.
    """
    now = now or datetime.now(UTC)
    due = await queries.due(now, MAX_ATTEMPTS, BATCH)
    sent = failed = 0
    for mail in due:
        attempts = mail["attempts"] + 1
        if not await queries.claim(mail["id"], mail["attempts"], now + _backoff(attempts)):
            continue
        try:
            await sender.send(mail["to_address"], mail["subject"], mail["body"])
        except Exception as error:
            failed += 1
            log.warning("mail %s not sent (attempt %s): %s", mail["id"], attempts, error)
            await queries.failed(mail["id"], str(error)[:1000])
            continue
        sent += 1
        await queries.sent(mail["id"], datetime.now(UTC))
    return {"sent": sent, "failed": failed}
