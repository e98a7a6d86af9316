"""The journal as stored: the hash is checked over the event's bytes as kept, and an export
covers a range inside the journal."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from reintegrate import events as ev
from reintegrate.journal import (
    Entry,
    ExportRangeInvalid,
    StoredEntry,
    append,
    decoded,
    export_range,
    stored,
    stored_hash,
)

T0 = dt.datetime(2024, 3, 1, 9, 30, 0, 250_000, tzinfo=dt.UTC)


def entry(seq: int = 1) -> Entry:
    funded = ev.BudgetLineFunded(programme_id="eurp", line="individual", amount=seq * 100)
    first = append(None, "user-1", T0, funded)
    return first if seq == 1 else append(first, "user-2", T0, funded)


def with_event_bytes(kept: StoredEntry, body: bytes) -> StoredEntry:
    return msgspec.structs.replace(kept, event=msgspec.Raw(body))


def test_an_entry_as_stored_hashes_to_the_hash_it_was_appended_with() -> None:
    for seq in (1, 2):
        assert stored_hash(stored(entry(seq))) == entry(seq).hash


def test_an_entry_as_stored_decodes_back_to_the_entry() -> None:
    assert decoded(stored(entry(2))) == entry(2)


def test_a_field_added_to_a_stored_event_changes_its_hash() -> None:
    kept = stored(entry())
    body = bytes(kept.event).replace(b'{"amount"', b'{"added":1,"amount"')

    assert stored_hash(with_event_bytes(kept, body)) != kept.hash


def test_a_stored_event_written_in_another_key_order_changes_its_hash() -> None:
    kept = stored(entry())
    reordered = msgspec.json.encode(dict(reversed(msgspec.json.decode(kept.event).items())))

    assert msgspec.json.decode(reordered) == msgspec.json.decode(kept.event)
    assert stored_hash(with_event_bytes(kept, reordered)) != kept.hash


def test_an_export_line_is_the_stored_entry_with_the_time_as_hashed() -> None:
    line = msgspec.json.decode(msgspec.json.encode(stored(entry())))

    assert list(line) == ["seq", "at", "actor", "event", "prev_hash", "hash"]
    assert line["at"] == "2024-03-01T09:30:00.250000Z"
    assert line["event"]["type"] == "BudgetLineFunded"


def test_an_export_covers_the_whole_journal_by_default() -> None:
    assert export_range(None, None, journal_end=40) == (1, 40)
    assert export_range(7, None, journal_end=40) == (7, 40)
    assert export_range(None, 9, journal_end=40) == (1, 9)


@pytest.mark.parametrize(
    ("first", "last", "field", "message"),
    [
        (10, 9, "from", "--from 10 is after --to 9"),
        (41, None, "from", "--from 41 is beyond the end of the journal (its last seq is 40)"),
        (1, 41, "to", "--to 41 is beyond the end of the journal (its last seq is 40)"),
        (0, 5, "from", "--from must be 1 or more (got 0)"),
        (None, 0, "to", "--to must be 1 or more (got 0)"),
    ],
)
def test_an_export_range_outside_the_journal_is_refused_naming_the_bound(
    first: int | None, last: int | None, field: str, message: str
) -> None:
    with pytest.raises(ExportRangeInvalid) as refused:
        export_range(first, last, journal_end=40)

    assert (refused.value.field, refused.value.message) == (field, message)


def test_an_empty_journal_has_nothing_to_export() -> None:
    with pytest.raises(ExportRangeInvalid, match="the journal is empty"):
        export_range(None, None, journal_end=0)
