"""Possible duplicates: people registered twice under identifiers that differ (a new phone,
no document), found by names within a small edit distance with the same birth year and
nationality. An approver decides: the same person (merged, both histories kept: each keeps
their cases, and the rules read them as one identity) or different people (never listed
again)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable

import msgspec

from reintegrate.errors import DomainError, InvalidTransition, ValidationFailed
from reintegrate.events.people import PersonsDistinguished, PersonsMerged
from reintegrate.people.identity import normal_name
from reintegrate.people.records import PersonalData, PersonStatus, person_is
from reintegrate.people.registry import PersonRecord
from reintegrate.texts import Text

MAX_EDITS = 2
"""Edits (insertions, deletions, substitutions) between two names that make a possible
duplicate, on names normalised with their words in order."""

EditDistance = Callable[[str, str], int]


class Candidate(msgspec.Struct, frozen=True, kw_only=True):
    person_id: str
    name: str
    """`name_key` of the person's names."""
    birth_year: int
    nationality: str
    distinct_from: frozenset[str] = frozenset()


class PossibleDuplicate(msgspec.Struct, frozen=True, kw_only=True):
    first: str
    second: str
    edits: int
    """Edits between their names (0: the same names)."""


class BothInOpenCases(DomainError):
    type = "person-in-open-case"


def name_key(data: PersonalData) -> str:
    """Given and family names normalised, their words sorted (a swapped order matches)."""
    return " ".join(sorted(normal_name(f"{data.given_names} {data.family_name}").split()))


def candidate(person: PersonRecord, data: PersonalData) -> Candidate:
    return Candidate(
        person_id=person.person_id,
        name=name_key(data),
        birth_year=data.birth_day().year,
        nationality=data.nationality,
        distinct_from=frozenset(person.distinct_from),
    )


def possible_duplicates(
    candidates: Iterable[Candidate], distance: EditDistance
) -> list[PossibleDuplicate]:
    """Pairs with the same birth year and nationality whose names are within MAX_EDITS, not
    already decided different; compared only within each (birth year, nationality) block."""
    blocks: dict[tuple[int, str], list[Candidate]] = {}
    for c in candidates:
        blocks.setdefault((c.birth_year, c.nationality), []).append(c)
    found = []
    for block in blocks.values():
        for a, b in itertools.combinations(sorted(block, key=lambda c: c.person_id), 2):
            if b.person_id in a.distinct_from:
                continue
            edits = distance(a.name, b.name)
            if edits <= MAX_EDITS:
                found.append(PossibleDuplicate(first=a.person_id, second=b.person_id, edits=edits))
    return sorted(found, key=lambda d: (d.edits, d.first, d.second))


def decide(
    first: PersonRecord, second: PersonRecord, *, same: bool, open_cases: tuple[int, int]
) -> PersonsMerged | PersonsDistinguished:
    """The same person: `second` merged into `first` (refused while both are in open
    cases); different people: the pair is not listed again."""
    if first.person_id == second.person_id:
        raise ValidationFailed(Text("a person is not a duplicate of themself"), field="second")
    for person in (first, second):
        if person.status is not PersonStatus.ACTIVE:
            raise InvalidTransition(person_is(person.person_id, person.status), field="person_id")
    if not same:
        return PersonsDistinguished(first=first.person_id, second=second.person_id)
    if all(open_cases):
        raise BothInOpenCases(
            Text(
                "persons {first} and {second} are both members of open cases: one person is a "
                "member of at most one open case, so close one first",
                first=first.person_id,
                second=second.person_id,
            ),
            field="second",
        )
    return PersonsMerged(kept=first.person_id, merged=second.person_id)
