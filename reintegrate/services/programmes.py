"""Use cases for programmes, policies, FX rates, cases and entitlements."""

from __future__ import annotations

import datetime as dt

import msgspec

from reintegrate import events as ev
from reintegrate import programme
from reintegrate.cases import Case, Member, PriorAssistance, validate_case
from reintegrate.community.postings import share_use
from reintegrate.entitlement import Entitlement, entitlement
from reintegrate.errors import NotFound, ValidationFailed
from reintegrate.grants import postings as acc
from reintegrate.grants.usage import PersonUse, StageUse
from reintegrate.ledger import Account, LimitUse, limit_use
from reintegrate.money import FxRate, validate_rate
from reintegrate.people.records import PersonStatus
from reintegrate.people.registry import check_active, check_free_to_join
from reintegrate.policy import (
    Policy,
    check_new_version,
    load_policy,
    policy_in_force,
    policy_to_json,
)
from reintegrate.programme import BudgetLineSpec
from reintegrate.services.context import Actor, existing_programme, utc
from reintegrate.services.people import (
    identity_of,
    load_person,
    member_from,
    members_of,
    open_cases_of,
    personal_data,
)
from reintegrate.services.recording import record
from reintegrate.services.recording_ledger import words_of
from reintegrate.services.usage import person_uses, stages_used
from reintegrate.store.base import EVERYWHERE, CaseRecord, ProgrammeRecord, Store, UnitOfWork
from reintegrate.texts import Text, Words

__all__ = ["BudgetLineSpec", "CapUse", "CaseEntitlement"]


class CapUse(msgspec.Struct, frozen=True, kw_only=True):
    limit: str
    """The cap account's stored label, in English."""
    words: Words
    """What people read for the cap, in their language."""
    account: str
    size: int
    used: int
    remaining: int
    community: int = 0
    """Of `used`, what community projects' counted shares take; the rest is individual."""

    @property
    def individual(self) -> int:
        return self.used - self.community


class CommunityShare(msgspec.Struct, frozen=True, kw_only=True):
    """A member's per-capita share of a community project, counted against their caps."""

    project_id: str
    member_id: str
    amount: int


class CaseEntitlement(msgspec.Struct, frozen=True, kw_only=True):
    entitlement: Entitlement
    granted: bool
    caps: tuple[CapUse, ...]
    community_shares: tuple[CommunityShare, ...] = ()
    persons_used: tuple[PersonUse, ...] = ()
    """Once granted: each member's total and cash limit, with what approvals use of them."""
    stages_used: tuple[StageUse, ...] = ()
    """Once granted: each stage, opened or not on the day asked, with what payments use."""


def create_programme(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    *,
    programme_id: str,
    name: str,
    currency: str,
    budget_lines: list[BudgetLineSpec],
) -> ProgrammeRecord:
    with store.unit_of_work() as uow:
        exists = uow.programme(programme_id) is not None
        event = programme.create_programme(
            programme_id, name, currency, budget_lines, exists=exists
        )
        record(uow, actor.user_id, utc(now), [event])
        created = uow.programme(programme_id)
        uow.commit()
    assert created is not None
    return created


def adopt_policy(store: Store, actor: Actor, now: dt.datetime, policy: Policy) -> None:
    """Add a policy version to its programme; earlier approvals keep the version they used."""
    with store.unit_of_work() as uow:
        programme = _programme(uow, policy.programme)
        if policy.currency != programme.currency:
            raise ValidationFailed(
                Text(
                    "policy currency {policy} differs from the programme's {programme}",
                    policy=policy.currency,
                    programme=programme.currency,
                ),
                field="currency",
            )
        check_new_version(policies(uow, policy.programme), policy, utc(now).date())
        event = ev.PolicyAdopted(
            programme_id=policy.programme,
            version=policy.version,
            effective_from=policy.effective_from,
            document=policy_to_json(policy),
        )
        record(uow, actor.user_id, utc(now), [event])
        uow.commit()


