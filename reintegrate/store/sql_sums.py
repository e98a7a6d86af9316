"""The sums of the ledger's postings per account, and the accounts whose stored balance is
not what their postings sum to, read beside the process that needs them.

An audit compares each stored balance with the sum of its postings; on a large ledger that
query takes seconds, while the audit's own process is busy replaying the journal. So a
second process compares them meanwhile, in a read of the same moment as the audit's, and
answers with the accounts that differ alone: the sums of a million accounts, handed back,
held a hundred megabytes in the audit's process at its peak.

On PostgreSQL that is exactly the audit's snapshot (exported, then imported). On SQLite it
is a read begun a moment after the audit's, and taken only if the journal ends at the same
entry in both: every command writes its postings together with its journal entries, so
nothing it wrote came between. What that cannot see is a posting changed outside this
library in that moment, between the two reads' start; the second read counts it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import weakref
from contextlib import suppress
from pathlib import Path

import msgspec
from sqlalchemy import Connection, create_engine, func, select, text

from reintegrate.store.sql_ledger import ACCOUNTS, JOURNAL, POSTINGS

_SUMS = select(POSTINGS.c.account, func.sum(POSTINGS.c.amount).label("total")).group_by(
    POSTINGS.c.account
)
_SQLITE_SUMS = f"SELECT account, sum(amount) FROM {POSTINGS.name} GROUP BY account"
_LAST_SEQ = select(func.max(JOURNAL.c.seq))
_SNAPSHOT_ID = re.compile(r"^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?\Z")
Drift = dict[str, tuple[int, int]]
"""Accounts whose stored balance is not what their postings sum to: code to (balance, sum)."""
_ANSWER = msgspec.msgpack.Decoder(Drift | None)


class _Request(msgspec.Struct, frozen=True):
    url: str
    last: int
    snapshot: str | None
    """A PostgreSQL snapshot to read in (`pg_export_snapshot()`), or None."""


def read_posting_sums(conn: Connection) -> dict[str, int]:
    """Per account, the sum of every posting made to it."""
    if conn.dialect.name == "sqlite":  # its own cursor: a million rows cost less so
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(_SQLITE_SUMS)
            return dict(cursor.fetchall())
        finally:
            cursor.close()
    return {str(account): int(total) for account, total in conn.execute(_SUMS)}


def read_drift(conn: Connection) -> Drift:
    """The accounts whose stored balance is not what their postings sum to (an account no
    posting was made to sums to 0), found by the database: only they are handed back."""
    summed = _SUMS.subquery()
    total = func.coalesce(summed.c.total, 0)
    query = (
        select(ACCOUNTS.c.code, ACCOUNTS.c.balance, total)
        .select_from(ACCOUNTS.outerjoin(summed, summed.c.account == ACCOUNTS.c.code))
        .where(ACCOUNTS.c.balance != total)
    )
    return {str(code): (int(balance), int(sum_)) for code, balance, sum_ in conn.execute(query)}


class DriftApart:
    """`read_drift`, run by a second process started now, as of the moment `conn` reads,
    where the journal ends at `last`; `result()` waits for it."""

    def __init__(self, conn: Connection, last: int) -> None:
        snapshot = None
        if conn.dialect.name == "postgresql":
            snapshot = str(conn.execute(text("SELECT pg_export_snapshot()")).scalar_one())
        url = conn.engine.url.render_as_string(hide_password=False)
        self._process = _start()
        assert self._process.stdin is not None
        weakref.finalize(self, _stop, self._process)
        with suppress(OSError), self._process.stdin as request:  # a pipe, not argv: a password
            request.write(msgspec.msgpack.encode(_Request(url, last, snapshot)))

    def result(self) -> Drift | None:
        """The accounts off their postings, or None where the second process could not read
        them as of the same moment (the caller reads them itself)."""
        assert self._process.stdout is not None
        answer = self._process.stdout.read()
        if self._process.wait() != 0:
            return None
        found: Drift | None = _ANSWER.decode(answer)
        return found


def can_read_apart(conn: Connection) -> bool:
    """Whether another process can open the database `conn` reads (not an in-memory one)."""
    url = conn.engine.url
    if conn.dialect.name == "postgresql":
        return True
    memory = url.database in (None, "", ":memory:") or "mode=memory" in str(url)
    return conn.dialect.name == "sqlite" and not memory


def _start() -> subprocess.Popen[bytes]:
    """This module, run by this interpreter, able to import this package wherever it is."""
    package_root = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)
    return subprocess.Popen(
        [sys.executable, "-m", __name__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": path},
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()


def _answer(request: _Request) -> Drift | None:
    """In the second process: the accounts off their postings, None if the journal has
    moved on since (then other postings and balances may have been written too)."""
    engine = create_engine(request.url)
    try:
        with engine.connect() as connection:
            conn = connection
            if request.snapshot is not None:
                if not _SNAPSHOT_ID.match(request.snapshot):
                    raise ValueError(f"not a snapshot id: {request.snapshot!r}")
                conn = connection.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                if request.snapshot is not None:
                    conn.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{request.snapshot}'")
                if conn.execute(_LAST_SEQ).scalar() != (request.last or None):
                    return None
                return read_drift(conn)
    finally:
        engine.dispose()


if __name__ == "__main__":
    asked = msgspec.msgpack.decode(sys.stdin.buffer.read(), type=_Request)
    sys.stdout.buffer.write(msgspec.msgpack.encode(_answer(asked)))
