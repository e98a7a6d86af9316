"""What a programme committed and paid, item by item, read from the projections.

An item is one thing the ledger gives a `remaining` / `pending` / `paid` account to: a
component of a package (`component:{package}:{component}`), or a part of a community
project's grant (its cash, or the goods of one supplier), whose project has one set of
accounts for all its parts (`project:{project}`). Each item says how much of a budget line it
holds (`committed`) and carries its payments, in the programme currency at the rate they were
booked at and in the currency they were paid in.

What an item holds of its budget line follows the ledger's postings:
- a package or project not (yet) approved, or rejected, holds nothing;
- an approved or active one holds its full amount;
- a closed, cancelled, completed or abandoned one gave back what was never paid, and nothing
  can be in flight when it ends, so it holds exactly what was paid.

The budget lines' funds come from the journal: what the programme's creation put on each line
plus every later funding.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping

import msgspec

from reintegrate import events as ev
from reintegrate.community.postings import project_accounts
from reintegrate.community.projects import (
    RUNNING,
    CommunityProject,
    PaymentStatus,
    ProjectPayment,
)
from reintegrate.grants.disbursements import DisbursementStatus
from reintegrate.grants.figures import PaymentFigures
from reintegrate.grants.packages import OPEN_FOR_PAYMENT, Package
from reintegrate.grants.postings import component_code
from reintegrate.kinds import Dimension, Form

UNKNOWN_COUNTRY = "unknown"
"""The country of an item whose case is not in the projections (which the ledger check and
the audit would show as a difference anyway)."""


class Outcome(enum.StrEnum):
    """Where a payment stands, as the ledger counts it."""

    PENDING = "pending"
    """Requested or approved, not settled: in flight."""
    PAID = "paid"
    FAILED = "failed"
    """Never delivered; the amount is owed again on its item."""
    RETURNED = "returned"
    """Sent, then came back; owed again on its item."""
    REVERSED = "reversed"
    """Confirmed paid, then undone; owed again on its item."""


class Payment(msgspec.Struct, frozen=True, kw_only=True):
    outcome: Outcome
    programme_amount: int
    """In the programme currency, at the rate booked with the payment."""
    amount: int
    currency: str
    """What was (or is to be) paid, in the currency it is paid in."""


class Accounts(msgspec.Struct, frozen=True, kw_only=True):
    """The ledger accounts of an item: left to pay, in flight, paid."""

    remaining: str
    pending: str
    paid: str


class Item(msgspec.Struct, frozen=True, kw_only=True):
    """One part of what a programme committed, with its payments."""

    accounts: Accounts
    """A package component's own accounts, or the accounts its project's parts share."""
    budget_line: str
    office: str
    form: Form
    country: str
    """The case's country of return, or the community's country for a project."""
    dimensions: tuple[Dimension, ...]
    """One for a package component; a project's dimensions (see `financial.split`)."""
    committed: int
    payments: tuple[Payment, ...]


_DISBURSEMENT_OUTCOMES = {
    DisbursementStatus.REQUESTED: Outcome.PENDING,
    DisbursementStatus.APPROVED: Outcome.PENDING,
    DisbursementStatus.PAID: Outcome.PAID,
    DisbursementStatus.FAILED: Outcome.FAILED,
    DisbursementStatus.RETURNED: Outcome.RETURNED,
    DisbursementStatus.REVERSED: Outcome.REVERSED,
}
_PROJECT_OUTCOMES = {
    PaymentStatus.PENDING: Outcome.PENDING,
    PaymentStatus.PAID: Outcome.PAID,
    PaymentStatus.FAILED: Outcome.FAILED,
    PaymentStatus.RETURNED: Outcome.RETURNED,
    PaymentStatus.REVERSED: Outcome.REVERSED,
}


_PAID = Outcome.PAID
"""Read once: an enum member looked up on its class in a loop costs more than the loop."""


def programme_items(
    programme_id: str,
    packages: Iterable[Package],
    disbursements: Iterable[PaymentFigures],
    projects: Iterable[CommunityProject],
    countries: Mapping[str, str],
) -> list[Item]:
    """Every item of `programme_id`; `countries` gives each case's country of return."""
    items = package_page_items(programme_id, packages, disbursements, countries)
    for project in projects:
        if project.programme_id == programme_id:
            items += project_items(project)
    return sorted(items, key=lambda i: (i.budget_line, i.accounts.remaining, i.form))


