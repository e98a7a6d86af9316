"""/community-projects/{project_id}/...: tranche releases to the partner or a supplier and the
provider's answer on each payment, outcomes reached at a milestone, and the project's end (the
milestones' evidence and verification: `api.routes_tranches`, as for every grant).

A tranche's release is a disbursement to its payee: approved, batched, exported, matched and
settled under /disbursements, /payment-batches and /reconciliations like any other payment.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.params import JSONBody

from api import schemas_community as scm
from api.context import IdempotencyKey, IfMatch, PathId, actor, now, step, store
from api.problems import STEP_PROBLEMS
from api.routes_community import project_step
from api.routes_tranches import (
    PAYERS,
    GrantRoutes,
    milestone_routes,
)
from api.security import APPROVERS, CASEWORK, allow
from api.views_people import payout_account_of
from reintegrate import events as ev
from reintegrate.adapters.identifiers import LibraryIdentifierChecks
from reintegrate.services import community as cs
from reintegrate.services import community_activities as ca
from reintegrate.services.users import Caller

CHECKS = LibraryIdentifierChecks()


class CommunityProjectActivityController(Controller):
    path = "/community-projects"
    tags = ("community projects",)

    @step("/{project_id:str}/tranches/{tranche_id:str}/release", *PAYERS)
    def release_tranche(
        self,
        request: Request[Caller, Any, Any],
        *,
        project_id: PathId,
        tranche_id: PathId,
        data: JSONBody[scm.TrancheReleaseIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[scm.CommunityProjectView]:
        """Send a tranche whose milestone is verified to its payee (the partner for cash, the
        supplier for goods in kind), before the project's end date and once receipts justify
        enough of what was already released: a disbursement by bank transfer into `payout`,
        the payee's account (kept sealed, never shown). The project's new payment in flight
        bears the disbursement's id; it is approved, batched, exported and settled under
        /disbursements and /payment-batches like any other payment."""
        account = payout_account_of(data.payout)
        return project_step(
            request,
            project_id,
            if_match,
            lambda: ca.release_tranche(
                store(request),
                actor(request),
                now(request),
                project_id,
                tranche_id,
                payout=account,
                checks=CHECKS,
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


def project_id_of(project_id: PathId) -> str:
    """The grant the milestone routes act on: the project in their path."""
    return project_id


CommunityProjectEvidenceController = milestone_routes(
    GrantRoutes(
        path="/community-projects",
        tag="community projects",
        id_param="project_id",
        grant_id=project_id_of,
        grants=cs.PROJECTS,
        run=project_step,
        view=scm.CommunityProjectView,
    )
)
