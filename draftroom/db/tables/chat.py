"""Draft room chat messages (not draft events: no seq, not in the event log)."""

from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz
from piccolo.columns.column_types import OnDelete
from piccolo.table import Table

from draftroom.db.engine import DB
from draftroom.db.tables.accounts import Account
from draftroom.db.tables.drafts import Draft


class ChatMessage(Table, tablename="chat_message", db=DB):
    """One message of a draft's room; a deleted one keeps its row with ``deleted_at``."""

    id = Serial(primary_key=True)

    draft = ForeignKey(Draft, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(Account, on_delete=OnDelete.cascade)
    team_id = Integer(null=True, default=None)
    text = Text()
    created_at = Timestamptz()
    deleted_at = Timestamptz(null=True, default=None)
