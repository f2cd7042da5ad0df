"""``draftroom serve``: hypercorn on uvloop, graceful shutdown on SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import time
from collections.abc import Callable
from typing import Any

import uvloop
from hypercorn.asyncio import serve as hypercorn_serve
from hypercorn.config import Config

from draftroom.config import Settings
from draftroom.gcwatch import install_gc_watch
from draftroom.logs import setup_logging
from draftroom.loopwatch import LoopLagWatch

PRESSURE_LAG_S = 0.25
"""Event-loop lag past which user commits are refused (``overloaded``) so the draft clocks
keep their share of the loop."""

GC_THRESHOLDS = (10_000, 50, 1_000_000)
"""Young collections small and frequent enough to stay short; gen-2 collections only when
scheduled (:class:`GcScheduler`), never in the middle of a burst."""


def tune_gc() -> None:
    """Collector thresholds of the serve processes (python-socketio's tail latency is set by
    GC pauses): see :data:`GC_THRESHOLDS`."""
    gc.set_threshold(*GC_THRESHOLDS)


class GcScheduler:
    """An app component that keeps long-lived objects out of collections.

    The app collects and freezes once it is up (``asgi.create_app``); after every wave of at
    least ``wave`` new sockets it freezes again (``gc.freeze()``, no collection: it costs
    nothing), so live sockets and their sessions cost later collections nothing. Every
    ``full_every_s`` it runs one full collection of what is not frozen, in place of the
    automatic gen-2 collections the thresholds switch off. The price: cyclic garbage that
    was young at a freeze is kept until the process ends.
    """

    def __init__(
        self, sockets: Callable[[], int], *, wave: int = 500, full_every_s: float = 300.0
    ) -> None:
        self.sockets = sockets
        self.wave = wave
        self.full_every_s = full_every_s
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Watch for socket waves (the app collects and freezes once at start-up)."""
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stop watching."""
        if self._task is not None:
            self._task.cancel()

    async def _run(self) -> None:
        frozen_at = self.sockets()
        last_full = time.monotonic()
        while True:
            await asyncio.sleep(1.0)
            count = self.sockets()
            if count - frozen_at >= self.wave:
                gc.freeze()
                frozen_at = count
            elif count < frozen_at:
                frozen_at = count
            if time.monotonic() - last_full >= self.full_every_s:
                gc.collect(2)
                last_full = time.monotonic()


async def serve_until_signal(app: Any, host: str, port: int) -> None:
    """Serve ``app`` with draftroom's hypercorn settings until SIGTERM or SIGINT, then drain
    and stop (also used by the load test's bare baseline, so both run alike)."""
    config = Config()
    config.bind = [f"{host}:{port}"]
    config.accesslog = None
    config.errorlog = logging.getLogger("hypercorn.error")  # our handler: each line once
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
    # keeps start-up light: the app (and all it imports) loads after logging is set up
    from draftroom.asgi import create_app

    app = create_app(settings)
    sockets = app.engineio_server.eio.sockets  # the Socket.IO server's Engine.IO sockets
    lag = LoopLagWatch()
    app.runtime.admission.pressure = lambda: lag.recent_lag_s > PRESSURE_LAG_S
    app.components.extend([GcScheduler(lambda: len(sockets)), lag])
    await serve_until_signal(app, settings.host, settings.port)


def run(settings: Settings) -> None:
    """Entry point of ``draftroom serve``."""

    setup_logging(settings.log_level, json_lines=settings.log_json)
    tune_gc()
    install_gc_watch()
    uvloop.run(serve(settings))
