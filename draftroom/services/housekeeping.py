"""Housekeeping: read notifications older than 90 days, and spent refresh tokens that can
no longer be used (their family is revoked or expired), are deleted, with every session
row past its expiry (:func:`draftroom.db.sessions.purge_expired`), and every mock draft
that ended more than a day ago, with everything it created (:func:`mock_drafts.prune`).

A spent token of a live family is kept until its own expiry: presenting it again is how a
replayed token is detected (:mod:`draftroom.services.refresh_tokens`). Once the family is
revoked or gone that check has nothing left to revoke, so the row is only clutter.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from draftroom.db import sessions
from draftroom.db.engine import pool
from draftroom.services import mock_drafts

READ_NOTIFICATION_TTL = timedelta(days=90)

_PRUNE_NOTIFICATIONS = """
WITH gone AS (
    DELETE FROM notification WHERE read_at IS NOT NULL AND created_at < $1 RETURNING 1
) SELECT count(*) FROM gone
"""


async def prune_notifications(now: datetime | None = None) -> int:
    """Delete read notifications created more than 90 days before ``now``; how many."""
    cutoff = (now or datetime.now(UTC)) - READ_NOTIFICATION_TTL
    return int(await pool().fetchval(_PRUNE_NOTIFICATIONS, cutoff))


_PRUNE_SPENT = """
WITH gone AS (
    DELETE FROM refresh_token t WHERE t.spent AND NOT EXISTS (
        SELECT 1 FROM refresh_family f WHERE f.id = t.family AND NOT f.revoked
          AND f.expires_at > now()
    ) RETURNING 1
) SELECT count(*) FROM gone
"""


async def prune_refresh_tokens() -> dict[str, int]:
    """Delete spent refresh tokens of revoked or gone families, then every expired session
    row (tokens, families, revocations, locks)."""
    spent = int(await pool().fetchval(_PRUNE_SPENT))
    return {"refresh_tokens": spent, "expired_session_rows": await sessions.purge_expired()}


async def run(now: datetime | None = None) -> dict[str, Any]:
    """The hourly job: every prune; what each removed."""
    return {
        "notifications": await prune_notifications(now),
        **await prune_refresh_tokens(),
        "mock_drafts": await mock_drafts.prune(now),
    }
