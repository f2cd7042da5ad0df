"""The hourly housekeeping job: read notifications older than 90 days and spent refresh
tokens of gone families are deleted; everything else stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from draftroom.errors import Unauthorized
from draftroom.services import housekeeping, notifications, refresh_tokens


async def test_old_read_notifications_are_pruned(rt: Any, make_user: Any) -> None:
    from draftroom.db.engine import DB

    alice = await make_user("alice")
    ids = {}
    for name in ("old_read", "old_unread", "recent_read"):
        item = await notifications.notify(rt, alice.id, "draft_opened", name)
        assert item is not None
        ids[name] = item["id"]
    now = datetime.now(UTC)
    ages = {"old_read": (91, True), "old_unread": (91, False), "recent_read": (89, True)}
    for name, (days, read) in ages.items():
        await DB.pool.execute(
            "UPDATE notification SET created_at = $2, read_at = $3 WHERE id = $1",
            ids[name],
            now - timedelta(days=days),
            now if read else None,
        )
    assert await housekeeping.prune_notifications(now) == 1
    left = {r["title"] for r in await DB.pool.fetch("SELECT title FROM notification")}
    assert left == {"old_unread", "recent_read"}


async def test_spent_tokens_of_gone_families_are_pruned(rt: Any, settings: Any) -> None:
    from draftroom.db.engine import DB

    redis = rt.redis
    live = await refresh_tokens.issue_pair(settings, redis, 1)
    await refresh_tokens.rotate(settings, redis, live.refresh_token, 1)  # spent, kept
    revoked = await refresh_tokens.issue_pair(settings, redis, 1)
    spent = revoked.refresh_token
    active = (await refresh_tokens.rotate(settings, redis, spent, 1)).refresh_token
    await refresh_tokens.revoke_family(redis, active, user_id=1)
    live_family, revoked_family = live.refresh_token[:16], spent[:16]

    async def tokens(family: str) -> list[bool]:
        rows = await DB.pool.fetch("SELECT spent FROM refresh_token WHERE family = $1", family)
        return sorted(r["spent"] for r in rows)

    assert await tokens(revoked_family) == [False, True]
    report = await housekeeping.run()
    assert report["refresh_tokens"] == 1, report  # the revoked family's spent token
    assert await tokens(revoked_family) == [False]
    assert await tokens(live_family) == [False, True]  # kept: replay detection
    again = await housekeeping.run()
    assert again["refresh_tokens"] == 0
    # the live family still detects a replayed (spent) token
    with pytest.raises(Unauthorized) as replay:
        await refresh_tokens.rotate(settings, redis, live.refresh_token, 1)
    assert replay.value.details == {"reason": "reused"}


def test_the_job_runs_hourly() -> None:
    import draftroom.tasks.jobs  # noqa: F401
    from draftroom.tasks.broker import broker

    task = broker.find_task("draftroom.housekeeping")
    assert task is not None
    assert task.labels["schedule"] == [{"cron": "41 * * * *"}]
