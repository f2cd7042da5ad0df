"""Fixtures of the mock draft tests: the drafts tests' cache reset, reference data, and
helpers to create mock drafts over REST."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.drafts.conftest import _forget_caches, no_local_supervisor, world  # noqa: F401
from tests.support.leagues import seed_reference

API = "/api/v1"


@pytest.fixture
async def races(db: None) -> list[int]:
    """The test season (current) with 22 drivers and three races; their ids."""
    _, race_ids = await seed_reference(races=3)
    return race_ids


async def post_mock(
    http: httpx.AsyncClient, user: Any, race_id: int, **body: Any
) -> httpx.Response:
    """POST /mock-drafts as ``user`` (teams 4, a 30 s clock unless given)."""
    return await http.post(
        f"{API}/mock-drafts",
        json={"race_id": race_id, "teams": 4, "pick_seconds": 30, **body},
        headers=user.headers,
    )


async def counts() -> dict[str, int]:
    """Rows of every table a mock draft writes."""
    from draftroom.db.engine import DB

    tables = ("league", "team", "draft", "draft_team", "mock_draft", "pick", "draft_event")
    return {t: int(await DB.pool.fetchval(f"SELECT count(*) FROM {t}")) for t in tables}