def package_page_items(
    programme_id: str,
    packages: Iterable[Package],
    disbursements: Iterable[PaymentFigures],
    countries: Mapping[str, str],
) -> list[Item]:
    """The items of those of `packages` that are `programme_id`'s, with the disbursements
    made on them (`disbursements` may hold others)."""
    paid_by: dict[str, list[PaymentFigures]] = defaultdict(list)
    for d in disbursements:
        if d.programme_id == programme_id:
            paid_by[d.package_id].append(d)
    items: list[Item] = []
    for pkg in packages:
        if pkg.programme_id == programme_id:
            country = countries.get(pkg.case_id, UNKNOWN_COUNTRY)
            items += package_items(pkg, paid_by[pkg.package_id], country)
    return items


def item_codes(items: Iterable[Item]) -> set[str]:
    """The ledger accounts `items` name."""
    return {
        code for i in items for code in (i.accounts.remaining, i.accounts.pending, i.accounts.paid)
    }


def package_items(
    pkg: Package, disbursements: Iterable[PaymentFigures], country: str
) -> list[Item]:
    """One item per component of `pkg`, with the disbursements made on it."""
    by_component: dict[str, list[Payment]] = defaultdict(list)
    for d in disbursements:
        by_component[d.component_id].append(_disbursement_payment(d))
    open_ = pkg.status in OPEN_FOR_PAYMENT
    return [
        _item(
            accounts=_component_accounts(pkg.package_id, c.component_id),
            holder=(pkg.budget_line, pkg.office, country),
            form=c.form,
            dimensions=(c.dimension,),
            amount=c.amount if open_ else None,
            payments=tuple(by_component[c.component_id]),
        )
        for c in pkg.components
    ]


def project_items(project: CommunityProject) -> list[Item]:
    """One item per part of a community project's grant, with the tranches paid on it."""
    part_of = {t.tranche_id: t.component_id for t in project.tranches}
    by_component: dict[str, list[Payment]] = defaultdict(list)
    for p in project.payments:
        by_component[part_of[p.tranche_id]].append(_project_payment(p, project.currency))
    running = project.status in RUNNING
    remaining, pending, paid = project_accounts(project.project_id, project.currency)
    accounts = Accounts(remaining=remaining.code, pending=pending.code, paid=paid.code)
    return [
        _item(
            accounts=accounts,
            holder=(project.budget_line, project.office, project.community.country),
            form=c.form,
            dimensions=project.dimensions,
            amount=c.amount if running else None,
            payments=tuple(by_component[c.component_id]),
        )
        for c in project.components
    ]


def _item(
    *,
    accounts: Accounts,
    holder: tuple[str, str, str],
    form: Form,
    dimensions: tuple[Dimension, ...],
    amount: int | None,
    payments: tuple[Payment, ...],
) -> Item:
    """`amount` is what a running package or project holds; None once it ended or before it
    was approved, when it holds what was paid (nothing, before approval)."""
    line, office, country = holder
    paid = sum(p.programme_amount for p in payments if p.outcome is _PAID)
    return Item(
        accounts=accounts,
        budget_line=line,
        office=office,
        form=Form(form),
        country=country,
        dimensions=tuple(Dimension(d) for d in dimensions),
        committed=paid if amount is None else amount,
        payments=payments,
    )


def _component_accounts(package_id: str, component_id: str) -> Accounts:
    def code(part: str) -> str:
        return component_code(package_id, component_id, part)

    return Accounts(remaining=code("remaining"), pending=code("pending"), paid=code("paid"))


def _disbursement_payment(d: PaymentFigures) -> Payment:
    return Payment(
        outcome=_DISBURSEMENT_OUTCOMES[d.status],
        programme_amount=d.programme_amount,
        amount=d.amount,
        currency=d.currency,
    )


def _project_payment(p: ProjectPayment, currency: str) -> Payment:
    """A project's tranches are paid in the programme currency."""
    return Payment(
        outcome=_PROJECT_OUTCOMES[p.status],
        programme_amount=p.amount,
        amount=p.amount,
        currency=currency,
    )


def budget_funds(programme_id: str, events: Iterable[ev.Event]) -> dict[str, int]:
    """What was put on each budget line of `programme_id`: at its creation, then funded."""
    funds: dict[str, int] = defaultdict(int)
    for event in events:
        match event:
            case ev.ProgrammeCreated() if event.programme_id == programme_id:
                for line in event.budget_lines:
                    funds[line.code] += line.amount
            case ev.BudgetLineFunded() if event.programme_id == programme_id:
                funds[event.line] += event.amount
    return dict(funds)
