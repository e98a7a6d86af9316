"""Small-cell suppression that differencing two queries cannot undo.

A query's groups are unions of *atoms*: the responses of one office, one country of return,
one cohort (return month) and one group of one axis. Every filter a query can take (the
caller's offices, the country, the cohort range, the axis) selects whole atoms. Before any
query is answered, the programme's responses are thinned, the same way for every query and
every caller: a response is withheld while any of its atoms (on any axis) holds fewer than
the minimum number of persons, repeatedly, until every atom holds none or at least the
minimum. What is left is the *publishable* set.

Every figure is computed from the publishable set only. So every group of every answer holds
none or at least the minimum; the difference between two answers that differ by a filter is
a union of atoms, each of none or at least the minimum; and the same question asked by
another axis covers the same responses. A withheld response never counts anywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence

import msgspec

from reintegrate.errors import ValidationFailed
from reintegrate.outcomes.groups import Axis
from reintegrate.texts import Text

DEFAULT_MINIMUM = 10
"""The smallest group shown, unless the setting or the programme's policy says more."""
FLOOR = 5
"""No setting or policy may show a group of fewer persons than this."""


def minimum_cell(setting: int = DEFAULT_MINIMUM, policy: int | None = None) -> int:
    """The minimum group size in force: the setting, raised (never lowered) by the policy
    (the highest `evidence_minimum_group` of the programme's policy versions)."""
    if setting < FLOOR:
        raise ValidationFailed(
            Text(
                "the minimum group size is at least {least}; {setting} was given",
                least=FLOOR,
                setting=setting,
            ),
            field="minimum_cell",
        )
    return max(setting, policy or 0)


class Unit(msgspec.Struct, frozen=True, kw_only=True):
    """Responses withheld or kept together: one response of a known person, or the counts of
    erased persons' responses that share every group (`persons` of them)."""

    key: Hashable
    office: str
    country: str
    cohort: str
    groups: dict[Axis, str]
    person: str | None
    """The known person's pseudonymous id; None for erased persons' counts."""
    persons: int = 1


Atom = tuple[str, str, str, Axis, str]


def atoms_of(unit: Unit) -> list[Atom]:
    return [(unit.office, unit.country, unit.cohort, a, g) for a, g in unit.groups.items()]


def publishable(units: Sequence[Unit], minimum: int) -> set[Hashable]:
    """The keys of the units left once every atom holds none or at least `minimum` persons."""
    kept = {unit.key: unit for unit in units}
    while True:
        sizes = atom_sizes(kept.values())
        small = [k for k, u in kept.items() if any(sizes[a] < minimum for a in atoms_of(u))]
        if not small:
            return set(kept)
        for key in small:
            del kept[key]


def atom_sizes(units: Iterable[Unit]) -> dict[Atom, int]:
    """Persons per atom: known persons counted once, erased persons' counts as they are."""
    known: dict[Atom, set[str]] = defaultdict(set)
    counted: dict[Atom, int] = defaultdict(int)
    for unit in units:
        for atom in atoms_of(unit):
            if unit.person is None:
                counted[atom] += unit.persons
            else:
                known[atom].add(unit.person)
    return {a: len(known[a]) + counted[a] for a in known.keys() | counted.keys()}
