"""The `[business]` part of a policy: how business plans are assessed and paid.

- `criteria`: what an assessor scores (market, skills, viability, risk...), each from 0 to
  `max_score`, with a weight; the plan passes when the weighted mean reaches `pass_mark`.
- `receipts_share`: before a tranche is released, receipts and invoices on the plan must
  prove spending of at least this share of the tranches already released.
- `window_months`: tranches are released from the plan's start date to this many months
  after it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated

import msgspec

from reintegrate import texts
from reintegrate.policy_base import Name, Problem, Wording, _Strict

Share = Annotated[str, msgspec.Meta(max_length=12)]


class Criterion(_Strict, frozen=True, kw_only=True):
    name: Name
    label: Wording = ""
    weight: Annotated[int, msgspec.Meta(ge=1, le=100)] = 1


class BusinessRules(_Strict, frozen=True, kw_only=True):
    criteria: Annotated[tuple[Criterion, ...], msgspec.Meta(min_length=1, max_length=20)]
    max_score: Annotated[int, msgspec.Meta(ge=1, le=100)] = 5
    pass_mark: Share
    receipts_share: Share = "1"
    window_months: Annotated[int, msgspec.Meta(ge=1, le=120)] = 12

    def pass_mark_value(self) -> Decimal:
        return Decimal(self.pass_mark)

    def receipts_share_value(self) -> Decimal:
        return Decimal(self.receipts_share)


def as_decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def share_from_0_to_1(written: str) -> texts.Text:
    """The problem of a share written as something else than a decimal from 0 to 1."""
    return texts.Text("'{share}' is not a share from 0 to 1", share=written)


def validate_business(rules: BusinessRules) -> list[Problem]:
    """Every problem of a policy's business rules."""
    problems: list[Problem] = []
    names = [c.name for c in rules.criteria]
    if len(set(names)) != len(names):
        problems.append(Problem("$.business.criteria", texts.Text("two criteria share a name")))
    mark = as_decimal(rules.pass_mark)
    if mark is None or not 0 <= mark <= rules.max_score:
        problems.append(
            Problem(
                "$.business.pass_mark",
                texts.Text(
                    "'{mark}' is not a number from 0 to max_score ({most})",
                    mark=rules.pass_mark,
                    most=rules.max_score,
                ),
            )
        )
    share = as_decimal(rules.receipts_share)
    if share is None or not 0 <= share <= 1:
        problems.append(
            Problem("$.business.receipts_share", share_from_0_to_1(rules.receipts_share))
        )
    return problems
