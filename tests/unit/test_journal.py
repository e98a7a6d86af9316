"""The journal: a hash chain in which any change, deletion or reordering shows at its seq."""

from __future__ import annotations

import datetime as dt
import hashlib

import msgspec
import pytest

from reintegrate import events as ev
from reintegrate.journal import (
    GENESIS,
    WAITED_AT_MOST,
    ChainBreak,
    ClockWentBack,
    Entry,
    append,
    body_bytes,
    canonical_json,
    chain_hash,
    verify,
)

T0 = dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.UTC)


def funded(amount: int) -> ev.BudgetLineFunded:
    return ev.BudgetLineFunded(programme_id="eurp", line="individual", amount=amount)


def chain(length: int = 5) -> list[Entry]:
    """`length` entries funding a budget line by 1.00, 2.00, ... EUR, a minute apart."""
    entries: list[Entry] = []
    for i in range(1, length + 1):
        previous = entries[-1] if entries else None
        entries.append(append(previous, f"user-{i}", T0 + dt.timedelta(minutes=i), funded(i * 100)))
    return entries


def test_a_journal_of_untouched_entries_verifies() -> None:
    assert verify(chain()) is None


def test_an_empty_journal_verifies() -> None:
    assert verify([]) is None


def test_the_first_entry_follows_the_genesis_hash_and_each_next_one_its_predecessor() -> None:
    entries = chain(3)

    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS == "0" * 64
    assert entries[1].prev_hash == entries[0].hash
    assert entries[2].prev_hash == entries[1].hash


def test_the_hash_is_sha256_of_the_previous_hash_and_the_canonical_body() -> None:
    first = chain(1)[0]
    body = (
        b'{"actor":"user-1","at":"2024-03-01T09:31:00Z","event":'
        b'{"amount":100,"line":"individual","programme_id":"eurp","type":"BudgetLineFunded"},'
        b'"seq":1}'
    )

    assert body_bytes(first.seq, first.at, first.actor, first.event) == body
    assert first.hash == hashlib.sha256(GENESIS.encode() + body).hexdigest()
    assert chain_hash(GENESIS, body) == first.hash


def test_the_same_entry_appended_twice_gets_the_same_hash() -> None:
    first = append(None, "user-1", T0, funded(100))
    again = append(None, "user-1", T0, funded(100))

    assert first == again
    assert (
        append(first, "user-2", T0, funded(5)).hash == append(again, "user-2", T0, funded(5)).hash
    )


def test_the_hash_does_not_depend_on_the_order_of_keys_in_an_event() -> None:
    def granted(persons: dict[str, int]) -> ev.EntitlementGranted:
        return ev.EntitlementGranted(
            case_id="c1",
            programme_id="eurp",
            policy_version="2022",
            as_of=T0.date(),
            household=3_615_00,
            cash=615_00,
            persons=persons,
            stages=(),
            window_end=dt.date(2025, 3, 1),
        )

    one = append(None, "user-1", T0, granted({"p": 2_615_00, "d1": 1_000_00}))
    other = append(None, "user-1", T0, granted({"d1": 1_000_00, "p": 2_615_00}))

    assert one.hash == other.hash
    assert canonical_json({"b": 1, "a": 2}) == b'{"a":2,"b":1}'


def test_a_chain_read_back_from_json_still_verifies() -> None:
    entries = chain()
    stored = msgspec.json.encode(entries)

    assert verify(msgspec.json.decode(stored, type=list[Entry])) is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("event", funded(1_000_000)),
        ("actor", "someone-else"),
        ("at", T0 + dt.timedelta(days=1)),
    ],
)
def test_changing_an_entrys_content_is_reported_at_that_entry(field: str, value: object) -> None:
    entries = chain()
    entries[2] = msgspec.structs.replace(entries[2], **{field: value})

    found = verify(entries)
    assert found is not None
    assert (found.seq, found.field, found.found) == (3, "hash", entries[2].hash)
    assert found.expected != found.found
    assert str(found.problem) == "hash does not match the entry's content"


def test_changing_an_entry_and_recomputing_its_hash_is_caught_at_the_next_entry() -> None:
    entries = chain()
    forged = append(entries[1], entries[2].actor, entries[2].at, funded(1_000_000))
    entries[2] = forged

    assert verify(entries) == ChainBreak(
        seq=4,
        field="prev_hash",
        expected=forged.hash,
        found=entries[3].prev_hash,
    )


def test_deleting_an_entry_is_reported_at_the_entry_after_the_gap() -> None:
    entries = chain()
    del entries[2]

    assert verify(entries) == ChainBreak(seq=4, field="seq", expected="3", found="4")


def test_deleting_the_first_entry_is_reported() -> None:
    assert verify(chain()[1:]) == ChainBreak(seq=2, field="seq", expected="1", found="2")


def test_reordering_two_entries_is_reported_where_the_order_breaks() -> None:
    entries = chain()
    entries[2], entries[3] = entries[3], entries[2]

    assert verify(entries) == ChainBreak(seq=4, field="seq", expected="3", found="4")


def test_reordering_and_renumbering_entries_is_reported_at_the_first_moved_seq() -> None:
    entries = chain()
    third, fourth = entries[2], entries[3]
    entries[2] = msgspec.structs.replace(fourth, seq=3, prev_hash=third.prev_hash)
    entries[3] = msgspec.structs.replace(third, seq=4, prev_hash=entries[2].hash)

    found = verify(entries)
    assert found is not None
    assert (found.seq, found.field, found.found) == (3, "hash", fourth.hash)


def test_a_suffix_of_the_journal_verifies_from_a_known_hash_and_seq() -> None:
    entries = chain()

    assert verify(entries[2:], start_hash=entries[1].hash, start_seq=3) is None
    assert verify(entries[2:], start_hash=GENESIS, start_seq=3) == ChainBreak(
        seq=3,
        field="prev_hash",
        expected=GENESIS,
        found=entries[1].hash,
    )


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="UTC"):
        append(None, "user-1", dt.datetime(2024, 3, 1, 9, 30), funded(100))


def test_a_time_in_another_zone_than_utc_is_refused() -> None:
    paris = dt.timezone(dt.timedelta(hours=1))

    with pytest.raises(ValueError, match="UTC"):
        append(None, "user-1", dt.datetime(2024, 3, 1, 10, 30, tzinfo=paris), funded(100))


def test_a_command_that_waited_for_another_workers_entry_is_journaled_at_that_entrys_time() -> None:
    last = chain(1)[-1]
    read_the_clock_first = last.at - dt.timedelta(milliseconds=40)

    entry = append(last, "user-2", read_the_clock_first, funded(100))

    assert (entry.seq, entry.at) == (2, last.at)
    assert verify([last, entry]) is None


def test_a_command_from_a_clock_set_back_is_refused() -> None:
    last = chain(1)[-1]

    with pytest.raises(ClockWentBack, match="by more than a command waits"):
        append(last, "user-2", last.at - WAITED_AT_MOST - dt.timedelta(seconds=1), funded(100))
    assert append(last, "user-2", last.at - WAITED_AT_MOST, funded(100)).at == last.at
