"""A community project after its draft: approval, participants, tranches to the
partner or suppliers, outcomes, and its end.

Each command checks its rules and returns the event it causes; the events carry the amounts
(envelope, counted shares, payments), so the ledger postings follow from the journal alone.
Four eyes: the approver (or rejecter) drafted and submitted nothing of the project; a
tranche's payment is a disbursement, approved and confirmed as any other. Milestones and
their evidence follow the tranche mechanism of every grant (`reintegrate.tranches`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reintegrate import events as ev
from reintegrate.community.payouts import CHANNEL
from reintegrate.community.projects import (
    CHANGEABLE,
    RUNNING,
    CommunityProject,
    ProjectPayment,
    ProjectStatus,
    check_participation,
    check_value_per_participant,
    per_capita_shares,
    require,
    share_changes,
)
from reintegrate.errors import InvalidTransition, NotFound, ValidationFailed
from reintegrate.four_eyes import require_another_person
from reintegrate.grants.packages import WindowClosed
from reintegrate.notes import Note
from reintegrate.policy_community import CommunityRules
from reintegrate.reasons import stated_reason
from reintegrate.texts import Text
from reintegrate.tranches.milestones import milestone
from reintegrate.tranches.release import check_releasable


def _decider(project: CommunityProject, actor: str, cannot: Text) -> None:
    require_another_person(
        actor,
        (project.drafted_by, project.submitted_by),
        did=Text(
            "drafted or submitted community project {project_id}", project_id=project.project_id
        ),
        cannot=cannot,
    )


def approve_project(
    project: CommunityProject, actor: str, rules: CommunityRules, today: dt.date
) -> ev.CommunityProjectApproved:
    """The project includes its community and is worth what the policy allows; its envelope
    leaves the budget line and, when the policy says so, each returnee's share their caps."""
    require(project, (ProjectStatus.SUBMITTED,), Text("approve"))
    _decider(project, actor, Text("approve it"))
    check_participation(project.participants, rules)
    check_value_per_participant(project.envelope, project.participants, rules, project.currency)
    counted = rules.counts_against_individual_cap
    return ev.CommunityProjectApproved(
        project_id=project.project_id,
        programme_id=project.programme_id,
        budget_line=project.budget_line,
        envelope=project.envelope,
        counted=per_capita_shares(project.envelope, project.participants) if counted else (),
        on=today,
    )


def reject_project(
    project: CommunityProject, actor: str, reason: str
) -> ev.CommunityProjectRejected:
    require(project, (ProjectStatus.SUBMITTED,), Text("reject"))
    _decider(project, actor, Text("reject it"))
    return ev.CommunityProjectRejected(project_id=project.project_id, reason=stated_reason(reason))


def change_participants(
    project: CommunityProject, participants: ev.Participants, rules: CommunityRules
) -> ev.ParticipantsChanged:
    """New participants; a running project must still include its community and stay within
    its value per participant, and counted shares are recomputed (drawn or given back)."""
    require(project, CHANGEABLE, Text("change the participants of"))
    draws: tuple[ev.CountedShare, ...] = ()
    releases: tuple[ev.CountedShare, ...] = ()
    if project.status in RUNNING:
        check_participation(participants, rules)
        check_value_per_participant(project.envelope, participants, rules, project.currency)
        if project.counts_against_caps:
            new = per_capita_shares(project.envelope, participants)
            draws, releases = share_changes(project.counted, new)
    return ev.ParticipantsChanged(
        project_id=project.project_id,
        programme_id=project.programme_id,
        participants=participants,
        draws=draws,
        releases=releases,
    )


def payee_of(project: CommunityProject, component_id: str) -> str | Note:
    """Cash goes to the implementing partner; in-kind goods are paid to their supplier."""
    component = next(c for c in project.components if c.component_id == component_id)
    return component.supplier or project.partner