def record_fx_rate(store: Store, actor: Actor, now: dt.datetime, rate: FxRate) -> None:
    validate_rate(rate)
    with store.unit_of_work() as uow:
        record(uow, actor.user_id, utc(now), [ev.FxRateRecorded(rate=rate)])
        uow.commit()


def fund_budget_line(
    store: Store, actor: Actor, now: dt.datetime, *, programme_id: str, line: str, amount: str
) -> None:
    with store.unit_of_work() as uow:
        found = _programme(uow, programme_id)
        event = programme.fund_budget_line(
            programme_id, found.currency, found.budget_lines, line, amount
        )
        record(uow, actor.user_id, utc(now), [event])
        uow.commit()


def register_case(store: Store, actor: Actor, now: dt.datetime, case: Case) -> CaseRecord:
    """Register a household of registered persons (`case.members` name them by `person_id`;
    their facts are read from the persons' records, whatever the members carry)."""
    if not actor.scope.allows(case.office):
        raise ValidationFailed(
            Text("you cannot register cases for office {office}", office=case.office),
            field="office",
        )
    with store.unit_of_work() as uow:
        _programme(uow, case.programme_id)
        if uow.case(case.case_id, EVERYWHERE) is not None:
            raise ValidationFailed(
                Text("case {case_id} exists already", case_id=case.case_id), field="case_id"
            )
        case = msgspec.structs.replace(case, members=_registered_members(uow, actor, case))
        validate_case(case, utc(now).date())
        record(uow, actor.user_id, utc(now), [case_registered(case)])
        created = uow.case(case.case_id, EVERYWHERE)
        uow.commit()
    assert created is not None
    return created


def case_registered(case: Case) -> ev.CaseRegistered:
    """The event that registers `case` (validated, its members named by person)."""
    return ev.CaseRegistered(
        case_id=case.case_id,
        programme_id=case.programme_id,
        office=case.office,
        country_of_return=case.country_of_return,
        return_date=case.return_date,
        return_type=case.return_type,
        members=tuple(
            ev.MemberRef(member_id=m.member_id, role=m.role, person_id=m.person_id)
            for m in case.members
        ),
        stay_months=case.stay_months,
    )


def _registered_members(uow: UnitOfWork, actor: Actor, case: Case) -> tuple[Member, ...]:
    """The members with their persons' facts; each person active, of the caller's offices,
    and in no other open case."""
    members = []
    for i, m in enumerate(case.members):
        where = f"members[{i}].person_id"
        found = load_person(uow, actor, m.person_id, where)
        check_active(found, m.person_id, where)
        check_free_to_join(m.person_id, where, open_cases_of(uow, m.person_id))
        members.append(
            member_from(m.member_id, m.role, m.person_id, personal_data(uow, m.person_id))
        )
    return tuple(members)


def case_entitlement(store: Store, actor: Actor, case_id: str, as_of: dt.date) -> CaseEntitlement:
    """The explained entitlement and, once granted, every cap with what is used and left."""
    with store.unit_of_work() as uow:
        case = load_case(uow, case_id, actor)
        grant = uow.grant(case_id)
        ent = compute_entitlement(uow, case, as_of, grant)
        shares = tuple(
            CommunityShare(project_id=p, member_id=m, amount=a)
            for p, m, a in uow.community_shares(case_id)
        )
        caps = _cap_uses(uow, case, shares, grant) if grant else ()
        currency = _programme(uow, case.programme_id).currency
        persons = person_uses(uow, grant, currency) if grant else ()
        stages = stages_used(uow, grant, as_of) if grant else ()
    return CaseEntitlement(
        entitlement=ent,
        granted=grant is not None,
        caps=caps,
        community_shares=shares,
        persons_used=persons,
        stages_used=stages,
    )


