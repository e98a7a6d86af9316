"""Properties of `entitlement` over generated policies, households, dates and history.

The bounds (never negative, the household cap, the top-up maxima, the cash ceiling, the
stages) and the eligibility rules are recomputed here from the policy and the case, not read
back from the entitlement's own fields where that can be avoided.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from reintegrate.case_words import RETURN_TYPES
from reintegrate.cases import (
    Member,
    PriorAssistance,
    Role,
    Vulnerability,
    age_on,
    validate_case,
)
from reintegrate.entitlement import Entitlement, Line, entitlement
from reintegrate.policy import (
    AppliesTo,
    Household,
    Policy,
    label_of,
    load_policy,
    policy_to_json,
    validate_policy,
)
from tests.properties.policy_strategies import (
    NATIONALITIES,
    Scenario,
    scenarios,
    with_member,
)


def compute(s: Scenario) -> Entitlement:
    assert validate_policy(s.policy) == []
    validate_case(s.case, s.as_of)
    return entitlement(s.policy, s.case, s.as_of, list(s.history))


def optional_minor(policy: Policy, amount: str | None) -> int | None:
    return None if amount is None else policy.minor(amount)


def granted_top_ups(ent: Entitlement) -> dict[str, int]:
    """Each person's granted top-ups, as `PersonEntitlement.total` documents it: the person's
    total less their own lines and, for the principal, less the household add-ons."""
    add_ons = sum(a.amount for a in ent.household_add_ons)
    return {
        p.member_id: p.total
        - sum(line.amount for line in p.lines)
        - (add_ons if p.role is Role.PRINCIPAL else 0)
        for p in ent.persons
    }


def years_before(day: dt.date, years: int) -> dt.date:
    if (day.month, day.day) == (2, 29):
        day = day.replace(day=28)
    return day.replace(year=day.year - years)


def expected_hits(s: Scenario) -> list[PriorAssistance]:
    """Assistance of a member in another case within the look-back, recomputed."""
    years = s.policy.look_back_years
    if years == 0:
        return []
    refs = {m.person_id for m in s.case.members}
    since = years_before(s.as_of, years)
    return [
        h
        for h in s.history
        if h.person_id in refs and h.case_id != s.case.case_id and since < h.approved_on <= s.as_of
    ]


@given(scenarios())
def test_no_amount_of_an_entitlement_is_ever_negative(s: Scenario) -> None:
    ent = compute(s)
    assert ent.total >= 0
    assert ent.top_ups >= 0
    assert ent.before_household_cap >= 0
    assert ent.cash_ceiling >= 0
    for person in ent.persons:
        assert person.total >= 0
        for line in (*person.lines, *person.top_ups):
            assert line.amount >= 0
            assert 0 <= line.cash <= line.amount
    for line in ent.household_add_ons:
        assert 0 <= line.cash <= line.amount
    for stage in ent.stages:
        assert stage.amount >= 0
        assert stage.cumulative >= 0


@given(scenarios())
def test_the_total_stays_under_the_cap_plus_top_ups_and_top_ups_under_their_maxima(
    s: Scenario,
) -> None:
    ent = compute(s)
    policy = s.policy
    cap = optional_minor(policy, policy.household.cap)
    per_person = optional_minor(policy, policy.vulnerability.max_per_person)
    per_household = optional_minor(policy, policy.vulnerability.max_per_household)
    assert ent.household_cap == cap
    base = ent.before_household_cap if cap is None else min(ent.before_household_cap, cap)
    if ent.eligible:
        assert ent.total == base + ent.top_ups
    else:
        assert ent.total == 0
    if cap is not None:
        assert ent.total <= cap + ent.top_ups
    granted = granted_top_ups(ent)
    assert sum(granted.values()) == ent.top_ups
    for person in ent.persons:
        assert 0 <= granted[person.member_id] <= sum(t.amount for t in person.top_ups)
        if per_person is not None:
            assert granted[person.member_id] <= per_person
    if per_household is not None:
        assert ent.top_ups <= per_household


@given(scenarios())
def test_the_cash_ceiling_is_never_more_than_the_total_nor_the_absolute_ceiling(
    s: Scenario,
) -> None:
    ent = compute(s)
    assert ent.cash_ceiling <= ent.total
    absolute = optional_minor(s.policy, s.policy.cash_ceiling.absolute)
    if absolute is not None:
        assert ent.cash_ceiling <= absolute
    lines = [x for p in ent.persons for x in p.lines] + list(ent.household_add_ons)
    top_up_lines = [x for p in ent.persons for x in p.top_ups]
    assert ent.cash_ceiling <= sum(x.cash for x in lines) + sum(x.cash for x in top_up_lines)


def earliest_first(wanted: list[int], limit: int) -> list[int]:
    """`wanted` per stage, cut to `limit` in all from the latest stages."""
    parts: list[int] = []
    for amount in wanted:
        parts.append(min(amount, limit))
        limit -= parts[-1]
    return parts


def expected_stage_amounts(s: Scenario, ent: Entitlement) -> list[int]:
    """Stages as docs/policies.md section 6 has them: the household cap cuts the person lines
    and add-ons from the latest stages; top-ups are outside the cap, and a top-up maximum cuts
    each person's top-ups from the latest stages too. Nothing when the case is not eligible."""
    names = list(s.policy.stage_names())
    if not ent.eligible:
        return [0] * len(names)

    def per_stage(lines: list[Line]) -> list[int]:
        return [sum(x.amount for x in lines if x.stage == name) for name in names]

    base_lines = [x for p in ent.persons for x in p.lines] + list(ent.household_add_ons)
    cap = optional_minor(s.policy, s.policy.household.cap)
    capped = ent.before_household_cap if cap is None else min(ent.before_household_cap, cap)
    amounts = earliest_first(per_stage(base_lines), capped)
    granted = granted_top_ups(ent)
    for person in ent.persons:
        top_ups = earliest_first(per_stage(list(person.top_ups)), granted[person.member_id])
        amounts = [a + b for a, b in zip(amounts, top_ups, strict=True)]
    return amounts


