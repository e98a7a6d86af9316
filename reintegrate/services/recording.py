"""Recording events: journal entry, ledger transaction and projections, in one unit of work.

`apply_entry` is the only place where an event changes stored state; replaying the journal
calls the same function on an empty store, so what is stored and what is replayed agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, get_args

import msgspec

from reintegrate import events as ev
from reintegrate import journal
from reintegrate.business.evolve import PlanEvent, drafted, evolve_plan
from reintegrate.community import evolve as community
from reintegrate.grants.disbursements import evolve_disbursement
from reintegrate.grants.evolve import evolve_package
from reintegrate.grants.revision import revised
from reintegrate.people.evolve import PersonEvent, distinguish, evolve_person, merge_persons
from reintegrate.reconcile.batches.batch import evolve_batch
from reintegrate.reconcile.receipts.answers import evolve_round
from reintegrate.reconcile.statements.imports import evolve_import
from reintegrate.reconcile.statements.provider_mappings import evolve_mapping
from reintegrate.services.notes import sealed_event
from reintegrate.services.publishing import offices_of
from reintegrate.services.recording_ledger import (
    checked_balances,
    codes_of,
    transaction_of,
    transactions_of,
)
from reintegrate.services.recording_surveys import SURVEY_PROJECTIONS
from reintegrate.store.base import EVERYWHERE, CaseRecord, PolicyRecord, ProgrammeRecord, UnitOfWork


def record(
    uow: UnitOfWork, actor: str, at: dt.datetime, events: list[ev.Event]
) -> list[journal.Entry]:
    """Apply `events` and append them to the journal; raises before writing if a limit breaks.
    Free text is sealed first (`services.notes`): the journal keeps notes, never the words.

    Everything that decides is done first: limits checked, balances and projections written.
    The journal's last entry is read last, and from then on only the entries and their
    postings are written: a store that orders commands by their journal appends (PostgreSQL,
    `docs/journal.md`) holds that order only for the append and the commit. The accounts of
    every transaction are asked for at once, for a store to read them together, and so are
    the persons of the events that change one (each of which reads the person first)."""
    sealed = [sealed_event(uow, event) for event in events]
    transactions = transactions_of(uow, sealed)
    uow.accounts(
        {code for tx in transactions if tx is not None for code in codes_of(tx)}
    )  # at once
    uow.persons({e.person_id for e in sealed if isinstance(e, _PERSON_EVENTS)})  # at once
    for event, tx in zip(sealed, transactions, strict=True):
        if tx is not None:
            uow.apply_balances(tx, checked_balances(uow, tx))
        if type(event) not in _PROJECTED_WITH_ENTRY:
            project_event(uow, event, actor)
    offices = offices_of(uow, sealed)
    entries, last = [], uow.last_entry()
    for event, tx in zip(sealed, transactions, strict=True):
        last = journal.append(last, actor, at, event)
        if type(event) in _PROJECTED_WITH_ENTRY:
            project(uow, last)
        entries.append((last, tx.postings if tx is not None else ()))
    uow.append_entries(entries, offices)
    return [entry for entry, _ in entries]


def apply_entry(uow: UnitOfWork, entry: journal.Entry) -> None:
    """Post the entry's transaction (limits checked), update projections, keep the entry:
    what replaying the journal does with each entry, and what `record` did when it was new."""
    tx = transaction_of(uow, entry.event)
    if tx is not None:
        uow.apply_transaction(entry.seq, tx, checked_balances(uow, tx))
    project(uow, entry)
    uow.add_entry(entry)


def project(uow: UnitOfWork, entry: journal.Entry) -> None:
    """Update the projections that `entry` concerns."""
    with_entry = _PROJECTED_WITH_ENTRY.get(type(entry.event))
    if with_entry is None:
        project_event(uow, entry.event, entry.actor)
    else:
        with_entry(uow, entry.event, entry)


def project_event(uow: UnitOfWork, event: ev.Event, actor: str) -> None:
    """Update the projections that `event`, by `actor`, concerns: for every event but those
    whose projection keeps the entry's seq and time (`_PROJECTED_WITH_ENTRY`)."""
    update = _PROJECTIONS.get(type(event))
    if update is None:
        _project_plans_and_projects(uow, event, actor)
    else:
        update(uow, event, actor)


def _programme_created(uow: UnitOfWork, event: ev.ProgrammeCreated, _actor: str) -> None:
    uow.put_programme(
        ProgrammeRecord(
            programme_id=event.programme_id,
            name=event.name,
            currency=event.currency,
            budget_lines=tuple(line.code for line in event.budget_lines),
        )
    )


def _policy_adopted(uow: UnitOfWork, event: ev.PolicyAdopted, _actor: str) -> None:
    uow.put_policy(
        PolicyRecord(
            programme_id=event.programme_id,
            version=event.version,
            effective_from=event.effective_from,
            document=event.document,
        )
    )


def _fx_rate_recorded(uow: UnitOfWork, event: ev.FxRateRecorded, _actor: str) -> None:
    uow.put_fx_rate(event.rate)