def compute_entitlement(
    uow: UnitOfWork, case: Case, as_of: dt.date, grant: ev.EntitlementGranted | None
) -> Entitlement:
    """Under the granted version (as of the grant) if any, else the version in force."""
    versions = policies(uow, case.programme_id)
    if grant is not None:
        policy = next(p for p in versions if p.version == grant.policy_version)
        return entitlement(policy, case, grant.as_of, prior_assistance(uow, case))
    return entitlement(policy_in_force(versions, as_of), case, as_of, prior_assistance(uow, case))


def policies(uow: UnitOfWork, programme_id: str) -> list[Policy]:
    return [load_policy(p.document, "json") for p in uow.policies(programme_id)]


def prior_assistance(uow: UnitOfWork, case: Case) -> list[PriorAssistance]:
    """Approved packages of the case's members in any other case, for the look-back; a
    member's records merged into theirs count as theirs."""
    history: list[PriorAssistance] = []
    for member in case.members:
        for other_case, _ in uow.cases_of_persons(identity_of(uow, member.person_id)):
            if other_case == case.case_id:
                continue
            history += [
                PriorAssistance(
                    person_id=member.person_id,
                    case_id=other_case,
                    programme_id=pkg.programme_id,
                    approved_on=pkg.approved_on,
                )
                for pkg in uow.packages_of_case(other_case)
                if pkg.approved_on is not None
            ]
    return history


def case_record(uow: UnitOfWork, case_id: str, actor: Actor) -> CaseRecord:
    """A case of the caller's offices, by pseudonymous ids only (nothing is opened)."""
    found = uow.case(case_id, actor.scope)
    if found is None:
        raise NotFound(Text("no case {case_id}", case_id=case_id), field="case_id")
    return found


def member_statuses(uow: UnitOfWork, cases: list[CaseRecord]) -> dict[str, PersonStatus]:
    """The status of each person the cases name (nothing is opened)."""
    found = {}
    for case in cases:
        for _, person_id in case.persons:
            person = uow.person(person_id)
            if person is not None:
                found[person_id] = person.status
    return found


def load_case(uow: UnitOfWork, case_id: str, actor: Actor) -> Case:
    """A case with its members' facts, read from their sealed records, for the rules."""
    record_ = case_record(uow, case_id, actor)
    return Case(
        case_id=record_.case_id,
        programme_id=record_.programme_id,
        office=record_.office,
        country_of_return=record_.country_of_return,
        return_date=record_.return_date,
        return_type=record_.return_type,
        members=members_of(uow, record_),
        stay_months=record_.stay_months,
    )


def _programme(uow: UnitOfWork, programme_id: str) -> ProgrammeRecord:
    return existing_programme(uow.programme(programme_id), programme_id)


def _cap_uses(
    uow: UnitOfWork, case: Case, shares: tuple[CommunityShare, ...], grant: ev.EntitlementGranted
) -> tuple[CapUse, ...]:
    """Every cap of the case with what is used, and of that what community shares take
    (`community.postings.share_caps` says which caps a share counts against)."""
    c = _programme(uow, case.programme_id).currency
    caps = [
        acc.household_cap(case.case_id, c),
        acc.cash_cap(case.case_id, c),
        *(acc.person_cap(case.case_id, m.member_id, c) for m in case.members),
        *(acc.person_cash_cap(case.case_id, m, c) for m in sorted(grant.persons_cash or {})),
    ]
    community = share_use(case.case_id, ((s.member_id, s.amount) for s in shares), c)
    balances = uow.balances(code for pair in caps for code in (pair[0].code, pair[1].code))
    return tuple(
        _cap_use(
            available,
            limit_use(available, balances.__getitem__),
            community.get(available.code, 0),
        )
        for available, _ in caps
    )


def _cap_use(available: Account, use: LimitUse, community: int) -> CapUse:
    return CapUse(
        limit=available.label,
        words=words_of(available),
        account=available.code,
        size=use.size,
        used=use.used,
        remaining=use.available,
        community=community,
    )
