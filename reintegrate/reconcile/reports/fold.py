"""The financial report gathered an item at a time, with what the ledger holds beside it.

A programme of a million payments is read a page of packages at a time: each page's items
are added to a `ReportFold` with the balances of their accounts, and dropped. The fold keeps
only sums: per budget line, per line and form, country or dimension, per line and currency
of payment, and per line what the ledger holds on the accounts of the items counted, plus any
item account whose balance is not what its items count. Its memory does not grow with the
number of items. What each figure means is `financial`'s; how it is checked, `check`'s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from reintegrate.kinds import Dimension, Form
from reintegrate.reconcile.reports.financial import (
    ALL_LINES,
    FIGURES,
    NO_DIMENSION,
    OUTCOMES,
    CurrencyRow,
    Difference,
    Figures,
    FinancialReport,
    LineFigures,
    Programme,
    Row,
    Settled,
    figure_values,
    figures_of,
    split,
)
from reintegrate.reconcile.reports.items import Accounts, Item, Outcome

BREAKDOWNS = ("form", "country", "dimension")
HELD = ("remaining", "pending", "paid")
"""The parts of an item's accounts the ledger holds, in the order `ledger_on` gives them."""
_ALWAYS = {
    "form": [f.value for f in Form],
    "country": [],
    "dimension": [d.value for d in Dimension],
}
"""Per breakdown, the keys shown on every line even when no item has them."""
_PLACE = {outcome: OUTCOMES.index(outcome.value) for outcome in Outcome}
"""Each outcome's place among a `Settled`'s figures."""


