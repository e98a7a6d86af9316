"""Units of work of one case's payments, which PostgreSQL runs side by side (docs/journal.md).

Such a unit of work takes the commands lock in shared mode, so it runs beside the others of
its kind and never beside any other command. Before it reads the first row of a case (the
case, its grant, one of its packages or disbursements) it locks that case's row, FOR UPDATE:
whatever it reads of the case afterwards, no other command can change until it commits.
A payment of a community project's tranche has no case: its project's row is locked instead.
Nothing of a case is read before that lock: each statement of a PostgreSQL transaction at
READ COMMITTED sees what was committed when it started, so the reads that follow the lock
see the last commit of any command that held it before.

It may write only the rows of that case's payments (`ONE_CASE_WRITES`, their balances, the
journal and the API's own records): what else it reads (programmes, policies, rates) only
commands that run alone write. A write elsewhere is a programming error, refused on every
database, so that the tests, on SQLite too, find a command opened as one case's wrongly.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Select, Table, bindparam, select

from reintegrate.store import tables as t
from reintegrate.store.fast_sql import FastStatements

CASES: Table = t.CaseRow.__table__  # type: ignore[attr-defined]
GRANTS: Table = t.GrantRow.__table__  # type: ignore[attr-defined]
PACKAGES: Table = t.PackageRow.__table__  # type: ignore[attr-defined]
DISBURSEMENTS: Table = t.DisbursementRow.__table__  # type: ignore[attr-defined]

NOTES: Table = t.NoteRow.__table__  # type: ignore[attr-defined]
PROJECTS: Table = t.CommunityProjectRow.__table__  # type: ignore[attr-defined]

ONE_CASE_WRITES = frozenset({PACKAGES.name, DISBURSEMENTS.name, NOTES.name, PROJECTS.name})
"""The projections a unit of work of one case's payments may write: besides the payments,
the notes their free text is sealed in, which belong to the case (`services.notes.owner_of`),
and the community project whose tranche a payment pays (its row locked as a case's is)."""

_CASE_BY_ID = select(CASES.c.case_id).where(CASES.c.case_id == bindparam("value"))
_LOCK_CASE_OF: dict[str, Select[Any]] = {
    CASES.name: _CASE_BY_ID.with_for_update(),
    GRANTS.name: _CASE_BY_ID.with_for_update(),
    PACKAGES.name: select(CASES.c.case_id)
    .join(PACKAGES, PACKAGES.c.case_id == CASES.c.case_id)
    .where(PACKAGES.c.package_id == bindparam("value"))
    .with_for_update(of=CASES),
    DISBURSEMENTS.name: select(CASES.c.case_id)
    .join(PACKAGES, PACKAGES.c.case_id == CASES.c.case_id)
    .join(DISBURSEMENTS, DISBURSEMENTS.c.package_id == PACKAGES.c.package_id)
    .where(DISBURSEMENTS.c.disbursement_id == bindparam("value"))
    .with_for_update(of=CASES),
}
"""For a row of a case's, by its key: lock the case's row (and say which case it is)."""
_LOCK_PROJECT_OF_PAYMENT = (
    select(PROJECTS.c.project_id)
    .join(DISBURSEMENTS, DISBURSEMENTS.c.project_id == PROJECTS.c.project_id)
    .where(DISBURSEMENTS.c.disbursement_id == bindparam("value"))
    .with_for_update(of=PROJECTS)
)
"""For a payment of a community project's tranche, which has no case: lock the project's
row, so that two commands on its payments (or on the project) never run side by side."""


class OneCaseBreached(RuntimeError):
    """A unit of work opened for one case's payments did something else."""


class CaseLock:
    """The case a unit of work of one case's payments has locked, once it has."""

    def __init__(self, connection: Connection, fast: FastStatements) -> None:
        self.locks = connection.dialect.name == "postgresql"
        self.fast = fast
        self.entered = False
        """Whether a row of a case was read: on PostgreSQL, its case is locked since."""

    def before_reading(self, table: Table, key: str) -> None:
        """On PostgreSQL, lock the case that the row `key` of `table` belongs to, unless one
        is locked: a row that does not exist belongs to no case and locks nothing."""
        if self.locks and not self.entered and table.name in _LOCK_CASE_OF:
            locked = self.fast.execute(_LOCK_CASE_OF[table.name], {"value": key}).first()
            if locked is None and table.name == DISBURSEMENTS.name:
                self.fast.execute(_LOCK_PROJECT_OF_PAYMENT, {"value": key})

    def after_reading(self, table: Table, found: object) -> None:
        """A row of a case was found: the case is entered (and locked, on PostgreSQL)."""
        if found is not None and table.name in _LOCK_CASE_OF:
            self.entered = True

    def check_accounts(self) -> None:
        """Balances are read only once the case is locked: they are the case's."""
        if not self.entered:
            raise OneCaseBreached(
                "a unit of work of one case's payments read balances before any row of its "
                "case: read the case, package or disbursement first, which locks the case"
            )

    def check_write(self, table: Table) -> None:
        if table.name not in ONE_CASE_WRITES:
            raise OneCaseBreached(
                f"a unit of work of one case's payments may not write {table.name}: "
                "open it without one_case"
            )
