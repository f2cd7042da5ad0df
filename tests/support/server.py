"""An ASGI app served by hypercorn inside the test process, on a free loopback port."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
from hypercorn.asyncio import serve
from hypercorn.config import Config

from draftroom.embedded import free_port
from draftroom.realtime.reclaim import release_tcp_servers

SERVED: list[Any] = []
"""The Runtimes of the apps being served in this process (to forget their caches)."""


def forget_id_caches(*runtimes: Any) -> None:
    """Ids restart with every test's TRUNCATE: clear the id-keyed caches of ``runtimes``
    and of every app served in this process."""
    for rt in (*runtimes, *SERVED):
        rt.draft_leagues.clear()
        rt.rankings.clear()


@contextlib.asynccontextmanager
async def serve_app(app: Any) -> AsyncIterator[str]:
    """Serve ``app`` (the draftroom ASGI app) on 127.0.0.1 for the block; yields its base URL
    once ``/health`` answers 200 (or after ~10 s of trying)."""
    release_tcp_servers()  # as draftroom serve does
    port = free_port()
    config = Config()
    config.bind = [f"127.0.0.1:{port}"]
    config.accesslog = None
    config.graceful_timeout = 1
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, config, shutdown_trigger=stop.wait))
    url = f"http://127.0.0.1:{port}"
    runtime = getattr(app, "runtime", None)
    if runtime is not None:
        SERVED.append(runtime)
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(200):
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(f"{url}/health")).status_code == 200:
                        break
                await asyncio.sleep(0.05)
        yield url
    finally:
        stop.set()
        if runtime is not None:
            SERVED.remove(runtime)
        await asyncio.wait_for(task, 10)
