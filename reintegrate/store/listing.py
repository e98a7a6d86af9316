"""Filtered, cursor-paginated listings of projections, in SQL on indexed columns.

A listing reads the records of a table by key, after a key, scoped by the caller's offices
in the SQL itself (for a table with an office), and narrowed by `ListFilters`: each filter
given is one condition on a column of the table (`person_id`: the record's case has a
member who is that person; a payment's case is its package's). A filter the table cannot
answer is a mistake of the caller's code, not of the request: the API declares only those
that apply.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, TypeVar

import msgspec
from sqlalchemy import ColumnElement, Engine, Select, Table, select

from reintegrate.access import Scope
from reintegrate.store.sql_stamps import stamp
from reintegrate.store.sql_uow import MEMBERS, PACKAGES, decode

T = TypeVar("T")


class ListFilters(msgspec.Struct, frozen=True, kw_only=True):
    """What a listing is narrowed to; None: not narrowed by it."""

    status: str | None = None
    office: str | None = None
    programme_id: str | None = None
    channel: str | None = None
    person_id: str | None = None
    created_since: dt.datetime | None = None
    updated_since: dt.datetime | None = None

    def given(self) -> dict[str, Any]:
        """The filters given, by name."""
        return {f: v for f in self.__struct_fields__ if (v := getattr(self, f)) is not None}


NO_FILTERS = ListFilters()
_EQUAL = ("status", "office", "programme_id", "channel")
_SINCE = {"created_since": "created_at", "updated_since": "updated_at"}


class Listing(Generic[T]):
    """Records of `table`, decoded as `type_`, paged by the column `key`: scoped by their
    `office` column, unless they belong to no office (`programme_wide`: batches, imports)."""

    def __init__(
        self,
        engine: Engine,
        table: Table,
        key: str,
        type_: type[T],
        *,
        programme_wide: bool = False,
    ) -> None:
        self.engine, self.table, self.key, self.type_ = engine, table, table.c[key], type_
        self.office = None if programme_wide else table.c.office

    def page(
        self, scope: Scope, after: str | None, limit: int, filters: ListFilters = NO_FILTERS
    ) -> list[T]:
        """Up to `limit` records of `scope` that pass `filters`, whose key comes after
        `after`, by key."""
        query = select(self.table.c.body).order_by(self.key).limit(limit)
        query = query.where(*self.conditions(scope, filters))
        if after is not None:
            query = query.where(self.key > after)
        return self._read(query)

    def conditions(self, scope: Scope, filters: ListFilters) -> list[ColumnElement[bool]]:
        columns = self.table.c
        found: list[ColumnElement[bool]] = []
        if scope.offices is not None and self.office is not None:
            found.append(self.office.in_(sorted(scope.offices)))
        for name, value in filters.given().items():
            if name in _EQUAL:
                found.append(columns[name] == value)
            elif name in _SINCE:
                found.append(columns[_SINCE[name]] >= stamp(value))
            else:
                found.append(self._of_person(value))
        return found

    def _of_person(self, person_id: str) -> ColumnElement[bool]:
        """The records of the cases whose household has `person_id`: by their case, or by
        their package's case for those that name only their package (payments)."""
        cases = select(MEMBERS.c.case_id).where(MEMBERS.c.person_id == person_id)
        columns = self.table.c
        if "case_id" in columns:
            return columns.case_id.in_(cases)
        packages = select(PACKAGES.c.package_id).where(PACKAGES.c.case_id.in_(cases))
        return columns.package_id.in_(packages)

    def _read(self, query: Select[Any]) -> list[T]:
        with self.engine.connect() as conn:
            return [decode(body, self.type_) for body in conn.execute(query).scalars()]
