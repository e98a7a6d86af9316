"""Scored responses and erased persons' counts, as the observations the evidence counts."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

import msgspec

from reintegrate.errors import ValidationFailed
from reintegrate.outcomes.cells import Unit
from reintegrate.outcomes.groups import Axis, CaseAssistance, cohort_of, groups_of
from reintegrate.outcomes.quartiles import Score, exactly
from reintegrate.outcomes.rows import COMPOSITE, AnonymousScores, ScoredResponse
from reintegrate.texts import Text


class Observation(msgspec.Struct, frozen=True, kw_only=True):
    """One score of one measure (`COMPOSITE` or a dimension), `weight` times."""

    unit: Unit
    returned_again: bool
    measure: str
    score: Score
    weight: int = 1


class Facts(msgspec.Struct, frozen=True, kw_only=True):
    """What the records say of a response's case and person."""

    assistance: CaseAssistance
    returned_again: bool
    """The person has a case with a later return date: they migrated and returned again."""


def of_response(response: ScoredResponse, facts: Facts) -> list[Observation]:
    """A complete response's composite and dimension scores; none for an incomplete one
    (its composite does not exist, and its dimensions alone would be compared unevenly)."""
    if not response.complete or response.composite is None:
        return []
    if COMPOSITE in response.dimensions:
        raise ValidationFailed(
            Text(
                "a dimension may not be called '{name}': it names the composite score",
                name=COMPOSITE,
            ),
            field="dimensions",
        )
    unit = Unit(
        key=("response", response.response_id),
        office=response.office,
        country=response.country,
        cohort=cohort_of(response.returned_on),
        groups=groups_of(facts.assistance, response.returned_on, response.answered_on),
        person=response.person_id,
    )
    scores = {COMPOSITE: response.composite, **response.dimensions}
    return [
        Observation(unit=unit, returned_again=facts.returned_again, measure=m, score=exactly(s))
        for m, s in scores.items()
    ]


def of_counts(rows: Iterable[AnonymousScores]) -> list[Observation]:
    """Erased persons' counts; those that share every group are one unit, whose persons are
    its composite counts."""
    rows = [row for row in rows if row.count > 0]
    persons: dict[Hashable, int] = {}
    for row in rows:
        if row.measure == COMPOSITE:
            persons[anonymous_key(row)] = persons.get(anonymous_key(row), 0) + row.count
    return [
        Observation(
            unit=anonymous_unit(row, persons.get(anonymous_key(row), 0)),
            returned_again=row.returned_again,
            measure=row.measure,
            score=Score(row.low, row.high),
            weight=row.count,
        )
        for row in rows
    ]


def anonymous_key(row: AnonymousScores) -> Hashable:
    groups = tuple(anonymous_groups(row).values())
    return ("erased", row.office, row.country, row.cohort, groups, row.returned_again)


def anonymous_groups(row: AnonymousScores) -> Mapping[Axis, str]:
    return {
        Axis.FORM: row.form,
        Axis.LEVEL: row.level,
        Axis.BUSINESS_PLAN: row.business_plan,
        Axis.VULNERABILITY: row.vulnerability,
        Axis.TIME_SINCE_RETURN: row.time_since_return,
    }


def anonymous_unit(row: AnonymousScores, persons: int) -> Unit:
    return Unit(
        key=anonymous_key(row),
        office=row.office,
        country=row.country,
        cohort=row.cohort,
        groups=dict(anonymous_groups(row)),
        person=None,
        persons=persons,
    )
