"""The payments the programme sent, as columns, and the lookup of statement references in them.

`PaymentColumns` holds what bulk matching needs of each payment (reference, amount,
currency) as arrays, and makes the `Expected` records only for the payments asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from reintegrate.adapters.bulk import fields as bf
from reintegrate.reconcile.matching.match import positions_by_reference
from reintegrate.reconcile.matching.outcomes import Expected

Records = Callable[[bf.Ints], list[Expected]]
"""The `Expected` records of the payments at the given positions, in that order."""


@dataclass(frozen=True, slots=True)
class PaymentColumns:
    references: bf.Bytes
    """UTF-8 references (none may hold a NUL character)."""
    amount: bf.Ints
    codes: list[str]
    currency: bf.Ints
    """Index into `codes`."""
    records: Records

    def __len__(self) -> int:
        return len(self.amount)

    @classmethod
    def of_records(cls, payments: Sequence[Expected]) -> PaymentColumns | None:
        """The payments as columns; None when a reference holds a NUL character (byte
        strings in columns cannot end with one)."""
        kept = list(payments)
        encoded = [payment.reference.encode("utf-8") for payment in kept]
        if b"\0" in b"".join(encoded):
            return None
        codes = sorted({payment.currency for payment in kept})
        code_index = {code: index for index, code in enumerate(codes)}
        return cls(
            references=np.array(encoded, dtype=bytes) if kept else np.zeros(0, dtype="S1"),
            amount=np.array([p.amount for p in kept], dtype=np.int64),
            codes=codes,
            currency=np.array([code_index[p.currency] for p in kept], dtype=np.int64),
            records=lambda at: [kept[index] for index in at.tolist()],
        )


@dataclass(frozen=True, slots=True)
class ReferenceIndex:
    """The payments' reference keys, sorted, with the payments' positions in that order."""

    keys: npt.NDArray[np.uint64]
    order: bf.Ints
    exact: bool
    """Whether the keys are the references themselves (two references share a hash key)."""


def check(payments: PaymentColumns) -> ReferenceIndex:
    """The payments' reference index, once `positions_by_reference` would accept them (else
    it is called, on every record, to refuse them with its own words)."""
    refs = payments.references
    keys = bf.keys(refs)
    order = np.argsort(keys).astype(np.int64)
    keys = keys[order]
    same = np.flatnonzero(keys[1:] == keys[:-1])
    repeated = bool((refs[order[same]] == refs[order[same + 1]]).any()) if len(same) else False
    if repeated or _blank(refs) or (len(refs) and int(payments.amount.min()) <= 0):
        positions_by_reference(payments.records(np.arange(len(payments))))
        raise AssertionError("positions_by_reference accepts what the columns refuse")
    return ReferenceIndex(keys, order, exact=False) if not len(same) else _exact(refs)


def _exact(references: bf.Bytes) -> ReferenceIndex:
    order = np.argsort(references, kind="stable").astype(np.int64)
    return ReferenceIndex(np.zeros(0, dtype=np.uint64), order, exact=True)


def _blank(references: bf.Bytes) -> bool:
    if not len(references):
        return False
    first = references.view(np.uint8).reshape(len(references), -1)[:, 0]
    doubtful = np.flatnonzero(bf.EDGE[first] | (first == 0))
    return any(not bytes(references[at]).decode("utf-8").strip() for at in doubtful.tolist())


def positions(lines: bf.Bytes, payments: PaymentColumns, index: ReferenceIndex) -> bf.Ints:
    """For each line's reference, the position of the payment with that reference, or -1."""
    if not len(payments) or not len(lines):
        return np.full(len(lines), -1, dtype=np.int64)
    right = payments.references
    if index.exact:
        slot = np.searchsorted(right[index.order], lines.astype(right.dtype))
    else:
        wanted = bf.keys(lines)
        ascending = np.argsort(wanted)
        slot = np.empty(len(lines), dtype=np.int64)
        slot[ascending] = np.searchsorted(index.keys, wanted[ascending])
    found = index.order[np.minimum(slot, len(index.order) - 1)]
    hit = (right[found] == lines) & (lines != b"")
    return np.where(hit, found, -1)