def release_tranche(
    project: CommunityProject,
    tranche_id: str,
    *,
    disbursement_id: str,
    payout: str,
    receipts_share: Decimal,
    today: dt.date,
) -> ev.ProjectDisbursementRequested:
    """Send a tranche whose milestone is verified to its payee, while the project runs and
    receipts justify enough of what was already paid: an ordinary disbursement to the
    payee's account `payout` (`payouts.payout_text`), approved, batched and settled like
    any other."""
    require(project, RUNNING, Text("pay a tranche of"))
    if today > project.ends_on:
        raise WindowClosed(
            Text(
                "community project {project_id} ended on {ends_on}; today is {today}",
                project_id=project.project_id,
                ends_on=project.ends_on,
                today=today,
            ),
            field="today",
            details={"to": project.ends_on.isoformat()},
        )
    chosen = check_releasable(
        project.milestones,
        project.tranches,
        tranche_id,
        receipts_share=receipts_share,
        currency=project.currency,
    )
    return ev.ProjectDisbursementRequested(
        disbursement_id=disbursement_id,
        project_id=project.project_id,
        programme_id=project.programme_id,
        tranche_id=tranche_id,
        component_id=chosen.component_id,
        channel=CHANNEL.value,
        payee=payee_of(project, chosen.component_id),
        payout=payout,
        amount=chosen.amount,
        currency=project.currency,
        on=today,
    )


def payment(project: CommunityProject, payment_id: str) -> ProjectPayment:
    found = next((p for p in project.payments if p.payment_id == payment_id), None)
    if found is None:
        raise NotFound(
            Text("there is no payment '{payment_id}'", payment_id=payment_id), field="payment_id"
        )
    return found


def report_outcomes(
    project: CommunityProject, milestone_id: str, figures: ev.OutcomesReported
) -> ev.OutcomesReported:
    """Participants reached (no more than take part), jobs and services created, at a
    milestone of a running or completed project."""
    require(project, (*RUNNING, ProjectStatus.COMPLETED), Text("report outcomes of"))
    milestone(project.milestones, milestone_id)
    reached = (
        ("returnees_reached", figures.returnees_reached, len(project.participants.returnees)),
        ("community_reached", figures.community_reached, project.participants.community_members),
    )
    for field, value, most in reached:
        if not 0 <= value <= most:
            raise ValidationFailed(
                Text("{field} is from 0 to {most}, the participants", field=field, most=most),
                field=field,
            )
    for field in ("jobs_created", "services_created"):
        if not 0 <= getattr(figures, field) <= 1_000_000:
            raise ValidationFailed(
                Text("{field} is from 0 to {most}", field=field, most=1_000_000), field=field
            )
    return figures


def close_project(
    project: CommunityProject, end: ev.ProjectEnd, today: dt.date
) -> ev.CommunityProjectClosed:
    """Completed once every tranche is paid; abandoned at any time after approval. Nothing may
    be in flight; what was never paid goes back to the budget line, and counted shares shrink
    to each returnee's share of what was paid."""
    require(project, RUNNING, Text("close"))
    if project.pending():
        raise InvalidTransition(
            Text(
                "community project {project_id} has payments in flight; settle them first",
                project_id=project.project_id,
            ),
            field="payments",
        )
    unpaid = [t.tranche_id for t in project.tranches if not t.released]
    if end is ev.ProjectEnd.COMPLETED and unpaid:
        raise InvalidTransition(
            Text(
                "a project completes once every tranche is paid; {tranches} are not",
                tranches=", ".join(unpaid),
            ),
            field="end",
        )
    paid = project.paid()
    releases: tuple[ev.CountedShare, ...] = ()
    if project.counts_against_caps:
        _, releases = share_changes(project.counted, per_capita_shares(paid, project.participants))
    return ev.CommunityProjectClosed(
        project_id=project.project_id,
        programme_id=project.programme_id,
        budget_line=project.budget_line,
        end=end,
        unspent=project.envelope - paid,
        releases=releases,
        on=today,
    )
