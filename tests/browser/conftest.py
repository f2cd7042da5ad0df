"""Fixtures of the browser tests: Debian's Chromium driven by Playwright (async API, in the
session loop next to the live server), a clean database seeded with the packaged seasons
and a draftable race whose qualifying is a few days ahead."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("DRAFTROOM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEASON = 2026
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    """One headless Chromium for the whole session (skipped when it is not installed)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (run `make browser`)")
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture
async def new_page(
    browser: Any, site: str
) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    """Factory of pages, each in its own browser context (own localStorage = own user)."""
    contexts: list[Any] = []

    async def factory(width: int = 1400, height: int = 900) -> Any:
        context = await browser.new_context(
            base_url=site, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = await context.new_page()
        page.on("pageerror", lambda exc: print(f"[pageerror] {exc}"))
        return page

    yield factory
    for context in contexts:
        await context.close()


@pytest.fixture
async def site(live_server: str, db: None) -> str:
    """The live server with a clean database, the packaged seasons and a test race."""
    from draftroom.db.tables import Race
    from draftroom.services.seed import season_files, seed_reference

    await seed_reference([s for s in season_files() if int(s["season"]) == SEASON])
    qualifying = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    await Race.insert(
        Race(
            season=SEASON,
            round=90,
            name="Browser Test Grand Prix",
            circuit="Test Circuit",
            country="Testland",
            starts_at=qualifying + timedelta(days=1),
            qualifying_at=qualifying,
            status="scheduled",
        )
    )
    return live_server
