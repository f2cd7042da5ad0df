"""Practice drafts against bots."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from typing_extensions import TypedDict


class MockDraftOut(TypedDict):
    draft_id: int
    league_id: Annotated[int, Field(description="the mock's hidden practice league")]
    race_id: int
    race_name: str
    status: str
    teams: int
    pick_seconds: int
    my_slot: int | None
    team_id: Annotated[int, Field(description="your team")]
    created_at: str
    completed_at: str | None
    room: Annotated[str, Field(description="the draft room's page path in the browser")]
