"""The SQL store: SQLite by default (WAL, BEGIN IMMEDIATE, busy timeout), or PostgreSQL.

A unit of work is one database transaction. On SQLite it starts with BEGIN IMMEDIATE, so a
command's reads (balances, journal tail) and writes happen under one write lock and no
update is lost; on PostgreSQL the balance rows and the journal tail are locked FOR UPDATE.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import msgspec
from sqlalchemy import Engine, create_engine, event, func
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, col, select

from reintegrate.cases import Member
from reintegrate.events import EntitlementGranted, Event
from reintegrate.grants.disbursements import Disbursement
from reintegrate.grants.packages import Package
from reintegrate.journal import Entry
from reintegrate.ledger import Account, Transaction
from reintegrate.money import FxRate
from reintegrate.store import tables as t
from reintegrate.store.base import CaseRecord, PolicyRecord, ProgrammeRecord, Scope, Snapshot
from reintegrate.store.migrate import upgrade

DEFAULT_URL = "sqlite:///reintegrate.db"
T = TypeVar("T")
_enc = msgspec.json.Encoder(order="sorted")


def database_url() -> str:
    return os.environ.get("REINTEGRATE_DATABASE_URL", DEFAULT_URL)


def make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    in_memory = url in ("sqlite://", "sqlite:///:memory:")
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        poolclass=StaticPool if in_memory else None,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _dec(body: bytes, type_: type[T]) -> T:
    return msgspec.json.decode(body, type=type_)


class SqlUnitOfWork:
    def __init__(self, session: Session, locking: bool) -> None:
        self.s = session
        self.locking = locking
        self._last: Entry | None = None
        self._last_loaded = False

    def _body(self, model: Any, key: Any, type_: type[T]) -> T | None:
        row = self.s.get(model, key)
        return None if row is None else _dec(row.body, type_)

    def programme(self, programme_id: str) -> ProgrammeRecord | None:
        return self._body(t.ProgrammeRow, programme_id, ProgrammeRecord)

    def put_programme(self, record: ProgrammeRecord) -> None:
        self.s.merge(t.ProgrammeRow(programme_id=record.programme_id, body=_enc.encode(record)))

    def policies(self, programme_id: str) -> list[PolicyRecord]:
        rows = self.s.exec(select(t.PolicyRow).where(t.PolicyRow.programme_id == programme_id))
        found = [_dec(r.body, PolicyRecord) for r in rows]
        return sorted(found, key=lambda p: p.effective_from)

    def put_policy(self, record: PolicyRecord) -> None:
        row = t.PolicyRow(
            programme_id=record.programme_id, version=record.version, body=_enc.encode(record)
        )
        self.s.merge(row)

    def fx_rates(self, base: str, quote: str) -> list[FxRate]:
        pairs = [f"{base}/{quote}", f"{quote}/{base}"]
        rows = self.s.exec(
            select(t.FxRateRow)
            .where(col(t.FxRateRow.pair).in_(pairs))
            .order_by(col(t.FxRateRow.id))
        )
        return [_dec(r.body, FxRate) for r in rows]

    def put_fx_rate(self, rate: FxRate) -> None:
        self.s.add(t.FxRateRow(pair=f"{rate.base}/{rate.quote}", body=_enc.encode(rate)))

    def case(self, case_id: str, scope: Scope) -> CaseRecord | None:
        found = self._body(t.CaseRow, case_id, CaseRecord)
        return found if found and scope.allows(found.office) else None

    def put_case(self, record: CaseRecord) -> None:
        row = t.CaseRow(
            case_id=record.case_id,
            office=record.office,
            programme_id=record.programme_id,
            body=_enc.encode(record),
        )
        self.s.merge(row)

    def members(self, case_id: str) -> list[Member]:
        rows = self.s.exec(select(t.MemberRow).where(t.MemberRow.case_id == case_id))
        return [_dec(r.body, Member) for r in rows]

    def put_members(self, case_id: str, members: Iterable[Member]) -> None:
        for m in members:
            row = t.MemberRow(
                case_id=case_id, member_id=m.member_id, person_ref=m.person_ref, body=_enc.encode(m)
            )
            self.s.merge(row)

    def cases_of_person_refs(self, refs: Iterable[str]) -> list[tuple[str, str]]:
        query = select(t.MemberRow.case_id, t.MemberRow.person_ref).where(
            col(t.MemberRow.person_ref).in_(list(refs))
        )
        return [(row[0], row[1]) for row in self.s.exec(query)]

    def grant(self, case_id: str) -> EntitlementGranted | None:
        return self._body(t.GrantRow, case_id, EntitlementGranted)

    def put_grant(self, grant: EntitlementGranted) -> None:
        self.s.merge(t.GrantRow(case_id=grant.case_id, body=_enc.encode(grant)))

    def package(self, package_id: str, scope: Scope) -> Package | None:
        found = self._body(t.PackageRow, package_id, Package)
        return found if found and scope.allows(found.office) else None

    def packages_of_case(self, case_id: str) -> list[Package]:
        rows = self.s.exec(select(t.PackageRow).where(t.PackageRow.case_id == case_id))
        return [_dec(r.body, Package) for r in rows]

    def put_package(self, package: Package) -> None:
        row = t.PackageRow(
            package_id=package.package_id,
            case_id=package.case_id,
            office=package.office,
            status=package.status.value,
            body=_enc.encode(package),
        )
        self.s.merge(row)

    def disbursement(self, disbursement_id: str, scope: Scope) -> Disbursement | None:
        found = self._body(t.DisbursementRow, disbursement_id, Disbursement)
        return found if found and scope.allows(found.office) else None

    def put_disbursement(self, d: Disbursement) -> None:
        row = t.DisbursementRow(
            disbursement_id=d.disbursement_id,
            package_id=d.package_id,
            office=d.office,
            status=d.status.value,
            body=_enc.encode(d),
        )
        self.s.merge(row)

    def _account_rows(self, codes: Iterable[str]) -> list[t.AccountRow]:
        wanted = sorted(set(codes))
        if not wanted:
            return []
        query = select(t.AccountRow).where(col(t.AccountRow.code).in_(wanted))
        if self.locking:
            query = query.with_for_update()
        return list(self.s.exec(query))

    def accounts(self, codes: Iterable[str]) -> dict[str, Account]:
        return {r.code: _account(r) for r in self._account_rows(codes)}

    def balances(self, codes: Iterable[str]) -> dict[str, int]:
        wanted = list(codes)
        found = {r.code: r.balance for r in self._account_rows(wanted)}
        return {c: found.get(c, 0) for c in wanted}

    def apply_transaction(self, seq: int, tx: Transaction, new_balances: dict[str, int]) -> None:
        for a in tx.opens:
            if self.s.get(t.AccountRow, a.code) is None:
                self.s.add(
                    t.AccountRow(
                        code=a.code,
                        currency=a.currency,
                        label=a.label,
                        floor=a.floor,
                        used=",".join(a.used),
                    )
                )
        self.s.flush()
        for code, balance in new_balances.items():
            row = self.s.get(t.AccountRow, code)
            assert row is not None
            row.balance = balance
        self.s.add_all(
            t.PostingRow(seq=seq, account=p.account, amount=p.amount, currency=p.currency)
            for p in tx.postings
        )

    def last_entry(self) -> Entry | None:
        if not self._last_loaded:
            query = select(t.JournalRow).order_by(col(t.JournalRow.seq).desc()).limit(1)
            if self.locking:
                query = query.with_for_update()
            row = self.s.exec(query).first()
            self._last = None if row is None else _entry(row)
            self._last_loaded = True
        return self._last

    def add_entry(self, entry: Entry) -> None:
        self.s.add(
            t.JournalRow(
                seq=entry.seq,
                at=entry.at.isoformat(),
                actor=entry.actor,
                type=type(entry.event).__name__,
                body=_enc.encode(entry.event),
                prev_hash=entry.prev_hash,
                hash=entry.hash,
            )
        )
        self._last, self._last_loaded = entry, True

    def commit(self) -> None:
        self.s.commit()


def _account(row: t.AccountRow) -> Account:
    used = tuple(row.used.split(",")) if row.used else ()
    return Account(
        code=row.code, currency=row.currency, label=row.label, floor=row.floor, used=used
    )


def _entry(row: t.JournalRow) -> Entry:
    return Entry(
        seq=row.seq,
        at=dt.datetime.fromisoformat(row.at),
        actor=row.actor,
        event=msgspec.json.decode(row.body, type=Event),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


class SqlStore:
    def __init__(self, url: str | None = None, *, engine: Engine | None = None) -> None:
        self.url = url or database_url()
        self.engine = engine or make_engine(self.url)
        self.locking = self.engine.dialect.name == "postgresql"

    def create_all(self) -> None:
        """Bring the schema to the latest migration."""
        upgrade(self.engine)

    @contextmanager
    def unit_of_work(self) -> Iterator[SqlUnitOfWork]:
        with Session(self.engine, expire_on_commit=False) as session:
            uow = SqlUnitOfWork(session, self.locking)
            try:
                yield uow
            finally:
                if session.in_transaction():
                    session.rollback()

    def entries(self, after: int = 0) -> Iterator[Entry]:
        with Session(self.engine) as session:
            query = (
                select(t.JournalRow)
                .where(col(t.JournalRow.seq) > after)
                .order_by(col(t.JournalRow.seq))
            )
            for row in session.scalars(query).yield_per(1000):
                yield _entry(row)

    def snapshot(self) -> Snapshot:
        with Session(self.engine) as s:

            def bodies(model: Any, key: str, type_: type[T]) -> dict[str, T]:
                return {getattr(r, key): _dec(r.body, type_) for r in s.exec(select(model))}

            policies = {
                f"{r.programme_id}/{r.version}": _dec(r.body, PolicyRecord)
                for r in s.exec(select(t.PolicyRow))
            }
            accounts = list(s.exec(select(t.AccountRow)))
            return Snapshot(
                programmes=bodies(t.ProgrammeRow, "programme_id", ProgrammeRecord),
                policies=policies,
                fx_rates=[
                    _dec(r.body, FxRate)
                    for r in s.exec(select(t.FxRateRow).order_by(col(t.FxRateRow.id)))
                ],
                cases=bodies(t.CaseRow, "case_id", CaseRecord),
                grants=bodies(t.GrantRow, "case_id", EntitlementGranted),
                packages=bodies(t.PackageRow, "package_id", Package),
                disbursements=bodies(t.DisbursementRow, "disbursement_id", Disbursement),
                accounts={r.code: _account(r) for r in accounts},
                balances={r.code: r.balance for r in accounts},
                posting_sums={
                    str(code): int(total)
                    for code, total in s.exec(
                        select(
                            col(t.PostingRow.account), func.sum(col(t.PostingRow.amount))
                        ).group_by(t.PostingRow.account)
                    )
                },
            )
