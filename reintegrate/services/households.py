"""Registering a household new to the registry: its people, then its case. Apart from
`people` and `programmes`, which it composes, so that neither imports the other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import msgspec

from reintegrate.cases import Case, Member
from reintegrate.people.identity import IdentifierChecks
from reintegrate.people.records import PersonalData
from reintegrate.people.registry import PersonExists
from reintegrate.services.context import Actor
from reintegrate.services.people import register_person
from reintegrate.services.programmes import register_case
from reintegrate.store.base import Store


def register_household(
    store: Store,
    checks: IdentifierChecks,
    actor: Actor,
    now: dt.datetime,
    case: Case,
    *,
    person_of: Callable[[Member], PersonalData],
) -> Case:
    """Register a household of people new to the registry: a person for each member (its
    record from `person_of`), then the case naming them. These are separate commands: if
    the case is refused, the persons stay registered, as if registered one by one; a member
    whose identifiers are known and visible to the caller is that person again."""
    members = []
    for m in case.members:
        try:
            person_id = register_person(
                store, checks, actor, now, office=case.office, data=person_of(m)
            )[0].person_id
        except PersonExists as exists:
            if "person_id" not in exists.details:
                raise
            person_id = str(exists.details["person_id"])
        members.append(msgspec.structs.replace(m, person_id=person_id))
    registered = msgspec.structs.replace(case, members=tuple(members))
    register_case(store, actor, now, registered)
    return registered
