"""User notifications: stored in PostgreSQL, listed, marked read, pushed live.

A notification is pushed as the Socket.IO event ``notification`` (its REST shape) on the
default namespace ``/``, room ``user:{id}``, through ``rt.notifier`` (a write-only Redis
manager in the taskiq worker), only after the row is committed. A ``dedupe_key`` makes a
repeated job notify once: the second insert with the same key stores and pushes nothing.

Jobs that write notifications together with other rows (results ingestion) call
:func:`insert_notifications` on their own connection inside their transaction, then
:func:`push` with what it returned once the transaction has committed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

import asyncpg

from draftroom.contracts.notifications import NotificationOut
from draftroom.db.engine import connection, transaction
from draftroom.db.queries import notifications as queries
from draftroom.errors import NotFound, ValidationFailed
from draftroom.services.notifier import Broadcast
from draftroom.services.runtime import Runtime
from draftroom.timestamps import iso_utc

log = logging.getLogger(__name__)

KINDS = (
    "draft_opened",
    "on_the_clock",
    "on_deck",
    "autopicked",
    "draft_complete",
    "draft_moved",
    "draft_cancelled",
    "substitution",
    "queue_driver_out",
    "race_cancelled",
    "results_available",
    "results_corrected",
)
MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50


@dataclass(frozen=True)
class NewNotification:
    """A notification to store for one user."""

    user_id: int
    kind: str
    title: str
    body: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    dedupe_key: str | None = None


def titled(title: str, league: str) -> str:
    """A notification title naming its league ("You are on the clock · Friends League")."""
    return f"{title} · {league}" if league else title


def notification_out(row: Mapping[str, Any]) -> dict[str, Any]:
    """The SPEC shape ``{id, kind, title, body, data, read_at, created_at}`` plus its
    ``user_id`` (:func:`_public` drops it)."""
    data = row["data"]
    return {
        "id": row["id"],
        "kind": row["kind"],
        "title": row["title"],
        "body": row["body"],
        "data": json.loads(data) if isinstance(data, str) else (data or {}),
        "read_at": iso_utc(row["read_at"]),
        "created_at": iso_utc(row["created_at"]),
        "user_id": row["user_id"],
    }


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValidationFailed(f"Unknown notification kind {kind!r}.")


async def insert_notifications(
    conn: asyncpg.Connection, items: Iterable[NewNotification], now: datetime | None = None
) -> list[dict[str, Any]]:
    """Store ``items`` on ``conn`` in one statement (inside the caller's transaction);
    deduped ones are skipped.

    Returns the stored notifications (with ``user_id``) to hand to :func:`push` after commit.
    """
    items = list(items)
    for item in items:
        _check_kind(item.kind)
    if not items:
        return []
    rows = await queries.insert(
        conn,
        [item.user_id for item in items],
        [item.kind for item in items],
        [item.title[:200] for item in items],
        [item.body for item in items],
        [json.dumps(item.data) for item in items],
        [item.dedupe_key for item in items],
        now or datetime.now(UTC),
    )
    return [notification_out(row) for row in rows]


def pushes(stored: Sequence[dict[str, Any]]) -> tuple[tuple[int, str, Any], ...]:
    """The live ``notification`` pushes of stored notifications (for a Broadcast)."""
    return tuple(
        (item["user_id"], "notification", {k: v for k, v in item.items() if k != "user_id"})
        for item in stored
    )


async def push(rt: Runtime, stored: Sequence[dict[str, Any]]) -> None:
    """Emit each stored notification live to its user's sockets, in one round trip (best
    effort: the rows are stored; a lost live push is not an error)."""
    if not stored:
        return
    try:
        await rt.notifier.publish(Broadcast("/", pushes=pushes(stored)))
    except Exception:
        log.exception("could not push %d notifications", len(stored))


async def notify(
    rt: Runtime,
    user_id: int,
    kind: str,
    title: str,
    body: str = "",
    data: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
) -> dict[str, Any] | None:
    """Store one notification and push it; None when ``dedupe_key`` was already used."""
    item = NewNotification(user_id, kind, title, body, dict(data or {}), dedupe_key)
    async with connection() as conn:
        stored = await insert_notifications(conn, [item])
    await push(rt, stored)
    return stored[0] if stored else None


async def notify_many(rt: Runtime, items: Sequence[NewNotification]) -> list[dict[str, Any]]:
    """Store several notifications in one transaction, then push them."""
    async with transaction() as conn:
        stored = await insert_notifications(conn, items)
    await push(rt, stored)
    return stored


def page_bounds(page: int, per_page: int) -> tuple[int, int]:
    """Validated ``(limit, offset)`` for 1-based ``page`` and ``per_page`` (max 200)."""
    if page < 1:
        raise ValidationFailed("page must be at least 1.")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise ValidationFailed(f"per_page must be between 1 and {MAX_PER_PAGE}.")
    return per_page, (page - 1) * per_page


async def list_notifications(
    user_id: int,
    *,
    unread: bool | None = None,
    page: int = 1,
    per_page: int = DEFAULT_PER_PAGE,
) -> tuple[list[NotificationOut], int]:
    """A page of the user's notifications, newest first, and the total count."""
    limit, offset = page_bounds(page, per_page)
    rows, total = await queries.page(user_id, unread, limit, offset)
    return [_public(notification_out(r)) for r in rows], total


def _public(item: dict[str, Any]) -> NotificationOut:
    """A stored notification as its user sees it (without ``user_id``)."""
    return cast("NotificationOut", {k: v for k, v in item.items() if k != "user_id"})


async def mark_read(user_id: int, notification_id: int) -> NotificationOut:
    """Mark one of the user's notifications read (idempotent); NotFound if not theirs."""
    row = await queries.mark_read(user_id, notification_id, datetime.now(UTC))
    if row is None:
        raise NotFound("No such notification.")
    return _public(notification_out(row))


async def mark_all_read(user_id: int) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    return await queries.mark_all_read(user_id, datetime.now(UTC))


async def unread_count(user_id: int) -> int:
    """How many notifications of the user are unread."""
    return await queries.unread_count(user_id)
