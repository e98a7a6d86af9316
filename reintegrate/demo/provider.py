"""What a mobile-money provider might send back for an exported batch, for the demo and the
walk-through: most payments go through, and one of each kind of difference appears (a
payment returned, one paid short, one paid twice, one not on the statement, and a line the
programme never sent). Not used by anything but the demo."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

HEADER = ("date", "reference", "amount", "currency", "status", "counterparty")


def provider_statement(batch_csv: bytes, day: dt.date) -> bytes:
    """The provider's statement (see examples/providers/mobile-money.toml) for a batch file."""
    rows = list(csv.DictReader(io.StringIO(batch_csv.decode())))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    on = day.isoformat()
    for n, row in enumerate(rows):
        ref, amount, code = row["reference"], Decimal(row["amount"]), row["currency"]
        paid = f"-{amount}"
        if n == 3:
            continue  # not on the statement
        if n == 1:
            paid = f"-{amount - 1}"  # paid short by one unit
        writer.writerow((on, ref, paid, code, "SUCCESS", "wallet"))
        if n == 0:
            writer.writerow((on, ref, f"{amount}", code, "RETURNED", "wallet"))
        if n == 2:
            writer.writerow((on, ref, paid, code, "SUCCESS", "wallet"))
    writer.writerow((on, "", "-1.50", rows[0]["currency"] if rows else "EUR", "SUCCESS", "fee"))
    return out.getvalue().encode()
