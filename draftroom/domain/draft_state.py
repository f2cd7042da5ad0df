"""The values of a per-race draft: state, picks, events, notices and transitions.

See :mod:`draftroom.domain.draft` for the rules and the transition functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from draftroom.domain import clock
from draftroom.domain.order import DRAFT_TYPES, DraftType, round_of, team_for_pick, total_picks
from draftroom.domain.quiet_hours import QuietHours, is_quiet, parse_quiet_hours, running_ms
from draftroom.errors import ValidationFailed

Status = Literal["scheduled", "live", "paused", "complete", "cancelled"]
PickedBy = Literal["user", "auto", "commissioner"]
STATUSES: tuple[Status, ...] = ("scheduled", "live", "paused", "complete", "cancelled")
PICK_SECONDS_MIN, PICK_SECONDS_MAX = 5, 86_400
PICKS_PER_TEAM_MIN, PICKS_PER_TEAM_MAX = 1, 4
AUTODRAFT_AFTER_TIMEOUTS = 2


@dataclass(frozen=True, slots=True)
class Pick:
    """One made pick; ``at_ms`` is when it was made."""

    pick_no: int
    round: int
    team_id: int
    driver_id: int
    by: PickedBy
    at_ms: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``at_ms`` kept in milliseconds)."""
        return {
            "pick_no": self.pick_no,
            "round": self.round,
            "team_id": self.team_id,
            "driver_id": self.driver_id,
            "by": self.by,
            "at_ms": self.at_ms,
        }


@dataclass(frozen=True, slots=True)
class Event:
    """A draft event: Socket.IO name ``type``, payload ``data``, per-draft ``seq``."""

    seq: int
    type: str
    data: dict[str, Any]
    at_ms: int

    def to_dict(self) -> dict[str, Any]:
        """``{seq, type, data, at}`` as in GET /drafts/{id}/events (``at`` in ms)."""
        return {"seq": self.seq, "type": self.type, "data": dict(self.data), "at": self.at_ms}


