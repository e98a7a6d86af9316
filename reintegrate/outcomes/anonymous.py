"""What is kept of an erased person's scored responses: counts in the evidence's own shape
(`rows.AnonymousScores`), so that they go on counting in the same groups, under the same
suppression, without pointing back to anyone.

A response is classified by the evidence's rules (`observations.of_response`) while its
person's records can still be read; each score is kept only as its tenth (`[low, high]`).
Nothing finer than the groups, the office, the country and the return month stays: no
person, case or response id, no date, no instrument version.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

import msgspec

from reintegrate.outcomes.groups import Axis
from reintegrate.outcomes.observations import Facts, of_response
from reintegrate.outcomes.rows import AnonymousScores, ScoredResponse

TENTHS = 10


def tenth(score: Decimal) -> int:
    """The tenth a score from 0 to 1 falls in: 0 for [0, 0.1) ... 9 for [0.9, 1]."""
    return min(int(score * TENTHS), TENTHS - 1)


def tenth_bounds(number: int) -> tuple[Decimal, Decimal]:
    """The scores of tenth `number` lie in `[low, high]`."""
    return Decimal(number) / TENTHS, Decimal(number + 1) / TENTHS


def anonymous_scores(classified: Iterable[tuple[ScoredResponse, Facts]]) -> list[AnonymousScores]:
    """The counts that the responses, with the facts of their cases, add to: one per
    combination of groups, office, country, cohort, returned_again, measure and tenth.
    A response the evidence leaves out (incomplete) is counted nowhere."""
    counted: Counter[AnonymousScores] = Counter()
    for response, facts in classified:
        for observation in of_response(response, facts):
            unit = observation.unit
            low, high = tenth_bounds(tenth(observation.score.low))
            key = AnonymousScores(
                programme_id=response.programme_id,
                office=unit.office,
                country=unit.country,
                cohort=unit.cohort,
                form=unit.groups[Axis.FORM],
                level=unit.groups[Axis.LEVEL],
                business_plan=unit.groups[Axis.BUSINESS_PLAN],
                vulnerability=unit.groups[Axis.VULNERABILITY],
                time_since_return=unit.groups[Axis.TIME_SINCE_RETURN],
                returned_again=observation.returned_again,
                measure=observation.measure,
                low=low,
                high=high,
                count=0,
            )
            counted[key] += 1
    return [msgspec.structs.replace(key, count=n) for key, n in counted.items()]
