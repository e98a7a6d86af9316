"""The SQL store: SQLite by default (WAL, BEGIN IMMEDIATE, busy timeout), or PostgreSQL.

A unit of work is one database transaction. On SQLite it starts with BEGIN IMMEDIATE, so a
command's reads (balances, journal tail) and writes happen under one write lock and no
update is lost. On PostgreSQL it first takes the commands lock, an advisory lock: exclusive,
which gives the same guarantee, or shared by the units of work of one case's payments, which
lock their case instead and the journal's tail only to append (`sql_one_case`,
docs/journal.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url, select, text
from sqlalchemy.pool import StaticPool

from reintegrate.adapters.keyring import keyring_from_env_if_named
from reintegrate.journal import Entry
from reintegrate.people.keys import Keyring
from reintegrate.store.base import Snapshot
from reintegrate.store.migrate import upgrade
from reintegrate.store.sql_committed import UNIT_OF_WORK_COMMIT, Committed
from reintegrate.store.sql_ledger import JOURNAL, entry_of
from reintegrate.store.sql_read import SqlView
from reintegrate.store.sql_uow import SqlUnitOfWork

DEFAULT_URL = "sqlite:///reintegrate.db"
WRITER_WAIT = 30
"""Seconds a writer waits for the database before giving up."""
COMMANDS_LOCK = 7_310_2026
"""PostgreSQL advisory lock taken by every unit of work: shared by the units of work of one
case's payments (`one_case`), which may then run side by side, exclusive for every other."""


def database_url() -> str:
    return os.environ.get("REINTEGRATE_DATABASE_URL", DEFAULT_URL)


SYNCHRONOUS_ENV = "REINTEGRATE_SQLITE_SYNCHRONOUS"
SYNCHRONOUS = ("FULL", "NORMAL")


def sqlite_synchronous() -> str:
    """SQLite's `synchronous` setting: FULL (the default) syncs the write-ahead log at every
    commit, so a commit survives a power loss; NORMAL syncs only at checkpoints, so a power
    loss (not a crash of the process) can undo the last commits. docs/operations.md."""
    found = os.environ.get(SYNCHRONOUS_ENV, "FULL").strip().upper()
    if found not in SYNCHRONOUS:
        raise ValueError(f"{SYNCHRONOUS_ENV} must be FULL or NORMAL, not {found!r}")
    return found


WRITER_CACHE_MIB = 64
"""SQLite's page cache on the writer's connection (the default is 2 MiB): a command that
writes thousands of rows (a chunk of a reconciliation's payments) keeps the pages it changes
until it commits, rather than spilling them to the write-ahead log to write them again, and
finds the pages it met again without a system call. Only the writer's connection has it:
readers keep SQLite's default."""


def make_engine(url: str, *, writer: bool = True) -> Engine:
    """An engine; on SQLite a writer's transactions start with BEGIN IMMEDIATE (one writer at a
    time, no lost update), a reader's with a plain BEGIN (WAL: readers never wait).

    A writer engine has a single connection: the threads of one process that want to write
    wait for it in a queue and get it as soon as it is free, rather than each retrying
    BEGIN IMMEDIATE in SQLite's busy handler, which sleeps between tries and leaves the
    database idle while they sleep. Other processes still meet the busy handler."""
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, connect_args=_driver_arguments(url))
    in_memory = url in ("sqlite://", "sqlite:///:memory:")
    pooling: dict[str, Any] = {}
    if in_memory:
        pooling = {"poolclass": StaticPool}
    elif writer:  # one connection: writers queue for it, woken in turn
        pooling = {"pool_size": 1, "max_overflow": 0, "pool_timeout": WRITER_WAIT}
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": WRITER_WAIT}, **pooling
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute(f"PRAGMA synchronous={sqlite_synchronous()}")
        cursor.execute("PRAGMA secure_delete=ON")  # freed space zeroed: erased keys leave no trace
        if writer:
            cursor.execute(f"PRAGMA cache_size=-{WRITER_CACHE_MIB * 1024}")
        cursor.close()

    begin = "BEGIN IMMEDIATE" if writer else "BEGIN"

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.connection.dbapi_connection.execute(begin)  # on the driver: exec_driver_sql cost more

    return engine


def _driver_arguments(url: str) -> dict[str, Any]:
    """psycopg: no server-side prepared statements. psycopg prepares a statement after its
    fifth run, and drops every prepared one when a transaction rolls back (every read and
    every pooled connection returned ends with a rollback): preparing again and again cost
    more than it saved (bench/README.md)."""
    return {"prepare_threshold": None} if make_url(url).drivername.endswith("+psycopg") else {}


