"""What the audit reports, and where: the first broken link with what was expected and found,
the seq where replay stopped, and each record that differs with the last event that wrote
it, the earliest divergence first. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from sqlalchemy import text

from reintegrate.grants.disbursements import Channel
from reintegrate.journal import Entry
from reintegrate.services import packages as ps
from reintegrate.services.audit import verify_audit
from reintegrate.services.audit_compare import COMPARED
from reintegrate.store import sql_stored
from reintegrate.store.base import StoredView
from reintegrate.store.memory import by_position
from reintegrate.store.sql import SqlStore
from tests.builders import (
    OFFICER,
    SOON,
)


@pytest.fixture
def store(one_payment_approved: SqlStore) -> SqlStore:
    return one_payment_approved


def sql(store: SqlStore, statement: str, **values: object) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(statement), values)


def rewrite_event(store: SqlStore, seq: int, **changes: object) -> None:
    """Change fields of the event stored at `seq`, in canonical JSON, as someone with access
    to the database could."""
    with store.engine.begin() as conn:
        query = text("SELECT body FROM journal WHERE seq = :seq")
        event = json.loads(conn.execute(query, {"seq": seq}).scalar_one()) | changes
        body = json.dumps(event, sort_keys=True, separators=(",", ":")).encode()
        conn.execute(text("UPDATE journal SET body = :b WHERE seq = :seq"), {"b": body, "seq": seq})


def entries(store: SqlStore) -> list[Entry]:
    return list(store.entries())


def last_of(store: SqlStore, kind: str) -> Entry:
    return [e for e in entries(store) if type(e.event).__name__ == kind][-1]


def test_an_untouched_store_verifies_with_every_entry_counted(store: SqlStore) -> None:
    report = verify_audit(store)

    assert report.ok, report
    assert report.entries == len(entries(store))
    assert (report.chain_break, report.replay_stopped, report.differences) == (None, None, ())


def test_a_changed_actor_breaks_the_chain_at_its_seq_with_the_hash_expected_and_found(
    store: SqlStore,
) -> None:
    changed = entries(store)[3]
    sql(store, "UPDATE journal SET actor = 'someone-else' WHERE seq = :seq", seq=changed.seq)

    broken = verify_audit(store).chain_break

    assert broken is not None
    assert (broken.seq, broken.field, broken.found) == (changed.seq, "hash", changed.hash)
    assert broken.expected != changed.hash


def test_a_deleted_entry_breaks_the_chain_at_the_entry_after_the_gap(store: SqlStore) -> None:
    sql(store, "DELETE FROM journal WHERE seq = 5")

    broken = verify_audit(store).chain_break

    assert broken is not None
    assert (broken.seq, broken.field, broken.expected, broken.found) == (6, "seq", "5", "6")


def test_an_entry_rehashed_after_a_change_breaks_the_link_of_the_next_one(
    store: SqlStore,
) -> None:
    before = entries(store)
    sql(store, "UPDATE journal SET hash = :forged WHERE seq = 4", forged="f" * 64)

    broken = verify_audit(store).chain_break

    assert broken is not None
    assert (broken.seq, broken.field) == (4, "hash")
    assert broken.found == "f" * 64
    assert broken.expected == before[3].hash


def test_a_field_added_to_a_stored_event_is_found_although_replay_ignores_it(
    store: SqlStore,
) -> None:
    seq = last_of(store, "DisbursementApproved").seq
    rewrite_event(store, seq, note="approved by phone")

    report = verify_audit(store)

    assert report.chain_break is not None
    assert (report.chain_break.seq, report.chain_break.field) == (seq, "hash")
    assert report.replay_stopped is None
    assert report.differences == ()


def test_a_changed_package_is_reported_field_by_field_with_its_last_event(
    store: SqlStore,
) -> None:
    package = store.snapshot().packages["pkg-1"]
    forged = msgspec.to_builtins(package) | {"status": "closed"}
    sql(
        store,
        "UPDATE packages SET body = :body, status = 'closed' WHERE package_id = 'pkg-1'",
        body=json.dumps(forged, sort_keys=True, separators=(",", ":")).encode(),
    )

    report = verify_audit(store)

    assert report.chain_break is None
    (difference,) = report.differences
    assert (difference.record, difference.key) == ("packages", "pkg-1")
    assert difference.last_seq == last_of(store, "DisbursementRequested").seq
    assert [(f.path, f.stored, f.replayed) for f in difference.fields] == [
        ("status", "closed", package.status.value)
    ]


def test_the_earliest_divergence_comes_first_and_a_record_no_event_wrote_comes_last(
    store: SqlStore,
) -> None:
    approved = last_of(store, "PackageApproved").seq
    requested = last_of(store, "DisbursementRequested").seq
    sql(
        store,
        "UPDATE accounts SET balance = balance + 1 WHERE code = 'component:pkg-1:c-cash:pending'",
    )
    sql(store, "UPDATE accounts SET balance = balance + 1 WHERE code = 'cap:c1:cash'")
    sql(
        store,
        "INSERT INTO accounts (code, currency, label, floor, used, balance) "
        "VALUES ('cap:ghost:cash', 'EUR', 'opened by no event', 0, '', 0)",
    )

    report = verify_audit(store)

    assert [(d.record, d.key, d.last_seq) for d in report.differences] == [
        ("balances", "cap:c1:cash", approved),
        ("balances", "component:pkg-1:c-cash:pending", requested),
        ("accounts", "cap:ghost:cash", None),
        ("balances", "cap:ghost:cash", None),
    ]
    assert report.differences_total == 4
    ghost = report.differences[2]
    assert [(f.path, f.stored, f.replayed) for f in ghost.fields] == [
        (
            "",
            {"code": "cap:ghost:cash", "currency": "EUR", "label": "opened by no event"}
            | {"floor": 0, "used": ()},
            None,
        )
    ]
    assert str(ghost.describe()).startswith(
        "accounts[cap:ghost:cash] (written by no entry): stored {"
    )
    assert str(ghost.describe()).endswith(", replayed absent")


def test_a_forged_event_that_cannot_be_replayed_stops_replay_at_its_seq(
    store: SqlStore,
) -> None:
    seq = last_of(store, "DisbursementRequested").seq
    rewrite_event(store, seq, programme_amount=9_000_00)

    report = verify_audit(store)

    assert report.replay_stopped is not None
    assert report.replay_stopped.seq == seq
    assert "c-cash" in str(report.replay_stopped.problem)
    assert report.entries == len(entries(store))  # the chain is still read to its end


def test_an_event_that_cannot_be_decoded_stops_replay_and_breaks_the_chain_there(
    store: SqlStore,
) -> None:
    sql(store, "UPDATE journal SET body = :body WHERE seq = 3", body=b'{"type":"Unknown"}')

    report = verify_audit(store)

    assert report.replay_stopped is not None
    assert report.replay_stopped.seq == 3
    assert str(report.replay_stopped.problem).startswith("the event cannot be read")
    assert report.chain_break is not None
    assert report.chain_break.seq == 3


def test_a_time_that_cannot_be_read_is_reported_after_the_last_entry_read(
    store: SqlStore,
) -> None:
    sql(store, "UPDATE journal SET at = 'yesterday' WHERE seq = 6")

    report = verify_audit(store)

    assert report.chain_break is not None
    assert (report.chain_break.seq, report.chain_break.field) == (6, "entry")
    assert "after seq 5" in str(report.chain_break.problem)
    assert report.replay_stopped is not None


def test_an_audit_reads_one_moment_whatever_commits_meanwhile(store: SqlStore) -> None:
    with store.consistent_read() as view:
        before = view.last_seq()
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
        assert view.last_seq() == before
        assert [e.seq for e in view.stored_entries()][-1] == before
        assert len(view.snapshot().disbursements) == 1
    assert len(store.snapshot().disbursements) == 2


def test_records_read_against_expected_ones_are_those_the_store_holds(
    store: SqlStore,
) -> None:
    expected = store.snapshot()
    forged = msgspec.to_builtins(expected.packages["pkg-1"]) | {"status": "closed"}
    body = json.dumps(forged, sort_keys=True, separators=(",", ":")).encode()
    sql(
        store,
        "UPDATE packages SET body = :body, status = 'closed' WHERE package_id = 'pkg-1'",
        body=body,
    )
    sql(store, "UPDATE accounts SET label = 'relabelled' WHERE code = 'cap:c1:cash'")

    with store.consistent_read() as view:
        whole = view.snapshot()
        read = {name: kept(view, name, getattr(expected, name)) for name in COMPARED}

    assert read == {name: dict(pairs_of(getattr(whole, name))) for name in COMPARED}
    assert read["accounts"]["cap:c1:cash"].label == "relabelled"
    assert read["packages"]["pkg-1"].status.value == "closed"
    assert read["cases"]["c1"] is expected.cases["c1"]


def test_an_audit_reading_one_record_a_page_reports_what_one_reading_them_all_does(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = msgspec.to_builtins(store.snapshot().packages["pkg-1"]) | {"status": "closed"}
    body = json.dumps(package, sort_keys=True, separators=(",", ":")).encode()
    sql(
        store,
        "UPDATE packages SET body = :body, status = 'closed' WHERE package_id = 'pkg-1'",
        body=body,
    )
    sql(store, "DELETE FROM accounts WHERE code = 'cap:c1:cash'")
    sql(store, "UPDATE accounts SET balance = balance + 1 WHERE code = 'cap:c1:household'")
    sql(
        store,
        "INSERT INTO accounts (code, currency, label, floor, used, balance) "
        "VALUES ('cap:ghost:cash', 'EUR', 'opened by no event', 0, '', 0)",
    )
    whole = verify_audit(store)

    monkeypatch.setattr(sql_stored, "ROWS_PER_PAGE", 1)
    paged = verify_audit(store)

    assert paged == whole
    assert [(d.record, d.key) for d in whole.differences if d.last_seq is not None] == [
        ("accounts", "cap:c1:cash"),
        ("balances", "cap:c1:cash"),
        ("balances", "cap:c1:household"),
        ("packages", "pkg-1"),
    ]
    assert whole.differences[0].fields[0].stored is None  # replayed, no longer stored


def kept(view: StoredView, name: str, expected: Any) -> dict[str, Any]:
    """Every stored record of collection `name`, read against `expected`'s, by key."""
    known = dict(pairs_of(expected))
    return {key: record for page in view.stored_records(name, known) for key, record in page}


