"""Fixtures for league tests: seeded seasons and helpers to create leagues over HTTP."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest


@pytest.fixture
async def seeded(db: None) -> None:
    """The packaged 2025 and 2026 seasons, loaded into a clean database."""
    from draftroom.services.seed import season_files, seed_reference

    await seed_reference(season_files())


CreateLeague = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def create_league(http: httpx.AsyncClient, seeded: None) -> CreateLeague:
    """``await create_league(user, name=..., **fields)`` -> the created league (201 checked)."""

    async def create(user: Any, **fields: Any) -> dict[str, Any]:
        body = {
            "name": "Grid Pals",
            "is_private": True,
            "max_teams": 4,
            "team_name": f"{user.username} Racing",
            **fields,
        }
        response = await http.post("/api/v1/leagues", json=body, headers=user.headers)
        assert response.status_code == 201, response.text
        league: dict[str, Any] = response.json()
        return league

    return create
