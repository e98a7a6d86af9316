"""The checks of a caseload import, made before anything is written: each household's rows
(`people.caseload`), each person by the registry's own validation (`validate_person`, as
`POST /persons`), each case by the cases' (`validate_case`, as `POST /cases`), and
identifiers once only, within the file and against the registry (`check_not_registered`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import msgspec

from reintegrate.cases import Case, validate_case
from reintegrate.errors import ValidationFailed
from reintegrate.people.caseload import (
    IDENTIFIER_COLUMNS,
    Household,
    column_of,
    member_index,
    read_household,
    repeated_identifiers,
)
from reintegrate.people.caseload_cells import Row, RowError, in_order
from reintegrate.people.identity import IdentifierChecks, identifier_digest
from reintegrate.people.keys import Keyring
from reintegrate.people.records import PersonalData
from reintegrate.people.registry import PersonExists, check_not_registered
from reintegrate.people.validation import validate_person
from reintegrate.services.context import Actor, new_id, utc
from reintegrate.services.people import as_kept, member_from
from reintegrate.store.base import UnitOfWork
from reintegrate.texts import Text

LOOKUP_CHUNK = 500
Progress = Callable[[str, int, int], None]
"""Told (step, done, total) as the import goes: `checking` households, then `recording`."""


class Ready(msgspec.Struct, frozen=True, kw_only=True):
    """A household that passed every check made without the database."""

    household: Household
    case: Case
    """Its members named by placeholder person ids until the persons are registered."""
    persons: tuple[PersonalData, ...]
    """In normal form, one per member."""
    identifiers: tuple[tuple[tuple[str, str], ...], ...]
    """Per member: (column, keyed digest) of each of its identifiers."""


def check_households(
    groups: Sequence[Sequence[Row]],
    *,
    checks: IdentifierChecks,
    keyring: Keyring,
    actor: Actor,
    programme_id: str,
    now: dt.datetime,
    told: Progress,
) -> list[Ready | list[RowError]]:
    """Each household of `groups`, in order: ready to register, or the errors of its rows
    (every cell's, and the registry's for each person whose row read)."""
    today = utc(now).date()
    checked: list[Ready | list[RowError]] = []
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
            checked.append(in_order(ready + errors) if isinstance(ready, list) else ready)
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
) -> Ready | list[RowError]:
    """The household checked by the registry's and the cases' rules, or its errors; only
    its persons when some of its rows did not read (not `whole`)."""
    errors: list[RowError] = []
    if not actor.scope.allows(household.office):
        message = Text("you cannot register cases for office {office}", office=household.office)
        errors.append(RowError(row=household.first_row, column="office", message=message))
    persons = []
    for m in household.members:
        try:
            persons.append(validate_person(m.data, checks, today))
        except ValidationFailed as e:
            errors.append(RowError(row=m.row, column=column_of(e.field), message=e.text))
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
            (IDENTIFIER_COLUMNS[i.kind], identifier_digest(keyring, i)) for i in data.identifiers()
        )
        for data in persons
    )
    return Ready(household=household, case=case, persons=tuple(persons), identifiers=identifiers)


def _case_error(household: Household, error: ValidationFailed) -> RowError:
    """A case rule's error on the row of the member it names (else the household's first)."""
    index = member_index(error.field)
    row = household.first_row if index is None else household.members[index].row
    return RowError(row=row, column=column_of(error.field), message=error.text)


def repeated_in_file(households: list[Ready]) -> list[RowError]:
    """`people.caseload.repeated_identifiers` of the households checked."""
    return repeated_identifiers(
        (member.row, identifiers)
        for ready in households
        for member, identifiers in zip(ready.household.members, ready.identifiers, strict=True)
    )


def registered_already(uow: UnitOfWork, actor: Actor, households: list[Ready]) -> list[RowError]:
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
            errors.append(RowError(row=row, column=column, message=e.text))
    return errors
