"""Reporting the cases granted before cash was limited per person whose packages already
hold more cash for a member than that member's limit would now allow
(`reintegrate.grants.cash_limits`)."""

from __future__ import annotations

from collections.abc import Callable

from reintegrate.access import EVERYWHERE
from reintegrate.grants.cash_limits import CashOverLimit, cash_codes, cash_held, over_cash_limits
from reintegrate.services.context import Actor
from reintegrate.services.programmes import compute_entitlement, load_case
from reintegrate.store.base import Store

AUDIT = Actor("audit", EVERYWHERE)


def cases_over_cash_limits(
    store: Store, done: Callable[[int, int], None] = lambda _n, _of: None
) -> list[CashOverLimit]:
    """Every member, in cases granted without cash limits per person, whose packages hold
    more cash than their limit under the version and day of the grant; `done` is told how
    many of those cases were checked."""
    grants = [g for g in store.snapshot().grants.values() if g.persons_cash is None]
    found: list[CashOverLimit] = []
    for n, grant in enumerate(sorted(grants, key=lambda g: g.case_id), start=1):
        with store.reading() as uow:
            case = load_case(uow, grant.case_id, AUDIT)
            ent = compute_entitlement(uow, case, grant.as_of, grant)
            packages = uow.packages_of_case(grant.case_id)
            held = cash_held(packages, uow.balances(cash_codes(packages)))
        found += over_cash_limits(grant.case_id, ent, held)
        done(n, len(grants))
    return found
