"""Read side of drafts (work in progress: signatures first)."""

from __future__ import annotations

from typing import Any

from draftroom.runtime import Runtime


async def draft_snapshot(rt: Runtime, draft_id: int, user_id: int | None = None) -> dict[str, Any]:
    """The SPEC's draft snapshot (``draft:state`` payload)."""
    raise NotImplementedError


async def current_draft_id(league_id: int) -> int | None:
    """Live/paused draft, else next scheduled, else last complete, else None."""
    raise NotImplementedError


async def events_after(draft_id: int, after_seq: int) -> list[dict[str, Any]] | None:
    """Events after ``after_seq`` or None when too old (send the state instead)."""
    raise NotImplementedError


async def draft_league_id(draft_id: int) -> int:
    """The league of a draft; NotFound when unknown."""
    raise NotImplementedError
