"""What a case's payments and approvals use of its limits, read from the ledger."""

from __future__ import annotations

import datetime as dt

from reintegrate import events as ev
from reintegrate.grants import postings as acc
from reintegrate.grants.disbursements import Requested
from reintegrate.grants.usage import PersonUse, StageUse, stage_uses
from reintegrate.ledger import limit_use
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


def person_uses(
    uow: UnitOfWork, grant: ev.EntitlementGranted, currency: str
) -> tuple[PersonUse, ...]:
    """Each member's total and cash limit as the ledger holds them, with what is used."""
    case = grant.case_id
    caps = {
        m: (acc.person_cap(case, m, currency)[0], acc.person_cash_cap(case, m, currency)[0])
        for m in sorted(grant.persons)
    }
    balances = uow.balances(
        code for pair in caps.values() for cap in pair for code in (cap.code, *cap.used)
    )

    def balance_of(code: str) -> int:
        return balances.get(code, 0)  # no cash limit's accounts in grants made before them

    uses: list[PersonUse] = []
    for m, (person, cash) in caps.items():
        total, cash_use = limit_use(person, balance_of), limit_use(cash, balance_of)
        uses.append(
            PersonUse(
                member_id=m,
                total=total.size,
                used=total.used,
                cash=None if grant.persons_cash is None else cash_use.size,
                cash_used=cash_use.used,
            )
        )
    return tuple(uses)


def stages_used(
    uow: UnitOfWork, grant: ev.EntitlementGranted, day: dt.date
) -> tuple[StageUse, ...]:
    """Each granted stage with what the case's payments use of it on `day`."""
    return stage_uses(grant.stages, requested_on_case(uow, grant.case_id), day)
