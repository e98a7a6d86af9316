"""API users, hashed tokens and idempotency keys, in the SQL store."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import msgspec
from sqlalchemy import Connection, Engine, Insert, Table, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from reintegrate.access import Role
from reintegrate.idempotency import KEEP_FOR, Answer, Stored, expired
from reintegrate.store import tables as t
from reintegrate.store.fast_sql import FastStatements, HeldReader, read_once

USERS: Table = t.UserRow.__table__  # type: ignore[attr-defined]
TOKENS: Table = t.TokenRow.__table__  # type: ignore[attr-defined]
KEYS: Table = t.IdempotencyRow.__table__  # type: ignore[attr-defined]

Statements = Connection | FastStatements
"""Where key statements run: a connection, or a unit of work's fast path on its own."""
PURGE_EVERY = 60.0
"""Seconds between two purges of expired keys by one process. The purge only keeps the
table small: a claim treats an expired key as new whether or not it was purged yet."""

# Statements run on every request, built once: building one costs more than running it.
_TOKEN_OWNER = (
    select(USERS, TOKENS.c.expires_at)
    .join(TOKENS, TOKENS.c.user_id == USERS.c.user_id)
    .where(TOKENS.c.token_hash == bindparam("token_hash"))
)
_THE_KEY = (KEYS.c.caller == bindparam("k_caller"), KEYS.c.key == bindparam("k_key"))
_KEY_ROW = select(KEYS).where(*_THE_KEY)
_PURGE = delete(KEYS).where(KEYS.c.created_at < bindparam("cutoff"))
_RECLAIM = (
    update(KEYS)
    .where(*_THE_KEY, KEYS.c.created_at < bindparam("k_cutoff"))
    .values(
        request_hash=bindparam("k_request_hash"),
        status=None,
        body=None,
        headers=None,
        created_at=bindparam("k_created_at"),
        claim_id=bindparam("k_claim_id"),
        owner=bindparam("k_owner"),
        committed_seq=None,
    )
)
_COMPLETE = (
    update(KEYS)
    .where(*_THE_KEY, KEYS.c.claim_id.is_not_distinct_from(bindparam("k_claim_id")))
    .values(status=bindparam("k_status"), body=bindparam("k_body"), headers=bindparam("k_headers"))
)
_RELEASE = delete(KEYS).where(
    *_THE_KEY,
    KEYS.c.status.is_(None),
    KEYS.c.committed_seq.is_(None),
    KEYS.c.claim_id.is_not_distinct_from(bindparam("k_claim_id")),
)
_TAKE_OVER = (
    update(KEYS)
    .where(*_THE_KEY, KEYS.c.status.is_(None), KEYS.c.committed_seq.is_(None))
    .where(KEYS.c.claim_id.is_not_distinct_from(bindparam("k_old_claim")))
    .values(
        claim_id=bindparam("k_claim_id"),
        owner=bindparam("k_owner"),
        created_at=bindparam("k_created_at"),
    )
)
_FENCE = (
    update(KEYS)
    .where(*_THE_KEY, KEYS.c.claim_id == bindparam("k_claim_id"))
    .values(committed_seq=bindparam("k_seq"))
)
_HEADERS = msgspec.json.Decoder(tuple[tuple[str, str], ...])


