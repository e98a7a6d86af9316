"""What the OpenAPI document says an operation answers besides its body: the response headers
it sends, the problem types it can answer, and the four-eyes rule it is subject to.

Headers. `ETag` on the answers of every operation that answers a resource with an ETag (a
handler returning `Response[View]` with a view of `VERSIONED`: those send the ETag
`api.context.etag` makes); `Idempotent-Replayed` on every POST's success answer (the
idempotency middleware and `api.keyed` mark a stored answer sent again with it).

Problem types. Which domain rule a command breaks depends on the data, and the services do
not declare what they raise, so an operation's problem types are derived from the statuses it
declares: every type of each declared status (`api.problems.STATUS_OF_TYPE`; other domain
refusals are 422), except those that belong to what the operation is not: `four-eyes` only
where a four-eyes rule applies, the Idempotency-Key's types only on POSTs, `answer-not-kept`
only where an answer holds personal data.
"""

from __future__ import annotations

from collections.abc import Iterator

from litestar import Response
from litestar.datastructures import ResponseHeader
from litestar.handlers import HTTPRouteHandler
from msgspec import Struct

from api import schemas as s
from api import schemas_business as sb
from api import schemas_community as scm
from api import schemas_reconciliation as sr
from api import schemas_verification as sv
from api.keyed import PERSONAL_ANSWER
from api.problems import HTTP_TYPES, STATUS_OF_TYPE
from reintegrate.errors import DomainError

ETAG = ResponseHeader(
    name="ETag",
    documentation_only=True,
    value="",
    description="The version of the resource answered: send it as If-Match to change the "
    "resource only if no one changed it since.",
)
REPLAYED = ResponseHeader(
    name="Idempotent-Replayed",
    documentation_only=True,
    value="",
    description="`true` when this is the answer stored for an earlier request with the same "
    "Idempotency-Key and body, sent again: nothing was run again. A refusal sent again "
    "carries it too.",
)

FOUR_EYES = {
    "/packages/{package_id}/approval": "whoever drafted or submitted the package cannot approve it",
    "/packages/{package_id}/rejection": "whoever drafted or submitted the package cannot reject it",
    "/disbursements/{disbursement_id}/approval": "whoever requested the payment cannot approve it",
    "/disbursements/{disbursement_id}/confirmation": "whoever requested or approved the "
    "payment cannot confirm it as paid",
    "/disbursements/{disbursement_id}/reversal": "whoever confirmed the payment cannot reverse it",
    "/business-plans/{plan_id}/assessment": "whoever drafted or submitted the plan cannot "
    "assess it",
    "/business-plans/{plan_id}/approval": "whoever drafted or submitted the plan cannot approve it",
    "/business-plans/{plan_id}/milestones/{milestone_id}/verification": "whoever submitted "
    "the milestone's pending evidence cannot verify it",
    "/business-plans/{plan_id}/milestones/{milestone_id}/rejection": "whoever submitted the "
    "milestone's pending evidence cannot reject it",
    "/community-projects/{project_id}/approval": "whoever drafted or submitted the project "
    "cannot approve it",
    "/community-projects/{project_id}/rejection": "whoever drafted or submitted the project "
    "cannot reject it",
    "/community-projects/{project_id}/milestones/{milestone_id}/verification": "whoever "
    "submitted the milestone's pending evidence cannot verify it",
    "/community-projects/{project_id}/milestones/{milestone_id}/rejection": "whoever "
    "submitted the milestone's pending evidence cannot reject it",
    "/programmes/{programme_id}/receipt-verifications/{round_id}/answers": "whoever "
    "confirmed a payment as paid cannot record whether it was received",
    "/programmes/{programme_id}/receipt-verifications/{round_id}/follow-ups/{follow_up_id}"
    "/closure": "whoever recorded the answer that opened the follow-up cannot close it",
    "/statement-imports/{import_id}/decisions/{decision_id}/confirmation": "whoever proposed "
    "the decision cannot confirm it",
    "/statement-imports/{import_id}/application": "whoever requested or approved a payment "
    "cannot apply a statement that would confirm it",
    "/persons/{person_id}/erasure/confirmation": "whoever asked for the erasure cannot confirm it",
    "/persons/{person_id}/corrections/confirmation": "whoever proposed the correction cannot "
    "confirm it",
}
"""The POST operations a four-eyes rule applies to (`reintegrate.four_eyes`), by path, and
the rule as docs/api.md states it."""

VERSIONED: frozenset[type[Struct]] = frozenset(
    {
        s.CaseView,
        s.PackageView,
        s.DisbursementView,
        sb.BusinessPlanView,
        scm.CommunityProjectView,
        sr.PaymentBatchView,
        sr.StatementImportView,
        sv.VerificationRoundView,
    }
)
"""The views of the resources answered with their ETag (and changed with If-Match)."""

KEY_TYPES = frozenset(
    {"idempotency-key-in-flight", "idempotency-key-taken-over", "idempotency-key-reused"}
)
ANSWER_LOST, ANSWER_NOT_KEPT = "answer-lost", "answer-not-kept"
"""The middleware's own answers about a key (`api.idempotency`), 409."""


def headers_of(handler: HTTPRouteHandler) -> list[ResponseHeader]:
    """The headers `handler`'s success answer carries."""
    found = [ETAG] if answers_a_version(handler) else []
    return [*found, REPLAYED] if "POST" in handler.http_methods else found


def answers_a_version(handler: HTTPRouteHandler) -> bool:
    returned = handler.parsed_fn_signature.return_type
    if not returned.inner_types or not returned.is_subclass_of(Response):
        return False
    return returned.inner_types[0].annotation in VERSIONED


def problem_types(handler: HTTPRouteHandler, path: str) -> dict[int, list[str]]:
    """The problem types `handler` (at `path`) can answer, by status it declares."""
    post = "POST" in handler.http_methods
    left_out = set() if post else set(KEY_TYPES)
    if path not in FOUR_EYES:
        left_out.add("four-eyes")
    extra = {ANSWER_LOST} | ({ANSWER_NOT_KEPT} if handler.opt.get(PERSONAL_ANSWER) else set())
    statuses = sorted(handler.responses or {})
    every = known_types() | ({(409, t) for t in extra} if post else set())
    return {
        status: sorted({t for code, t in every if code == status} - left_out)
        for status in statuses
        if any(code == status for code, _ in every)
    }


def known_types() -> set[tuple[int, str]]:
    """Every problem type the server answers, with its status."""
    domain = {(STATUS_OF_TYPE.get(t, 422), t) for t in domain_types()}
    return domain | {(status, t) for status, t in HTTP_TYPES.items()}


def domain_types() -> set[str]:
    """The types of the domain's errors (and the API's own `DomainError`s): of each class that
    declares one, not of a base that only shares code between them (`DocumentInvalid`)."""
    return {
        cls.type
        for cls in _subclasses(DomainError)
        if cls.__module__.startswith(OURS) and "type" in vars(cls)
    }


OURS = ("reintegrate.", "api.")


def _subclasses(cls: type[DomainError]) -> Iterator[type[DomainError]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def problems_text(types: dict[int, list[str]]) -> str:
    lines = [f"- {status}: {', '.join(f'`{t}`' for t in found)}" for status, found in types.items()]
    head = (
        "Problem types it can answer (`/problems/TYPE`), by status: every type of each status "
        "it declares, as the rules that refuse depend on the data:"
    )
    return "\n".join([head, *lines])
