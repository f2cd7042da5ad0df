"""Fixtures of the drafts tests: leagues with teams (``world``, see tests/support/leagues.py),
drafts over REST, the event log, and control of the in-process supervisor."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.support.leagues import World, make_league
from tests.support.server import forget_id_caches


@pytest.fixture(autouse=True)
async def _forget_caches() -> None:
    """Ids restart with every test's TRUNCATE: forget id-keyed caches and stop the
    in-process supervisor's runners of the previous test's drafts."""
    forget_id_caches()
    async with paused_local_supervisors():
        pass


@pytest.fixture
def world(make_user: Any) -> Callable[..., Awaitable[World]]:
    """Factory: ``await world(teams=4, settings={...})`` -> World."""

    async def factory(**kwargs: Any) -> World:
        return await make_league(make_user, **kwargs)

    return factory


@contextlib.asynccontextmanager
async def paused_local_supervisors() -> AsyncIterator[None]:
    """Stop this process's draft supervisors (the in-process live server's) for a block."""
    from draftroom.runner.supervisor import DraftSupervisor

    paused = list(DraftSupervisor.instances)
    for sup in paused:
        await sup.pause()
    try:
        yield
    finally:
        for sup in paused:
            sup.resume()


@pytest.fixture
async def no_local_supervisor() -> AsyncIterator[None]:
    """The test's drafts are driven only by the subprocess servers it starts."""
    async with paused_local_supervisors():
        yield


async def create_draft(
    http: httpx.AsyncClient, w: World, race_id: int | None = None, **body: Any
) -> dict[str, Any]:
    """POST /leagues/{id}/drafts as the commissioner; returns the snapshot."""
    r = await http.post(
        f"/api/v1/leagues/{w.league_id}/drafts",
        json={"race_id": race_id or w.race_id, **body},
        headers=w.commissioner.headers,
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


async def start(http: httpx.AsyncClient, w: World, draft_id: int) -> dict[str, Any]:
    """POST /drafts/{id}/start as the commissioner; returns the snapshot."""
    r = await http.post(f"/api/v1/drafts/{draft_id}/start", headers=w.commissioner.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def get_state(http: httpx.AsyncClient, w: World, draft_id: int) -> dict[str, Any]:
    """GET /drafts/{id} as the commissioner."""
    r = await http.get(f"/api/v1/drafts/{draft_id}", headers=w.commissioner.headers)
    assert r.status_code == 200, r.text
    return dict(r.json())


async def events(http: httpx.AsyncClient, w: World, draft_id: int, after: int = 0) -> list[Any]:
    """GET /drafts/{id}/events?after_seq= as the commissioner."""
    r = await http.get(
        f"/api/v1/drafts/{draft_id}/events",
        params={"after_seq": after},
        headers=w.commissioner.headers,
    )
    assert r.status_code == 200, r.text
    return list(r.json())


def assert_contiguous(log: list[dict[str, Any]]) -> None:
    """Event seqs are 1..n without gaps and each payload carries its seq."""
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
    assert all(e["data"]["seq"] == e["seq"] for e in log)
