"""A replay rebuilds the stored state in the memory that state needs: each text its records
share is kept once, and it notes which entry last wrote a record only for the records it is
asked to trace."""

from __future__ import annotations

import msgspec

from reintegrate.events import DisbursementApproved
from reintegrate.services.recording import apply_entry
from reintegrate.store.replay import ReplayStore
from reintegrate.store.sql import SqlStore
from tests.builders import approved_disbursement


def replayed(store: SqlStore, replay: ReplayStore | None = None) -> ReplayStore:
    replay = replay or ReplayStore()
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


def test_a_replay_notes_the_last_writer_of_the_records_it_traces_and_of_no_other(
    one_payment_approved: SqlStore,
) -> None:
    approved_disbursement(one_payment_approved, "pkg-1", "c-cash", 50_00)
    first_id, second_id = one_payment_approved.snapshot().disbursements
    entries = list(one_payment_approved.entries())
    approvals = {
        e.event.disbursement_id: e.seq for e in entries if isinstance(e.event, DisbursementApproved)
    }

    replay = replayed(one_payment_approved, ReplayStore(traced={"disbursements": {first_id}}))

    assert replay.written_by("disbursements", first_id) == approvals[first_id]
    assert replay.written_by("disbursements", second_id) is None
    assert replay.written_by("packages", "pkg-1") is None
