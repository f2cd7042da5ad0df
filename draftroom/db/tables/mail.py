"""Password reset tokens and the e-mail outbox."""

from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.column_types import OnDelete
from piccolo.table import Table

from draftroom.db.engine import DB
from draftroom.db.tables.accounts import Account


class PasswordReset(Table, tablename="password_reset", db=DB):
    """A single-use password reset token; only its SHA-256 is stored."""

    id = Serial(primary_key=True)

    user = ForeignKey(Account, on_delete=OnDelete.cascade, index=True)
    token_hash = Varchar(length=64, unique=True)
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class OutboxMail(Table, tablename="outbox_mail", db=DB):
    """An e-mail waiting to be sent (``sent_at`` null) or sent; the worker delivers them."""

    id = Serial(primary_key=True)

    to_address = Varchar(length=254)
    subject = Varchar(length=200)
    body = Text()
    kind = Varchar(length=32)
    created_at = Timestamptz(index=True)
    next_attempt_at = Timestamptz(index=True)
    attempts = Integer(default=0)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Text(null=True, default=None)
