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

from collections.abc import Iterable, Iterator

import msgspec

from reintegrate import events as ev
from reintegrate import journal
from reintegrate.errors import NotFound
from reintegrate.reconcile.reports.check import reconcile
from reintegrate.reconcile.reports.financial import FinancialReport, Programme, build_report
from reintegrate.reconcile.reports.items import Item, budget_funds, programme_items
from reintegrate.services.context import Actor
from reintegrate.store.base import Snapshot, Store

FUNDING_EVENTS = frozenset({"ProgrammeCreated", "BudgetLineFunded"})


class _Tagged(msgspec.Struct):
    """Only an event's type: enough to skip the events that fund nothing, undecoded."""

    type: str


_TAG = msgspec.json.Decoder(_Tagged)


def financial_report(store: Store, actor: Actor, programme_id: str) -> FinancialReport:
    """The financial report of `programme_id` as `actor` may see it, checked against the
    ledger (`report.differences` is empty when every figure agrees)."""
    with store.consistent_read() as view:
        as_of = view.last_seq()
        snapshot = view.snapshot()
        if programme_id not in snapshot.programmes:
            raise NotFound(f"no programme {programme_id}", field="programme_id")
        funds = budget_funds(programme_id, _funding(view.stored_entries(last=as_of)))
    record = snapshot.programmes[programme_id]
    programme = Programme(
        programme_id=programme_id,
        name=record.name,
        currency=record.currency,
        budget_lines=record.budget_lines,
    )
    items = _items(snapshot, programme_id)
    report = build_report(programme, funds, items, offices=actor.scope.offices, as_of_seq=as_of)
    differences = reconcile(report, items, snapshot.balances)
    return msgspec.structs.replace(report, differences=tuple(differences))


def _items(snapshot: Snapshot, programme_id: str) -> list[Item]:
    return programme_items(
        programme_id,
        snapshot.packages.values(),
        snapshot.disbursements.values(),
        snapshot.projects.values(),
        {c.case_id: c.country_of_return for c in snapshot.cases.values()},
    )


def _funding(entries: Iterable[journal.StoredEntry]) -> Iterator[ev.Event]:
    """The events that put money on budget lines, decoded; the others only peeked at."""
    for entry in entries:
        if _TAG.decode(entry.event).type in FUNDING_EVENTS:
            yield journal.decoded(entry).event
