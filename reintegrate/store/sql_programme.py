"""A programme's payments read a page at a time, for reports over a programme of any size.

Packages are read through their cases (indexed by programme) in one pass, a page of
`PACKAGES_PER_PAGE` at a time, each page with every disbursement made on its packages
(indexed by package) and its cases' countries of return. Only those rows are decoded; a
million payments never sit in memory at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator

import msgspec
from sqlalchemy import Connection, bindparam, select

from reintegrate.community.projects import CommunityProject
from reintegrate.grants.disbursements import DisbursementStatus
from reintegrate.grants.packages import Package
from reintegrate.journal import StoredEntry, stored_of_row
from reintegrate.store.base import PackagesPage, ProgrammeRecord
from reintegrate.store.sql_community import PROJECTS
from reintegrate.store.sql_ledger import ACCOUNTS, JOURNAL, STORED_COLUMNS
from reintegrate.store.sql_one_case import CASES, DISBURSEMENTS, PACKAGES
from reintegrate.store.sql_uow import PROGRAMMES

PACKAGES_PER_PAGE = 2000
CODES_PER_QUERY = 5000
"""Account codes named in one query (SQLite binds at most 32,766 parameters)."""


class _Paid(msgspec.Struct, frozen=True, kw_only=True):
    """Of a payment's stored record, its figures (`grants.figures.PaymentFigures`): the
    other fields are skipped, not decoded."""

    package_id: str
    component_id: str
    programme_id: str
    office: str
    status: DisbursementStatus
    requested_on: dt.date
    programme_amount: int
    amount: int
    currency: str


class _Country(msgspec.Struct):
    """Of a case's stored record, only its country of return."""

    country_of_return: str


_PACKAGE = msgspec.json.Decoder(Package)
_PAID = msgspec.json.Decoder(_Paid)
_PROJECT = msgspec.json.Decoder(CommunityProject)
_COUNTRY = msgspec.json.Decoder(_Country)
_PACKAGES = (
    select(PACKAGES.c.package_id, PACKAGES.c.body, CASES.c.case_id, CASES.c.body)
    .join(CASES, CASES.c.case_id == PACKAGES.c.case_id)
    .where(CASES.c.programme_id == bindparam("programme"))
)
"""In no order: a report adds them up, and sorting a programme's packages costs more than
reading them."""
_PAID_ON = select(DISBURSEMENTS.c.body).where(
    DISBURSEMENTS.c.package_id.in_(bindparam("packages", expanding=True))
)
_BALANCES = select(ACCOUNTS.c.code, ACCOUNTS.c.balance).where(
    ACCOUNTS.c.code.in_(bindparam("codes", expanding=True))
)
_PROJECTS = select(PROJECTS.c.body).where(PROJECTS.c.programme_id == bindparam("programme"))
_PROGRAMME = select(PROGRAMMES.c.body).where(PROGRAMMES.c.programme_id == bindparam("programme"))
_OF_TYPES = (
    select(*STORED_COLUMNS)
    .where(JOURNAL.c.type.in_(bindparam("types", expanding=True)))
    .where(JOURNAL.c.seq <= bindparam("last"))
    .order_by(JOURNAL.c.seq)
)


def programme_on(conn: Connection, programme_id: str) -> ProgrammeRecord | None:
    body = conn.execute(_PROGRAMME, {"programme": programme_id}).scalar()
    return None if body is None else msgspec.json.decode(body, type=ProgrammeRecord)


def packages_pages(conn: Connection, programme_id: str) -> Iterator[PackagesPage]:
    """The packages of `programme_id`'s cases, read in one pass, a page at a time."""
    options = {"stream_results": True, "yield_per": PACKAGES_PER_PAGE}
    found = conn.execution_options(**options).execute(_PACKAGES, {"programme": programme_id})
    for rows in found.partitions():
        packages = [_PACKAGE.decode(body) for _, body, _, _ in rows]
        countries = {case: _COUNTRY.decode(body).country_of_return for _, _, case, body in rows}
        ids = [package_id for package_id, _, _, _ in rows]
        paid = conn.execute(_PAID_ON, {"packages": ids}).scalars().all()
        yield PackagesPage(
            packages=packages,
            disbursements=[_PAID.decode(body) for body in paid],
            countries=countries,
        )


def projects_of(conn: Connection, programme_id: str) -> Iterator[CommunityProject]:
    for body in conn.execute(_PROJECTS, {"programme": programme_id}).scalars():
        yield _PROJECT.decode(body)


def balances_on(conn: Connection, codes: Collection[str]) -> dict[str, int]:
    """The balance of each of `codes` that is an account (the others are not in it)."""
    wanted = list(codes)
    found: dict[str, int] = {}
    for start in range(0, len(wanted), CODES_PER_QUERY):
        part = wanted[start : start + CODES_PER_QUERY]
        found.update((code, balance) for code, balance in conn.execute(_BALANCES, {"codes": part}))
    return found


def entries_of_types_on(
    conn: Connection, types: Collection[str], last: int
) -> Iterator[StoredEntry]:
    """The journal's entries of `types`, up to `last`, in seq order."""
    values = {"types": list(types), "last": last}
    for row in conn.execute(_OF_TYPES, values):
        yield stored_of_row(tuple(row))
