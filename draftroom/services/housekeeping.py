"""Housekeeping: read notifications older than 90 days, and spent refresh tokens that can
no longer be used (their family is revoked or expired), are deleted, with every session
row past its expiry (:func:`draftroom.db.queries.sessions.purge_expired`), and every mock
draft that ended more than a day ago, with everything it created (:func:`mock_drafts.prune`).

A spent token of a live family is kept until its own expiry: presenting it again is how a
replayed token is detected (:mod:`draftroom.services.refresh_tokens`). Once the family is
revoked or gone that check has nothing left to revoke, so the row is only clutter.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from draftroom.db.queries import notifications as notification_queries
from draftroom.db.queries import sessions
from draftroom.services import mock_drafts

READ_NOTIFICATION_TTL = timedelta(days=90)


async def prune_notifications(now: datetime | None = None) -> int:
    """Delete read notifications created more than 90 days before ``now``; how many."""
    cutoff = (now or datetime.now(UTC)) - READ_NOTIFICATION_TTL
    return await notification_queries.prune_read(cutoff)


async def prune_refresh_tokens() -> dict[str, int]:
    """Delete spent refresh tokens of revoked or gone families, then every expired session
    row (tokens, families, revocations, locks)."""
    spent = await sessions.prune_spent_tokens()
    return {"refresh_tokens": spent, "expired_session_rows": await sessions.purge_expired()}


async def run(now: datetime | None = None) -> dict[str, Any]:
    """The hourly job: every prune; what each removed."""
    return {
        "notifications": await prune_notifications(now),
        **await prune_refresh_tokens(),
        "mock_drafts": await mock_drafts.prune(now),
    }
