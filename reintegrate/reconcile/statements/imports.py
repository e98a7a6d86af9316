"""Statements imported from providers, the decisions people take on what matching left
open, and what applying a reconciliation records.

- A statement file is imported once: the same bytes (by SHA-256) are recognised and refused
  (`StatementAlreadyImported`), so nothing is applied twice.
- Matching is recomputed from the kept file and the programme's sent payments whenever it
  is shown or applied; it does not depend on the payments' current statuses.
- Applying records ordinary disbursement events: a matched payment still approved is paid
  (confirmed with the line's reference); a payment that came back is returned (approved)
  or reversed (paid); a line the provider marks failed, with nothing paid, fails the
  payment. What is already recorded is skipped, so applying twice changes nothing.
- Everything else (amount differs, duplicate payment, unknown line, missing) needs a
  person's decision with a reason, confirmed by a second person: a match (the line pays,
  or brings back, the payment named) or a write-off (the difference is accepted: a payment
  paid short or over is then recorded paid; a duplicate, an unknown line or a missing
  payment is explained, and nothing else is recorded).
"""

from __future__ import annotations

import datetime as dt

import msgspec

from reintegrate import events as ev
from reintegrate.errors import (
    DomainError,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from reintegrate.four_eyes import require_another_person
from reintegrate.grants.disbursements import Disbursement, DisbursementStatus
from reintegrate.notes import Text as FreeText
from reintegrate.reasons import MAX_REASON, stated_reason
from reintegrate.reconcile.matching.outcomes import Finding, Outcome
from reintegrate.reconcile.statements.lines import (
    LineStatus,
    Statement,
    by_currency,
    discrepancies,
)
from reintegrate.texts import Text


class StatementAlreadyImported(DomainError):
    type = "statement-already-imported"


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    decision_id: str
    position: str
    kind: ev.DecisionKind
    reason: FreeText
    proposed_by: str
    disbursement_id: str | None = None
    confirmed_by: str | None = None


class ReadAs(msgspec.Struct, frozen=True, kw_only=True):
    """How a statement file was read and is to be matched."""

    mapping: str | None = None
    """For a CSV file: the provider's column mapping it was read with (JSON)."""
    provider: str | None = None
    """The provider whose batches it answers; None: every exported batch."""
    encoding: str | None = None
    """For an MT940 file: its encoding, when given."""
    accept_discrepancy: bool = False
    """Import statements whose balances do not reconcile with their entries."""


class StatementImport(msgspec.Struct, frozen=True, kw_only=True):
    import_id: str
    programme_id: str
    content_hash: str
    format: str
    totals: tuple[ev.StatementTotal, ...]
    imported_on: dt.date
    imported_by: str
    mapping: str | None = None
    provider: str | None = None
    decisions: tuple[Decision, ...] = ()
    version: int = 1
    encoding: str | None = None
    """For an MT940 file: the encoding it was read in, when one was given."""
    discrepancies: tuple[ev.StatementDiscrepancy, ...] = ()
    """Statements imported although their balances do not reconcile with their entries."""
    remarks: tuple[str, ...] = ()
    """What was odd in the file and how it was read anyway."""

    def decision(self, decision_id: str) -> Decision:
        found = next((d for d in self.decisions if d.decision_id == decision_id), None)
        if found is None:
            raise NotFound(
                Text("there is no decision '{decision_id}'", decision_id=decision_id),
                field="decision_id",
            )
        return found

    def confirmed(self) -> dict[str, Decision]:
        """Confirmed decisions by the position they settle."""
        return {d.position: d for d in self.decisions if d.confirmed_by is not None}


def import_statement(
    import_id: str,
    *,
    programme_id: str,
    content_hash: str,
    fmt: str,
    statements: tuple[Statement, ...],
    known: str | None,
    today: dt.date,
    how: ReadAs | None = None,
) -> ev.StatementImported:
    """Record a statement file once; `known` is the import that already holds these bytes. A
    statement whose balances do not reconcile with its entries is refused unless `how` accepts
    the discrepancy; then the import records each one."""
    how = how or ReadAs()
    if known is not None:
        raise StatementAlreadyImported(
            Text(
                "this file was imported already (import {import_id}); nothing was applied twice",
                import_id=known,
            ),
            field="file",
            details={"import_id": known, "content_hash": content_hash},
        )
    totals: dict[str, list[int]] = {}
    for statement in (part for whole in statements for part in by_currency(whole)):
        entry = totals.setdefault(statement.currency, [0, 0, 0])
        entry[0] += len(statement.lines)
        entry[1] += statement.credits
        entry[2] += statement.debits
    return ev.StatementImported(
        import_id=import_id,
        programme_id=programme_id,
        content_hash=content_hash,
        format=fmt,
        totals=tuple(
            ev.StatementTotal(currency=c, entries=n, credits=cr, debits=db)
            for c, (n, cr, db) in sorted(totals.items())
        ),
        on=today,
        mapping=how.mapping,
        provider=how.provider,
        encoding=how.encoding,
        discrepancies=discrepancies(statements, accepted=how.accept_discrepancy),
        remarks=tuple(str(remark) for remark in remarks_of(statements)),
    )


def remarks_of(statements: tuple[Statement, ...]) -> tuple[Text, ...]:
    """What was odd in a file and how it was read anyway, each remark naming its statement
    when the file holds several. An import's journal keeps them in English."""
    return tuple(
        Text("statement {number}: {remark}", number=n, remark=remark)
        if len(statements) > 1
        else remark
        for n, statement in enumerate(statements, 1)
        for remark in statement.remarks
    )


def propose(
    imported: StatementImport,
    decision_id: str,
    *,
    finding: Finding,
    position: str,
    kind: ev.DecisionKind,
    reason: str,
    disbursement_id: str | None,
    sent: set[str],
) -> ev.ReconciliationDecisionProposed:
    """A decision on an open finding (anything but a clean match), with a reason. A match
    names the payment, among those `sent`, that the line settles: for a line already tied to
    a payment, that payment."""
    if finding.outcome is Outcome.MATCHED:
        raise InvalidTransition(
            Text("{position} is matched already", position=position), field="position"
        )
    if any(d.position == position for d in imported.decisions):
        raise InvalidTransition(
            Text("{position} has a decision already", position=position), field="position"
        )
    text = stated_reason(reason, most=MAX_REASON)
    if kind is ev.DecisionKind.MATCH:
        _check_match(finding, disbursement_id, sent)
    return ev.ReconciliationDecisionProposed(
        import_id=imported.import_id,
        decision_id=decision_id,
        position=position,
        kind=kind,
        reason=text,
        disbursement_id=disbursement_id if kind is ev.DecisionKind.MATCH else None,
    )


def _check_match(finding: Finding, disbursement_id: str | None, sent: set[str]) -> None:
    if disbursement_id is None or finding.line is None:
        raise ValidationFailed(
            Text("a manual match names the payment that a statement line settles"),
            field="disbursement_id",
        )
    if disbursement_id not in sent:
        raise NotFound(
            Text(
                "payment {disbursement_id} was not sent to a provider in an exported batch",
                disbursement_id=disbursement_id,
            ),
            field="disbursement_id",
        )
    own = finding.expected.disbursement_id if finding.expected is not None else None
    if own is not None and own != disbursement_id:
        raise ValidationFailed(
            Text(
                "this line is tied to payment {disbursement_id}; a manual match can only "
                "confirm it",
                disbursement_id=own,
            ),
            field="disbursement_id",
        )


def confirm(
    imported: StatementImport, decision_id: str, actor: str
) -> ev.ReconciliationDecisionConfirmed:
    decision = imported.decision(decision_id)
    if decision.confirmed_by is not None:
        raise InvalidTransition(
            Text("decision {decision_id} is confirmed already", decision_id=decision_id),
            field="status",
        )
    require_another_person(
        actor,
        decision.proposed_by,
        did=Text("proposed decision {decision_id}", decision_id=decision_id),
        cannot=Text("confirm that decision"),
    )
    return ev.ReconciliationDecisionConfirmed(import_id=imported.import_id, decision_id=decision_id)


def position_of(finding: Finding) -> str:
    """Where a finding sits: its line's position, or the missing payment's id."""
    if finding.line is not None:
        return finding.line.position
    if finding.returns:
        return finding.returns[0].position
    assert finding.expected is not None
    return finding.expected.disbursement_id


def outcome_event(
    finding: Finding, d: Disbursement, manual: Decision | None
) -> tuple[str, str] | None:
    """What applying records for a payment's finding, as (action, provider reference):
    `pay`, `return`, `fail` or `reverse`; None when nothing is to be recorded."""
    outcome = finding.outcome
    if manual is not None and manual.kind is ev.DecisionKind.MATCH:
        outcome = Outcome.RETURNED_OR_REVERSED if finding.returns else Outcome.MATCHED
    if manual is not None and outcome is Outcome.AMOUNT_DIFFERS:
        outcome = Outcome.MATCHED  # paid, the difference accepted (written off) with a reason
    line = finding.line
    reference = (line.reference or line.position) if line is not None else ""
    if outcome is Outcome.MATCHED and d.status is DisbursementStatus.APPROVED:
        return ("pay", reference)
    if outcome is not Outcome.RETURNED_OR_REVERSED:
        return None
    if d.status is DisbursementStatus.PAID:
        return ("reverse", reference)
    if d.status is DisbursementStatus.APPROVED:
        failed = line is None and all(r.status is LineStatus.FAILED for r in finding.returns)
        return ("fail" if failed else "return", reference)
    return None


def evolve_import(
    imported: StatementImport | None, event: ev.Event, actor: str
) -> StatementImport | None:
    match event:
        case ev.StatementImported():
            return StatementImport(
                import_id=event.import_id,
                programme_id=event.programme_id,
                content_hash=event.content_hash,
                format=event.format,
                totals=event.totals,
                imported_on=event.on,
                imported_by=actor,
                mapping=event.mapping,
                provider=event.provider,
                encoding=event.encoding,
                discrepancies=event.discrepancies,
                remarks=event.remarks,
            )
        case ev.ReconciliationDecisionProposed() if imported is not None:
            decision = Decision(
                decision_id=event.decision_id,
                position=event.position,
                kind=event.kind,
                reason=event.reason,
                proposed_by=actor,
                disbursement_id=event.disbursement_id,
            )
            return msgspec.structs.replace(
                imported, decisions=(*imported.decisions, decision), version=imported.version + 1
            )
        case ev.ReconciliationDecisionConfirmed() if imported is not None:
            decisions = tuple(
                msgspec.structs.replace(d, confirmed_by=actor)
                if d.decision_id == event.decision_id
                else d
                for d in imported.decisions
            )
            return msgspec.structs.replace(
                imported, decisions=decisions, version=imported.version + 1
            )
    return imported
