"""Receipt verification rounds in the SQL store (mixed into the SQL unit of work), and the
paid disbursements a round draws from."""

from __future__ import annotations

import msgspec
from sqlalchemy import Table, select

from reintegrate.access import Scope
from reintegrate.grants.disbursements import Disbursement, DisbursementStatus
from reintegrate.reconcile.receipts.rounds import VerificationRound
from reintegrate.store import tables as t
from reintegrate.store.sql_business import RowPrimitives

ROUNDS: Table = t.VerificationRoundRow.__table__  # type: ignore[attr-defined]
ROUND_OFFICES: Table = t.VerificationRoundOfficeRow.__table__  # type: ignore[attr-defined]
_DISBURSEMENTS: Table = t.DisbursementRow.__table__  # type: ignore[attr-defined]
_ENCODER = msgspec.json.Encoder(order="sorted")
_DISBURSEMENT = msgspec.json.Decoder(Disbursement)


def keep_round_offices(
    uow: RowPrimitives, before: VerificationRound | None, drawn: VerificationRound
) -> None:
    """File a round under the offices it was drawn from, once, as it is drawn (they never
    change after)."""
    if before is None and drawn.offices:
        rows = [{"round_id": drawn.round_id, "office": o} for o in drawn.offices]
        uow.s.execute(ROUND_OFFICES.insert(), rows)


class VerificationRows(RowPrimitives):
    """What the SQL unit of work offers for receipt verification."""

    def disbursements_in(
        self, programme_id: str, status: DisbursementStatus, scope: Scope
    ) -> list[Disbursement]:
        """The programme's disbursements in `status` in `scope`'s offices, by id (the table
        keys disbursements by office and status; the programme is in the body)."""
        query = (
            select(_DISBURSEMENTS.c.body)
            .where(_DISBURSEMENTS.c.status == status.value)
            .order_by(_DISBURSEMENTS.c.disbursement_id)
        )
        if scope.offices is not None:
            query = query.where(_DISBURSEMENTS.c.office.in_(sorted(scope.offices)))
        found = (_DISBURSEMENT.decode(body) for body in self.s.execute(query).scalars())
        return [d for d in found if d.programme_id == programme_id]
