"""Helpers for league tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from draftroom.db.tables import Draft, Race

API = "/api/v1"


async def add_draft(league_id: int, status: str) -> None:
    """A draft of the league in ``status`` (for the draft-in-progress rules)."""
    race = await Race.select().where(Race.season == 2026).first()
    assert race is not None
    now = datetime.now(UTC)
    await Draft.insert(
        Draft(
            league=league_id,
            race=race["id"],
            status=status,
            locks_at=now + timedelta(days=1),
            created_at=now,
        )
    )


async def join(http: httpx.AsyncClient, user: Any, code: str, team: str) -> httpx.Response:
    return await http.post(
        f"{API}/leagues/join", json={"code": code, "team_name": team}, headers=user.headers
    )
