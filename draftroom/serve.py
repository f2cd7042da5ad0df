"""``draftroom serve``: hypercorn on uvloop, graceful shutdown on SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

import uvloop
from hypercorn.asyncio import serve as hypercorn_serve
from hypercorn.config import Config

from draftroom.config import Settings
from draftroom.gcpolicy import GcPolicy
from draftroom.gcwatch import install_gc_watch
from draftroom.logs import setup_logging
from draftroom.loopwatch import LoopLagWatch
from draftroom.realtime.reclaim import release_tcp_servers
from draftroom.stalltrace import StallTracer

PRESSURE_LAG_S = 0.25
"""Event-loop lag past which user commits are refused (``overloaded``) so the draft clocks
keep their share of the loop."""


async def serve_until_signal(app: Any, host: str, port: int) -> None:
    """Serve ``app`` with draftroom's hypercorn settings until SIGTERM or SIGINT, then drain
    and stop (also used by the load test's bare baseline, so both run alike)."""
    release_tcp_servers()  # an ended connection's objects go without a full collection
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
    lag = LoopLagWatch()
    app.runtime.admission.pressure = lambda: lag.recent_lag_s > PRESSURE_LAG_S
    app.components.extend([GcPolicy(), lag])
    if settings.stall_trace_ms:
        app.components.append(StallTracer(settings.stall_trace_ms / 1000))
    await serve_until_signal(app, settings.host, settings.port)


def run(settings: Settings) -> None:
    """Entry point of ``draftroom serve``."""

    setup_logging(settings.log_level, json_lines=settings.log_json)
    install_gc_watch()
    uvloop.run(serve(settings))
