"""Composition root of the web process: Quart REST + python-socketio in one ASGI app."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import socketio

from draftroom.admission import Admission
from draftroom.config import Settings, load_settings
from draftroom.coordination.redis import connect as connect_redis
from draftroom.coordination.revocations import RevocationCache
from draftroom.db import engine
from draftroom.http.app import create_quart_app
from draftroom.http.security import SecurityHeaders
from draftroom.realtime.fanout import FanoutManager, channel_of
from draftroom.realtime.handlers import register_handlers
from draftroom.realtime.league_ns import LeagueNamespace
from draftroom.realtime.server import create_socket_server, fanout_of
from draftroom.runner.supervisor import DraftSupervisor
from draftroom.services.accounts import ensure_admin
from draftroom.services.drafts.live import LiveDrafts
from draftroom.services.notifier import league_namespace
from draftroom.services.runtime import Runtime

SHUTDOWN_STEP_S = 4.0
"""Each shutdown step (a component, the fan-out, the pools) gets at most this long."""

log = logging.getLogger("draftroom.asgi")


class Component(Protocol):
    """A long-lived part of the web process started after the pools open."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def build_runtime(
    settings: Settings,
) -> tuple[Runtime, socketio.AsyncServer, LeagueNamespace]:
    """Create (without I/O) the Runtime, Socket.IO server and league namespace of a web
    process."""
    database_url, redis_url = settings.require_services()
    engine.configure(database_url)
    sio = create_socket_server(settings, redis_url)
    fanout = fanout_of(sio)
    rt = Runtime(
        settings=settings,
        redis=connect_redis(redis_url),
        notifier=fanout,
        live=_live_drafts(fanout),
        admission=Admission(slots=settings.db_pool_size, queue=2 * settings.db_pool_size),
    )
    rt.revocations = RevocationCache(rt.redis, redis_url)  # before the handlers: they watch it
    league = register_handlers(sio, rt)
    return rt, sio, league


def _live_drafts(fanout: FanoutManager) -> LiveDrafts:
    """The draft cache of a web process, fed by (and trusted as far as) its fan-out."""
    subscriber = fanout.subscriber
    assert subscriber is not None
    live = LiveDrafts(
        watched=lambda league_id: subscriber.subscribed(channel_of(league_namespace(league_id)))
    )
    fanout.observers.append(live.observe)
    fanout.reset_handlers.append(live.reset)
    fanout.dropped_handlers.append(live.forget_channel_namespace)
    return live


def create_app(settings: Settings | None = None) -> Any:
    """The ASGI app of ``draftroom serve``; pools open and components start on lifespan."""
    settings = settings or load_settings()
    rt, sio, league_room = build_runtime(settings)
    quart_app = create_quart_app(rt)
    components: list[Component] = []
    if rt.revocations is not None:  # first: sockets and requests are checked against it
        components.append(rt.revocations)
    fanout = fanout_of(sio)
    supervisor = DraftSupervisor(rt, rooms=fanout)  # draft clocks, failover, demo bots
    fanout.wake_handlers.append(supervisor.on_wake)
    components.append(supervisor)

    async def on_startup() -> None:
        await engine.open_pool(settings.db_pool_size, clock_size=settings.clock_pool_size)
        await fanout.start()
        if settings.admin_username and settings.admin_password:
            await ensure_admin(settings.admin_username, settings.admin_password)
        for component in components:
            await component.start()
        gc.collect()
        gc.freeze()  # keep start-up objects out of future collections (tail latency)
        log.info("web process ready", extra={"port": settings.port})

    async def on_shutdown() -> None:
        steps: list[tuple[str, Callable[[], Awaitable[None]]]] = [
            (type(component).__name__, component.stop) for component in reversed(components)
        ]
        steps.append(("league namespace", league_room.stop))  # presence entries removed
        steps += [("fan-out", fanout.stop), ("redis", rt.redis.aclose)]
        steps.append(("database pool", engine.close_pool))
        for name, stop in steps:  # each bounded: a stuck one must not hold the others
            try:
                await asyncio.wait_for(stop(), SHUTDOWN_STEP_S)
            except TimeoutError:
                log.warning("%s did not stop within %s s", name, SHUTDOWN_STEP_S)
            except Exception:
                log.exception("%s failed to stop", name)

    app = SecurityHeaders(
        socketio.ASGIApp(
            sio, other_asgi_app=quart_app, on_startup=on_startup, on_shutdown=on_shutdown
        )
    )
    app.runtime = rt  # type: ignore[attr-defined]  # for tests and the CLI
    app.components = components  # type: ignore[attr-defined]
    return app
