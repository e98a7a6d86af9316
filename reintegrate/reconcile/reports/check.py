"""The financial report against the ledger, to the minor unit.

The ledger holds, per budget line, what is available and what is committed
(`budget:{programme}:{line}` and its `:committed`), and per item what is left to pay, in
flight and paid (`component:...:remaining|pending|paid`, `project:...:remaining|pending|paid`).
So, per budget line of the report:

- `funds` = available + committed on the line's accounts; `available` = the line's account;
- `committed` = the line's `:committed` account (for a report of the whole programme) and
  the sum of its items' remaining + pending + paid accounts;
- `paid`, `pending`, `remaining` = the sums of its items' accounts;
- every breakdown (form, country, dimension) adds up to those same ledger sums, and to the
  line's `failed`, `returned` and `reversed`, which no account holds; the payments at their
  booked rates (`by_currency`) add up to the line's paid, pending, failed, returned, reversed;
- the programme's total equals the sums over its lines.
Per item account, what the report counts equals the account's balance. `reconcile` returns
every difference, none when the report agrees with the ledger.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from reintegrate.grants.postings import budget
from reintegrate.reconcile.reports.financial import (
    FIGURES,
    OUTCOMES,
    Difference,
    Figures,
    FinancialReport,
    LineFigures,
    Programme,
    Row,
)
from reintegrate.reconcile.reports.fold import ReportFold
from reintegrate.reconcile.reports.items import Item
from reintegrate.texts import Text

LEDGER_FIGURES = ("committed", "paid", "pending", "remaining")
"""The figures the ledger holds per item; the others are flows no account keeps."""
ALL_LINES = Text("all budget lines")
BREAKDOWN_WORDS = {"form": Text("form"), "country": Text("country"), "dimension": Text("dimension")}


def _on_line(line: str) -> Text:
    return Text("budget line {line}", line=line)


def reconcile(
    report: FinancialReport, items: Iterable[Item], balances: Mapping[str, int]
) -> list[Difference]:
    """Every figure of `report` that differs from the ledger's `balances`; `items` are those
    the report was built from (all offices: the report counts those of its `offices`)."""
    offices = None if report.offices is None else frozenset(report.offices)
    lines = tuple(b.budget_line for b in report.budget_lines)
    programme = Programme(
        programme_id=report.programme_id,
        name=report.name,
        currency=report.currency,
        budget_lines=lines,
    )
    fold = ReportFold(programme, offices)
    fold.add(list(items), balances)
    return check(fold, report, balances)


def check(
    fold: ReportFold, report: FinancialReport, balances: Mapping[str, int]
) -> list[Difference]:
    """Every figure of `report` that differs from the ledger: what `fold` found on the items'
    accounts as it counted them, and the budget lines' accounts in `balances`."""
    whole = report.offices is None
    found: list[Difference] = []
    for line in report.budget_lines:
        expected = fold.ledger_on(line.budget_line)
        found += _budget_accounts(report, line, balances, whole=whole)
        found += _compare(_on_line(line.budget_line), line.figures, expected)
        found += _breakdowns(report, line, expected)
    totals = _sum_expected(fold.ledger_on(b.budget_line) for b in report.budget_lines)
    found += _compare(ALL_LINES, report.total.figures, totals)
    found += [
        Difference(figure=name, where=ALL_LINES, report=mine, ledger=theirs)
        for name, mine, theirs in (
            ("funds", report.total.funds, sum(b.funds for b in report.budget_lines)),
            ("available", report.total.available, sum(b.available for b in report.budget_lines)),
        )
        if mine != theirs
    ]
    return found + fold.account_differences()


def budget_codes(report: FinancialReport) -> list[str]:
    """The ledger accounts of `report`'s budget lines: what is available, what is committed."""
    return [
        account.code
        for line in report.budget_lines
        for account in budget(report.programme_id, line.budget_line, report.currency)
    ]


def _budget_accounts(
    report: FinancialReport, line: LineFigures, balances: Mapping[str, int], *, whole: bool
) -> list[Difference]:
    available, committed = budget(report.programme_id, line.budget_line, report.currency)
    on_line = balances.get(available.code, 0), balances.get(committed.code, 0)
    pairs = [("funds", line.funds, sum(on_line)), ("available", line.available, on_line[0])]
    if whole:
        pairs.append(("committed", line.figures.committed, on_line[1]))
    return [
        Difference(figure=name, where=_on_line(line.budget_line), report=mine, ledger=theirs)
        for name, mine, theirs in pairs
        if mine != theirs
    ]


def _compare(where: Text, figures: Figures, expected: Mapping[str, int]) -> list[Difference]:
    return [
        Difference(figure=name, where=where, report=getattr(figures, name), ledger=amount)
        for name, amount in expected.items()
        if getattr(figures, name) != amount
    ]


def _breakdowns(
    report: FinancialReport, line: LineFigures, ledger: Mapping[str, int]
) -> list[Difference]:
    """Each breakdown of `line` adds up to the ledger (and to the line's flows)."""
    flows = {f: getattr(line.figures, f) for f in FIGURES if f not in LEDGER_FIGURES}
    expected = {**ledger, **flows}
    found: list[Difference] = []
    for name, rows in (
        ("form", report.by_form),
        ("country", report.by_country),
        ("dimension", report.by_dimension),
    ):
        summed = _sum_rows(r for r in rows if r.budget_line == line.budget_line)
        by = Text(
            "budget line {line}, by {breakdown}",
            line=line.budget_line,
            breakdown=BREAKDOWN_WORDS[name],
        )
        found += _compare(by, summed, expected)
    booked = [c.booked for c in report.by_currency if c.budget_line == line.budget_line]
    for outcome in OUTCOMES:
        mine = sum(getattr(b, outcome) for b in booked)
        theirs = expected[outcome]
        if mine != theirs:
            where = Text("budget line {line}, by currency at booked rates", line=line.budget_line)
            found.append(Difference(figure=outcome, where=where, report=mine, ledger=theirs))
    return found


def _sum_rows(rows: Iterable[Row]) -> Figures:
    return sum((r.figures for r in rows), Figures())


def _sum_expected(lines: Iterable[Mapping[str, int]]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for line in lines:
        for name, amount in line.items():
            total[name] += amount
    return dict(total)
