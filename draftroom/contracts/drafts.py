"""Drafts (SPEC sections 2 and 3): the snapshot (``GET /drafts/{id}`` and ``draft:state``),
picks, queue, captain, the event log. TypedDicts: these are built on the pick and connect
paths, where a value must stay a plain dict."""

from __future__ import annotations

from typing import Annotated, Literal, NotRequired

from pydantic import Field
from typing_extensions import TypedDict

from draftroom.contracts.common import EpochMs, IsoTime

DraftStatus = Literal["scheduled", "live", "paused", "complete", "cancelled"]
DraftType = Literal["snake", "linear", "auto"]
PickedBy = Literal["user", "auto", "commissioner"]


class PickOut(TypedDict):
    """A pick (snapshot, ``GET /drafts/{id}/picks``)."""

    pick_no: int
    round: int
    team_id: int
    driver_id: int
    by: PickedBy
    at: EpochMs


class PickMade(PickOut):
    """The answer to a pick (REST 201 and the socket ack besides ``ok``)."""

    draft_id: int
    seq: Annotated[int, Field(description="the draft's seq after the pick")]


class TeamState(TypedDict):
    id: int
    name: str
    user_id: int | None
    online: bool
    autodraft: bool
    is_bot: Annotated[bool, Field(description="a demo league's bot team (drafts from the server)")]


class Current(TypedDict):
    """Who is on the clock; ``deadline`` is null while paused."""

    pick_no: int
    round: int
    team_id: int
    deadline: int | None
    remaining_ms: int | None
    quiet_now: NotRequired[
        Annotated[bool, Field(description="only with quiet hours: the clock stands still now")]
    ]
    deadline_moved: NotRequired[
        Annotated[bool, Field(description="only with quiet hours: the deadline moved past them")]
    ]


class QuietHours(TypedDict):
    start: Annotated[str, Field(description="HH:MM")]
    end: Annotated[str, Field(description="HH:MM")]
    tz: Annotated[str, Field(description="IANA zone")]


class RaceRef(TypedDict):
    id: int
    name: str
    round: int
    season: int


class MyTeam(TypedDict):
    """The caller's team in the draft."""

    team_id: int
    queue: list[int]
    autodraft: bool


class DraftSnapshot(TypedDict):
    """The SPEC's draft snapshot plus ``quiet_hours``, ``race``, ``teams[].is_bot`` and, on
    REST, ``me``."""

    id: int
    league_id: int
    race_id: int
    status: DraftStatus
    type: DraftType
    pick_seconds: int
    picks_per_team: int
    quiet_hours: QuietHours | None
    order: list[int]
    teams: list[TeamState]
    picks: list[PickOut]
    current: Current | None
    opens_at: int | None
    locks_at: int | None
    seq: int
    server_now: int
    me: NotRequired[Annotated[MyTeam | None, Field(description="the caller's team (REST only)")]]
    race: RaceRef | None


class DraftSummary(TypedDict):
    """A draft in the league's list (``GET /leagues/{id}/drafts``)."""

    id: int
    league_id: int
    race_id: int
    race_name: str
    race_round: int
    status: DraftStatus
    type: DraftType
    pick_seconds: int
    picks_per_team: int
    order: list[int]
    picks_made: int
    seq: int
    opens_at: IsoTime | None
    locks_at: IsoTime | None
    started_at: IsoTime | None
    completed_at: IsoTime | None
    created_at: IsoTime


class DraftEventBase(TypedDict):
    """What every draft event carries; ``draft:started``, ``draft:resumed``,
    ``draft:complete`` and ``draft:cancelled`` carry nothing else."""

    draft_id: int
    seq: int
    at: EpochMs


class DraftTurn(DraftEventBase):
    """``draft:turn``: a team is on the clock."""

    pick_no: int
    round: int
    team_id: int
    deadline: int | None
    server_now: int


class DraftPicked(DraftEventBase):
    """``draft:pick``."""

    pick_no: int
    round: int
    team_id: int
    driver_id: int
    by: PickedBy


class DraftPaused(DraftEventBase):
    """``draft:paused``: the clock's running time left."""

    remaining_ms: int


class DraftUndone(DraftEventBase):
    """``draft:undo``: the pick taken back."""

    pick_no: int


class DraftRescheduled(DraftEventBase):
    """``draft:rescheduled``: the race's sessions moved and the draft with them (ms)."""

    opens_at: int | None
    locks_at: int | None


DraftEventData = (
    DraftTurn | DraftPicked | DraftPaused | DraftUndone | DraftRescheduled | DraftEventBase
)
"""The payload of a draft event (SPEC section 3), by its type."""

DRAFT_EVENTS: dict[str, type[DraftEventBase]] = {
    "draft:started": DraftEventBase,
    "draft:turn": DraftTurn,
    "draft:pick": DraftPicked,
    "draft:paused": DraftPaused,
    "draft:resumed": DraftEventBase,
    "draft:undo": DraftUndone,
    "draft:complete": DraftEventBase,
    "draft:cancelled": DraftEventBase,
    "draft:rescheduled": DraftRescheduled,
}
"""Each draft event's payload type."""


class DraftEventOut(TypedDict):
    """A logged draft event: ``type`` is the Socket.IO event name, ``data`` its payload."""

    seq: int
    type: str
    data: DraftEventData
    at: int


class QueueOut(TypedDict):
    """My queue (also the ``queue`` event to the owner's sockets)."""

    draft_id: int
    driver_ids: list[int]
    autodraft: bool


class CaptainOut(TypedDict):
    team_id: int
    race_id: int
    driver_id: int
    default: Annotated[bool, Field(description="false: named by the owner (not the first pick)")]
    locks_at: Annotated[int, Field(description="ms since the epoch: captains change until then")]


class ControlDone(TypedDict):
    """A lifecycle command's result (the ack of ``draft:start`` ... besides ``ok``)."""

    draft_id: int
    status: DraftStatus
    seq: int
    current: Current | None


class SyncEvents(TypedDict):
    """The ``sync`` ack (besides ``ok``) when the events after ``after_seq`` are at hand."""

    events: list[DraftEventOut]


class SyncState(TypedDict):
    """The ``sync`` ack (besides ``ok``) when they are not: the whole state instead."""

    state: DraftSnapshot | None
