"""What a case's payments and approvals use of its limits, read from the ledger."""

from __future__ import annotations

import datetime as dt

from reintegrate import events as ev
from reintegrate.grants import postings as acc
from reintegrate.grants.disbursements import Requested
from reintegrate.grants.usage import PersonUse, StageUse, stage_uses
from reintegrate.store.base import UnitOfWork


def requested_on_case(uow: UnitOfWork, case_id: str) -> Requested:
    """Pending + paid on every component of the case, in all and in cash, for the household
    and for each member, in the programme currency (one read of the balances)."""
    packages = uow.packages_of_case(case_id)
    balances = uow.balances(acc.requested_codes(packages))
    requested = Requested()
    for pkg in packages:
        for comp in pkg.components:
            asked = sum(
                balances.get(acc.component_code(pkg.package_id, comp.component_id, part), 0)
                for part in ("pending", "paid")
            )
            requested = requested.plus(asked, comp)
    return requested


def person_uses(uow: UnitOfWork, grant: ev.EntitlementGranted) -> tuple[PersonUse, ...]:
    """Each member's total and cash limit as the ledger holds them, with what is used."""
    members = sorted(grant.persons)
    codes = {
        m: (
            acc.cap_codes(grant.case_id, f"person:{m}"),
            acc.cap_codes(grant.case_id, f"person-cash:{m}"),
        )
        for m in members
    }
    balances = uow.balances(code for pair in codes.values() for cap in pair for code in cap)

    def size_and_used(cap: tuple[str, str]) -> tuple[int, int]:
        left, used = balances.get(cap[0], 0), balances.get(cap[1], 0)
        return left + used, used

    uses: list[PersonUse] = []
    for m, (person, cash) in codes.items():
        total, used = size_and_used(person)
        cash_size, cash_used = size_and_used(cash)
        uses.append(
            PersonUse(
                member_id=m,
                total=total,
                used=used,
                cash=None if grant.persons_cash is None else cash_size,
                cash_used=cash_used,
            )
        )
    return tuple(uses)


def stages_used(
    uow: UnitOfWork, grant: ev.EntitlementGranted, day: dt.date
) -> tuple[StageUse, ...]:
    """Each granted stage with what the case's payments use of it on `day`."""
    return stage_uses(grant.stages, requested_on_case(uow, grant.case_id), day)
