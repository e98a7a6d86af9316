"""API users and their bearer tokens: random, shown once, stored only as a SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import msgspec

from reintegrate.access import Role, Scope, check_new_user, scope_of, token_is_valid
from reintegrate.errors import ValidationFailed
from reintegrate.store.api_records import ApiRecords
from reintegrate.texts import Text

TOKEN_PREFIX = "rt_"


class Caller(msgspec.Struct, frozen=True, kw_only=True):
    """An authenticated API user: what the routes need, and nothing personal."""

    user_id: str
    role: Role
    scope: Scope


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(
    records: ApiRecords,
    user_id: str,
    now: dt.datetime,
    *,
    role: Role,
    offices: frozenset[str],
    days: int = 90,
) -> str:
    """Create a user and return its first token (the only time it is shown)."""
    check_new_user(user_id, role, offices)
    if records.user(user_id) is not None:
        raise ValidationFailed(
            Text("user {user_id} exists already", user_id=user_id), field="user_id"
        )
    records.add_user(user_id, role, offices, now)
    return issue_token(records, user_id, now, days=days)


def issue_token(records: ApiRecords, user_id: str, now: dt.datetime, *, days: int = 90) -> str:
    if not 1 <= days <= 366:
        raise ValidationFailed(Text("a token lives 1 to 366 days"), field="days")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    records.add_token(token_hash(token), user_id, now + dt.timedelta(days=days))
    return token


def authenticate(records: ApiRecords, token: str, now: dt.datetime) -> Caller | None:
    """The caller a token belongs to, if it is known, unexpired and not revoked."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    found = records.token_owner(token_hash(token))
    if found is None:
        return None
    user, expires_at = found
    if not token_is_valid(expires_at, user.revoked_at, now):
        return None
    return Caller(user_id=user.user_id, role=user.role, scope=scope_of(user.role, user.offices))