@dataclass(frozen=True, slots=True)
class Notice:
    """Side information for the service that is not a draft event (no seq, not logged).

    ``type == "autodraft"``: ``data = {"team_id", "enabled", "reason"}`` with reason
    ``"timeouts"`` (switched on after consecutive timeouts: tell the owner) or ``"owner"``.
    """

    type: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class DraftState:
    """The whole state of one draft. Immutable; transitions return a new one.

    ``timeouts`` holds ``(team_id, consecutive_timeouts)`` pairs sorted by team, zeros
    omitted (read it with :meth:`timeouts_of`). ``deadline_ms`` is set only while live with
    a team on the clock; ``remaining_ms`` only while paused. ``seq`` is the seq of the last
    emitted event (0 before any).
    """

    order: tuple[int, ...]
    pool: frozenset[int]
    draft_type: DraftType = "snake"
    pick_seconds: int = 60
    picks_per_team: int = 2
    status: Status = "scheduled"
    picks: tuple[Pick, ...] = ()
    deadline_ms: int | None = None
    remaining_ms: int | None = None
    timeouts: tuple[tuple[int, int], ...] = ()
    autodraft: frozenset[int] = frozenset()
    opens_at_ms: int | None = None
    locks_at_ms: int | None = None
    seq: int = 0
    quiet_hours: QuietHours | None = None
    """The league's quiet hours when the draft was created: the clock stands still then."""

    @property
    def n_teams(self) -> int:
        """Number of teams in the draft."""
        return len(self.order)

    @property
    def total_picks(self) -> int:
        """N = teams * picks_per_team."""
        return total_picks(self.n_teams, self.picks_per_team)

    @property
    def current_pick_no(self) -> int | None:
        """The next pick to make, or None once every pick is made."""
        n = len(self.picks) + 1
        return n if n <= self.total_picks else None

    @property
    def on_the_clock(self) -> int | None:
        """The team on the clock (live or paused draft with picks left), else None."""
        pick_no = self.current_pick_no
        if self.status not in ("live", "paused") or pick_no is None:
            return None
        return team_for_pick(self.order, pick_no, self.draft_type)

    @property
    def taken(self) -> frozenset[int]:
        """Drivers already drafted."""
        return frozenset(p.driver_id for p in self.picks)

    @property
    def available(self) -> tuple[int, ...]:
        """Pool drivers not yet drafted, ascending id."""
        taken = self.taken
        return tuple(sorted(d for d in self.pool if d not in taken))

    def timeouts_of(self, team_id: int) -> int:
        """Consecutive timeouts of ``team_id``."""
        return dict(self.timeouts).get(team_id, 0)

    def picks_of(self, team_id: int) -> tuple[Pick, ...]:
        """The picks made by ``team_id``, in pick order."""
        return tuple(p for p in self.picks if p.team_id == team_id)

    def is_locked(self, now_ms: int) -> bool:
        """True once ``locks_at`` has been reached."""
        return clock.is_locked(self.locks_at_ms, now_ms)

    def current(self, now_ms: int) -> dict[str, Any] | None:
        """The snapshot's ``current`` object, or None when nobody is on the clock."""
        team = self.on_the_clock
        pick_no = self.current_pick_no
        if team is None or pick_no is None:
            return None
        return {
            "pick_no": pick_no,
            "round": round_of(pick_no, self.n_teams),
            "team_id": team,
            "deadline": self.deadline_ms,
            "remaining_ms": clock.remaining_ms(self, now_ms),
            **self._quiet_fields(now_ms),
        }

    def _quiet_fields(self, now_ms: int) -> dict[str, Any]:
        """With quiet hours: ``quiet_now`` (the clock stands still now) and
        ``deadline_moved`` (quiet hours lie before the deadline, which moved past them)."""
        if self.quiet_hours is None:
            return {}
        moved = self.deadline_ms is not None and (
            self.deadline_ms - now_ms > running_ms(now_ms, self.deadline_ms, self.quiet_hours)
        )
        return {"quiet_now": is_quiet(now_ms, self.quiet_hours), "deadline_moved": moved}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; :func:`state_from_dict` reads it back."""
        return {
            "order": list(self.order),
            "pool": sorted(self.pool),
            "draft_type": self.draft_type,
            "pick_seconds": self.pick_seconds,
            "picks_per_team": self.picks_per_team,
            "status": self.status,
            "picks": [p.to_dict() for p in self.picks],
            "deadline_ms": self.deadline_ms,
            "remaining_ms": self.remaining_ms,
            "timeouts": [list(pair) for pair in self.timeouts],
            "autodraft": sorted(self.autodraft),
            "opens_at_ms": self.opens_at_ms,
            "locks_at_ms": self.locks_at_ms,
            "seq": self.seq,
            "quiet_hours": self.quiet_hours.to_dict() if self.quiet_hours else None,
        }


class Transition(NamedTuple):
    """What a transition returns: the new state, its events (seq contiguous from the old
    state's seq) and notices for the service. Unpack ``state, events, notices = ...``."""

    state: DraftState
    events: tuple[Event, ...]
    notices: tuple[Notice, ...] = ()


def state_from_dict(data: dict[str, Any]) -> DraftState:
    """Rebuild a :class:`DraftState` from :meth:`DraftState.to_dict` output."""
    return DraftState(
        order=tuple(data["order"]),
        pool=frozenset(data["pool"]),
        draft_type=data["draft_type"],
        pick_seconds=data["pick_seconds"],
        picks_per_team=data["picks_per_team"],
        status=data["status"],
        picks=tuple(Pick(**p) for p in data["picks"]),
        deadline_ms=data["deadline_ms"],
        remaining_ms=data["remaining_ms"],
        timeouts=tuple((int(t), int(n)) for t, n in data["timeouts"]),
        autodraft=frozenset(data["autodraft"]),
        opens_at_ms=data["opens_at_ms"],
        locks_at_ms=data["locks_at_ms"],
        seq=data["seq"],
        quiet_hours=parse_quiet_hours(data.get("quiet_hours")),
    )


def new_draft(
    *,
    order: Sequence[int],
    pool: Iterable[int],
    draft_type: str = "snake",
    pick_seconds: int = 60,
    picks_per_team: int = 2,
    opens_at_ms: int | None = None,
    locks_at_ms: int | None = None,
    autodraft: Iterable[int] = (),
    quiet_hours: QuietHours | None = None,
) -> DraftState:
    """A validated ``scheduled`` draft (seq 0, no picks). Raises :class:`ValidationFailed`."""
    order_t = tuple(order)
    pool_l = list(pool)
    if draft_type not in DRAFT_TYPES:
        raise ValidationFailed(f"Unknown draft_type {draft_type!r}.")
    if not PICK_SECONDS_MIN <= pick_seconds <= PICK_SECONDS_MAX:
        raise ValidationFailed(f"pick_seconds must be {PICK_SECONDS_MIN}..{PICK_SECONDS_MAX}.")
    if not PICKS_PER_TEAM_MIN <= picks_per_team <= PICKS_PER_TEAM_MAX:
        raise ValidationFailed(
            f"picks_per_team must be {PICKS_PER_TEAM_MIN}..{PICKS_PER_TEAM_MAX}."
        )
    if not order_t or len(set(order_t)) != len(order_t):
        raise ValidationFailed("The draft order needs at least one team, each once.")
    if len(set(pool_l)) != len(pool_l):
        raise ValidationFailed("A driver appears twice in the pool.")
    if len(pool_l) < len(order_t) * picks_per_team:
        raise ValidationFailed("The driver pool is smaller than teams * picks_per_team.")
    if opens_at_ms is not None and locks_at_ms is not None and opens_at_ms >= locks_at_ms:
        raise ValidationFailed("opens_at must be before locks_at.")
    auto = frozenset(autodraft)
    if not auto <= set(order_t):
        raise ValidationFailed("autodraft names a team that is not in the draft.")
    return DraftState(
        order=order_t,
        pool=frozenset(pool_l),
        draft_type=draft_type,
        pick_seconds=pick_seconds,
        picks_per_team=picks_per_team,
        opens_at_ms=opens_at_ms,
        locks_at_ms=locks_at_ms,
        autodraft=auto,
        quiet_hours=quiet_hours,
    )
