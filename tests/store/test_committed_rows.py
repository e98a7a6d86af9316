"""A unit of work starts from the rows the last ones of its process left, never from rows
another connection has changed since, and never from what a failed one wrote."""

from __future__ import annotations

from collections.abc import Iterator

import msgspec
import pytest
from sqlalchemy import text

from reintegrate.grants.disbursements import Channel, Disbursement
from reintegrate.grants.packages import Package
from reintegrate.ledger import LimitExceeded
from reintegrate.store import sql_committed
from reintegrate.store.base import EVERYWHERE
from reintegrate.store.sql import SqlStore
from reintegrate.store.sql_committed import Committed
from tests.builders import requested


@pytest.fixture
def elsewhere(one_payment_approved: SqlStore) -> Iterator[SqlStore]:
    """A second store on the same database, as another process would have."""
    other = SqlStore(one_payment_approved.url)
    yield other
    other.engine.dispose()
    other.reader.dispose()


def supplier_paid(store: SqlStore, amount: int) -> Disbursement:
    """A payment asked of pkg-1's in-kind component (2,000.00), which the stages opened on the
    return allow whole: its own remaining amount is the limit that binds."""
    return requested(
        store,
        "pkg-1",
        "c-house",
        amount,
        channel=Channel.SUPPLIER_TRANSFER,
        invoice_ref="INV-1",
    )


def test_a_payment_another_process_requested_since_is_counted_against_the_component(
    one_payment_approved: SqlStore, elsewhere: SqlStore
) -> None:
    here = one_payment_approved
    supplier_paid(here, 1_000_00)  # 1,000.00 left to pay
    supplier_paid(elsewhere, 900_00)  # 100.00 left
    with pytest.raises(LimitExceeded):
        supplier_paid(here, 200_00)


def fail_after_writing(store: SqlStore, changed: Package) -> None:
    with store.unit_of_work() as uow:
        uow.packages.put(changed)
        raise RuntimeError("the command failed after writing")


def test_what_a_failed_unit_of_work_wrote_is_not_what_the_next_one_reads(
    one_payment_approved: SqlStore,
) -> None:
    store = one_payment_approved
    with store.unit_of_work() as uow:
        before = uow.packages.get("pkg-1", EVERYWHERE)
        assert before is not None
        uow.commit()
    with pytest.raises(RuntimeError):
        fail_after_writing(store, msgspec.structs.replace(before, version=before.version + 7))
    with store.unit_of_work() as uow:
        assert uow.packages.get("pkg-1", EVERYWHERE) == before


def test_kept_rows_are_dropped_rather_than_grow_past_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sql_committed, "LIMIT", 10)
    committed = Committed()
    for n in range(25):
        committed.absorb(None, {("packages", f"pkg-{n}"): None}, {}, None)
        assert len(committed.kept) <= 10
    assert ("packages", "pkg-24") in committed.kept


def test_a_payment_recorded_after_the_writer_connection_was_replaced_is_counted(
    one_payment_approved: SqlStore, elsewhere: SqlStore
) -> None:
    here = one_payment_approved
    supplier_paid(here, 1_000_00)  # 1,000.00 left to pay
    here.engine.dispose()  # a new writer connection: its data_version starts afresh
    supplier_paid(elsewhere, 900_00)  # 100.00 left
    with pytest.raises(LimitExceeded):
        supplier_paid(here, 200_00)


def test_a_correction_committed_outside_a_unit_of_work_is_what_the_next_command_reads(
    one_payment_approved: SqlStore,
) -> None:
    store = one_payment_approved
    supplier_paid(store, 1_000_00)  # 1,000.00 left to pay
    with store.engine.begin() as conn:  # on the writer's own connection, as a repair would
        conn.execute(
            text("UPDATE accounts SET balance = 1500 WHERE code = :code"),
            {"code": "component:pkg-1:c-house:remaining"},
        )
    with pytest.raises(LimitExceeded):
        supplier_paid(store, 100_00)


def test_rows_are_forgotten_when_a_commit_is_not_followed_by_keeping_them(
    one_payment_approved: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = one_payment_approved
    if store.engine.dialect.name != "sqlite":
        pytest.skip("rows are kept between units of work on SQLite files only")
    supplier_paid(store, 1_000_00)

    def lost(*_: object) -> None:
        raise MemoryError("after the commit, before the rows were kept")

    with monkeypatch.context() as patch:
        patch.setattr(Committed, "absorb", lost)
        with pytest.raises(MemoryError):
            supplier_paid(store, 100_00)  # committed: 900.00 left
    supplier_paid(store, 800_00)  # 100.00 left: read, not remembered
    with pytest.raises(LimitExceeded):
        supplier_paid(store, 200_00)
