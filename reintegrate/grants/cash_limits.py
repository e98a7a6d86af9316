"""Cases granted before cash was limited per person: their caps stay as granted (the journal
is never edited), and those whose packages already hold more cash for a member than that
member's own cash limit would now allow are reported, for someone to decide what to do."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import msgspec

from reintegrate.entitlement import Entitlement
from reintegrate.grants.packages import Package
from reintegrate.grants.postings import component_code
from reintegrate.kinds import Form
from reintegrate.money import amount_text
from reintegrate.texts import Text

HELD = ("remaining", "pending", "paid")
"""What a component holds of its caps: what is left to pay, in flight and paid."""


class CashOverLimit(msgspec.Struct, frozen=True, kw_only=True):
    """A member whose packages hold more cash than their cash limit would allow."""

    case_id: str
    member_id: str
    limit: int
    held: int
    currency: str

    def describe(self) -> Text:
        c = self.currency
        return Text(
            "case {case_id}: cash of member {member_id}: limit {limit}, held {held}",
            case_id=self.case_id,
            member_id=self.member_id,
            limit=amount_text(self.limit, c),
            held=amount_text(self.held, c),
        )


def cash_codes(packages: Iterable[Package]) -> list[str]:
    """The accounts of what the packages' cash components hold."""
    return [
        component_code(p.package_id, c.component_id, part)
        for p in packages
        for c in p.components
        if c.form == Form.CASH
        for part in HELD
    ]


def cash_held(packages: Iterable[Package], balances: Mapping[str, int]) -> dict[str, int]:
    """Per member, the cash that the approved packages hold (left to pay, in flight, paid)."""
    held: dict[str, int] = defaultdict(int)
    for pkg in packages:
        for c in pkg.components:
            if pkg.approved_on is not None and c.form == Form.CASH:
                codes = (component_code(pkg.package_id, c.component_id, p) for p in HELD)
                held[c.member_id] += sum(balances.get(code, 0) for code in codes)
    return dict(held)


def over_cash_limits(
    case_id: str, ent: Entitlement, held: Mapping[str, int]
) -> list[CashOverLimit]:
    """Each member of the case holding more cash than their cash limit under `ent`."""
    return [
        CashOverLimit(
            case_id=case_id,
            member_id=p.member_id,
            limit=p.cash,
            held=held[p.member_id],
            currency=ent.currency,
        )
        for p in ent.persons
        if held.get(p.member_id, 0) > p.cash
    ]
