"""A large journal's audit has its chain followed, and its balances compared with their
postings, by other processes while it replays: whatever the store holds, it reports exactly
what an audit done in one process reports. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from reintegrate.grants.disbursements import Channel
from reintegrate.services import audit
from reintegrate.services import packages as ps
from reintegrate.services.audit import AuditReport, verify_audit
from reintegrate.services.audit_chain import ChainCheck
from reintegrate.store.sql import SqlStore
from reintegrate.store.sql_sums import DriftApart, read_drift
from tests.builders import (
    OFFICER,
    SOON,
)

FORGED = "f" * 64
TAMPERING = {
    "nothing": [],
    "an actor changed": ["UPDATE journal SET actor = 'someone-else' WHERE seq = 4"],
    "an entry deleted": ["DELETE FROM journal WHERE seq = 5"],
    "a hash forged": [f"UPDATE journal SET hash = '{FORGED}' WHERE seq = 4"],
    "an event unreadable": ["""UPDATE journal SET body = '{"type":"Unknown"}' WHERE seq = 3"""],
    "a time unreadable": ["UPDATE journal SET at = 'yesterday' WHERE seq = 6"],
    "a time unreadable after a break": [
        "UPDATE journal SET actor = 'someone-else' WHERE seq = 2",
        "UPDATE journal SET at = 'yesterday' WHERE seq = 6",
    ],
    "a balance changed": ["UPDATE accounts SET balance = balance + 1 WHERE code = 'cap:c1:cash'"],
    "a posting added": [
        "INSERT INTO postings (seq, account, amount, currency) "
        "VALUES (999999, 'cap:c1:cash', 5, 'EUR')"
    ],
}


@pytest.fixture
def store(one_payment_approved: SqlStore) -> SqlStore:
    return one_payment_approved


def reports(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> tuple[AuditReport, AuditReport]:
    """The audit done in one process, then with the work apart."""
    monkeypatch.setattr(audit, "APART_FROM", 10**9)
    here = verify_audit(store)
    monkeypatch.setattr(audit, "APART_FROM", 0)
    return here, verify_audit(store)


@pytest.mark.parametrize("statements", TAMPERING.values(), ids=TAMPERING.keys())
def test_an_audit_done_apart_reports_what_one_done_in_one_process_does(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch, statements: list[str]
) -> None:
    with store.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))

    here, apart = reports(store, monkeypatch)

    assert apart == here
    assert here.ok is (not statements)


def test_a_chain_followed_apart_breaks_where_it_breaks_here(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(f"UPDATE journal SET hash = '{FORGED}' WHERE seq = 4"))

    _, apart = reports(store, monkeypatch)

    assert apart.chain_break is not None
    assert (apart.chain_break.seq, apart.chain_break.field, apart.chain_break.found) == (
        4,
        "hash",
        FORGED,
    )


def test_rows_that_cannot_be_made_entries_end_a_chain_followed_apart() -> None:
    chain = ChainCheck()

    assert chain.follow([(1, "yesterday", "a", b"{}", "0" * 64, "0" * 64)]) is False
    assert chain.first_break() is None


REMAINING = "component:pkg-1:c-house:remaining"
"""An account the payment requested below moves: tampered with, it is off its postings by
the same amount before and after, at other figures."""


def balance_tampered(store: SqlStore) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(f"UPDATE accounts SET balance = balance + 1 WHERE code = '{REMAINING}'"))


def request_a_payment(store: SqlStore) -> None:
    ps.request_disbursement(
        SqlStore(store.url),
        OFFICER,
        SOON,
        package_id="pkg-1",
        component_id="c-house",
        amount=50_00,
        currency="EUR",
        channel=Channel.SUPPLIER_TRANSFER,
        invoice_ref="INV-9",
    )


def test_balances_compared_apart_are_those_of_the_audits_moment_whatever_commits_meanwhile(
    store: SqlStore,
) -> None:
    balance_tampered(store)
    with store.consistent_read() as view:
        expected = read_drift(view.conn)
        view.read_ahead()
        request_a_payment(store)
        assert view.drifted_balances() == expected
    assert set(expected) == {REMAINING}
    with store.consistent_read() as later:
        assert later.drifted_balances() != expected


def test_balances_compared_apart_after_the_journal_moved_on_are_not_taken(
    store: SqlStore,
) -> None:
    balance_tampered(store)
    with store.consistent_read() as view:
        last, expected = view.last_seq(), read_drift(view.conn)
        request_a_payment(store)
        found = DriftApart(view.conn, last).result()

    assert found == (expected if store.locking else None)  # PostgreSQL: the audit's snapshot