class SqlStore:
    def __init__(
        self,
        url: str | None = None,
        *,
        engine: Engine | None = None,
        keyring: Keyring | None = None,
    ) -> None:
        self.url = url or database_url()
        self.keyring = keyring if keyring is not None else keyring_from_env_if_named()
        """Seals and opens the persons' records (`people.keys`): by default, with the key
        files the environment names (REINTEGRATE_MASTER_KEY_FILE...)."""
        self.engine = engine or make_engine(self.url)
        self.locking = self.engine.dialect.name == "postgresql"
        shared = (
            engine is not None or self.locking or self.url in ("sqlite://", "sqlite:///:memory:")
        )
        self.reader = self.engine if shared else make_engine(self.url, writer=False)
        """For queries that write nothing: listings, snapshots, the journal."""
        own_file = engine is None and not shared and self.engine.dialect.name == "sqlite"
        self._committed = Committed() if own_file else None
        """What the last units of work left, for the next (`sql_committed`): only on an SQLite
        file whose one writer connection this store made, with BEGIN IMMEDIATE."""
        if self._committed is not None:
            event.listen(self.engine, "commit", self._commit_elsewhere)

    def _commit_elsewhere(self, conn: Connection) -> None:
        """Any commit on the writer's connection but a unit of work's: forget the kept rows."""
        if not conn.info.pop(UNIT_OF_WORK_COMMIT, False) and self._committed is not None:
            self._committed.forget()

    def purge_erased(self) -> None:
        """SQLite (run with secure_delete on, so freed space is zeroed): checkpoint the WAL
        into the database and truncate it. PostgreSQL: VACUUM the persons' and the notes' tables,
        so that no dead row version keeps an erased key or text."""
        if self.engine.dialect.name == "sqlite":
            raw = self.engine.raw_connection()  # outside any transaction, which would block it
            try:
                raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
            finally:
                raw.close()
            return
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(
                "VACUUM persons, person_identifiers, notes, note_keys, survey_responses"
            )

    def create_all(self) -> None:
        """Bring the schema to the latest migration."""
        upgrade(self.engine)

    @contextmanager
    def unit_of_work(self, *, one_case: bool = False) -> Iterator[SqlUnitOfWork]:
        """SQLite: one unit of work at a time (BEGIN IMMEDIATE). PostgreSQL: those of one
        case's payments side by side, each locking its case, then the journal's tail only to
        append and commit; any other alone (docs/journal.md)."""
        with self.engine.connect() as conn:
            conn.begin()
            if self.locking:
                lock = "pg_advisory_xact_lock_shared" if one_case else "pg_advisory_xact_lock"
                conn.execute(text(f"SELECT {lock}(:key)"), {"key": COMMANDS_LOCK})
            if self._committed is not None:
                self._committed.start(conn.connection.dbapi_connection)
            uow = SqlUnitOfWork(conn, self._committed, self.keyring, one_case=one_case)
            try:
                yield uow
            finally:
                uow.fast.close()
                if conn.in_transaction():
                    conn.rollback()

    @contextmanager
    def reading(self) -> Iterator[SqlUnitOfWork]:
        """A unit of work for reads only, on the reader: it takes no write lock (WAL readers
        never wait for writers) and is always rolled back."""
        with self.reader.connect() as conn:
            conn.begin()
            uow = SqlUnitOfWork(conn, keyring=self.keyring)
            try:
                yield uow
            finally:
                uow.fast.close()
                conn.rollback()

    def entries(self, after: int = 0) -> Iterator[Entry]:
        with self.reader.connect() as conn:
            query = select(JOURNAL).where(JOURNAL.c.seq > after).order_by(JOURNAL.c.seq)
            for row in conn.execution_options(yield_per=1000).execute(query):
                yield entry_of(row)

    @contextmanager
    def consistent_read(self) -> Iterator[SqlView]:
        """One read transaction on the reader: journal and state as of one moment, while
        commands go on (SQLite WAL: a reader sees the database as its first read found it;
        PostgreSQL: REPEATABLE READ). It takes no write lock and is always rolled back."""
        with self.reader.connect() as connection:
            conn = connection
            if self.locking:
                conn = connection.execution_options(isolation_level="REPEATABLE READ")
            conn.begin()
            try:
                yield SqlView(conn)
            finally:
                conn.rollback()

    def snapshot(self) -> Snapshot:
        with self.consistent_read() as view:
            return view.snapshot()
