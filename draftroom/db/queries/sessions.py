"""Queries of the durable session tables (:mod:`draftroom.db.tables.sessions`).

Every read ignores rows past ``expires_at``; :func:`purge_expired` deletes them. Times in
and out are seconds or microseconds since the epoch, as the token code counts them.
"""

from __future__ import annotations

from dataclasses import dataclass

from draftroom.db.engine import pool

# --- access-token revocations -------------------------------------------------------------


async def revoke_token(jti: str, ttl_ms: int) -> None:
    """Revoke one access token for ``ttl_ms`` (a later expiry wins)."""
    await pool().execute(
        "INSERT INTO revoked_token (jti, expires_at)"
        " VALUES ($1, now() + $2 * interval '1 millisecond')"
        " ON CONFLICT (jti) DO UPDATE SET expires_at = GREATEST("
        "   revoked_token.expires_at, EXCLUDED.expires_at)",
        jti,
        ttl_ms,
    )


async def revoke_user(user_id: int, before_us: int, ttl_ms: int) -> None:
    """Revoke every token of ``user_id`` issued up to ``before_us`` (the later moment wins)."""
    await pool().execute(
        "INSERT INTO user_revocation (user_id, before_us, expires_at)"
        " VALUES ($1, $2, now() + $3 * interval '1 millisecond')"
        " ON CONFLICT (user_id) DO UPDATE SET"
        "   before_us = GREATEST(user_revocation.before_us, EXCLUDED.before_us),"
        "   expires_at = GREATEST(user_revocation.expires_at, EXCLUDED.expires_at)",
        user_id,
        before_us,
        ttl_ms,
    )


@dataclass(frozen=True)
class RevocationRow:
    """A live revocation: a ``jti`` or a ``user_id`` with ``before_us``; ``ttl_ms`` left."""

    jti: str | None
    user_id: int | None
    before_us: int
    ttl_ms: int


_TTL_MS = "GREATEST(1, (EXTRACT(EPOCH FROM expires_at - now()) * 1000)::bigint)"


async def live_revocations() -> list[RevocationRow]:
    """Every revocation that still matters."""
    async with pool().acquire() as conn:
        tokens = await conn.fetch(
            f"SELECT jti, {_TTL_MS} AS ttl_ms FROM revoked_token WHERE expires_at > now()"
        )
        users = await conn.fetch(
            f"SELECT user_id, before_us, {_TTL_MS} AS ttl_ms FROM user_revocation"
            " WHERE expires_at > now()"
        )
    return [RevocationRow(r["jti"], None, 0, int(r["ttl_ms"])) for r in tokens] + [
        RevocationRow(None, int(r["user_id"]), int(r["before_us"]), int(r["ttl_ms"])) for r in users
    ]


async def revocation_marks(jti: str, user_id: int) -> tuple[bool, int | None]:
    """``(jti revoked, user's moment or None)`` for one token (one round trip)."""
    row = await pool().fetchrow(
        "SELECT EXISTS (SELECT 1 FROM revoked_token WHERE jti = $1 AND expires_at > now())"
        " AS jti_revoked,"
        " (SELECT before_us FROM user_revocation WHERE user_id = $2 AND expires_at > now())"
        " AS before_us",
        jti,
        user_id,
    )
    assert row is not None
    before = row["before_us"]
    return bool(row["jti_revoked"]), int(before) if before is not None else None


# --- refresh-token families ---------------------------------------------------------------


async def start_family(
    family: str, user_id: int, token_hash: str, last_jti: str, last_exp: int, ttl_s: int
) -> None:
    """A new family with its first (active) token."""
    async with pool().acquire() as conn, conn.transaction():
        await conn.execute(
            "INSERT INTO refresh_family (id, user_id, last_jti, last_exp, revoked, expires_at)"
            " VALUES ($1, $2, $3, $4, false, now() + $5 * interval '1 second')",
            family,
            user_id,
            last_jti,
            last_exp,
            ttl_s,
        )
        await conn.execute(
            "INSERT INTO refresh_token (token_hash, family, spent, expires_at)"
            " VALUES ($1, $2, false, now() + $3 * interval '1 second')",
            token_hash,
            family,
            ttl_s,
        )


async def family_owner(family: str) -> int | None:
    """The user of a live, unrevoked family, else None."""
    value = await pool().fetchval(
        "SELECT user_id FROM refresh_family WHERE id = $1 AND NOT revoked AND expires_at > now()",
        family,
    )
    return int(value) if value is not None else None


@dataclass(frozen=True)
class Rotation:
    """What rotating a token did: ``ok``, ``invalid``, ``revoked`` or ``reused`` (then the
    family's last access token, to revoke)."""

    outcome: str
    last_jti: str = ""
    last_exp: int = 0


