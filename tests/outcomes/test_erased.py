"""Erased persons' scores are kept only as counts per bucket: they still count in the
evidence, as anonymous aggregates under the same suppression, never as persons."""

from __future__ import annotations

from decimal import Decimal

from reintegrate.outcomes.evidence import Query, evidence
from reintegrate.outcomes.groups import Axis
from reintegrate.outcomes.observations import of_counts
from reintegrate.outcomes.rows import COMPOSITE, AnonymousScores
from tests.outcomes.builders import CASH, observe, response


def erased(
    count: int, low: str, high: str, *, measure: str = COMPOSITE, again: bool = False
) -> AnonymousScores:
    return AnonymousScores(
        programme_id="prog-1",
        office="dakar",
        country="SN",
        cohort="2024-01",
        form="mixed",
        level="individual",
        business_plan="none",
        vulnerability="unknown",
        time_since_return="6-11",
        returned_again=again,
        measure=measure,
        low=Decimal(low),
        high=Decimal(high),
        count=count,
    )


KNOWN = observe([(response(n, person=f"p-{n}"), CASH, False) for n in range(12)])


def test_erased_persons_counts_make_a_group_of_their_own_with_quartiles_marked_inexact() -> None:
    counts = [erased(6, "0.6", "0.7"), erased(4, "0.2", "0.3", again=True)]
    groups = {
        g.group: g for g in evidence([*KNOWN, *of_counts(counts)], Query(axis=Axis.FORM), 10).groups
    }
    mixed = groups["mixed"]
    assert mixed.composite is not None
    assert (mixed.composite.n, mixed.returned_again) == (10, 4)
    assert mixed.returned_again_rate == Decimal("0.4")
    assert mixed.composite.median.value == Decimal("0.65")
    assert not mixed.composite.median.exact
    assert groups["cash_only"].composite is not None
    assert groups["cash_only"].composite.median.exact


def test_too_few_erased_persons_are_withheld_from_every_axis() -> None:
    counts = of_counts([erased(3, "0.6", "0.7")])
    by_form = evidence([*KNOWN, *counts], Query(axis=Axis.FORM), 10)
    by_level = evidence([*KNOWN, *counts], Query(axis=Axis.LEVEL), 10)
    assert [g.composite and g.composite.n for g in by_form.groups] == [12, None, None, None]
    assert [g.composite and g.composite.n for g in by_level.groups] == [12, None, None, None]


def test_a_dimension_kept_for_every_erased_response_is_compared_with_the_composite() -> None:
    counts = of_counts([erased(10, "0.6", "0.7"), erased(10, "0.1", "0.2", measure="economic")])
    mixed = evidence(counts, Query(axis=Axis.FORM), 10).groups[2]
    assert mixed.dimensions is not None
    economic = mixed.dimensions["economic"]
    assert economic is not None
    assert (economic.n, economic.median.value) == (10, Decimal("0.15"))


def test_a_dimension_missing_from_some_responses_of_a_group_is_left_out() -> None:
    counts = of_counts([erased(10, "0.6", "0.7"), erased(7, "0.1", "0.2", measure="social")])
    mixed = evidence(counts, Query(axis=Axis.FORM), 10).groups[2]
    assert mixed.dimensions == {"social": None}
