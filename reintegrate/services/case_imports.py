"""Importing a caseload file: every household of the file registered (its persons, then its
case) in one unit of work, or nothing.

Everything is checked before anything is written (`services.case_import_checks`). A dry run
stops there. Otherwise the persons
and cases are recorded as the commands that register them one by one record them
(`people.keep_new_persons`, `programmes.case_registered`), with a `CasesImported` entry naming the
file by a keyed digest of its bytes: the same file again is found by it, inside the same
unit of work, and imports nothing new. The database orders the unit of work against every
other command (`docs/journal.md`), so several workers cannot import one file twice.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from reintegrate import events as ev
from reintegrate.adapters.caseload_files import read_caseload
from reintegrate.people.caseload import check_columns, group_rows
from reintegrate.people.caseload_cells import RowError, in_order
from reintegrate.people.identity import IdentifierChecks
from reintegrate.services.audit import collector_paused
from reintegrate.services.case_import_checks import (
    Progress,
    Ready,
    check_households,
    registered_already,
    repeated_in_file,
)
from reintegrate.services.context import Actor, existing_programme, new_id, utc
from reintegrate.services.people import NewPerson, keep_new_persons
from reintegrate.services.programmes import case_registered
from reintegrate.services.recording import record
from reintegrate.store.base import Store, UnitOfWork

FILE_DIGEST = "case-import-file"


class ImportReport(msgspec.Struct, frozen=True, kw_only=True):
    """What an import found and did: the households and persons the file holds, every error
    by row and column, and the import's id once recorded (or the earlier import of the same
    file, `already_imported`)."""

    dry_run: bool
    households: int
    persons: int
    errors: tuple[RowError, ...] = ()
    import_id: str | None = None
    already_imported: bool = False

    @property
    def imported(self) -> bool:
        """Whether this call registered the file's households."""
        return self.import_id is not None and not self.already_imported


def import_caseload(
    store: Store,
    checks: IdentifierChecks,
    actor: Actor,
    now: dt.datetime,
    *,
    programme_id: str,
    content: bytes,
    dry_run: bool = True,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a caseload file for `programme_id` and, unless `dry_run` or anything is wrong,
    register all its households at once. `NotFound` for an unknown programme; the file's own
    problems are the report's errors. A file imported before is found first, and answered
    with that import without checking it again."""
    told = progress or (lambda _step, _done, _total: None)
    table = read_caseload(content)
    columns = check_columns(table.header)
    if columns:
        return ImportReport(dry_run=dry_run, households=0, persons=0, errors=tuple(columns))
    groups, errors = group_rows(table.rows)
    errors += table.extra_cells
    report = ImportReport(dry_run=dry_run, households=len(groups), persons=len(table.rows))
    file_digest = store.keyring.digest(FILE_DIGEST, content)
    with store.reading() as uow:
        earlier = _earlier_import(uow, programme_id, file_digest)
    if earlier is not None:
        return msgspec.structs.replace(report, import_id=earlier, already_imported=True)
    with collector_paused():  # many objects that live until the end, and no cycles
        ready = check_households(
            groups,
            checks=checks,
            keyring=store.keyring,
            actor=actor,
            programme_id=programme_id,
            now=now,
            told=told,
        )
        errors += [e for r in ready if isinstance(r, list) for e in r]
        households = [r for r in ready if isinstance(r, Ready)]
        errors += repeated_in_file(households)
        with store.unit_of_work() as uow:
            earlier = _earlier_import(uow, programme_id, file_digest)  # again, in order
            if earlier is not None:
                return msgspec.structs.replace(report, import_id=earlier, already_imported=True)
            errors += registered_already(uow, actor, households)
            if errors or dry_run:
                return msgspec.structs.replace(report, errors=tuple(in_order(errors)))
            import_id = new_id("cim")
            cases = _record(uow, actor, now, households, told)
            marker = ev.CasesImported(
                import_id=import_id,
                programme_id=programme_id,
                file_digest=file_digest,
                households=len(households),
                persons=report.persons,
            )
            record(uow, actor.user_id, utc(now), [*cases, marker])
            uow.commit()
    return msgspec.structs.replace(report, import_id=import_id)


def _earlier_import(uow: UnitOfWork, programme_id: str, file_digest: str) -> str | None:
    """The import of the same file, if any; `NotFound` for an unknown programme."""
    existing_programme(uow.programme(programme_id), programme_id)
    return uow.case_import_with_digest(file_digest)


def _record(
    uow: UnitOfWork, actor: Actor, now: dt.datetime, households: list[Ready], told: Progress
) -> list[ev.Event]:
    """Register every household's persons (`keep_new_persons`, as `register_person` does
    one by one), then the events that register their cases (`case_registered`, as
    `register_case` makes it), to record after them."""
    told("recording", 0, len(households))
    persons = [
        NewPerson(ready.case.office, data, [d for _, d in identifiers])
        for ready in households
        for data, identifiers in zip(ready.persons, ready.identifiers, strict=True)
    ]
    person_ids = iter(keep_new_persons(uow, actor.user_id, utc(now), persons))
    cases: list[ev.Event] = []
    for ready in households:
        members = tuple(
            msgspec.structs.replace(m, person_id=next(person_ids)) for m in ready.case.members
        )
        cases.append(case_registered(msgspec.structs.replace(ready.case, members=members)))
    told("recording", len(households), len(households))
    return cases
