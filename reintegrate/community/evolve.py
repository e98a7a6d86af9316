"""A community project's state after each of its events (the projection replay rebuilds)."""

from __future__ import annotations

import msgspec

from reintegrate import events as ev
from reintegrate.community.projects import (
    CommunityProject,
    Outcome,
    PaymentStatus,
    ProjectPayment,
    ProjectStatus,
)
from reintegrate.tranches.milestones import evolve_milestones, milestones_of
from reintegrate.tranches.release import tranches_of

ProjectEvent = (
    ev.CommunityProjectSubmitted
    | ev.CommunityProjectRejected
    | ev.CommunityProjectApproved
    | ev.ParticipantsChanged
    | ev.MilestoneEvent
    | ev.ProjectTrancheReleased
    | ev.ProjectPaymentSettled
    | ev.ProjectDisbursementRequested
    | ev.ProjectDisbursementPaid
    | ev.ProjectDisbursementFailed
    | ev.ProjectDisbursementReversed
    | ev.OutcomesReported
    | ev.CommunityProjectClosed
)


def drafted(event: ev.CommunityProjectDrafted, actor: str) -> CommunityProject:
    return CommunityProject(
        project_id=event.project_id,
        programme_id=event.programme_id,
        office=event.office,
        budget_line=event.budget_line,
        currency=event.currency,
        community=event.community,
        kind=event.kind,
        description=event.description,
        partner=event.partner,
        dimensions=event.dimensions,
        starts_on=event.starts_on,
        ends_on=event.ends_on,
        participants=event.participants,
        items=event.items,
        components=event.components,
        milestones=milestones_of(event.milestones),
        tranches=tranches_of(event.tranches),
        status=ProjectStatus.DRAFT,
        drafted_by=actor,
    )


def evolve_project(project: CommunityProject, event: ProjectEvent, actor: str) -> CommunityProject:
    """The project after `event` (which concerns it); its version counts its changes."""
    changed = _evolve(project, event, actor)
    return msgspec.structs.replace(changed, version=project.version + 1)


def _evolve(project: CommunityProject, event: ProjectEvent, actor: str) -> CommunityProject:
    replace = msgspec.structs.replace
    match event:
        case ev.CommunityProjectSubmitted():
            return replace(project, status=ProjectStatus.SUBMITTED, submitted_by=actor)
        case ev.CommunityProjectRejected():
            return replace(
                project,
                status=ProjectStatus.REJECTED,
                decided_by=actor,
                rejection_reason=event.reason,
            )
        case ev.CommunityProjectApproved():
            return replace(
                project,
                status=ProjectStatus.APPROVED,
                decided_by=actor,
                decided_on=event.on,
                counted=event.counted,
                counts_against_caps=bool(event.counted),
            )
        case ev.ParticipantsChanged():
            return replace(
                project,
                participants=event.participants,
                counted=_apply_shares(project.counted, event.draws, event.releases),
            )
        case (
            ev.GrantEvidenceSubmitted() | ev.GrantMilestoneVerified() | ev.GrantMilestoneRejected()
        ):
            return replace(project, milestones=evolve_milestones(project.milestones, event, actor))
        case ev.ProjectTrancheReleased():
            return _released(project, event, actor)
        case ev.ProjectPaymentSettled():
            return _settled(project, event)
        case ev.ProjectDisbursementRequested():
            return _released(project, event, actor)
        case (
            ev.ProjectDisbursementPaid()
            | ev.ProjectDisbursementFailed()
            | ev.ProjectDisbursementReversed()
        ):
            return _settle(project, event)
        case ev.OutcomesReported():
            outcome = Outcome(
                reported_by=actor,
                **{k: v for k, v in msgspec.structs.asdict(event).items() if k != "project_id"},
            )
            return replace(project, outcomes=(*project.outcomes, outcome))
        case ev.CommunityProjectClosed():
            status = ProjectStatus(event.end.value)
            return replace(
                project,
                status=status,
                ended_on=event.on,
                counted=_apply_shares(project.counted, (), event.releases),
            )


