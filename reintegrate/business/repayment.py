"""Paying again an owner's part of a released tranche whose payment failed, came back or was
reversed: the amount went back to the component, and a new disbursement asks for it again.
The tranche stays released (its milestone was verified); only its part's payment is new."""

from __future__ import annotations

import datetime as dt

from reintegrate import events as ev
from reintegrate.business.payments import Payment, check_paying
from reintegrate.business.plans import BusinessPlan
from reintegrate.errors import InvalidTransition, NotFound
from reintegrate.grants import disbursements as dis
from reintegrate.grants import packages as pk
from reintegrate.money import book
from reintegrate.policy_business import BusinessRules
from reintegrate.texts import Text

UNPAID = (
    dis.DisbursementStatus.FAILED,
    dis.DisbursementStatus.RETURNED,
    dis.DisbursementStatus.REVERSED,
)


def tranche_part(plan: BusinessPlan, tranche_id: str, owner: int) -> ev.TranchePart:
    tranche = plan.tranche(tranche_id)
    found = next((p for p in tranche.parts if p.owner == owner), None)
    if found is None:
        raise NotFound(
            Text(
                "tranche {tranche_id} has no part for owner {owner}",
                tranche_id=tranche_id,
                owner=owner,
            )
            if tranche.released
            else Text(
                "tranche {tranche_id} has no part for owner {owner}: it is not released",
                tranche_id=tranche_id,
                owner=owner,
            ),
            field="owner",
        )
    return found


def repay_part(
    plan: BusinessPlan,
    tranche_id: str,
    owner: int,
    *,
    today: dt.date,
    rules: BusinessRules,
    payment: Payment,
    last: dis.Disbursement,
    package: pk.Package,
    granted: ev.EntitlementGranted | None,
    already: dis.Requested,
    new_id: str,
) -> list[ev.Event]:
    """Ask again for an owner's part of a tranche; `last` is the part's latest payment, which
    must have failed, come back or been reversed (anything else would pay twice)."""
    check_paying(plan, rules, today)
    part = tranche_part(plan, tranche_id, owner)
    assert last.disbursement_id == part.disbursement_id
    if last.status not in UNPAID:
        raise InvalidTransition(
            Text(
                "the payment of this part ({disbursement_id}) is {status}; only a failed, "
                "returned or reversed payment is paid again",
                disbursement_id=last.disbursement_id,
                status=dis.DISBURSEMENT_STATUS_WORDS[last.status],
            ),
            field="status",
            details={"disbursement_id": last.disbursement_id, "status": last.status.value},
        )
    requested = dis.request_disbursement(
        new_id,
        package,
        component_id=plan.tranche(tranche_id).component_id,
        channel=payment.channel,
        invoice_ref=payment.invoice_ref,
        conversion=book(part.amount, plan.currency, plan.currency, [], today),
        today=today,
        granted=granted,
        already_requested=already,
    )
    repaid = ev.TranchePartRepaid(
        plan_id=plan.plan_id,
        tranche_id=tranche_id,
        owner=owner,
        replaces=last.disbursement_id,
        disbursement_id=new_id,
    )
    return [requested, repaid]
