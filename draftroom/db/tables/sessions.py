"""Sessions kept durably (PostgreSQL is their source of truth; Redis only announces):
revoked access tokens, per-user revocation moments, refresh-token families and their
tokens, and account lockouts. Rows past ``expires_at`` mean nothing and are purged."""

from piccolo.columns import BigInt, Boolean, Integer, Timestamptz, Varchar
from piccolo.table import Table

from draftroom.db.engine import DB


class RevokedToken(Table, tablename="revoked_token", db=DB):
    """One access token (``jti``) revoked until it would have expired."""

    jti = Varchar(length=64, primary_key=True)
    expires_at = Timestamptz(index=True)


class UserRevocation(Table, tablename="user_revocation", db=DB):
    """Every access token of ``user_id`` issued at or before ``before_us`` is revoked."""

    user_id = Integer(primary_key=True)
    before_us = BigInt()
    expires_at = Timestamptz(index=True)


class RefreshFamily(Table, tablename="refresh_family", db=DB):
    """A login's chain of refresh tokens; ``last_jti``/``last_exp``: its last access token."""

    id = Varchar(length=16, primary_key=True)
    user_id = Integer(index=True)
    last_jti = Varchar(length=64)
    last_exp = BigInt()
    revoked = Boolean(default=False)
    expires_at = Timestamptz(index=True)


class RefreshToken(Table, tablename="refresh_token", db=DB):
    """One refresh token of a family, by the SHA-256 of its secret; spent once used."""

    token_hash = Varchar(length=64, primary_key=True)
    family = Varchar(length=16, index=True)
    spent = Boolean(default=False)
    expires_at = Timestamptz(index=True)


class LoginLock(Table, tablename="login_lock", db=DB):
    """An account (or unknown login name) locked after repeated failed logins."""

    key = Varchar(length=64, primary_key=True)
    expires_at = Timestamptz(index=True)
