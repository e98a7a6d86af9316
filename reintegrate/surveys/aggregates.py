"""What stays of an erased person's survey responses: counts of scores by programme,
country of return, return month, months since return, instrument version, measure
(the composite or a dimension) and tenth of the score. No person id, no response id, no
date finer than a month: nothing that points back to one person."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from reintegrate.surveys.records import ResponseRecord, ScoreCount

COMPOSITE = "composite"


def bucket(score: Decimal) -> int:
    """The tenth a score from 0 to 1 falls in; 1 is in the top one (9)."""
    return min(int(score * 10), 9)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` (0 when `end` is before a month has passed)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(months - (end.day < start.day), 0)


def score_counts(responses: Iterable[ResponseRecord]) -> list[ScoreCount]:
    """The counts the responses add to, one per key and measure scored."""
    counted: Counter[tuple[str, str, str, int, str, int, str, int]] = Counter()
    for r in responses:
        scores = dict(r.dimensions)
        if r.composite is not None:
            scores[COMPOSITE] = r.composite
        for measure, value in scores.items():
            key = (
                r.programme_id,
                r.country,
                r.returned_on.strftime("%Y-%m"),
                months_between(r.returned_on, r.answered_on),
                r.instrument_id,
                r.instrument_version,
                measure,
                bucket(Decimal(value)),
            )
            counted[key] += 1
    return [
        ScoreCount(
            programme_id=p,
            country=c,
            cohort=h,
            months_after=m,
            instrument_id=i,
            instrument_version=v,
            measure=s,
            bucket=b,
            count=n,
        )
        for (p, c, h, m, i, v, s, b), n in sorted(counted.items())
    ]
