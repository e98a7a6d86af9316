"""/business-plans/{plan_id}/...: evidence for milestones (a multipart upload), their
verification or rejection, tranche releases, monitoring visits and owners leaving.

A released tranche becomes one ordinary disbursement per owner still owed something, to be
approved and confirmed through /disbursements/{disbursement_id} like any other payment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, post
from litestar.enums import RequestEncodingType
from litestar.openapi.spec import Encoding, Operation, RequestBody
from litestar.params import Body, JSONBody, PathParameter

from api import schemas as s
from api import schemas_business as sb
from api.context import IdempotencyKey, IfMatch, PathId, RequestInvalid, actor, now, step, store
from api.problems import STEP_PROBLEMS, UPLOAD_PROBLEMS
from api.routes_business import APPROVERS, CASEWORK, plan_step
from api.security import allow
from reintegrate import events as ev
from reintegrate.access import Role
from reintegrate.business import evidence as files
from reintegrate.business.plans import MAX_OWNERS
from reintegrate.money import parse_amount
from reintegrate.services import business_milestones as bm
from reintegrate.services.users import Caller

VERIFIERS = (Role.ADMIN, Role.APPROVER, Role.OFFICER)
"""Verify a milestone or reject its evidence (never the one who submitted that evidence)."""
PAYERS = (Role.ADMIN, Role.FINANCE, Role.OFFICER)
"""Release a tranche (its disbursements are then approved and confirmed as any payment)."""
EVIDENCE_BODY_LIMIT = files.MAX_BYTES + 64 * 1024
"""The evidence file's own limit plus room for the other parts of the multipart body."""
ACCEPTED_FILES = ", ".join(sorted(files.SIGNATURES))
OwnerNumber = Annotated[
    int,
    PathParameter(ge=0, le=MAX_OWNERS - 1, description="the owner's position in the plan (0...)"),
]


@dataclass
class UploadOperation(Operation):
    """The upload's OpenAPI operation, stating which media types its `file` part may have."""

    def __post_init__(self) -> None:
        body = self.request_body
        if isinstance(body, RequestBody):
            for media in body.content.values():
                media.encoding = {"file": Encoding(content_type=ACCEPTED_FILES)}


def evidence_amount(data: sb.EvidenceUpload) -> tuple[int | None, str | None]:
    """The amount a receipt or an invoice proves, in minor units of its currency."""
    amount, currency = data.amount, data.currency
    if isinstance(amount, msgspec.UnsetType) and isinstance(currency, msgspec.UnsetType):
        return None, None
    if isinstance(amount, msgspec.UnsetType) or isinstance(currency, msgspec.UnsetType):
        missing = "amount" if isinstance(amount, msgspec.UnsetType) else "currency"
        raise RequestInvalid("amount and currency are sent together", field=missing)
    return parse_amount(amount, currency, field="amount"), currency


