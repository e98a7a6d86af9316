"""Request and response bodies of receipt verification, and the view of a round.

Ratios (confidence, margin, expected proportion) are decimal strings such as "0.95", never
JSON numbers; the domain checks their ranges. Amounts are money objects in the
disbursement's currency.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from api.schemas import Id, In, Money, MoneyOut, Out, Reason
from api.views import money
from reintegrate.events import AnswerKind, FollowUpReason, Resolution
from reintegrate.notes import plain, plain_or_none
from reintegrate.reconcile.receipts.answers import MAX_NOTE
from reintegrate.reconcile.receipts.rounds import MAX_SEED, FollowUp, VerificationRound

Ratio = Annotated[
    str,
    msgspec.Meta(min_length=3, max_length=7, pattern=r"^0\.\d{1,5}$", examples=["0.95"]),
]
Seed = Annotated[int, msgspec.Meta(ge=0, le=MAX_SEED)]
Note = Annotated[str, msgspec.Meta(max_length=MAX_NOTE)]


class RoundCreate(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    confidence: Ratio
    """The confidence level, e.g. "0.95" (0.80 to 0.999)."""
    margin: Ratio
    """The margin of error, e.g. "0.05" (0.01 to 0.5)."""
    expected_proportion: Ratio = "0.5"
    """The share of answers expected to be 'received' when known (0.01 to 0.99)."""
    seed: Seed | None = None
    """The draw's seed, to repeat an earlier draw; chosen at random (and shown) if absent."""


class AnswerIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    disbursement_id: Id
    answer: AnswerKind
    amount: Money | None = None
    """What the beneficiary says they received, in the disbursement's currency."""
    note: Note = ""
    """What went wrong (required with received_with_issues); never a name or a contact."""


class ClosureIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    resolution: Resolution
    reason: Reason


class AnswerView(Out, frozen=True, kw_only=True):
    answer: AnswerKind
    amount: MoneyOut | None
    note: str
    recorded_by: str
    recorded_on: dt.date


class DrawnView(Out, frozen=True, kw_only=True):
    disbursement_id: str
    paid: MoneyOut
    answer: AnswerView | None


class FollowUpView(Out, frozen=True, kw_only=True):
    follow_up_id: str
    disbursement_id: str
    reason: FollowUpReason
    shortfall: MoneyOut
    status: str
    """open or closed."""
    opened_by: str
    opened_on: dt.date
    resolution: Resolution | None
    closing_reason: str | None
    closed_by: str | None
    closed_on: dt.date | None


class VerificationRoundView(Out, frozen=True, kw_only=True):
    round_id: str
    programme_id: str
    offices: list[str] | None
    """The offices drawn from; null: every office."""
    confidence: str
    margin: str
    expected_proportion: str
    seed: int
    population_size: int
    population_digest: str
    sample_size: int
    answered: int
    open_follow_ups: int
    drawn: list[DrawnView]
    follow_ups: list[FollowUpView]
    drawn_by: str
    drawn_on: dt.date
    version: int


class VerificationRoundPage(Out, frozen=True, kw_only=True):
    items: list[VerificationRoundView]
    next_cursor: str | None


def round_view(found: VerificationRound) -> VerificationRoundView:
    answers = {a.disbursement_id: a for a in found.answers}
    drawn = []
    for d in found.drawn:
        said = answers.get(d.disbursement_id)
        drawn.append(
            DrawnView(
                disbursement_id=d.disbursement_id,
                paid=money(d.amount, d.currency),
                answer=None
                if said is None
                else AnswerView(
                    answer=said.answer,
                    amount=None if said.amount is None else money(said.amount, d.currency),
                    note=plain(said.note),
                    recorded_by=said.recorded_by,
                    recorded_on=said.recorded_on,
                ),
            )
        )
    return VerificationRoundView(
        round_id=found.round_id,
        programme_id=found.programme_id,
        offices=None if found.offices is None else list(found.offices),
        confidence=str(found.confidence),
        margin=str(found.margin),
        expected_proportion=str(found.expected_proportion),
        seed=found.seed,
        population_size=found.population_size,
        population_digest=found.population_digest,
        sample_size=len(found.drawn),
        answered=len(found.answers),
        open_follow_ups=sum(1 for f in found.follow_ups if f.is_open),
        drawn=drawn,
        follow_ups=[_follow_up_view(f) for f in found.follow_ups],
        drawn_by=found.drawn_by,
        drawn_on=found.drawn_on,
        version=found.version,
    )


def _follow_up_view(f: FollowUp) -> FollowUpView:
    return FollowUpView(
        follow_up_id=f.follow_up_id,
        disbursement_id=f.disbursement_id,
        reason=f.reason,
        shortfall=money(f.shortfall, f.currency),
        status="open" if f.is_open else "closed",
        opened_by=f.opened_by,
        opened_on=f.opened_on,
        resolution=f.resolution,
        closing_reason=plain_or_none(f.closing_reason),
        closed_by=f.closed_by,
        closed_on=f.closed_on,
    )
