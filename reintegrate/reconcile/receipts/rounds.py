"""Receipt verification: a random sample of paid disbursements whose beneficiaries are asked
whether the money reached them.

Sample size (Cochran's formula for a proportion, with the finite population correction):

    z  = the standard normal quantile of 1 - (1 - confidence) / 2   (1.96 for 0.95)
    n0 = z² · p · (1 - p) / e²         p: expected proportion (0.5 unless known), e: margin
    n  = n0 / (1 + (n0 - 1) / N)       N: the population (paid disbursements in scope)

rounded up, and never below 1 nor above N. With 95 %, 5 % and p = 0.5, n0 = 384.1: a
population of 1,000 gives 278, a very large one 385 (Krejcie and Morgan's table, rounded up).
Only z is a float (`statistics.NormalDist().inv_cdf`); the rest is exact arithmetic on
fractions, so a size is never one off through rounding noise.

The draw: the population's ids sorted, then `random.Random(seed).sample(ids, n)`. The seed,
the parameters, the population's size and a digest of its ids are recorded with the ids
drawn, so that anyone can draw the same sample again from the same population and check it.
(Python keeps `Random(seed)` and `sample` stable across versions in practice but promises it
only for `random()`; the drawn ids are recorded, so no record ever depends on a redraw.)
Answers and follow-ups: `reconcile.receipts`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from statistics import NormalDist

import msgspec

from reintegrate import events as ev
from reintegrate.access import Scope
from reintegrate.errors import DomainError, ValidationFailed
from reintegrate.grants.disbursements import Disbursement, DisbursementStatus
from reintegrate.notes import Text as FreeText
from reintegrate.texts import Text

CONFIDENCE = (Decimal("0.80"), Decimal("0.999"))
"""The confidence levels a round may use (inclusive)."""
MARGIN = (Decimal("0.01"), Decimal("0.5"))
"""The margins of error a round may use (inclusive)."""
EXPECTED_PROPORTION = (Decimal("0.01"), Decimal("0.99"))
"""The expected proportions a round may assume (inclusive); 0.5 when nothing is known."""
DEFAULT_PROPORTION = Decimal("0.5")
MAX_SEED = 2**53 - 1
"""Seeds are 0..2⁵³-1, so that a JSON client reads them back exactly."""
MAX_SAMPLE = 2000
"""The most disbursements one round may draw (each one is a call or a visit)."""


class NothingToVerify(DomainError):
    """No paid disbursement in the programme and the caller's offices."""

    type = "no-paid-disbursements"


class SampleTooLarge(DomainError):
    """The parameters ask for more disbursements than a round may draw."""

    type = "sample-too-large"


class ReceiptAnswer(msgspec.Struct, frozen=True, kw_only=True):
    disbursement_id: str
    answer: ev.AnswerKind
    amount: int | None
    note: FreeText
    recorded_by: str
    recorded_on: dt.date


class FollowUp(msgspec.Struct, frozen=True, kw_only=True):
    follow_up_id: str
    disbursement_id: str
    reason: ev.FollowUpReason
    shortfall: int
    currency: str
    opened_by: str
    opened_on: dt.date
    resolution: ev.Resolution | None = None
    closing_reason: FreeText | None = None
    closed_by: str | None = None
    closed_on: dt.date | None = None

    @property
    def is_open(self) -> bool:
        return self.resolution is None


