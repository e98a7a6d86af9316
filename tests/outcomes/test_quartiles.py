"""Quartiles and median are exact: those of linear interpolation between closest ranks."""

from __future__ import annotations

import statistics
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from reintegrate.outcomes.quartiles import Score, exactly, summary

scores = st.decimals(min_value=0, max_value=1, places=3, allow_nan=False, allow_infinity=False)


def brute_force(values: list[Decimal], p: Fraction) -> Fraction:
    """The point at `p` of the line through (i / (n - 1), i-th smallest value)."""
    ordered = sorted(Fraction(v) for v in values)
    n = len(ordered)
    if n == 1:
        return ordered[0]
    for i in range(n - 1):
        left, right = Fraction(i, n - 1), Fraction(i + 1, n - 1)
        if left <= p <= right:
            return ordered[i] + (p - left) * (n - 1) * (ordered[i + 1] - ordered[i])
    raise AssertionError(p)


@given(st.lists(scores, min_size=1, max_size=40))
def test_quartiles_are_the_points_of_the_line_through_the_ranks(values: list[Decimal]) -> None:
    found = summary((exactly(v), 1) for v in values)
    assert found is not None
    assert found.n == len(values)
    for quantile, p in ((found.q1, 1), (found.median, 2), (found.q3, 3)):
        assert Fraction(quantile.value) == brute_force(values, Fraction(p, 4))
        assert quantile.exact


@given(st.lists(scores, min_size=2, max_size=40))
def test_quartiles_agree_with_the_standard_librarys_inclusive_method(values: list[Decimal]) -> None:
    found = summary((exactly(v), 1) for v in values)
    expected = statistics.quantiles([Fraction(v) for v in values], n=4, method="inclusive")
    assert found is not None
    assert [Fraction(q.value) for q in (found.q1, found.median, found.q3)] == expected


@given(st.lists(st.tuples(scores, st.integers(1, 5)), min_size=1, max_size=20))
def test_a_score_given_with_a_count_counts_that_many_times(
    pairs: list[tuple[Decimal, int]],
) -> None:
    weighted = summary((exactly(v), w) for v, w in pairs)
    repeated = summary((exactly(v), 1) for v, w in pairs for _ in range(w))
    assert weighted == repeated


def test_the_median_of_an_even_count_lies_halfway_between_the_middle_scores() -> None:
    found = summary((exactly(Decimal(v)), 1) for v in ("0.1", "0.2", "0.4", "0.9"))
    assert found is not None
    assert (found.q1.value, found.median.value, found.q3.value) == (
        Decimal("0.175"),
        Decimal("0.3"),
        Decimal("0.525"),
    )


def test_a_score_known_only_by_its_bucket_takes_its_midpoint_and_is_marked_inexact() -> None:
    known = [(exactly(Decimal("0.5")), 1), (exactly(Decimal("0.9")), 1)]
    found = summary([*known, (Score(Decimal("0.6"), Decimal("0.7")), 1)])
    assert found is not None
    assert found.median.value == Decimal("0.65")
    assert not found.median.exact
    assert found.q3.value == Decimal("0.775")
    assert not found.q3.exact


def test_there_are_no_quartiles_of_no_scores() -> None:
    assert summary([]) is None
