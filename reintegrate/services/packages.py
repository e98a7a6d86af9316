"""Use cases for packages and their disbursements: one function per command."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reintegrate import events as ev
from reintegrate.cases import Case
from reintegrate.community import payouts
from reintegrate.errors import NotFound, ValidationFailed
from reintegrate.grants import disbursements as dis
from reintegrate.grants import packages as pk
from reintegrate.grants import postings as acc
from reintegrate.money import Conversion, book
from reintegrate.policy import cash_share
from reintegrate.services.context import Actor, new_id, utc
from reintegrate.services.programmes import compute_entitlement, load_case, policies
from reintegrate.services.recording import record
from reintegrate.services.usage import requested_on_case
from reintegrate.store.base import EVERYWHERE, Store, UnitOfWork
from reintegrate.store.records import Lookup
from reintegrate.texts import Text


def draft_package(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    *,
    case_id: str,
    budget_line: str,
    components: tuple[ev.ComponentSpec, ...],
    package_id: str | None = None,
) -> pk.Package:
    with store.unit_of_work() as uow:
        case = load_case(uow, case_id, actor)
        programme = uow.programme(case.programme_id)
        assert programme is not None
        package_id = package_id or new_id("pkg")
        if uow.packages.get(package_id, EVERYWHERE) is not None:  # ids are global, not per office
            raise ValidationFailed(
                Text("package {package_id} exists already", package_id=package_id),
                field="package_id",
            )
        event = pk.draft_package(
            package_id,
            case,
            budget_line=budget_line,
            currency=programme.currency,
            components=components,
            budget_lines=set(programme.budget_lines),
        )
        record(uow, actor.user_id, utc(now), [event])
        return _done(uow, package_id, actor)


def submit_package(store: Store, actor: Actor, now: dt.datetime, package_id: str) -> pk.Package:
    with store.unit_of_work() as uow:
        pkg = load_package(uow.packages, package_id, actor)
        pk.check_not_in_plan(pkg, Text("submit"))
        record(uow, actor.user_id, utc(now), [pk.submit_package(pkg, actor.user_id)])
        return _done(uow, package_id, actor)


def approve_package(store: Store, actor: Actor, now: dt.datetime, package_id: str) -> pk.Package:
    """Approve; on a case's first approval its caps are granted under the policy in force."""
    today = utc(now).date()
    with store.unit_of_work() as uow:
        pkg = load_package(uow.packages, package_id, actor)
        pk.check_not_in_plan(pkg, Text("approve"))
        case = load_case(uow, pkg.case_id, actor)
        events: list[ev.Event] = []
        grant, share = granted(uow, case, today, events)
        events.append(pk.approve_package(pkg, actor.user_id, today, grant, share))
        record(uow, actor.user_id, utc(now), events)
        return _done(uow, package_id, actor)


def granted(
    uow: UnitOfWork, case: Case, today: dt.date, events: list[ev.Event]
) -> tuple[ev.EntitlementGranted, Decimal | None]:
    """The case's caps, granted now (the event appended to `events`) on its first approval,
    and the cash share of the policy version they were granted under."""
    grant = uow.grant(case.case_id)
    if grant is None:
        grant = next(
            (
                e
                for e in events
                if isinstance(e, ev.EntitlementGranted) and e.case_id == case.case_id
            ),
            None,
        )
    if grant is None:
        grant = pk.grant_entitlement(compute_entitlement(uow, case, today, None), case)
        events.append(grant)
    version = grant.policy_version
    policy = next(p for p in policies(uow, case.programme_id) if p.version == version)
    return grant, cash_share(policy)


def reject_package(
    store: Store, actor: Actor, now: dt.datetime, package_id: str, reason: str
) -> pk.Package:
    with store.unit_of_work() as uow:
        pkg = load_package(uow.packages, package_id, actor)
        pk.check_not_in_plan(pkg, Text("reject"))
        record(uow, actor.user_id, utc(now), [pk.reject_package(pkg, actor.user_id, reason)])
        return _done(uow, package_id, actor)


def cancel_package(
    store: Store, actor: Actor, now: dt.datetime, package_id: str, reason: str
) -> pk.Package:
    with store.unit_of_work() as uow:
        pkg = load_package(uow.packages, package_id, actor)
        pk.check_not_in_plan(pkg, Text("cancel"))
        remaining, pending = unpaid(uow, pkg)
        record(uow, actor.user_id, utc(now), [pk.cancel_package(pkg, reason, remaining, pending)])
        return _done(uow, package_id, actor)


def close_package(store: Store, actor: Actor, now: dt.datetime, package_id: str) -> pk.Package:
    with store.unit_of_work() as uow:
        pkg = load_package(uow.packages, package_id, actor)
        pk.check_not_in_plan(pkg, Text("close"))
        remaining, pending = unpaid(uow, pkg)
        record(uow, actor.user_id, utc(now), [pk.close_package(pkg, remaining, pending)])
        return _done(uow, package_id, actor)