def _case_registered(uow: UnitOfWork, event: ev.CaseRegistered, _actor: str) -> None:
    uow.put_case(
        CaseRecord(
            case_id=event.case_id,
            programme_id=event.programme_id,
            office=event.office,
            country_of_return=event.country_of_return,
            return_date=event.return_date,
            return_type=event.return_type,
            roles=tuple((m.member_id, m.role) for m in event.members),
            persons=tuple((m.member_id, m.person_id) for m in event.members if m.person_id),
            stay_months=event.stay_months,
        )
    )


def _cases_imported(uow: UnitOfWork, event: ev.CasesImported, _actor: str) -> None:
    uow.put_case_import(event.import_id, event.programme_id, event.file_digest)


def _person_changed(uow: UnitOfWork, event: PersonEvent, actor: str) -> None:
    uow.put_person(evolve_person(uow.person(event.person_id), event, actor))


def _entitlement_granted(uow: UnitOfWork, event: ev.EntitlementGranted, _actor: str) -> None:
    uow.put_grant(event)


def _members_linked(uow: UnitOfWork, event: ev.MembersLinked, _actor: str) -> None:
    case = uow.case(event.case_id, EVERYWHERE)
    assert case is not None, f"members are linked to a registered case ({event.case_id})"
    uow.put_case(msgspec.structs.replace(case, persons=event.persons))


def _persons_decided(
    uow: UnitOfWork, event: ev.PersonsMerged | ev.PersonsDistinguished, _actor: str
) -> None:
    first_id, second_id = (
        (event.kept, event.merged)
        if isinstance(event, ev.PersonsMerged)
        else (event.first, event.second)
    )
    first, second = uow.person(first_id), uow.person(second_id)
    assert first is not None, f"a decision names registered persons ({first_id})"
    assert second is not None, f"a decision names registered persons ({second_id})"
    decided = merge_persons if isinstance(event, ev.PersonsMerged) else distinguish
    for person in decided(first, second):
        uow.put_person(person)


def _entitlement_revised(uow: UnitOfWork, event: ev.EntitlementRevised, _actor: str) -> None:
    granted = uow.grant(event.case_id)
    assert granted is not None, f"a revision follows the grant ({event.case_id})"
    uow.put_grant(revised(granted, event))


def _package_drafted(uow: UnitOfWork, event: ev.PackageDrafted, actor: str) -> None:
    new = evolve_package(None, event, actor)
    assert new is not None
    uow.packages.put(new)


def _package_changed(uow: UnitOfWork, event: _PackageEvent, actor: str) -> None:
    _update_package(uow, event.package_id, event, actor)


def _disbursement_requested(uow: UnitOfWork, event: ev.DisbursementRequested, actor: str) -> None:
    _update_package(uow, event.package_id, event, actor)
    pkg = uow.packages.get(event.package_id, EVERYWHERE)
    assert pkg is not None
    created = evolve_disbursement(None, event, actor, pkg.office)
    assert created is not None
    uow.disbursements.put(created)


def _disbursement_changed(
    uow: UnitOfWork, event: _DisbursementEvent | _ProjectPaymentEvent, actor: str
) -> None:
    current = uow.disbursements.get(event.disbursement_id, EVERYWHERE)
    changed = evolve_disbursement(current, event, actor, "")
    assert changed is not None
    uow.disbursements.put(changed)


def _project_disbursement(uow: UnitOfWork, event: _ProjectPaymentEvent, actor: str) -> None:
    """A community project's disbursement: the payment in the project's office, and the
    project's tranche and payment with it."""
    _evolve_project(uow, event.project_id, event, actor)
    if isinstance(event, ev.ProjectDisbursementRequested):
        project = uow.projects.get(event.project_id, EVERYWHERE)
        assert project is not None
        created = evolve_disbursement(None, event, actor, project.office)
        assert created is not None
        uow.disbursements.put(created)
    else:
        _disbursement_changed(uow, event, actor)


def _provider_mapping_saved(
    uow: UnitOfWork, event: ev.ProviderMappingSaved, entry: journal.Entry
) -> None:
    saved = uow.provider_mapping(event.provider)
    uow.put_provider_mapping(evolve_mapping(saved, event, entry.actor, entry.at, entry.seq))


