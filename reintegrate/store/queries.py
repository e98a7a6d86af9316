"""Read-side queries for listings: scoped by office in the SQL itself, cursor-paginated."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, select

from reintegrate.access import Scope
from reintegrate.grants.disbursements import Disbursement
from reintegrate.grants.packages import Package
from reintegrate.journal import Entry
from reintegrate.money import FxRate
from reintegrate.store.base import CaseRecord, ProgrammeRecord
from reintegrate.store.sql_uow import (
    ACCOUNTS,
    CASES,
    DISBURSEMENTS,
    FX_RATES,
    JOURNAL,
    PACKAGES,
    PROGRAMMES,
    decode,
    entry_of,
)


class Queries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def cases(self, scope: Scope, after: str | None, limit: int) -> list[CaseRecord]:
        query = select(CASES.c.body).order_by(CASES.c.case_id).limit(limit)
        if scope.offices is not None:
            query = query.where(CASES.c.office.in_(sorted(scope.offices)))
        if after is not None:
            query = query.where(CASES.c.case_id > after)
        with self.engine.connect() as conn:
            return [decode(body, CaseRecord) for body in conn.execute(query).scalars()]

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
        query = select(ACCOUNTS.c.code, ACCOUNTS.c.balance).where(ACCOUNTS.c.code.in_(wanted))
        with self.engine.connect() as conn:
            found = {row.code: row.balance for row in conn.execute(query)}
        return {code: found.get(code, 0) for code in wanted}

    def journal(self, after: int | None, limit: int, *, newest_first: bool = False) -> list[Entry]:
        """Entries after `after` in order; or, newest first, before `after` (None: the end)."""
        query = select(JOURNAL).limit(limit)
        if newest_first:
            query = query.order_by(JOURNAL.c.seq.desc())
            if after is not None:
                query = query.where(JOURNAL.c.seq < after)
        else:
            query = query.order_by(JOURNAL.c.seq).where(JOURNAL.c.seq > (after or 0))
        with self.engine.connect() as conn:
            return [entry_of(row) for row in conn.execute(query)]