def request_disbursement(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    *,
    package_id: str,
    component_id: str,
    amount: int,
    currency: str,
    channel: dis.Channel,
    invoice_ref: str | None = None,
    disbursement_id: str | None = None,
) -> dis.Disbursement:
    """Ask to pay `amount` (minor units of `currency`) of a component, at today's booked rate."""
    today = utc(now).date()
    with store.unit_of_work(one_case=True) as uow:
        pkg = load_package(uow.packages, package_id, actor)
        pk.check_not_in_plan(pkg, Text("pay"))
        grant = uow.grant(pkg.case_id)
        disbursement_id = disbursement_id or new_id("dsb")
        if uow.disbursements.get(disbursement_id, EVERYWHERE) is not None:
            raise ValidationFailed(
                Text(
                    "disbursement {disbursement_id} exists already", disbursement_id=disbursement_id
                ),
                field="disbursement_id",
            )
        conversion = booked(uow, amount, currency, pkg.currency, today)
        already = requested_on_case(uow, pkg.case_id)
        event = dis.request_disbursement(
            disbursement_id,
            pkg,
            component_id=component_id,
            channel=channel,
            invoice_ref=invoice_ref,
            conversion=conversion,
            today=today,
            granted=grant,
            already_requested=already,
        )
        record(uow, actor.user_id, utc(now), [event])
        return _done_disbursement(uow, disbursement_id, actor)


def approve_disbursement(
    store: Store, actor: Actor, now: dt.datetime, disbursement_id: str
) -> dis.Disbursement:
    with store.unit_of_work(one_case=True) as uow:
        d = load_disbursement(uow.disbursements, disbursement_id, actor)
        record(uow, actor.user_id, utc(now), [dis.approve_disbursement(d, actor.user_id)])
        return _done_disbursement(uow, disbursement_id, actor)


def confirm_disbursement(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    disbursement_id: str,
    provider_ref: str | None = None,
) -> dis.Disbursement:
    with store.unit_of_work(one_case=True) as uow:
        d = load_disbursement(uow.disbursements, disbursement_id, actor)
        event = dis.confirm_disbursement(d, actor.user_id, utc(now).date(), provider_ref)
        record(uow, actor.user_id, utc(now), [event])
        return _done_disbursement(uow, disbursement_id, actor)


def fail_disbursement(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    disbursement_id: str,
    reason: str,
    *,
    returned: bool = False,
) -> dis.Disbursement:
    with store.unit_of_work(one_case=True) as uow:
        d = load_disbursement(uow.disbursements, disbursement_id, actor)
        record(uow, actor.user_id, utc(now), [dis.fail_disbursement(d, reason, returned=returned)])
        return _done_disbursement(uow, disbursement_id, actor)


def reverse_disbursement(
    store: Store, actor: Actor, now: dt.datetime, disbursement_id: str, reason: str
) -> dis.Disbursement:
    with store.unit_of_work(one_case=True) as uow:
        d = load_disbursement(uow.disbursements, disbursement_id, actor)
        event = dis.reverse_disbursement(d, paying_of(uow, d), actor.user_id, reason)
        record(uow, actor.user_id, utc(now), [event])
        return _done_disbursement(uow, disbursement_id, actor)


def paying_of(uow: UnitOfWork, d: dis.Disbursement) -> dis.Paying:
    """Whether the package, or the community project, that `d` pays on still pays."""
    if d.project_id is not None:
        project = uow.projects.get(d.project_id, EVERYWHERE)
        assert project is not None, f"a payment's project is kept ({d.project_id})"
        return payouts.paying(project)
    pkg = uow.packages.get(d.package_id, EVERYWHERE)
    assert pkg is not None, f"a payment's package is kept ({d.package_id})"
    return dis.paying(pkg)


def booked(uow: UnitOfWork, amount: int, source: str, target: str, day: dt.date) -> Conversion:
    """`amount` of `source` in `target` at the rates recorded for that pair (`money.book`)."""
    rates = uow.fx_rates(source, target) if source != target else []
    return book(amount, source, target, rates, day)


def load_package(packages: Lookup[pk.Package], package_id: str, actor: Actor) -> pk.Package:
    """The package in the caller's scope (a unit of work's `packages`, or the read side)."""
    pkg = packages.get(package_id, actor.scope)
    if pkg is None:
        raise NotFound(Text("no package {package_id}", package_id=package_id), field="package_id")
    return pkg


def load_disbursement(
    disbursements: Lookup[dis.Disbursement], disbursement_id: str, actor: Actor
) -> dis.Disbursement:
    """The payment in the caller's scope (a unit of work's `disbursements`, or the read side)."""
    d = disbursements.get(disbursement_id, actor.scope)
    if d is None:
        raise NotFound(
            Text("no disbursement {disbursement_id}", disbursement_id=disbursement_id),
            field="disbursement_id",
        )
    return d


def unpaid(uow: UnitOfWork, pkg: pk.Package) -> tuple[dict[str, int], int]:
    codes = {
        c.component_id: acc.component_accounts(pkg.package_id, c.component_id, pkg.currency)
        for c in pkg.components
    }
    balances = uow.balances(a.code for accounts in codes.values() for a in accounts)
    remaining = {cid: balances[accounts[0].code] for cid, accounts in codes.items()}
    pending = sum(balances[accounts[1].code] for accounts in codes.values())
    return remaining, pending


def _done(uow: UnitOfWork, package_id: str, actor: Actor) -> pk.Package:
    pkg = load_package(uow.packages, package_id, actor)
    uow.commit()
    return pkg


def _done_disbursement(uow: UnitOfWork, disbursement_id: str, actor: Actor) -> dis.Disbursement:
    d = load_disbursement(uow.disbursements, disbursement_id, actor)
    uow.commit()
    return d
