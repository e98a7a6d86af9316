"""Moving the members of a database from before the person registry (schema 0007) into
sealed person records, journaled: used once, by migration 0008.

Each distinct `person_ref` becomes a person of its first case's office, whose record holds
what the member row held (nationality, birth, vulnerabilities; names were never recorded)
and the old reference as an external reference; each case's members are then linked to
their persons (`MembersLinked`), so that replaying the journal rebuilds them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import msgspec
from sqlalchemy import Connection

from reintegrate import events as ev
from reintegrate.cases import Vulnerability
from reintegrate.people.identity import identifier_digests
from reintegrate.people.keys import Keyring
from reintegrate.people.records import PersonalData
from reintegrate.services.people import keep_new_person
from reintegrate.services.recording import record
from reintegrate.store.base import EVERYWHERE
from reintegrate.store.sql_uow import SqlUnitOfWork

ACTOR = "migration-0008"
NOT_RECORDED = "(not recorded)"


class OldMember(msgspec.Struct, frozen=True, kw_only=True):
    """A member row's body as schema 0007 kept it."""

    member_id: str
    person_ref: str
    role: str
    nationality: str
    birth_date: dt.date | None = None
    birth_year: int | None = None
    vulnerabilities: tuple[Vulnerability, ...] = ()


def move_members(conn: Connection, keyring: Keyring, rows: Sequence[Any], now: dt.datetime) -> int:
    """Register a person for each distinct reference of `rows` (case_id, position, body)
    and link every case's members to them; returns how many persons were registered."""
    uow = SqlUnitOfWork(conn, keyring=keyring)
    last = uow.last_entry()
    at = max(now, last.at) if last else now
    persons: dict[str, str] = {}
    cases: dict[str, list[tuple[str, str]]] = {}
    for row in sorted(rows, key=lambda r: (r.case_id, r.position)):
        member = msgspec.json.decode(row.body, type=OldMember)
        if member.person_ref not in persons:
            persons[member.person_ref] = _register(uow, row.case_id, member, at)
        cases.setdefault(row.case_id, []).append((member.member_id, persons[member.person_ref]))
    for case_id, linked in cases.items():
        record(uow, ACTOR, at, [ev.MembersLinked(case_id=case_id, persons=tuple(linked))])
    return len(persons)


def _register(uow: SqlUnitOfWork, case_id: str, member: OldMember, at: dt.datetime) -> str:
    case = uow.case(case_id, EVERYWHERE)
    assert case is not None, f"a member's case exists ({case_id})"
    data = PersonalData(
        given_names=NOT_RECORDED,
        family_name=NOT_RECORDED,
        birth_date=member.birth_date,
        birth_year=member.birth_year,
        nationality=member.nationality,
        vulnerabilities=member.vulnerabilities,
        external_refs=(member.person_ref,),
    )
    digests = identifier_digests(uow.keyring, data.identifiers())
    return keep_new_person(uow, ACTOR, at, office=case.office, data=data, digests=digests)