class BusinessPlanMilestoneController(Controller):
    path = "/business-plans"
    tags = ("business plans",)

    @post(
        "/{plan_id:str}/milestones/{milestone_id:str}/evidence",
        guards=[allow(*CASEWORK)],
        sync_to_thread=True,
        status_code=201,
        responses=UPLOAD_PROBLEMS,
        request_max_body_size=EVIDENCE_BODY_LIMIT,
        operation_class=UploadOperation,
    )
    def submit_evidence(
        self,
        request: Request[Caller, Any, Any],
        *,
        plan_id: PathId,
        milestone_id: PathId,
        data: Annotated[sb.EvidenceUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sb.BusinessPlanView]:
        """Upload a file (PDF, JPEG or PNG; the `file` part's Content-Type is its media type)
        as evidence for a milestone that is not verified yet. The file is kept under its
        SHA-256 and shown only by hash, type and size; the same file is never accepted twice.
        A receipt or an invoice states the `amount` it proves and its `currency`."""
        amount, currency = evidence_amount(data)
        content = data.file.file.read()
        media_type = data.file.content_type or "application/octet-stream"
        return plan_step(
            request,
            plan_id,
            if_match,
            lambda: bm.submit_evidence(
                store(request),
                actor(request),
                now(request),
                plan_id,
                milestone_id,
                kind=data.kind,
                file=bm.EvidenceFile(content, media_type),
                amount=amount,
                currency=currency,
            ),
            201,
        )

    @step("/{plan_id:str}/milestones/{milestone_id:str}/verification", *VERIFIERS)
    def verify_milestone(
        self,
        request: Request[Caller, Any, Any],
        plan_id: PathId,
        milestone_id: PathId,
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sb.BusinessPlanView]:
        """Verify: its pending evidence is accepted and its tranche may be released."""
        return plan_step(
            request,
            plan_id,
            if_match,
            lambda: bm.verify_milestone(
                store(request), actor(request), now(request), plan_id, milestone_id
            ),
        )

    @step("/{plan_id:str}/milestones/{milestone_id:str}/rejection", *VERIFIERS)
    def reject_evidence(
        self,
        request: Request[Caller, Any, Any],
        *,
        plan_id: PathId,
        milestone_id: PathId,
        data: JSONBody[s.ReasonIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sb.BusinessPlanView]:
        """Reject the milestone's pending evidence; new evidence must be submitted."""
        return plan_step(
            request,
            plan_id,
            if_match,
            lambda: bm.reject_milestone_evidence(
                store(request),
                actor(request),
                now(request),
                plan_id,
                milestone_id,
                reason=data.reason,
            ),
        )

    @step("/{plan_id:str}/tranches/{tranche_id:str}/release", *PAYERS)
    def release_tranche(
        self,
        request: Request[Caller, Any, Any],
        *,
        plan_id: PathId,
        tranche_id: PathId,
        data: JSONBody[sb.ReleaseIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sb.BusinessPlanView]:
        """Release a tranche whose milestone is verified, once receipts justify enough of
        what was already released: one disbursement per owner, split by what each is owed."""
        return plan_step(
            request,
            plan_id,
            if_match,
            lambda: bm.release_tranche(
                store(request),
                actor(request),
                now(request),
                plan_id,
                tranche_id,
                channel=data.channel,
                invoice_ref=data.invoice_ref,
            ),
        )

    @step("/{plan_id:str}/tranches/{tranche_id:str}/parts/{owner:int}/repayment", *PAYERS)
    def repay_tranche_part(
        self,
        request: Request[Caller, Any, Any],
        *,
        plan_id: PathId,
        tranche_id: PathId,
        owner: OwnerNumber,
        data: JSONBody[sb.ReleaseIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sb.BusinessPlanView]:
        """Pay again an owner's part of a released tranche whose payment failed, came back
        or was reversed (a new disbursement; the tranche stays released)."""
        return plan_step(
            request,
            plan_id,
            if_match,
            lambda: bm.repay_tranche_part(
                store(request),
                actor(request),
                now(request),
                plan_id,
                tranche_id,
                owner=owner,
                channel=data.channel,
                invoice_ref=data.invoice_ref,
            ),
        )

    @post(
        "/{plan_id:str}/visits",
        guards=[allow(*CASEWORK)],
        sync_to_thread=True,
        status_code=201,
        responses=STEP_PROBLEMS,
    )
    def record_visit(
        self,
        request: Request[Caller, Any, Any],
        plan_id: PathId,
        data: JSONBody[sb.VisitIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sb.BusinessPlanView]:
        """Record a monitoring visit to an approved or active plan's business."""
        revenue = None
        if data.revenue is not None:
            money = data.revenue
            minor = parse_amount(money.amount, money.currency, field="revenue.amount")
            revenue = ev.Sum(amount=minor, currency=money.currency)
        return plan_step(
            request,
            plan_id,
            if_match,
            lambda: bm.record_visit(
                store(request),
                actor(request),
                now(request),
                plan_id,
                on=data.on,
                status=data.status,
                revenue=revenue,
                jobs_created=data.jobs_created,
                notes=data.notes,
            ),
            201,
        )

    @step("/{plan_id:str}/owners/{owner:int}/departure", *APPROVERS)
    def owner_leaves(
        self,
        request: Request[Caller, Any, Any],
        *,
        plan_id: PathId,
        owner: OwnerNumber,
        data: JSONBody[sb.DepartureIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sb.BusinessPlanView]:
        """An owner leaves a group business: what they were still owed goes to the other
        owners (`reallocate`) or back to their own caps, exact to the minor unit."""
        return plan_step(
            request,
            plan_id,
            if_match,
            lambda: bm.owner_leaves(
                store(request),
                actor(request),
                now(request),
                plan_id,
                owner=owner,
                reallocate=data.reallocate,
                reason=data.reason,
            ),
        )