@given(scenarios())
def test_stages_accumulate_to_the_total_in_order_cutting_the_latest_first(s: Scenario) -> None:
    ent = compute(s)
    assert [x.stage for x in ent.stages] == list(s.policy.stage_names())
    cumulative = [x.cumulative for x in ent.stages]
    assert cumulative == sorted(cumulative)
    assert cumulative[-1] == ent.total
    assert cumulative == list(itertools.accumulate(x.amount for x in ent.stages))
    opens = [x.opens_on for x in ent.stages]
    assert opens == sorted(opens)
    assert opens[0] >= s.case.return_date
    assert [x.amount for x in ent.stages] == expected_stage_amounts(s, ent)
    assert ent.open_amount(s.case.return_date - dt.timedelta(days=1)) == 0
    assert ent.open_amount(opens[-1]) == ent.total


@given(scenarios())
def test_stages_open_cash_and_each_persons_share_within_their_limits(s: Scenario) -> None:
    ent = compute(s)
    cash = [x.cash_cumulative for x in ent.stages]
    assert cash == sorted(cash)
    assert cash[-1] <= ent.cash_ceiling
    for stage in ent.stages:
        assert 0 <= stage.cash <= stage.amount
    for person in ent.persons:
        mine = [x.persons[person.member_id] for x in ent.stages]
        mine_cash = [x.persons_cash[person.member_id] for x in ent.stages]
        assert mine == sorted(mine), "what a person may be paid never shrinks as stages open"
        assert mine_cash == sorted(mine_cash)
        if ent.eligible:
            assert mine[-1] == person.total, "by the last stage, the person's whole total"
        assert mine_cash[-1] <= person.cash
        assert all(c <= m for c, m in zip(mine_cash, mine, strict=True))
        own_cash = sum(x.cash for x in (*person.lines, *person.top_ups))
        if own_cash == 0 and person.role is not Role.PRINCIPAL:
            assert mine_cash[-1] == 0, "no cash where every line of the person is in kind"


@given(scenarios())
def test_an_ineligible_case_gets_nothing_and_a_reason_for_each_cause(s: Scenario) -> None:
    ent = compute(s)
    policy, case = s.policy, s.case
    category = next(
        (
            name
            for name, codes in policy.countries.categories.items()
            if case.country_of_return in codes
        ),
        policy.countries.default_category,
    )
    assert ent.category == category
    causes: list[str] = []
    if case.return_type not in policy.eligible_return_types:
        causes.append(f"return type '{RETURN_TYPES[case.return_type]}'")
    if category is None:
        causes.append(f"{case.country_of_return} is in no eligible category")
    elif category in policy.countries.ineligible_categories:
        causes.append(f"category '{category}' is not eligible")
    if case.principal.nationality in policy.excluded_nationalities:
        causes.append(f"nationality {case.principal.nationality} is excluded")
    hits = expected_hits(s)
    causes += [f"assisted on {h.approved_on}" for h in hits]
    assert sorted(ent.look_back, key=repr) == sorted(hits, key=repr)
    assert ent.eligible == (not causes)
    assert len(ent.reasons) == len(causes)
    unmatched = [str(r) for r in ent.reasons]
    for cause in causes:
        match = next((r for r in unmatched if cause in r), None)
        assert match is not None, f"no reason says {cause!r}: {ent.reasons}"
        unmatched.remove(match)
    if causes:
        assert ent.total == 0
        assert ent.cash_ceiling == 0
        assert all(x.amount == 0 and x.cumulative == 0 for x in ent.stages)


