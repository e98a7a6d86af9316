"""The API's command lock, timed: how long each command holds it, by the clock and on CPU.

Commands run one at a time in the API process (`api.context.serialized`), so a route whose
every request is a command serves at most one request per lock hold. The benchmark's API
server uses `TimedLock` in place of the app's plain lock; it keeps running totals and writes
them to a file (at most every `WRITE_EVERY` seconds, after a release, and when the server
stops), which the benchmark reads before and after each run.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from pathlib import Path
from types import TracebackType

import msgspec

WRITE_EVERY = 0.25
"""Seconds between two writes of the totals."""


class LockTotals(msgspec.Struct, frozen=True):
    holds: int
    wall_s: float
    """Time the lock was held, by the clock: CPU, waits for the interpreter and the disk."""
    cpu_s: float
    """CPU time of the holding threads while they held it."""


class TimedLock:
    """A `threading.Lock` used as a context manager, with its hold times added up."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._writing = threading.Lock()
        self._holds, self._wall, self._cpu = 0, 0.0, 0.0
        self._started, self._started_cpu = 0.0, 0.0
        self._written = 0.0
        atexit.register(self.write)

    def __enter__(self) -> bool:
        self._lock.acquire()
        self._started, self._started_cpu = time.perf_counter(), time.thread_time()
        return True

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._wall += time.perf_counter() - self._started
        self._cpu += time.thread_time() - self._started_cpu
        self._holds += 1
        self._lock.release()
        if time.monotonic() - self._written >= WRITE_EVERY:
            self.write()

    def totals(self) -> LockTotals:
        return LockTotals(self._holds, self._wall, self._cpu)

    def write(self) -> None:
        if not self._writing.acquire(blocking=False):
            return  # another thread is writing them
        try:
            self._written = time.monotonic()
            temporary = self.path.with_suffix(".tmp")
            temporary.write_bytes(msgspec.json.encode(self.totals()))
            os.replace(temporary, self.path)
        finally:
            self._writing.release()


def read_totals(path: Path) -> LockTotals:
    """The totals last written (none yet: zero)."""
    if not path.exists():
        return LockTotals(0, 0.0, 0.0)
    return msgspec.json.decode(path.read_bytes(), type=LockTotals)


def per_hold_ms(before: LockTotals, after: LockTotals) -> tuple[float, float] | None:
    """Mean wall and CPU milliseconds per hold between two readings (None: no hold)."""
    holds = after.holds - before.holds
    if holds <= 0:
        return None
    wall = (after.wall_s - before.wall_s) * 1000 / holds
    return wall, (after.cpu_s - before.cpu_s) * 1000 / holds