def _claim_statement(engine: Engine) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING in the engine's dialect; values come with each call.
    Its row count (1: claimed, 0: the key was there) is kept, which SQLAlchemy does not do for
    an INSERT unless asked (psycopg's would read -1)."""
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    return insert(KEYS).on_conflict_do_nothing().execution_options(preserve_rowcount=True)


class UserRecord:
    """A user as stored: id, role, offices, and when it was revoked (if it was)."""

    def __init__(
        self, user_id: str, role: Role, offices: frozenset[str], revoked_at: dt.datetime | None
    ) -> None:
        self.user_id, self.role, self.offices, self.revoked_at = user_id, role, offices, revoked_at


def _time(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def _stored(row: Any) -> Stored:
    return Stored(
        request_hash=row.request_hash,
        status=row.status,
        body=row.body,
        headers=_HEADERS.decode(row.headers or b"[]"),
        created_at=dt.datetime.fromisoformat(row.created_at),
        claim_id=row.claim_id,
        owner=row.owner,
        committed_seq=row.committed_seq,
    )


def _reclaim(
    conn: Statements,
    the_key: dict[str, str],
    request_hash: str,
    now: dt.datetime,
    holder: Holder | None,
) -> bool:
    """Claim an expired key anew, unless another request did since it was read."""
    fresh = {
        "k_request_hash": request_hash,
        "k_created_at": now.isoformat(),
        "k_claim_id": holder.claim_id if holder else None,
        "k_owner": holder.owner if holder else None,
    }
    cutoff = (now - KEEP_FOR).isoformat()
    return bool(conn.execute(_RECLAIM, {**the_key, **fresh, "k_cutoff": cutoff}).rowcount)


def _just_taken(request_hash: str, now: dt.datetime) -> Stored:
    """A claim's answer when the key changed hands between its statements (only PostgreSQL
    runs two claims at once): released, or claimed anew by another request. A request with
    the key is or was just running, so this one is answered as if it were in flight."""
    return Stored(request_hash=request_hash, status=None, body=None, headers=(), created_at=now)


def _encoded(answer: Answer) -> bytes:
    return msgspec.json.encode(answer.headers)


class Holder(msgspec.Struct, frozen=True, kw_only=True):
    """The request that holds a key, and its process."""

    claim_id: str
    owner: str


def fence_on(conn: Statements, caller: str, key: str, claim_id: str, seq: int) -> bool:
    """Mark, in the command's own transaction, that the request holding `key` committed its
    command (at journal seq `seq`); False if another request took the key over meanwhile,
    and the command must then not commit."""
    values = {"k_caller": caller, "k_key": key, "k_claim_id": claim_id, "k_seq": seq}
    return bool(conn.execute(_FENCE, values).rowcount)


def answer_on(
    conn: Statements, caller: str, key: str, answer: Answer, claim_id: str | None = None
) -> None:
    """Store the answer of the request that claimed `key` (as `claim_id`), in `conn`'s
    transaction; nothing if another request holds the key now."""
    stored = {"k_status": answer.status, "k_body": answer.body, "k_headers": _encoded(answer)}
    conn.execute(_COMPLETE, {"k_caller": caller, "k_key": key, "k_claim_id": claim_id, **stored})


def _user(row: Any) -> UserRecord:
    offices = frozenset(filter(None, row.offices.split(",")))
    return UserRecord(
        row.user_id,
        Role(row.role),
        offices,
        _time(row.revoked_at),
    )


class ApiRecords:
    def __init__(
        self, engine: Engine, reader: Engine | None = None, *, held: HeldReader | None = None
    ) -> None:
        """`held`: the connection token look-ups use, for records read by one thread only
        (see `HeldReader`); without it each look-up takes a connection from `reader`."""
        self.engine = engine
        self.reader = reader or engine
        self._held = held
        self._claim = _claim_statement(engine)
        self._purged_at: float | None = None
        """`time.monotonic()` of this process's last purge of expired keys."""

    def add_user(self, user_id: str, role: Role, offices: frozenset[str], now: dt.datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                USERS.insert().values(
                    user_id=user_id,
                    role=role.value,
                    offices=",".join(sorted(offices)),
                    created_at=now.isoformat(),
                )
            )

    def user(self, user_id: str) -> UserRecord | None:
        with self.reader.connect() as conn:
            row = conn.execute(select(USERS).where(USERS.c.user_id == user_id)).first()
        return None if row is None else _user(row)

    def users(self) -> list[UserRecord]:
        with self.reader.connect() as conn:
            return [_user(row) for row in conn.execute(select(USERS).order_by(USERS.c.user_id))]

    def revoke_user(self, user_id: str, now: dt.datetime) -> bool:
        with self.engine.begin() as conn:
            done = conn.execute(
                update(USERS)
                .where(USERS.c.user_id == user_id, USERS.c.revoked_at.is_(None))
                .values(revoked_at=now.isoformat())
            )
            conn.execute(delete(TOKENS).where(TOKENS.c.user_id == user_id))
        return bool(done.rowcount)

    def add_token(self, token_hash: str, user_id: str, expires_at: dt.datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                TOKENS.insert().values(
                    token_hash=token_hash, user_id=user_id, expires_at=expires_at.isoformat()
                )
            )

    def token_owner(self, token_hash: str) -> tuple[UserRecord, dt.datetime] | None:
        params = {"token_hash": token_hash}
        if self._held is not None:
            row = self._held.read(_TOKEN_OWNER, params).first()
        else:
            row = read_once(self.reader, _TOKEN_OWNER, params).first()
        if row is None:
            return None
        return _user(row), dt.datetime.fromisoformat(row.expires_at)

    def claim_key(
        self,
        caller: str,
        key: str,
        request_hash: str,
        now: dt.datetime,
        *,
        holder: Holder | None = None,
    ) -> Stored | None:
        """Mark `key` in flight unless known and not expired; returns what was known.

        A new key costs one INSERT; only a key already there is read. An expired one is
        claimed anew (its old answer is never replayed), whether or not it was purged yet."""
        with self.engine.begin() as conn:
            return self.claim_on(conn, caller, key, request_hash, now, holder=holder)

    def claim_on(
        self,
        conn: Statements,
        caller: str,
        key: str,
        request_hash: str,
        now: dt.datetime,
        *,
        holder: Holder | None = None,
    ) -> Stored | None:
        """`claim_key` in a transaction of the caller's, such as the command's own: the key
        is then claimed, and its answer stored (`answer_on`), only if that commits. `holder`
        says which request and process hold it (`take_over`, `fence_on`)."""
        self._purge_if_due(conn, now)
        claim = {
            "caller": caller,
            "key": key,
            "request_hash": request_hash,
            "claim_id": holder.claim_id if holder else None,
            "owner": holder.owner if holder else None,
        }
        if conn.execute(self._claim, {**claim, "created_at": now.isoformat()}).rowcount:
            return None
        the_key = {"k_caller": caller, "k_key": key}
        row = conn.execute(_KEY_ROW, the_key).first()
        stored = None if row is None else _stored(row)
        if stored is not None and not expired(stored.created_at, now):
            return stored
        if stored is not None and _reclaim(conn, the_key, request_hash, now, holder):
            return None
        return _just_taken(request_hash, now)

    def _purge_if_due(self, conn: Statements, now: dt.datetime) -> None:
        """Delete the keys expired at `now`, at most once every `PURGE_EVERY` seconds: the
        DELETE on every claim cost as much as the claim itself."""
        tick = time.monotonic()
        if self._purged_at is not None and tick - self._purged_at < PURGE_EVERY:
            return
        self._purged_at = tick
        conn.execute(_PURGE, {"cutoff": (now - KEEP_FOR).isoformat()})

    def complete_key(
        self, caller: str, key: str, answer: Answer, claim_id: str | None = None
    ) -> None:
        with self.engine.begin() as conn:
            answer_on(conn, caller, key, answer, claim_id)

    def keep_answer(
        self, caller: str, key: str, request_hash: str, now: dt.datetime, answer: Answer
    ) -> bool:
        """Store the answer to a request that claimed nothing before it ran (its command, if
        any, was rolled back); False, storing nothing, if the key was taken meanwhile."""
        row = {"caller": caller, "key": key, "request_hash": request_hash}
        answered = {"status": answer.status, "body": answer.body, "headers": _encoded(answer)}
        with self.engine.begin() as conn:
            done = conn.execute(self._claim, {**row, **answered, "created_at": now.isoformat()})
        return bool(done.rowcount)

    def take_over(
        self, caller: str, key: str, was: Stored, holder: Holder, now: dt.datetime
    ) -> bool:
        """Hold a key whose request was abandoned before its command committed, unless
        another retry took it first; from now on only `holder` may commit under it."""
        values = {
            "k_caller": caller,
            "k_key": key,
            "k_old_claim": was.claim_id,
            "k_claim_id": holder.claim_id,
            "k_owner": holder.owner,
            "k_created_at": now.isoformat(),
        }
        with self.engine.begin() as conn:
            return bool(conn.execute(_TAKE_OVER, values).rowcount)

    def release_key(
        self, caller: str, key: str, claim_id: str | None, lost: Answer | None = None
    ) -> None:
        """Forget a key whose request failed before its command committed, so that a retry
        can run; one whose command did commit keeps `lost` as its answer instead, so that a
        retry is told and nothing runs twice."""
        with self.engine.begin() as conn:
            the_key = {"k_caller": caller, "k_key": key, "k_claim_id": claim_id}
            if not conn.execute(_RELEASE, the_key).rowcount and lost is not None:
                answer_on(conn, caller, key, lost, claim_id)
