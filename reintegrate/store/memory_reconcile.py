"""Payment batches, statement imports, statement files and providers' saved mappings in the
in-memory store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reintegrate.grants.disbursements import Channel, Disbursement, DisbursementStatus
from reintegrate.reconcile.batches.batch import BatchStatus, PaymentBatch
from reintegrate.reconcile.statements.provider_mappings import ProviderMapping

if TYPE_CHECKING:
    from reintegrate.store.memory_state import MemoryState


class ReconcileState:
    """What the in-memory unit of work offers for reconciliation; `state` is its `MemoryState`."""

    state: MemoryState

    def batches_of(self, programme_id: str) -> list[PaymentBatch]:
        return sorted(
            (b for b in self.state.batches.values() if b.programme_id == programme_id),
            key=lambda b: b.batch_id,
        )

    def batched(self, programme_id: str) -> set[str]:
        return {
            item.disbursement_id
            for b in self.batches_of(programme_id)
            if b.status is not BatchStatus.CANCELLED
            for item in b.items
        }

    def approved_disbursements(
        self, programme_id: str, channel: Channel | None = None
    ) -> list[Disbursement]:
        return [
            d
            for d in self.state.disbursements.values()
            if d.programme_id == programme_id
            and d.status is DisbursementStatus.APPROVED
            and channel in (None, d.channel)
        ]

    def disbursements_by_id(self, ids: set[str]) -> dict[str, Disbursement]:
        return {i: self.state.disbursements[i] for i in ids if i in self.state.disbursements}

    def disbursement_statuses(self, ids: set[str]) -> dict[str, DisbursementStatus]:
        return {i: d.status for i, d in self.disbursements_by_id(ids).items()}

    def disbursements_in_order_made(self, ids: set[str]) -> list[str]:
        return [i for i in self.state.disbursements if i in ids]  # kept in the order made

    def import_with_hash(self, content_hash: str) -> str | None:
        return next(
            (i.import_id for i in self.state.imports.values() if i.content_hash == content_hash),
            None,
        )

    def statement_file(self, content_hash: str) -> bytes | None:
        return self.state.statement_files.get(content_hash)

    def put_statement_file(self, content_hash: str, content: bytes) -> None:
        self.state.statement_files[content_hash] = content

    def provider_mapping(self, provider: str) -> ProviderMapping | None:
        return self.state.provider_mappings.get(provider)

    def provider_mappings(self) -> list[ProviderMapping]:
        return [self.state.provider_mappings[p] for p in sorted(self.state.provider_mappings)]

    def put_provider_mapping(self, saved: ProviderMapping) -> None:
        self.state.provider_mappings[saved.provider] = saved
