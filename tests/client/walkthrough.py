"""The README's walk-through with curl, as the client's requests: the bodies each step sends."""

from __future__ import annotations

import datetime as dt
import uuid

from api import schemas as s
from api import schemas_people as sp
from reintegrate.cases import ReturnType, Role
from reintegrate.grants.disbursements import Channel
from reintegrate.kinds import Category, Form

ENTITLED = s.MoneyOut(amount="3615.00", currency="EUR")
"""What the household of a parent and a child is entitled to under the EU programme."""
PAID_IN_EUR = s.MoneyOut(amount="609.80", currency="EUR")
"""400,000 XOF at the demo's 655.957 XOF/EUR, booked."""


def eur(amount: str) -> s.Money:
    return s.Money(amount=amount, currency="EUR")


def person(given_names: str, birth_year: int) -> sp.PersonCreate:
    """A returnee in Dakar, with a reference no one else has."""
    return sp.PersonCreate(
        office="dakar",
        given_names=given_names,
        family_name="Walkthrough",
        birth_year=birth_year,
        nationality="SN",
        external_refs=[f"walk-{uuid.uuid4().hex}"],
    )


def household(parent: str, child: str | None = None) -> s.CaseCreate:
    """A household returned to Senegal today: the parent, and the child if there is one."""
    members = [s.MemberIn(member_id="m1", person_id=parent, role=Role.PRINCIPAL)]
    if child is not None:
        members.append(s.MemberIn(member_id="m2", person_id=child, role=Role.DEPENDANT))
    return s.CaseCreate(
        programme_id="eurp",
        office="dakar",
        country_of_return="SN",
        return_date=dt.datetime.now(dt.UTC).date(),
        return_type=ReturnType.ASSISTED_VOLUNTARY,
        members=members,
    )


def package() -> s.PackageCreate:
    """615 EUR cash for the parent (c1), 2,000 EUR of equipment paid to a supplier (c2)."""
    return s.PackageCreate(
        budget_line="individual",
        components=[
            s.ComponentIn(
                member_id="m1", form=Form.CASH, category=Category.OTHER, amount=eur("615.00")
            ),
            s.ComponentIn(
                member_id="m1",
                form=Form.IN_KIND,
                category=Category.BUSINESS,
                supplier="Atelier Ndiaye",
                amount=eur("2000.00"),
            ),
        ],
    )


def cash_in_cfa() -> s.DisbursementCreate:
    xof = s.Money(amount="400000", currency="XOF")
    return s.DisbursementCreate(component_id="c1", amount=xof, channel=Channel.MOBILE_MONEY)


def more_than_the_equipment() -> s.DisbursementCreate:
    """2,000.01 EUR on the 2,000 EUR component."""
    channel = Channel.SUPPLIER_TRANSFER
    amount = eur("2000.01")
    return s.DisbursementCreate(
        component_id="c2", amount=amount, channel=channel, invoice_ref="AN-1"
    )
