"""One exception class per problem type the server answers with (docs/api.md, "Errors"),
each under the class of its status; `raise_problem` picks the class of an answer.

A type added on the server is one line here; until then it raises its status's class.
"""

from __future__ import annotations

from typing import Any

import msgspec

from api.schemas import Problem
from reintegrate.client.problems import (
    PREFIX,
    STATUS_CLASSES,
    BadRequest,
    Conflict,
    Forbidden,
    ProblemError,
    Refused,
    ServerError,
    TooLarge,
    UnsupportedMediaType,
)


class RequestInvalid(BadRequest):
    TYPE = "request-invalid"


class RoleForbidden(Forbidden):
    TYPE = "forbidden"


class FourEyes(Forbidden):
    TYPE = "four-eyes"


class MethodNotAllowed(ProblemError):
    STATUS, TYPE = 405, "method-not-allowed"


class InvalidTransition(Conflict):
    TYPE = "invalid-transition"


class IdempotencyKeyInFlight(Conflict):
    """The first request with this key is still running (retried before it is raised)."""

    TYPE = "idempotency-key-in-flight"


class IdempotencyKeyTakenOver(Conflict):
    TYPE = "idempotency-key-taken-over"


class AnswerLost(Conflict):
    TYPE = "answer-lost"


class AnswerNotKept(Conflict):
    TYPE = "answer-not-kept"


class StatementAlreadyImported(Conflict):
    TYPE = "statement-already-imported"


class MilestoneNotVerified(Conflict):
    TYPE = "milestone-not-verified"


class AssessmentFailed(Conflict):
    TYPE = "assessment-failed"


class EvidenceDuplicate(Conflict):
    TYPE = "evidence-duplicate"


class PackageBelongsToPlan(Conflict):
    TYPE = "package-belongs-to-plan"


class PersonExists(Conflict):
    TYPE = "person-exists"


class PersonInOpenCase(Conflict):
    TYPE = "person-in-open-case"


class ErasureRefused(Conflict):
    TYPE = "erasure-refused"


class CapBelowUse(Conflict):
    TYPE = "cap-below-use"


class AlreadyAnswered(Conflict):
    TYPE = "already-answered"


class RequestTooLarge(TooLarge):
    TYPE = "request-too-large"


class EvidenceTooLarge(TooLarge):
    TYPE = "evidence-too-large"


class EvidenceTypeUnsupported(UnsupportedMediaType):
    TYPE = "evidence-type-unsupported"


class PreconditionRequired(ProblemError):
    STATUS, TYPE = 428, "precondition-required"


class LimitExceeded(Refused):
    """A cap would be exceeded: `limit`, `size`, `used`, `requested`, `currency`."""

    TYPE = "limit-exceeded"


class StagedLimitExceeded(Refused):
    TYPE = "staged-limit-exceeded"


class CashShareExceeded(Refused):
    TYPE = "cash-share-exceeded"


class ReceiptsShort(Refused):
    TYPE = "receipts-short"


class ParticipationTooLow(Refused):
    TYPE = "participation-too-low"


class ValuePerParticipantExceeded(Refused):
    TYPE = "value-per-participant-exceeded"


class WindowClosed(Refused):
    TYPE = "window-closed"


class NotEligible(Refused):
    TYPE = "not-eligible"


class ValidationFailed(Refused):
    TYPE = "validation-failed"


class InvalidAmount(Refused):
    TYPE = "invalid-amount"


class UnknownCurrency(Refused):
    TYPE = "unknown-currency"


class NoFxRate(Refused):
    TYPE = "no-fx-rate"


class NoPolicyInForce(Refused):
    TYPE = "no-policy-in-force"


class InstrumentInvalid(Refused):
    TYPE = "instrument-invalid"


class PolicyInvalid(Refused):
    TYPE = "policy-invalid"


class PolicyVersionRefused(Refused):
    TYPE = "policy-version-refused"


class IdempotencyKeyReused(Refused):
    TYPE = "idempotency-key-reused"


class ClockWentBack(Refused):
    TYPE = "clock-went-back"


class StatementRejected(Refused):
    TYPE = "statement-rejected"


class StatementDoesNotReconcile(Refused):
    """`body["details"]["discrepancies"]` names each statement and by how much."""

    TYPE = "statement-does-not-reconcile"


class PayoutInstrumentMissing(Refused):
    TYPE = "payout-instrument-missing"


class SampleTooLarge(Refused):
    TYPE = "sample-too-large"


class MediaTypeUnsupported(UnsupportedMediaType):
    TYPE = "unsupported-media-type"


class AccountExists(Refused):
    TYPE = "account-exists"


class AmountAbovePaid(Refused):
    TYPE = "amount-above-paid"


class CurrencyMismatch(Refused):
    TYPE = "currency-mismatch"


class EvidenceEmpty(Refused):
    TYPE = "evidence-empty"


class ExportRangeInvalid(Refused):
    TYPE = "export-range-invalid"


class KeyUnavailable(Refused):
    TYPE = "key-unavailable"


class NoBusinessRules(Refused):
    TYPE = "no-business-rules"


class NoCommunityRules(Refused):
    TYPE = "no-community-rules"


class NoPaidDisbursements(Refused):
    TYPE = "no-paid-disbursements"


class NotInSample(Refused):
    TYPE = "not-in-sample"


class UnbalancedTransaction(Refused):
    TYPE = "unbalanced-transaction"


class UnknownAccount(Refused):
    TYPE = "unknown-account"


class InternalError(ServerError):
    TYPE = "internal-error"


def _every(cls: type[ProblemError]) -> list[type[ProblemError]]:
    return [cls, *(found for sub in cls.__subclasses__() for found in _every(sub))]


BY_TYPE: dict[str, type[ProblemError]] = {c.TYPE: c for c in _every(ProblemError) if c.TYPE}
"""Each problem type this client names, to its class."""


def class_of(kind: str, status: int) -> type[ProblemError]:
    """The class of problem type `kind` (without its prefix), else that of its status."""
    known = BY_TYPE.get(kind)
    if known is not None and status == known.STATUS:
        return known
    for cls in STATUS_CLASSES:
        if status == cls.STATUS:
            return cls
    return ServerError if status >= 500 else ProblemError


def problem_from(status: int, content: bytes) -> ProblemError:
    """The exception for an answer of `status` whose body is `content` (problem+json, or
    whatever a proxy in between answered)."""
    try:
        body = msgspec.json.decode(content, type=dict[str, Any])
        problem = msgspec.convert(body, Problem)
    except (msgspec.ValidationError, msgspec.DecodeError):
        text = content.decode("utf-8", "replace")[:200]
        problem = Problem(type=f"{PREFIX}http-{status}", title="Error", status=status, detail=text)
        body = msgspec.to_builtins(problem)
    return class_of(problem.type.removeprefix(PREFIX), status)(problem, body)
