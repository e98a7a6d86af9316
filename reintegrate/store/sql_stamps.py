"""When each listed record was made and last written: `created_at` and `updated_at`.

A command's rows are stamped in one place, as its unit of work commits, with the time of the
last journal entry it appended: the time read inside the journal's order (never a worker's
clock read apart from it), so the stamps of all workers are ordered as their entries are.
A row is stamped once per command, however often the command wrote it; `created_at` is
kept from the first command that wrote the row. A write with no journal entry (none today)
leaves the stamps as they were.

Stamps are text of one fixed width (`stamp`), so that comparing them as strings, as an
index does, compares the times.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection

from sqlalchemy import Table, TextClause, text

from reintegrate.store.fast_sql import FastStatements
from reintegrate.store.tables import (
    BusinessPlanRow,
    CaseRow,
    CommunityProjectRow,
    DisbursementRow,
    PackageRow,
    PaymentBatchRow,
    StatementImportRow,
    VerificationRoundRow,
)

STAMPED: dict[str, str] = {
    str(row.__tablename__): key
    for row, key in (
        (CaseRow, "case_id"),
        (PackageRow, "package_id"),
        (DisbursementRow, "disbursement_id"),
        (BusinessPlanRow, "plan_id"),
        (CommunityProjectRow, "project_id"),
        (PaymentBatchRow, "batch_id"),
        (StatementImportRow, "import_id"),
        (VerificationRoundRow, "round_id"),
    )
}
"""The tables whose rows carry stamps, with their key column."""


def stamp(at: dt.datetime) -> str:
    """`at` in UTC as fixed-width text: `2025-06-02T10:00:00.000000+00:00`."""
    if at.tzinfo is None:
        raise ValueError("stamps are of timezone-aware times")
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


@functools.cache
def _stamp_statements(table: Table) -> tuple[TextClause, TextClause]:
    """The UPDATEs of one row's stamps: `updated_at` of a row stamped before, then both
    stamps of a row never stamped. Two statements, so that a row made long ago does not set
    its `created_at` again: SQLite rewrites the index entry of every column an UPDATE sets,
    changed or not. As text: the fast path (`fast_sql`) runs them on the driver's cursor."""
    key = STAMPED[table.name]
    return (
        text(
            f"UPDATE {table.name} SET updated_at = :at "
            f"WHERE {key} = :key AND created_at IS NOT NULL"
        ),
        text(
            f"UPDATE {table.name} SET created_at = :at, updated_at = :at "
            f"WHERE {key} = :key AND created_at IS NULL"
        ),
    )


class Stamps:
    """The stamped rows a unit of work wrote, by table, stamped when it commits."""

    def __init__(self) -> None:
        self.written: dict[str, tuple[Table, set[str]]] = {}

    def note(self, table: Table, key: str) -> None:
        if table.name in STAMPED:
            self.written.setdefault(table.name, (table, set()))[1].add(key)

    def write(self, fast: FastStatements, at: dt.datetime | None) -> None:
        """Stamp every row noted with `at`, the command's time (None: no entry, no stamp)."""
        written, self.written = self.written, {}
        if at is None:
            return
        text = stamp(at)
        for table, keys in written.values():
            _update(fast, table, sorted(keys), text)


def _update(fast: FastStatements, table: Table, keys: Collection[str], text: str) -> None:
    """Stamp the rows of `keys` (each once): the second statement only when the first left
    some row unstamped, a row made by this command (or before rows were stamped). Settling a
    million payments, every row stamped before, it found nothing in 3 to 6 s."""
    rows = [{"key": key, "at": text} for key in keys]
    stamped_before, never_stamped = _stamp_statements(table)
    if fast.execute(stamped_before, rows).rowcount < len(rows):
        fast.execute(never_stamped, rows)
