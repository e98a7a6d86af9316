"""A replay rebuilds the stored state in the memory that state needs: each text its records
share is kept once, and what it noted of its writes is let go once it has been read."""

from __future__ import annotations

import msgspec

from reintegrate.events import DisbursementApproved
from reintegrate.services.recording import apply_entry
from reintegrate.store.replay import ReplayStore
from reintegrate.store.sql import SqlStore


def replayed(store: SqlStore) -> ReplayStore:
    replay = ReplayStore()
    for entry in store.entries():
        replay.clock.seq = entry.seq
        apply_entry(replay.uow, entry)
    return replay


def test_a_replay_rebuilds_the_stored_records_with_one_object_for_each_text_they_share(
    one_payment_approved: SqlStore,
) -> None:
    state = replayed(one_payment_approved).finished()

    stored = one_payment_approved.snapshot()
    assert msgspec.structs.replace(stored, posting_sums={}) == state
    package = state.packages["pkg-1"]
    (payment,) = state.disbursements.values()
    assert payment.office is package.office
    assert payment.programme_id is package.programme_id
    assert payment.requested_by is package.drafted_by


def test_what_a_replay_noted_of_its_writes_is_let_go_once_read(
    one_payment_approved: SqlStore,
) -> None:
    replay = replayed(one_payment_approved)
    (payment_id,) = replay.finished().disbursements
    entries = list(one_payment_approved.entries())
    approved = [e for e in entries if isinstance(e.event, DisbursementApproved)]
    assert replay.written_by("disbursements", payment_id) == approved[-1].seq

    replay.forget_writes()

    assert replay.written_by("disbursements", payment_id) is None
