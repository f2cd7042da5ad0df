"""User accounts."""

from piccolo.columns import Boolean, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from draftroom.db.engine import DB


class Account(Table, tablename="account", db=DB):
    """A user. ``username_key``/``email_key`` are lower-cased for case-insensitive uniqueness."""

    id = Serial(primary_key=True)

    username = Varchar(length=32)
    username_key = Varchar(length=32, unique=True)
    email = Varchar(length=254)
    email_key = Varchar(length=254, unique=True)
    display_name = Varchar(length=64, default="")
    password_hash = Text()
    is_admin = Boolean(default=False)
    created_at = Timestamptz()
    password_changed_at = Timestamptz()
