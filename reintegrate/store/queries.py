"""Read-side queries, on the reader engine: listings (scoped by office in the SQL itself,
cursor-paginated) and the single records that API answers show."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine, Select, bindparam, select

from reintegrate.access import Scope
from reintegrate.grants.disbursements import Disbursement
from reintegrate.grants.packages import Package
from reintegrate.journal import StoredEntry, stored_of_row
from reintegrate.money import FxRate
from reintegrate.reconcile.batches.batch import PaymentBatch
from reintegrate.reconcile.statements.imports import StatementImport
from reintegrate.reconcile.statements.provider_mappings import ProviderMapping
from reintegrate.store.base import CaseRecord, ProgrammeRecord
from reintegrate.store.listing import NO_FILTERS, ListFilters, Listing
from reintegrate.store.queries_rounds import RoundListing
from reintegrate.store.queries_scoped import ScopedBodies
from reintegrate.store.sql_ledger import ACCOUNTS, JOURNAL
from reintegrate.store.sql_reconcile import BATCHES, IMPORTS, MAPPINGS
from reintegrate.store.sql_uow import (
    CASES,
    DISBURSEMENTS,
    FX_RATES,
    PACKAGES,
    PROGRAMMES,
    decode,
)

_PROGRAMME = select(PROGRAMMES.c.body).where(PROGRAMMES.c.programme_id == bindparam("key"))
_BALANCES = select(ACCOUNTS.c.code, ACCOUNTS.c.balance).where(
    ACCOUNTS.c.code.in_(bindparam("codes", expanding=True))
)
"""Built once: a statement's construction costs more than its execution."""


class Queries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.packages = ScopedBodies(engine, PACKAGES, "package_id", Package)
        """Packages as last committed: for answers, never for a command's decisions (those
        read in their unit of work)."""
        self.disbursements = ScopedBodies(engine, DISBURSEMENTS, "disbursement_id", Disbursement)
        self._cases = Listing(engine, CASES, "case_id", CaseRecord)
        self.batches = Listing(engine, BATCHES, "batch_id", PaymentBatch, programme_wide=True)
        """Payment batches (programme-wide, no office) as last committed, page by page."""
        self.imports = Listing(engine, IMPORTS, "import_id", StatementImport, programme_wide=True)
        """Statement imports (programme-wide, no office) as last committed, page by page."""
        self.mappings = Listing(engine, MAPPINGS, "provider", ProviderMapping, programme_wide=True)
        """Providers' saved mappings (of no programme and no office), page by page."""
        self.rounds = RoundListing(engine)
        """Receipt verification rounds as last committed, page by page."""

    def _body(self, statement: Select[Any], key: str) -> bytes | None:
        with self.engine.connect() as conn:
            body: bytes | None = conn.execute(statement, {"key": key}).scalar_one_or_none()
        return body

    def programme(self, programme_id: str) -> ProgrammeRecord | None:
        body = self._body(_PROGRAMME, programme_id)
        return None if body is None else decode(body, ProgrammeRecord)

    def cases(
        self, scope: Scope, after: str | None, limit: int, filters: ListFilters = NO_FILTERS
    ) -> list[CaseRecord]:
        """Up to `limit` cases of `scope` that pass `filters`, after `after`, by id."""
        return self._cases.page(scope, after, limit, filters)

    def packages_of_case(self, case_id: str, scope: Scope) -> list[Package]:
        query = select(PACKAGES.c.body).where(PACKAGES.c.case_id == case_id)
        if scope.offices is not None:
            query = query.where(PACKAGES.c.office.in_(sorted(scope.offices)))
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(PACKAGES.c.package_id)).scalars()
            return [decode(body, Package) for body in rows]

    def disbursements_of_package(self, package_id: str, scope: Scope) -> list[Disbursement]:
        query = select(DISBURSEMENTS.c.body).where(DISBURSEMENTS.c.package_id == package_id)
        if scope.offices is not None:
            query = query.where(DISBURSEMENTS.c.office.in_(sorted(scope.offices)))
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(DISBURSEMENTS.c.disbursement_id)).scalars()
            return [decode(body, Disbursement) for body in rows]

    def programmes(self) -> list[ProgrammeRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(PROGRAMMES.c.body).order_by(PROGRAMMES.c.programme_id))
            return [decode(body, ProgrammeRecord) for body in rows.scalars()]

    def fx_rates(self) -> list[FxRate]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(FX_RATES.c.body).order_by(FX_RATES.c.id)).scalars()
            return [decode(body, FxRate) for body in rows]

    def balances(self, codes: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(codes))
        with self.engine.connect() as conn:
            found = {row.code: row.balance for row in conn.execute(_BALANCES, {"codes": wanted})}
        return {code: found.get(code, 0) for code in wanted}

    def journal(
        self, after: int | None, limit: int, *, newest_first: bool = False
    ) -> list[StoredEntry]:
        """Entries after `after` in order; or, newest first, before `after` (None: the end):
        each event as its bytes are stored and hashed (an event type the journal no longer
        records stays as it was written)."""
        query = select(JOURNAL).limit(limit)
        if newest_first:
            query = query.order_by(JOURNAL.c.seq.desc())
            if after is not None:
                query = query.where(JOURNAL.c.seq < after)
        else:
            query = query.order_by(JOURNAL.c.seq).where(JOURNAL.c.seq > (after or 0))
        with self.engine.connect() as conn:
            return [
                stored_of_row((r.seq, r.at, r.actor, r.body, r.prev_hash, r.hash))
                for r in conn.execute(query)
            ]
