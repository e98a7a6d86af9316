"""The sums of the ledger's postings per account, read beside the process that needs them.

An audit compares each stored balance with the sum of its postings; on a large ledger that
query takes seconds, while the audit's own process is busy replaying the journal. So a
second process reads the sums meanwhile, in a read of the same moment as the audit's.

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

from reintegrate.store.sql_ledger import JOURNAL, POSTINGS

_SUMS = select(POSTINGS.c.account, func.sum(POSTINGS.c.amount)).group_by(POSTINGS.c.account)
_SQLITE_SUMS = f"SELECT account, sum(amount) FROM {POSTINGS.name} GROUP BY account"
_LAST_SEQ = select(func.max(JOURNAL.c.seq))
_SNAPSHOT_ID = re.compile(r"^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?\Z")
_ANSWER = msgspec.msgpack.Decoder(dict[str, int] | None)


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


class SumsApart:
    """`read_posting_sums`, run by a second process started now, as of the moment `conn`
    reads, where the journal ends at `last`; `result()` waits for them."""

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

    def result(self) -> dict[str, int] | None:
        """The sums, or None where the second process could not read them as of the same
        moment (the caller reads them itself)."""
        assert self._process.stdout is not None
        answer = self._process.stdout.read()
        if self._process.wait() != 0:
            return None
        found: dict[str, int] | None = _ANSWER.decode(answer)
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


def _answer(request: _Request) -> dict[str, int] | None:
    """In the second process: the sums the request asks for, None if the journal has moved
    on since (then other postings may have been written too)."""
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
                return read_posting_sums(conn)
    finally:
        engine.dispose()


if __name__ == "__main__":
    asked = msgspec.msgpack.decode(sys.stdin.buffer.read(), type=_Request)
    sys.stdout.buffer.write(msgspec.msgpack.encode(_answer(asked)))
