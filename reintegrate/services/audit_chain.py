"""The journal's hash chain, followed link by link: in the audit's process, or beside it.

Checking the chain needs nothing from the replay, so on a large journal a second process
follows it while the first replays. The audit's process hands it every batch of rows as its
own read found them, so both passes see exactly the same rows: one consistent read, never a
second one that could see another moment, on any store. The second process answers with
the first break, which is what following the chain in the audit's own process finds.

The second process is this module run by the same interpreter, fed through its standard
input (a thread writes, so that replay goes on while it reads) and answering on its standard
output: unlike `multiprocessing`, that needs nothing from the program that runs the audit.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Protocol

import msgspec

from reintegrate import journal

BATCHES_AHEAD = 64
"""Batches of rows handed over that the second process may not have read yet."""
WAIT_SECONDS = 1.0
"""How often a hand-over that waits checks that the second process still reads."""
_SIZE = 4
"""Bytes of the length written before each batch."""
_ROWS = msgspec.msgpack.Encoder()
_BREAK = msgspec.msgpack.Decoder(journal.ChainBreak | None)


class Chain(Protocol):
    """Where the chain first breaks, fed every batch of rows read and every entry made of
    them, in journal order."""

    def rows(self, rows: list[journal.StoredRow]) -> None: ...
    def entry(self, entry: journal.StoredEntry) -> None: ...
    def first_break(self) -> journal.ChainBreak | None:
        """The first break among the rows fed, up to the first that cannot be made an
        entry (which the audit reports itself); None when every link holds."""
        ...


class ChainCheck:
    """Follows the chain entry after entry; nothing past the first break is checked."""

    def __init__(self) -> None:
        self.broken: journal.ChainBreak | None = None
        self._next_seq, self._prev_hash = 1, journal.GENESIS

    def rows(self, rows: list[journal.StoredRow]) -> None:
        """Entries are checked one by one as they are made (`entry`)."""

    def entry(self, entry: journal.StoredEntry) -> None:
        if self.broken is not None:
            return
        self.broken = journal.check_link(
            entry.seq,
            entry.prev_hash,
            entry.hash,
            recomputed=journal.stored_hash(entry),
            expected_seq=self._next_seq,
            expected_prev=self._prev_hash,
        )
        self._next_seq, self._prev_hash = entry.seq + 1, entry.hash

    def first_break(self) -> journal.ChainBreak | None:
        return self.broken

    def follow(self, rows: list[journal.StoredRow]) -> bool:
        """Check each row's entry; False at the first row that cannot be made one, where
        following stops (the audit's process reports that row itself)."""
        for row in rows:
            if self.broken is not None:
                return True
            try:
                entry = journal.stored_of_row(row)
            except Exception:
                return False
            self.entry(entry)
        return True


class ChainApart:
    """A `Chain` followed by a second process, which gets each batch of rows as read."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._batches: queue.Queue[bytes | None] = queue.Queue(BATCHES_AHEAD)
        self._failed: OSError | None = None
        self._writer = threading.Thread(target=self._write, daemon=True)
        self._writer.start()

    def rows(self, rows: list[journal.StoredRow]) -> None:
        self._hand_over(_ROWS.encode(rows))

    def entry(self, entry: journal.StoredEntry) -> None:
        """The second process makes its own entries from the rows."""

    def first_break(self) -> journal.ChainBreak | None:
        self._hand_over(None)
        self._writer.join()
        assert self._process.stdout is not None
        answer = self._process.stdout.read()
        code = self._process.wait()
        if self._failed is not None or code != 0:
            raise RuntimeError(f"the chain check failed (exit code {code}): {self._failed}")
        found: journal.ChainBreak | None = _BREAK.decode(answer)
        return found

    def close(self) -> None:
        """Stop the second process if it still runs (the audit did not get to the end)."""
        with suppress(queue.Full):  # when full, the thread writes: the process's end stops it
            self._batches.put_nowait(None)  # the writing thread stops, if it waits for more
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()

    def _hand_over(self, batch: bytes | None) -> None:
        while True:
            try:
                self._batches.put(batch, timeout=WAIT_SECONDS)
                return
            except queue.Full:
                if not self._writer.is_alive():
                    raise RuntimeError(f"the chain check stopped reading: {self._failed}") from None

    def _write(self) -> None:
        """The writing thread: each batch after its length, then the end of the input."""
        stream = self._process.stdin
        assert stream is not None
        try:
            while (batch := self._batches.get()) is not None:
                stream.write(len(batch).to_bytes(_SIZE, "big"))
                stream.write(batch)
            stream.close()
        except OSError as exc:
            self._failed = exc


@contextmanager
def chain_check(apart: bool) -> Iterator[Chain]:
    """A chain check in a second process if `apart` (and this interpreter can start one),
    else in this one."""
    try:
        process = _start() if apart and sys.executable else None
    except OSError:  # no second process: the chain is followed here
        process = None
    if process is None:
        yield ChainCheck()
        return
    chain = ChainApart(process)
    try:
        yield chain
    finally:
        chain.close()


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


def follow_stream(source: IO[bytes], answer: IO[bytes]) -> None:
    """The second process: follow the chain over each batch read from `source` until it
    ends, then write the first break to `answer`."""
    chain = ChainCheck()
    readable = True
    rows = msgspec.msgpack.Decoder()
    while size := source.read(_SIZE):
        batch = source.read(int.from_bytes(size, "big"))
        if readable:
            readable = chain.follow(rows.decode(batch))
    answer.write(msgspec.msgpack.encode(chain.first_break()))
    answer.flush()


if __name__ == "__main__":
    follow_stream(sys.stdin.buffer, sys.stdout.buffer)
