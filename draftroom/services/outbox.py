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

from draftroom.db.tables import OutboxMail

log = logging.getLogger("draftroom.mail")

MAX_ATTEMPTS = 8
BATCH = 50


class Sender(Protocol):
    """Delivers one mail (raises on failure)."""

    async def send(self, to_address: str, subject: str, body: str) -> None: ...


async def enqueue(to_address: str, subject: str, body: str, *, kind: str) -> int:
    """Store a mail for delivery; its id."""
    now = datetime.now(UTC)
    rows = await OutboxMail.insert(
        OutboxMail(
            to_address=to_address,
            subject=subject,
            body=body,
            kind=kind,
            created_at=now,
            next_attempt_at=now,
        )
    ).returning(OutboxMail.id)
    mail_id: int = rows[0]["id"]
    return mail_id


async def enqueue_on(
    conn: asyncpg.Connection, mails: Sequence[tuple[str, str, str]], *, kind: str
) -> int:
    """Store mails ``(to_address, subject, body)`` on ``conn``, inside the caller's
    transaction (in one statement); how many."""
    if not mails:
        return 0
    now = datetime.now(UTC)
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
    return len(mails)


async def recent(limit: int = 50) -> list[dict[str, Any]]:
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


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 60 * 2 ** max(0, attempts - 1)))


async def deliver_pending(sender: Sender, *, now: datetime | None = None) -> dict[str, int]:
    """Send every due, unsent mail once; ``{sent, failed}``.

    Each mail is claimed by moving its next attempt forward before sending, so two workers
    running at once do not send it twice within the backoff.
    """
    now = now or datetime.now(UTC)
    due = (
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
            & (OutboxMail.attempts < MAX_ATTEMPTS)
        )
        .order_by(OutboxMail.id)
        .limit(BATCH)
    )
    sent = failed = 0
    for mail in due:
        attempts = mail["attempts"] + 1
        claimed = (
            await OutboxMail.update(
                {
                    OutboxMail.attempts: attempts,
                    OutboxMail.next_attempt_at: now + _backoff(attempts),
                }
            )
            .where((OutboxMail.id == mail["id"]) & (OutboxMail.attempts == mail["attempts"]))
            .returning(OutboxMail.id)
        )
        if not claimed:
            continue
        try:
            await sender.send(mail["to_address"], mail["subject"], mail["body"])
        except Exception as error:
            failed += 1
            log.warning("mail %s not sent (attempt %s): %s", mail["id"], attempts, error)
            await OutboxMail.update({OutboxMail.last_error: str(error)[:1000]}).where(
                OutboxMail.id == mail["id"]
            )
            continue
        sent += 1
        await OutboxMail.update(
            {OutboxMail.sent_at: datetime.now(UTC), OutboxMail.last_error: None}
        ).where(OutboxMail.id == mail["id"])
    return {"sent": sent, "failed": failed}
