"""How items are attributed to breakdowns, on items written by hand (the pure domain)."""

from __future__ import annotations

import msgspec

from reintegrate.kinds import Dimension, Form
from reintegrate.reconcile.reports.check import reconcile
from reintegrate.reconcile.reports.financial import Figures, Programme, split
from reintegrate.reconcile.reports.fold import build_report
from reintegrate.reconcile.reports.items import Accounts, Item, Outcome, Payment

PROGRAMME = Programme(programme_id="p", name="P", currency="EUR", budget_lines=("line",))
PROJECT = Accounts(
    remaining="project:x:remaining", pending="project:x:pending", paid="project:x:paid"
)


def a_project_part(committed: int, *payments: Payment, form: Form = Form.CASH) -> Item:
    return Item(
        accounts=PROJECT,
        budget_line="line",
        office="dakar",
        form=form,
        country="SN",
        dimensions=(Dimension.ECONOMIC, Dimension.SOCIAL, Dimension.PSYCHOSOCIAL),
        committed=committed,
        payments=payments,
    )


def eur(outcome: Outcome, amount: int) -> Payment:
    return Payment(outcome=outcome, programme_amount=amount, amount=amount, currency="EUR")


def by_dimension(items: list[Item]) -> dict[str, Figures]:
    report = build_report(PROGRAMME, {"line": 10**9}, items, offices=None, as_of_seq=1)
    return {r.key: r.figures for r in report.by_dimension}


def test_a_project_with_three_dimensions_is_split_equally_to_the_cent() -> None:
    shares = by_dimension([a_project_part(100_001, eur(Outcome.PAID, 50_000))])
    assert [s.committed for s in shares.values()] == [33_334, 33_334, 33_333]
    assert [s.paid for s in shares.values()] == [16_667, 16_667, 16_666]
    assert sum(s.remaining for s in shares.values()) == 50_001


def test_every_share_of_a_split_adds_up_and_keeps_committed_as_remaining_paid_and_pending() -> None:
    figures = Figures(committed=7, paid=1, pending=3, failed=5, returned=0, reversed=2, remaining=3)
    parts = split(figures, 3)
    assert sum(parts, Figures()) == figures
    assert all(p.committed == p.remaining + p.paid + p.pending for p in parts)
    assert all(p.remaining >= 0 for p in parts)


def test_a_project_whose_parts_share_accounts_agrees_with_their_sum() -> None:
    items = [
        a_project_part(60_000, eur(Outcome.PAID, 20_000)),
        a_project_part(40_000, eur(Outcome.PENDING, 10_000), form=Form.IN_KIND),
    ]
    report = build_report(PROGRAMME, {"line": 1_000_000}, items, offices=None, as_of_seq=9)
    balances = {
        "budget:p:line": 900_000,
        "budget:p:line:committed": 100_000,
        "project:x:remaining": 70_000,
        "project:x:pending": 10_000,
        "project:x:paid": 20_000,
    }
    assert reconcile(report, items, balances) == []
    short = reconcile(report, items, {**balances, "project:x:paid": 19_999})
    assert ("paid", "project:x:paid", 20_000, 19_999) in [
        (d.figure, d.where, d.report, d.ledger) for d in short
    ]
    lost = msgspec.structs.replace(report, by_form=report.by_form[:1])
    assert {str(d.where) for d in reconcile(lost, items, balances)} == {"budget line line, by form"}
