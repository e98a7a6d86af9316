"""Identifiers match whatever form they are typed in: an external reference or a document
number typed again in another case, with other separators, or composed otherwise is the same
person; a different one is not."""

from __future__ import annotations

import unicodedata

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reintegrate.errors import ValidationFailed
from reintegrate.people.identity import normal_code
from reintegrate.people.records import PersonalData
from reintegrate.people.registry import PersonExists
from reintegrate.services import people
from reintegrate.store.memory import MemoryStore
from tests.builders import OFFICER, SOON
from tests.people.builders import CHECKS

REFERENCE = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs", "Pd", "Po")),
    min_size=1,
    max_size=30,
)


def someone(reference: str) -> PersonalData:
    return PersonalData(
        given_names="Test",
        family_name="Person",
        birth_year=1990,
        nationality="SN",
        external_refs=(reference,),
    )


def variant(reference: str) -> str:
    """The same reference typed otherwise: other case, separators, decomposed accents."""
    spaced = " - ".join(reference.swapcase().split())
    return unicodedata.normalize("NFD", spaced)


@settings(max_examples=60, deadline=None)
@given(reference=REFERENCE)
def test_a_reference_typed_in_another_form_finds_the_person_registered_with_it(
    reference: str,
) -> None:
    store = MemoryStore()
    try:
        first = people.register_person(
            store, CHECKS, OFFICER, SOON, office="dakar", data=someone(reference)
        )[0]
    except ValidationFailed:
        return  # not a reference at all (nothing but separators, or too long)
    again = variant(reference)
    if normal_code(again) != normal_code(reference):
        return  # a case change that does not round-trip (rare scripts): not the same code
    with pytest.raises(PersonExists) as exists:
        people.register_person(store, CHECKS, OFFICER, SOON, office="dakar", data=someone(again))
    assert exists.value.details == {"person_id": first.person_id}


@settings(max_examples=60, deadline=None)
@given(first=REFERENCE, second=REFERENCE)
def test_two_references_are_one_person_exactly_when_their_normal_forms_are_equal(
    first: str, second: str
) -> None:
    store = MemoryStore()
    try:
        people.register_person(store, CHECKS, OFFICER, SOON, office="dakar", data=someone(first))
        people.register_person(
            store,
            CHECKS,
            OFFICER,
            SOON,
            office="dakar",
            data=msgspec.structs.replace(someone(second)),
        )
    except PersonExists:
        assert normal_code(first) == normal_code(second)
    except ValidationFailed:
        return
    else:
        assert normal_code(first) != normal_code(second)
