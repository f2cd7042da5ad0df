"""Draft use cases shared by REST and Socket.IO (work in progress: signatures first)."""

from __future__ import annotations

from typing import Any

from draftroom.runtime import Runtime


async def make_pick(rt: Runtime, draft_id: int, user_id: int, pick_no: int, driver_id: int) -> dict[str, Any]:
    """The owner of the team on the clock (or the commissioner) picks ``driver_id``."""
    raise NotImplementedError


async def force_pick(rt: Runtime, draft_id: int, user_id: int, pick_no: int, driver_id: int) -> dict[str, Any]:
    """The commissioner picks for the team on the clock."""
    raise NotImplementedError


async def start_draft(rt: Runtime, draft_id: int, user_id: int) -> dict[str, Any]:
    """Commissioner: start a scheduled draft now."""
    raise NotImplementedError


async def pause_draft(rt: Runtime, draft_id: int, user_id: int) -> dict[str, Any]:
    """Commissioner: pause a live draft."""
    raise NotImplementedError


async def resume_draft(rt: Runtime, draft_id: int, user_id: int) -> dict[str, Any]:
    """Commissioner: resume a paused draft."""
    raise NotImplementedError


async def undo_pick(rt: Runtime, draft_id: int, user_id: int) -> dict[str, Any]:
    """Commissioner: take back the last pick."""
    raise NotImplementedError


async def set_queue(rt: Runtime, draft_id: int, user_id: int, driver_ids: list[int]) -> dict[str, Any]:
    """Team owner: replace the queue."""
    raise NotImplementedError


async def set_autodraft(rt: Runtime, draft_id: int, user_id: int, enabled: bool) -> dict[str, Any]:
    """Team owner: switch autodraft."""
    raise NotImplementedError


async def set_captain(
    rt: Runtime, race_id: int, user_id: int, driver_id: int, team_id: int | None = None
) -> dict[str, Any]:
    """Team owner: name the captain for a race."""
    raise NotImplementedError