_PackageEvent = (
    ev.PackageSubmitted
    | ev.PackageApproved
    | ev.PackageRejected
    | ev.PackageCancelled
    | ev.PackageClosed
    | ev.ComponentsIncreased
    | ev.ComponentsReleased
)
_DisbursementEvent = (
    ev.DisbursementApproved | ev.DisbursementPaid | ev.DisbursementFailed | ev.DisbursementReversed
)
_ProjectPaymentEvent = (
    ev.ProjectDisbursementRequested
    | ev.ProjectDisbursementPaid
    | ev.ProjectDisbursementFailed
    | ev.ProjectDisbursementReversed
)
_PROJECTIONS: dict[type[Any], Callable[[UnitOfWork, Any, str], None]] = {
    ev.ProgrammeCreated: _programme_created,
    ev.PolicyAdopted: _policy_adopted,
    ev.FxRateRecorded: _fx_rate_recorded,
    ev.CaseRegistered: _case_registered,
    ev.EntitlementGranted: _entitlement_granted,
    ev.EntitlementRevised: _entitlement_revised,
    ev.PackageDrafted: _package_drafted,
    **dict.fromkeys(get_args(_PackageEvent), _package_changed),
    ev.DisbursementRequested: _disbursement_requested,
    **dict.fromkeys(get_args(_DisbursementEvent), _disbursement_changed),
    **dict.fromkeys(get_args(_ProjectPaymentEvent), _project_disbursement),
    **dict.fromkeys(get_args(PersonEvent), _person_changed),
    ev.PersonsMerged: _persons_decided,
    ev.MembersLinked: _members_linked,
    ev.PersonsDistinguished: _persons_decided,
    ev.CasesImported: _cases_imported,
    **SURVEY_PROJECTIONS,
}
"""What updates the projections of each kind of event, by its type: one look-up for every
entry recorded or replayed, where a `match` would try each class in turn (on msgspec structs
an isinstance check that fails costs a fifth of a microsecond). The plans' and projects'
events, rarer, go through `_project_plans_and_projects`."""
_PERSON_EVENTS = get_args(PersonEvent)
_PROJECTED_WITH_ENTRY: dict[type[Any], Callable[[UnitOfWork, Any, journal.Entry], None]] = {
    ev.ProviderMappingSaved: _provider_mapping_saved,
}
"""The projections that keep the seq or time of their event's journal entry: `record` runs
them once the entry is made (`project`), the others before (`project_event`)."""


def _project_plans_and_projects(uow: UnitOfWork, event: ev.Event, actor: str) -> None:
    """Update the business plan or community project that `event` concerns, if any."""
    match event:
        case ev.BusinessPlanDrafted():
            uow.plans.put(drafted(event, actor))
        case (
            ev.BusinessPlanSubmitted()
            | ev.BusinessPlanAssessed()
            | ev.BusinessPlanApproved()
            | ev.BusinessPlanActivated()
            | ev.TrancheReleased()
            | ev.TranchePartRepaid()
            | ev.VisitRecorded()
            | ev.OwnerLeft()
            | ev.BusinessPlanEnded()
        ):
            _evolve_plan(uow, event.plan_id, event, actor)
        case ev.PaymentBatchCreated() | ev.PaymentBatchExported() | ev.PaymentBatchCancelled():
            batch = evolve_batch(uow.batches.get(event.batch_id), event, actor)
            assert batch is not None, f"a batch event follows its creation ({event.batch_id})"
            uow.batches.put(batch)
        case (
            ev.StatementImported()
            | ev.ReconciliationDecisionProposed()
            | ev.ReconciliationDecisionConfirmed()
        ):
            imported = evolve_import(uow.imports.get(event.import_id), event, actor)
            assert imported is not None, f"a decision follows its import ({event.import_id})"
            uow.imports.put(imported)
        case ev.CommunityProjectDrafted():
            uow.projects.put(community.drafted(event, actor))
        case (
            ev.CommunityProjectSubmitted()
            | ev.CommunityProjectRejected()
            | ev.CommunityProjectApproved()
            | ev.ParticipantsChanged()
            | ev.ProjectTrancheReleased()
            | ev.ProjectPaymentSettled()
            | ev.OutcomesReported()
            | ev.CommunityProjectClosed()
        ):
            _evolve_project(uow, event.project_id, event, actor)
        case (
            ev.GrantEvidenceSubmitted() | ev.GrantMilestoneVerified() | ev.GrantMilestoneRejected()
        ):
            evolve = _evolve_plan if event.grant is ev.GrantKind.BUSINESS_PLAN else _evolve_project
            evolve(uow, event.grant_id, event, actor)
        case ev.VerificationRoundDrawn() | ev.ReceiptAnswerRecorded() | ev.FollowUpClosed():
            current = uow.rounds.get(event.round_id, EVERYWHERE)
            uow.rounds.put(evolve_round(current, event, actor))


def _evolve_plan(uow: UnitOfWork, plan_id: str, event: PlanEvent, actor: str) -> None:
    plan = uow.plans.get(plan_id, EVERYWHERE)
    assert plan is not None, f"a plan event follows the plan's draft ({plan_id})"
    uow.plans.put(evolve_plan(plan, event, actor))


def _evolve_project(
    uow: UnitOfWork, project_id: str, event: community.ProjectEvent, actor: str
) -> None:
    found = uow.projects.get(project_id, EVERYWHERE)
    assert found is not None, f"a project event follows its draft ({project_id})"
    uow.projects.put(community.evolve_project(found, event, actor))


def _update_package(uow: UnitOfWork, package_id: str, event: ev.Event, actor: str) -> None:
    current = uow.packages.get(package_id, EVERYWHERE)
    changed = evolve_package(current, event, actor)
    if changed is not None and changed is not current:
        uow.packages.put(changed)
