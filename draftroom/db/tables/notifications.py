"""Stored user notifications."""

from piccolo.columns import JSONB, ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.column_types import OnDelete
from piccolo.table import Table

from draftroom.db.engine import DB
from draftroom.db.tables.accounts import Account


class Notification(Table, tablename="notification", db=DB):
    """A notification for a user; ``dedupe_key`` makes a repeated job notify once."""

    id = Serial(primary_key=True)

    user = ForeignKey(Account, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=32)
    title = Varchar(length=200)
    body = Text(default="")
    data = JSONB(default={})
    dedupe_key = Varchar(length=200, null=True, default=None, unique=True)
    read_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(index=True)
