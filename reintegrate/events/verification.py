"""Events of receipt verification: a random sample of paid disbursements is drawn, each
beneficiary's answer is recorded, and the follow-ups those answers open are closed.

The draw records its seed and parameters with the ids it drew, so anyone can draw the same
sample again from the same population; the answers carry amounts in minor units of the
disbursement's currency and a short note, never a person's name or contact.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import msgspec

from reintegrate.events.core import _Event
from reintegrate.notes import Text as FreeText
from reintegrate.texts import Text


class AnswerKind(enum.StrEnum):
    RECEIVED = "received"
    NOT_RECEIVED = "not_received"
    RECEIVED_WITH_ISSUES = "received_with_issues"
    """Received, with a problem the note describes (a fee asked, a late payment...)."""


class FollowUpReason(enum.StrEnum):
    NOT_RECEIVED = "not_received"
    AMOUNT_SHORT = "amount_short"
    """The beneficiary received less than was paid."""


class Resolution(enum.StrEnum):
    CONFIRMED_RECEIVED = "confirmed_received"
    """The money did arrive: the first answer was mistaken or came too early."""
    PROVIDER_CLAIM = "provider_claim"
    """The payment provider failed to deliver; a claim is raised with it."""
    REFERRED = "referred"
    """Referred for investigation (suspected diversion or fraud)."""
    UNRESOLVED = "unresolved"
    """Closed without a finding (the beneficiary could not be reached again...)."""


RESOLUTION_WORDS: dict[Resolution, Text] = {
    Resolution.CONFIRMED_RECEIVED: Text("confirmed received"),
    Resolution.PROVIDER_CLAIM: Text("a claim on the provider"),
    Resolution.REFERRED: Text("referred for investigation"),
    Resolution.UNRESOLVED: Text("unresolved"),
}
"""How a follow-up was closed, as a sentence says it."""


class DrawnPayment(msgspec.Struct, frozen=True, kw_only=True):
    """A disbursement drawn into the sample, with what was paid (in its own currency)."""

    disbursement_id: str
    amount: int
    currency: str


class VerificationRoundDrawn(_Event, frozen=True):
    round_id: str
    programme_id: str
    offices: tuple[str, ...] | None
    """The offices whose paid disbursements made the population (None: every office)."""
    confidence: Decimal
    margin: Decimal
    expected_proportion: Decimal
    seed: int
    population_size: int
    population_digest: str
    """SHA-256 of the population's ids, sorted and joined by newlines."""
    drawn: tuple[DrawnPayment, ...]
    on: dt.date


class OpenedFollowUp(msgspec.Struct, frozen=True, kw_only=True):
    follow_up_id: str
    reason: FollowUpReason
    shortfall: int
    """What the beneficiary says is missing, in minor units of the disbursement's currency."""


class ReceiptAnswerRecorded(_Event, frozen=True):
    round_id: str
    programme_id: str
    disbursement_id: str
    answer: AnswerKind
    amount: int | None
    """The amount the beneficiary says they received (None: not asked or not known)."""
    note: FreeText
    follow_up: OpenedFollowUp | None
    on: dt.date


class FollowUpClosed(_Event, frozen=True):
    round_id: str
    programme_id: str
    follow_up_id: str
    resolution: Resolution
    reason: FreeText
    on: dt.date