def pairs_of(collection: Any) -> list[tuple[str, Any]]:
    return list(collection.items()) if isinstance(collection, dict) else by_position(collection)


def test_a_changed_posting_is_named_by_its_row_seq_and_unbalanced_transaction(
    store: SqlStore,
) -> None:
    requested = last_of(store, "DisbursementRequested").seq
    code = "component:pkg-1:c-cash:pending"
    with store.engine.connect() as conn:
        row = conn.execute(
            text("SELECT id FROM postings WHERE account = :code AND seq = :seq"),
            {"code": code, "seq": requested},
        ).scalar_one()
    sql(store, f"UPDATE postings SET amount = amount - 1 WHERE id = {row}")

    report = verify_audit(store)

    assert [(p.row, p.seq, p.account, p.transaction_sum) for p in report.changed_postings] == [
        (row, requested, code, -1)
    ]
    assert not report.ok


def test_a_status_changed_in_its_column_alone_is_reported_as_the_columns_say_it(
    store: SqlStore,
) -> None:
    """Queries filter on a payment's status column (a batch takes the approved ones): a
    column that no longer says what the body says is a difference, not a silent one."""
    (payment,) = store.snapshot().disbursements.values()
    sql(
        store,
        "UPDATE disbursements SET status = 'paid' WHERE disbursement_id = :d",
        d=payment.disbursement_id,
    )

    report = verify_audit(store)

    (difference,) = report.differences
    assert (difference.record, difference.key) == ("disbursements", payment.disbursement_id)
    assert [(f.path, f.stored, f.replayed) for f in difference.fields] == [
        ("status", f"{payment.status.value} (its column says paid)", payment.status.value)
    ]


def test_a_body_changed_alone_is_reported_with_what_its_column_still_says(
    store: SqlStore,
) -> None:
    package = store.snapshot().packages["pkg-1"]
    forged = msgspec.to_builtins(package) | {"status": "closed"}
    body = json.dumps(forged, sort_keys=True, separators=(",", ":")).encode()
    sql(store, "UPDATE packages SET body = :body WHERE package_id = 'pkg-1'", body=body)

    (difference,) = verify_audit(store).differences

    was = package.status.value
    assert [(f.path, f.stored, f.replayed) for f in difference.fields] == [
        ("status", f"closed (its column says {was})", was)
    ]
