"""Mock drafts: a user's practice draft against bots, in a hidden league of its own."""

from piccolo.columns import BigInt, ForeignKey, Serial, Timestamptz
from piccolo.columns.column_types import OnDelete
from piccolo.table import Table

from draftroom.db.engine import DB
from draftroom.db.tables.accounts import Account
from draftroom.db.tables.leagues import League


class MockDraft(Table, tablename="mock_draft", db=DB):
    """The practice league (``League.is_mock``) of one mock draft, its owner and the seed
    its bots pick with; deleting the league deletes everything of the mock."""

    id = Serial(primary_key=True)

    league = ForeignKey(League, on_delete=OnDelete.cascade, unique=True)
    user = ForeignKey(Account, on_delete=OnDelete.cascade, index=True)
    seed = BigInt()
    created_at = Timestamptz()
