"""The comparison of outcome scores by a form of assistance: the figures of every group."""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal

import msgspec

from reintegrate.errors import ValidationFailed
from reintegrate.outcomes.cells import Unit, publishable
from reintegrate.outcomes.groups import GROUPS, Axis
from reintegrate.outcomes.observations import Observation
from reintegrate.outcomes.quartiles import Summary, summary
from reintegrate.outcomes.rows import COMPOSITE
from reintegrate.texts import Text

_COHORT = re.compile(r"^\d{4}-(0[1-9]|1[0-2])\Z")
RATE_PLACES = Decimal("0.0001")
"""A rate of returning again is rounded half-even to four places (0.0001 = 0.01 %)."""


class Query(msgspec.Struct, frozen=True, kw_only=True):
    axis: Axis
    country: str | None = None
    cohort_from: str | None = None
    cohort_to: str | None = None
    offices: frozenset[str] | None = None
    """The caller's offices; None for a caller who sees every office."""

    def selects(self, unit: Unit) -> bool:
        return (
            (self.offices is None or unit.office in self.offices)
            and (self.country is None or unit.country == self.country)
            and (self.cohort_from is None or unit.cohort >= self.cohort_from)
            and (self.cohort_to is None or unit.cohort <= self.cohort_to)
        )


def check_query(query: Query) -> None:
    for field, cohort in (("cohort_from", query.cohort_from), ("cohort_to", query.cohort_to)):
        if cohort is not None and not _COHORT.match(cohort):
            raise ValidationFailed(
                Text("a cohort is a month YYYY-MM; '{cohort}' was given", cohort=cohort),
                field=field,
            )
    if query.cohort_from and query.cohort_to and query.cohort_from > query.cohort_to:
        raise ValidationFailed(
            Text(
                "cohort_from {cohort_from} is after cohort_to {cohort_to}",
                cohort_from=query.cohort_from,
                cohort_to=query.cohort_to,
            ),
            field="cohort_from",
        )


class GroupFigures(msgspec.Struct, frozen=True, kw_only=True):
    """A group's figures; a suppressed group says only that it is."""

    group: str
    suppressed: bool
    returned_again: int | None = None
    """Responses whose person returned again; `composite.n` is the group's responses."""
    returned_again_rate: Decimal | None = None
    composite: Summary | None = None
    dimensions: dict[str, Summary | None] | None = None
    """Each dimension's figures; None for a dimension not scored in every response of the
    group (its figures would compare a part of the group)."""


class Evidence(msgspec.Struct, frozen=True, kw_only=True):
    query: Query
    minimum: int
    groups: tuple[GroupFigures, ...]


def evidence(observations: Sequence[Observation], query: Query, minimum: int) -> Evidence:
    """The figures of every group of `query.axis`, from the publishable observations only
    (`outcomes.cells`): a group of fewer than `minimum` persons is suppressed."""
    check_query(query)
    kept = publishable(units_of(observations), minimum)
    chosen = [o for o in observations if o.unit.key in kept and query.selects(o.unit)]
    groups = tuple(
        figures(group, [o for o in chosen if o.unit.groups[query.axis] == group], minimum)
        for group in GROUPS[query.axis]
    )
    return Evidence(query=query, minimum=minimum, groups=groups)


def units_of(observations: Sequence[Observation]) -> list[Unit]:
    """The units whose persons are counted: those with a composite score."""
    found: dict[Hashable, Unit] = {}
    for o in observations:
        if o.measure == COMPOSITE:
            found.setdefault(o.unit.key, o.unit)
    return list(found.values())


def figures(group: str, observations: Sequence[Observation], minimum: int) -> GroupFigures:
    """Counts are of responses, never of distinct persons: two answers' counts of responses
    differ by whole atoms, while their counts of distinct persons could differ by the few
    persons of an atom who answered nowhere else (a person whose two returns fall in two
    cohorts, say)."""
    composite = [o for o in observations if o.measure == COMPOSITE]
    stats = summary((o.score, o.weight) for o in composite)
    if stats is None or persons_of(composite) < minimum:
        return GroupFigures(group=group, suppressed=True)
    measures = sorted({o.measure for o in observations} - {COMPOSITE})
    dimensions = {m: dimension(m, observations, stats.n) for m in measures}
    returned = sum(o.weight for o in composite if o.returned_again)
    rate = (Decimal(returned) / Decimal(stats.n)).quantize(RATE_PLACES, ROUND_HALF_EVEN)
    return GroupFigures(
        group=group,
        suppressed=False,
        returned_again=returned,
        returned_again_rate=rate,
        composite=stats,
        dimensions=dimensions,
    )


def dimension(measure: str, observations: Sequence[Observation], n: int) -> Summary | None:
    found = summary((o.score, o.weight) for o in observations if o.measure == measure)
    return found if found is not None and found.n == n else None


def persons_of(composite: Sequence[Observation]) -> int:
    """Persons of the composite scores (known persons once each, erased persons' counts as
    they are): never fewer than the minimum in a publishable group, checked again here."""
    known = {o.unit.person for o in composite if o.unit.person is not None}
    return len(known) + sum(o.weight for o in composite if o.unit.person is None)
