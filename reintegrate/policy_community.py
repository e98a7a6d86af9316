"""The `[community]` part of a policy: what community-based projects the programme funds.

- `min_community_share`: the least share of a project's participants who are community
  members and not returnees (IOM's integrated approach asks for about half).
- `max_per_participant`: the most a project's envelope may be worth per participant.
- `counts_against_individual_cap`: whether each returnee's per-capita share of a project is
  drawn from their household entitlement and their own, like an individual package; when it
  is, approving a project (or adding a participant) that would push a returnee over a cap is
  refused.
- `members_recorded_as`: how community members are recorded, with the least data the
  programme needs: `pseudonymous` ids, or just `counts` by sex and age band.
- `age_bands`: the bands those counts use.
- `receipts_share`: before a tranche is released, accepted receipts and invoices must prove
  spending of at least this share of the tranches already released (as for business plans).
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Annotated

import msgspec

from reintegrate import texts
from reintegrate.money import InvalidAmount, UnknownCurrency, parse_amount
from reintegrate.policy_base import Amount, Problem, _Strict
from reintegrate.policy_business import Share, as_decimal, share_from_0_to_1

BandName = Annotated[str, msgspec.Meta(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9_.+-]+$")]


class MemberRecords(enum.StrEnum):
    PSEUDONYMOUS = "pseudonymous"
    COUNTS = "counts"


class CommunityRules(_Strict, frozen=True, kw_only=True):
    min_community_share: Share = "0.5"
    max_per_participant: Amount
    receipts_share: Share = "1"
    counts_against_individual_cap: bool = True
    members_recorded_as: MemberRecords = MemberRecords.COUNTS
    age_bands: Annotated[tuple[BandName, ...], msgspec.Meta(min_length=1, max_length=12)] = (
        "0-17",
        "18-35",
        "36+",
    )

    def min_community_share_value(self) -> Decimal:
        return Decimal(self.min_community_share)

    def receipts_share_value(self) -> Decimal:
        return Decimal(self.receipts_share)


def validate_community(rules: CommunityRules, currency: str) -> list[Problem]:
    """Every problem of a policy's community rules."""
    problems: list[Problem] = []
    share = as_decimal(rules.min_community_share)
    if share is None or not 0 <= share < 1:
        problems.append(
            Problem(
                "$.community.min_community_share",
                texts.Text(
                    "'{share}' is not a share from 0 to below 1", share=rules.min_community_share
                ),
            )
        )
    receipts = as_decimal(rules.receipts_share)
    if receipts is None or not 0 <= receipts <= 1:
        problems.append(
            Problem("$.community.receipts_share", share_from_0_to_1(rules.receipts_share))
        )
    try:
        if parse_amount(rules.max_per_participant, currency) <= 0:
            problems.append(
                Problem("$.community.max_per_participant", texts.Text("must be positive"))
            )
    except (InvalidAmount, UnknownCurrency) as exc:
        problems.append(Problem("$.community.max_per_participant", exc.text))
    if len(set(rules.age_bands)) != len(rules.age_bands):
        shared = texts.Text("two age bands share a name")
        problems.append(Problem("$.community.age_bands", shared))
    return problems