def _apply_shares(
    counted: tuple[ev.CountedShare, ...],
    draws: tuple[ev.CountedShare, ...],
    releases: tuple[ev.CountedShare, ...],
) -> tuple[ev.CountedShare, ...]:
    amounts = {(s.case_id, s.member_id): s.amount for s in counted}
    for s in draws:
        amounts[(s.case_id, s.member_id)] = amounts.get((s.case_id, s.member_id), 0) + s.amount
    for s in releases:
        amounts[(s.case_id, s.member_id)] -= s.amount
    return tuple(
        ev.CountedShare(case_id=case_id, member_id=member_id, amount=amount)
        for (case_id, member_id), amount in sorted(amounts.items())
        if amount
    )


def _released(
    project: CommunityProject,
    event: ev.ProjectTrancheReleased | ev.ProjectDisbursementRequested,
    actor: str,
) -> CommunityProject:
    """A tranche sent: its payment in flight (a disbursement's id is its payment's)."""
    payment_id = (
        event.payment_id if isinstance(event, ev.ProjectTrancheReleased) else event.disbursement_id
    )
    sent = ProjectPayment(
        payment_id=payment_id,
        tranche_id=event.tranche_id,
        payee=event.payee,
        amount=event.amount,
        released_on=event.on,
        released_by=actor,
    )
    tranches = tuple(
        msgspec.structs.replace(t, released_on=event.on) if t.tranche_id == event.tranche_id else t
        for t in project.tranches
    )
    return msgspec.structs.replace(
        project,
        status=ProjectStatus.ACTIVE,
        tranches=tranches,
        payments=(*project.payments, sent),
    )


def _settled(project: CommunityProject, event: ev.ProjectPaymentSettled) -> CommunityProject:
    paid = event.outcome is ev.PaymentOutcome.PAID
    status = PaymentStatus.PAID if paid else PaymentStatus.FAILED
    payments = tuple(
        msgspec.structs.replace(
            p, status=status, settled_on=event.on, provider_ref=event.provider_ref
        )
        if p.payment_id == event.payment_id
        else p
        for p in project.payments
    )
    failed = next(p.tranche_id for p in payments if p.payment_id == event.payment_id)
    tranches = project.tranches
    if not paid:
        tranches = tuple(
            msgspec.structs.replace(t, released_on=None) if t.tranche_id == failed else t
            for t in tranches
        )
    return msgspec.structs.replace(project, payments=payments, tranches=tranches)


_Settled = (
    ev.ProjectDisbursementPaid | ev.ProjectDisbursementFailed | ev.ProjectDisbursementReversed
)


def _status(event: _Settled) -> PaymentStatus:
    match event:
        case ev.ProjectDisbursementPaid():
            return PaymentStatus.PAID
        case ev.ProjectDisbursementFailed():
            return PaymentStatus.RETURNED if event.returned else PaymentStatus.FAILED
    return PaymentStatus.REVERSED


def _settle(project: CommunityProject, event: _Settled) -> CommunityProject:
    """A project's disbursement paid, or not delivered or reversed: then its tranche is
    unreleased, to be released again."""
    status = _status(event)
    paid = event if isinstance(event, ev.ProjectDisbursementPaid) else None
    payments = tuple(
        msgspec.structs.replace(
            p,
            status=status,
            settled_on=None if paid is None else paid.on,
            provider_ref=None if paid is None else paid.provider_ref,
        )
        if p.payment_id == event.disbursement_id
        else p
        for p in project.payments
    )
    tranches = project.tranches
    if paid is None:
        undone = next(p.tranche_id for p in payments if p.payment_id == event.disbursement_id)
        tranches = tuple(
            msgspec.structs.replace(t, released_on=None) if t.tranche_id == undone else t
            for t in tranches
        )
    return msgspec.structs.replace(project, payments=payments, tranches=tranches)
