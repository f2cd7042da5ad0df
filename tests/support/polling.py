"""Polling an async probe until a condition holds."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any


async def wait_for(
    probe: Callable[[], Awaitable[Any]],
    timeout_s: float = 10.0,
    every_s: float = 0.05,
    what: str = "condition",
) -> Any:
    """Poll ``probe`` until it returns something truthy and return that; raise
    AssertionError (naming ``what``) after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = await probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        await asyncio.sleep(every_s)
