"""A chunk of payments is read at once (`uow.disbursements.get_many`): what reading them one
by one gives, with the version a client expected checked, and none of them read again in
that unit of work."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from reintegrate.grants.disbursements import DisbursementStatus
from reintegrate.services import packages as ps
from reintegrate.store import fast_sql
from reintegrate.store.base import EVERYWHERE, Scope, Store
from reintegrate.store.expected import VersionChanged, expecting
from reintegrate.store.fast_sql import in_lists
from reintegrate.store.memory import MemoryStore
from reintegrate.store.sql import SqlStore
from tests.builders import (
    APPROVER,
    PROGRAMME,
    SOON,
    approved_disbursement,
    cash,
    household,
    programme,
    register,
    submitted_package,
)


def test_ids_are_asked_in_lists_of_a_power_of_two_padded_with_the_last_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fast_sql, "IN_CHUNK", 4)
    asked = [list(params.values()) for params in in_lists(["a", "b", "c", "d", "e", "f", "g"])]
    assert asked == [["a", "b", "c", "d"], ["e", "f", "g", "g"]]
    assert list(in_lists(["a"])) == [{"k0": "a"}]


def payment_ids(store: Store) -> list[str]:
    """pkg-1's three approved payments."""
    for amount in (100_00, 20_00, 30_00):
        approved_disbursement(store, "pkg-1", "c-cash", amount)
    with store.reading() as uow:
        approved = uow.disbursements_in(PROGRAMME, DisbursementStatus.APPROVED, EVERYWHERE)
    return sorted(d.disbursement_id for d in approved)


@pytest.mark.parametrize("kind", ["memory", "sql"])
def test_payments_read_at_once_are_those_read_one_by_one_and_unknown_ids_are_absent(
    one_payment_approved: SqlStore, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store: Store = one_payment_approved if kind == "sql" else MemoryStore()
    if kind == "memory":
        programme(store)
        register(store, household("c1"))
        submitted_package(store, "c1", cash("c-cash", 615_00), package_id="pkg-1")
        ps.approve_package(store, APPROVER, SOON, "pkg-1")
    ids = [*payment_ids(store), "dsb-none"]
    with store.reading() as uow:
        one_by_one = {i: d for i in ids if (d := uow.disbursements.get(i)) is not None}
    monkeypatch.setattr(fast_sql, "IN_CHUNK", 2)  # asked in two lists
    with store.reading() as uow:
        at_once = uow.disbursements.get_many(ids)
        elsewhere = uow.disbursements.get_many(ids, Scope(offices=frozenset({"nowhere"})))
    assert at_once == one_by_one
    assert sorted(at_once) == ids[:-1]
    assert elsewhere == {}


def test_a_payment_read_at_once_is_checked_against_the_version_the_client_saw(
    one_payment_approved: SqlStore,
) -> None:
    store = one_payment_approved
    ids = payment_ids(store)
    with store.reading() as uow:
        seen = uow.disbursements.get(ids[0])
    assert seen is not None
    with (
        expecting("disbursement", ids[0], seen.version + 1),
        store.reading() as uow,
        pytest.raises(VersionChanged),
    ):
        uow.disbursements.get_many(ids)


def test_payments_read_at_once_are_not_read_again_and_one_written_is_read_as_written(
    one_payment_approved: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = one_payment_approved
    ids = payment_ids(store)
    statements: list[Any] = []
    with store.unit_of_work() as uow:
        before = uow.disbursements.get(ids[0])
        assert before is not None
        changed = msgspec.structs.replace(before, provider_ref="moved")
        uow.disbursements.put(changed)
        read = uow.disbursements.get_many(ids)
        run = uow.fast.execute

        def counted(*given: Any) -> Any:
            statements.append(given)
            return run(*given)

        monkeypatch.setattr(uow.fast, "execute", counted)
        again = [uow.disbursements.get(i) for i in ids]
    assert read[ids[0]] == changed
    assert again == [read[i] for i in ids]
    assert statements == []


def test_the_statuses_of_payments_are_those_of_the_payments_read_whole(
    one_payment_approved: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = one_payment_approved
    ids = payment_ids(store)
    with store.unit_of_work() as uow:
        before = uow.disbursements.get(ids[0])
        assert before is not None
        uow.disbursements.put(msgspec.structs.replace(before, status=DisbursementStatus.PAID))
        uow.commit()
    monkeypatch.setattr(fast_sql, "IN_CHUNK", 2)  # asked in two lists
    with store.reading() as uow:
        statuses = uow.disbursement_statuses({*ids, "dsb-none"})
        whole = uow.disbursements_by_id({*ids, "dsb-none"})
    assert statuses == {i: d.status for i, d in whole.items()}
    assert sorted(statuses) == ids
    assert statuses[ids[0]] is DisbursementStatus.PAID
