"""Exact quartiles and median of scores, some of which may be known only by their bucket.

The quartiles are those of linear interpolation between the closest ranks (Hyndman and
Fan's type 7, `statistics.quantiles(method="inclusive")`): for `n` sorted values and
`p` in {1/4, 1/2, 3/4}, `h = (n - 1) p` and the quantile is
`x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])`. Scores are decimals and
`h - floor h` is a multiple of 1/4, so the result is an exact decimal: nothing is rounded.

An erased person's score is known only by its bucket `[low, high]`; it takes the bucket's
midpoint. A quantile is `exact` when no value it is read from is such a midpoint; otherwise
it lies within half a bucket's width of the quantile of the true scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, Inexact, localcontext
from fractions import Fraction

import msgspec


class Score(msgspec.Struct, frozen=True):
    """A score known exactly (`low == high`) or only by its bucket `[low, high]`."""

    low: Decimal
    high: Decimal

    @property
    def value(self) -> Fraction:
        return (Fraction(self.low) + Fraction(self.high)) / 2

    @property
    def exact(self) -> bool:
        return self.low == self.high


def exactly(value: Decimal) -> Score:
    return Score(value, value)


class Quantile(msgspec.Struct, frozen=True):
    value: Decimal
    exact: bool


class Summary(msgspec.Struct, frozen=True, kw_only=True):
    n: int
    q1: Quantile
    median: Quantile
    q3: Quantile


QUARTERS = (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4))


def summary(scores: Iterable[tuple[Score, int]]) -> Summary | None:
    """n, quartiles and median of `scores`, each given with how many times it occurs; None
    when there is none."""
    ordered = sorted(((s, w) for s, w in scores if w > 0), key=lambda sw: order(sw[0]))
    n = sum(w for _, w in ordered)
    if n == 0:
        return None
    q1, median, q3 = (quantile(ordered, n, p) for p in QUARTERS)
    return Summary(n=n, q1=q1, median=median, q3=q3)


def order(score: Score) -> tuple[Fraction, bool]:
    return score.value, score.exact


def quantile(ordered: Sequence[tuple[Score, int]], n: int, p: Fraction) -> Quantile:
    h = (n - 1) * p
    below = h.numerator // h.denominator
    first = nth(ordered, below)
    if h == below:
        return Quantile(decimal_of(first.value), first.exact)
    second = nth(ordered, below + 1)
    value = first.value + (h - below) * (second.value - first.value)
    return Quantile(decimal_of(value), first.exact and second.exact)


def nth(ordered: Sequence[tuple[Score, int]], index: int) -> Score:
    """The value at 0-based `index` of the sorted values, each repeated by its count."""
    seen = 0
    for score, weight in ordered:
        seen += weight
        if index < seen:
            return score
    raise IndexError(index)


def decimal_of(value: Fraction) -> Decimal:
    """`value` as a decimal, exactly (it has a terminating expansion)."""
    with localcontext() as context:
        context.prec = 100
        context.traps[Inexact] = True
        return Decimal(value.numerator) / Decimal(value.denominator)
