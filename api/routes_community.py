"""/community-projects: draft, read and list projects, and the steps that decide on them
(POST .../submission, /approval, /rejection) or change who takes part (/participants).
Tranches, payments, outcomes and the end: routes_community_activities; milestones and evidence:
routes_tranches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody

from api import schemas as s
from api import schemas_community as scm
from api.context import (
    Cursor,
    IdempotencyKey,
    IfMatch,
    Limit,
    PathId,
    actor,
    checked_step,
    etag,
    now,
    serialized,
    step,
    store,
)
from api.listing import (
    CreatedSince,
    OfficeFilter,
    ProgrammeFilter,
    ProjectStatusFilter,
    UpdatedSince,
    after,
    filters,
    next_cursor,
)
from api.problems import CREATE_PROBLEMS, READ_PROBLEMS
from api.routes_tranches import milestone_specs, money_sum, tranche_in
from api.security import APPROVERS, CASEWORK, EVERY_ROLE, allow
from api.views_community import project_view
from reintegrate import events as ev
from reintegrate.community.drafting import ProjectContent
from reintegrate.community.projects import CommunityProject, ProjectStatus
from reintegrate.services import community as cs
from reintegrate.services.notes import read_opened
from reintegrate.services.users import Caller
from reintegrate.store.queries_community import ProjectQueries


def project_queries(request: Request[Any, Any, Any]) -> ProjectQueries:
    found: ProjectQueries = request.app.state.project_queries
    return found


def project_answer(
    request: Request[Any, Any, Any], project: CommunityProject, status: int = 200
) -> Response[scm.CommunityProjectView]:
    """`project` as a command left it (or as read), with its ETag."""
    tag = etag("community-project", project.project_id, project.version)
    return Response(
        project_view(read_opened(store(request), project)),
        status_code=status,
        headers={"ETag": tag},
    )


def project_step(
    request: Request[Caller, Any, Any],
    project_id: str,
    if_match: str | None,
    command: Callable[[], CommunityProject],
    status: int = 200,
) -> Response[scm.CommunityProjectView]:
    """Run a step on the project (If-Match checked); answer the project it left."""

    def current() -> str:
        seen = cs.load_project(project_queries(request).projects, project_id, actor(request))
        return etag("community-project", seen.project_id, seen.version)

    return project_answer(request, checked_step(request, if_match, current, command), status)


def participants_of(data: scm.ParticipantsIn) -> ev.Participants:
    return ev.Participants(
        returnees=tuple(
            ev.ReturneeParticipant(case_id=r.case_id, member_id=r.member_id) for r in data.returnees
        ),
        members=tuple(data.members),
        counts=tuple(
            ev.MemberCount(sex=c.sex, age_band=c.age_band, count=c.count) for c in data.counts
        ),
    )


def _items(data: scm.ProjectCreate) -> tuple[ev.BudgetItem, ...]:
    """Budget items in minor units of their currency (booked in the programme's by the
    service at today's rate)."""
    items = []
    for n, i in enumerate(data.items):
        cost = money_sum(i.amount, f"items[{n}].amount.amount")
        items.append(
            ev.BudgetItem(
                item=i.item,
                form=i.form,
                amount=cost.amount,
                currency=cost.currency,
                programme_amount=0,
                supplier=i.supplier,
            )
        )
    return tuple(items)


def project_content(data: scm.ProjectCreate) -> ProjectContent:
    """The request as the domain's project content."""
    return ProjectContent(
        community=ev.Community(country=data.community.country, area=data.community.area),
        kind=data.kind,
        description=data.description,
        partner=data.partner,
        dimensions=tuple(data.dimensions),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        items=_items(data),
        milestones=milestone_specs(data.milestones),
        tranches=tuple(tranche_in(n, t) for n, t in enumerate(data.tranches)),
    )


class CommunityProjectController(Controller):
    path = "/community-projects"
    tags = ("community projects",)

    @post(
        "/",
        guards=[allow(*CASEWORK)],
        sync_to_thread=True,
        status_code=201,
        responses=CREATE_PROBLEMS,
    )
    def draft_project(
        self,
        request: Request[Caller, Any, Any],
        data: JSONBody[scm.ProjectCreate],
        idempotency_key: IdempotencyKey,
    ) -> Response[scm.CommunityProjectView]:
        """Draft a project of returnees (members of cases of the caller's offices) and members
        of their community, in the office of the first returnee's case. The grant's parts
        (`cash` to the partner, `kind-1`... per supplier) and the tranches are computed here
        exactly. The project id is chosen by the server."""
        content = project_content(data)
        participants = participants_of(data.participants)
        with serialized(request):
            project = cs.draft_project(
                store(request),
                actor(request),
                now(request),
                budget_line=data.budget_line,
                content=content,
                participants=participants,
            )
        return project_answer(request, project, 201)

    @get("/", guards=[allow(*EVERY_ROLE)], sync_to_thread=True, responses=READ_PROBLEMS)
    def list_projects(
        self,
        request: Request[Caller, Any, Any],
        *,
        cursor: Cursor,
        status: ProjectStatusFilter,
        office: OfficeFilter,
        programme_id: ProgrammeFilter,
        created_since: CreatedSince,
        updated_since: UpdatedSince,
        limit: Limit = 50,
    ) -> scm.CommunityProjectPage:
        """The projects of the caller's offices (every office for auditors and admins), by
        id, narrowed by the filters given."""
        given = filters(
            status=(ProjectStatus, status),
            office=office,
            programme_id=programme_id,
            created_since=created_since,
            updated_since=updated_since,
        )
        found = project_queries(request).projects.page(
            actor(request).scope, after(cursor, given), limit + 1, given
        )
        return scm.CommunityProjectPage(
            items=[project_view(p) for p in read_opened(store(request), found[:limit])],
            next_cursor=next_cursor(found, limit, given, lambda p: p.project_id),
        )

    @get(
        "/{project_id:str}",
        guards=[allow(*EVERY_ROLE)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
    )
    def get_project(
        self, request: Request[Caller, Any, Any], project_id: PathId
    ) -> Response[scm.CommunityProjectView]:
        """One community project: community, participants, budget, milestones, tranches and
        payments, with its ETag."""
        return project_answer(
            request, cs.load_project(project_queries(request).projects, project_id, actor(request))
        )

    @step("/{project_id:str}/submission", *CASEWORK)
    def submit(
        self,
        request: Request[Caller, Any, Any],
        project_id: PathId,
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[scm.CommunityProjectView]:
        """Submit a drafted community project for approval."""
        return project_step(
            request,
            project_id,
            if_match,
            lambda: cs.submit_project(store(request), actor(request), now(request), project_id),
        )

    @step("/{project_id:str}/approval", *APPROVERS)
    def approve(
        self,
        request: Request[Caller, Any, Any],
        project_id: PathId,
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[scm.CommunityProjectView]:
        """Approve a submitted project that includes enough of its community and is worth no
        more per participant than the policy allows: its envelope leaves the budget line and,
        when the policy says so, each returnee's per-capita share leaves their caps. Whoever
        drafted or submitted it cannot."""
        return project_step(
            request,
            project_id,
            if_match,
            lambda: cs.approve_project(store(request), actor(request), now(request), project_id),
        )

    @step("/{project_id:str}/rejection", *APPROVERS)
    def reject(
        self,
        request: Request[Caller, Any, Any],
        project_id: PathId,
        data: JSONBody[s.ReasonIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[scm.CommunityProjectView]:
        """Reject a submitted project; whoever drafted or submitted it cannot."""
        return project_step(
            request,
            project_id,
            if_match,
            lambda: cs.reject_project(
                store(request), actor(request), now(request), project_id, reason=data.reason
            ),
        )

    @step("/{project_id:str}/participants", *CASEWORK)
    def change_participants(
        self,
        request: Request[Caller, Any, Any],
        project_id: PathId,
        data: JSONBody[scm.ParticipantsIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[scm.CommunityProjectView]:
        """Replace who takes part. A running project must still include its community and
        stay within its value per participant; when shares count against caps, each
        returnee's share is recomputed and the difference drawn from or given back to them."""
        participants = participants_of(data)
        return project_step(
            request,
            project_id,
            if_match,
            lambda: cs.change_participants(
                store(request),
                actor(request),
                now(request),
                project_id,
                participants=participants,
            ),
        )
