"""The person registry: sealed records, once-only identity, one open case at a time."""

from __future__ import annotations

import msgspec
import pytest

from reintegrate.access import Role, Scope
from reintegrate.people.access_log import Reader
from reintegrate.people.registry import PersonExists, PersonInOpenCase
from reintegrate.services import packages as ps
from reintegrate.services import people
from reintegrate.services import programmes as prog
from reintegrate.services.context import Actor
from reintegrate.store.memory import MemoryStore
from tests.builders import (
    OFFICER,
    SOON,
    approved_package,
    cash,
    household,
    programme,
    register,
)
from tests.people.builders import CHECKS, marked_person, new_marker, register_marked

LAGOS_OFFICER = Actor("officer-lagos", Scope(offices=frozenset({"lagos"})))


@pytest.fixture
def store() -> MemoryStore:
    found = MemoryStore()
    programme(found)
    return found


def test_a_registered_persons_record_is_stored_only_sealed(store: MemoryStore) -> None:
    marker = new_marker()
    person = register_marked(store, marker, 1)

    with store.unit_of_work() as uow:
        sealed = uow.sealed_person(person.person_id)
    assert sealed is not None
    assert marker.encode() not in sealed.sealed + sealed.wrapped_key
    assert marker.encode() not in msgspec.json.encode(store.state.persons)
    reader = Reader(role=Role.OFFICER, route="/persons/{person_id}", purpose="casework")
    _, data = people.read_person(store, OFFICER, SOON, person.person_id, reader)
    assert data is not None
    assert data.family_name == f"{marker}family"


def test_identifiers_are_kept_in_their_normal_form(store: MemoryStore) -> None:
    given = msgspec.structs.replace(
        marked_person(new_marker(), 2), phones=("77 000 00 02",), external_refs=("ab-12/3",)
    )
    _, clean = people.register_person(store, CHECKS, OFFICER, SOON, office="dakar", data=given)

    assert clean.phones == ("+221770000002",)
    assert clean.external_refs == ("ab-12/3",)


def test_the_same_document_in_another_form_is_the_same_person(store: MemoryStore) -> None:
    first = register_marked(store, "A", 3)
    again = msgspec.structs.replace(
        marked_person("B", 4),
        documents=(msgspec.structs.replace(marked_person("A", 3).documents[0], number="a 0003"),),
    )

    with pytest.raises(PersonExists) as exists:
        people.register_person(store, CHECKS, OFFICER, SOON, office="dakar", data=again)
    assert exists.value.details == {"person_id": first.person_id}


def test_a_match_in_another_office_is_not_named(store: MemoryStore) -> None:
    register_marked(store, "A", 5)
    same_phone = msgspec.structs.replace(marked_person("B", 6), phones=("+221770000005",))

    with pytest.raises(PersonExists) as exists:
        people.register_person(store, CHECKS, LAGOS_OFFICER, SOON, office="lagos", data=same_phone)
    assert exists.value.details == {}
    assert "another office" in exists.value.message


def test_a_person_in_an_open_case_cannot_join_another_until_it_closes(store: MemoryStore) -> None:
    first = register(store, household("c1", dependants=0, persons=("amina",)))
    package = approved_package(store, "c1", cash("c1-cash", 100_00))

    with pytest.raises(PersonInOpenCase) as refused:
        register(store, household("c2", dependants=0, persons=("amina",)))
    assert refused.value.field == "members[0].person_id"

    ps.close_package(store, OFFICER, SOON, package.package_id)
    again = register(store, household("c2", dependants=0, persons=("amina",)))
    assert again.members[0].person_id == first.members[0].person_id


def test_a_case_cannot_name_a_person_of_another_office(store: MemoryStore) -> None:
    lagos = people.register_person(
        store, CHECKS, LAGOS_OFFICER, SOON, office="lagos", data=marked_person("L", 7)
    )[0]
    case = household("c3", dependants=0, persons=(lagos.person_id,))
    case = msgspec.structs.replace(
        case,
        members=tuple(msgspec.structs.replace(m, person_id=lagos.person_id) for m in case.members),
    )

    with pytest.raises(Exception, match=f"no person {lagos.person_id}"):
        prog.register_case(store, OFFICER, SOON, case)


def test_the_rules_read_a_members_facts_from_their_persons_record(store: MemoryStore) -> None:
    child = register_marked(store, "C", 8, birth_year=2016)
    case = msgspec.structs.replace(
        household("c4", dependants=0),
        members=(
            msgspec.structs.replace(
                household("c4", dependants=0).members[0], person_id=child.person_id
            ),
        ),
    )
    prog.register_case(store, OFFICER, SOON, case)

    shown = prog.case_entitlement(store, OFFICER, "c4", SOON.date())
    assert shown.entitlement.persons[0].total != 0
    with store.unit_of_work() as uow:
        member = prog.load_case(uow, "c4", OFFICER).members[0]
    assert member.birth_year == 2016
