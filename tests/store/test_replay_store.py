"""A replay rebuilds the stored state in the memory that state needs: each text its records
share is kept once, and what it noted of its writes is let go once it has been read."""

from __future__ import annotations

import msgspec

from reintegrate.events import DisbursementApproved
from reintegrate.services.recording import apply_entry
from reintegrate.store.replay import ReplayStore
from reintegrate.store.sql import SqlStore
from tests.builders import approved_disbursement


def replayed(store: SqlStore) -> ReplayStore:
    replay = ReplayStore()
    for entry in store.entries():
        apply_entry(replay.uow, replay.entered(entry))
    return replay


def test_a_replay_rebuilds_the_stored_records_with_one_object_for_each_text_they_share(
    one_payment_approved: SqlStore,
) -> None:
    approved_disbursement(one_payment_approved, "pkg-1", "c-cash", 50_00)

    state = replayed(one_payment_approved).finished()

    stored = one_payment_approved.snapshot()
    assert msgspec.structs.replace(stored, posting_sums={}) == state
    package = state.packages["pkg-1"]
    first, second = state.disbursements.values()
    assert first.office is package.office
    assert first.programme_id is second.programme_id
    assert first.requested_by is package.drafted_by
    assert first.approved_by is second.approved_by  # written again, by an entry


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
