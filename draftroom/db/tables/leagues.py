"""Leagues and their fantasy teams."""

from piccolo.columns import JSONB, Boolean, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.column_types import OnDelete
from piccolo.constraints import Unique
from piccolo.table import Table

from draftroom.db.engine import DB
from draftroom.db.tables.accounts import Account


class League(Table, tablename="league", db=DB):
    """A league of friends for one season; ``settings`` holds the validated SPEC settings."""

    id = Serial(primary_key=True)

    name = Varchar(length=64)
    season = Integer(index=True)
    commissioner = ForeignKey(Account, on_delete=OnDelete.restrict)
    is_private = Boolean(default=True)
    code = Varchar(length=8, unique=True)
    max_teams = Integer(default=8)
    settings = JSONB(default={})
    base_order = JSONB(null=True, default=None)  # rotate policy: the first draft's drawn order
    is_demo = Boolean(default=False)
    is_mock = Boolean(default=False)  # a hidden practice league: one mock draft against bots
    created_at = Timestamptz()


class Team(Table, tablename="team", db=DB):
    """A member's fantasy team in a league."""

    id = Serial(primary_key=True)

    league = ForeignKey(League, on_delete=OnDelete.cascade)
    user = ForeignKey(Account, on_delete=OnDelete.cascade)
    name = Varchar(length=40)
    name_key = Varchar(length=40)
    is_bot = Boolean(default=False)
    joined_at = Timestamptz()
    email_draft_opens = Boolean(default=False)  # the owner's opt-in: mail when a draft opens
    unique_league_user = Unique(["league", "user"])
    unique_league_name = Unique(["league", "name_key"])
