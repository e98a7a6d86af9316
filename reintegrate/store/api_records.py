"""API users, hashed tokens and idempotency keys, in the SQL store."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from sqlalchemy import Engine, Table, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from reintegrate.access import Role
from reintegrate.idempotency import KEEP_FOR, Stored
from reintegrate.store import tables as t

USERS: Table = t.UserRow.__table__  # type: ignore[attr-defined]
TOKENS: Table = t.TokenRow.__table__  # type: ignore[attr-defined]
KEYS: Table = t.IdempotencyRow.__table__  # type: ignore[attr-defined]


class UserRecord:
    """A user as stored: id, role, offices, and when it was revoked (if it was)."""

    def __init__(
        self, user_id: str, role: Role, offices: frozenset[str], revoked_at: dt.datetime | None
    ) -> None:
        self.user_id, self.role, self.offices, self.revoked_at = user_id, role, offices, revoked_at


def _time(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def _user(row: Any) -> UserRecord:
    offices = frozenset(filter(None, row.offices.split(",")))
    return UserRecord(
        row.user_id,
        Role(row.role),
        offices,
        _time(row.revoked_at),
    )


class ApiRecords:
    def __init__(self, engine: Engine, reader: Engine | None = None) -> None:
        self.engine = engine
        self.reader = reader or engine

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
        query = select(USERS, TOKENS.c.expires_at).join(TOKENS, TOKENS.c.user_id == USERS.c.user_id)
        with self.reader.connect() as conn:
            row = conn.execute(query.where(TOKENS.c.token_hash == token_hash)).first()
        if row is None:
            return None
        return _user(row), dt.datetime.fromisoformat(row.expires_at)

    def claim_key(
        self, caller: str, key: str, request_hash: str, now: dt.datetime
    ) -> Stored | None:
        """Mark `key` in flight unless known and not expired; returns what was known."""
        insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert
        with self.engine.begin() as conn:
            conn.execute(delete(KEYS).where(KEYS.c.created_at < (now - KEEP_FOR).isoformat()))
            row = conn.execute(
                select(KEYS).where(KEYS.c.caller == caller, KEYS.c.key == key)
            ).first()
            if row is not None:
                return Stored(
                    request_hash=row.request_hash,
                    status=row.status,
                    body=row.body,
                    headers=msgspec.json.decode(
                        row.headers or b"[]", type=tuple[tuple[str, str], ...]
                    ),
                    created_at=dt.datetime.fromisoformat(row.created_at),
                )
            conn.execute(
                insert(KEYS)
                .values(
                    caller=caller, key=key, request_hash=request_hash, created_at=now.isoformat()
                )
                .on_conflict_do_nothing()
            )
        return None

    def complete_key(
        self, caller: str, key: str, status: int, body: bytes, headers: tuple[tuple[str, str], ...]
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(KEYS)
                .where(KEYS.c.caller == caller, KEYS.c.key == key)
                .values(status=status, body=body, headers=msgspec.json.encode(headers))
            )

    def release_key(self, caller: str, key: str) -> None:
        """Forget a key whose request crashed, so that a retry can run."""
        with self.engine.begin() as conn:
            conn.execute(
                delete(KEYS).where(
                    KEYS.c.caller == caller, KEYS.c.key == key, KEYS.c.status.is_(None)
                )
            )