@st.composite
def added_dependants(draw: st.DrawFn, s: Scenario) -> tuple[Member, int]:
    """A new dependant, not in the history, born before the return, at any position."""
    born = draw(st.dates(dt.date(1930, 1, 1), s.case.return_date))
    member = Member(
        member_id="m-new",
        person_id="ref-new",
        role=Role.DEPENDANT,
        nationality=draw(st.sampled_from(NATIONALITIES)),
        birth_date=born,
        vulnerabilities=tuple(
            draw(st.lists(st.sampled_from(Vulnerability), unique=True, max_size=3))
        ),
    )
    return member, draw(st.integers(0, len(s.case.members)))


@given(scenarios(), st.data())
def test_adding_a_dependant_never_lowers_the_total_nor_exceeds_a_household_cap(
    s: Scenario, data: st.DataObject
) -> None:
    member, position = data.draw(added_dependants(s))
    bigger = with_member(s.case, member, position)
    capped = msgspec.structs.replace(s.policy, excluded_nationalities=())
    uncapped = msgspec.structs.replace(
        capped, household=Household(cap=None, add_ons=s.policy.household.add_ons)
    )
    before = compute(dataclasses.replace(s, policy=uncapped))
    after = compute(dataclasses.replace(s, policy=uncapped, case=bigger))
    assert after.eligible == before.eligible
    assert after.total >= before.total
    assert after.before_household_cap >= before.before_household_cap
    assert after.top_ups >= before.top_ups
    cap = optional_minor(s.policy, s.policy.household.cap)
    if cap is not None:
        for case in (s.case, bigger):
            ent = compute(dataclasses.replace(s, policy=capped, case=case))
            assert ent.total - ent.top_ups <= cap


@given(scenarios())
def test_the_same_inputs_always_give_the_same_explained_entitlement(s: Scenario) -> None:
    ent = compute(s)
    assert compute(s) == ent
    reloaded = load_policy(policy_to_json(s.policy), "json")
    assert reloaded == s.policy
    assert entitlement(reloaded, s.case, s.as_of, list(s.history)) == ent
    # The explanation adds up: each person's total is their own lines, their granted
    # top-ups and, for the principal, the household add-ons; before the cap, the lines and
    # add-ons of everyone.
    add_ons = sum(a.amount for a in ent.household_add_ons)
    granted = granted_top_ups(ent)
    assert [p.member_id for p in ent.persons] == [m.member_id for m in s.case.members]
    for person in ent.persons:
        own = sum(x.amount for x in person.lines)
        extra = add_ons if person.role is Role.PRINCIPAL else 0
        assert person.total == own + granted[person.member_id] + extra
        if person.excluded is not None:
            assert person.lines == ()
            assert person.top_ups == ()
            assert person.total == extra
    assert ent.before_household_cap == sum(x.amount for p in ent.persons for x in p.lines) + add_ons
    # The lines are exactly the matching rules (bands never overlap: validation refuses it).
    for person, member in zip(ent.persons, s.case.members, strict=True):
        bands = [b.name for b in s.policy.age_bands if b.contains(person.age)]
        assert person.age == age_on(member, s.case.return_date)
        assert len(bands) <= 1
        assert person.age_band == (bands[0] if bands else None)
        if person.excluded is not None:
            continue
        expected = [
            label_of(rule.label)
            for rule in s.policy.person_amounts
            if rule.applies_to in (AppliesTo.EVERYONE, member.role.value)
            and (not rule.age_bands or set(bands) & set(rule.age_bands))
            and (not rule.categories or ent.category in rule.categories)
            and (not rule.return_types or s.case.return_type in rule.return_types)
        ]
        assert [x.label for x in person.lines] == expected
    size = len(s.case.members)
    expected_add_ons = [
        label_of(a.label) for a in s.policy.household.add_ons if size >= a.min_members
    ]
    assert [a.label for a in ent.household_add_ons] == expected_add_ons
