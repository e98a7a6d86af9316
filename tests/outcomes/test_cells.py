"""No group under the minimum is shown, and differencing two answers reveals none either."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from reintegrate.errors import ValidationFailed
from reintegrate.outcomes.cells import FLOOR, minimum_cell
from reintegrate.outcomes.evidence import Evidence, GroupFigures, Query, evidence
from reintegrate.outcomes.groups import Axis
from reintegrate.outcomes.observations import Observation, of_counts
from tests.outcomes.builders import (
    CASH,
    IN_KIND,
    Rows,
    erased_counts,
    observe,
    programmes,
    response,
)

MONTHS = ["2024-01", "2024-02", "2024-03"]
FEBRUARY = dt.date(2024, 2, 10)


@st.composite
def queries(draw: st.DrawFn, axis: Axis) -> Query:
    first, last = sorted(draw(st.lists(st.sampled_from(MONTHS), min_size=2, max_size=2)))
    return Query(
        axis=axis,
        country=draw(st.sampled_from([None, "SN", "GM"])),
        cohort_from=draw(st.sampled_from([None, first])),
        cohort_to=draw(st.sampled_from([None, last])),
        offices=draw(
            st.sampled_from([None, frozenset({"dakar"}), frozenset({"kolda"}), frozenset()])
        ),
    )


@st.composite
def narrowed(draw: st.DrawFn, wide: Query) -> Query:
    """`wide` with one more filter: a query of a part of what `wide` asks."""
    choice = draw(st.sampled_from(["country", "from", "to", "offices"]))
    if choice == "country" and wide.country is None:
        return replace(wide, country=draw(st.sampled_from(["SN", "GM"])))
    if choice == "from":
        later: str = max(wide.cohort_from or MONTHS[0], draw(st.sampled_from(MONTHS)))
        later = min(later, wide.cohort_to or later)
        return replace(wide, cohort_from=later)
    if choice == "to":
        earlier: str = min(wide.cohort_to or MONTHS[-1], draw(st.sampled_from(MONTHS)))
        earlier = max(earlier, wide.cohort_from or earlier)
        return replace(wide, cohort_to=earlier)
    offices = sorted(wide.offices if wide.offices is not None else {"dakar", "kolda"})
    fewer = frozenset(draw(st.sets(st.sampled_from(offices)))) if offices else frozenset()
    return replace(wide, offices=fewer)


def shown(answer: Evidence) -> dict[str, int]:
    """What a caller reads: each group's response count, 0 where it is suppressed."""
    return {
        g.group: 0 if g.suppressed or g.composite is None else g.composite.n for g in answer.groups
    }


@settings(max_examples=300, deadline=None)
@given(programmes(), st.integers(2, 4), st.sampled_from(list(Axis)), st.data())
def test_two_answers_that_differ_by_a_filter_never_differ_by_fewer_than_the_minimum(
    rows: Rows, minimum: int, axis: Axis, data: st.DataObject
) -> None:
    observations = [*observe(rows), *of_counts(data.draw(erased_counts()))]
    wide = data.draw(queries(axis))
    narrow = data.draw(narrowed(wide))
    both = (
        shown(evidence(observations, wide, minimum)),
        shown(evidence(observations, narrow, minimum)),
    )
    for group in both[0]:
        difference = both[0][group] - both[1][group]
        assert difference == 0 or difference >= minimum, (group, both)


@settings(max_examples=200, deadline=None)
@given(programmes(), st.integers(2, 4), st.data())
def test_the_same_question_by_two_axes_covers_the_same_responses(
    rows: Rows, minimum: int, data: st.DataObject
) -> None:
    observations = observe(rows)
    query = data.draw(queries(Axis.FORM))
    totals = {
        sum(shown(evidence(observations, replace(query, axis=a), minimum)).values()) for a in Axis
    }
    assert len(totals) == 1


@settings(max_examples=200, deadline=None)
@given(programmes(), st.integers(2, 4), st.sampled_from(list(Axis)), st.data())
def test_every_group_shown_holds_at_least_the_minimum_of_persons_and_says_nothing_else(
    rows: Rows, minimum: int, axis: Axis, data: st.DataObject
) -> None:
    answer = evidence(observe(rows), data.draw(queries(axis)), minimum)
    for group in answer.groups:
        if group.suppressed:
            assert group == GroupFigures(group=group.group, suppressed=True)
        else:
            assert group.composite is not None
            assert group.composite.n >= minimum


def small_group_beside_a_large_one() -> list[Observation]:
    """Twelve Senegalese returnees helped in cash, and three Gambian ones."""
    senegal = [(response(n, person=f"s-{n}"), CASH, False) for n in range(12)]
    gambia = [(response(100 + n, person=f"g-{n}", country="GM"), CASH, False) for n in range(3)]
    return observe([*senegal, *gambia])


def test_a_country_filter_cannot_reveal_the_three_persons_it_leaves_out() -> None:
    observations = small_group_beside_a_large_one()
    everywhere = shown(evidence(observations, Query(axis=Axis.FORM), 10))
    senegal = shown(evidence(observations, Query(axis=Axis.FORM, country="SN"), 10))
    assert everywhere["cash_only"] == senegal["cash_only"] == 12


def test_a_small_group_is_withheld_from_every_axis_not_only_its_own() -> None:
    large = [(response(n, person=f"s-{n}"), CASH, False) for n in range(12)]
    small = [(response(50 + n, person=f"k-{n}"), IN_KIND, False) for n in range(2)]
    observations = observe([*large, *small])
    by_form = shown(evidence(observations, Query(axis=Axis.FORM), 10))
    by_time = shown(evidence(observations, Query(axis=Axis.TIME_SINCE_RETURN), 10))
    assert by_form == {"cash_only": 12, "in_kind_only": 0, "mixed": 0, "none": 0}
    assert sum(by_time.values()) == 12


def test_persons_who_returned_in_two_cohorts_do_not_reveal_the_one_who_returned_once() -> None:
    """Ten persons returned in January and nine of them again in February, with one more:
    counting distinct persons would differ by that one between January and both months."""
    january = [(response(n, person=f"p-{n}"), CASH, False) for n in range(10)]
    february = [
        (response(20 + n, person=f"p-{n}" if n < 9 else "q", returned_on=FEBRUARY), CASH, False)
        for n in range(10)
    ]
    observations = observe([*january, *february])
    both = shown(evidence(observations, Query(axis=Axis.FORM), 10))
    first = shown(evidence(observations, Query(axis=Axis.FORM, cohort_to="2024-01"), 10))
    assert both["cash_only"] - first["cash_only"] == 10


def test_persons_are_counted_once_however_often_they_answered() -> None:
    twice = [
        (response(n, person=f"p-{n % 6}", answered_on=dt.date(2024, 4 + n // 6, 10)), CASH, False)
        for n in range(12)
    ]
    answer = evidence(observe(twice), Query(axis=Axis.FORM), 10)
    assert [g.suppressed for g in answer.groups] == [True, True, True, True]


def test_the_minimum_may_be_raised_by_the_policy_never_set_below_the_floor() -> None:
    assert minimum_cell() == 10
    assert minimum_cell(policy=25) == 25
    assert minimum_cell(12, policy=8) == 12
    with pytest.raises(ValidationFailed, match=f"at least {FLOOR}; 3 was given"):
        minimum_cell(3)
