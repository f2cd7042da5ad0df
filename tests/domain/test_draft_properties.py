"""Property test: any sequence of legal commands keeps the draft's invariants.

A hypothesis state machine drives one draft through picks (owner and commissioner),
illegal pick attempts, undos, pauses/resumes, timeouts, autodraft toggles, lock and cancel,
running ``advance`` after every command as the draft runner does, and checks after each
step: no driver twice, pick numbers 1..k, every pick by the team the order names, seq
contiguous, never more than teams * picks_per_team picks, complete means every pick made,
the event log replays to the same picks and the state survives a dict round trip.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from draftroom.domain.draft import (
    DraftState,
    Event,
    Transition,
    advance,
    cancel,
    force_pick,
    make_pick,
    new_draft,
    pause,
    resume,
    set_autodraft,
    start,
    state_from_dict,
    undo,
)
from draftroom.domain.order import round_of, team_for_pick
from draftroom.errors import DraftroomError

T0 = 1_700_000_000_000


class DraftMachine(RuleBasedStateMachine):
    """One draft, commands applied at a monotonic ``now``."""

    state: DraftState
    now: int
    log: list[Event]
    queues: dict[int, list[int]]
    ranking: list[int]

    @initialize(
        n_teams=st.integers(1, 6),
        ppt=st.integers(1, 4),
        draft_type=st.sampled_from(["snake", "linear", "auto"]),
        pick_seconds=st.integers(5, 600),
        spare=st.integers(0, 4),
        opens_in=st.none() | st.integers(0, 100_000),
        data=st.data(),
    )
    def setup(
        self,
        n_teams: int,
        ppt: int,
        draft_type: str,
        pick_seconds: int,
        spare: int,
        opens_in: int | None,
        data: st.DataObject,
    ) -> None:
        teams = list(range(1, n_teams + 1))
        pool = list(range(100, 100 + n_teams * ppt + spare))
        self.now = T0
        self.log = []
        self.queues = {t: data.draw(st.lists(st.sampled_from(pool), max_size=4)) for t in teams}
        self.ranking = data.draw(st.permutations(pool))[: len(pool) // 2]
        self.state = new_draft(
            order=data.draw(st.permutations(teams)),
            pool=pool,
            draft_type=draft_type,
            pick_seconds=pick_seconds,
            picks_per_team=ppt,
            opens_at_ms=None if opens_in is None else T0 + opens_in,
            locks_at_ms=T0 + 10_000_000,
        )

    # --- helpers ---------------------------------------------------------------------------

    def apply(self, t: Transition) -> None:
        """Take a transition, then let the runner do whatever is due, as the service would."""
        self.take(t)
        self.take(advance(self.state, now_ms=self.now, queues=self.queues, ranking=self.ranking))

    def take(self, t: Transition) -> None:
        assert [e.seq for e in t.events] == list(range(self.state.seq + 1, t.state.seq + 1))
        self.log.extend(t.events)
        self.state = t.state

    def live(self) -> bool:
        return self.state.status == "live" and not self.state.is_locked(self.now)

    def running(self) -> bool:
        return self.state.status in ("live", "paused") and not self.state.is_locked(self.now)

    # --- rules -------------------------------------------------------------------------------

    @rule(ms=st.integers(0, 700_000))
    def tick(self, ms: int) -> None:
        self.now += ms
        self.take(advance(self.state, now_ms=self.now, queues=self.queues, ranking=self.ranking))

    @precondition(
        lambda self: self.state.status == "scheduled" and not self.state.is_locked(self.now)
    )
    @rule()
    def commissioner_starts(self) -> None:
        self.apply(start(self.state, now_ms=self.now))

    @precondition(lambda self: self.live())
    @rule(data=st.data(), by_commissioner=st.booleans())
    def pick(self, data: st.DataObject, by_commissioner: bool) -> None:
        s = self.state
        driver = data.draw(st.sampled_from(s.available))
        pick_no, team = s.current_pick_no, s.on_the_clock
        assert pick_no is not None and team is not None
        if by_commissioner:
            t = force_pick(s, pick_no=pick_no, driver_id=driver, now_ms=self.now)
        else:
            t = make_pick(s, team_id=team, pick_no=pick_no, driver_id=driver, now_ms=self.now)
            assert t.state.timeouts_of(team) == 0
        self.apply(t)

    @rule(data=st.data())
    def any_pick_attempt(self, data: st.DataObject) -> None:
        s = self.state
        current = s.current_pick_no or len(s.picks) + 1
        team = data.draw(st.sampled_from((*s.order, 999)))
        pick_no = data.draw(st.sampled_from((current - 1, current, current + 1)))
        driver = data.draw(st.sampled_from((*sorted(s.pool), 999)))
        try:
            t = make_pick(s, team_id=team, pick_no=pick_no, driver_id=driver, now_ms=self.now)
        except DraftroomError:
            return
        # accepted: it must have been legal
        assert self.live() and pick_no == s.current_pick_no and team == s.on_the_clock
        assert driver in s.available
        self.apply(t)

    @precondition(lambda self: self.running() and bool(self.state.picks))
    @rule()
    def commissioner_undoes(self) -> None:
        self.apply(undo(self.state, now_ms=self.now))

    @precondition(lambda self: self.live())
    @rule()
    def commissioner_pauses(self) -> None:
        self.apply(pause(self.state, now_ms=self.now))

    @precondition(lambda self: self.state.status == "paused" and not self.state.is_locked(self.now))
    @rule()
    def commissioner_resumes(self) -> None:
        t = resume(self.state, now_ms=self.now)
        assert t.state.deadline_ms is not None and t.state.deadline_ms >= self.now + 10_000
        self.apply(t)

    @precondition(lambda self: self.live() and self.state.deadline_ms is not None)
    @rule()
    def clock_runs_out(self) -> None:
        assert self.state.deadline_ms is not None
        self.now = max(self.now, self.state.deadline_ms)
        self.take(advance(self.state, now_ms=self.now, queues=self.queues, ranking=self.ranking))

    @precondition(lambda self: self.state.status in ("scheduled", "live", "paused"))
    @rule(data=st.data(), enabled=st.booleans())
    def owner_sets_autodraft(self, data: st.DataObject, enabled: bool) -> None:
        if self.state.is_locked(self.now):
            return
        team = data.draw(st.sampled_from(self.state.order))
        self.apply(set_autodraft(self.state, team_id=team, enabled=enabled, now_ms=self.now))

    @precondition(lambda self: self.state.locks_at_ms is not None)
    @rule()
    def lock_time(self) -> None:
        assert self.state.locks_at_ms is not None
        was = self.state.status
        self.now = max(self.now, self.state.locks_at_ms)
        self.take(advance(self.state, now_ms=self.now, queues=self.queues, ranking=self.ranking))
        if was in ("live", "paused"):
            assert self.state.status == "complete"

    @precondition(lambda self: self.state.status not in ("complete", "cancelled"))
    @rule(really=st.integers(0, 9))
    def commissioner_cancels(self, really: int) -> None:
        if really == 0:  # rarely, so that most runs keep drafting
            self.apply(cancel(self.state, now_ms=self.now))

    # --- invariants ----------------------------------------------------------------------------

    @invariant()
    def picks_are_consistent(self) -> None:
        s = self.state
        drivers = [p.driver_id for p in s.picks]
        assert len(drivers) == len(set(drivers)), "a driver was drafted twice"
        assert set(drivers) <= s.pool
        assert [p.pick_no for p in s.picks] == list(range(1, len(s.picks) + 1))
        for p in s.picks:
            assert p.team_id == team_for_pick(s.order, p.pick_no, s.draft_type)
            assert p.round == round_of(p.pick_no, s.n_teams)
        assert len(s.picks) <= s.n_teams * s.picks_per_team
        if s.status == "complete":
            assert len(s.picks) == s.n_teams * s.picks_per_team

    @invariant()
    def seq_is_contiguous(self) -> None:
        assert [e.seq for e in self.log] == list(range(1, self.state.seq + 1))

    @invariant()
    def clock_matches_status(self) -> None:
        s = self.state
        if s.status == "live":
            assert s.deadline_ms is not None and s.remaining_ms is None
        elif s.status == "paused":
            assert s.deadline_ms is None and s.remaining_ms is not None
        else:
            assert s.deadline_ms is None
        assert s.autodraft <= set(s.order)

    @invariant()
    def log_replays_to_the_picks(self) -> None:
        replayed: list[tuple[int, int, int, str]] = []
        for e in self.log:
            if e.type == "draft:pick":
                replayed.append(
                    (e.data["pick_no"], e.data["team_id"], e.data["driver_id"], e.data["by"])
                )
            elif e.type == "draft:undo":
                assert replayed and replayed[-1][0] == e.data["pick_no"]
                replayed.pop()
        assert replayed == [(p.pick_no, p.team_id, p.driver_id, p.by) for p in self.state.picks]

    @invariant()
    def state_round_trips(self) -> None:
        assert state_from_dict(self.state.to_dict()) == self.state


DraftMachine.TestCase.settings = settings(
    max_examples=200,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestDraftProperties = DraftMachine.TestCase
