"""Results revisions, driver and team scores, and the persistent verification checks."""

from piccolo.columns import JSONB, ForeignKey, Integer, Numeric, Serial, Text, Timestamptz, Varchar
from piccolo.columns.column_types import OnDelete
from piccolo.constraints import Unique
from piccolo.table import Table

from draftroom.db.engine import DB
from draftroom.db.tables.leagues import League, Team
from draftroom.db.tables.reference import Driver, Race


class ResultRevision(Table, tablename="result_revision", db=DB):
    """A numbered revision of a race's full classification as fetched."""

    id = Serial(primary_key=True)

    race = ForeignKey(Race, on_delete=OnDelete.cascade)
    revision = Integer()
    content_hash = Varchar(length=64)
    classification = JSONB()
    diff = JSONB(null=True, default=None)
    reason = Text(default="")
    source = Varchar(length=32, default="")  # "poll", "check 1..3", "admin"
    fetched_at = Timestamptz()
    unique_race_revision = Unique(["race", "revision"])


class DriverScore(Table, tablename="driver_score", db=DB):
    """A driver's weekend fantasy points (default scoring) in one revision."""

    id = Serial(primary_key=True)

    revision = ForeignKey(ResultRevision, on_delete=OnDelete.cascade)
    driver = ForeignKey(Driver, on_delete=OnDelete.restrict)
    points = Numeric(digits=(8, 1))
    breakdown = JSONB(default={})
    unique_revision_driver = Unique(["revision", "driver"])


class TeamRaceScore(Table, tablename="team_race_score", db=DB):
    """A team's race score under its league's scoring, per revision."""

    id = Serial(primary_key=True)

    league = ForeignKey(League, on_delete=OnDelete.cascade)
    team = ForeignKey(Team, on_delete=OnDelete.cascade)
    race = ForeignKey(Race, on_delete=OnDelete.cascade)
    revision = Integer()
    points = Numeric(digits=(8, 1))
    captain_driver = ForeignKey(Driver, null=True, on_delete=OnDelete.set_null)
    drivers = JSONB(default=[])
    computed_at = Timestamptz()
    unique_team_race_revision = Unique(["team", "race", "revision"])


class RaceCheck(Table, tablename="race_check", db=DB):
    """A scheduled verification check of a race (1..3 at +24/+48/+72 h), kept in PostgreSQL
    so it survives worker and scheduler restarts; an overdue one runs at the next tick."""

    id = Serial(primary_key=True)

    race = ForeignKey(Race, on_delete=OnDelete.cascade)
    check_no = Integer()
    due_at = Timestamptz(index=True)
    done_at = Timestamptz(null=True, default=None)
    attempts = Integer(default=0)
    outcome = Varchar(length=32, default="")
    last_error = Text(default="")
    claimed_until = Timestamptz(null=True, default=None)  # a running check's lease
    unique_race_check = Unique(["race", "check_no"])
