"""Domain records to response bodies. Formatting only: no rule is decided here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from api import schemas as s
from reintegrate.adapters.translation import writer
from reintegrate.cases import Role
from reintegrate.entitlement import Line, PersonEntitlement
from reintegrate.grants.disbursements import Disbursement
from reintegrate.grants.packages import Package
from reintegrate.grants.postings import budget_codes, component_code
from reintegrate.grants.usage import PersonUse, StageUse
from reintegrate.journal import StoredEntry
from reintegrate.money import FxRate, exact_value, format_exact, format_minor
from reintegrate.notes import plain, plain_or_none
from reintegrate.people.records import PersonStatus
from reintegrate.services.programmes import CaseEntitlement
from reintegrate.stages import StageAmount
from reintegrate.store.base import CaseRecord, ProgrammeRecord
from reintegrate.texts import Writer, render


def money(minor: int, currency: str) -> s.MoneyOut:
    return s.MoneyOut(amount=format_minor(minor, currency), currency=currency)


def case_view(case: CaseRecord, statuses: Mapping[str, PersonStatus]) -> s.CaseView:
    """A case with each member's person id and that person's status (`erased` once erased)."""
    return s.CaseView(
        case_id=case.case_id,
        programme_id=case.programme_id,
        office=case.office,
        country_of_return=case.country_of_return,
        return_date=case.return_date,
        return_type=case.return_type,
        members=[_member_view(m, role, case.person_of(m), statuses) for m, role in case.roles],
        version=case.version,
        stay_months=case.stay_months,
    )


def _member_view(
    member_id: str, role: Role, person_id: str | None, statuses: Mapping[str, PersonStatus]
) -> s.MemberView:
    return s.MemberView(
        member_id=member_id,
        person_id=person_id or "",
        role=role,
        person_status=statuses.get(person_id or "", PersonStatus.ACTIVE),
    )


def component_parts(pkg: Package) -> list[str]:
    """The ledger accounts a package view shows."""
    return [
        component_code(pkg.package_id, c.component_id, part)
        for c in pkg.components
        for part in ("remaining", "pending", "paid")
    ]


def package_view(pkg: Package, balances: dict[str, int]) -> s.PackageView:
    c = pkg.currency

    def part(component_id: str, name: str) -> s.MoneyOut:
        return money(balances.get(component_code(pkg.package_id, component_id, name), 0), c)

    return s.PackageView(
        package_id=pkg.package_id,
        case_id=pkg.case_id,
        programme_id=pkg.programme_id,
        office=pkg.office,
        budget_line=pkg.budget_line,
        status=pkg.status,
        total=money(pkg.total, c),
        components=[
            s.ComponentView(
                component_id=comp.component_id,
                member_id=comp.member_id,
                form=comp.form,
                category=comp.category,
                dimension=comp.dimension,
                amount=money(comp.amount, c),
                supplier=plain_or_none(comp.supplier),
                description=plain(comp.description),
                remaining=part(comp.component_id, "remaining"),
                pending=part(comp.component_id, "pending"),
                paid=part(comp.component_id, "paid"),
            )
            for comp in pkg.components
        ],
        drafted_by=pkg.drafted_by,
        submitted_by=pkg.submitted_by,
        approved_by=pkg.approved_by,
        approved_on=pkg.approved_on,
        policy_version=pkg.policy_version,
        reason=plain_or_none(pkg.reason),
        version=pkg.version,
    )


def rate_view(rate: FxRate) -> s.FxRateView:
    return s.FxRateView(
        base=rate.base,
        quote=rate.quote,
        rate=rate.rate,
        source=rate.source,
        valid_from=rate.valid_from,
    )


def disbursement_view(d: Disbursement, programme_currency: str) -> s.DisbursementView:
    return s.DisbursementView(
        disbursement_id=d.disbursement_id,
        package_id=d.package_id,
        component_id=d.component_id,
        case_id=d.case_id,
        status=d.status,
        channel=d.channel,
        payee=plain(d.payee),
        invoice_ref=plain_or_none(d.invoice_ref),
        amount=money(d.amount, d.currency),
        programme_amount=money(d.programme_amount, programme_currency),
        programme_amount_exact=None
        if d.rate is None
        else format_exact(
            exact_value(d.amount, d.currency, programme_currency, d.rate), programme_currency
        ),
        rate=rate_view(d.rate) if d.rate else None,
        requested_on=d.requested_on,
        requested_by=d.requested_by,
        approved_by=d.approved_by,
        confirmed_by=d.confirmed_by,
        provider_ref=d.provider_ref,
        reason=plain_or_none(d.reason),
        version=d.version,
        project_id=d.project_id,
        tranche_id=d.tranche_id,
    )


def programme_view(
    programme: ProgrammeRecord, balances: dict[str, int], versions: list[str]
) -> s.ProgrammeView:
    c = programme.currency
    lines = []
    for code in programme.budget_lines:
        account, committed = budget_codes(programme.programme_id, code)
        lines.append(
            s.BudgetLineView(
                code=code,
                available=money(balances.get(account, 0), c),
                committed=money(balances.get(committed, 0), c),
            )
        )
    return s.ProgrammeView(
        programme_id=programme.programme_id,
        name=programme.name,
        currency=c,
        budget_lines=lines,
        policy_versions=versions,
    )


def _person_view(
    p: PersonEntitlement, use: PersonUse | None, c: str, words: Writer
) -> s.PersonEntitlementView:
    return s.PersonEntitlementView(
        member_id=p.member_id,
        role=p.role.value,
        age=p.age,
        age_band=p.age_band,
        lines=[_line(x, c, words) for x in p.lines],
        top_ups=[_line(x, c, words) for x in p.top_ups],
        excluded=None if p.excluded is None else render(p.excluded, words),
        total=money(p.total, c),
        cash=money(p.cash, c),
        in_kind_only=money(p.total - p.cash, c),
        cash_reason=render(p.cash_reason, words),
        use=None
        if use is None
        else s.PersonUseView(
            total=money(use.total, c),
            used=money(use.used, c),
            left=money(use.left, c),
            cash=_maybe(use.cash, c),
            cash_used=money(use.cash_used, c),
            cash_left=_maybe(use.cash_left, c),
            in_kind_used=money(use.in_kind_used, c),
        ),
    )


def _stage_view(x: StageAmount, use: StageUse | None, c: str) -> s.StageView:
    return s.StageView(
        stage=x.stage,
        opens_on=x.opens_on,
        amount=money(x.amount, c),
        cash=money(x.cash, c),
        cumulative=money(x.cumulative, c),
        cash_cumulative=money(x.cash_cumulative, c),
        persons={m: money(v, c) for m, v in x.persons.items()},
        persons_cash={m: money(v, c) for m, v in x.persons_cash.items()},
        use=None
        if use is None
        else s.StageUseView(
            opened=use.opened,
            amount=money(use.amount, c),
            used=money(use.used, c),
            left=money(use.left, c),
            cash=_maybe(use.cash, c),
            cash_used=money(use.cash_used, c),
            cash_left=_maybe(use.cash_left, c),
        ),
    )


def _maybe(minor: int | None, c: str) -> s.MoneyOut | None:
    return None if minor is None else money(minor, c)


def _line(line: Line, c: str, words: Writer) -> s.LineView:
    return s.LineView(
        label=render(line.label, words),
        amount=money(line.amount, c),
        cash=money(line.cash, c),
        stage=line.stage,
        reason=render(line.reason, words),
    )


def entitlement_view(case_id: str, shown: CaseEntitlement, language: str) -> s.EntitlementView:
    """The explained entitlement, its labels and reasons in `language`; its amounts, enum
    values and ids the same in every language."""
    e, c, words = shown.entitlement, shown.entitlement.currency, writer(language)
    used = {u.member_id: u for u in shown.persons_used}
    stages = {u.stage: u for u in shown.stages_used}
    return s.EntitlementView(
        case_id=case_id,
        programme_id=e.programme,
        policy_version=e.policy_version,
        as_of=e.as_of,
        granted=shown.granted,
        eligible=e.eligible,
        reasons=[render(r, words) for r in e.reasons],
        country_category=e.category,
        persons=[_person_view(p, used.get(p.member_id), c, words) for p in e.persons],
        household_add_ons=[_line(x, c, words) for x in e.household_add_ons],
        before_household_cap=money(e.before_household_cap, c),
        household_cap=None if e.household_cap is None else money(e.household_cap, c),
        top_ups=money(e.top_ups, c),
        total=money(e.total, c),
        cash_ceiling=money(e.cash_ceiling, c),
        cash_ceiling_reason=render(e.cash_ceiling_reason, words),
        window_end=e.window_end,
        stages=[_stage_view(x, stages.get(x.stage), c) for x in e.stages],
        caps=[
            s.CapView(
                limit=cap.limit,
                label=render(cap.words, words),
                size=money(cap.size, c),
                used=money(cap.used, c),
                remaining=money(cap.remaining, c),
                individual=money(cap.individual, c),
                community=money(cap.community, c),
            )
            for cap in shown.caps
        ],
        community_shares=[
            s.CommunityShareView(
                project_id=x.project_id, member_id=x.member_id, amount=money(x.amount, c)
            )
            for x in shown.community_shares
        ],
    )


def entry_view(entry: StoredEntry) -> s.JournalEntryView:
    """An entry as stored: its event exactly as hashed, under the type it was written as
    (the decoded JSON itself, which `JournalEvent` describes: never re-encoded from a struct,
    which would drop what a struct no longer has)."""
    event: Any = msgspec.json.decode(entry.event)
    return s.JournalEntryView(
        seq=entry.seq,
        at=entry.at,
        actor=entry.actor,
        type=str(event.get("type", "")),
        event=event,
        prev_hash=entry.prev_hash,
        hash=entry.hash,
    )
