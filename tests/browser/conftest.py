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

from tests.fakes.fixtures import FakeJolpicaControl, jolpica, jolpica_server

__all__ = ["jolpica", "jolpica_server"]

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
    """One headless Chromium for the whole session (`make test` installs Debian's)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make browser` (make test does)")
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture
async def new_page(browser: Any, site: str) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    """Factory of pages, each in its own browser context (own localStorage = own user)."""
    contexts: list[Any] = []

    async def factory(
        width: int = 1400, height: int = 900, clock_skew_ms: int = 0, mobile: bool = False
    ) -> Any:
        """``mobile``: a phone (touch screen, mobile viewport rules)."""
        context = await browser.new_context(
            base_url=site,
            viewport={"width": width, "height": height},
            has_touch=mobile,
            is_mobile=mobile,
        )
        if clock_skew_ms:  # this browser's clock is wrong by clock_skew_ms
            await context.add_init_script(
                f"{{ const now = Date.now.bind(Date); Date.now = () => now() + {clock_skew_ms}; }}"
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


@pytest.fixture
async def ingest_results(
    site: str, jolpica: FakeJolpicaControl, settings: Any, redis: Any
) -> Callable[[], Awaitable[dict[str, Any]]]:
    """``await ingest_results()`` runs the hourly results poll now, against the fake Jolpica,
    with the worker's notifier (through Redis, so browsers get the events live)."""
    from draftroom.jolpica.client import RetryPolicy
    from draftroom.realtime.server import write_only_notifier
    from draftroom.services import polling
    from draftroom.services.runtime import Runtime
    from tests.support.jolpica import fast_client_factory

    retry = RetryPolicy(attempts=3, base_delay_s=0.01, max_delay_s=0.05, max_retry_after_s=1)
    rt = Runtime(settings=settings, redis=redis, notifier=write_only_notifier(settings.redis_url))
    rt.jolpica_factory = fast_client_factory(jolpica.base_url, retry)

    async def run() -> dict[str, Any]:
        report: dict[str, Any] = await polling.poll(rt)
        return report

    return run
