"""Payment batches, statement imports, statement files and providers' saved mappings in the
SQL store (mixed into the SQL unit of work). The `batch_items` primary key keeps a payment in
one live batch."""

from __future__ import annotations

import functools
from typing import Any

import msgspec
from sqlalchemy import Select, Table, bindparam, literal_column, select

from reintegrate.grants.disbursements import Channel, Disbursement, DisbursementStatus
from reintegrate.reconcile.batches.batch import BatchStatus, PaymentBatch
from reintegrate.reconcile.statements.provider_mappings import ProviderMapping
from reintegrate.store import tables as t
from reintegrate.store.fast_sql import in_lists
from reintegrate.store.sql_business import RowPrimitives

BATCHES: Table = t.PaymentBatchRow.__table__  # type: ignore[attr-defined]
ITEMS: Table = t.BatchItemRow.__table__  # type: ignore[attr-defined]
IMPORTS: Table = t.StatementImportRow.__table__  # type: ignore[attr-defined]
FILES: Table = t.StatementFileRow.__table__  # type: ignore[attr-defined]
MAPPINGS: Table = t.ProviderMappingRow.__table__  # type: ignore[attr-defined]
DISBURSEMENTS: Table = t.DisbursementRow.__table__  # type: ignore[attr-defined]
_ENCODER = msgspec.json.Encoder(order="sorted")
_DISBURSEMENT = msgspec.json.Decoder(Disbursement)


@functools.cache
def _statuses_in(count: int) -> Select[Any]:
    """The id and status of the payments whose id is one of `count` parameters k0, k1...
    (`fast_sql.in_lists`)."""
    ids: list[Any] = [bindparam(f"k{i}") for i in range(count)]
    columns = DISBURSEMENTS.c
    return select(columns.disbursement_id, columns.status).where(columns.disbursement_id.in_(ids))


@functools.cache
def _made_in(dialect: str, count: int) -> Select[Any]:
    """The id of the payments whose id is one of `count` parameters k0, k1..., with what
    orders them as they were made: on SQLite the row's rowid (rows are numbered as they
    are written; read from the key's own index, without the row), elsewhere the time the
    row was made (`sql_stamps`)."""
    ids: list[Any] = [bindparam(f"k{i}") for i in range(count)]
    columns = DISBURSEMENTS.c
    made = literal_column("rowid") if dialect == "sqlite" else columns.created_at
    return select(columns.disbursement_id, made).where(columns.disbursement_id.in_(ids))


def keep_batch_items(uow: RowPrimitives, before: PaymentBatch | None, batch: PaymentBatch) -> None:
    """Keep which payments are in a batch that is not cancelled in step with the batch."""
    if before is None:
        rows = [
            {
                "disbursement_id": i.disbursement_id,
                "batch_id": batch.batch_id,
                "programme_id": batch.programme_id,
            }
            for i in batch.items
        ]
        uow.s.execute(ITEMS.insert(), rows)
    elif batch.status is BatchStatus.CANCELLED:
        uow.s.execute(ITEMS.delete().where(ITEMS.c.batch_id == batch.batch_id))


class ReconcileRows(RowPrimitives):
    """What the SQL unit of work offers for reconciliation."""

    def batches_of(self, programme_id: str) -> list[PaymentBatch]:
        query = (
            select(BATCHES.c.body)
            .where(BATCHES.c.programme_id == programme_id)
            .order_by(BATCHES.c.batch_id)
        )
        return [msgspec.json.decode(b, type=PaymentBatch) for b in self.s.execute(query).scalars()]

    def batched(self, programme_id: str) -> set[str]:
        query = select(ITEMS.c.disbursement_id).where(ITEMS.c.programme_id == programme_id)
        return set(self.s.execute(query).scalars())

    def approved_disbursements(
        self, programme_id: str, channel: Channel | None = None
    ) -> list[Disbursement]:
        query = select(DISBURSEMENTS.c.body).where(
            DISBURSEMENTS.c.programme_id == programme_id,
            DISBURSEMENTS.c.status == DisbursementStatus.APPROVED.value,
        )
        if channel is not None:
            query = query.where(DISBURSEMENTS.c.channel == channel.value)
        return [msgspec.json.decode(b, type=Disbursement) for b in self.s.execute(query).scalars()]

    def disbursements_by_id(self, ids: set[str]) -> dict[str, Disbursement]:
        decode = _DISBURSEMENT.decode
        return {
            i: decode(body) for i, body in self.bodies_of(DISBURSEMENTS, "disbursement_id", ids)
        }

    def disbursement_statuses(self, ids: set[str]) -> dict[str, DisbursementStatus]:
        found: dict[str, DisbursementStatus] = {}
        for params in in_lists(sorted(ids)):
            rows = self.fast.execute(_statuses_in(len(params)), params)
            found.update((i, DisbursementStatus(status)) for i, status in rows)
        return found

    def disbursements_in_order_made(self, ids: set[str]) -> list[str]:
        made: list[tuple[Any, str]] = []
        for params in in_lists(sorted(ids)):
            rows = self.fast.execute(_made_in(self.fast.dialect.name, len(params)), params)
            made.extend((when or "", i) for i, when in rows)
        return [i for _, i in sorted(made)]

    def import_with_hash(self, content_hash: str) -> str | None:
        query = select(IMPORTS.c.import_id).where(IMPORTS.c.content_hash == content_hash)
        found: str | None = self.s.execute(query).scalar_one_or_none()
        return found

    def statement_file(self, content_hash: str) -> bytes | None:
        query = select(FILES.c.content).where(FILES.c.content_hash == content_hash)
        found: bytes | None = self.s.execute(query).scalar_one_or_none()
        return found

    def put_statement_file(self, content_hash: str, content: bytes) -> None:
        if self.statement_file(content_hash) is None:
            self.s.execute(
                FILES.insert().values(content_hash=content_hash, size=len(content), content=content)
            )

    def provider_mapping(self, provider: str) -> ProviderMapping | None:
        return self.read_row(MAPPINGS, "provider", provider, ProviderMapping)

    def provider_mappings(self) -> list[ProviderMapping]:
        query = select(MAPPINGS.c.body).order_by(MAPPINGS.c.provider)
        return [
            msgspec.json.decode(body, type=ProviderMapping)
            for body in self.s.execute(query).scalars()
        ]

    def put_provider_mapping(self, saved: ProviderMapping) -> None:
        self.write_row(
            MAPPINGS,
            ["provider"],
            provider=saved.provider,
            saved_by=saved.saved_by,
            saved_at=saved.saved_at.isoformat(),
            seq=saved.seq,
            body=_ENCODER.encode(saved),
        )
        self.keep_row(MAPPINGS, saved.provider, saved)
