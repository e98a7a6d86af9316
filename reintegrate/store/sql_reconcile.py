"""Payment batches, statement imports, statement files and providers' saved mappings in the
SQL store (mixed into the SQL unit of work). The `batch_items` primary key keeps a payment in
one live batch."""

from __future__ import annotations

import msgspec
from sqlalchemy import Table, select

from reintegrate.grants.disbursements import Disbursement, DisbursementStatus
from reintegrate.reconcile.batches.batch import BatchStatus, PaymentBatch
from reintegrate.reconcile.statements.imports import StatementImport
from reintegrate.reconcile.statements.provider_mappings import ProviderMapping
from reintegrate.store import tables as t
from reintegrate.store.sql_business import RowPrimitives

BATCHES: Table = t.PaymentBatchRow.__table__  # type: ignore[attr-defined]
ITEMS: Table = t.BatchItemRow.__table__  # type: ignore[attr-defined]
IMPORTS: Table = t.StatementImportRow.__table__  # type: ignore[attr-defined]
FILES: Table = t.StatementFileRow.__table__  # type: ignore[attr-defined]
MAPPINGS: Table = t.ProviderMappingRow.__table__  # type: ignore[attr-defined]
DISBURSEMENTS: Table = t.DisbursementRow.__table__  # type: ignore[attr-defined]
_ENCODER = msgspec.json.Encoder(order="sorted")
_CHUNK = 900
"""Ids per IN (...) query: under SQLite's default limit on bound parameters."""


class ReconcileRows(RowPrimitives):
    """What the SQL unit of work offers for reconciliation."""

    def batch(self, batch_id: str) -> PaymentBatch | None:
        return self._one(BATCHES, "batch_id", batch_id, PaymentBatch)

    def put_batch(self, batch: PaymentBatch) -> None:
        before = self._one(BATCHES, "batch_id", batch.batch_id, PaymentBatch)
        self._upsert(
            BATCHES,
            ["batch_id"],
            batch_id=batch.batch_id,
            programme_id=batch.programme_id,
            status=batch.status.value,
            body=_ENCODER.encode(batch),
        )
        self._keep(BATCHES, batch.batch_id, batch)
        if before is None:
            rows = [
                {
                    "disbursement_id": i.disbursement_id,
                    "batch_id": batch.batch_id,
                    "programme_id": batch.programme_id,
                }
                for i in batch.items
            ]
            self.s.execute(ITEMS.insert(), rows)
        elif batch.status is BatchStatus.CANCELLED:
            self.s.execute(ITEMS.delete().where(ITEMS.c.batch_id == batch.batch_id))

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

    def approved_disbursements(self, programme_id: str) -> list[Disbursement]:
        query = select(DISBURSEMENTS.c.body).where(
            DISBURSEMENTS.c.status == DisbursementStatus.APPROVED.value
        )
        found = (msgspec.json.decode(b, type=Disbursement) for b in self.s.execute(query).scalars())
        return [d for d in found if d.programme_id == programme_id]

    def disbursements_by_id(self, ids: set[str]) -> dict[str, Disbursement]:
        wanted = sorted(ids)
        found: dict[str, Disbursement] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            query = select(DISBURSEMENTS.c.body).where(DISBURSEMENTS.c.disbursement_id.in_(chunk))
            for body in self.s.execute(query).scalars():
                d = msgspec.json.decode(body, type=Disbursement)
                found[d.disbursement_id] = d
        return found

    def statement_import(self, import_id: str) -> StatementImport | None:
        return self._one(IMPORTS, "import_id", import_id, StatementImport)

    def import_with_hash(self, content_hash: str) -> str | None:
        query = select(IMPORTS.c.import_id).where(IMPORTS.c.content_hash == content_hash)
        found: str | None = self.s.execute(query).scalar_one_or_none()
        return found

    def put_import(self, imported: StatementImport) -> None:
        self._upsert(
            IMPORTS,
            ["import_id"],
            import_id=imported.import_id,
            programme_id=imported.programme_id,
            content_hash=imported.content_hash,
            body=_ENCODER.encode(imported),
        )
        self._keep(IMPORTS, imported.import_id, imported)

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
        return self._one(MAPPINGS, "provider", provider, ProviderMapping)

    def provider_mappings(self) -> list[ProviderMapping]:
        query = select(MAPPINGS.c.body).order_by(MAPPINGS.c.provider)
        return [
            msgspec.json.decode(body, type=ProviderMapping)
            for body in self.s.execute(query).scalars()
        ]

    def put_provider_mapping(self, saved: ProviderMapping) -> None:
        self._upsert(
            MAPPINGS,
            ["provider"],
            provider=saved.provider,
            saved_by=saved.saved_by,
            saved_at=saved.saved_at.isoformat(),
            seq=saved.seq,
            body=_ENCODER.encode(saved),
        )
        self._keep(MAPPINGS, saved.provider, saved)
