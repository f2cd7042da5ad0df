"""Run an ASGI app under hypercorn on 127.0.0.1 for tests, over real HTTP.

:func:`serve_in_thread` starts it in a background thread with its own event loop and
yields the root URL; :func:`serve_forever` is the blocking form for a subprocess.
"""

from __future__ import annotations

import asyncio
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hypercorn.asyncio import serve
from hypercorn.config import Config


def _listen(host: str, port: int) -> tuple[int, int]:
    """A listening socket's fd (ownership passes to hypercorn) and its port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    bound_port = sock.getsockname()[1]
    return sock.detach(), bound_port


def _config(fd: int) -> Config:
    config = Config()
    config.bind = [f"fd://{fd}"]
    config.accesslog = None
    config.errorlog = None
    config.graceful_timeout = 1.0
    config.keep_alive_timeout = 5.0
    return config


@contextmanager
def serve_in_thread(app: Any, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``app`` on a free port in a background thread; yields ``http://host:port``."""
    fd, port = _listen(host, 0)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    failed: list[BaseException] = []

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(serve(app, _config(fd), shutdown_trigger=stop.wait))
        except BaseException as exc:  # surfaced to the test on exit
            failed.append(exc)
        finally:
            loop.close()

    thread = threading.Thread(target=run, name=f"asgi-{port}", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{port}"
    finally:
        if not loop.is_closed():
            loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=10)
    if failed:
        raise RuntimeError("test server crashed") from failed[0]


def serve_forever(app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
    """Serve ``app`` until interrupted; prints ``READY http://host:port/ergast/f1`` first."""
    fd, bound = _listen(host, port)
    print(f"READY http://{host}:{bound}/ergast/f1", flush=True)
    try:
        asyncio.run(serve(app, _config(fd)))
    except KeyboardInterrupt:
        sys.exit(0)
