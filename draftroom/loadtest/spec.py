"""What the load generator knows about the deployment it drives (plain, picklable data)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TeamSpec:
    """A bot-owned team: its owner's token; ``idle`` bots never pick (their clock runs out)."""

    team_id: int
    user_id: int
    token: str
    idle: bool = False


@dataclass(frozen=True)
class DraftSpec:
    """A prepared (scheduled) snake draft of a league."""

    draft_id: int
    order: tuple[int, ...]
    picks_per_team: int

    @property
    def total(self) -> int:
        """Picks in the draft."""
        return len(self.order) * self.picks_per_team

    def team_at(self, pick_no: int) -> int | None:
        """The team of ``pick_no`` (snake), None past the last pick."""
        n = len(self.order)
        if pick_no < 1 or pick_no > self.total:
            return None
        rnd, i = divmod(pick_no - 1, n)
        return self.order[i] if rnd % 2 == 0 else self.order[n - 1 - i]

    def round_of(self, pick_no: int) -> int:
        """The round of ``pick_no``."""
        return (pick_no - 1) // len(self.order) + 1


@dataclass(frozen=True)
class LeagueSpec:
    """A league of bots: teams (the commissioner's first), drafts in order, the pool."""

    league_id: int
    teams: tuple[TeamSpec, ...]
    drafts: tuple[DraftSpec, ...]
    pool: tuple[int, ...]
    """Driver ids in the order bots prefer them (autopick takes from the other end)."""
    spectator_tokens: tuple[str, ...]
    autopick: bool = False
    """An autopick league: short pick clock, some teams never pick."""

    @property
    def namespace(self) -> str:
        """The league's Socket.IO namespace."""
        return f"/league/{self.league_id}"

    @property
    def commissioner(self) -> TeamSpec:
        """The commissioner's team (it starts and pauses drafts)."""
        return self.teams[0]


@dataclass(frozen=True)
class Target:
    """A deployment to drive: host, the ports of its processes, and whether it is the bare
    baseline (no event log: gaps are not synced, nothing is checked against a database)."""

    name: str
    host: str
    ports: tuple[int, ...]
    bare: bool = False
    pids: tuple[int, ...] = field(default=())
    metrics_token: str | None = field(default=None, repr=False)
    """Sent as a bearer token when scraping ``/metrics`` (DRAFTROOM_METRICS_TOKEN)."""
