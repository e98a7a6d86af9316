"""Importing a caseload file: every household of the file registered (its persons, then its
case) in one unit of work, or nothing.

Everything is checked before anything is written: the file's rows (`people.caseload`), each
person by the registry's own validation (`validate_person`, as `POST /persons`), each case by
the cases' (`validate_case`, as `POST /cases`), identifiers once only within the file and
against the registry (`check_not_registered`). A dry run stops there. Otherwise the persons
and cases are recorded as the commands that register them one by one record them
(`people.new_person`, `programmes.case_registered`), with a `CasesImported` entry naming the
file by a keyed digest of its bytes: the same file again is found by it, inside the same
unit of work, and imports nothing new. The database orders the unit of work against every
other command (`docs/journal.md`), so several workers cannot import one file twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import msgspec

from reintegrate import events as ev
from reintegrate.adapters.caseload_files import read_caseload
from reintegrate.cases import Case, validate_case
from reintegrate.errors import NotFound, ValidationFailed
from reintegrate.people.caseload import (
    IDENTIFIER_COLUMNS,
    Household,
    Row,
    RowError,
    check_columns,
    column_of,
    group_rows,
    member_index,
    read_household,
)
from reintegrate.people.identity import IdentifierChecks, identifier_digests
from reintegrate.people.keys import Keyring
from reintegrate.people.records import PersonalData
from reintegrate.people.registry import PersonExists, check_not_registered
from reintegrate.people.validation import validate_person
from reintegrate.services.context import Actor, new_id, utc
from reintegrate.services.people import NewPerson, as_kept, keep_new_persons, member_from
from reintegrate.services.programmes import case_registered
from reintegrate.services.recording import record
from reintegrate.store.base import Store, UnitOfWork

FILE_DIGEST = "case-import-file"
LOOKUP_CHUNK = 500
Progress = Callable[[str, int, int], None]
"""Told (step, done, total) as the import goes: `checking` households, then `recording`."""


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


class _Ready(msgspec.Struct, frozen=True, kw_only=True):
    """A household that passed every check made without the database."""

    household: Household
    case: Case
    """Its members named by placeholder person ids until the persons are registered."""
    persons: tuple[PersonalData, ...]
    """In normal form, one per member."""
    identifiers: tuple[tuple[tuple[str, str], ...], ...]
    """Per member: (column, keyed digest) of each of its identifiers."""


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
    problems are the report's errors."""
    told = progress or (lambda _step, _done, _total: None)
    table = read_caseload(content)
    columns = check_columns(table.header)
    if columns:
        return ImportReport(dry_run=dry_run, households=0, persons=0, errors=tuple(columns))
    groups, errors = group_rows(table.rows)
    errors += table.extra_cells
    ready = _check_households(
        groups,
        checks=checks,
        keyring=store.keyring,
        actor=actor,
        programme_id=programme_id,
        now=now,
        told=told,
    )
    errors += [e for r in ready if isinstance(r, list) for e in r]
    households = [r for r in ready if isinstance(r, _Ready)]
    errors += _repeated_in_file(households)
    file_digest = store.keyring.digest(FILE_DIGEST, content)
    report = ImportReport(dry_run=dry_run, households=len(groups), persons=len(table.rows))
    with store.unit_of_work() as uow:
        if uow.programme(programme_id) is None:
            raise NotFound(f"no programme {programme_id}", field="programme_id")
        earlier = uow.case_import_with_digest(file_digest)
        if earlier is not None:
            return msgspec.structs.replace(report, import_id=earlier, already_imported=True)
        errors += _registered_already(uow, actor, households)
        if errors or dry_run:
            return msgspec.structs.replace(report, errors=tuple(sorted(errors)))
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


def _check_households(
    groups: Sequence[Sequence[Row]],
    *,
    checks: IdentifierChecks,
    keyring: Keyring,
    actor: Actor,
    programme_id: str,
    now: dt.datetime,
    told: Progress,
) -> list[_Ready | list[RowError]]:
    today = utc(now).date()
    checked: list[_Ready | list[RowError]] = []
    for done, rows in enumerate(groups, 1):
        read, errors = read_household(rows)
        if read is None:
            checked.append(errors)
        else:
            ready = _check_household(
                read,
                checks=checks,
                keyring=keyring,
                actor=actor,
                programme_id=programme_id,
                today=today,
                whole=not errors,
            )
            checked.append(sorted(ready + errors) if isinstance(ready, list) else ready)
        if done % 100 == 0 or done == len(groups):
            told("checking", done, len(groups))
    return checked