class VerificationRound(msgspec.Struct, frozen=True, kw_only=True):
    round_id: str
    programme_id: str
    offices: tuple[str, ...] | None
    confidence: Decimal
    margin: Decimal
    expected_proportion: Decimal
    seed: int
    population_size: int
    population_digest: str
    drawn: tuple[ev.DrawnPayment, ...]
    drawn_by: str
    drawn_on: dt.date
    answers: tuple[ReceiptAnswer, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    version: int = 1

    def payment(self, disbursement_id: str) -> ev.DrawnPayment | None:
        return next((d for d in self.drawn if d.disbursement_id == disbursement_id), None)

    def answer(self, disbursement_id: str) -> ReceiptAnswer | None:
        return next((a for a in self.answers if a.disbursement_id == disbursement_id), None)

    def follow_up(self, follow_up_id: str) -> FollowUp | None:
        return next((f for f in self.follow_ups if f.follow_up_id == follow_up_id), None)


def visible_to(found: VerificationRound, scope: Scope) -> bool:
    """A round is seen by whoever sees every office its population came from."""
    if scope.offices is None:
        return True
    return found.offices is not None and all(scope.allows(o) for o in found.offices)


def _within(value: Decimal, bounds: tuple[Decimal, Decimal], field: str) -> Fraction:
    low, high = bounds
    if not value.is_finite() or not low <= value <= high:
        raise ValidationFailed(
            Text(
                "{field} must be between {low} and {high} (got {value})",
                field=field,
                low=low,
                high=high,
                value=value if value.is_finite() else str(value),
            ),
            field=field,
            details={"limit": f"{field} between {low} and {high}", "requested": str(value)},
        )
    return Fraction(value)


def sample_size(
    population: int,
    confidence: Decimal,
    margin: Decimal,
    expected_proportion: Decimal = DEFAULT_PROPORTION,
) -> int:
    """How many of `population` to draw (see the module's docstring for the formula)."""
    if population < 1:
        raise ValidationFailed(Text("a sample is drawn from 1 or more"), field="population")
    c = _within(confidence, CONFIDENCE, "confidence")
    e = _within(margin, MARGIN, "margin")
    p = _within(expected_proportion, EXPECTED_PROPORTION, "expected_proportion")
    z = Fraction(NormalDist().inv_cdf(float(1 - (1 - c) / 2)))
    n0 = z * z * p * (1 - p) / (e * e)
    n = n0 / (1 + (n0 - 1) / population)
    return min(population, max(1, math.ceil(n)))


def population_of(disbursements: Iterable[Disbursement], programme_id: str) -> list[str]:
    """The ids of the programme's paid disbursements, sorted: what a round draws from (not
    those requested or approved, nor those failed, returned or reversed)."""
    return sorted(
        d.disbursement_id
        for d in disbursements
        if d.status is DisbursementStatus.PAID and d.programme_id == programme_id
    )


def population_digest(ids: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()


def draw_sample(ids: Sequence[str], size: int, seed: int) -> list[str]:
    """`size` of `ids`, drawn with `seed` from the ids sorted; the same ids and seed give the
    same sample. Answered sorted."""
    return sorted(random.Random(seed).sample(sorted(ids), size))


def check_seed(seed: int) -> int:
    if not 0 <= seed <= MAX_SEED:
        raise ValidationFailed(
            Text("seed must be between 0 and {most}", most=MAX_SEED), field="seed"
        )
    return seed


def draw_round(
    round_id: str,
    programme_id: str,
    offices: frozenset[str] | None,
    candidates: Iterable[Disbursement],
    *,
    confidence: Decimal,
    margin: Decimal,
    expected_proportion: Decimal = DEFAULT_PROPORTION,
    seed: int,
    today: dt.date,
) -> ev.VerificationRoundDrawn:
    """Draw a round from the paid disbursements among `candidates` (those of `offices`)."""
    check_seed(seed)
    by_id = {d.disbursement_id: d for d in candidates}
    ids = population_of(by_id.values(), programme_id)
    if not ids:
        raise NothingToVerify(
            Text(
                "programme {programme_id} has no paid disbursement in your offices to verify",
                programme_id=programme_id,
            ),
            field="programme_id",
        )
    size = sample_size(len(ids), confidence, margin, expected_proportion)
    if size > MAX_SAMPLE:
        raise SampleTooLarge(
            Text(
                "these parameters draw {size} disbursements; a round draws at most {most} "
                "(widen the margin or lower the confidence)",
                size=size,
                most=MAX_SAMPLE,
            ),
            field="margin",
            details={"limit": "sample size", "size": MAX_SAMPLE, "requested": size},
        )
    drawn = tuple(
        ev.DrawnPayment(disbursement_id=i, amount=by_id[i].amount, currency=by_id[i].currency)
        for i in draw_sample(ids, size, seed)
    )
    return ev.VerificationRoundDrawn(
        round_id=round_id,
        programme_id=programme_id,
        offices=None if offices is None else tuple(sorted(offices)),
        confidence=confidence,
        margin=margin,
        expected_proportion=expected_proportion,
        seed=seed,
        population_size=len(ids),
        population_digest=population_digest(ids),
        drawn=drawn,
        on=today,
    )
