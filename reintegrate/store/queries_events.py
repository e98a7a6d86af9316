"""The event feed's reads: journal entries of the shown types, of the caller's offices, in
journal order, on the reader engine.

Entries commit in seq order (one writer on SQLite; on PostgreSQL a unit holds the journal's
tail until it commits, `docs/journal.md`), so a reader that saw seq n has seen every entry
before it: a cursor at n never skips one.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Engine, select

from reintegrate.access import Scope
from reintegrate.store.sql_ledger import JOURNAL

FeedRow = tuple[int, str, bytes]
"""seq, at (ISO 8601 text) and the event's stored bytes."""


class EventFeed:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def after(self, scope: Scope, after: int, types: Collection[str], limit: int) -> list[FeedRow]:
        """Up to `limit` entries after seq `after`, of `types`, filed under an office of
        `scope` (a scope of every office: every entry, programme-wide ones too)."""
        c = JOURNAL.c
        query = (
            select(c.seq, c.at, c.body)
            .where(c.seq > after, c.type.in_(sorted(types)))
            .order_by(c.seq)
            .limit(limit)
        )
        if scope.offices is not None:
            query = query.where(c.office.in_(sorted(scope.offices)))
        with self.engine.connect() as conn:
            return [(row.seq, row.at, bytes(row.body)) for row in conn.execute(query)]