class ReportFold:
    """Items added a group at a time; `report` and `check.check` read the sums."""

    def __init__(self, programme: Programme, offices: frozenset[str] | None) -> None:
        self.programme, self.offices = programme, offices
        self.held: dict[str, int] = defaultdict(int)
        """Per budget line, what every item holds of it (whatever its office)."""
        self.lines: dict[str, list[int]] = {}
        """Per budget line, the figures (in `FIGURES` order) of the items counted."""
        self.rows: dict[str, dict[tuple[str, str], list[int]]] = {b: {} for b in BREAKDOWNS}
        self.currencies: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
        """Per line and currency paid in, the payments (in `OUTCOMES` order) in that
        currency and at their booked rates."""
        self.ledger: dict[str, list[int]] = {}
        """Per budget line, the balances (in `HELD` order) of the counted items' accounts."""
        self.off_balance: list[tuple[str, int, Difference]] = []
        """Item accounts whose balance is not what their items count, each with the code of
        its `remaining` account and its part's place in `HELD`, to be shown in that order."""

    def counts(self, item: Item) -> bool:
        """Whether `item` is counted: an office of the report's, or every office."""
        return self.offices is None or item.office in self.offices

    def add(self, items: Sequence[Item], balances: Mapping[str, int] | None = None) -> None:
        """Count `items`, which hold every item of the accounts they name (a package's
        components, or every part of a project); `balances` holds those accounts' balances,
        or is None when the report is not to be checked."""
        counted: dict[Accounts, tuple[str, list[int]]] = {}
        for item in items:
            self.held[item.budget_line] += item.committed
            if self.counts(item):
                counts = self._count(item)
                _add(counted.setdefault(item.accounts, (item.budget_line, _zeros()))[1], counts)
        if balances is not None:
            for accounts, (line, figures) in counted.items():
                self._hold(accounts, line, figures, balances)

    def _count(self, item: Item) -> tuple[int, ...]:
        line = item.budget_line
        values = figure_values(item)
        _add(self.lines.setdefault(line, _zeros()), values)
        _add(_row(self.rows["form"], line, item.form.value), values)
        _add(_row(self.rows["country"], line, item.country), values)
        keys = [d.value for d in item.dimensions] or [NO_DIMENSION]
        if len(keys) == 1:
            _add(_row(self.rows["dimension"], line, keys[0]), values)
        else:
            for key, share in zip(keys, split(figures_of(item), len(keys)), strict=True):
                _add(_row(self.rows["dimension"], line, key), [getattr(share, f) for f in FIGURES])
        currencies = self.currencies
        for p in item.payments:
            paid_in = (line, p.currency)
            if paid_in not in currencies:
                currencies[paid_in] = ([0] * len(OUTCOMES), [0] * len(OUTCOMES))
            original, booked = currencies[paid_in]
            original[_PLACE[p.outcome]] += p.amount
            booked[_PLACE[p.outcome]] += p.programme_amount
        return values

    def _hold(
        self, accounts: Accounts, line: str, figures: Sequence[int], balances: Mapping[str, int]
    ) -> None:
        """Add what the ledger holds on `accounts` to `line`, and note each of them whose
        balance is not what its items count."""
        held = self.ledger.setdefault(line, [0] * len(HELD))
        for n, part in enumerate(HELD):
            code = getattr(accounts, part)
            theirs, mine = balances.get(code, 0), figures[FIGURES.index(part)]
            held[n] += theirs
            if mine != theirs:
                found = Difference(figure=part, where=code, report=mine, ledger=theirs)
                self.off_balance.append((accounts.remaining, n, found))

    def account_differences(self) -> list[Difference]:
        """Each item account whose balance is not what its items count, in account order."""
        return [found for _, _, found in sorted(self.off_balance, key=lambda k: k[:2])]

    def ledger_on(self, line: str) -> dict[str, int]:
        """What the ledger holds on `line`'s counted items: committed, then each part."""
        held = dict(zip(HELD, self.ledger.get(line, [0] * len(HELD)), strict=True))
        return {"committed": sum(held.values()), **held}

    def line_codes(self, funds: Mapping[str, int]) -> list[str]:
        """The programme's lines in its order, then any other line named by funds or items."""
        known = list(self.programme.budget_lines)
        return known + sorted(({*funds} | {*self.held}) - set(known))

    def report(self, funds: Mapping[str, int], *, as_of_seq: int) -> FinancialReport:
        """The report of what was added, with its lines' `funds`."""
        lines = self.line_codes(funds)
        budget_lines = tuple(
            LineFigures(
                budget_line=line,
                funds=funds.get(line, 0),
                available=funds.get(line, 0) - self.held.get(line, 0),
                figures=_figures(self.lines.get(line)),
            )
            for line in lines
        )
        p, offices = self.programme, self.offices
        return FinancialReport(
            programme_id=p.programme_id,
            name=p.name,
            currency=p.currency,
            as_of_seq=as_of_seq,
            offices=None if offices is None else tuple(sorted(offices)),
            budget_lines=budget_lines,
            total=LineFigures(
                budget_line=ALL_LINES,
                funds=sum(b.funds for b in budget_lines),
                available=sum(b.available for b in budget_lines),
                figures=sum((b.figures for b in budget_lines), Figures()),
            ),
            by_form=self._rows(lines, "form"),
            by_country=self._rows(lines, "country"),
            by_dimension=self._rows(lines, "dimension"),
            by_currency=self._currency_rows(),
        )

    def _rows(self, lines: Sequence[str], breakdown: str) -> tuple[Row, ...]:
        """Per line, one row per key: those always shown, then the others found."""
        found, always = self.rows[breakdown], _ALWAYS[breakdown]
        rows = []
        for line in lines:
            keys = list(always) + sorted({k for ln, k in found if ln == line} - set(always))
            rows += [
                Row(budget_line=line, key=k, figures=_figures(found.get((line, k)))) for k in keys
            ]
        return tuple(rows)

    def _currency_rows(self) -> tuple[CurrencyRow, ...]:
        return tuple(
            CurrencyRow(
                budget_line=line,
                currency=currency,
                original=Settled(**dict(zip(OUTCOMES, original, strict=True))),
                booked=Settled(**dict(zip(OUTCOMES, booked, strict=True))),
            )
            for (line, currency), (original, booked) in sorted(self.currencies.items())
        )


def build_report(
    programme: Programme,
    funds: Mapping[str, int],
    items: Iterable[Item],
    *,
    offices: frozenset[str] | None,
    as_of_seq: int,
) -> FinancialReport:
    """The report of `programme` from all its `items` at once and its lines' `funds`."""
    fold = ReportFold(programme, offices)
    fold.add(list(items))
    return fold.report(funds, as_of_seq=as_of_seq)


def _zeros() -> list[int]:
    return [0] * len(FIGURES)


def _add(total: list[int], values: Sequence[int]) -> None:
    for n, value in enumerate(values):
        total[n] += value


def _row(rows: dict[tuple[str, str], list[int]], line: str, key: str) -> list[int]:
    return rows.setdefault((line, key), _zeros())


def _figures(values: Sequence[int] | None) -> Figures:
    return Figures() if values is None else Figures(**dict(zip(FIGURES, values, strict=True)))
