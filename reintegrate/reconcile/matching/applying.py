"""What applying a reconciliation records: ordinary disbursement events, from the findings
and the confirmed decisions, for the payments whose state the statement settles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import msgspec

from reintegrate import events as ev
from reintegrate.errors import NotFound
from reintegrate.grants import disbursements as dis
from reintegrate.reconcile.matching.match import brings_money_back
from reintegrate.reconcile.matching.outcomes import Expected, Finding, Outcome, Reconciliation
from reintegrate.reconcile.statements.imports import Decision, outcome_event, position_of
from reintegrate.texts import Text


def settled(
    rec: Reconciliation, decisions: dict[str, Decision], sent: dict[str, Expected]
) -> list[tuple[Finding, Decision | None]]:
    """Every finding about a payment, with the confirmed decision on it; a line matched by
    hand to a payment becomes a finding about that payment."""
    found: list[tuple[Finding, Decision | None]] = []
    for original in rec.findings():
        finding = original
        decision = decisions.get(position_of(finding))
        if finding.expected is None and decision and decision.kind is ev.DecisionKind.MATCH:
            payment = sent.get(decision.disbursement_id or "")
            if payment is None or finding.line is None:
                raise NotFound(_not_sent(decision), field="disbursement_id")
            back = brings_money_back(finding.line)
            finding = msgspec.structs.replace(
                finding,
                outcome=Outcome.RETURNED_OR_REVERSED if back else Outcome.MATCHED,
                expected=payment,
                line=None if back else finding.line,
                returns=(finding.line,) if back else (),
            )
        if finding.expected is not None:
            found.append((finding, decision))
    return found


def in_order(
    findings: list[tuple[Finding, Decision | None]], made: Sequence[str]
) -> list[tuple[Finding, Decision | None]]:
    """`findings` by their payments in the order `made` (the order the payments were made),
    those of one payment in the order they came: a chunk then writes payments made
    together, whose rows and accounts lie together, where the statement's order (by
    reference) spread each chunk over all of them."""
    rank = {disbursement_id: n for n, disbursement_id in enumerate(made)}
    return sorted(findings, key=lambda found: rank.get(_payment_of(found[0]), -1))


def _payment_of(finding: Finding) -> str:
    return "" if finding.expected is None else finding.expected.disbursement_id


def apply_events(
    findings: list[tuple[Finding, Decision | None]],
    disbursements: dict[str, dis.Disbursement],
    paying_of: Callable[[dis.Disbursement], dis.Paying],
    *,
    actor: str,
    import_id: str,
    today: dt.date,
) -> list[ev.Event]:
    """The events that bring each payment to what the statement proves; a payment already
    there gives none, so applying twice records nothing more. Only a reversal needs to know
    whether its payment's package (or community project) still pays (`paying_of`)."""
    events: list[ev.Event] = []
    for finding, decision in findings:
        assert finding.expected is not None
        d = disbursements[finding.expected.disbursement_id]
        action = outcome_event(finding, d, decision)
        if action is None:
            continue
        kind, reference = action
        why = f"statement import {import_id}: {position_of(finding)}"
        if kind == "pay":
            events.append(dis.confirm_disbursement(d, actor, today, reference))
        elif kind == "reverse":
            events.append(dis.reverse_disbursement(d, paying_of(d), actor, why))
        else:
            events.append(dis.fail_disbursement(d, why, returned=kind == "return"))
    return events


def _not_sent(decision: Decision) -> Text:
    if decision.disbursement_id is None:
        return Text("decision {decision_id} names no payment", decision_id=decision.decision_id)
    return Text(
        "decision {decision_id} names payment {disbursement_id}, which this programme did not send",
        decision_id=decision.decision_id,
        disbursement_id=decision.disbursement_id,
    )