def _check_household(
    household: Household,
    *,
    checks: IdentifierChecks,
    keyring: Keyring,
    actor: Actor,
    programme_id: str,
    today: dt.date,
    whole: bool,
) -> _Ready | list[RowError]:
    """The household checked by the registry's and the cases' rules, or its errors; only
    its persons when some of its rows did not read (not `whole`)."""
    errors: list[RowError] = []
    if not actor.scope.allows(household.office):
        message = f"you cannot register cases for office {household.office}"
        errors.append(RowError(row=household.first_row, column="office", message=message))
    persons = []
    for m in household.members:
        try:
            persons.append(validate_person(m.data, checks, today))
        except ValidationFailed as e:
            errors.append(RowError(row=m.row, column=column_of(e.field), message=e.message))
    if errors or not whole:
        return errors
    case = Case(
        case_id=new_id("case"),
        programme_id=programme_id,
        office=household.office,
        country_of_return=household.country_of_return.upper(),
        return_date=household.return_date,
        return_type=household.return_type,
        members=tuple(
            member_from(m.member_id, m.role, f"new-{i}", data)
            for i, (m, data) in enumerate(zip(household.members, persons, strict=True))
        ),
        stay_months=household.stay_months,
    )
    try:
        validate_case(case, today)
    except ValidationFailed as e:
        return [_case_error(household, e)]
    identifiers = tuple(
        tuple(
            (IDENTIFIER_COLUMNS[i.kind], identifier_digests(keyring, [i])[0])
            for i in data.identifiers()
        )
        for data in persons
    )
    return _Ready(household=household, case=case, persons=tuple(persons), identifiers=identifiers)


def _case_error(household: Household, error: ValidationFailed) -> RowError:
    """A case rule's error on the row of the member it names (else the household's first),
    without the member's values."""
    index = member_index(error.field)
    column = column_of(error.field)
    if index is None:
        return RowError(row=household.first_row, column=column, message=error.message)
    message = error.message
    if column in {"birth_date", "birth_year"}:
        message = "birth must be after 1900 and not after the household's return_date"
    return RowError(row=household.members[index].row, column=column, message=message)


def _repeated_in_file(households: list[_Ready]) -> list[RowError]:
    """An identifier names one person: a second row giving it is refused."""
    first: dict[str, int] = {}
    errors = []
    for ready in households:
        for member, identifiers in zip(ready.household.members, ready.identifiers, strict=True):
            for column, digest in identifiers:
                seen = first.setdefault(digest, member.row)
                if seen != member.row:
                    message = f"the same {column} as row {seen}: an identifier names one person"
                    errors.append(RowError(row=member.row, column=column, message=message))
    return errors


def _registered_already(uow: UnitOfWork, actor: Actor, households: list[_Ready]) -> list[RowError]:
    """Persons whose identifiers the registry knows, as `POST /persons` refuses them. The
    digests are looked up a chunk at a time; only a chunk that matched is looked at person by
    person."""
    people = [
        (member.row, identifiers)
        for ready in households
        for member, identifiers in zip(ready.household.members, ready.identifiers, strict=True)
        if identifiers
    ]
    errors = []
    for start in range(0, len(people), LOOKUP_CHUNK):
        chunk = people[start : start + LOOKUP_CHUNK]
        if uow.persons_with_identifiers(d for _, ids in chunk for _, d in ids):
            errors += [e for row, ids in chunk for e in _person_exists(uow, actor, row, ids)]
    return errors


def _person_exists(
    uow: UnitOfWork, actor: Actor, row: int, identifiers: tuple[tuple[str, str], ...]
) -> list[RowError]:
    errors = []
    for column, digest in identifiers:
        try:
            check_not_registered(as_kept(uow, uow.persons_with_identifiers([digest])), actor.scope)
        except PersonExists as e:
            errors.append(RowError(row=row, column=column, message=e.message))
    return errors


def _record(
    uow: UnitOfWork, actor: Actor, now: dt.datetime, households: list[_Ready], told: Progress
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
