"""Per-race drafts: the draft row (its stored deadline is the clock), picks, event log."""

from piccolo.columns import (
    JSONB,
    BigInt,
    Boolean,
    ForeignKey,
    Integer,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.columns.column_types import OnDelete
from piccolo.constraints import Unique
from piccolo.table import Table

from draftroom.db.engine import DB
from draftroom.db.tables.leagues import League, Team
from draftroom.db.tables.reference import Driver, Race


class Draft(Table, tablename="draft", db=DB):
    """One draft per league per race; ``seq`` is the last event's sequence number."""

    id = Serial(primary_key=True)

    league = ForeignKey(League, on_delete=OnDelete.cascade)
    race = ForeignKey(Race, on_delete=OnDelete.cascade)
    status = Varchar(length=16, default="scheduled", index=True)
    draft_type = Varchar(length=8, default="snake")
    pick_seconds = Integer(default=60)
    picks_per_team = Integer(default=2)
    order_policy = Varchar(length=24, default="rotate")
    order_seed = BigInt(null=True, default=None)
    order = JSONB(default=[])
    opens_at = Timestamptz(null=True, default=None)
    locks_at = Timestamptz()
    deadline_ms = BigInt(null=True, default=None)
    paused_remaining_ms = BigInt(null=True, default=None)
    seq = Integer(default=0)
    started_at = Timestamptz(null=True, default=None)
    completed_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
    unique_league_race = Unique(["league", "race"])


class DraftTeam(Table, tablename="draft_team", db=DB):
    """Per-draft team state: queue, autodraft, consecutive timeouts."""

    id = Serial(primary_key=True)

    draft = ForeignKey(Draft, on_delete=OnDelete.cascade)
    team = ForeignKey(Team, on_delete=OnDelete.cascade)
    queue = JSONB(default=[])
    autodraft = Boolean(default=False)
    consecutive_timeouts = Integer(default=0)
    unique_draft_team = Unique(["draft", "team"])


class Pick(Table, tablename="pick", db=DB):
    """A committed pick; the unique constraints make a double pick impossible."""

    id = Serial(primary_key=True)

    draft = ForeignKey(Draft, on_delete=OnDelete.cascade)
    pick_no = Integer()
    round = Integer()
    team = ForeignKey(Team, on_delete=OnDelete.cascade)
    driver = ForeignKey(Driver, on_delete=OnDelete.restrict)
    by = Varchar(length=16)
    made_at = Timestamptz()
    unique_draft_pick = Unique(["draft", "pick_no"])
    unique_draft_driver = Unique(["draft", "driver"])


class DraftEvent(Table, tablename="draft_event", db=DB):
    """The per-draft event log; ``seq`` is contiguous from 1."""

    id = Serial(primary_key=True)

    draft = ForeignKey(Draft, on_delete=OnDelete.cascade)
    seq = Integer()
    type = Varchar(length=32)
    payload = JSONB()
    at = Timestamptz()
    unique_draft_seq = Unique(["draft", "seq"])


class Captain(Table, tablename="captain", db=DB):
    """A team's captain for a race."""

    id = Serial(primary_key=True)

    team = ForeignKey(Team, on_delete=OnDelete.cascade)
    race = ForeignKey(Race, on_delete=OnDelete.cascade)
    driver = ForeignKey(Driver, on_delete=OnDelete.restrict)
    set_at = Timestamptz()
    unique_team_race = Unique(["team", "race"])
