"""The journal as JSON Lines, each entry exactly as stored, for an auditor's own check.

One line per entry: `{"seq", "at", "actor", "event", "prev_hash", "hash"}`, the event being
the stored bytes unchanged and `at` written as the hash covers it. `docs/audit-export.md`
gives the format field by field; `docs/verify_export.py` checks a file with the standard
library only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import msgspec

from reintegrate import journal
from reintegrate.store.base import Store, StoredView

LINES_PER_WRITE = 1000
_LINE = msgspec.json.Encoder()
"""Fields in the order `StoredEntry` declares them (not sorted: a line is read, not hashed)."""


@dataclass(frozen=True)
class Export:
    first: int
    last: int
    chunks: Iterator[bytes]
    """The lines, LINES_PER_WRITE at a time, each ending in a newline."""


@contextmanager
def journal_export(store: Store, first: int | None, last: int | None) -> Iterator[Export]:
    """The entries from `first` to `last` (default: the whole journal), read in one
    consistent read; raises `journal.ExportRangeInvalid` before reading any when the range is
    not inside the journal."""
    with store.consistent_read() as view:
        start, end = journal.export_range(first, last, view.last_seq())
        yield Export(first=start, last=end, chunks=_chunks(view, start, end))


def _chunks(view: StoredView, first: int, last: int) -> Iterator[bytes]:
    lines: list[bytes] = []
    for entry in view.stored_entries(first, last):
        lines.append(_LINE.encode(entry))
        if len(lines) == LINES_PER_WRITE:
            yield b"\n".join(lines) + b"\n"
            lines = []
    if lines:
        yield b"\n".join(lines) + b"\n"
