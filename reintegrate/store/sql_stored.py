"""The SQL store's state read one kind of record at a time, a page of rows at a time.

An audit compares the stored state with the replayed one kind by kind (`StoredView.
stored_records`), so that the whole stored state is never held beside the replayed one; a
full `Snapshot` is the same readers, collected. A row that holds exactly the record
expected under its key gives that record, undecoded: decoding is most of the cost of
reading a large store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, cast

import msgspec
from sqlalchemy import Connection, Select, Table, select

from reintegrate.business.plans import BusinessPlan
from reintegrate.community.projects import CommunityProject
from reintegrate.events import EntitlementGranted
from reintegrate.grants.disbursements import Disbursement
from reintegrate.grants.packages import Package
from reintegrate.money import FxRate
from reintegrate.people.registry import PersonRecord
from reintegrate.reconcile.batches.batch import PaymentBatch
from reintegrate.reconcile.receipts.rounds import VerificationRound
from reintegrate.reconcile.statements.imports import StatementImport
from reintegrate.reconcile.statements.provider_mappings import ProviderMapping
from reintegrate.store.base import CaseRecord, PolicyRecord, ProgrammeRecord
from reintegrate.store.sql_business import PLANS
from reintegrate.store.sql_community import PROJECTS
from reintegrate.store.sql_ledger import ACCOUNTS, ENCODER, account_from
from reintegrate.store.sql_people import MEMBERS, PERSONS
from reintegrate.store.sql_reconcile import BATCHES, IMPORTS, MAPPINGS
from reintegrate.store.sql_uow import (
    CASES,
    DISBURSEMENTS,
    FX_RATES,
    GRANTS,
    PACKAGES,
    POLICIES,
    PROGRAMMES,
    decode,
)
from reintegrate.store.sql_verification import ROUNDS

ROWS_PER_PAGE = 2000
Page = list[tuple[str, Any]]
"""(key, record) of some records of one kind."""
Reader = Callable[[Connection, Mapping[str, Any]], Iterator[Page]]


def row_pages(conn: Connection, query: Select[Any]) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of `query` (which takes no parameter), a page at a time, on `conn`'s
    transaction: on SQLite as its own cursor gives them (SQLAlchemy rows cost seconds more on
    a million), elsewhere streamed from a server-side cursor."""
    if conn.dialect.name == "sqlite":
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(str(query.compile(dialect=conn.dialect)))
            while rows := cursor.fetchmany(ROWS_PER_PAGE):
                yield cast(list[tuple[Any, ...]], rows)
        finally:
            cursor.close()
        return
    options = {"stream_results": True, "yield_per": ROWS_PER_PAGE}
    for part in conn.execution_options(**options).execute(query).partitions():
        yield [tuple(row) for row in part]


def _bodies(table: Table, key: str, type_: type[Any], columns: tuple[str, ...] = ()) -> Reader:
    """Records kept as one JSON body per row, by `key`; `columns` are fields the row also
    keeps in columns of their own, which queries filter on (a payment's status, office...)."""
    query = select(table.c[key], table.c.body, *(table.c[c] for c in columns))

    def read(conn: Connection, expected: Mapping[str, Any]) -> Iterator[Page]:
        for rows in row_pages(conn, query):
            page: Page = []
            for ident, body, *kept in rows:
                record = expected.get(ident)
                if record is None or ENCODER.encode(record) != body:
                    record = decode(body, type_)
                page.append((ident, as_columns_say(record, columns, kept)))
            yield page

    return read


def as_columns_say(record: Any, columns: tuple[str, ...], values: list[Any]) -> Any:
    """`record`, but where its row's column for one of `columns` disagrees with its body,
    that field names both (`approved (its column says paid)`): a column changed alone differs
    from the replayed record too, and a body changed alone still does."""
    changed = {
        c: f"{getattr(record, c)} (its column says {v})"
        for c, v in zip(columns, values, strict=True)
        if str(getattr(record, c)) != str(v)
    }
    return msgspec.structs.replace(record, **changed) if changed else record


def _accounts(conn: Connection, expected: Mapping[str, Any]) -> Iterator[Page]:
    """Ledger accounts (without their balances), by code."""
    query = select(ACCOUNTS.c.code, ACCOUNTS.c.currency, ACCOUNTS.c.label).add_columns(
        ACCOUNTS.c.floor, ACCOUNTS.c.used
    )
    for rows in row_pages(conn, query):
        page: Page = []
        for code, currency, label, floor, used in rows:
            account = expected.get(code)
            same = (
                account is not None
                and account.label == label
                and account.currency == currency
                and account.floor == floor
                and ",".join(account.used) == used
            )
            if account is None or not same:
                account = account_from(code, currency, label, floor, used)
            page.append((code, account))
        yield page


def _balances(conn: Connection, _expected: Mapping[str, Any]) -> Iterator[Page]:
    yield from row_pages(conn, select(ACCOUNTS.c.code, ACCOUNTS.c.balance))


def _policies(conn: Connection, _expected: Mapping[str, Any]) -> Iterator[Page]:
    query = select(POLICIES.c.programme_id, POLICIES.c.version, POLICIES.c.body)
    for rows in row_pages(conn, query):
        yield [(f"{p}/{v}", decode(body, PolicyRecord)) for p, v, body in rows]


def _fx_rates(conn: Connection, _expected: Mapping[str, Any]) -> Iterator[Page]:
    """Rates by position, in the order they were kept."""
    position = 0
    for rows in row_pages(conn, select(FX_RATES.c.body).order_by(FX_RATES.c.id)):
        yield [(str(position + i), decode(body, FxRate)) for i, (body,) in enumerate(rows)]
        position += len(rows)


def _members(conn: Connection, _expected: Mapping[str, Any]) -> Iterator[Page]:
    query = select(MEMBERS.c.case_id, MEMBERS.c.member_id, MEMBERS.c.person_id)
    for rows in row_pages(conn, query):
        yield [(f"{case_id}/{member_id}", person) for case_id, member_id, person in rows]


READERS: dict[str, Reader] = {
    "programmes": _bodies(PROGRAMMES, "programme_id", ProgrammeRecord),
    "policies": _policies,
    "fx_rates": _fx_rates,
    "cases": _bodies(CASES, "case_id", CaseRecord, ("office", "programme_id")),
    "grants": _bodies(GRANTS, "case_id", EntitlementGranted),
    "packages": _bodies(PACKAGES, "package_id", Package, ("case_id", "office", "status")),
    "disbursements": _bodies(
        DISBURSEMENTS,
        "disbursement_id",
        Disbursement,
        ("package_id", "project_id", "office", "status", "programme_id", "channel"),
    ),
    "accounts": _accounts,
    "balances": _balances,
    "plans": _bodies(PLANS, "plan_id", BusinessPlan, ("programme_id", "office", "status")),
    "projects": _bodies(
        PROJECTS, "project_id", CommunityProject, ("programme_id", "office", "status")
    ),
    "verification_rounds": _bodies(ROUNDS, "round_id", VerificationRound, ("programme_id",)),
    "batches": _bodies(BATCHES, "batch_id", PaymentBatch, ("programme_id", "status")),
    "imports": _bodies(IMPORTS, "import_id", StatementImport),
    "provider_mappings": _bodies(MAPPINGS, "provider", ProviderMapping),
    "members": _members,
    "persons": _bodies(PERSONS, "person_id", PersonRecord),
}
"""How each collection of a `Snapshot` but the posting sums is read."""
