"""Community projects to response bodies. Formatting only: no rule is decided here. People
appear by ids only (returnees by case and member id, community members by pseudonymous id or
as counts), and evidence by its hash, media type and size, never its content."""

from __future__ import annotations

from api import schemas_community as scm
from api.views import money
from api.views_tranches import component_view, item_view, milestone_view
from reintegrate import events as ev
from reintegrate.community.projects import CommunityProject, Outcome, ProjectPayment
from reintegrate.notes import plain, plain_or_none


def project_view(project: CommunityProject) -> scm.CommunityProjectView:
    c = project.currency
    envelope, paid, pending = project.envelope, project.paid(), project.pending()
    return scm.CommunityProjectView(
        project_id=project.project_id,
        programme_id=project.programme_id,
        office=project.office,
        budget_line=project.budget_line,
        status=project.status,
        community=scm.CommunityView(country=project.community.country, area=project.community.area),
        kind=project.kind,
        description=plain(project.description),
        partner=project.partner,
        dimensions=list(project.dimensions),
        starts_on=project.starts_on,
        ends_on=project.ends_on,
        participants=_participants(project.participants),
        items=[item_view(i, c) for i in project.items],
        envelope=money(envelope, c),
        components=[component_view(p, c) for p in project.components],
        milestones=[milestone_view(m, c) for m in project.milestones],
        tranches=[
            scm.ProjectTrancheView(
                tranche_id=t.tranche_id,
                component_id=t.component_id,
                amount=money(t.amount, c),
                released=t.released,
                released_on=t.released_on,
            )
            for t in project.tranches
        ],
        payments=[_payment(p, c) for p in project.payments],
        counts_against_caps=project.counts_against_caps,
        counted=[
            scm.CountedShareView(
                case_id=s.case_id, member_id=s.member_id, amount=money(s.amount, c)
            )
            for s in project.counted
        ],
        outcomes=[_outcome(o) for o in project.outcomes],
        paid=money(paid, c),
        pending=money(pending, c),
        remaining=money(project.remaining(), c),
        drafted_by=project.drafted_by,
        submitted_by=project.submitted_by,
        decided_by=project.decided_by,
        decided_on=project.decided_on,
        rejection_reason=plain_or_none(project.rejection_reason),
        ended_on=project.ended_on,
        version=project.version,
    )


def _participants(p: ev.Participants) -> scm.ParticipantsView:
    return scm.ParticipantsView(
        returnees=[scm.ReturneeView(case_id=r.case_id, member_id=r.member_id) for r in p.returnees],
        members=list(p.members),
        counts=[
            scm.MemberCountView(sex=g.sex, age_band=g.age_band, count=g.count) for g in p.counts
        ],
        community_members=p.community_members,
        total=p.total,
    )


def _payment(p: ProjectPayment, c: str) -> scm.ProjectPaymentView:
    return scm.ProjectPaymentView(
        payment_id=p.payment_id,
        tranche_id=p.tranche_id,
        payee=plain(p.payee),
        amount=money(p.amount, c),
        status=p.status,
        released_on=p.released_on,
        released_by=p.released_by,
        settled_on=p.settled_on,
        provider_ref=p.provider_ref,
    )


def _outcome(o: Outcome) -> scm.OutcomeView:
    return scm.OutcomeView(
        milestone_id=o.milestone_id,
        returnees_reached=o.returnees_reached,
        community_reached=o.community_reached,
        jobs_created=o.jobs_created,
        services_created=o.services_created,
        on=o.on,
        reported_by=o.reported_by,
    )
