"""The statement a mobile-money provider sends back for exported batch files, at scale.

One CSV statement (the layout of examples/providers/mobile-money.toml) for every payment of
the given batch files, with the spread of bench/reconcile_million.py: in each block of 200
payments, 192 are paid with their reference (96 %), 2 are paid for another amount, 2 are
paid and then returned, 1 is paid by a line without its reference, and 3 are not on the
statement; each block also holds 1 payment made twice and 2 lines the programme never
sent (one with an unknown reference, one with none), plus the provider's fee lines.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path

from bench.reconcile_million import BLOCK

HEADER = "date,reference,amount,currency,status,counterparty"


def provider_statement(batch_files: Sequence[Path], first_day: dt.date, seed: int) -> bytes:
    """The statement for the payments of `batch_files` (CSV exports), booked from
    `first_day` on over the next two days."""
    rng = random.Random(seed)
    payments = list(_payments(batch_files))
    lines = [HEADER]
    for i, (reference, amount, currency) in enumerate(payments):
        booked = (first_day + dt.timedelta(days=rng.randint(0, 2))).isoformat()
        lines.extend(
            _lines(
                i,
                booked,
                reference=reference,
                amount=amount,
                currency=currency,
                payments=payments,
                rng=rng,
            )
        )
    return ("\n".join(lines) + "\n").encode()


def _payments(batch_files: Sequence[Path]) -> Iterator[tuple[str, Decimal, str]]:
    for path in batch_files:
        for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))):
            yield row["reference"], Decimal(row["amount"]), row["currency"]


def _lines(
    i: int,
    on: str,
    *,
    reference: str,
    amount: Decimal,
    currency: str,
    payments: list[tuple[str, Decimal, str]],
    rng: random.Random,
) -> list[str]:
    """What the provider's statement holds for payment `i` (at its slot in its block)."""
    slot, wallet = i % BLOCK, f"wallet-{i % 9973}"
    paid = f"{on},{reference},{-amount},{currency},SUCCESS,{wallet}"
    if slot < 192:
        return [paid]
    if slot in (192, 193):
        other = amount + Decimal(rng.choice((-1, 1)) * rng.randint(1, 500)) / 100
        return [f"{on},{reference},{-max(other, Decimal('0.01'))},{currency},SUCCESS,{wallet}"]
    if slot in (194, 195):
        return [paid, f"{on},{reference},{amount},{currency},RETURNED,{wallet}"]
    if slot == 196:
        return [f"{on},,{-amount},{currency},SUCCESS,{wallet}"]
    if slot == 197:
        twice, twice_amount, _ = payments[i - 197 + 5]
        return [f"{on},{twice},{-twice_amount},{currency},SUCCESS,{wallet}"]
    unknown = Decimal(rng.randint(500_001, 900_000)) / 100
    if slot == 198:
        return [f"{on},UNK-{i:08d},{-unknown},{currency},SUCCESS,{wallet}"]
    return [f"{on},,{-unknown},{currency},SUCCESS,{wallet}", f"{on},,-1.50,{currency},SUCCESS,fee"]
