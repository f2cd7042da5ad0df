"""``draftroom serve``: hypercorn on uvloop, graceful shutdown on SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import gc
import signal
from typing import Any

from hypercorn.asyncio import serve as hypercorn_serve
from hypercorn.config import Config

from draftroom.config import Settings
from draftroom.gcwatch import install_gc_watch
from draftroom.logs import setup_logging
from draftroom.loopwatch import LoopLagWatch


def tune_gc() -> None:
    """Fewer, later collections: python-socketio's tail latency is set by GC pauses."""
    gc.set_threshold(50_000, 20, 100)


class FreezeAfterStartup:
    """An app component: once the process is up (imports, pools, caches), move every object
    into the permanent generation, so collections never walk them again (as the bare
    baseline does)."""

    async def start(self) -> None:
        """Collect once, then freeze what survived."""
        gc.collect()
        gc.freeze()

    async def stop(self) -> None:
        """Nothing to undo."""


async def serve_until_signal(app: Any, host: str, port: int) -> None:
    """Serve ``app`` with draftroom's hypercorn settings until SIGTERM or SIGINT, then drain
    and stop (also used by the load test's bare baseline, so both run alike)."""
    config = Config()
    config.bind = [f"{host}:{port}"]
    config.accesslog = None
    config.errorlog = "-"
    config.graceful_timeout = 5
    config.keep_alive_timeout = 30
    config.websocket_ping_interval = None
    config.backlog = 2048  # reconnect storms: thousands of handshakes at once
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await hypercorn_serve(app, config, shutdown_trigger=stop.wait)


async def serve(settings: Settings) -> None:
    """Serve the draftroom ASGI app (``draftroom serve``)."""
    from draftroom.asgi import create_app

    app = create_app(settings)
    app.components.extend([FreezeAfterStartup(), LoopLagWatch()])
    await serve_until_signal(app, settings.host, settings.port)


def run(settings: Settings) -> None:
    """Entry point of ``draftroom serve``."""
    import uvloop

    setup_logging(settings.log_level)
    tune_gc()
    install_gc_watch()
    uvloop.run(serve(settings))
