"""Correcting a person's record: journaled with a reason; a fact the rules read, for a case
member, needs a second person and revises the case's granted caps, or is refused with the
figures when a cap would fall below what was already used."""

from __future__ import annotations

import msgspec
import pytest

from reintegrate.access import Role
from reintegrate.errors import FourEyesViolation
from reintegrate.grants.revision import CapBelowUse
from reintegrate.people.access_log import Reader
from reintegrate.people.records import PersonalData
from reintegrate.people.registry import PersonExists
from reintegrate.people.vocabulary import CorrectionReason
from reintegrate.policy import load_policy
from reintegrate.services import people
from reintegrate.services import programmes as prog
from reintegrate.services.audit import verify_audit
from reintegrate.services.corrections import confirm_correction, correct_person
from reintegrate.store.memory import MemoryStore
from tests.builders import (
    ADMIN,
    APPROVER,
    EXAMPLES,
    OFFICER,
    SOON,
    approved_package,
    household,
    in_kind,
    programme,
    register,
)
from tests.people.builders import CHECKS, marked_person, new_marker, register_marked

NL = "nl-avrr"
TYPO = CorrectionReason.DATA_ENTRY_ERROR
READER = Reader(role=Role.OFFICER, route="test")


@pytest.fixture
def store() -> MemoryStore:
    found = MemoryStore()
    policy = load_policy((EXAMPLES / "netherlands-avrr-2017.toml").read_bytes())
    programme(found, programme_id=NL, policy=policy)
    return found


def record_of(store: MemoryStore, person_id: str) -> PersonalData:
    data = people.read_person(store, OFFICER, SOON, person_id, READER)[1]
    assert data is not None
    return data


def caps(store: MemoryStore, case_id: str) -> dict[str, tuple[int, int]]:
    found = prog.case_entitlement(store, ADMIN, case_id, SOON.date()).caps
    return {
        c.account.rsplit(":", 1)[-1]: (c.size, c.used)
        for c in found
        if ":person-cash:" not in c.account
    }


def granted_household(store: MemoryStore) -> tuple[str, str]:
    """Case c1 under the Dutch policy: an adult principal (1,800) and a minor (2,800), whose
    caps are granted with 2,000 of the minor's used; the two persons' ids."""
    case = register(store, household("c1", programme_id=NL, dependants=1))
    approved_package(store, "c1", in_kind("c1-kind", 2_000_00, member_id="d1"))
    return case.members[0].person_id, case.members[1].person_id


def test_a_new_phone_number_is_a_correction_done_at_once(store: MemoryStore) -> None:
    person = register_marked(store, new_marker(), 1)
    old = record_of(store, person.person_id)
    new = msgspec.structs.replace(old, phones=("+221770009999",))

    done = correct_person(store, CHECKS, OFFICER, SOON, person.person_id, data=new, reason=TYPO)

    assert done.version == 2
    assert record_of(store, person.person_id).phones == ("+221770009999",)
    freed = msgspec.structs.replace(marked_person("other", 2), phones=old.phones)
    people.register_person(store, CHECKS, OFFICER, SOON, office="dakar", data=freed)
    assert verify_audit(store).ok


def test_a_correction_may_not_take_another_persons_identifiers(store: MemoryStore) -> None:
    first = register_marked(store, new_marker(), 3)
    second = register_marked(store, new_marker(), 4)
    taken = msgspec.structs.replace(
        record_of(store, second.person_id), phones=record_of(store, first.person_id).phones
    )

    with pytest.raises(PersonExists):
        correct_person(store, CHECKS, OFFICER, SOON, second.person_id, data=taken, reason=TYPO)


def test_a_birth_year_of_a_case_member_waits_for_a_second_person_then_revises_the_caps(
    store: MemoryStore,
) -> None:
    principal, _ = granted_household(store)
    assert caps(store, "c1")["p"] == (1_800_00, 0)
    younger = msgspec.structs.replace(record_of(store, principal), birth_year=2010)

    proposed = correct_person(store, CHECKS, OFFICER, SOON, principal, data=younger, reason=TYPO)
    assert proposed.version == 1
    assert proposed.proposal is not None
    assert proposed.proposal.fields == ("birth_year",)
    with pytest.raises(FourEyesViolation):
        confirm_correction(store, OFFICER, SOON, principal)
    confirmed = confirm_correction(store, APPROVER, SOON, principal)

    assert confirmed.version == 2
    assert caps(store, "c1")["p"] == (2_800_00, 0)
    assert caps(store, "c1")["household"][0] == 5_600_00
    assert verify_audit(store).ok


def test_a_correction_that_would_cut_a_cap_below_what_was_used_is_refused_with_figures(
    store: MemoryStore,
) -> None:
    _, minor = granted_household(store)
    adult = msgspec.structs.replace(record_of(store, minor), birth_year=1990)
    correct_person(store, CHECKS, OFFICER, SOON, minor, data=adult, reason=TYPO)
    before = len(list(store.entries()))

    with pytest.raises(CapBelowUse) as refused:
        confirm_correction(store, APPROVER, SOON, minor)

    assert "entitlement of member d1 of case c1: 2800.00 EUR now, 1800.00 EUR after" in str(
        refused.value
    )
    assert refused.value.details["corrected_size"] == "1800.00"
    assert refused.value.details["used"] == "2000.00"
    assert len(list(store.entries())) == before
    assert record_of(store, minor).birth_year == 2015
    assert caps(store, "c1")["d1"] == (2_800_00, 2_000_00)


def test_a_person_in_no_case_has_a_birth_year_corrected_at_once(store: MemoryStore) -> None:
    person = register_marked(store, new_marker(), 5)
    older = msgspec.structs.replace(record_of(store, person.person_id), birth_year=1970)

    done = correct_person(store, CHECKS, OFFICER, SOON, person.person_id, data=older, reason=TYPO)

    assert (done.version, done.proposal) == (2, None)
