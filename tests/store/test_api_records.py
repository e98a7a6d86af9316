"""Idempotency keys in the SQL store, on SQLite and PostgreSQL: a claim is one INSERT whose
row count says whether the key was free, and an expired key is free again even before the
purge has removed it."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from reintegrate.idempotency import KEEP_FOR, Answer, Stored
from reintegrate.store.api_records import KEYS, ApiRecords, _reclaim
from reintegrate.store.sql import SqlStore

NOW = dt.datetime(2025, 6, 2, 10, 0, tzinfo=dt.UTC)
JSON = (("content-type", "application/json"),)


@pytest.fixture
def records(database_url: str) -> Iterator[ApiRecords]:
    store = SqlStore(database_url)
    store.create_all()
    yield ApiRecords(store.engine, store.reader)
    store.engine.dispose()
    store.reader.dispose()


def keys_stored(records: ApiRecords) -> int:
    with records.engine.connect() as conn:
        return len(conn.execute(KEYS.select()).all())


def test_a_new_key_is_claimed_then_in_flight_then_replayed(records: ApiRecords) -> None:
    assert records.claim_key("officer", "k", "h", NOW) is None
    in_flight = records.claim_key("officer", "k", "h", NOW)
    assert in_flight is not None
    assert (in_flight.status, in_flight.request_hash) == (None, "h")
    records.complete_key("officer", "k", Answer(status=201, body=b"{}", headers=JSON))
    done = records.claim_key("officer", "k", "other", NOW + dt.timedelta(hours=1))
    assert done is not None
    assert (done.status, done.body, done.headers, done.request_hash) == (201, b"{}", JSON, "h")
    assert done.created_at == NOW


def test_keys_belong_to_their_caller(records: ApiRecords) -> None:
    assert records.claim_key("officer", "k", "h", NOW) is None
    assert records.claim_key("partner", "k", "h", NOW) is None


def test_an_expired_key_is_claimed_anew_before_any_purge(records: ApiRecords) -> None:
    assert records.claim_key("officer", "k", "h", NOW) is None
    records.complete_key("officer", "k", Answer(status=201, body=b"{}", headers=JSON))
    later = NOW + KEEP_FOR + dt.timedelta(seconds=1)
    assert records.claim_key("officer", "k", "h2", later) is None  # purged already this minute
    again = records.claim_key("officer", "k", "h2", later)
    assert again is not None
    assert (again.status, again.body, again.headers, again.request_hash) == (None, None, (), "h2")
    assert again.created_at == later


def test_a_key_is_kept_for_a_day_and_purged_after(records: ApiRecords) -> None:
    assert records.claim_key("officer", "old", "h", NOW) is None
    records.complete_key("officer", "old", Answer(status=201, body=b"{}", headers=JSON))
    fresh = ApiRecords(records.engine)  # another process: its first claim purges
    assert fresh.claim_key("officer", "new", "h", NOW + KEEP_FOR) is None
    assert keys_stored(records) == 2  # exactly a day old: still kept
    after = ApiRecords(records.engine)
    a_second_later = NOW + KEEP_FOR + dt.timedelta(seconds=1)
    assert after.claim_key("officer", "newer", "h", a_second_later) is None
    assert keys_stored(records) == 2  # "old" is gone


def test_a_released_key_is_free_but_a_completed_one_is_not_released(records: ApiRecords) -> None:
    assert records.claim_key("officer", "k", "h", NOW) is None
    records.release_key("officer", "k", None)
    assert records.claim_key("officer", "k", "h", NOW) is None
    records.complete_key("officer", "k", Answer(status=422, body=b"{}", headers=JSON))
    records.release_key("officer", "k", None)
    kept = records.claim_key("officer", "k", "h", NOW)
    assert kept is not None
    assert kept.status == 422


@pytest.mark.parametrize("expired_first", [False, True])
def test_of_concurrent_claims_of_one_key_exactly_one_wins(
    records: ApiRecords, expired_first: bool
) -> None:
    """New or expired, a key is claimed once however many requests ask at the same time."""
    at = NOW
    if expired_first:
        assert records.claim_key("officer", "k", "old", NOW) is None
        records.complete_key("officer", "k", Answer(status=201, body=b"{}", headers=JSON))
        at = NOW + KEEP_FOR + dt.timedelta(seconds=1)
    start = threading.Barrier(8)

    def claim(_: int) -> Stored | None:
        mine = ApiRecords(records.engine)  # as another process would
        start.wait()
        return mine.claim_key("officer", "k", "new", at)

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(claim, range(8)))
    assert answers.count(None) == 1
    for answer in answers:
        assert answer is None or (answer.status, answer.request_hash) == (None, "new")


def test_an_expired_key_claimed_anew_meanwhile_is_not_claimed_again(records: ApiRecords) -> None:
    assert records.claim_key("officer", "k", "old", NOW) is None
    later = NOW + KEEP_FOR + dt.timedelta(seconds=1)
    assert records.claim_key("officer", "k", "new", later) is None
    the_key = {"k_caller": "officer", "k_key": "k"}
    with records.engine.begin() as conn:  # what a second claim that read the old row would do
        assert not _reclaim(conn, the_key, "other", later, None)
