"""Reports on a programme's money: read in one consistent read of the store, never written.

The financial report counts the projections (packages, disbursements, community projects,
cases for their country of return), takes each budget line's funds from the journal (the
programme's creation and every funding), and is checked against the ledger's balances as
of the same moment; the differences, if any, travel with the report.

Who may ask is the caller's business (the API allows admins, finance and auditors; the CLI
is the auditor's). An actor who works for some offices gets those offices' figures; the
budget lines' funds and what is still available on them are the whole programme's.
"""

from __future__ import annotations

from collections.abc import Iterator

import msgspec

from reintegrate import journal
from reintegrate.reconcile.reports.check import budget_codes, check
from reintegrate.reconcile.reports.financial import FinancialReport, Programme
from reintegrate.reconcile.reports.fold import ReportFold
from reintegrate.reconcile.reports.items import (
    Item,
    budget_funds,
    item_codes,
    package_page_items,
    project_items,
)
from reintegrate.services.context import Actor, existing_programme
from reintegrate.store.base import Store, StoredView

FUNDING_EVENTS = frozenset({"ProgrammeCreated", "BudgetLineFunded"})


def financial_report(store: Store, actor: Actor, programme_id: str) -> FinancialReport:
    """The financial report of `programme_id` as `actor` may see it, checked against the
    ledger (`report.differences` is empty when every figure agrees). The programme's
    packages are read a page at a time and folded into the report's sums, with the balances
    of their accounts, so memory does not grow with the number of payments."""
    with store.consistent_read() as view:
        as_of = view.last_seq()
        record = existing_programme(view.programme(programme_id), programme_id)
        programme = Programme(
            programme_id=programme_id,
            name=record.name,
            currency=record.currency,
            budget_lines=record.budget_lines,
        )
        fold = ReportFold(programme, actor.scope.offices)
        for items in _item_groups(view, programme_id):
            fold.add(items, view.balances_of(item_codes(items)))
        entries = view.entries_of_types(FUNDING_EVENTS, last=as_of)
        funds = budget_funds(programme_id, (journal.decoded(e).event for e in entries))
        report = fold.report(funds, as_of_seq=as_of)
        budget_balances = view.balances_of(budget_codes(report))
    differences = check(fold, report, budget_balances)
    return msgspec.structs.replace(report, differences=tuple(differences))


def _item_groups(view: StoredView, programme_id: str) -> Iterator[list[Item]]:
    """The programme's items, a page of packages, then a project, at a time."""
    for page in view.packages_pages(programme_id):
        yield package_page_items(programme_id, page.packages, page.disbursements, page.countries)
    for project in view.programme_projects(programme_id):
        yield project_items(project)
