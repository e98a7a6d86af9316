"""The SQL store on SQLite and PostgreSQL: same results as in memory, atomic commands, tampering
found by the audit, and caps that hold under concurrent requests."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import text

from reintegrate.errors import DomainError
from reintegrate.grants.disbursements import Channel, DisbursementStatus, StagedLimitExceeded
from reintegrate.grants.packages import PackageStatus
from reintegrate.journal import Entry
from reintegrate.ledger import LimitExceeded
from reintegrate.money import FxRate
from reintegrate.services import packages as ps
from reintegrate.services import programmes as prog
from reintegrate.services.audit import verify_audit
from reintegrate.services.notes import read_opened
from reintegrate.store.base import EVERYWHERE, Store
from reintegrate.store.memory import MemoryStore
from reintegrate.store.sql import SqlStore
from reintegrate.store.sql_records import SqlRecords
from reintegrate.store.sql_uow import SqlUnitOfWork
from tests.builders import (
    ADMIN,
    APPROVER,
    FINANCE,
    OFFICER,
    RETURNED,
    SOON,
    TREASURER,
    approved_disbursement,
    cash,
    component_balances,
    household,
    in_kind,
    paid,
    programme,
    register,
    requested,
    submitted_package,
)


@pytest.fixture
def store(database_url: str) -> Iterator[SqlStore]:
    """A database with the EU programme, the household c1 and its package pkg-1 submitted."""
    store = SqlStore(database_url)
    store.create_all()
    programme(store)
    register(store, household("c1"))
    submitted_package(
        store,
        "c1",
        cash("c-cash", 615_00),
        in_kind("c-house", 2_000_00),
        in_kind("c-school", 1_000_00, "d1"),
        package_id="pkg-1",
    )
    yield store
    store.engine.dispose()


def happy_path(store: Store) -> None:
    """Approve pkg-1, pay cash partly in XOF, pay the house, fail one payment and reverse one,
    then cancel what is left of the package."""
    prog.record_fx_rate(
        store,
        FINANCE,
        SOON,
        FxRate(base="EUR", quote="XOF", rate="655.957", source="BCEAO", valid_from=RETURNED),
    )
    ps.approve_package(store, APPROVER, SOON, "pkg-1")
    xof = ps.request_disbursement(
        store,
        OFFICER,
        SOON,
        package_id="pkg-1",
        component_id="c-cash",
        amount=131_191,
        currency="XOF",
        channel=Channel.MOBILE_MONEY,
        disbursement_id="d-xof",
    )
    assert xof.programme_amount == 200_00  # 131,191 XOF / 655.957 = 199.99985 EUR
    ps.approve_disbursement(store, FINANCE, SOON, "d-xof")
    ps.confirm_disbursement(store, TREASURER, SOON, "d-xof", "MM-1")
    house = requested(
        store,
        "pkg-1",
        "c-house",
        2_000_00,
        channel=Channel.SUPPLIER_TRANSFER,
        invoice_ref="INV-1",
    )
    ps.approve_disbursement(store, FINANCE, SOON, house.disbursement_id)
    ps.confirm_disbursement(store, TREASURER, SOON, house.disbursement_id)
    failed = approved_disbursement(store, "pkg-1", "c-cash", 100_00)
    ps.fail_disbursement(store, FINANCE, SOON, failed.disbursement_id, "wrong number")
    wrong = paid(store, "pkg-1", "c-cash", 100_00)
    ps.reverse_disbursement(store, FINANCE, SOON, wrong.disbursement_id, "wrong person")
    ps.cancel_package(store, APPROVER, SOON, "pkg-1", "household left")


def caps(store: Store) -> dict[str, tuple[int, int]]:
    found = prog.case_entitlement(store, ADMIN, "c1", RETURNED).caps
    return {c.account: (c.size, c.used) for c in found}


def test_the_happy_path_on_sqlite_gives_the_same_caps_and_balances_as_in_memory(
    store: SqlStore,
) -> None:
    memory = MemoryStore()
    programme(memory)
    register(memory, household("c1"))
    submitted_package(
        memory,
        "c1",
        cash("c-cash", 615_00),
        in_kind("c-house", 2_000_00),
        in_kind("c-school", 1_000_00, "d1"),
        package_id="pkg-1",
    )

    happy_path(store)
    happy_path(memory)

    assert caps(store) == {
        "cap:c1:household": (3_615_00, 2_200_00),
        "cap:c1:cash": (615_00, 200_00),
        "cap:c1:person:p": (2_615_00, 2_200_00),
        "cap:c1:person:d1": (1_000_00, 0),
        "cap:c1:person-cash:p": (615_00, 200_00),
        "cap:c1:person-cash:d1": (0, 0),
    }
    assert component_balances(store, "c-cash") == {"remaining": 0, "pending": 0, "paid": 200_00}
    stored, in_memory = store.snapshot(), memory.snapshot()
    assert stored.balances == in_memory.balances
    assert stored.posting_sums == in_memory.posting_sums
    assert read_opened(store, stored.packages) == read_opened(memory, in_memory.packages)
    assert stored.packages["pkg-1"].status is PackageStatus.CANCELLED
    assert stored.disbursements["d-xof"] == in_memory.disbursements["d-xof"]
    report = verify_audit(store)
    assert report.ok, report
    assert report.entries == len(list(memory.entries()))


def test_a_new_unit_of_work_sees_what_another_store_on_the_same_file_committed(
    store: SqlStore,
) -> None:
    ps.approve_package(store, APPROVER, SOON, "pkg-1")
    other = SqlStore(store.url)

    assert caps(other)["cap:c1:cash"] == (615_00, 615_00)
    assert [e.seq for e in other.entries()] == [e.seq for e in store.entries()]
    other.engine.dispose()


def _raise_on_call(
    monkeypatch: pytest.MonkeyPatch, name: str, call: int
) -> Callable[[], list[int]]:
    """Make `SqlUnitOfWork.<name>` (or `SqlRecords.<name>`, for a record's `put`) raise on
    its `call`-th call; returns the calls seen."""
    owner: type[Any] = SqlRecords if name == "put" else SqlUnitOfWork
    original = getattr(owner, name)
    calls: list[int] = []

    def failing(self: Any, *args: Any) -> Any:
        calls.append(len(calls) + 1)
        if len(calls) == call:
            raise RuntimeError(f"disk on fire in {name}")
        return original(self, *args)

    monkeypatch.setattr(owner, name, failing)
    return lambda: calls


@pytest.mark.parametrize(
    ("method", "call"),
    [
        # approval records two events: the entitlement grant, then the approval
        ("put", 1),  # the package, after the grant's entry and both transactions were written
        ("append_entries", 1),  # both entries and their postings, after the balances
        ("write_balances", 2),  # at commit, after the entries and postings were written
        ("commit", 1),  # after everything was written but before it was kept
    ],
)
def test_a_command_that_fails_halfway_leaves_journal_ledger_and_tables_unchanged(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch, method: str, call: int
) -> None:
    before, journal = store.snapshot(), list(store.entries())
    calls = _raise_on_call(monkeypatch, method, call)

    with pytest.raises(RuntimeError, match="disk on fire"):
        ps.approve_package(store, APPROVER, SOON, "pkg-1")

    assert calls() == list(range(1, call + 1))
    assert store.snapshot() == before
    assert list(store.entries()) == journal
    monkeypatch.undo()
    assert ps.approve_package(store, APPROVER, SOON, "pkg-1").status is PackageStatus.APPROVED
    report = verify_audit(store)
    assert report.ok, report


def test_a_refused_command_writes_nothing(store: SqlStore) -> None:
    ps.approve_package(store, APPROVER, SOON, "pkg-1")
    before, journal = store.snapshot(), list(store.entries())

    with pytest.raises(LimitExceeded):  # the ledger refuses: the component has 2,000.00
        requested(
            store,
            "pkg-1",
            "c-house",
            2_100_00,
            channel=Channel.SUPPLIER_TRANSFER,
            invoice_ref="INV-1",
        )

    assert store.snapshot() == before
    assert list(store.entries()) == journal


def _entry_of(store: SqlStore, kind: str) -> Entry:
    return next(e for e in store.entries() if type(e.event).__name__ == kind)


def _rewrite_body(store: SqlStore, seq: int, **changes: object) -> None:
    """Change fields of the event stored at `seq`, as someone with database access could."""
    with store.engine.begin() as conn:
        body = conn.execute(text("SELECT body FROM journal WHERE seq = :seq"), {"seq": seq})
        event = json.loads(body.scalar_one()) | changes
        forged = json.dumps(event, sort_keys=True, separators=(",", ":")).encode()
        conn.execute(
            text("UPDATE journal SET body = :body WHERE seq = :seq"), {"body": forged, "seq": seq}
        )


def test_a_journal_row_changed_in_the_database_is_reported_at_its_seq(store: SqlStore) -> None:
    ps.approve_package(store, APPROVER, SOON, "pkg-1")
    approved_disbursement(store, "pkg-1", "c-cash", 300_00)
    seq = _entry_of(store, "DisbursementRequested").seq
    assert seq < len(list(store.entries()))  # not the last entry: later ones still verify

    _rewrite_body(store, seq, amount=30_00, programme_amount=30_00)
    report = verify_audit(store)

    assert not report.ok
    broken = report.chain_break
    assert broken is not None
    assert (broken.seq, broken.field) == (seq, "hash")
    assert str(broken.problem) == "hash does not match the entry's content"
    assert broken.found == _entry_of(store, "DisbursementRequested").hash
    pending = next(d for d in report.differences if d.key == "component:pkg-1:c-cash:pending")
    assert (pending.record, pending.last_seq) == ("balances", seq)
    assert str(pending.describe()) == (
        f"balances[component:pkg-1:c-cash:pending] (last written by seq {seq}): "
        "stored 30000, replayed 3000"
    )


def test_a_forged_journal_row_that_breaks_a_limit_on_replay_is_reported_not_raised(
    store: SqlStore,
) -> None:
    ps.approve_package(store, APPROVER, SOON, "pkg-1")
    requested(store, "pkg-1", "c-cash", 100_00)
    seq = _entry_of(store, "DisbursementRequested").seq

    _rewrite_body(store, seq, amount=900_00, programme_amount=900_00)
    report = verify_audit(store)

    assert report.chain_break is not None
    assert (report.chain_break.seq, report.chain_break.field) == (seq, "hash")
    assert report.replay_stopped is not None
    assert report.replay_stopped.seq == seq
    assert str(report.replay_stopped.problem).startswith("amount left to pay on component c-cash")


def test_an_account_balance_changed_in_the_database_is_reported(store: SqlStore) -> None:
    ps.approve_package(store, APPROVER, SOON, "pkg-1")
    with store.engine.begin() as conn:
        conn.execute(
            text("UPDATE accounts SET balance = balance + 50000 WHERE code = 'cap:c1:cash'")
        )

    report = verify_audit(store)
    approved = _entry_of(store, "PackageApproved").seq

    assert not report.ok
    assert report.chain_break is None
    assert tuple(map(str, report.ledger_problems)) == (
        "cap:c1:cash: balance 50000 but postings sum to 0",
        "EUR balances sum to 50000",
    )
    assert [str(d.describe()) for d in report.differences] == [
        f"balances[cap:c1:cash] (last written by seq {approved}): stored 50000, replayed 0"
    ]


THREADS = 8
REQUESTS_EACH = 4
ASK = 25_00


def test_concurrent_requests_from_separate_stores_never_push_a_component_over_its_limit(
    store: SqlStore,
) -> None:
    ps.approve_package(store, APPROVER, SOON, "pkg-1")
    start = threading.Barrier(THREADS)
    accepted: list[str] = []
    refused: list[DomainError] = []
    crashed: list[BaseException] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        own = SqlStore(store.url)
        try:
            start.wait()
            for i in range(REQUESTS_EACH):
                try:
                    d = ps.request_disbursement(
                        own,
                        OFFICER,
                        SOON,
                        package_id="pkg-1",
                        component_id="c-cash",
                        amount=ASK,
                        currency="EUR",
                        channel=Channel.MOBILE_MONEY,
                        disbursement_id=f"d-{n}-{i}",
                    )
                except (LimitExceeded, StagedLimitExceeded) as exc:
                    with lock:
                        refused.append(exc)
                else:
                    with lock:
                        accepted.append(d.disbursement_id)
        except BaseException as exc:
            with lock:
                crashed.append(exc)
        finally:
            own.engine.dispose()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert crashed == []
    assert len(accepted) + len(refused) == THREADS * REQUESTS_EACH
    assert len(accepted) == 615_00 // ASK  # no lost update lets a 25th request through
    parts = component_balances(store, "c-cash")
    assert parts["pending"] + parts["paid"] == len(accepted) * ASK <= 615_00
    assert parts["remaining"] + parts["pending"] + parts["paid"] == 615_00
    snapshot = store.snapshot()
    assert sorted(snapshot.disbursements) == sorted(accepted)
    assert all(d.status is DisbursementStatus.REQUESTED for d in snapshot.disbursements.values())
    assert snapshot.balances == {
        code: snapshot.posting_sums.get(code, 0) for code in snapshot.balances
    }
    report = verify_audit(store)
    assert report.ok, report


def test_a_reading_unit_of_work_holds_no_lock_while_a_command_runs(
    store: SqlStore,
) -> None:
    with store.reading() as reader:
        before = reader.packages.get("pkg-1", EVERYWHERE)
        ps.approve_package(store, APPROVER, SOON, "pkg-1")  # a writer does not wait for it

        assert before is not None
        assert before.status is PackageStatus.SUBMITTED
    with store.reading() as reader:
        after = reader.packages.get("pkg-1", EVERYWHERE)
        assert after is not None
        assert after.status is PackageStatus.APPROVED
