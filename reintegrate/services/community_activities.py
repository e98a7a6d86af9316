"""Use cases for a running community project: tranches paid to the partner or suppliers (as
ordinary disbursements, approved and settled through `services.packages` and
reconciliation), outcomes reached, and the end (its milestones' evidence and verification:
`services.tranches`)."""

from __future__ import annotations

import datetime as dt

from reintegrate import events as ev
from reintegrate.community import lifecycle, payouts
from reintegrate.community import projects as cp
from reintegrate.people.identity import IdentifierChecks
from reintegrate.people.records import BankAccount
from reintegrate.people.validation import validate_bank_account
from reintegrate.services.community import apply_to_project, rules
from reintegrate.services.context import Actor, new_id
from reintegrate.store.base import Store, UnitOfWork


def release_tranche(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    project_id: str,
    tranche_id: str,
    *,
    payout: BankAccount,
    checks: IdentifierChecks,
) -> cp.CommunityProject:
    """Send a verified milestone's tranche to the partner (cash) or its supplier (in kind):
    a disbursement into `payout`, their bank account (checked, then sealed with the
    project's texts), to be approved, batched and settled like any other payment: the
    project's new payment in flight bears the disbursement's id."""
    account = validate_bank_account(payout, checks, "payout")

    def decide(uow: UnitOfWork, p: cp.CommunityProject, today: dt.date) -> list[ev.Event]:
        share = rules(uow, p.programme_id, today).receipts_share_value()
        released = lifecycle.release_tranche(
            p,
            tranche_id,
            disbursement_id=new_id("dsb"),
            payout=payouts.payout_text(account),
            receipts_share=share,
            today=today,
        )
        return [released]

    return apply_to_project(store, actor, now, project_id, decide)


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