async def rotate(
    family: str,
    user_id: int,
    presented_hash: str,
    new_hash: str,
    new_jti: str,
    new_exp: int,
    ttl_s: int,
) -> Rotation:
    """Spend the presented token and add the next one, under the family's row lock, so of
    two concurrent rotations exactly one wins; a spent token revokes the family."""
    async with pool().acquire() as conn, conn.transaction():
        fam = await conn.fetchrow(
            "SELECT user_id, last_jti, last_exp, revoked, expires_at > now() AS live"
            " FROM refresh_family WHERE id = $1 FOR UPDATE",
            family,
        )
        token = await conn.fetchrow(
            "SELECT spent FROM refresh_token"
            " WHERE token_hash = $1 AND family = $2 AND expires_at > now()",
            presented_hash,
            family,
        )
        if token is None or fam is None:
            return Rotation("invalid")
        if fam["revoked"] or not fam["live"]:
            return Rotation("revoked")
        if int(fam["user_id"]) != user_id:
            return Rotation("invalid")
        if token["spent"]:
            await conn.execute("UPDATE refresh_family SET revoked = true WHERE id = $1", family)
            return Rotation("reused", str(fam["last_jti"]), int(fam["last_exp"]))
        await conn.execute(
            "UPDATE refresh_token SET spent = true WHERE token_hash = $1", presented_hash
        )
        await conn.execute(
            "INSERT INTO refresh_token (token_hash, family, spent, expires_at)"
            " VALUES ($1, $2, false, now() + $3 * interval '1 second')",
            new_hash,
            family,
            ttl_s,
        )
        await conn.execute(
            "UPDATE refresh_family SET last_jti = $2, last_exp = $3,"
            " expires_at = now() + $4 * interval '1 second' WHERE id = $1",
            family,
            new_jti,
            new_exp,
            ttl_s,
        )
    return Rotation("ok")


async def revoke_families(user_id: int, family: str | None = None) -> list[tuple[str, int]]:
    """Revoke one family of ``user_id`` (or all of them); the ``(last_jti, last_exp)`` of
    each family revoked now."""
    rows = await pool().fetch(
        "UPDATE refresh_family SET revoked = true"
        " WHERE user_id = $1 AND ($2::varchar IS NULL OR id = $2) AND NOT revoked"
        " AND expires_at > now() RETURNING last_jti, last_exp",
        user_id,
        family,
    )
    return [(str(r["last_jti"]), int(r["last_exp"])) for r in rows]


# --- lockouts -----------------------------------------------------------------------------


async def lock(key: str, seconds: int) -> None:
    """Lock ``key`` for ``seconds`` from now."""
    await pool().execute(
        "INSERT INTO login_lock (key, expires_at) VALUES ($1, now() + $2 * interval '1 second')"
        " ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at",
        key,
        seconds,
    )


async def locked_for(key: str) -> int:
    """Seconds until ``key`` is unlocked (0 when it is not locked)."""
    value = await pool().fetchval(
        "SELECT CEIL(EXTRACT(EPOCH FROM expires_at - now()))::int FROM login_lock"
        " WHERE key = $1 AND expires_at > now()",
        key,
    )
    return max(0, int(value)) if value is not None else 0


async def unlock(key: str) -> None:
    """Lift the lock of ``key`` (its owner reset the password)."""
    await pool().execute("DELETE FROM login_lock WHERE key = $1", key)


# --- upkeep -------------------------------------------------------------------------------


async def purge_expired() -> int:
    """Delete every row past its expiry; how many went."""
    total = 0
    async with pool().acquire() as conn:
        for table in ("revoked_token", "user_revocation", "refresh_token", "login_lock"):
            status = await conn.execute(f"DELETE FROM {table} WHERE expires_at <= now()")
            total += int(status.split()[-1])
        status = await conn.execute(
            "DELETE FROM refresh_family f WHERE expires_at <= now()"
            " AND NOT EXISTS (SELECT 1 FROM refresh_token t WHERE t.family = f.id)"
        )
        total += int(status.split()[-1])
    return total


_PRUNE_SPENT = """
WITH gone AS (
    DELETE FROM refresh_token t WHERE t.spent AND NOT EXISTS (
        SELECT 1 FROM refresh_family f WHERE f.id = t.family AND NOT f.revoked
          AND f.expires_at > now()
    ) RETURNING 1
) SELECT count(*) FROM gone
"""


async def prune_spent_tokens() -> int:
    """Delete spent refresh tokens whose family is revoked, expired or gone; how many."""
    return int(await pool().fetchval(_PRUNE_SPENT))
