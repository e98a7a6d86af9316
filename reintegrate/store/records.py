"""Projections kept whole, one record per id, behind one interface: `uow.packages`,
`uow.disbursements`, `uow.plans`, `uow.projects`, `uow.batches`, `uow.imports`, `uow.rounds`.

A kind of record (`RecordKind`) says what the record is, what names it, who may see it and
where the memory store keeps it. Each store reads and writes every kind the same way
(`store.memory_records`, `store.sql_records`), so a new kind of record is one `RecordKind`
here, its table (`store.tables`, with a migration), and its shape in `store.sql_records`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Generic, Protocol, TypeVar

from reintegrate.access import EVERYWHERE, Scope
from reintegrate.business.plans import BusinessPlan
from reintegrate.community.projects import CommunityProject
from reintegrate.grants.disbursements import Disbursement
from reintegrate.grants.packages import Package
from reintegrate.reconcile.batches.batch import PaymentBatch
from reintegrate.reconcile.receipts.rounds import VerificationRound, visible_to
from reintegrate.reconcile.statements.imports import StatementImport

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Lookup(Protocol[T_co]):
    """Records of one kind, read by id."""

    def get(self, key: str, scope: Scope = EVERYWHERE) -> T_co | None:
        """The record named `key`, if there is one and `scope` may see it."""
        ...


class Records(Protocol[T]):
    """Records of one kind, in a unit of work: read by id, and written whole."""

    def get(self, key: str, scope: Scope = EVERYWHERE) -> T | None:
        """The record named `key`, if there is one and `scope` may see it."""
        ...

    def get_many(self, keys: Collection[str], scope: Scope = EVERYWHERE) -> dict[str, T]:
        """`get` of each of `keys`, by key: those there are that `scope` may see. A store may
        read them at once (a chunk of a reconciliation's payments)."""
        ...

    def put(self, record: T) -> None:
        """Keep `record`, replacing the one of the same id."""
        ...


class _InAnOffice(Protocol):
    @property
    def office(self) -> str: ...


def in_office(record: _InAnOffice, scope: Scope) -> bool:
    return scope.allows(record.office)


def programme_wide(_record: object, _scope: Scope) -> bool:
    """Seen by whoever may read the programme's reconciliation (its routes say who)."""
    return True


class RecordKind(Generic[T]):
    """One kind of record: its type, the id it is kept under, who may see one, and the
    memory store's collection of it (a `MemoryState` field)."""

    def __init__(
        self,
        *,
        collection: str,
        type_: type[T],
        key: Callable[[T], str],
        visible: Callable[[T, Scope], bool],
    ) -> None:
        self.collection, self.type_, self.key, self.visible = collection, type_, key, visible


PACKAGES: RecordKind[Package] = RecordKind(
    collection="packages", type_=Package, key=lambda p: p.package_id, visible=in_office
)
DISBURSEMENTS: RecordKind[Disbursement] = RecordKind(
    collection="disbursements",
    type_=Disbursement,
    key=lambda d: d.disbursement_id,
    visible=in_office,
)
PLANS: RecordKind[BusinessPlan] = RecordKind(
    collection="plans", type_=BusinessPlan, key=lambda p: p.plan_id, visible=in_office
)
PROJECTS: RecordKind[CommunityProject] = RecordKind(
    collection="projects",
    type_=CommunityProject,
    key=lambda p: p.project_id,
    visible=in_office,
)
BATCHES: RecordKind[PaymentBatch] = RecordKind(
    collection="batches", type_=PaymentBatch, key=lambda b: b.batch_id, visible=programme_wide
)
IMPORTS: RecordKind[StatementImport] = RecordKind(
    collection="imports",
    type_=StatementImport,
    key=lambda i: i.import_id,
    visible=programme_wide,
)
ROUNDS: RecordKind[VerificationRound] = RecordKind(
    collection="verification_rounds",
    type_=VerificationRound,
    key=lambda r: r.round_id,
    visible=visible_to,
)
