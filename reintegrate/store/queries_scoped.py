"""Read-side queries of projections kept as JSON bodies with an office, on the reader engine:
one record as last committed, and the records of the caller's offices page by page (scoped by
office in the SQL itself). For answers only, never for a command's decisions (those read in
their unit of work)."""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar

from sqlalchemy import Engine, Table, bindparam, select

from reintegrate.access import EVERYWHERE, Scope
from reintegrate.store.listing import NO_FILTERS, ListFilters, Listing
from reintegrate.store.sql_uow import decode


class _InAnOffice(Protocol):
    @property
    def office(self) -> str: ...


T = TypeVar("T", bound=_InAnOffice)


class ScopedBodies(Generic[T]):
    def __init__(self, engine: Engine, table: Table, key: str, type_: type[T]) -> None:
        self.engine, self.table, self.key, self.type_ = engine, table, table.c[key], type_
        self._one = select(table.c.body).where(self.key == bindparam("key"))
        self._listing = Listing(engine, table, key, type_)

    def get(self, value: str, scope: Scope = EVERYWHERE) -> T | None:
        """The record with this key as last committed, if `scope` may see it."""
        with self.engine.connect() as conn:
            body: bytes | None = conn.execute(self._one, {"key": value}).scalar_one_or_none()
        found = None if body is None else decode(body, self.type_)
        return found if found is not None and scope.allows(found.office) else None

    def page(
        self, scope: Scope, after: str | None, limit: int, filters: ListFilters = NO_FILTERS
    ) -> list[T]:
        """Up to `limit` records of `scope` that pass `filters`, whose key comes after
        `after`, by key (`store.listing`)."""
        return self._listing.page(scope, after, limit, filters)
