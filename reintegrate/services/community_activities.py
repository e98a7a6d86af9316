"""Use cases for a running community project: tranches paid to the partner or suppliers and
their outcome, outcomes reached, and the end (its milestones' evidence and verification:
`services.tranches`)."""

from __future__ import annotations

import datetime as dt

from reintegrate import events as ev
from reintegrate.community import lifecycle
from reintegrate.community import projects as cp
from reintegrate.services.community import apply_to_project, rules
from reintegrate.services.context import Actor, new_id
from reintegrate.store.base import Store, UnitOfWork


def release_tranche(
    store: Store, actor: Actor, now: dt.datetime, project_id: str, tranche_id: str
) -> cp.CommunityProject:
    """Send a verified milestone's tranche to the partner (cash) or its supplier (in kind)."""

    def decide(uow: UnitOfWork, p: cp.CommunityProject, today: dt.date) -> list[ev.Event]:
        share = rules(uow, p.programme_id, today).receipts_share_value()
        released = lifecycle.release_tranche(
            p, tranche_id, payment_id=new_id("cpp"), receipts_share=share, today=today
        )
        return [released]

    return apply_to_project(store, actor, now, project_id, decide)


def settle_payment(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    project_id: str,
    payment_id: str,
    *,
    outcome: ev.PaymentOutcome,
    provider_ref: str | None = None,
) -> cp.CommunityProject:
    """Record the provider's answer on a tranche's payment (paid, or failed: sent again)."""
    return apply_to_project(
        store,
        actor,
        now,
        project_id,
        lambda _, p, today: [
            lifecycle.settle_payment(
                p,
                payment_id,
                outcome=outcome,
                actor=actor.user_id,
                today=today,
                provider_ref=provider_ref,
            )
        ],
    )


def report_outcomes(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    project_id: str,
    milestone_id: str,
    *,
    returnees_reached: int,
    community_reached: int,
    jobs_created: int,
    services_created: int,
) -> cp.CommunityProject:
    def decide(_: UnitOfWork, p: cp.CommunityProject, today: dt.date) -> list[ev.Event]:
        figures = ev.OutcomesReported(
            project_id=project_id,
            milestone_id=milestone_id,
            returnees_reached=returnees_reached,
            community_reached=community_reached,
            jobs_created=jobs_created,
            services_created=services_created,
            on=today,
        )
        return [lifecycle.report_outcomes(p, milestone_id, figures)]

    return apply_to_project(store, actor, now, project_id, decide)


def close_project(
    store: Store, actor: Actor, now: dt.datetime, project_id: str, *, end: ev.ProjectEnd
) -> cp.CommunityProject:
    """Complete or abandon: the unpaid envelope goes back to the budget line, and counted
    shares shrink to each returnee's share of what was paid."""
    return apply_to_project(
        store, actor, now, project_id, lambda _, p, today: [lifecycle.close_project(p, end, today)]
    )
