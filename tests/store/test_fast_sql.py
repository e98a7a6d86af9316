"""Statements run on the driver's cursor give what `Connection.execute` gives, on SQLite and
PostgreSQL, inside the unit of work's own transaction."""

from __future__ import annotations

from collections.abc import Iterator

import msgspec
import pytest
from sqlalchemy import bindparam, select, text

from reintegrate.store.api_records import KEYS
from reintegrate.store.base import ProgrammeRecord
from reintegrate.store.fast_sql import HeldReader, compiled_for, read_once
from reintegrate.store.sql import SqlStore
from reintegrate.store.sql_uow import PROGRAMMES

ROW = {"caller": "officer", "request_hash": "h", "created_at": "2025-06-02T10:00:00+00:00"}
BY_CALLER = select(KEYS).where(KEYS.c.caller == bindparam("caller")).order_by(KEYS.c.key)


@pytest.fixture
def store(database_url: str) -> Iterator[SqlStore]:
    store = SqlStore(database_url)
    store.create_all()
    yield store
    store.engine.dispose()
    store.reader.dispose()


def test_rows_read_on_the_fast_path_are_those_sqlalchemy_reads(store: SqlStore) -> None:
    with store.unit_of_work() as uow:
        written = uow.fast.execute(
            KEYS.insert(),
            [{**ROW, "key": "a", "body": b"\x00\xffbytes"}, {**ROW, "key": "b", "body": None}],
        )
        assert written.rowcount == 2
        fast = list(uow.fast.execute(BY_CALLER, {"caller": "officer"}))
        slow = list(uow.s.execute(BY_CALLER, {"caller": "officer"}))
        uow.commit()
    assert [tuple(r) for r in fast] == [tuple(r) for r in slow]
    assert [(r.key, r.body) for r in fast] == [("a", b"\x00\xffbytes"), ("b", None)]


def test_a_write_is_seen_by_the_next_read_and_dropped_without_commit(store: SqlStore) -> None:
    with store.unit_of_work() as uow:
        uow.fast.execute(KEYS.insert(), {**ROW, "key": "a"})
        one = uow.fast.execute(
            select(KEYS.c.key).where(KEYS.c.caller == bindparam("caller")), {"caller": "officer"}
        )
        assert one.scalar_one_or_none() == "a"
    assert read_once(store.reader, BY_CALLER, {"caller": "officer"}).first() is None


def test_a_statement_the_fast_path_cannot_take_runs_through_sqlalchemy(store: SqlStore) -> None:
    expanding = select(KEYS.c.key).where(KEYS.c.key.in_(bindparam("keys", expanding=True)))
    assert compiled_for(expanding, store.engine.dialect, ("keys",)) is None
    with store.unit_of_work() as uow:
        uow.fast.execute(KEYS.insert(), [{**ROW, "key": k} for k in "abc"])
        found = uow.fast.execute(expanding, {"keys": ["a", "c"]}).scalars().all()
    assert sorted(found) == ["a", "c"]


def test_a_read_of_its_own_sees_what_was_committed(store: SqlStore) -> None:
    with store.unit_of_work() as uow:
        uow.fast.execute(KEYS.insert(), {**ROW, "key": "a", "status": 201})
        uow.commit()
    row = read_once(store.reader, BY_CALLER, {"caller": "officer"}).first()
    assert (row.key, row.status, row.request_hash) == ("a", 201, "h")


def test_a_held_reader_sees_each_commit_made_after_its_last_read(store: SqlStore) -> None:
    held = HeldReader(store.reader)
    try:
        assert held.read(BY_CALLER, {"caller": "officer"}).first() is None
        for key in "ab":
            with store.unit_of_work() as uow:
                uow.fast.execute(KEYS.insert(), {**ROW, "key": key})
                uow.commit()
            rows = held.read(BY_CALLER, {"caller": "officer"})
            assert [r.key for r in rows] == sorted("ab"[: "ab".index(key) + 1])
    finally:
        held.close()


def test_a_held_reader_opens_a_new_connection_after_a_failed_read(store: SqlStore) -> None:
    held = HeldReader(store.reader)
    try:
        held.read(BY_CALLER, {"caller": "officer"})
        held._driver.dbapi_connection.close()  # gone under it (a server restart, say)
        with pytest.raises(store.reader.dialect.loaded_dbapi.Error):
            held.read(BY_CALLER, {"caller": "officer"})
        assert held.read(BY_CALLER, {"caller": "officer"}).first() is None
    finally:
        held.close()


def test_a_held_reader_leaves_no_transaction_open_between_reads(store: SqlStore) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("an idle transaction shows as a held table lock on PostgreSQL")
    held = HeldReader(store.reader)
    try:
        held.read(BY_CALLER, {"caller": "officer"})
        with store.engine.connect() as other:
            other.execute(text("SET lock_timeout = '2s'"))
            other.execute(text("LOCK TABLE idempotency_keys IN ACCESS EXCLUSIVE MODE"))
            other.rollback()
    finally:
        held.close()


def test_projections_written_one_by_one_are_seen_by_every_later_read_in_their_order(
    store: SqlStore,
) -> None:
    records = [
        ProgrammeRecord(programme_id=f"p{i}", name=f"P{i}", currency="EUR", budget_lines=())
        for i in range(3)
    ]
    renamed = msgspec.structs.replace(records[0], name="renamed")
    with store.unit_of_work() as uow:
        for record in [*records, renamed]:
            uow.put_programme(record)
        bodies = uow.s.execute(select(PROGRAMMES.c.programme_id, PROGRAMMES.c.body)).all()
        uow.put_case_import("cim_1", "p1", "digest-1")  # written at once, after them
        uow.put_programme(msgspec.structs.replace(records[1], name="again"))
        assert uow.case_import_with_digest("digest-1") == "cim_1"
        uow.commit()
    assert {key: msgspec.json.decode(body)["name"] for key, body in bodies} == {
        "p0": "renamed",
        "p1": "P1",
        "p2": "P2",
    }
    with store.reading() as uow:
        assert [uow.programme(f"p{i}") for i in range(3)] == [
            renamed,
            msgspec.structs.replace(records[1], name="again"),
            records[2],
        ]


def test_projections_not_committed_are_not_written(store: SqlStore) -> None:
    with store.unit_of_work() as uow:
        uow.put_programme(
            ProgrammeRecord(programme_id="p0", name="P0", currency="EUR", budget_lines=())
        )
    with store.reading() as uow:
        assert uow.programme("p0") is None
