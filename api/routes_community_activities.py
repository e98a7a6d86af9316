"""/community-projects/{project_id}/...: evidence for milestones (a multipart upload), their
verification or rejection, tranche releases to the partner or a supplier and the provider's
answer on each payment, outcomes reached at a milestone, and the project's end.

A project's tranches are paid to their payee directly (not through /disbursements): a
release puts a payment in flight, and its settlement records it paid or failed.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody

from api import schemas as s
from api import schemas_business as sb
from api import schemas_community as scm
from api.context import IdempotencyKey, IfMatch, PathId, actor, now, step, store
from api.problems import STEP_PROBLEMS, UPLOAD_PROBLEMS
from api.routes_business import APPROVERS, CASEWORK
from api.routes_business_milestones import (
    EVIDENCE_BODY_LIMIT,
    PAYERS,
    VERIFIERS,
    UploadOperation,
    evidence_amount,
)
from api.routes_community import project_step
from api.security import allow
from reintegrate import events as ev
from reintegrate.access import Role
from reintegrate.services import community_activities as ca
from reintegrate.services.business_milestones import EvidenceFile
from reintegrate.services.users import Caller

SETTLERS = (Role.ADMIN, Role.FINANCE)
"""Record the provider's answer on a tranche's payment (never the one who released it)."""


class CommunityProjectActivityController(Controller):
    path = "/community-projects"
    tags = ("community projects",)

    @post(
        "/{project_id:str}/milestones/{milestone_id:str}/evidence",
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
        project_id: PathId,
        milestone_id: PathId,
        data: Annotated[sb.EvidenceUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[scm.CommunityProjectView]:
        """Upload a file (PDF, JPEG or PNG; the `file` part's Content-Type is its media type)
        as evidence for a milestone that is not verified yet, of a submitted or running
        project. The file is kept under its SHA-256 and shown only by hash, type and size; the
        same file is never accepted twice. A receipt or an invoice states the `amount` it
        proves and its `currency`."""
        amount, currency = evidence_amount(data)
        content = data.file.file.read()
        media_type = data.file.content_type or "application/octet-stream"
        return project_step(
            request,
            project_id,
            if_match,
            lambda: ca.submit_evidence(
                store(request),
                actor(request),
                now(request),
                project_id,
                milestone_id,
                kind=data.kind,
                file=EvidenceFile(content, media_type),
                amount=amount,
                currency=currency,
            ),
            201,
        )

    @step("/{project_id:str}/milestones/{milestone_id:str}/verification", *VERIFIERS)
    def verify_milestone(
        self,
        request: Request[Caller, Any, Any],
        project_id: PathId,
        milestone_id: PathId,
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[scm.CommunityProjectView]:
        """Verify: its pending evidence is accepted and its tranche may be released. Whoever
        submitted that evidence cannot."""
        return project_step(
            request,
            project_id,
            if_match,
            lambda: ca.verify_milestone(
                store(request), actor(request), now(request), project_id, milestone_id
            ),
        )

    @step("/{project_id:str}/milestones/{milestone_id:str}/rejection", *VERIFIERS)
    def reject_evidence(
        self,
        request: Request[Caller, Any, Any],
        *,
        project_id: PathId,
        milestone_id: PathId,
        data: JSONBody[s.ReasonIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[scm.CommunityProjectView]:
        """Reject the milestone's pending evidence; new evidence must be submitted."""
        return project_step(
            request,
            project_id,
            if_match,
            lambda: ca.reject_milestone_evidence(
                store(request),
                actor(request),
                now(request),
                project_id,
                milestone_id,
                reason=data.reason,
            ),
        )

    @step("/{project_id:str}/tranches/{tranche_id:str}/release", *PAYERS)
    def release_tranche(
        self,
        request: Request[Caller, Any, Any],
        project_id: PathId,
        tranche_id: PathId,
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[scm.CommunityProjectView]:
        """Send a tranche whose milestone is verified to its payee (the partner for cash, the
        supplier for goods in kind), before the project's end date and once receipts justify
        enough of what was already released: a new payment in flight."""
        return project_step(
            request,
            project_id,
            if_match,
            lambda: ca.release_tranche(
                store(request), actor(request), now(request), project_id, tranche_id
            ),
        )

    @step("/{project_id:str}/payments/{payment_id:str}/settlement", *SETTLERS)
    def settle_payment(
        self,
        request: Request[Caller, Any, Any],
        *,
        project_id: PathId,
        payment_id: PathId,
        data: JSONBody[scm.SettlementIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[scm.CommunityProjectView]:
        """The provider's answer on a payment in flight: `paid` (with its `provider_ref`) or
        `failed` (the tranche may be released again). Whoever released it cannot."""
        return project_step(
            request,
            project_id,
            if_match,
            lambda: ca.settle_payment(
                store(request),
                actor(request),
                now(request),
                project_id,
                payment_id,
                outcome=data.outcome,
                provider_ref=data.provider_ref,
            ),
        )

    @post(
        "/{project_id:str}/milestones/{milestone_id:str}/outcomes",
        guards=[allow(*CASEWORK)],
        sync_to_thread=True,
        status_code=201,
        responses=STEP_PROBLEMS,
    )
    def report_outcomes(
        self,
        request: Request[Caller, Any, Any],
        *,
        project_id: PathId,
        milestone_id: PathId,
        data: JSONBody[scm.OutcomesIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[scm.CommunityProjectView]:
        """Report what a running or completed project reached at a milestone: participants
        reached (no more than take part), jobs and services created."""
        return project_step(
            request,
            project_id,
            if_match,
            lambda: ca.report_outcomes(
                store(request),
                actor(request),
                now(request),
                project_id,
                milestone_id,
                returnees_reached=data.returnees_reached,
                community_reached=data.community_reached,
                jobs_created=data.jobs_created,
                services_created=data.services_created,
            ),
            201,
        )

    @step("/{project_id:str}/completion", *APPROVERS)
    def complete(
        self,
        request: Request[Caller, Any, Any],
        project_id: PathId,
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[scm.CommunityProjectView]:
        """Complete a project whose every tranche is paid; counted shares shrink to each
        returnee's share of what was paid."""
        return _close(request, project_id, if_match, ev.ProjectEnd.COMPLETED)

    @step("/{project_id:str}/abandonment", *APPROVERS)
    def abandon(
        self,
        request: Request[Caller, Any, Any],
        project_id: PathId,
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[scm.CommunityProjectView]:
        """Abandon an approved or active project with no payment in flight; what was never
        paid goes back to the budget line, and counted shares shrink with it."""
        return _close(request, project_id, if_match, ev.ProjectEnd.ABANDONED)


def _close(
    request: Request[Caller, Any, Any], project_id: str, if_match: str | None, end: ev.ProjectEnd
) -> Response[scm.CommunityProjectView]:
    return project_step(
        request,
        project_id,
        if_match,
        lambda: ca.close_project(store(request), actor(request), now(request), project_id, end=end),
    )
