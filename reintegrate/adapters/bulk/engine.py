"""Matching a large statement in bulk: the same `Reconciliation` as `match`, column by column.

Most lines of a large statement are plain: a reference the programme issued, on exactly one
line, a debit for the payment's full amount. `split` picks out, with array operations,
the lines and payments whose findings their references decide alone (matched, partial
amounts, plain returns, payments not shown, lines of an amount nothing was sent for); the
rest goes to `match` itself, which cannot find otherwise for it; `result` puts both
together in `match`'s order, with totals, and makes the matched findings only when asked for.
"""

from __future__ import annotations

from collections.abc import Sequence

from reintegrate.adapters.bulk import BULK_FROM_BYTES
from reintegrate.adapters.bulk import payments as bp
from reintegrate.adapters.bulk.csv_reading import LineColumns, read_columns
from reintegrate.adapters.bulk.result import BulkReconciliation, Columns, Rest, collector_paused
from reintegrate.adapters.bulk.split import others, split
from reintegrate.adapters.statements.csv_format import CsvMapping, parse_csv
from reintegrate.errors import ValidationFailed
from reintegrate.reconcile.matching.match import DEFAULT_WINDOW_DAYS, match
from reintegrate.reconcile.matching.outcomes import Expected, Reconciliation
from reintegrate.texts import Text

__all__ = ["BULK_FROM_BYTES", "PaymentColumns", "reconcile_columns", "reconcile_csv"]

PaymentColumns = bp.PaymentColumns


def reconcile_csv(
    data: bytes,
    mapping: CsvMapping,
    expected: Sequence[Expected],
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> Reconciliation:
    """`match(parse_csv(data, mapping).lines, expected)`, computed column by column when the
    file allows (else exactly that); a file `parse_csv` refuses is refused with its words."""
    columns = read_columns(data, mapping)
    payments = None if columns is None else PaymentColumns.of_records(expected)
    if columns is None or payments is None:
        return match(parse_csv(data, mapping).lines, expected, window_days=window_days)
    return reconcile_columns(columns, payments, window_days)


def reconcile_columns(
    lines: LineColumns, payments: PaymentColumns, window_days: int = DEFAULT_WINDOW_DAYS
) -> BulkReconciliation:
    """What `match` concludes for these lines and payments."""
    if window_days < 0:
        raise ValidationFailed(Text("the date window cannot be negative"), field="window_days")
    with collector_paused():
        index = bp.check(payments)
        plain = split(lines, payments, bp.positions(lines.references, payments, index))
        rest_lines = others(len(lines), plain.lines())
        rest_payments = others(len(payments), plain.payments())
        line_records = lines.lines(rest_lines)
        payment_records = payments.records(rest_payments)
        found = match(line_records, payment_records, window_days=window_days)
        rest = Rest.of(found, (line_records, rest_lines), (payment_records, rest_payments))
        return BulkReconciliation.assemble(rest, plain, Columns(lines, payments))
