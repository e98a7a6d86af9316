"""What a command writes again is written in place: a record it has read is updated by key,
its body and the columns that changed; stamps keep when the row was made; and payments
are found in the order they were made, for a command that writes many to write them
together."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest
from sqlalchemy import text

from reintegrate.grants.disbursements import DisbursementStatus
from reintegrate.services import packages as ps
from reintegrate.store.base import EVERYWHERE, Store
from reintegrate.store.memory import MemoryStore
from reintegrate.store.sql import SqlStore
from reintegrate.store.sql_stamps import stamp
from tests.builders import (
    APPROVER,
    SOON,
    TREASURER,
    approved_disbursement,
    cash,
    household,
    programme,
    register,
    submitted_package,
)


def payments_made_one_after_another(store: Store) -> list[str]:
    """Three payments on pkg-1, an hour apart; their ids, first made first."""
    made = []
    for hour, amount in enumerate((30_00, 10_00, 20_00)):
        when = SOON + dt.timedelta(hours=hour)
        made.append(approved_disbursement(store, "pkg-1", "c-cash", amount, when=when))
    return [d.disbursement_id for d in made]


def memory_store() -> MemoryStore:
    store = MemoryStore()
    programme(store)
    register(store, household("c1"))
    submitted_package(store, "c1", cash("c-cash", 615_00), package_id="pkg-1")
    ps.approve_package(store, APPROVER, SOON, "pkg-1")
    return store


@pytest.mark.parametrize("kind", ["memory", "sql"])
def test_payments_come_in_the_order_they_were_made_whatever_order_they_are_asked_in(
    one_payment_approved: SqlStore, kind: str
) -> None:
    store: Store = one_payment_approved if kind == "sql" else memory_store()
    made = payments_made_one_after_another(store)
    with store.reading() as uow:
        found = uow.disbursements_in_order_made({*sorted(made, reverse=True), "dsb_unknown"})
    assert found == made


def test_a_payment_written_again_changes_its_status_and_body_and_keeps_its_other_columns(
    one_payment_approved: SqlStore,
) -> None:
    store = one_payment_approved
    (payment,) = payments_made_one_after_another(store)[:1]
    later = SOON + dt.timedelta(days=1)
    paid = ps.confirm_disbursement(store, TREASURER, later, payment, "provider-ref")
    with store.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT status, package_id, office, programme_id, channel, body "
                "FROM disbursements WHERE disbursement_id = :d"
            ),
            {"d": payment},
        ).one()
    assert row.status == DisbursementStatus.PAID.value
    assert (row.package_id, row.office, row.channel) == ("pkg-1", paid.office, paid.channel.value)
    assert msgspec.json.decode(bytes(row.body)) == msgspec.to_builtins(paid)


def test_a_record_read_then_gone_is_not_written_as_if_it_were_there(
    one_payment_approved: SqlStore,
) -> None:
    store = one_payment_approved
    (payment,) = payments_made_one_after_another(store)[:1]
    with store.unit_of_work() as uow:
        found = uow.disbursements.get(payment, EVERYWHERE)
        assert found is not None
        uow.s.execute(text("DELETE FROM disbursements WHERE disbursement_id = :d"), {"d": payment})
        uow.disbursements.put(msgspec.structs.replace(found, status=DisbursementStatus.PAID))
        with pytest.raises(LookupError, match="1 rows to update by key, 0 found"):
            uow.commit()


def test_a_row_written_again_keeps_when_it_was_made_and_a_row_never_stamped_gets_both(
    one_payment_approved: SqlStore,
) -> None:
    store = one_payment_approved
    first, never_stamped, _ = payments_made_one_after_another(store)
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE disbursements SET created_at = NULL, updated_at = NULL "
                "WHERE disbursement_id = :d"
            ),
            {"d": never_stamped},
        )
    later = SOON + dt.timedelta(days=2)
    for payment in (first, never_stamped):
        ps.confirm_disbursement(store, TREASURER, later, payment, "provider-ref")
    with store.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT disbursement_id, created_at, updated_at FROM disbursements")
        )
        stamps = {d: (made, updated) for d, made, updated in rows}
    assert stamps[first] == (stamp(SOON), stamp(later))
    assert stamps[never_stamped] == (stamp(later), stamp(later))
