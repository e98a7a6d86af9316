"""The policy's community rules and the arithmetic of per-capita shares."""

from __future__ import annotations

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from reintegrate import events as ev
from reintegrate.community.projects import per_capita_shares, share_changes
from reintegrate.policy import validate_policy
from reintegrate.policy_community import CommunityRules
from tests import builders as b


def problems_of(**fields: object) -> list[str]:
    rules = CommunityRules(**{"max_per_participant": "400.00", **fields})  # type: ignore[arg-type]
    policy = msgspec.structs.replace(b.eu_policy(), community=rules)
    return [p.field for p in validate_policy(policy)]


def test_sound_community_rules_have_no_problems() -> None:
    assert problems_of() == []


def test_a_community_share_of_one_or_more_is_refused_at_its_field() -> None:
    assert problems_of(min_community_share="1") == ["$.community.min_community_share"]


def test_a_value_per_participant_in_too_many_decimals_is_refused() -> None:
    assert problems_of(max_per_participant="10.001") == ["$.community.max_per_participant"]


def test_two_age_bands_with_one_name_are_refused() -> None:
    assert problems_of(age_bands=("18-35", "18-35")) == ["$.community.age_bands"]


def crowd(returnees: int, members: int) -> ev.Participants:
    return ev.Participants(
        returnees=tuple(
            ev.ReturneeParticipant(case_id=f"c-{n}", member_id="p") for n in range(returnees)
        ),
        counts=(ev.MemberCount(sex=ev.CountedSex.MALE, age_band="18-35", count=members),)
        if members
        else (),
    )


@given(amount=st.integers(0, 10**9), returnees=st.integers(1, 30), members=st.integers(0, 60))
def test_per_capita_shares_are_exact_and_never_below_an_equal_split(
    amount: int, returnees: int, members: int
) -> None:
    who = crowd(returnees, members)
    shares = [s.amount for s in per_capita_shares(amount, who)]
    equal, leftover = divmod(amount, who.total)
    assert len(shares) == returnees
    assert all(s in (equal, equal + 1) for s in shares)
    assert sum(shares) == returnees * equal + min(leftover, returnees)


@given(
    before=st.lists(st.integers(0, 10**6), min_size=1, max_size=6),
    after=st.lists(st.integers(0, 10**6), min_size=1, max_size=6),
)
def test_drawing_and_giving_back_the_changes_turns_old_shares_into_new_ones(
    before: list[int], after: list[int]
) -> None:
    old = tuple(
        ev.CountedShare(case_id=f"c-{n}", member_id="p", amount=a) for n, a in enumerate(before)
    )
    new = tuple(
        ev.CountedShare(case_id=f"c-{n}", member_id="p", amount=a) for n, a in enumerate(after)
    )
    draws, releases = share_changes(old, new)
    result = {s.case_id: s.amount for s in old}
    for s in draws:
        result[s.case_id] = result.get(s.case_id, 0) + s.amount
    for s in releases:
        result[s.case_id] -= s.amount
    assert {k: v for k, v in result.items() if v} == {s.case_id: s.amount for s in new if s.amount}
    assert all(s.amount > 0 for s in (*draws, *releases))
