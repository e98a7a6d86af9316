"""Records of one kind in the SQL store: one row per record, its body the record as JSON
beside the columns it is found by (programme, office, status...).

Each kind's shape (`SHAPES`) names its table, its key column, those columns, and what else
a write keeps in step (a batch's items, a project's counted shares). Reads and writes go
through the unit of work's `read_row`, `write_row` and `keep_row`, so a record read twice is read
once, an If-Match is checked on the first read, and a one-case unit of work refuses them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, Generic, TypeVar

import msgspec
from sqlalchemy import Table

from reintegrate.access import EVERYWHERE, Scope
from reintegrate.business.plans import BusinessPlan
from reintegrate.community.projects import CommunityProject
from reintegrate.grants.disbursements import Disbursement
from reintegrate.grants.packages import Package
from reintegrate.reconcile.batches.batch import PaymentBatch
from reintegrate.reconcile.receipts.rounds import VerificationRound
from reintegrate.reconcile.statements.imports import StatementImport
from reintegrate.store import records as r
from reintegrate.store import tables as t
from reintegrate.store.sql_business import RowPrimitives
from reintegrate.store.sql_community import keep_shares
from reintegrate.store.sql_reconcile import keep_batch_items
from reintegrate.store.sql_verification import keep_round_offices

T = TypeVar("T")
_ENCODER = msgspec.json.Encoder(order="sorted")


def table(row: type[Any]) -> Table:
    found: Table = row.__table__
    return found


class Shape(Generic[T]):
    """How records of one kind sit in their table."""

    def __init__(
        self,
        row: type[Any],
        key: str,
        columns: Callable[[T], dict[str, Any]],
        then: Callable[[RowPrimitives, T | None, T], None] | None = None,
    ) -> None:
        self.table, self.key, self.columns, self.then = table(row), key, columns, then
        """`then(uow, before, record)`: what else a write keeps in step with the record."""


class SqlRecords(Generic[T]):
    """`kind`'s records, read and written by the unit of work `uow`."""

    def __init__(self, uow: RowPrimitives, kind: r.RecordKind[T], shape: Shape[T]) -> None:
        self.uow, self.kind, self.shape = uow, kind, shape

    def get(self, key: str, scope: Scope = EVERYWHERE) -> T | None:
        found = self.uow.read_row(self.shape.table, self.shape.key, key, self.kind.type_)
        return found if found is not None and self.kind.visible(found, scope) else None

    def get_many(self, keys: Collection[str], scope: Scope = EVERYWHERE) -> dict[str, T]:
        found = self.uow.read_rows(self.shape.table, self.shape.key, keys, self.kind.type_)
        visible = self.kind.visible
        return {key: record for key, record in found.items() if visible(record, scope)}

    def put(self, record: T) -> None:
        """Write `record`: a record this unit of work has met (read or written) by an UPDATE
        of its body and of the columns that changed, any other by an upsert."""
        shape, key = self.shape, self.kind.key(record)
        met, kept = self.uow.kept_row(shape.table, key)
        before = self.get(key) if shape.then is not None else None
        columns = shape.columns(record)
        body = _ENCODER.encode(record)
        if met and kept is not None:
            was = shape.columns(kept)
            changed = {c: v for c, v in columns.items() if was[c] != v}
            self.uow.update_row(shape.table, shape.key, key, **changed, body=body)
        else:
            self.uow.write_row(shape.table, [shape.key], **{shape.key: key}, **columns, body=body)
        self.uow.keep_row(shape.table, key, record)
        if shape.then is not None:
            shape.then(self.uow, before, record)


def _in_office(record: Any) -> dict[str, str]:
    return {
        "programme_id": record.programme_id,
        "office": record.office,
        "status": record.status.value,
    }


PACKAGE_ROWS: Shape[Package] = Shape(
    t.PackageRow,
    "package_id",
    lambda p: {
        "case_id": p.case_id,
        "office": p.office,
        "status": p.status.value,
        "programme_id": p.programme_id,
    },
)
DISBURSEMENT_ROWS: Shape[Disbursement] = Shape(
    t.DisbursementRow,
    "disbursement_id",
    lambda d: {
        "package_id": d.package_id,
        "project_id": d.project_id,
        "office": d.office,
        "status": d.status.value,
        "programme_id": d.programme_id,
        "channel": d.channel.value,
    },
)
PLAN_ROWS: Shape[BusinessPlan] = Shape(t.BusinessPlanRow, "plan_id", _in_office)
PROJECT_ROWS: Shape[CommunityProject] = Shape(
    t.CommunityProjectRow, "project_id", _in_office, then=keep_shares
)
BATCH_ROWS: Shape[PaymentBatch] = Shape(
    t.PaymentBatchRow,
    "batch_id",
    lambda b: {
        "programme_id": b.programme_id,
        "status": b.status.value,
        "channel": b.provider.value,
    },
    then=keep_batch_items,
)
IMPORT_ROWS: Shape[StatementImport] = Shape(
    t.StatementImportRow,
    "import_id",
    lambda i: {"programme_id": i.programme_id, "content_hash": i.content_hash},
)
ROUND_ROWS: Shape[VerificationRound] = Shape(
    t.VerificationRoundRow,
    "round_id",
    lambda v: {"programme_id": v.programme_id, "every_office": v.offices is None},
    then=keep_round_offices,
)


class RecordRows(RowPrimitives):
    """The records a SQL unit of work keeps whole (`store.records`): mixed into it."""

    def open_records(self) -> None:
        self.packages = SqlRecords(self, r.PACKAGES, PACKAGE_ROWS)
        self.disbursements = SqlRecords(self, r.DISBURSEMENTS, DISBURSEMENT_ROWS)
        self.plans = SqlRecords(self, r.PLANS, PLAN_ROWS)
        self.projects = SqlRecords(self, r.PROJECTS, PROJECT_ROWS)
        self.batches = SqlRecords(self, r.BATCHES, BATCH_ROWS)
        self.imports = SqlRecords(self, r.IMPORTS, IMPORT_ROWS)
        self.rounds = SqlRecords(self, r.ROUNDS, ROUND_ROWS)
