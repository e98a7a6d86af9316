"""Possible duplicates: the same birth year and nationality, names within two edits; an
approver merges them (both histories kept, read as one person) or sets them apart."""

from __future__ import annotations

import msgspec
import pytest

from reintegrate.adapters.names import edit_distance
from reintegrate.people.duplicates import BothInOpenCases, Candidate, possible_duplicates
from reintegrate.people.records import PersonStatus
from reintegrate.people.registry import PersonExists, PersonInOpenCase
from reintegrate.people.vocabulary import ErasureReason
from reintegrate.services import duplicates, erasure, households, people
from reintegrate.services.audit import verify_audit
from reintegrate.store.memory import MemoryStore
from tests.builders import (
    ADMIN,
    APPROVER,
    OFFICER,
    SOON,
    approved_package,
    cash,
    household,
    programme,
    register,
)
from tests.people.builders import CHECKS, marked_person


def person(store: MemoryStore, serial: int, given: str, family: str, year: int = 1988) -> str:
    data = msgspec.structs.replace(
        marked_person(f"m{serial}", serial, birth_year=year),
        given_names=given,
        family_name=family,
    )
    return people.register_person(store, CHECKS, OFFICER, SOON, office="dakar", data=data)[
        0
    ].person_id


@pytest.fixture
def store() -> MemoryStore:
    found = MemoryStore()
    programme(found)
    return found


def test_names_a_letter_apart_or_in_another_order_are_possible_duplicates(
    store: MemoryStore,
) -> None:
    awa = person(store, 1, "Awa", "Diallo")
    typo = person(store, 2, "Awa", "Dialo")
    swapped = person(store, 3, "DIALLO", "Awa")
    person(store, 4, "Awa", "Diallo", year=1990)  # another birth year
    person(store, 5, "Fatou", "Ndiaye")

    found = duplicates.possible_duplicates(store, OFFICER, edit_distance)

    pairs = {(d.first, d.second): d.edits for d in found}
    assert pairs == {
        tuple(sorted((awa, swapped))): 0,
        tuple(sorted((typo, swapped))): 1,
        tuple(sorted((awa, typo))): 1,
    }


def test_people_set_apart_are_not_listed_again(store: MemoryStore) -> None:
    first, second = person(store, 1, "Awa", "Diallo"), person(store, 2, "Awa", "Dialo")

    duplicates.decide_duplicates(store, APPROVER, SOON, first, second, same=False)

    assert duplicates.possible_duplicates(store, OFFICER, edit_distance) == []


def test_a_merged_record_is_read_as_the_kept_person_by_every_rule(store: MemoryStore) -> None:
    case = register(store, household("c1", dependants=0))
    kept = case.members[0].person_id
    again = person(store, 7, "Someone", "Else")
    approved_package(store, "c1", cash("c1-cash", 100_00))

    duplicates.decide_duplicates(store, APPROVER, SOON, kept, again, same=True)

    assert store.state.persons[again].status is PersonStatus.MERGED
    with pytest.raises(PersonExists) as exists:
        people.register_person(
            store, CHECKS, OFFICER, SOON, office="dakar", data=marked_person("m7", 7)
        )
    assert exists.value.details == {"person_id": kept}
    with pytest.raises(PersonInOpenCase):
        households.register_household(
            store,
            CHECKS,
            OFFICER,
            SOON,
            household("c2", dependants=0),
            person_of=lambda _: marked_person("m7", 7),
        )
    assert verify_audit(store).ok


def test_two_people_each_in_an_open_case_are_not_merged(store: MemoryStore) -> None:
    first = register(store, household("c1", dependants=0)).members[0].person_id
    second = register(store, household("c2", dependants=0)).members[0].person_id

    with pytest.raises(BothInOpenCases):
        duplicates.decide_duplicates(store, APPROVER, SOON, first, second, same=True)


def test_candidates_are_compared_only_within_their_birth_year_and_nationality() -> None:
    calls: list[tuple[str, str]] = []

    def counting(a: str, b: str) -> int:
        calls.append((a, b))
        return 0

    people_ = [
        Candidate(person_id=f"p{n}", name="x", birth_year=1980 + n % 3, nationality="SN")
        for n in range(9)
    ]
    assert len(possible_duplicates(people_, counting)) == 9
    assert len(calls) == 9  # three blocks of three: three pairs each


def test_erasing_a_person_erases_the_records_merged_into_theirs(store: MemoryStore) -> None:
    kept, merged = person(store, 1, "Awa", "Diallo"), person(store, 2, "Awa", "Dialo")
    duplicates.decide_duplicates(store, APPROVER, SOON, kept, merged, same=True)

    erasure.request_erasure(store, ADMIN, SOON, kept, ErasureReason.PERSON_ASKED)
    erasure.confirm_erasure(store, APPROVER, SOON, kept)

    assert {store.state.persons[p].status for p in (kept, merged)} == {PersonStatus.ERASED}
    assert kept not in store.state.sealed
    assert merged not in store.state.sealed
    assert store.state.identifiers == {}
    assert verify_audit(store).ok
